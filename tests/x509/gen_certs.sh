#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Generates the certificates test_x509 reads, with the openssl command-line tool, into the build
# directory (never committed), and writes what the test must find in them as openssl prints it:
# for each NAME, NAME.der (the certificate), NAME.issuer (name of the issuing certificate),
# NAME.text (`openssl x509 -text`), NAME.ext (`-ext` of the extensions tested), NAME.fields (serial, dates as unix
# seconds, version, signature algorithm) and NAME.verify (`openssl verify` of the chain).
# Also splits the system CA bundle and records each certificate's serial and dates (bundle.fields).
# Usage: gen_certs.sh OUTDIR [BUNDLE]
set -eu
out="$1"
bundle="${2:-/etc/ssl/certs/ca-certificates.crt}"
mkdir -p "$out"
cd "$out"
rm -f ./*.der ./*.pem ./*.key ./*.fields ./*.text ./*.ext ./*.dates ./*.issuer ./*.verify ./*.cnf ./*.csr ./*.srl
export OPENSSL_CONF=/dev/null  # the system configuration must not change what is generated

# fields NAME: what openssl says about NAME.pem, one "key value" per line.
fields() {
    name="$1"
    openssl x509 -in "$name.pem" -noout -serial -startdate -enddate > "$name.dates"
    openssl x509 -in "$name.pem" -noout -text > "$name.text"
    {
        echo "serial $(sed -n 's/^serial=//p' "$name.dates")"
        echo "not_before $(date -u -d "$(sed -n 's/^notBefore=//p' "$name.dates")" +%s)"
        echo "not_after $(date -u -d "$(sed -n 's/^notAfter=//p' "$name.dates")" +%s)"
        echo "version $(sed -n 's/^ *Version: \([0-9]\).*/\1/p' "$name.text" | head -n 1)"
        echo "signature_algorithm $(sed -n 's/^ *Signature Algorithm: *\([^ ]*\).*/\1/p' "$name.text" | head -n 1)"
        echo "public_key_algorithm $(sed -n 's/^ *Public Key Algorithm: *\([^ ]*\).*/\1/p' "$name.text" | head -n 1)"
    } > "$name.fields"
    openssl x509 -in "$name.pem" -outform DER -out "$name.der"
    # Every extension the test looks at, one block each: a header line, then indented values.
    openssl x509 -in "$name.pem" -noout -ext subjectAltName,basicConstraints,keyUsage,extendedKeyUsage,subjectKeyIdentifier,authorityKeyIdentifier,nameConstraints,certificatePolicies,crlDistributionPoints,authorityInfoAccess > "$name.ext" 2>/dev/null || true
}

# self_signed NAME KEYFILE DIGEST SUBJECT DAYS SERIAL EXTENSIONS-SECTION-TEXT [SIGOPTS...]
self_signed() {
    name="$1" key="$2" md="$3" subj="$4" days="$5" serial="$6" exts="$7"
    shift 7
    printf '[req]\ndistinguished_name=dn\n[dn]\n[ext]\n%b\n' "$exts" > "$name.cnf"
    digest="-$md"
    [ "$md" = none ] && digest=-noenc  # Ed25519 takes no digest; -noenc is a harmless placeholder
    openssl req -new -x509 -key "$key" "$digest" -subj "$subj" -days "$days" -set_serial "$serial" \
        -multivalue-rdn -utf8 -config "$name.cnf" -extensions ext "$@" -out "$name.pem"
    echo "$name" > "$name.issuer"
    fields "$name"
}

# issued NAME KEYFILE ISSUER DIGEST SUBJECT DAYS SERIAL EXTENSIONS-TEXT [SIGOPTS...]
# EXTENSIONS-TEXT "none" makes a v1 certificate (no extensions section at all).
issued() {
    name="$1" key="$2" issuer="$3" md="$4" subj="$5" days="$6" serial="$7" exts="$8"
    shift 8
    if [ "$exts" = none ]; then
        printf '[req]\ndistinguished_name=dn\n[dn]\n' > "$name.cnf"
    else
        printf '[req]\ndistinguished_name=dn\n[dn]\n[ext]\n%b\n' "$exts" > "$name.cnf"
    fi
    openssl req -new -key "$key" -subj "$subj" -multivalue-rdn -utf8 -config "$name.cnf" -out "$name.csr"
    if [ "$exts" = none ]; then
        openssl x509 -req -in "$name.csr" -CA "$issuer.pem" -CAkey "$issuer.key" "-$md" -days "$days" \
            -set_serial "$serial" "$@" -out "$name.pem" 2>/dev/null
    else
        openssl x509 -req -in "$name.csr" -CA "$issuer.pem" -CAkey "$issuer.key" "-$md" -days "$days" \
            -set_serial "$serial" -extfile "$name.cnf" -extensions ext "$@" -out "$name.pem" 2>/dev/null
    fi
    echo "$issuer" > "$name.issuer"
    fields "$name"
}

