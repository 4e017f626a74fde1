#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Generates the certification paths test_x509_path reads (RFC 5280 §6), with the openssl
# command-line tool, into the build directory (never committed), and openssl's own verdict on each.
# Writes NAME.der per certificate, NAME.crl.der per CRL, and cases.txt, one case a line:
#   case leaf untrusted,... roots,... purpose crls,... host expected_error expected_index openssl_verdict
# expected_error/index are what RFC 5280 §6 asks for (written here by hand); openssl_verdict is
# what `openssl verify -attime T -purpose ...` printed (OK or FAIL). "-" is an empty list (or no
# host name). A case with CRLs runs openssl with -crl_check_all and padlock with
# RevocationPolicy::require: every certificate but the anchor needs a CRL from its issuer (openssl
# also checks the root against its own CRL, which the cases always give with the root's CRL).
# The first line is "time T": the validation time, 100 days after generation.
# Usage: gen_chains.sh OUTDIR
set -eu
out="$1"
mkdir -p "$out"
cd "$out"
rm -rf ./*.der ./*.pem ./*.key ./*.cnf ./*.csr ./index.txt* ./serial* ./crldb_* cases.txt
export OPENSSL_CONF=/dev/null
T=$(( $(date -u +%s) + 100 * 86400 ))
echo "time $T" > cases.txt

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve -out "$1.key"; }
key384() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -pkeyopt ec_param_enc:named_curve -out "$1.key"; }
keyrsa() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null; }
# The digest the issuer signs with (root, cert), and extra -sigopt arguments (RSA-PSS).
MD=sha256
SIGOPT=""

ext_cnf() {
    if [ "$2" = none ]; then printf '[req]\ndistinguished_name=dn\n[dn]\n' > "$1.cnf"
    else printf '[req]\ndistinguished_name=dn\n[dn]\n[ext]\n%b\n' "$2" > "$1.cnf"; fi
}

# root NAME KEY SUBJECT-CN DAYS EXTS
root() {
    ext_cnf "$1" "$5"
    openssl req -new -x509 -key "$2.key" -"$MD" -subj "/CN=$3" -days "$4" -config "$1.cnf" -extensions ext -out "$1.pem"
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
        # shellcheck disable=SC2086
        openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$4.key" -"$MD" $SIGOPT -days "$6" -set_serial "$serial" \
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

# check CASE LEAF UNTRUSTED ROOTS PURPOSE ERROR INDEX [CRLS [HOST]]: records the case and openssl's verdict.
check() {
    c="$1" leaf="$2" untrusted="$3" roots="$4" purpose="$5" err="$6" idx="$7" crls="${8:--}" host="${9:--}"
    : > "$c.roots.pem"; : > "$c.untrusted.pem"; : > "$c.crls.pem"
    [ "$roots" = - ] || for r in $(echo "$roots" | tr , ' '); do cat "$r.pem" >> "$c.roots.pem"; done
    [ "$untrusted" = - ] || for u in $(echo "$untrusted" | tr , ' '); do cat "$u.pem" >> "$c.untrusted.pem"; done
    [ "$crls" = - ] || for l in $(echo "$crls" | tr , ' '); do cat "$l.crl.pem" >> "$c.crls.pem"; done
    p=sslserver; [ "$purpose" = client ] && p=sslclient
    set -- -no-CApath -no-CAstore -CAfile "$c.roots.pem" -attime "$T" -purpose "$p"
    [ "$untrusted" = - ] || set -- "$@" -untrusted "$c.untrusted.pem"
    [ "$crls" = - ] || set -- "$@" -crl_check_all -CRLfile "$c.crls.pem"
    [ "$host" = - ] || set -- "$@" -verify_hostname "$host"
    if openssl verify "$@" "$leaf.pem" > "$c.openssl" 2>&1; then v=OK; else v=FAIL; fi
    echo "$c $leaf $untrusted $roots $purpose $crls $host $err $idx $v" >> cases.txt
}

# crl NAME CA-CERT CA-KEY LASTUPDATE NEXTUPDATE [REVOKED-CERT...]: a v2 CRL issued by CA-CERT with
# `openssl ca -gencrl` (crlNumber, authorityKeyIdentifier), listing the given certificates as
# keyCompromise. Times are seconds since 1970. $CRLEXT overrides the CRL extensions section.
crl() {
    n="$1" ca="$2" cakey="$3" last="$4" next="$5"
    shift 5
    d="crldb_$n"
    mkdir -p "$d"
    : > "$d/index.txt"
    echo 1000 > "$d/crlnumber"
    printf '[ca]\ndefault_ca=c\n[c]\ndatabase=%s/index.txt\ncrlnumber=%s/crlnumber\ndefault_md=%s\nunique_subject=no\ncrl_extensions=crlext\n[crlext]\n%b\n' \
        "$d" "$d" "$MD" "${CRLEXT:-authorityKeyIdentifier=keyid}" > "$d/ca.cnf"
    for r in "$@"; do
        openssl ca -batch -config "$d/ca.cnf" -cert "$ca.pem" -keyfile "$cakey.key" -revoke "$r.pem" \
            -crl_reason keyCompromise 2>/dev/null
    done
    openssl ca -batch -config "$d/ca.cnf" -cert "$ca.pem" -keyfile "$cakey.key" -gencrl \
        -crl_lastupdate "$(date -u -d "@$last" +%Y%m%d%H%M%SZ)" -crl_nextupdate "$(date -u -d "@$next" +%Y%m%d%H%M%SZ)" \
        -out "$n.crl.pem" 2>/dev/null
    openssl crl -in "$n.crl.pem" -outform DER -out "$n.crl.der"
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

# --- Revocation (RFC 5280 §5, §6.3): CRLs made by `openssl ca -gencrl`, checked for every certificate
# but the anchor (openssl: -crl_check_all). NOW is generation time; T is 100 days later.
NOW=$(date -u +%s)
crl crl_root root kroot "$NOW" $((T + 30 * 86400))
crl crl_i1 i1 ki1 "$NOW" $((T + 30 * 86400))
check crl_ok leaf3 i1 root server ok 0 crl_i1,crl_root
check crl_ok_depth2 leaf2 - root server ok 0 crl_root
crl crl_i1_rev_leaf i1 ki1 "$NOW" $((T + 30 * 86400)) leaf3
check crl_revoked_leaf leaf3 i1 root server certificate_revoked 0 crl_i1_rev_leaf,crl_root
crl crl_root_rev_leaf root kroot "$NOW" $((T + 30 * 86400)) leaf2
check crl_revoked_leaf_depth2 leaf2 - root server certificate_revoked 0 crl_root_rev_leaf
crl crl_root_rev_i1 root kroot "$NOW" $((T + 30 * 86400)) i1
check crl_revoked_intermediate leaf3 i1 root server certificate_revoked 1 crl_i1,crl_root_rev_i1
crl crl_i1_expired i1 ki1 "$NOW" $((NOW + 30 * 86400))
check crl_expired leaf3 i1 root server crl_expired 0 crl_i1_expired,crl_root
crl crl_i1_future i1 ki1 $((T + 10 * 86400)) $((T + 60 * 86400))
check crl_not_yet_valid leaf3 i1 root server crl_not_yet_valid 0 crl_i1_future,crl_root
# Issued under I1's name by another key (the impostor certificate fake_i1_ca), without an AKI that
# would tell the keys apart: the signature check against the real I1 fails (§6.3.3 (g)).
CRLEXT='issuerAltName=DNS:ca.example.com' crl crl_i1_badsig fake_i1_ca kbad "$NOW" $((T + 30 * 86400))
check crl_bad_signature leaf3 i1 root server crl_bad_signature 0 crl_i1_badsig,crl_root
# I1 re-issued with keyUsage keyCertSign only: its (good) CRL may not be used (§6.3.3 (f)).
cert i1_nocrlsign ki1 root kroot I1 3650 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid'
check crl_without_crl_sign leaf3 i1_nocrlsign root server crl_sign_not_set 0 crl_i1,crl_root
# Only CRLs of other issuers (OldRoot), or none for the intermediate: no CRL covers the certificate.
crl crl_oldroot oldroot kold "$NOW" $((T + 30 * 86400))
check crl_wrong_issuer leaf3 i1 root server no_crl_for_certificate 0 crl_oldroot,crl_root
check crl_missing_for_intermediate leaf3 i1 root server no_crl_for_certificate 1 crl_i1
# I1 revoked by Root, but a second certificate for I1's key (another serial) is not: padlock tries
# the other path and finds it valid (RFC 5280 §6 validates each path; the unrevoked certificate
# makes a valid one). openssl builds one chain and then checks revocation, so it reports the
# revoked I1: test_x509_path states this difference.
cert i1_alt ki1 root kroot I1 3650 "$CA"
check crl_revoked_intermediate_alternative leaf3 i1,i1_alt root server ok 0 crl_i1,crl_root_rev_i1

# issuingDistributionPoint (§5.2.5, §6.3.3 (b)(2)): a CRL scoped to one distribution point covers
# the certificates that name it in cRLDistributionPoints; one scoped to CA certificates covers I1
# but not a leaf. openssl reports an out-of-scope CRL as "different CRL scope" or no CRL.
cert leaf_dp kleaf i1 ki1 leaf 3650 "$LEAF\ncrlDistributionPoints=URI:http://crl.example.com/i1.crl"
CRLEXT='authorityKeyIdentifier=keyid\nissuingDistributionPoint=critical,@idp\n[idp]\nfullname=URI:http://crl.example.com/i1.crl' \
    crl crl_i1_idp i1 ki1 "$NOW" $((T + 30 * 86400)) leaf_dp
CRLEXT='authorityKeyIdentifier=keyid\nissuingDistributionPoint=critical,@idp\n[idp]\nfullname=URI:http://crl.example.com/other.crl' \
    crl crl_i1_idp_other i1 ki1 "$NOW" $((T + 30 * 86400))
check crl_idp_partition_revoked leaf_dp i1 root server certificate_revoked 0 crl_i1_idp,crl_root
check crl_idp_other_partition leaf_dp i1 root server no_crl_for_certificate 0 crl_i1_idp_other,crl_root
CRLEXT='authorityKeyIdentifier=keyid\nissuingDistributionPoint=critical,@idp\n[idp]\nonlyCA=TRUE' \
    crl crl_root_only_ca root kroot "$NOW" $((T + 30 * 86400))
check crl_only_ca_certs leaf3 i1 root server ok 0 crl_i1,crl_root_only_ca
check crl_only_ca_certs_leaf leaf2 - root server no_crl_for_certificate 0 crl_root_only_ca

# --- Key and signature mixes: P-384 and RSA at every level (§6.1.3 (a)(1) through one entry point).
for k in k384root k384i k384leaf; do key384 $k; done
for k in krsaroot krsai; do keyrsa $k; done
MD=sha384 root r384 k384root R384 3650 "$CA"
MD=sha384 cert i_rsa_under_384 krsai r384 k384root IRSA 3650 "$CA"
cert leaf_256_under_rsa kleaf i_rsa_under_384 krsai leaf 3650 "$LEAF"
check mix_p384_rsa_p256 leaf_256_under_rsa i_rsa_under_384 r384 server ok 0
root rrsa krsaroot RRSA 3650 "$CA"
cert i_384_under_rsa k384i rrsa krsaroot I384 3650 "$CA"
MD=sha384 cert leaf_256_under_384 kleaf i_384_under_rsa k384i leaf 3650 "$LEAF"
check mix_rsa_p384_p256 leaf_256_under_384 i_384_under_rsa rrsa server ok 0
MD=sha384 cert leaf_384_under_384 k384leaf r384 k384root leaf 3650 "$LEAF"
check mix_p384_p384 leaf_384_under_384 - r384 server ok 0
SIGOPT="-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest" cert leaf_pss_under_rsa k384leaf rrsa krsaroot leaf 3650 "$LEAF"
check mix_rsa_pss_p384 leaf_pss_under_rsa - rrsa server ok 0
# A P-384 impostor named IRSA: the real IRSA's RSA key cannot have made the ECDSA signature on the leaf.
MD=sha384 root fake_irsa k384i IRSA 3650 "$CA"
cert leaf_badsig_mix kleaf fake_irsa k384i leaf 3650 "$LEAF"
check mix_bad_signature leaf_badsig_mix i_rsa_under_384 r384 server signature_key_mismatch 0
# A P-384 CA revoking a leaf over RSA and P-256 (the CRL signed with ECDSA P-384 / SHA-384).
MD=sha384 crl crl_r384 r384 k384root "$NOW" $((T + 30 * 86400))
crl crl_irsa_rev i_rsa_under_384 krsai "$NOW" $((T + 30 * 86400)) leaf_256_under_rsa
check mix_crl_revoked leaf_256_under_rsa i_rsa_under_384 r384 server certificate_revoked 0 crl_irsa_rev,crl_r384

# --- Wildcards (RFC 9525 §6.3): a wildcard is the whole left-most label and stands for one label.
cert leaf_wild kleaf i1 ki1 leaf 3650 "$(leafx 'DNS:*.example.com')"
check wildcard_one_label leaf_wild i1 root server ok 0 - a.example.com
check wildcard_two_labels leaf_wild i1 root server hostname_mismatch 0 - a.b.example.com
check wildcard_bare_domain leaf_wild i1 root server hostname_mismatch 0 - example.com
cert leaf_wild_partial kleaf i1 ki1 leaf 3650 "$(leafx 'DNS:a*.example.com')"
check wildcard_partial_label leaf_wild_partial i1 root server hostname_mismatch 0 - ab.example.com
cert leaf_wild_inner kleaf i1 ki1 leaf 3650 "$(leafx 'DNS:www.*.example.com')"
check wildcard_not_leftmost leaf_wild_inner i1 root server hostname_mismatch 0 - www.a.example.com
cert leaf_wild_tld kleaf i1 ki1 leaf 3650 "$(leafx 'DNS:*.com')"
check wildcard_tld leaf_wild_tld i1 root server hostname_mismatch 0 - example.com
