#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Checks what a firmware-shaped TLS link pulled out of libpadlock.a (GUIDE.md "Pay only for what you
# link"). Prints the text size.
#   footprint_tls.sh EXE            the record-layer floor (firmware_tls.cpp): the AES-128-GCM/SHA-256
#                                   record layer, key schedule and transcript are there; ChaCha20-Poly1305,
#                                   SHA-384/512, the other two suites' descriptors and RSA are not.
#   footprint_tls.sh --client EXE   the engine's client handshake (firmware_tls_client.cpp, AES-128-GCM +
#                                   x25519 + ECDSA P-256): no ChaCha20-Poly1305, no other suite, no other
#                                   key-share group, no server role, no signing code.
#   footprint_tls.sh --client-strict EXE   the same plus no RSA, SHA-384/512, P-384, AnyHash or
#                                   verify_signature switch at all: the client names
#                                   asn1::verify_signature_ecdsa_p256_sha256_only as its
#                                   Config::signature_verifier, which checks its chain and CertificateVerify.
set -eu
mode=floor
case "$1" in
--client) mode=client; shift ;;
--client-strict) mode=strict; shift ;;
esac
exe="$1"
syms=$(nm -C "$exe")
fail=0
want() {
    for w in "$@"; do
        echo "$syms" | grep -q -- "$w" || { echo "missing: $w"; fail=1; }
    done
}
unwanted() {
    for u in "$@"; do
        if echo "$syms" | grep -qi -- "$u"; then
            echo "pulled in although unused: $u"
            echo "$syms" | grep -i -- "$u" | head -5
            fail=1
        fi
    done
}
want 'padlock::tls::RecordLayer::seal' 'padlock::tls::RecordLayer::open' \
     'padlock::tls::KeySchedule::derive_handshake_secret' 'padlock::tls::Transcript::update' \
     'padlock::tls::tls_aes_128_gcm_sha256' 'padlock::tls::sha256_ops' 'padlock::AesGcm::seal' 'padlock::x25519'
# Case-insensitive: any ChaCha20 or Poly1305 symbol (functions, descriptors, states), which also
# catches the TLS_CHACHA20_POLY1305_SHA256 descriptor.
unwanted 'chacha' 'poly1305' 'tls_aes_256_gcm_sha384' 'sha384_ops'
if [ "$mode" = floor ]; then
    want 'padlock::ecdsa_p256_verify_digest_p1363'
    unwanted 'sha384' 'sha512' 'padlock::Rsa' 'padlock::rsa_' 'padlock::bn::' 'padlock::Sha1' 'padlock::AnyHash' \
             'padlock::ecdsa_p256_sign'
else
    want 'padlock::tls::Connection::start_client' 'padlock::tls::Connection::client_on_server_hello' \
         'padlock::tls::Connection::client_on_certificate_verify' 'padlock::tls::x25519_group' \
         'padlock::tls::verify_peer_certificate' 'padlock::asn1::verify_signature_ecdsa_p256_sha256_only'
    # The server role, the other group, and every signing function (a client without a certificate signs nothing).
    unwanted 'Connection::server_' 'Connection::start_server' 'secp256r1_group' 'secp384r1_group' 'padlock::ecdsa_p256_sign' \
             'padlock::rsa_pss_sign' 'padlock::rsa_pkcs1_sign' 'signing_key_rsa' 'signing_key_ecdsa_p256'
    if [ "$mode" = strict ]; then
        # The OID constants of asn1's algorithm and curve tables (a few bytes each: the parser names
        # what it refuses) are not code for those algorithms, so they are left out of this check.
        syms=$(echo "$syms" | grep -v 'padlock::asn1::oid::')
        unwanted 'sha384' 'sha512' 'padlock::Rsa' 'padlock::rsa_' 'padlock::bn::' 'padlock::AnyHash' 'p384' \
                 'padlock::asn1::verify_signature('
    fi
fi
size "$exe" | tail -n 1 | awk '{print "text " $1 " bytes, data " $2 ", bss " $3}'
exit $fail
