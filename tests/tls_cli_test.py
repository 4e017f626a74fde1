#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# `padlock client` and `padlock server` against real peers over loopback: OpenSSL (s_server,
# s_client) and GnuTLS (gnutls-serv, gnutls-cli) are the oracles. Every case checks what was
# negotiated on both ends (padlock's --json summary and the peer's own printout), not only the exit
# status; KeyUpdates are witnessed by the peer (openssl -msg prints each KeyUpdate's request_update
# byte; GnuTLS answers our update_requested). A missing peer program is reported "not run" and
# fails the test unless PADLOCK_INTEROP_OPTIONAL=1 says the peers are optional.
# Usage: tls_cli_test.py PADLOCK
import base64
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

PADLOCK = sys.argv[1]
TMP = tempfile.mkdtemp(prefix="padlock-tls-cli-")
results = {"passed": 0, "failed": 0, "not_run": 0}
SUITES = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]
GROUPS = {"x25519": ("X25519", "X25519"), "secp256r1": ("P-256", "ECDH, prime256v1"),
          "secp384r1": ("P-384", "ECDH, secp384r1")}
GNUTLS_CIPHER = {"TLS_AES_128_GCM_SHA256": "AES-128-GCM", "TLS_AES_256_GCM_SHA384": "AES-256-GCM",
                 "TLS_CHACHA20_POLY1305_SHA256": "CHACHA20-POLY1305"}
SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
GNUTLS_GROUP = {"x25519": "X25519", "secp256r1": "SECP256R1", "secp384r1": "SECP384R1"}


class CaseFailure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise CaseFailure(what)


def case(name, fn, needs=()):
    if os.environ.get("PADLOCK_CASE", "") not in name:
        return
    missing = [p for p in needs if shutil.which(p) is None]
    if missing:
        print(f"not run   {name}: {', '.join(missing)} missing")
        results["not_run"] += 1
        return
    start = time.time()
    try:
        fn()
        print(f"ok        {name} ({time.time() - start:.1f} s)")
        results["passed"] += 1
    except (CaseFailure, subprocess.TimeoutExpired, json.JSONDecodeError, KeyError) as e:
        print(f"FAIL      {name}: {type(e).__name__}: {e}")
        results["failed"] += 1


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(path, text, proc, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if os.path.exists(path) and text in open(path, "rb").read().decode("latin-1"):
            return
        if proc.poll() is not None:
            break
        time.sleep(0.02)
    raise CaseFailure(f"{text!r} never appeared in {path}: {open(path, 'rb').read()[-2000:]!r}")


class Background:
    """A peer process with its output in a file (stdout and stderr together)."""

    def __init__(self, args, ready, stdin=subprocess.PIPE):
        self.out = os.path.join(TMP, f"bg-{time.time_ns()}.out")
        self.f = open(self.out, "wb")
        self.p = subprocess.Popen(args, stdin=stdin, stdout=self.f, stderr=subprocess.STDOUT)
        wait_for(self.out, ready, self.p)

    def text(self):
        return open(self.out, "rb").read().decode("latin-1")

    def finish(self, seconds=10):
        try:
            self.p.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        self.f.close()
        return self.text()

    def stop(self):
        if self.p.poll() is None:
            self.p.terminate()
        return self.finish(5)


def run_open_stdin(args, data, seconds=15):
    """Runs a client that stops at its stdin's EOF (s_client, gnutls-cli): `data` is written and stdin
    is left open, so the client ends when the server closes. Returns (exit status, output)."""
    path = os.path.join(TMP, f"client-{time.time_ns()}.out")
    with open(path, "wb") as f:
        p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=f, stderr=subprocess.STDOUT)
        try:
            p.stdin.write(data)
            p.stdin.flush()
        except BrokenPipeError:
            pass  # the client ended first (its handshake was refused): its status and output tell
        try:
            p.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            raise CaseFailure(f"{args[0]} did not end: {open(path, 'rb').read()[-1500:]!r}")
        finally:
            try:
                p.stdin.close()
            except BrokenPipeError:
                pass
    return p.returncode, open(path, "rb").read().decode("latin-1")


def pki(kind):
    d = os.path.join(TMP, kind)
    args = [PADLOCK, "x509", "new", d] + (["--key", "rsa"] if kind == "rsa" else [])
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, timeout=60)
    return d


def last_json(text):
    """The last handshake summary (event lines such as key updates are skipped)."""
    for line in reversed(text.splitlines()):
        if line.startswith("{") and '"event"' not in line:
            return json.loads(line)
    raise CaseFailure(f"no JSON summary in: {text[-2000:]!r}")


def events(text, name):
    """The --json event lines called `name` (e.g. key_update_sent), in order."""
    return [j for j in (json.loads(l) for l in text.splitlines() if l.startswith("{") and '"event"' in l)
            if j["event"] == name]


def send(bg, data):
    bg.p.stdin.write(data)
    bg.p.stdin.flush()


