#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Regenerates the seed corpora under tests/fuzz/corpus/<harness>/ from the project's vectors
# (vectors/) and a few Wycheproof cases: small inputs in each harness's layout (tests/fuzz/fuzz.hpp:
# a field is a 2-byte big-endian length and its bytes). Deterministic: the same files every run.
# usage: tests/fuzz/make_corpus.py [WYCHEPROOF_TESTVECTORS_V1_DIR]
import hashlib
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
VECTORS = os.path.join(ROOT, 'vectors')


def wycheproof_dir():
    if len(sys.argv) > 1:
        return sys.argv[1]
    for d in (os.path.join(VECTORS, 'wycheproof', 'testvectors_v1'),
              os.path.join(ROOT, '..', 'shared', 'wycheproof', 'testvectors_v1')):
        if os.path.isdir(d):
            return d
    sys.exit('make_corpus.py: no Wycheproof testvectors_v1 directory; pass it as the argument')


WP = wycheproof_dir()
corpora = {}


def seed(harness, name, data):
    corpora.setdefault(harness, {})[name] = bytes(data)


def field(b):
    assert len(b) < 65536
    return len(b).to_bytes(2, 'big') + bytes(b)


def pad(b, n):
    return bytes(b) + bytes(n - len(b))


def stream(label, n):
    """n pseudo-random bytes named by label (repeatable)."""
    out = b''
    i = 0
    while len(out) < n:
        out += hashlib.sha256(f'{label}/{i}'.encode()).digest()
        i += 1
    return out[:n]


def wp(name):
    with open(os.path.join(WP, name)) as f:
        return json.load(f)


def wp_tests(name, per_result):
    """Up to per_result cases of each result (valid, invalid, acceptable), in file order."""
    j = wp(name)
    taken = {}
    for g in j['testGroups']:
        for t in g['tests']:
            if taken.get(t['result'], 0) < per_result:
                taken[t['result']] = taken.get(t['result'], 0) + 1
                yield g, t


def asn1_sample(name):
    with open(os.path.join(VECTORS, 'asn1', name), 'rb') as f:
        return f.read()


ASN1_DER = sorted(n for n in os.listdir(os.path.join(VECTORS, 'asn1')) if n.endswith('.der') or n.endswith('.sig'))
ASN1_PEM = sorted(n for n in os.listdir(os.path.join(VECTORS, 'asn1')) if n.endswith('.pem'))

# --- der: one element of each kind the Reader reads, plus whole structures -------------------------
for name, hx in [('integer-zero', '020100'), ('integer-sign-octet', '02020080'), ('integer-long', '0209' + '01' * 9),
                 ('oid-ecpublickey', '06072a8648ce3d0201'), ('oid-big-arc', '0609' + '8f' * 8 + '01'),
                 ('oid-2.999', '0602883703'), ('bitstring-unused', '03020780'), ('bitstring-octets', '0303000102'),
                 ('bool-true', '0101ff'), ('null', '0500'), ('printable', '1305' + b'Ab 1?'.hex()),
                 ('ia5', '1603' + b'a@b'.hex()), ('utf8', '0c04' + 'é€'.encode().hex()[:8]),
                 ('utctime', '170d' + b'491231235959Z'.hex()), ('gentime-2050', '180f' + b'20500101000000Z'.hex()),
                 ('gentime-2024', '180f' + b'20240229120000Z'.hex()), ('long-form-length', '0481' + '80' + '00' * 128),
                 ('nested', '3009300702010102020100'), ('context-tags', 'a0030201018001ff'),
                 ('octet-string', '0403010203')]:
    seed('der', name, bytes.fromhex(hx))
for n in ASN1_DER:
    seed('der', n, asn1_sample(n)[:2048])

# --- pem ---------------------------------------------------------------------------------------
for n in ASN1_PEM:
    if os.path.getsize(os.path.join(VECTORS, 'asn1', n)) <= 2500:
        seed('pem', n, asn1_sample(n))
seed('pem', 'crlf-blanks', b'-----BEGIN A B-C-----\r\nAQ \r\nID\t\r\n-----END A B-C-----')
seed('pem', 'empty-label', b'-----BEGIN -----\nAQID\n-----END -----\n')
seed('pem', 'label-line', b'X509 CRL\nAQID')
for i, (g, t) in enumerate(wp_tests('x25519_pem_test.json', 3)):
    seed('pem', f'wp-x25519-pem-{t["tcId"]}', (t['public'] + t['private']).encode())

# --- keys: every key sample, Wycheproof SPKIs and signatures -------------------------------------
for n in ASN1_DER:
    seed('keys', n, asn1_sample(n)[:3000])
