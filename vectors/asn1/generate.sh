#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Regenerates the asn1 samples with the openssl CLI (run once; the outputs are committed as data).
# expected.json holds the fields as printed by `openssl pkey -text` / `openssl asn1parse`, so the
# tests compare our parser against OpenSSL, never against our own output.
set -eu
cd "$(dirname "$0")"
o=openssl

# RSA 2048: PKCS#8, PKCS#1 private, SPKI, PKCS#1 public; DER and PEM.
$o genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2048_pkcs8.pem
$o pkcs8 -topk8 -nocrypt -in rsa2048_pkcs8.pem -outform DER -out rsa2048_pkcs8.der
$o rsa -in rsa2048_pkcs8.pem -traditional -out rsa2048_pkcs1.pem
$o rsa -in rsa2048_pkcs8.pem -traditional -outform DER -out rsa2048_pkcs1.der
$o pkey -in rsa2048_pkcs8.pem -pubout -out rsa2048_spki.pem
$o pkey -in rsa2048_pkcs8.pem -pubout -outform DER -out rsa2048_spki.der
$o rsa -in rsa2048_pkcs8.pem -RSAPublicKey_out -out rsa2048_pkcs1_pub.pem
$o rsa -in rsa2048_pkcs8.pem -RSAPublicKey_out -outform DER -out rsa2048_pkcs1_pub.der

# RSASSA-PSS key restricted to SHA-256 / MGF1-SHA-256 / salt 32 (RFC 4055 parameters in the SPKI).
$o genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -pkeyopt rsa_pss_keygen_md:sha256 \
    -pkeyopt rsa_pss_keygen_mgf1_md:sha256 -pkeyopt rsa_pss_keygen_saltlen:32 -out rsapss2048_pkcs8.pem
$o pkcs8 -topk8 -nocrypt -in rsapss2048_pkcs8.pem -outform DER -out rsapss2048_pkcs8.der
$o pkey -in rsapss2048_pkcs8.pem -pubout -outform DER -out rsapss2048_spki.der

# P-256 and P-384: SEC1 (with named curve and public key), PKCS#8, SPKI.
for c in p256:prime256v1 p384:secp384r1; do
    n=${c%%:*}; curve=${c#*:}
    $o genpkey -algorithm EC -pkeyopt ec_paramgen_curve:$curve -pkeyopt ec_param_enc:named_curve -out ${n}_pkcs8.pem
    $o pkcs8 -topk8 -nocrypt -in ${n}_pkcs8.pem -outform DER -out ${n}_pkcs8.der
    $o ec -in ${n}_pkcs8.pem -out ${n}_sec1.pem
    $o ec -in ${n}_pkcs8.pem -outform DER -out ${n}_sec1.der
    $o pkey -in ${n}_pkcs8.pem -pubout -out ${n}_spki.pem
    $o pkey -in ${n}_pkcs8.pem -pubout -outform DER -out ${n}_spki.der
done

# X25519 and Ed25519 (RFC 8410): PKCS#8 and SPKI.
for n in x25519 ed25519; do
    $o genpkey -algorithm $n -out ${n}_pkcs8.pem
    $o pkcs8 -topk8 -nocrypt -in ${n}_pkcs8.pem -outform DER -out ${n}_pkcs8.der
    $o pkey -in ${n}_pkcs8.pem -pubout -out ${n}_spki.pem
    $o pkey -in ${n}_pkcs8.pem -pubout -outform DER -out ${n}_spki.der
done

# A DER ECDSA signature (Ecdsa-Sig-Value) with the P-256 key.
printf 'padlock asn1 sample message\n' > ecdsa_message.txt
$o dgst -sha256 -sign p256_pkcs8.pem -out ecdsa_p256_sha256.sig ecdsa_message.txt

# A PEM file with several blocks and explanatory text between them (RFC 7468 §5.2).
{ echo "Explanatory text before the first block."; cat p256_spki.pem; echo; echo "Comment line"; \
  cat rsa2048_spki.pem; cat ed25519_pkcs8.pem; } > multi.pem

python3 expected.py > expected.json