def wait_count(bg, text, n, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline and bg.text().count(text) < n and bg.p.poll() is None:
        time.sleep(0.02)
    check(bg.text().count(text) >= n, f"{text!r} not seen {n} times: {bg.text()[-2000:]}")


# OpenSSL's -msg lines for a KeyUpdate (§4.6.3: type 24, length 1, request_update 1 or 0).
def openssl_key_updates(text, direction, requested):
    return text.count(f"{direction} TLS 1.3, Handshake [length 0005], KeyUpdate\n    18 00 00 01 0{int(requested)}")


def padlock_client(port, ca, extra=(), data=b"", seconds=15):
    args = [PADLOCK, "client", f"127.0.0.1:{port}", "--ca", ca, "--host", "localhost", "--json"] + list(extra)
    r = subprocess.run(args, input=data, capture_output=True, timeout=seconds)
    return r.returncode, r.stdout, r.stderr.decode("latin-1")


def start_padlock_server(d, extra=()):
    port = free_port()
    bg = Background([PADLOCK, "server", "--cert", f"{d}/server.pem", "--key", f"{d}/server.key",
                     "--port", str(port), "--once", "--json"] + list(extra), "listening on")
    return port, bg


def s_server(d, port, extra=()):
    return Background(["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-naccept", "1", "-tls1_3",
                       "-cert", f"{d}/server.pem", "-key", f"{d}/server.key"] + list(extra), "ACCEPT")


# ---- padlock client against openssl s_server ----------------------------------------------------------

def client_vs_s_server(d, suite, group, key):
    def run():
        port = free_port()
        srv = s_server(d, port, ["-ciphersuites", suite, "-groups", GROUPS[group][0]])
        rc, out, err = padlock_client(port, f"{d}/ca.pem", data=b"ping from padlock\n")
        text = srv.stop()
        check(rc == 0, f"exit {rc}: {err}")
        j = last_json(err)
        check(j["version"] == "TLSv1.3", j)
        check(j["cipher_suite"] == suite, j)
        check(j["group"] == group, j)
        # Our client sends an x25519 share first: a P-256- or P-384-only server must ask for another (§4.1.4).
        check(j["hello_retry_request"] == (group != "x25519"), j)
        check(j["peer_signature_scheme"] == ("ecdsa_secp256r1_sha256" if key == "ecdsa" else "rsa_pss_rsae_sha256"), j)
        check(j["verification"] == "ok" and j["verified_chain"][0]["subject"].endswith("CN=localhost"), j)
        check("ping from padlock" in text, f"s_server did not print our data: {text[-1500:]}")
        check(f"CIPHER is {suite}" in text or f"Ciphersuite: {suite}" in text or suite in text, text[-1500:])
    return run


def client_mtls_alpn_sni(d):
    def run():
        port = free_port()
        srv = s_server(d, port, ["-Verify", "1", "-CAfile", f"{d}/ca.pem", "-alpn", "h2"])
        rc, out, err = padlock_client(port, f"{d}/ca.pem", ["--alpn", "http/1.1,h2", "--cert", f"{d}/client.pem",
                                                            "--key", f"{d}/client.key"], b"mtls\n")
        text = srv.stop()
        check(rc == 0, f"exit {rc}: {err}")
        j = last_json(err)
        check(j["alpn"] == "h2", j)
        check(j["signature_scheme"] != "none", j)  # we signed a CertificateVerify
        check("CN = padlock demo client" in text or "CN=padlock demo client" in text, text[-2000:])
        check("mtls" in text, text[-1500:])
    return run


def client_sni(d):
    def run():
        port = free_port()
        srv = s_server(d, port, ["-servername", "localhost", "-cert2", f"{d}/server.pem", "-key2", f"{d}/server.key"])
        rc, out, err = padlock_client(port, f"{d}/ca.pem", data=b"sni\n")
        text = srv.stop()
        check(rc == 0, f"exit {rc}: {err}")
        check('Hostname in TLS extension: "localhost"' in text, f"no SNI seen by s_server: {text[-2000:]}")
    return run


def client_fetches_s_server_www(d):
    # The acceptance check: padlock client fetches openssl s_server -www's status page and
    # verifies the server on the way.
    def run():
        port = free_port()
        srv = s_server(d, port, ["-www"])
        rc, out, err = padlock_client(port, f"{d}/ca.pem", data=b"GET / HTTP/1.0\r\n\r\n")
        srv.stop()
        check(rc == 0, f"exit {rc}: {err}")
        j = last_json(err)
        check(j["verification"] == "ok" and j["verified_chain"][0]["subject"].endswith("CN=localhost"), j)
        page = out.decode("latin-1")
        check(page.startswith("HTTP/1.0 200 ok"), page[:300])
        check("s_server -www" in page or "Ciphers supported in s_server binary" in page, page[:1500])
        check("TLSv1.3" in page, page[:3000])
    return run


def client_crl(d):
    # --crl: openssl ca writes the CA's CRL, first empty, then listing the server's certificate.
    def run():
        db = os.path.join(TMP, "crl-db")
        os.makedirs(db, exist_ok=True)
        open(f"{db}/index.txt", "w").close()
        with open(f"{db}/crlnumber", "w") as f:
            f.write("01\n")
        with open(f"{db}/ca.cnf", "w") as f:
            f.write(f"[ca]\ndefault_ca=c\n[c]\ndatabase={db}/index.txt\ncrlnumber={db}/crlnumber\n"
                    "default_md=sha256\ndefault_crl_days=30\n")
        ca = ["-config", f"{db}/ca.cnf", "-cert", f"{d}/ca.pem", "-keyfile", f"{d}/ca.key"]
        def openssl_ca(*args):
            r = subprocess.run(["openssl", "ca"] + ca + list(args), capture_output=True, timeout=30)
            check(r.returncode == 0, r.stderr.decode("latin-1"))
        openssl_ca("-gencrl", "-out", f"{db}/empty.crl.pem")
        openssl_ca("-revoke", f"{d}/server.pem")
        openssl_ca("-gencrl", "-out", f"{db}/revoked.crl.pem")
        for crl, want_rc in (("empty", 0), ("revoked", 3)):
            port = free_port()
            srv = s_server(d, port)
            rc, out, err = padlock_client(port, f"{d}/ca.pem", ["--crl", f"{db}/{crl}.crl.pem"], data=b"crl\n")
            srv.stop()
            check(rc == want_rc, f"{crl} CRL: exit {rc}: {err}")
            j = last_json(err)
            if crl == "empty":
                check(j["verification"] == "ok", j)
            else:
                check(j["verification"].startswith("revoked") and "certificate_revoked" in j["verification"], j)
                check(j["verified_chain"] == [], j)
    return run


def client_verification_failure(d, other, host, reason, x509_error):
    def run():
        port = free_port()
        srv = s_server(d, port)
        ca = f"{other}/ca.pem" if other else SYSTEM_BUNDLE
        args = [PADLOCK, "client", f"127.0.0.1:{port}", "--ca", ca, "--host", host, "--json"]
        r = subprocess.run(args, input=b"", capture_output=True, timeout=15)
        srv.stop()
        err = r.stderr.decode()
        check(r.returncode == 3, f"exit {r.returncode}: {err}")
        j = last_json(err)
        check(j["verification"].startswith(reason) and x509_error in j["verification"], j)
        check(j["verified_chain"] == [], j)
    return run


# ---- openssl s_client against padlock server -----------------------------------------------------------

def s_client_vs_server(d, suite, group, extra_client=(), extra_server=(), expect_hrr=None, mtls=False, alpn=None):
    def run():
        port, srv = start_padlock_server(d, list(extra_server))
        args = ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-tls1_3", "-ciphersuites", suite,
                "-CAfile", f"{d}/ca.pem", "-servername", "localhost", "-verify_hostname", "localhost",
                "-verify_return_error"] + list(extra_client)
        if "-groups" not in extra_client:
            args += ["-groups", GROUPS[group][0]]
        rc, out = run_open_stdin(args, b"GET / HTTP/1.0\r\n\r\n")
        text = srv.finish()
        check(rc == 0, f"s_client exit {rc}: {out[-1500:]}")
        check("Verification: OK" in out and "Verified peername: localhost" in out, out[-2000:])
        check(f"Cipher is {suite}" in out, out[-2000:])
        check(f"Server Temp Key: {GROUPS[group][1]}" in out, out[-2000:])
        check("HTTP/1.0 200 OK" in out and "Content-Type: text/html" in out, out[-2000:])
        check(f"<td>{suite}</td>" in out and f"<td>{group}</td>" in out, out[-2000:])
        j = last_json(text)
        check(j["cipher_suite"] == suite and j["group"] == group, j)
        check(j.get("server_name") == "localhost", j)  # s_client -servername localhost
        if expect_hrr is not None:
            check(j["hello_retry_request"] == expect_hrr, j)
        if mtls:
            check(j["peer_authenticated"] and j["verified_chain"][0]["subject"].endswith("CN=padlock demo client"), j)
        if alpn:
            check(f"ALPN protocol: {alpn}" in out and j["alpn"] == alpn, (j, out[-1500:]))
    return run


