#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Checks what an ECDSA-P-256-only verifier (ecdsa_only.cpp) pulled out of libpadlock.a: the P-256
# verifier, the CRL code it uses (certificate and CRL parsing, scope, freshness, lookup) and full
# path validation (build_path through the P-256-only SignatureVerifier) are there; RSA, the bignum
# code, P-384, the other entry-point verifiers and the verify_signature switch are not.
set -eu
syms=$(nm -C "$1")
fail=0
for want in 'padlock::asn1::verify_ecdsa_p256' 'padlock::ecdsa_p256_verify_digest' 'padlock::x509::parse_crl' \
            'padlock::x509::parse_certificate' 'padlock::x509::crl_covers' 'padlock::x509::check_crl_time' \
            'padlock::x509::find_revoked' 'padlock::x509::build_path' 'padlock::x509::check_revocation' \
            'padlock::x509::verify_signed_by' 'padlock::x509::verify_hostname' \
            'padlock::asn1::verify_signature_ecdsa_p256_only'; do
    echo "$syms" | grep -q "$want" || { echo "missing: $want"; fail=1; }
done
# verify_signature( with its parenthesis: verify_signature_ecdsa_p256_only is wanted.
for unwanted in 'padlock::RsaPublicKey' 'padlock::RsaPrivateKey' 'padlock::rsa_' 'padlock::bn::' \
                'padlock::asn1::verify_rsa' 'padlock::asn1::verify_signature(' 'padlock::asn1::verify_ecdsa_p384' \
                'padlock::p384::' 'padlock::ecdsa_p384' 'padlock::ec::.*p384'; do
    if echo "$syms" | grep -q "$unwanted"; then echo "pulled in although unused: $unwanted"; fail=1; fi
done
size "$1" | tail -n 1 | awk '{print "text " $1 " bytes, data " $2 ", bss " $3}'
exit $fail
