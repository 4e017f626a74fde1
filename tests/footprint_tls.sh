#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Checks what the firmware-shaped TLS link pulled out of libpadlock.a (see firmware_tls.cpp): the
# AES-128-GCM/SHA-256 record layer, key schedule and transcript are there; ChaCha20-Poly1305,
# SHA-384/512, the other two suites' descriptors and RSA are not. Prints the text size.
set -eu
exe="$1"
syms=$(nm -C "$exe")
fail=0
for want in 'padlock::tls::RecordLayer::seal' 'padlock::tls::RecordLayer::open' \
            'padlock::tls::KeySchedule::derive_handshake_secret' 'padlock::tls::Transcript::update' \
            'padlock::tls::tls_aes_128_gcm_sha256' 'padlock::tls::sha256_ops' 'padlock::AesGcm::seal' \
            'padlock::x25519' 'padlock::ecdsa_p256_verify_digest_p1363'; do
    echo "$syms" | grep -q "$want" || { echo "missing: $want"; fail=1; }
done
# Case-insensitive: any ChaCha20, Poly1305, SHA-384 or SHA-512 symbol (functions, descriptors, states),
# which also catches the TLS_AES_256_GCM_SHA384 and TLS_CHACHA20_POLY1305_SHA256 descriptors.
for unwanted in 'chacha' 'poly1305' 'sha384' 'sha512' 'padlock::Rsa' 'padlock::rsa_' \
                'padlock::bn::' 'padlock::Sha1' 'padlock::AnyHash' 'padlock::ecdsa_p256_sign'; do
    if echo "$syms" | grep -qi -- "$unwanted"; then
        echo "pulled in although unused: $unwanted"
        echo "$syms" | grep -i -- "$unwanted" | head -5
        fail=1
    fi
done
size "$exe" | tail -n 1 | awk '{print "text " $1 " bytes, data " $2 ", bss " $3}'
exit $fail