def s_client_without_certificate(d):
    def run():
        port, srv = start_padlock_server(d, ["--client-ca", f"{d}/ca.pem"])
        args = ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-tls1_3", "-CAfile", f"{d}/ca.pem"]
        rc, out = run_open_stdin(args, b"GET / HTTP/1.0\r\n\r\n")
        text = srv.finish()
        check("HTTP/1.0 200 OK" not in out, out[-1500:])
        check("certificate required" in out, f"s_client did not see certificate_required: {out[-1500:]}")
        j = last_json(text)
        check("certificate_missing" in j["error"], j)
    return run


def client_keylog(d):
    """Our key log against OpenSSL's for the same connection: the same lines (set equality)."""
    def run():
        port = free_port()
        theirs, ours = os.path.join(TMP, "openssl.keylog"), os.path.join(TMP, "padlock.keylog")
        srv = s_server(d, port, ["-keylogfile", theirs])
        env = dict(os.environ, SSLKEYLOGFILE=ours)
        r = subprocess.run([PADLOCK, "client", f"127.0.0.1:{port}", "--ca", f"{d}/ca.pem", "--host", "localhost"],
                           input=b"keylog\n", capture_output=True, timeout=15, env=env)
        srv.stop()
        check(r.returncode == 0, r.stderr)
        mine = {l for l in open(ours).read().splitlines() if l and not l.startswith("#")}
        other = {l for l in open(theirs).read().splitlines() if l and not l.startswith("#")}
        labels = {l.split()[0] for l in mine}
        check({"CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0",
               "SERVER_TRAFFIC_SECRET_0"} <= labels, labels)
        check(mine <= other, f"ours {sorted(mine)} theirs {sorted(other)}")
    return run


