#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Checks what a firmware-shaped link pulled out of libpadlock.a (see firmware_subset.cpp): the
# algorithms it uses are there, the ones it does not use are not (the portable verification brings
# neither the P-256 fixed-base comb nor its table, the x86 one only the MULX backend's; no
# function-local static brings a guard), and it prints the text size. tests/firmware/ does the same for Cortex-M4, with a size budget.
set -eu
exe="$1"
syms=$(nm -C "$exe")
fail=0
for want in 'padlock::x25519' 'padlock::AesGcm::seal' 'padlock::ecdsa_p256_verify_digest_p1363'; do
    echo "$syms" | grep -q "$want" || { echo "missing: $want"; fail=1; }
done
for unwanted in 'padlock::Rsa' 'padlock::rsa_' 'padlock::bn::' 'padlock::ChaCha20Poly1305' \
                'padlock::chacha20' 'padlock::Poly1305' 'padlock::ecdsa_p256_sign' 'padlock::Sha1' \
                'padlock::p256::point_mul_base' '__cxa_guard_acquire'; do
    if echo "$syms" | grep -q "$unwanted"; then echo "pulled in although unused: $unwanted"; fail=1; fi
done
size "$exe" | tail -n 1 | awk '{print "text " $1 " bytes, data " $2 ", bss " $3}'
exit $fail