# --- keys ---
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa_root.key 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out rsa_leaf.key 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve -out p256_root.key
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve -out p256_leaf.key
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -pkeyopt ec_param_enc:named_curve -out p384_root.key
openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -pkeyopt rsa_pss_keygen_md:sha256 \
    -pkeyopt rsa_pss_keygen_mgf1_md:sha256 -pkeyopt rsa_pss_keygen_saltlen:32 -out pss_root.key 2>/dev/null
openssl genpkey -algorithm ED25519 -out ed25519_root.key

ca_exts='basicConstraints=critical,CA:TRUE,pathlen:1\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash'

# --- roots ---
# RSA root, 10000 days: notAfter after 2049, so GeneralizedTime (RFC 5280 §4.1.2.5).
self_signed rsa_root rsa_root.key sha256 "/C=US/O=Padlock Test/OU=Roots/CN=Padlock RSA Root" 10000 0x01 "$ca_exts"
# P-256 root with name constraints (permitted and excluded DNS, IPv4, IPv6, email, directory name).
self_signed p256_root p256_root.key sha256 "/C=DE/O=Padlock Test/CN=Padlock P-256 Root" 3650 0x7fffffffffffffffffffffffffffffffffffff01 \
    "$ca_exts\nnameConstraints=critical,permitted;DNS:example.com,permitted;IP:192.0.2.0/255.255.255.0,permitted;IP:2001:db8::/ffff:ffff::,permitted;email:example.com,permitted;dirName:nc_dir,excluded;DNS:bad.example.com\n[nc_dir]\nC=DE\nO=Padlock Test"
self_signed p384_root p384_root.key sha384 "/CN=Padlock P-384 Root/O=Padlock Test" 3650 12345 "$ca_exts"
self_signed pss_root pss_root.key sha256 "/CN=Padlock RSA-PSS Root" 3650 0x00ff "$ca_exts" \
    -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -sigopt rsa_mgf1_md:sha256
self_signed ed25519_root ed25519_root.key none "/CN=Padlock Ed25519 Root" 3650 77 "$ca_exts"

# --- leaves ---
leaf_exts='basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=serverAuth,clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\nsubjectAltName=DNS:www.example.com,DNS:*.api.example.com,DNS:xn--bcher-kva.example.com,IP:192.0.2.7,IP:2001:db8::17,email:ops@example.com,URI:https://www.example.com/id\ncertificatePolicies=2.23.140.1.2.1,@pol\ncrlDistributionPoints=URI:http://crl.example.com/root.crl\nauthorityInfoAccess=OCSP;URI:http://ocsp.example.com,caIssuers;URI:http://ca.example.com/root.der\n[pol]\npolicyIdentifier=1.3.6.1.4.1.55555.1\nCPS.1=https://cps.example.com\nuserNotice.1=@notice\n[notice]\nexplicitText=Padlock test policy'
# P-256 leaf under the P-256 root, signed with SHA-384 (ecdsa-with-SHA384 over P-256).
issued ec_leaf p256_leaf.key p256_root sha384 "/C=DE/O=Padlock Test/CN=www.example.com+serialNumber=42" 365 0x0a0b0c "$leaf_exts"
# RSA-3072 leaf under the RSA root, PKCS#1 v1.5 with SHA-512.
issued rsa_leaf rsa_leaf.key rsa_root sha512 "/C=US/ST=Some  State/O=Padlock Test/CN=rsa.example.org" 365 1000 \
    'basicConstraints=critical,CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:rsa.example.org,DNS:alt.example.org,IP:198.51.100.1\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid'
# RSA leaf under the RSA root, RSASSA-PSS signature with an rsaEncryption issuer key (rsa_pss_rsae).
issued pss_sig_leaf rsa_leaf.key rsa_root sha384 "/CN=pss.example.net" 30 0x2a \
    'subjectAltName=DNS:pss.example.net\nbasicConstraints=CA:FALSE' \
    -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:48 -sigopt rsa_mgf1_md:sha384