def server_survives_bad_peer(d):
    """Garbage, an empty connection, a silent one (timed out), then a real client is served; SIGINT stops it."""
    def run():
        port = free_port()
        srv = Background([PADLOCK, "server", "--cert", f"{d}/server.pem", "--key", f"{d}/server.key",
                          "--port", str(port), "--timeout", "2"], "listening on")
        with socket.create_connection(("127.0.0.1", port)) as c:
            c.sendall(b"\x16\x03\x01\x00\x05garbage that is not a ClientHello" * 10)
            c.settimeout(5)
            try:
                c.recv(100)  # an alert, then the close
            except (ConnectionResetError, socket.timeout):
                pass
        socket.create_connection(("127.0.0.1", port)).close()
        silent = socket.create_connection(("127.0.0.1", port))  # says nothing: dropped after --timeout 2
        start = time.time()
        rc, out = run_open_stdin(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-tls1_3",
                                  "-CAfile", f"{d}/ca.pem"], b"GET / HTTP/1.0\r\n\r\n")
        check("HTTP/1.0 200 OK" in out, out[-1500:])
        check(time.time() - start >= 1.5, "the silent connection was not waited for")
        silent.close()
        srv.p.send_signal(2)  # SIGINT
        text = srv.finish(5)
        check(srv.p.returncode == 0 and "padlock server: stopped" in text, (srv.p.returncode, text[-1500:]))
        check("timed out" in text, text[-1500:])
    return run


def client_resume(d):
    def run():
        port = free_port()
        srv = Background(["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-naccept", "2", "-tls1_3",
                          "-cert", f"{d}/server.pem", "-key", f"{d}/server.key"], "ACCEPT")
        rc, out, err = padlock_client(port, f"{d}/ca.pem", ["--resume"], b"resumed\n")
        text = srv.stop()
        check(rc == 0, f"exit {rc}: {err}")
        j = last_json(err)
        check(j["resumed"] is True and j["verification"].startswith("ok (resumed"), j)
        check("Reused session-id" in text or text.count("Reused") >= 1, text[-1500:])
    return run


def s_client_resume(d):
    def run():
        port = free_port()
        srv = Background([PADLOCK, "server", "--cert", f"{d}/server.pem", "--key", f"{d}/server.key",
                          "--port", str(port), "--json"], "listening on")
        sess = os.path.join(TMP, "s_client.session")
        base = ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-tls1_3", "-CAfile", f"{d}/ca.pem"]
        rc1, out1 = run_open_stdin(base + ["-sess_out", sess], b"GET / HTTP/1.0\r\n\r\n")
        rc2, out2 = run_open_stdin(base + ["-sess_in", sess], b"GET / HTTP/1.0\r\n\r\n")
        text = srv.stop()
        check("New, TLSv1.3" in out1 and "Reused, TLSv1.3" in out2, (out1[-800:], out2[-800:]))
        check("HTTP/1.0 200 OK" in out2 and "<td>true</td>" in out2, out2[-1500:])
        summaries = [json.loads(l) for l in text.splitlines() if l.startswith("{")]
        check([s["resumed"] for s in summaries] == [False, True], summaries)
    return run


# ---- KeyUpdate (§4.6.3) ---------------------------------------------------------------------------------

def client_key_update_vs_s_server(d):
    """stdin K and k lines (as s_client's commands) send KeyUpdates; s_server's k and its answer to our
    update_requested arrive; data flows after each, both ways. s_server -msg is the witness."""
    def run():
        port = free_port()
        srv = s_server(d, port, ["-msg"])
        cli = Background([PADLOCK, "client", f"127.0.0.1:{port}", "--ca", f"{d}/ca.pem", "--host", "localhost",
                          "--json"], '"verification"')
        send(cli, b"before the update\n")
        wait_for(srv.out, "before the update", srv.p)
        send(cli, b"K\nafter K\n")
        wait_for(srv.out, "after K", srv.p)
        # s_server answers our update_requested with its next write (§4.6.3 allows the delay); it
        # drops the rest of a stdin read that holds a command, so one write each.
        send(srv, b"server data after K\n")
        wait_for(cli.out, "server data after K", cli.p)
        wait_count(cli, "key_update_received", 1)
        send(srv, b"k\n")
        wait_count(cli, "key_update_received", 2)
        send(srv, b"server data after its k\n")
        wait_for(cli.out, "server data after its k", cli.p)
        # A line that only starts with K is data; a k whose newline comes in a later read is a command.
        send(cli, b"Kangaroo\nk")
        time.sleep(0.05)
        send(cli, b"\nafter k\n")
        wait_for(srv.out, "after k\n", srv.p)
        cli.p.stdin.close()
        out = cli.finish()
        text = srv.finish()
        check(cli.p.returncode == 0, out[-1500:])
        check([e["update_requested"] for e in events(out, "key_update_sent")] == [True, False], out[-1500:])
        # s_server's answer to our update_requested, and its own k.
        check(len(events(out, "key_update_received")) == 2, out[-1500:])
        check(openssl_key_updates(text, "<<<", True) == 1 and openssl_key_updates(text, "<<<", False) == 1, text[-3000:])
        check(openssl_key_updates(text, ">>>", False) == 2, text[-3000:])
        check("Kangaroo\n" in text, text[-1500:])
        check("\nK\n" not in text and "\nk\n" not in text, "a command line reached the server as data")
    return run