k32 = bytes(range(0xa0, 0xc0)).hex()
for name, hx in [('pkcs8-v1-no-public', '302e020101300506032b656e04220420' + k32),
                 ('pkcs8-empty-attributes', '3030020100300506032b656e04220420' + k32 + 'a000'),
                 ('pkcs8-v1-public', '3051020101300506032b656e04220420' + k32 + '812100' + k32)]:
    seed('keys', name, bytes.fromhex(hx))
for g, t in wp_tests('x25519_asn_test.json', 3):
    seed('keys', f'wp-x25519-asn-{t["tcId"]}-public', bytes.fromhex(t['public']))
for g, t in wp_tests('ecdh_secp256r1_test.json', 3):
    seed('keys', f'wp-ecdh-spki-{t["tcId"]}', bytes.fromhex(t['public']))
for g, t in wp_tests('rsa_pss_misc_params_test.json', 2):
    seed('keys', f'wp-pss-params-{t["tcId"]}', bytes.fromhex(g['publicKeyDer']))
for g, t in wp_tests('ecdsa_secp256r1_sha256_test.json', 3):
    seed('keys', f'wp-ecdsa-sig-{t["tcId"]}', bytes.fromhex(t['sig']))

# --- ecdsa: Wycheproof cases (any-input mode) and signed-then-flipped cases ----------------------
for g, t in wp_tests('ecdsa_secp256r1_sha256_test.json', 10):
    pub = bytes.fromhex(g['publicKey']['uncompressed'])
    digest = hashlib.sha256(bytes.fromhex(t['msg'])).digest()
    seed('ecdsa', f'wp-ecdsa-{t["tcId"]}-{t["result"]}', b'\x00' + field(pub) + field(digest) + bytes.fromhex(t['sig']))
for i in range(6):
    mode = 1 | (2 if i % 2 else 0)
    flips = b'' if i < 2 else stream(f'ecdsa-flip-{i}', 2 * (i - 1))
    seed('ecdsa', f'tampered-{i}', bytes([mode]) + stream(f'ecdsa-priv-{i}', 32) + stream(f'ecdsa-digest-{i}', 32) + flips)

# --- rsa: Wycheproof PKCS #1 v1.5 and PSS cases --------------------------------------------------
HASH_INDEX = {'SHA-1': 0, 'SHA-224': 1, 'SHA-256': 2, 'SHA-384': 3, 'SHA-512': 4}


def rsa_seed(name, mode, hash_name, mgf_name, salt, key, t):
    n = bytes.fromhex(key['modulus'])
    e = bytes.fromhex(key['publicExponent'])
    seed('rsa', name, bytes([mode, HASH_INDEX[hash_name], HASH_INDEX[mgf_name], salt]) + field(n) + field(e) +
         field(bytes.fromhex(t['msg'])) + bytes.fromhex(t['sig']))


for f in ('rsa_signature_2048_sha256_test.json', 'rsa_signature_3072_sha512_test.json'):
    for g, t in wp_tests(f, 4):
        rsa_seed(f'wp-{f[:-10]}-{t["tcId"]}', 0, g['sha'], g['sha'], 0, g['publicKey'], t)
for f in ('rsa_pss_2048_sha256_mgf1_32_test.json', 'rsa_pss_2048_sha256_mgf1_0_test.json',
          'rsa_pss_4096_sha512_mgf1_64_test.json'):
    for g, t in wp_tests(f, 3):
        rsa_seed(f'wp-{f[:-10]}-{t["tcId"]}', 1, g['sha'], g['mgfSha'], g['sLen'], g['publicKey'], t)

# --- point: Wycheproof ECDH points, compressed and not -------------------------------------------
for g, t in wp_tests('ecdh_secp256r1_ecpoint_test.json', 8):
    priv = int(t['private'], 16).to_bytes(32, 'big')
    seed('point', f'wp-ecpoint-{t["tcId"]}-{t["result"]}', priv + bytes.fromhex(t['public']))
seed('point', 'compressed-generator', bytes([1] * 32) + bytes.fromhex(
    '036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296'))

# --- x25519: RFC 7748 known answers ---------------------------------------------------------------
with open(os.path.join(VECTORS, 'rfc7748.json')) as f:
    rfc7748 = json.load(f)
for i, v in enumerate(rfc7748['scalarmult']):
    seed('x25519', f'rfc7748-{i}', bytes.fromhex(v['scalar']) + bytes.fromhex(v['u']) + stream(f'x25519-{i}', 32))
for g, t in wp_tests('x25519_test.json', 4):
    seed('x25519', f'wp-x25519-{t["tcId"]}', bytes.fromhex(t['private']) + bytes.fromhex(t['public']) +
         stream(f'x25519-wp-{t["tcId"]}', 32))

