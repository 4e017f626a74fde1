#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Generates the certification paths test_x509_path reads (RFC 5280 §6), with the openssl
# command-line tool, into the build directory (never committed), and openssl's own verdict on each.
# Writes NAME.der per certificate and cases.txt, one case a line:
#   case leaf untrusted,... roots,... purpose expected_error expected_index openssl_verdict
# expected_error/index are what RFC 5280 §6 asks for (written here by hand); openssl_verdict is
# what `openssl verify -attime T -purpose ...` printed (OK or FAIL). "-" is an empty list.
# The first line is "time T": the validation time, 100 days after generation.
# Usage: gen_chains.sh OUTDIR
set -eu
out="$1"
mkdir -p "$out"
cd "$out"
rm -f ./*.der ./*.pem ./*.key ./*.cnf ./*.csr ./index.txt* ./serial* cases.txt
export OPENSSL_CONF=/dev/null
T=$(( $(date -u +%s) + 100 * 86400 ))
echo "time $T" > cases.txt

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve -out "$1.key"; }

ext_cnf() {
    if [ "$2" = none ]; then printf '[req]\ndistinguished_name=dn\n[dn]\n' > "$1.cnf"
    else printf '[req]\ndistinguished_name=dn\n[dn]\n[ext]\n%b\n' "$2" > "$1.cnf"; fi
}

# root NAME KEY SUBJECT-CN DAYS EXTS
root() {
    ext_cnf "$1" "$5"
    openssl req -new -x509 -key "$2.key" -sha256 -subj "/CN=$3" -days "$4" -config "$1.cnf" -extensions ext -out "$1.pem"
    openssl x509 -in "$1.pem" -outform DER -out "$1.der"
}

# cert NAME KEY ISSUER ISSUER-KEY SUBJECT-CN DAYS EXTS ("none": a v1 certificate)
serial=1
cert() {
    serial=$((serial + 1))
    ext_cnf "$1" "$7"
    openssl req -new -key "$2.key" -subj "/CN=$5" -config "$1.cnf" -out "$1.csr"
    if [ "$7" = none ]; then
        openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$4.key" -sha256 -days "$6" -set_serial "$serial" \
            -out "$1.pem" 2>/dev/null
    else
        openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$4.key" -sha256 -days "$6" -set_serial "$serial" \
            -extfile "$1.cnf" -extensions ext -out "$1.pem" 2>/dev/null
    fi
    openssl x509 -in "$1.pem" -outform DER -out "$1.der"
}

# future NAME KEY ISSUER ISSUER-KEY SUBJECT-CN EXTS: valid from 2 years after generation (openssl ca -startdate).
future() {
    printf '[ca]\ndefault_ca=c\n[c]\ndatabase=index.txt\nnew_certs_dir=.\nserial=serial\ndefault_md=sha256\npolicy=p\nunique_subject=no\n[p]\ncommonName=supplied\n' > ca.cnf
    : > index.txt
    echo 7F01 > serial
    ext_cnf "$1" "$6"
    openssl req -new -key "$2.key" -subj "/CN=$5" -config "$1.cnf" -out "$1.csr"
    start=$(date -u -d "@$((T + 365 * 86400))" +%Y%m%d%H%M%SZ)
    end=$(date -u -d "@$((T + 800 * 86400))" +%Y%m%d%H%M%SZ)
    openssl ca -batch -config ca.cnf -cert "$3.pem" -keyfile "$4.key" -in "$1.csr" -startdate "$start" \
        -enddate "$end" -extfile "$1.cnf" -extensions ext -notext -out "$1.pem" 2>/dev/null
    openssl x509 -in "$1.pem" -outform DER -out "$1.der"
}

# check CASE LEAF UNTRUSTED ROOTS PURPOSE ERROR INDEX: records the case and openssl's verdict.
check() {
    c="$1" leaf="$2" untrusted="$3" roots="$4" purpose="$5" err="$6" idx="$7"
    : > "$c.roots.pem"; : > "$c.untrusted.pem"
    [ "$roots" = - ] || for r in $(echo "$roots" | tr , ' '); do cat "$r.pem" >> "$c.roots.pem"; done
    [ "$untrusted" = - ] || for u in $(echo "$untrusted" | tr , ' '); do cat "$u.pem" >> "$c.untrusted.pem"; done
    p=sslserver; [ "$purpose" = client ] && p=sslclient
    set -- -no-CApath -no-CAstore -CAfile "$c.roots.pem" -attime "$T" -purpose "$p"
    [ "$untrusted" = - ] || set -- "$@" -untrusted "$c.untrusted.pem"
    if openssl verify "$@" "$leaf.pem" > "$c.openssl" 2>&1; then v=OK; else v=FAIL; fi
    echo "$c $leaf $untrusted $roots $purpose $err $idx $v" >> cases.txt
}

CA='basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid'
LEAF='basicConstraints=CA:FALSE\nsubjectAltName=DNS:www.example.com\nextendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid'
leafx() { printf '%s' "basicConstraints=CA:FALSE\nsubjectAltName=$1\nextendedKeyUsage=serverAuth\nauthorityKeyIdentifier=keyid"; }

for k in kroot kold ki1 ki2 ki3 kleaf kbad ka kb; do key $k; done
root root kroot Root 3650 "$CA"
root oldroot kold OldRoot 3650 "$CA"
cert i1 ki1 root kroot I1 3650 "$CA"
cert i2 ki2 i1 ki1 I2 3650 "$CA"
cert leaf2 kleaf root kroot leaf 3650 "$LEAF"
cert leaf3 kleaf i1 ki1 leaf 3650 "$LEAF"
cert leaf4 kleaf i2 ki2 leaf 3650 "$LEAF"
root selfleaf kleaf www.example.com 3650 "$LEAF"
check depth1 selfleaf - selfleaf server ok 0
check depth2 leaf2 - root server ok 0
check depth3 leaf3 i1 root server ok 0
check depth4 leaf4 i2,i1 root server ok 0
check unordered_extras leaf4 oldroot,i1,leaf2,i2,i1,i2 root server ok 0
check self_signed_leaf selfleaf - root server untrusted_self_signed 0
check missing_intermediate leaf3 - root server unknown_issuer 0

# Validity (§6.1.3 (a)(2)) at T: 30-day certificates have expired; "future" ones are not yet valid.
cert leaf_exp kleaf i1 ki1 leaf 30 "$LEAF"
check leaf_expired leaf_exp i1 root server certificate_expired 0
cert i1_exp ki1 root kroot I1 30 "$CA"
check intermediate_expired leaf3 i1_exp root server certificate_expired 1
root root_exp kroot Root 30 "$CA"
check root_expired leaf3 i1 root_exp server certificate_expired 2
future leaf_future kleaf i1 ki1 leaf "$LEAF"
check leaf_not_yet_valid leaf_future i1 root server certificate_not_yet_valid 0
future i1_future ki1 root kroot I1 "$CA"
check intermediate_not_yet_valid leaf3 i1_future root server certificate_not_yet_valid 1
future root_future kroot root kroot Root "$CA"  # issued by the 'root' certificate with its own key: self-signed
check root_not_yet_valid leaf3 i1 root_future server certificate_not_yet_valid 2

# Issuer with the right name and the wrong key: the signature fails (§6.1.3 (a)(1)).
root fake_i1_ca kbad I1 3650 "$CA"
cert leaf_badsig kleaf fake_i1_ca kbad leaf 3650 "$LEAF"
check bad_signature leaf_badsig i1 root server bad_signature 0
# Several issuers named I1: the impostor first, then the real one.
root fake_i1 kbad I1 3650 "$CA"
check same_name_issuers leaf3 fake_i1,i1 root server ok 0

# CA checks (§6.1.4 (k), (l), (n)).
cert i1_noca ki1 root kroot I1 3650 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,keyCertSign'
check missing_ca_bit leaf3 i1_noca root server not_a_ca 1
cert i1_v1 ki1 root kroot I1 3650 none
check v1_intermediate leaf3 i1_v1 root server ca_not_v3 1
cert i1_noks ki1 root kroot I1 3650 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,digitalSignature,cRLSign'
check no_key_cert_sign leaf3 i1_noks root server key_cert_sign_not_set 1
root root_pl0 kroot Root 3650 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign'
check path_len_zero_direct leaf2 - root_pl0 server ok 0
check path_len_exceeded leaf3 i1 root_pl0 server path_length_exceeded 2
cert i1_pl0 ki1 root kroot I1 3650 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign'
check path_len_exceeded_inter leaf4 i2,i1_pl0 root server path_length_exceeded 2

# extKeyUsage (§4.2.1.12).
cert leaf_client kleaf i1 ki1 leaf 3650 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:www.example.com\nextendedKeyUsage=clientAuth'
check eku_wrong leaf_client i1 root server ext_key_usage_mismatch 0
check eku_client leaf_client i1 root client ok 0
# keyUsage without digitalSignature: a valid path (RFC 5280 and openssl's sslserver purpose accept
# keyEncipherment), which TLS 1.3 refuses for CertificateVerify (RFC 8446 §4.4.2.2; test_tls_certificate).
cert leaf_kenc kleaf i1 ki1 leaf 3650 'basicConstraints=CA:FALSE\nkeyUsage=critical,keyEncipherment\nsubjectAltName=DNS:www.example.com\nextendedKeyUsage=serverAuth'
check key_encipherment_only leaf_kenc i1 root server ok 0

# Unknown critical extension (§4.2).
cert leaf_crit kleaf i1 ki1 leaf 3650 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:www.example.com\n1.3.6.1.4.1.55555.1=critical,DER:05:00'
check unknown_critical leaf_crit i1 root server unknown_critical_extension 0

# Name constraints (§4.2.1.10, §6.1.3 (b)-(c)).
cert i1_nc ki1 root kroot I1 3650 "$CA\nnameConstraints=critical,permitted;DNS:example.com,permitted;IP:10.0.0.0/255.0.0.0,permitted;email:.example.com,excluded;DNS:bad.example.com"
cert nc_ok kleaf i1_nc ki1 leaf 3650 "$(leafx 'DNS:www.example.com,IP:10.1.2.3,email:a@mail.example.com')"
check nc_permitted nc_ok i1_nc root server ok 0
cert nc_dns kleaf i1_nc ki1 leaf 3650 "$(leafx 'DNS:www.example.org')"
check nc_dns_not_permitted nc_dns i1_nc root server name_not_permitted 0
cert nc_excl kleaf i1_nc ki1 leaf 3650 "$(leafx 'DNS:www.bad.example.com')"
check nc_dns_excluded nc_excl i1_nc root server name_excluded 0
cert nc_ip kleaf i1_nc ki1 leaf 3650 "$(leafx 'DNS:www.example.com,IP:192.168.1.1')"
check nc_ip_not_permitted nc_ip i1_nc root server name_not_permitted 0
cert nc_mail kleaf i1_nc ki1 leaf 3650 "$(leafx 'DNS:www.example.com,email:a@example.net')"
check nc_email_not_permitted nc_mail i1_nc root server name_not_permitted 0
cert i2_under_nc ki2 i1_nc ki1 I2 3650 "$CA"
cert nc_deep kleaf i2_under_nc ki2 leaf 3650 "$(leafx 'DNS:www.example.org')"
check nc_across_path nc_deep i2_under_nc,i1_nc root server name_not_permitted 0

# The cross-sign case: the server sends leaf, I1 and the new root cross-signed by the old root,
# that cross-certificate expired; the store has the new self-signed root (and the old one).
cert cross kroot oldroot kold Root 30 "$CA"
check cross_signed_expired leaf3 i1,cross root,oldroot server ok 0
check cross_signed_expired_first leaf3 cross,i1 oldroot,root server ok 0
check cross_only_old_root leaf3 i1,cross oldroot server certificate_expired 2

# A loop: A issued by B, B issued by A, leaf under A, no anchor reachable.
root a_self ka LoopA 3650 "$CA"
cert loop_b kb a_self ka LoopB 3650 "$CA"
cert loop_a ka loop_b kb LoopA 3650 "$CA"
cert leaf_loop kleaf loop_a ka leaf 3650 "$LEAF"
check loop leaf_loop loop_a,loop_b root server unknown_issuer 2
