#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# RFC 8448 covers only TLS_AES_128_GCM_SHA256. For TLS_AES_256_GCM_SHA384 and
# TLS_CHACHA20_POLY1305_SHA256 this script computes the RFC 8446 §7.1 key schedule, §4.4.4 Finished,
# §4.6.1 resumption PSK, §7.2 key update, §7.3 traffic keys and §5.2/§5.3 records with OpenSSL, not
# with padlock: every HKDF step through the `openssl kdf` command (TLS13-KDF for HKDF-Expand-Label,
# HKDF EXTRACT_ONLY for HKDF-Extract), HMAC through `openssl mac`, hashes through `openssl dgst`, and
# the record AEADs through pyca/cryptography (AESGCM, ChaCha20Poly1305; OpenSSL underneath). The
# inputs (PSK, shared secret, handshake messages) are fixed bytes chosen here; they need not be a
# real handshake, only the same inputs for both implementations.
# Run: python3 vectors/rfc8448/openssl_cross_check.py > vectors/rfc8448/openssl_cross_check.json
import hashlib
import json
import subprocess
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305


def run(args, stdin=b""):
    out = subprocess.run(args, input=stdin, capture_output=True, check=True).stdout.decode().strip()
    return bytes.fromhex(out.replace(":", ""))


def extract(digest, salt, ikm):
    size = hashlib.new(digest).digest_size
    return run(["openssl", "kdf", "-keylen", str(size), "-kdfopt", f"digest:{digest.upper()}",
                "-kdfopt", "mode:EXTRACT_ONLY", "-kdfopt", f"hexkey:{ikm.hex()}",
                "-kdfopt", f"hexsalt:{salt.hex()}", "HKDF"])


def expand_label(digest, secret, label, context, length):
    return run(["openssl", "kdf", "-keylen", str(length), "-kdfopt", f"digest:{digest.upper()}",
                "-kdfopt", "mode:EXPAND_ONLY", "-kdfopt", f"hexkey:{secret.hex()}",
                "-kdfopt", "prefix:tls13 ", "-kdfopt", f"label:{label}",
                "-kdfopt", f"hexdata:{context.hex()}", "TLS13-KDF"])


def hmac(digest, key, msg):
    return run(["openssl", "mac", "-digest", digest.upper(), "-macopt", f"hexkey:{key.hex()}", "HMAC"], msg)


def dgst(digest, data):
    out = subprocess.run(["openssl", "dgst", f"-{digest}", "-r"], input=data, capture_output=True, check=True)
    return bytes.fromhex(out.stdout.decode().split()[0])


def record(aead, iv, seq, content_type, content, padding):
    inner = content + bytes([content_type]) + bytes(padding)
    header = bytes([23, 3, 3]) + (len(inner) + 16).to_bytes(2, "big")
    nonce = bytes(a ^ b for a, b in zip(iv, seq.to_bytes(12, "big")))
    return {"sequence": seq, "type": content_type, "content": content.hex(), "padding": padding,
            "record": (header + aead.encrypt(nonce, inner, header)).hex()}


def suite(name, digest, key_size, aead_class, psk):
    size = hashlib.new(digest).digest_size
    zeros = bytes(size)
    ecdhe = hashlib.sha256(b"padlock cross-check shared secret").digest()
    ch = b"\x01\x00\x00\x20" + hashlib.sha256(b"client hello").digest()
    sh = b"\x02\x00\x00\x20" + hashlib.sha256(b"server hello").digest()
    flight = b"\x08\x00\x00\x02\x00\x00" + b"\x14\x00\x00\x05hello"
    cf = b"\x14\x00\x00\x03abc"
    h = {"ch": dgst(digest, ch), "ch_sh": dgst(digest, ch + sh), "ch_sf": dgst(digest, ch + sh + flight),
         "ch_cf": dgst(digest, ch + sh + flight + cf), "empty": dgst(digest, b"")}
    v = {"suite": name, "psk": psk.hex(), "shared_secret": ecdhe.hex(),
         "messages": {"client_hello": ch.hex(), "server_hello": sh.hex(), "server_flight": flight.hex(),
                      "client_finished": cf.hex()},
         "transcript_hashes": {k: x.hex() for k, x in h.items()}}
    early = extract(digest, zeros, psk if psk else zeros)
    s = {"early_secret": early}
    s["binder_key"] = expand_label(digest, early, "res binder", h["empty"], size)
    s["client_early_traffic_secret"] = expand_label(digest, early, "c e traffic", h["ch"], size)
    s["early_exporter_master_secret"] = expand_label(digest, early, "e exp master", h["ch"], size)
    hs = extract(digest, expand_label(digest, early, "derived", h["empty"], size), ecdhe)
    s["handshake_secret"] = hs
    s["client_handshake_traffic_secret"] = expand_label(digest, hs, "c hs traffic", h["ch_sh"], size)
    s["server_handshake_traffic_secret"] = expand_label(digest, hs, "s hs traffic", h["ch_sh"], size)
    master = extract(digest, expand_label(digest, hs, "derived", h["empty"], size), zeros)
    s["master_secret"] = master
    s["client_application_traffic_secret_0"] = expand_label(digest, master, "c ap traffic", h["ch_sf"], size)
    s["server_application_traffic_secret_0"] = expand_label(digest, master, "s ap traffic", h["ch_sf"], size)
    s["exporter_master_secret"] = expand_label(digest, master, "exp master", h["ch_sf"], size)
    s["resumption_master_secret"] = expand_label(digest, master, "res master", h["ch_cf"], size)
    fk = expand_label(digest, s["client_handshake_traffic_secret"], "finished", b"", size)
    s["client_finished_key"] = fk
    s["client_verify_data"] = hmac(digest, fk, h["ch_sf"])
    s["ticket_nonce"] = b"\x00\x01"
    s["resumption_psk"] = expand_label(digest, s["resumption_master_secret"], "resumption", b"\x00\x01", size)
    s["client_application_traffic_secret_1"] = expand_label(
        digest, s["client_application_traffic_secret_0"], "traffic upd", b"", size)
    v["secrets"] = {k: x.hex() for k, x in s.items()}
    records = []
    for secret_name in ("server_application_traffic_secret_0", "client_application_traffic_secret_1"):
        key = expand_label(digest, s[secret_name], "key", b"", key_size)
        iv = expand_label(digest, s[secret_name], "iv", b"", 12)
        aead = aead_class(key)
        records.append({"traffic_secret": secret_name, "key": key.hex(), "iv": iv.hex(), "records": [
            record(aead, iv, 0, 23, b"hello, world", 0),
            record(aead, iv, 1, 22, bytes(range(30)), 7),
            record(aead, iv, 2, 21, b"\x01\x00", 0),
        ]})
    v["record_keys"] = records
    return v


ossl = subprocess.run(["openssl", "version"], capture_output=True, check=True).stdout.decode().strip()
doc = {
    "source": f"computed by vectors/rfc8448/openssl_cross_check.py with {ossl} (openssl kdf TLS13-KDF / HKDF, "
              "openssl mac HMAC, openssl dgst) and pyca/cryptography AEADs; not from RFC 8448",
    "suites": [
        suite("TLS_AES_256_GCM_SHA384", "sha384", 32, AESGCM, bytes(range(48))),
        suite("TLS_CHACHA20_POLY1305_SHA256", "sha256", 32, ChaCha20Poly1305, b""),
    ],
}
json.dump(doc, sys.stdout, indent=1)
sys.stdout.write("\n")