def s_client_key_update_vs_server(d):
    """s_client's K and k commands to padlock server, and padlock server's own updates
    (--key-update-every 16) that s_client answers; the echo flows after each."""
    def run():
        port, srv = start_padlock_server(d, ["--key-update-every", "16"])
        cl = Background(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-tls1_3", "-CAfile", f"{d}/ca.pem",
                         "-msg"], "Verify return code")
        send(cl, b"hello, padlock\n")  # 15 bytes echoed: no update of ours yet
        wait_for(cl.out, "hello, padlock", cl.p)
        send(cl, b"K\n")
        wait_for(srv.out, "key_update_received", srv.p)
        send(cl, b"a line longer than sixteen bytes, echoed\n")  # (cut by our KeyUpdates in s_client's output)
        wait_for(cl.out, "echoed\n", cl.p)
        received = len(events(srv.text(), "key_update_received"))
        send(cl, b"k\n")  # (s_client drops the rest of a read that holds a command: one write each)
        wait_count(srv, "key_update_received", received + 1)
        send(cl, b"the end\n")
        wait_for(cl.out, "the end", cl.p)
        cl.p.stdin.close()
        out = cl.finish()
        text = srv.finish()
        sent = events(text, "key_update_sent")
        check(len(sent) >= 2 and all(e["update_requested"] for e in sent), text[-1500:])
        # s_client's K and k (its answers to ours may come later, or merge with its k: §4.6.3 allows both).
        check(len(events(text, "key_update_received")) >= 2, text[-1500:])
        check(openssl_key_updates(out, ">>>", True) == 1 and openssl_key_updates(out, ">>>", False) >= 1, out[-3000:])
        check(openssl_key_updates(out, "<<<", False) == 1, out[-3000:])  # the engine's answer to K
        check(openssl_key_updates(out, "<<<", True) == len(sent), out[-3000:])
        check("hello, padlock" in out and "the end" in out, out[-1500:])
    return run


def client_commands_vs_gnutls_serv(d):
    """K and k lines are KeyUpdates (GnuTLS answers the K), other lines data; --no-commands sends them as data."""
    def run():
        port = free_port()
        srv = gnutls_serv(d, port)
        rc, out, err = padlock_client(port, f"{d}/ca.pem", data=b"K\nk\nafter\n")
        rc2, out2, err2 = padlock_client(port, f"{d}/ca.pem", ["--no-commands"], b"K\nk\n")
        srv.stop()
        check(rc == 0 and out == b"after\n", f"exit {rc}: {out!r} {err}")
        check([e["update_requested"] for e in events(err, "key_update_sent")] == [True, False], err)
        check(len(events(err, "key_update_received")) == 1, err)
        check(rc2 == 0 and out2 == b"K\nk\n" and events(err2, "key_update_sent") == [], f"exit {rc2}: {out2!r} {err2}")
    return run


def gnutls_cli_rekey_vs_server(d):
    """gnutls-cli's ^rekey^ (a KeyUpdate with update_requested) to padlock server; the echo flows after."""
    def run():
        port, srv = start_padlock_server(d)
        cl = Background(["gnutls-cli", "-p", str(port), "--x509cafile", f"{d}/ca.pem", "--inline-commands",
                         "localhost"], "Handshake was completed")
        send(cl, b"before\n")
        wait_for(cl.out, "before", cl.p)
        send(cl, b"^rekey^\n")
        wait_for(srv.out, "key_update_received", srv.p)
        send(cl, b"after the rekey\n")
        wait_for(cl.out, "after the rekey", cl.p)
        cl.p.stdin.close()
        cl.finish()
        text = srv.finish()
        check(len(events(text, "key_update_received")) == 1, text[-1500:])
    return run


# ---- large transfers -------------------------------------------------------------------------------------

BIG = base64.encodebytes(os.urandom(12 << 20))  # 16 MiB of text: gnutls-serv --echo takes some binary as commands
# gnutls-cli reads its stdin a few KiB at a time (16 MiB through it takes 5-15 s here): padlock
# server's bulk case against it moves 2 MiB; padlock client <-> gnutls-serv moves the 16 MiB.
SMALL = BIG[:2 << 20]


def read_exactly(proc, n, out):
    h = hashlib.sha256()
    got = 0
    while got < n:
        chunk = proc.stdout.read(min(65536, n - got))
        if not chunk:
            break
        h.update(chunk)
        got += len(chunk)
    out.append((got, h.hexdigest()))


def stream_through(args, name, server=None, data=BIG):
    """Writes `data` to args' stdin while reading as many bytes back from its stdout; both hashed."""
    err_path = os.path.join(TMP, f"stream-{time.time_ns()}.err")
    p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(err_path, "wb"))
    result = []
    reader = threading.Thread(target=read_exactly, args=(p, len(data), result))
    reader.start()
    try:
        p.stdin.write(data)
        p.stdin.flush()
    except BrokenPipeError:
        pass
    reader.join(timeout=30)
    expected = (len(data), hashlib.sha256(data).hexdigest())
    if not (result and result[0] == expected):
        p.kill()
        raise CaseFailure(f"{name}: received {result} expected {expected}; "
                          f"server: {server.stop()[-1500:] if server else ''}; client: {open(err_path, 'rb').read()[-1500:]!r}")
    return p, err_path


