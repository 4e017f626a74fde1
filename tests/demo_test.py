# SPDX-License-Identifier: Apache-2.0
# `padlock demo` as a newcomer runs it: it succeeds with no files and no network, tells every message
# of a mutually authenticated TLS 1.3 handshake, and shows the three failures refused for the right
# reasons. The secrets it prints are checked by an independent computation (Python's hmac, RFC 5869
# and RFC 8446 §7.1): the Early Secret of a handshake without PSK is a constant, and the Handshake and
# Master Secrets follow from the printed (EC)DHE shared secret.
# Usage: demo_test.py PADLOCK. A cross-built padlock runs through $MESON_EXE_WRAPPER.
import hashlib
import hmac
import json
import os
import shlex
import subprocess
import sys

padlock = sys.argv[1]
wrapper = shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))
failures = 0


def check(ok, what, detail=""):
    global failures
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else "\n     " + str(detail)[:2000]))
    failures += not ok


def run(*args):
    return subprocess.run(wrapper + [padlock, "demo", *args], capture_output=True, text=True, timeout=240)


def hkdf_extract(h, salt, ikm):
    return hmac.new(salt, ikm, h).digest()


def expand_label(h, secret, label, context, length):
    full = b"tls13 " + label.encode()
    info = length.to_bytes(2, "big") + bytes([len(full)]) + full + bytes([len(context)]) + context
    out, block, i = b"", b"", 1
    while len(out) < length:
        block = hmac.new(secret, block + info + bytes([i]), h).digest()
        out += block
        i += 1
    return out[:length]


def next_stage(h, secret, ikm):
    n = h().digest_size
    salt = expand_label(h, secret, "derived", h(b"").digest(), n)
    return hkdf_extract(h, salt, ikm)


def check_secrets(doc, h, what):
    secrets = {s["secret"]: bytes.fromhex(s["value"]) for s in doc["handshake"] if "secret" in s}
    n = h().digest_size
    early = hkdf_extract(h, bytes(n), bytes(n))
    check(secrets.get("Early Secret") == early, what + ": the Early Secret is HKDF-Extract(0, 0)")
    hs = next_stage(h, early, secrets.get("(EC)DHE shared secret", b""))
    check(secrets.get("Handshake Secret") == hs, what + ": the Handshake Secret follows from the shared secret")
    check(secrets.get("Master Secret") == next_stage(h, hs, bytes(n)), what + ": the Master Secret follows")
    for label in ["CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0",
                  "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET"]:
        check(len(secrets.get(label, b"")) == n, what + ": " + label + " shown")


def check_run(args, h, what, shared_size):
    r = run("--json", *args)
    check(r.returncode == 0, what + ": exit status 0", r.stderr)
    if r.returncode != 0:
        return
    doc = json.loads(r.stdout)
    messages = [(m["from"], m["message"]) for m in doc["handshake"] if "message" in m]
    expected = [("client", "ClientHello"), ("server", "ServerHello"), ("server", "EncryptedExtensions"),
                ("server", "CertificateRequest"), ("server", "Certificate"), ("server", "CertificateVerify"),
                ("server", "Finished"), ("client", "Certificate"), ("client", "CertificateVerify"),
                ("client", "Finished"), ("server", "NewSessionTicket")]
    check(messages == expected, what + ": the messages of a mutually authenticated handshake, in order, and a ticket",
          messages)
    secrets = {s["secret"]: s["value"] for s in doc["handshake"] if "secret" in s}
    check(len(bytes.fromhex(secrets.get("(EC)DHE shared secret", ""))) == shared_size,
          what + ": the shared secret has the group's size")
    check_secrets(doc, h, what)
    checks = [c for c in doc["negotiated"] + doc["data"] if "check" in c]
    check(checks and all(c["ok"] for c in checks), what + ": every certificate and data check passed", checks)
    refused = {c["check"].split(" (")[0]: c.get("error") for c in doc["failures"] if "check" in c}
    check(refused == {"a wrong host name": "certificate_corrupt", "an expired certificate": "certificate_expired",
                      "a record changed in transit": "bad_record_mac"},
          what + ": the failures are refused for their reasons", refused)
    data = [d for d in doc["data"] if "message" in d]
    check([d["message"] for d in data] == ["KeyUpdate", "KeyUpdate"], what + ": a KeyUpdate each way", data)
    resumed = [(m["from"], m["message"]) for m in doc["resumption"] if "message" in m]
    check(resumed == [("client", "ClientHello"), ("server", "ServerHello"), ("server", "EncryptedExtensions"),
                      ("server", "Finished"), ("client", "Finished"), ("server", "NewSessionTicket")],
          what + ": the resumed handshake has no Certificate or CertificateVerify", resumed)
    hello = [m for m in doc["resumption"] if m.get("message") == "ClientHello"]
    check(hello and "pre_shared_key" in hello[0]["fields"]["extensions"], what + ": the ClientHello offers the PSK")
    check(any(c.get("check") == "resumed" and c["ok"] for c in doc["resumption"]), what + ": both sides resumed")


check_run([], hashlib.sha256, "default (AES-128-GCM, x25519, ECDSA)", 32)
check_run(["--suite", "TLS_AES_256_GCM_SHA384", "--group", "secp256r1"], hashlib.sha384,
          "AES-256-GCM-SHA384 over secp256r1", 32)
check_run(["--suite", "TLS_CHACHA20_POLY1305_SHA256"], hashlib.sha256, "ChaCha20-Poly1305", 32)
if wrapper:
    print("not run under %s: --cert rsa (an RSA-2048 key generation takes minutes under qemu)" % wrapper[0])
else:
    check_run(["--cert", "rsa"], hashlib.sha256, "RSA-2048 server certificate", 32)

r = run("--plain")
check(r.returncode == 0 and "\033[" not in r.stdout and "== 2. The handshake" in r.stdout,
      "--plain: text without colour", r.stdout[-500:] + r.stderr)
r = run("--group", "x448")
check(r.returncode != 0, "an unknown group is refused", r.stdout)

print("%d failed" % failures)
sys.exit(1 if failures else 0)
