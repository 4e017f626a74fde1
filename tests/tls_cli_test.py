#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# `padlock client` and `padlock server` against real peers over loopback: OpenSSL (s_server,
# s_client) and GnuTLS (gnutls-serv, gnutls-cli) are the oracles. Every case checks what was
# negotiated on both ends (padlock's --json summary and the peer's own printout), not only the exit
# status. A missing peer program is reported "not run" and fails the test unless
# PADLOCK_INTEROP_OPTIONAL=1 says the peers are optional.
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
GROUPS = {"x25519": ("X25519", "X25519"), "secp256r1": ("P-256", "ECDH, prime256v1")}
GNUTLS_CIPHER = {"TLS_AES_128_GCM_SHA256": "AES-128-GCM", "TLS_AES_256_GCM_SHA384": "AES-256-GCM",
                 "TLS_CHACHA20_POLY1305_SHA256": "CHACHA20-POLY1305"}
SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
GNUTLS_GROUP = {"x25519": "X25519", "secp256r1": "SECP256R1"}


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
        p.stdin.write(data)
        p.stdin.flush()
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
    for line in reversed(text.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise CaseFailure(f"no JSON summary in: {text[-2000:]!r}")


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
        # Our client sends an x25519 share first: a P-256-only server must ask for another (§4.1.4).
        check(j["hello_retry_request"] == (group == "secp256r1"), j)
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


# ---- large transfers -------------------------------------------------------------------------------------

BIG = base64.encodebytes(os.urandom(12 << 20))  # 16 MiB of text: gnutls-serv --echo takes some binary as commands
BIG_SHA = hashlib.sha256(BIG).hexdigest()


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


def stream_through(args, name, server=None):
    """Writes BIG to args' stdin while reading as many bytes back from its stdout; both hashed."""
    err_path = os.path.join(TMP, f"stream-{time.time_ns()}.err")
    p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(err_path, "wb"))
    result = []
    reader = threading.Thread(target=read_exactly, args=(p, len(BIG), result))
    reader.start()
    try:
        p.stdin.write(BIG)
        p.stdin.flush()
    except BrokenPipeError:
        pass
    reader.join(timeout=30)
    if not (result and result[0] == (len(BIG), BIG_SHA)):
        p.kill()
        raise CaseFailure(f"{name}: received {result} expected {(len(BIG), BIG_SHA)}; "
                          f"server: {server.stop()[-1500:] if server else ''}; client: {open(err_path, 'rb').read()[-1500:]!r}")
    return p


def s_client_big(d):
    def run():
        port, srv = start_padlock_server(d)
        p = stream_through(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-tls1_3", "-quiet", "-ign_eof",
                            "-CAfile", f"{d}/ca.pem"], "s_client", srv)
        p.kill()
        p.wait()
        srv.finish()
    return run


def client_gnutls_big(d):
    def run():
        port = free_port()
        srv = Background(["gnutls-serv", "--echo", "-p", str(port), "--x509certfile", f"{d}/server.pem",
                          "--x509keyfile", f"{d}/server.key", "--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.3"], "listening")
        p = stream_through([PADLOCK, "client", f"127.0.0.1:{port}", "--ca", f"{d}/ca.pem", "--host", "localhost",
                            "--timeout", "20"], "padlock client")
        p.stdin.close()
        p.wait(timeout=20)
        srv.stop()
    return run


# ---- GnuTLS ------------------------------------------------------------------------------------------------

def gnutls_priority(suite, group):
    return f"NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+{GNUTLS_CIPHER[suite]}:-GROUP-ALL:+GROUP-{GNUTLS_GROUP[group]}"


def client_vs_gnutls_serv(d, suite, group):
    def run():
        port = free_port()
        srv = Background(["gnutls-serv", "--echo", "-p", str(port), "--x509certfile", f"{d}/server.pem",
                          "--x509keyfile", f"{d}/server.key", "--priority", gnutls_priority(suite, group)], "listening")
        rc, out, err = padlock_client(port, f"{d}/ca.pem", data=b"echo me\n")
        srv.stop()
        check(rc == 0, f"exit {rc}: {err}")
        j = last_json(err)
        check(j["cipher_suite"] == suite and j["group"] == group and j["verification"] == "ok", j)
        check(out == b"echo me\n", out)
    return run


def gnutls_cli_vs_server(d, suite, group, mtls=False):
    def run():
        port, srv = start_padlock_server(d, ["--client-ca", f"{d}/ca.pem"] if mtls else [])
        args = ["gnutls-cli", "-p", str(port), "--x509cafile", f"{d}/ca.pem", "--priority", gnutls_priority(suite, group),
                "localhost"]
        if mtls:
            args += ["--x509certfile", f"{d}/client.pem", "--x509keyfile", f"{d}/client.key"]
        rc, out = run_open_stdin(args, b"GET / HTTP/1.0\r\n\r\n")
        text = srv.finish()
        check("HTTP/1.0 200 OK" in out, out[-2000:])
        check(f"(ECDHE-{GNUTLS_GROUP[group]})" in out and f"({GNUTLS_CIPHER[suite]})" in out and "(TLS1.3" in out, out[-2000:])
        j = last_json(text)
        check(j["cipher_suite"] == suite and j["group"] == group, j)
        if mtls:
            check(j["peer_authenticated"], j)
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
    case("s_client <-> padlock server: 16 MiB each way", s_client_big(ec), o)
    case("padlock client key log = openssl s_server key log", client_keylog(ec), o)
    case("padlock client --resume -> s_server: the ticket is taken", client_resume(ec), o)
    case("s_client -sess_out/-sess_in -> padlock server: resumed", s_client_resume(rsa), o)
    case("padlock server: a bad peer ends only its connection; SIGINT stops it", server_survives_bad_peer(ec), o)
    case("padlock client <-> gnutls-serv --echo: 16 MiB each way", client_gnutls_big(ec), g)
    for suite, group in ((SUITES[0], "x25519"), (SUITES[1], "secp256r1"), (SUITES[2], "x25519")):
        case(f"padlock client -> gnutls-serv {suite} {group}", client_vs_gnutls_serv(rsa if suite == SUITES[1] else ec, suite, group), g)
        case(f"gnutls-cli -> padlock server {suite} {group}", gnutls_cli_vs_server(ec, suite, group), g)
    case("gnutls-cli -> padlock server mTLS (RSA)", gnutls_cli_vs_server(rsa, SUITES[2], "secp256r1", mtls=True), g)
    shutil.rmtree(TMP, ignore_errors=True)
    print(f"{results['passed']} passed, {results['failed']} failed, {results['not_run']} not run")
    if results["failed"] or (results["not_run"] and not optional):
        sys.exit(1)


main()