MIB = 1 << 20
# GnuTLS ends a connection that receives more than 8 KeyUpdates a second (lib/tls13/key_update.c, a
# denial-of-service bound): against it, one every 4 MiB.
GNUTLS_KEY_UPDATE_EVERY = 4 * MIB


def check_big_key_updates(text, what, every=MIB, data=BIG):
    """padlock sent a KeyUpdate (update_requested) after each `every` bytes it sent, and the peer answered."""
    sent = events(text, "key_update_sent")
    check(len(sent) == len(data) // every and all(e["update_requested"] for e in sent), (what, len(sent), text[-800:]))
    check(len(events(text, "key_update_received")) >= 1, (what, text[-800:]))


def s_client_big(d):
    def run():
        port, srv = start_padlock_server(d, ["--key-update-every", str(MIB)])
        p, _ = stream_through(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-tls1_3", "-quiet", "-ign_eof",
                               "-CAfile", f"{d}/ca.pem"], "s_client", srv)
        p.kill()
        p.wait()
        check_big_key_updates(srv.finish(), "padlock server")
    return run


def client_gnutls_big(d):
    def run():
        port = free_port()
        srv = Background(["gnutls-serv", "--echo", "-p", str(port), "--x509certfile", f"{d}/server.pem",
                          "--x509keyfile", f"{d}/server.key", "--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.3"], "listening")
        p, err = stream_through([PADLOCK, "client", f"127.0.0.1:{port}", "--ca", f"{d}/ca.pem", "--host", "localhost",
                                 "--timeout", "20", "--json", "--key-update-every", str(GNUTLS_KEY_UPDATE_EVERY)],
                                "padlock client")
        p.stdin.close()
        p.wait(timeout=20)
        srv.stop()
        check_big_key_updates(open(err).read(), "padlock client", GNUTLS_KEY_UPDATE_EVERY)
    return run


def gnutls_cli_small(d):
    def run():
        every = MIB // 2
        port, srv = start_padlock_server(d, ["--key-update-every", str(every)])
        p, _ = stream_through(["gnutls-cli", "-p", str(port), "--x509cafile", f"{d}/ca.pem", "--logfile",
                               os.path.join(TMP, "gnutls-cli-big.log"), "localhost"], "gnutls-cli", srv, SMALL)
        p.stdin.close()
        p.wait(timeout=20)
        check_big_key_updates(srv.stop(), "padlock server", every, SMALL)
    return run


# ---- GnuTLS ------------------------------------------------------------------------------------------------

def gnutls_priority(suite, group):
    return f"NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+{GNUTLS_CIPHER[suite]}:-GROUP-ALL:+GROUP-{GNUTLS_GROUP[group]}"


def gnutls_serv(d, port, extra=(), priority="NORMAL:-VERS-ALL:+VERS-TLS1.3"):
    return Background(["gnutls-serv", "--echo", "-p", str(port), "--x509certfile", f"{d}/server.pem",
                       "--x509keyfile", f"{d}/server.key", "--priority", priority] + list(extra), "listening")


SCHEME = {"ecdsa": "ecdsa_secp256r1_sha256", "rsa": "rsa_pss_rsae_sha256"}
GNUTLS_SCHEME = {"ecdsa": "(ECDSA-SECP256R1-SHA256)", "rsa": "(RSA-PSS-RSAE-SHA256)"}


def client_vs_gnutls_serv(d, suite, group, key):
    def run():
        port = free_port()
        srv = gnutls_serv(d, port, priority=gnutls_priority(suite, group))
        rc, out, err = padlock_client(port, f"{d}/ca.pem", data=b"echo me\n")
        srv.stop()
        check(rc == 0, f"exit {rc}: {err}")
        j = last_json(err)
        check(j["cipher_suite"] == suite and j["group"] == group and j["verification"] == "ok", j)
        check(j["hello_retry_request"] == (group != "x25519"), j)  # our first share is x25519
        check(j["peer_signature_scheme"] == SCHEME[key], j)
        check(out == b"echo me\n", out)
    return run


def client_gnutls_mtls(d, key):
    """gnutls-serv requires and verifies a client certificate: ours passes; none is refused."""
    def run():
        port = free_port()
        srv = gnutls_serv(d, port, ["--require-client-cert", "--verify-client-cert", "--x509cafile", f"{d}/ca.pem"])
        rc, out, err = padlock_client(port, f"{d}/ca.pem", ["--cert", f"{d}/client.pem", "--key", f"{d}/client.key"],
                                      b"mtls\n")
        rc2, out2, err2 = padlock_client(port, f"{d}/ca.pem", data=b"no certificate\n")
        srv.stop()
        check(rc == 0 and out == b"mtls\n", f"exit {rc}: {err}")
        check(last_json(err)["signature_scheme"] == SCHEME[key], err)  # we signed a CertificateVerify
        check(rc2 != 0 and out2 == b"", f"exit {rc2} without a certificate: {err2}")
    return run