# P-256 leaf under the RSA-PSS root (id-RSASSA-PSS issuer key: rsa_pss_pss).
issued pss_key_leaf p256_leaf.key pss_root sha256 "/CN=psskey.example.net" 30 0x2b \
    'subjectAltName=DNS:psskey.example.net' \
    -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -sigopt rsa_mgf1_md:sha256
# v1 certificate (no extensions), P-256 key under the RSA root.
issued v1_leaf p256_leaf.key rsa_root sha256 "/C=US/O=Padlock Test/CN=v1.example.com" 30 3 none
# No subjectAltName at all: the CN looks like a host name but must not be used (RFC 9525 §6.3).
issued no_san_leaf p256_leaf.key p256_root sha256 "/CN=nosan.example.com" 30 4 'basicConstraints=CA:FALSE'
# A critical extension padlock does not know, and a non-critical one.
issued unknown_crit_leaf p256_leaf.key p256_root sha256 "/CN=crit.example.com" 30 5 \
    'subjectAltName=DNS:crit.example.com\n1.3.6.1.4.1.55555.99=critical,ASN1:UTF8String:must understand\n1.3.6.1.4.1.55555.98=ASN1:UTF8String:may ignore'
# Intermediate CA (P-256) under the RSA root, with a leaf under it.
issued ec_inter p256_root.key rsa_root sha256 "/C=US/O=Padlock Test/CN=Padlock EC Intermediate" 365 6 "$ca_exts\nauthorityKeyIdentifier=keyid"
cp p256_root.key ec_inter.key  # the intermediate reuses the P-256 root's key pair
issued inter_leaf p256_leaf.key ec_inter sha256 "/CN=chain.example.com" 30 7 'subjectAltName=DNS:chain.example.com\nauthorityKeyIdentifier=keyid'

# --- openssl's own chain verdicts ---
verify() {  # verify NAME CHAIN-CA UNTRUSTED
    if openssl verify -no-CApath -no-CAstore -CAfile "$2" ${3:+-untrusted "$3"} -partial_chain -x509_strict "$1.pem" >/dev/null 2>&1; then
        echo OK > "$1.verify"; else echo FAIL > "$1.verify"; fi
}
verify ec_leaf p256_root.pem
verify rsa_leaf rsa_root.pem
verify pss_sig_leaf rsa_root.pem
verify pss_key_leaf pss_root.pem
verify inter_leaf rsa_root.pem ec_inter.pem

# --- the system bundle: serial and dates of every certificate, as openssl prints them (one pass) ---
# Lines "SERIAL NOTBEFORE NOTAFTER" (hex serial without leading zeros, unix seconds); the test
# compares them as a multiset, so the order openssl prints them in does not matter.
: > bundle.fields
if [ -r "$bundle" ]; then
    openssl crl2pkcs7 -nocrl -certfile "$bundle" | openssl pkcs7 -print_certs -text -noout | awk '
        /^ *Serial Number:/ {
            if ($0 ~ /\(0x/) { s = $0; sub(/.*\(0x/, "", s); sub(/\).*/, "", s) }
            else { getline; s = $1; gsub(":", "", s) }
            serial = toupper(s)
        }
        /^ *Not Before:/ { nb = $0; sub(/.*Not Before: */, "", nb) }
        /^ *Not After *:/ { na = $0; sub(/.*Not After *: */, "", na); print serial "|" nb "|" na }' |
    while IFS='|' read -r serial nb na; do
        echo "$(echo "$serial" | sed 's/^0*\([0-9A-F]\)/\1/') $(date -u -d "$nb" +%s) $(date -u -d "$na" +%s)" >> bundle.fields
    done
    # How many of them padlock should be able to check the self-signature of: PKCS#1 v1.5 with
    # SHA-256/384/512 over RSA keys, or ECDSA with SHA-256/384/512 over P-256 and P-384 keys (as
    # openssl reads them).
    openssl crl2pkcs7 -nocrl -certfile "$bundle" | openssl pkcs7 -print_certs -text -noout | awk '
        /^Certificate:/ { if (n++) decide() ; sig = ""; curve = "" }
        /^ *Signature Algorithm:/ && sig == "" { sig = $3 }
        /^ *ASN1 OID:/ { curve = $3 }
        function decide() {
            if (sig ~ /^sha(256|384|512)WithRSAEncryption$/) count++
            else if (sig ~ /^ecdsa-with-SHA(256|384|512)$/ && (curve == "prime256v1" || curve == "secp384r1")) count++
        }
        END { if (n) decide(); print count + 0 }' > bundle.verifiable
fi
echo "generated in $out"