# --- aead: Wycheproof cases to open, and seal-then-flip cases -----------------------------------
def aead_alg(chacha, t):
    key_len, iv_len = len(t['key']) // 2, len(t['iv']) // 2
    if chacha:
        return 2 if iv_len == 12 else None
    if iv_len == 12 and key_len in (16, 32):
        return 0 if key_len == 16 else 1
    if 1 <= iv_len <= 32 and key_len in (16, 24, 32):
        return {16: 3, 24: 4, 32: 5}[key_len]
    return None


for f in ('aes_gcm_test.json', 'chacha20_poly1305_test.json'):
    count = 0
    for g in wp(f)['testGroups']:
        if g['tagSize'] != 128:
            continue
        for t in (g['tests'][::25] if f.startswith('chacha') else g['tests'][:1]):
            alg = aead_alg(f.startswith('chacha'), t)
            if alg is None or len(t['msg']) > 512 or count >= 16:
                continue
            iv = bytes.fromhex(t['iv'])
            seed('aead', f'wp-{f[:-10]}-{t["tcId"]}-{t["result"]}',
                 bytes([alg << 1]) + pad(bytes.fromhex(t['key']), 32) + pad(iv, 32) + bytes([len(iv) - 1]) +
                 field(bytes.fromhex(t['aad'])) + bytes.fromhex(t['ct'] + t['tag']))
            count += 1
for alg in range(6):
    for i in range(2):
        flips = b'' if i == 0 else stream(f'aead-flip-{alg}', 3)
        seed('aead', f'tampered-{alg}-{i}', bytes([alg << 1 | 1]) + stream(f'aead-key-{alg}', 32) +
             stream(f'aead-nonce-{alg}', 32) + bytes([11 + i]) + field(stream(f'aead-aad-{alg}', 5 * i)) +
             field(stream(f'aead-pt-{alg}-{i}', 17 + 40 * i)) + bytes([0]) + flips)

# fuzz_x509: leaf ‖ CRL ‖ flags ‖ intermediates (fuzz_x509.cpp), from the committed PKI of
# vectors/x509/make_pki.sh (whose root the harness compiles in: x509_root.hpp, written here) and a
# few certificates and CRLs the test generators made (tests/fuzz/x509/gen_certs_*, gen_chains_*:
# parse-only seeds).
X509 = os.path.join(HERE, 'x509')


def der(name):
    for d in (os.path.join(VECTORS, 'x509'), X509):
        if os.path.exists(os.path.join(d, name + '.der')):
            with open(os.path.join(d, name + '.der'), 'rb') as f:
                return f.read()
    raise FileNotFoundError(name)


root = der('root')
with open(os.path.join(HERE, 'x509_root.hpp'), 'w') as f:
    f.write('// SPDX-License-Identifier: Apache-2.0\n'
            '// vectors/x509/root.der as bytes: fuzz_x509\'s one trust anchor. Written by\n'
            '// tests/fuzz/make_corpus.py; do not edit.\n#pragma once\n\n#include <cstdint>\n\n'
            'namespace padlock::fuzz {\n\ninline constexpr std::uint8_t x509_root[] = {')
    for i, b in enumerate(root):
        f.write(('\n    ' if i % 16 == 0 else ' ') + f'0x{b:02x},')
    f.write('\n};\n\n}  // namespace padlock::fuzz\n')
for flags in range(16):
    seed('x509', f'leaf-inter-{flags}', field(der('leaf')) + field(der('crl_inter')) + bytes([flags]) + field(der('inter')))
seed('x509', 'leaf-rsa', field(der('leaf_rsa')) + field(der('crl_root')) + bytes([1]) + field(der('inter_rsa')))
seed('x509', 'leaf-rsa-require', field(der('leaf_rsa')) + field(der('crl_root')) + bytes([2]) + field(der('inter_rsa')))
seed('x509', 'inter-as-leaf', field(der('inter')) + field(der('crl_root')) + bytes([2]))
seed('x509', 'root-as-leaf', field(root) + field(b'') + bytes([0]))
seed('x509', 'rsa-chain', field(der('rsa_leaf')) + field(b'') + bytes([8]) + field(der('rsa_inter')) + field(der('rsa_root')))
seed('x509', 'both-inters', field(der('leaf')) + field(der('crl_inter')) + bytes([9]) + field(der('inter_rsa')) +
     field(der('leaf_rsa')) + field(der('inter')))
for name in sorted(os.listdir(X509)):
    if name.startswith('gen_certs_'):
        seed('x509', name[:-4], field(der(name[:-4])) + field(der('crl_root')) + bytes([1]))
    elif name.startswith('gen_chains_'):
        seed('x509', name[:-4], field(der('leaf')) + field(der(name[:-4])) + bytes([1]) + field(der('inter')))