def client_gnutls_alpn_sni(d):
    """gnutls-serv with --alpn-fatal and --sni-hostname-fatal: our ALPN and SNI are what it wants; a
    different name gets its unrecognized_name alert (named by tls/names.hpp)."""
    def run():
        port = free_port()
        srv = gnutls_serv(d, port, ["--alpn", "h2", "--alpn-fatal", "--sni-hostname", "localhost", "--sni-hostname-fatal"])
        rc, out, err = padlock_client(port, f"{d}/ca.pem", ["--alpn", "http/1.1,h2"], b"alpn\n")
        bad = subprocess.run([PADLOCK, "client", f"127.0.0.1:{port}", "--ca", f"{d}/ca.pem", "--host", "wrong.example",
                              "--alpn", "h2", "--json"], input=b"", capture_output=True, timeout=15)
        srv.stop()
        check(rc == 0 and out == b"alpn\n", f"exit {rc}: {err}")
        check(last_json(err)["alpn"] == "h2", err)
        bad_err = bad.stderr.decode("latin-1")
        check(bad.returncode == 1 and "unrecognized_name" in last_json(bad_err)["error"], bad_err)
    return run


def client_gnutls_resume(d):
    def run():
        port = free_port()
        srv = gnutls_serv(d, port)
        rc, out, err = padlock_client(port, f"{d}/ca.pem", ["--resume"], b"resumed\n")
        srv.stop()
        check(rc == 0 and out == b"resumed\n", f"exit {rc}: {err}")
        j = last_json(err)
        check(j["resumed"] is True and j["verification"].startswith("ok (resumed"), j)
    return run


def gnutls_cli_vs_server(d, suite, group, key, mtls=False, extra_cli=(), extra_server=(), priority=None,
                         expect_hrr=False, alpn=None):
    def run():
        port, srv = start_padlock_server(d, (["--client-ca", f"{d}/ca.pem"] if mtls else []) + list(extra_server))
        args = ["gnutls-cli", "-p", str(port), "--x509cafile", f"{d}/ca.pem",
                "--priority", priority or gnutls_priority(suite, group), "localhost"] + list(extra_cli)
        if mtls:
            args += ["--x509certfile", f"{d}/client.pem", "--x509keyfile", f"{d}/client.key"]
        rc, out = run_open_stdin(args, b"GET / HTTP/1.0\r\n\r\n")
        text = srv.finish()
        check("HTTP/1.0 200 OK" in out, out[-2000:])
        check(f"(ECDHE-{GNUTLS_GROUP[group]})-{GNUTLS_SCHEME[key]}-({GNUTLS_CIPHER[suite]})" in out and "(TLS1.3" in out,
              out[-2000:])
        j = last_json(text)
        check(j["cipher_suite"] == suite and j["group"] == group and j["hello_retry_request"] == expect_hrr, j)
        check(j["signature_scheme"] == SCHEME[key], j)
        # Our server saw the SNI gnutls-cli sent (Connection::server_name) and shows it on the page.
        check(j.get("server_name") == "localhost" and "<th>server_name</th><td>localhost</td>" in out, (j, out[-1500:]))
        if mtls:
            check(j["peer_authenticated"] and j["verified_chain"][0]["subject"].endswith("CN=padlock demo client"), j)
        if alpn:
            check(j["alpn"] == alpn and f"- Application protocol: {alpn}" in out, (j, out[-1500:]))
    return run


def gnutls_cli_resume(d):
    def run():
        port = free_port()
        srv = Background([PADLOCK, "server", "--cert", f"{d}/server.pem", "--key", f"{d}/server.key",
                          "--port", str(port), "--json"], "listening on")
        rc, out = run_open_stdin(["gnutls-cli", "-p", str(port), "--x509cafile", f"{d}/ca.pem", "-r", "localhost"],
                                 b"GET / HTTP/1.0\r\n\r\n")
        text = srv.stop()
        check(rc == 0 and "*** This is a resumed session" in out and "HTTP/1.0 200 OK" in out, out[-1500:])
        summaries = [json.loads(l) for l in text.splitlines() if l.startswith("{") and '"event"' not in l]
        check([x["resumed"] for x in summaries] == [False, True] and "error" not in summaries[1], summaries)
    return run


def server_sni(d):
    """Connection::server_name on padlock server: the name s_client sends, escaped when it is not
    printable; none with -noservername."""
    def run():
        names = []
        for extra in (["-servername", "sni.example.test"], ["-noservername"]):
            port, srv = start_padlock_server(d)
            rc, out = run_open_stdin(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-tls1_3",
                                      "-CAfile", f"{d}/ca.pem"] + extra, b"GET / HTTP/1.0\r\n\r\n")
            j = last_json(srv.finish())
            check("HTTP/1.0 200 OK" in out, out[-1500:])
            names.append((j.get("server_name"), "<th>server_name</th><td>sni.example.test</td>" in out))
        check(names == [("sni.example.test", True), (None, False)], names)
    return run


