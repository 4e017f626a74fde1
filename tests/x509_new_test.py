# SPDX-License-Identifier: Apache-2.0
# `padlock x509 new` as a user meets it, judged by openssl: the files appear with private keys at
# mode 0600, existing files are refused without --force, `openssl verify` accepts the server (purpose
# and host name) and client chains, and openssl's own TLS 1.3 server and client complete a mutually
# authenticated handshake over loopback with exactly these certificates and keys.
# Usage: x509_new_test.py PADLOCK. Needs the openssl command; a cross-built padlock runs through
# $MESON_EXE_WRAPPER.
import calendar
import os
import shlex
import socket
import stat
import subprocess
import sys
import tempfile
import time

padlock = sys.argv[1]
wrapper = shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))
failures = 0


def run(*args):
    return subprocess.run(wrapper + [padlock, *args], capture_output=True, text=True, timeout=60)


def check(ok, what, detail=""):
    global failures
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else "\n     " + detail))
    failures += not ok


def openssl(*args, **kw):
    return subprocess.run(["openssl", *args], capture_output=True, text=True, timeout=60, **kw)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def handshake(d, host, what):
    """TLS 1.3 between openssl's server and client, mutually authenticated, with the files in d."""
    p = lambda n: os.path.join(d, n)
    port = free_port()
    server = subprocess.Popen(["openssl", "s_server", "-accept", "127.0.0.1:%d" % port, "-tls1_3", "-naccept", "1",
                               "-cert", p("server.pem"), "-key", p("server.key"), "-CAfile", p("ca.pem"),
                               "-Verify", "1", "-verify_return_error"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        # Retried while the server is still starting (a refused connection is not one of -naccept's).
        c = None
        for _ in range(20):
            c = openssl("s_client", "-connect", "127.0.0.1:%d" % port, "-tls1_3", "-CAfile", p("ca.pem"),
                        "-verify_hostname", host, "-verify_return_error",
                        "-cert", p("client.pem"), "-key", p("client.key"), "-brief", input="")
            if "Connection refused" not in c.stdout + c.stderr:
                break
            time.sleep(0.25)
        out = c.stdout + c.stderr
        check(c.returncode == 0 and "Verification: OK" in out and "TLSv1.3" in out,
              what + ": openssl s_client verifies the server in a TLS 1.3 handshake", out)
        check("Verified peername: " + host in out, what + ": s_client matched the host name", out)
    finally:
        server.kill()
        sout = server.communicate()[0]
    check("CN = padlock demo client" in sout or "CN=padlock demo client" in sout,
          what + ": s_server received and verified the client certificate", sout)


with tempfile.TemporaryDirectory() as tmp:
    d = os.path.join(tmp, "pki")
    r = run("x509", "new", d, "--host", "demo.padlock.test", "--days", "2")
    check(r.returncode == 0, "x509 new succeeds", r.stdout + r.stderr)
    names = ["ca.pem", "ca.key", "server.pem", "server.key", "client.pem", "client.key"]
    check(sorted(os.listdir(d)) == sorted(names), "x509 new writes the six files", str(os.listdir(d)))
    for n in names:
        mode = stat.S_IMODE(os.stat(os.path.join(d, n)).st_mode)
        if n.endswith(".key"):
            check(mode == 0o600, n + " is mode 0600", oct(mode))

    before = open(os.path.join(d, "server.pem")).read()
    r = run("x509", "new", d)
    check(r.returncode != 0 and "--force" in r.stderr, "x509 new refuses to overwrite", r.stderr)
    check(open(os.path.join(d, "server.pem")).read() == before, "a refused run leaves the files alone")
    r = run("x509", "new", d, "--force", "--host", "demo.padlock.test", "--days", "2")
    check(r.returncode == 0 and open(os.path.join(d, "server.pem")).read() != before,
          "x509 new --force writes a new PKI", r.stderr)
    r = run("x509", "new", d, "--force", "--host", "not a name")
    check(r.returncode != 0 and "bad_certificate_spec" in r.stderr, "an impossible host name is refused", r.stderr)

    p = lambda n: os.path.join(d, n)
    r = openssl("verify", "-x509_strict", "-CAfile", p("ca.pem"), "-purpose", "sslserver",
                "-verify_hostname", "demo.padlock.test", p("server.pem"))
    check(r.returncode == 0 and "server.pem: OK" in r.stdout, "openssl verify: server chain, purpose, host name",
          r.stdout + r.stderr)
    r = openssl("verify", "-CAfile", p("ca.pem"), "-verify_hostname", "other.test", p("server.pem"))
    check(r.returncode != 0, "openssl verify refuses another host name", r.stdout)
    r = openssl("verify", "-x509_strict", "-CAfile", p("ca.pem"), "-purpose", "sslclient", p("client.pem"))
    check(r.returncode == 0 and "client.pem: OK" in r.stdout, "openssl verify: client chain and purpose",
          r.stdout + r.stderr)
    r = openssl("x509", "-noout", "-enddate", "-in", p("server.pem"))
    end = r.stdout.strip().split("=", 1)[1]
    days = (calendar.timegm(time.strptime(end, "%b %d %H:%M:%S %Y GMT")) - time.time()) / 86400
    check(1.9 < days < 2.1, "--days 2 gives notAfter two days ahead", end)

    handshake(d, "demo.padlock.test", "P-256")

    # RSA-2048 keys: openssl checks the keys and the chain. Not under an emulator: three RSA-2048
    # key generations on 32-bit limbs take minutes under qemu (test_x509_builder covers RSA key
    # generation on those targets); the native builds run it.
    if wrapper:
        print("not run under %s: the RSA-2048 PKI" % wrapper[0])
        print("%d failed" % failures)
        sys.exit(1 if failures else 0)
    r = run("x509", "new", d, "--force", "--key", "rsa")
    check(r.returncode == 0 and "RSA-2048" in r.stdout, "x509 new --key rsa", r.stdout + r.stderr)
    r = openssl("rsa", "-check", "-noout", "-in", p("server.key"))
    check(r.returncode == 0 and "RSA key ok" in r.stdout, "openssl rsa -check accepts the RSA server key",
          r.stdout + r.stderr)
    r = openssl("verify", "-x509_strict", "-CAfile", p("ca.pem"), "-purpose", "sslserver",
                "-verify_hostname", "localhost", p("server.pem"))
    check(r.returncode == 0, "openssl verify: the RSA server chain", r.stdout + r.stderr)
    handshake(d, "localhost", "RSA-2048")

print("%d failed" % failures)
sys.exit(1 if failures else 0)
