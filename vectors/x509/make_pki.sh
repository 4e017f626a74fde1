#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Made the small PKI that `padlock bench` verifies chains of and the fuzz_x509 seeds are built from
# (tests/fuzz/make_corpus.py), once, with the openssl command-line tool: a P-256 root (compiled into
# fuzz_x509 as its one trust anchor), a P-256 intermediate with name constraints and an RSA-2048
# one, a leaf under each, a CRL from the root and from the P-256 intermediate, and an all-RSA-2048
# chain (rsa_root, rsa_inter, rsa_leaf). The DER files are committed (the keys are not kept): the
# harness and its seeds must agree on the root, so rerunning this means rerunning make_corpus.py
# too. Validity 2026-2046; the bench and the harness validate at 2027-01-01.
# usage: vectors/x509/make_pki.sh   (writes into vectors/x509/)
set -eu
cd "$(dirname "$0")"
export OPENSSL_CONF=/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve -out "$tmp/$1.key"; }
ec root; ec inter; ec leaf; ec leaf_rsa
for k in inter_rsa rsa_root rsa_inter rsa_leaf; do
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/$k.key" 2>/dev/null
done
CA='basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid'
printf '[ca]\ndefault_ca=c\n[c]\ndatabase=%s/index.txt\nnew_certs_dir=%s\nserial=%s/serial\ncrlnumber=%s/crlnumber\ndefault_md=sha256\npolicy=p\nunique_subject=no\ncrl_extensions=crlext\n[p]\ncommonName=supplied\norganizationName=optional\n[crlext]\nauthorityKeyIdentifier=keyid\nissuingDistributionPoint=critical,@idp\n[idp]\nfullname=URI:http://crl.example.com/ca.crl\n' \
    "$tmp" "$tmp" "$tmp" "$tmp" > "$tmp/ca.cnf"
: > "$tmp/index.txt"; echo 10 > "$tmp/serial"; echo 01 > "$tmp/crlnumber"
# issue NAME KEY ISSUER ISSUER-KEY SUBJECT EXTS ("self" as ISSUER: self-signed)
issue() {
    printf '[req]\ndistinguished_name=dn\n[dn]\n[ext]\n%b\n' "$6" > "$tmp/$1.cnf"
    openssl req -new -key "$tmp/$2.key" -subj "$5" -config "$tmp/$1.cnf" -out "$tmp/$1.csr"
    if [ "$3" = self ]; then signer=-selfsign; else signer="-cert $tmp/$3.pem"; fi
    # shellcheck disable=SC2086
    openssl ca -batch -config "$tmp/ca.cnf" $signer -keyfile "$tmp/$4.key" -in "$tmp/$1.csr" \
        -startdate 20260101000000Z -enddate 20460101000000Z -extfile "$tmp/$1.cnf" -extensions ext -notext \
        -out "$tmp/$1.pem" 2>/dev/null
    openssl x509 -in "$tmp/$1.pem" -outform DER -out "$1.der"
}
# gencrl NAME ISSUER ISSUER-KEY [REVOKED...]
gencrl() {
    n=$1 issuer=$2 ikey=$3
    shift 3
    : > "$tmp/index.txt"
    for r in "$@"; do
        openssl ca -batch -config "$tmp/ca.cnf" -cert "$tmp/$issuer.pem" -keyfile "$tmp/$ikey.key" -revoke "$tmp/$r.pem" \
            -crl_reason superseded 2>/dev/null
    done
    openssl ca -batch -config "$tmp/ca.cnf" -cert "$tmp/$issuer.pem" -keyfile "$tmp/$ikey.key" -gencrl \
        -crl_lastupdate 20261201000000Z -crl_nextupdate 20361201000000Z -out "$tmp/$n.pem" 2>/dev/null
    openssl crl -in "$tmp/$n.pem" -outform DER -out "$n.der"
}
issue root root self root '/CN=Fuzz Root/O=padlock' "$CA"
issue inter inter root root '/CN=Fuzz Inter/O=padlock' "$CA\nnameConstraints=critical,permitted;DNS:example.com,permitted;IP:10.0.0.0/255.0.0.0,permitted;email:.example.com,excluded;DNS:bad.example.com\ncertificatePolicies=2.23.140.1.2.1\nauthorityInfoAccess=caIssuers;URI:http://ca.example.com/root.crt\ncrlDistributionPoints=URI:http://crl.example.com/ca.crl"
issue inter_rsa inter_rsa root root '/CN=Fuzz RSA Inter' "$CA"
issue leaf leaf inter inter '/CN=www.example.com' "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:www.example.com,DNS:*.example.com,IP:10.1.2.3,email:a@mail.example.com\nauthorityKeyIdentifier=keyid\ncrlDistributionPoints=URI:http://crl.example.com/ca.crl\ncertificatePolicies=2.23.140.1.2.1"
issue leaf_rsa leaf_rsa inter_rsa inter_rsa '/CN=rsa.example.com' "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:rsa.example.com,IP:2001:db8::1\nauthorityKeyIdentifier=keyid\ncrlDistributionPoints=URI:http://crl.example.com/ca.crl"
issue rsa_root rsa_root self rsa_root '/CN=RSA Root' "$CA"
issue rsa_inter rsa_inter rsa_root rsa_root '/CN=RSA Inter' "$CA"
issue rsa_leaf rsa_leaf rsa_inter rsa_inter '/CN=www.example.com' "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:www.example.com\nauthorityKeyIdentifier=keyid"
gencrl crl_root root root inter_rsa
gencrl crl_inter inter inter leaf