def main():
    optional = os.environ.get("PADLOCK_INTEROP_OPTIONAL") == "1"
    ec, rsa = pki("ecdsa"), pki("rsa")
    o, g = ("openssl",), ("gnutls-cli", "gnutls-serv")
    for key, d in (("ecdsa", ec), ("rsa", rsa)):
        for suite in SUITES:
            for group in GROUPS:
                case(f"padlock client -> s_server {key} {suite} {group}", client_vs_s_server(d, suite, group, key), o)
                case(f"s_client -> padlock server {key} {suite} {group}", s_client_vs_server(d, suite, group), o)
    case("padlock client -> s_server mTLS + ALPN", client_mtls_alpn_sni(ec), o)
    case("padlock client -> s_server SNI", client_sni(ec), o)
    case("padlock client fetches the s_server -www page, verified", client_fetches_s_server_www(ec), o)
    case("padlock client --crl: an empty CRL passes, a CRL listing the server refuses it", client_crl(pki("crl")), o)
    case("padlock client: wrong host name", client_verification_failure(ec, ec, "wrong.example", "name mismatch", "hostname_mismatch"), o)
    if os.path.exists(SYSTEM_BUNDLE):  # a bundle without the demo CA: nobody there issued it
        case("padlock client: unknown issuer", client_verification_failure(ec, None, "localhost", "unknown issuer", "unknown_issuer"), o)
    case("s_client -> padlock server: HelloRetryRequest (X448 share first)",
         s_client_vs_server(ec, SUITES[0], "x25519", ["-groups", "X448:X25519"], expect_hrr=True), o)
    case("s_client -> padlock server: no HelloRetryRequest (P-256 share)",
         s_client_vs_server(ec, SUITES[0], "secp256r1", expect_hrr=False), o)
    case("s_client -> padlock server: mTLS + ALPN (RSA)",
         s_client_vs_server(rsa, SUITES[1], "x25519", ["-cert", f"{rsa}/client.pem", "-key", f"{rsa}/client.key",
                                                      "-alpn", "h2,http/1.1"],
                            ["--client-ca", f"{rsa}/ca.pem", "--alpn", "http/1.1"], mtls=True, alpn="http/1.1"), o)
    case("s_client -> padlock server: no client certificate refused", s_client_without_certificate(ec), o)
    case("s_client <-> padlock server: 16 MiB each way, KeyUpdate every MiB", s_client_big(ec), o)
    case("padlock client key log = openssl s_server key log", client_keylog(ec), o)
    case("padlock client --resume -> s_server: the ticket is taken", client_resume(ec), o)
    case("s_client -sess_out/-sess_in -> padlock server: resumed", s_client_resume(rsa), o)
    case("padlock server: a bad peer ends only its connection; SIGINT stops it", server_survives_bad_peer(ec), o)
    case("padlock client K/k <-> s_server k: KeyUpdates both ways", client_key_update_vs_s_server(ec), o)
    case("s_client K/k <-> padlock server --key-update-every: KeyUpdates both ways", s_client_key_update_vs_server(ec), o)
    case("padlock server: SNI from s_client, none with -noservername", server_sni(ec), o)
    case("padlock client <-> gnutls-serv --echo: 16 MiB each way, KeyUpdate every 4 MiB", client_gnutls_big(ec), g)
    case("gnutls-cli <-> padlock server: 2 MiB each way, KeyUpdate every 512 KiB", gnutls_cli_small(rsa), g)
    case("gnutls-cli ^rekey^ -> padlock server", gnutls_cli_rekey_vs_server(ec), g)
    case("padlock client K/k lines and --no-commands -> gnutls-serv --echo", client_commands_vs_gnutls_serv(ec), g)
    for key, d in (("ecdsa", ec), ("rsa", rsa)):
        for suite in SUITES:
            for group in GROUPS:
                case(f"padlock client -> gnutls-serv {key} {suite} {group}", client_vs_gnutls_serv(d, suite, group, key), g)
                case(f"gnutls-cli -> padlock server {key} {suite} {group}", gnutls_cli_vs_server(d, suite, group, key), g)
        case(f"padlock client -> gnutls-serv mTLS ({key})", client_gnutls_mtls(d, key), g)
        case(f"gnutls-cli -> padlock server mTLS ({key})", gnutls_cli_vs_server(d, SUITES[2], "secp256r1", key, mtls=True), g)
    case("gnutls-cli -> padlock server: HelloRetryRequest (X448 share first)",
         gnutls_cli_vs_server(ec, SUITES[0], "x25519", "ecdsa", expect_hrr=True,
                              priority="NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-X448:+GROUP-X25519"), g)
    case("gnutls-cli -> padlock server: ALPN", gnutls_cli_vs_server(ec, SUITES[0], "x25519", "ecdsa",
         extra_cli=["--alpn", "h2", "--alpn", "http/1.1"], extra_server=["--alpn", "http/1.1"], alpn="http/1.1"), g)
    case("padlock client -> gnutls-serv: ALPN and SNI (--alpn-fatal, --sni-hostname-fatal)", client_gnutls_alpn_sni(ec), g)
    case("padlock client --resume -> gnutls-serv: the ticket is taken", client_gnutls_resume(rsa), g)
    case("gnutls-cli -r -> padlock server: resumed", gnutls_cli_resume(ec), g)
    shutil.rmtree(TMP, ignore_errors=True)
    print(f"{results['passed']} passed, {results['failed']} failed, {results['not_run']} not run")
    if results["failed"] or (results["not_run"] and not optional):
        sys.exit(1)


main()