# --- trust_store: flags ‖ PEM text, or flags ‖ DER fields (fuzz_trust_store.cpp): bundles of the
# committed PKI's certificates, with the mistakes a bundle file has (a key block, a duplicate, a
# truncated block, text between blocks), and DER lists.
def pem(label, der_bytes):
    import base64
    b64 = base64.b64encode(der_bytes).decode()
    lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    return (f'-----BEGIN {label}-----\n' + '\n'.join(lines) + f'\n-----END {label}-----\n').encode()


bundle = [der(n) for n in ('inter', 'inter_rsa', 'rsa_root', 'rsa_inter')]
good = b''.join(pem('CERTIFICATE', d) for d in bundle)
for flags in (0, 1, 4, 8, 16, 17, 32):
    seed('trust_store', f'pem-bundle-{flags}', bytes([flags]) + good)
seed('trust_store', 'pem-with-root', bytes([1]) + pem('CERTIFICATE', root) + good)
seed('trust_store', 'pem-comments', bytes([0]) + b'# Debian bundle\nsubject=CN=Inter\n' + pem('CERTIFICATE', bundle[0]) +
     b'\n\nissuer=...\n' + pem('CERTIFICATE', bundle[1]))
seed('trust_store', 'pem-key-block', bytes([0]) + pem('CERTIFICATE', bundle[0]) + pem('PRIVATE KEY', stream('key', 48)))
seed('trust_store', 'pem-duplicate', bytes([0]) + pem('CERTIFICATE', bundle[0]) * 2)
seed('trust_store', 'pem-truncated', bytes([0]) + good[:len(good) // 2])
seed('trust_store', 'pem-not-der', bytes([0]) + pem('CERTIFICATE', stream('not-der', 40)))
seed('trust_store', 'pem-empty', bytes([0]) + b'no blocks here\n')
for flags in (2, 3, 18, 34):
    seed('trust_store', f'der-list-{flags}', bytes([flags]) + b''.join(field(d) for d in bundle))
seed('trust_store', 'der-with-bad', bytes([2]) + field(bundle[0]) + field(bundle[1][:-1]) + field(bundle[2]))
seed('trust_store', 'der-duplicate', bytes([3]) + field(root) + field(bundle[0]))
# --- tls_auth: tickets and cookies (any bytes, seal-then-flip), RFC 8448 Certificate messages with
# their own certificate as the anchor, RFC 8448 §4's ClientHello with its binder -----------------
def rfc8448(trace, actor, action, name):
    with open(os.path.join(VECTORS, 'rfc8448', trace)) as f:
        for s in json.load(f)['steps']:
            if s['actor'] == actor and s['action'].startswith(action):
                return bytes.fromhex(s['fields'][name])
    sys.exit(f'make_corpus.py: no {actor} {action} in {trace}')


seed('tls_auth', 'ticket-any', bytes([0]) + stream('ticket-any', 120))
seed('tls_auth', 'cookie-any', bytes([2]) + field(b'') + stream('cookie-any', 83))
for i in range(3):
    flips = b'' if i == 0 else stream(f'ticket-flip-{i}', 3 * i)
    seed('tls_auth', f'ticket-flip-{i}', bytes([1, i, i & 1]) + field(stream(f'rms-{i}', 48)) + field(bytes([0, i])) +
         field(b'h2' * i) + field(b'example.com'[:4 * i]) + bytes([0x1c, 0x20]) + bytes([i]) + flips)
    seed('tls_auth', f'cookie-flip-{i}', bytes([3, i, 0x13, 0x01, 0x00, 0x17, 5, i & 1]) + stream(f'ch1-{i}', 48) +
         field(bytes([192, 0, 2, i])) + bytes([i]) + flips)
when = (1577836800).to_bytes(8, 'big')  # 2020-01-01, inside the RFC 8448 certificates' validity
for trace, actor in (('simple_1rtt.json', 'server'), ('client_auth.json', 'server'), ('client_auth.json', 'client')):
    msg = rfc8448(trace, actor, 'construct a Certificate handshake message', 'Certificate')
    body = msg[4:]
    leaf = body[1 + 3 + 3:1 + 3 + 3 + int.from_bytes(body[4:7], 'big')]
    for flags in (0, 1, 2):
        seed('tls_auth', f'certificate-{trace[:-5]}-{actor}-{flags}', bytes([4, flags]) + when + field(leaf) + body)
seed('tls_auth', 'binders-rfc8448-4', bytes([5]) + rfc8448('resumed_0rtt.json', 'client', 'send handshake record', 'payload'))

for harness, files in sorted(corpora.items()):
    d = os.path.join(HERE, 'corpus', harness)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for name, data in sorted(files.items()):
        with open(os.path.join(d, name), 'wb') as f:
            f.write(data)
    print(f'{harness}: {len(files)} seeds, {sum(map(len, files.values()))} bytes')
