// SPDX-License-Identifier: Apache-2.0
// A firmware-shaped program that verifies only ECDSA P-256 signatures through the signature entry
// point's per-algorithm function (asn1::verify_ecdsa_p256) and parses one SPKI, then does the
// offline revocation check firmware would do (x509/crl.hpp): parse an issuer certificate and its
// CRL, check the CRL's signature with the P-256 verifier directly, its freshness, its scope and a
// serial. Then full RFC 5280 §6 path validation (x509/path.hpp build_path: chaining, validity,
// constraints, hostname, CRLs) with the signature seam set to asn1::verify_signature_ecdsa_p256_only.
// Linked against libpadlock.a with --gc-sections; footprint_ecdsa.sh checks that no RSA, bignum,
// P-384 or verify_signature switch came along (GUIDE.md "Pay only for what you link"; asn1/signature.hpp).
#include <cstdio>

#include "asn1/keys.hpp"
#include "asn1/signature.hpp"
#include "x509/certificate.hpp"
#include "x509/crl.hpp"
#include "x509/path.hpp"

int main(int argc, char** argv) {
    using namespace padlock;
    static const std::uint8_t spki_der[91] = {0x30, 0x59};  // contents do not matter: never valid
    asn1::Spki spki;
    const asn1::Asn1Error e1 = asn1::parse_spki(spki_der, spki);
    const std::uint8_t sig[8] = {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01};
    const asn1::SignatureError e2 =
        asn1::verify_ecdsa_p256(HashAlg::sha256, spki, Bytes(reinterpret_cast<const std::uint8_t*>(argv[0]), 1), sig);

    // The CRL path: inputs the optimiser cannot see through (argv), so every call stays.
    const Bytes input(reinterpret_cast<const std::uint8_t*>(argv[0]), 1);
    x509::Certificate issuer;
    x509::Crl crl;
    const x509::X509Error e3 = x509::parse_certificate(input, issuer);
    const x509::X509Error e4 = x509::parse_crl(input, crl);
    int revoked = 0;
    if (e3 == x509::X509Error::ok && e4 == x509::X509Error::ok && x509::crl_covers(crl, issuer) &&
        x509::check_crl_time(crl, argc) == x509::X509Error::ok &&
        asn1::verify_ecdsa_p256(crl.signature_alg_id.hash, issuer.public_key, crl.tbs, crl.signature) ==
            asn1::SignatureError::ok)
        revoked = x509::find_revoked(crl, issuer.serial) ? 1 : 2;

    // Full path validation: leaf, one intermediate and one anchor, all from argv so nothing folds.
    x509::PathInput in;
    in.leaf = &issuer;
    in.intermediates = std::span<const x509::Certificate>(&issuer, 1);
    in.anchors = std::span<const x509::Certificate>(&issuer, 1);
    in.time = argc;
    in.hostname = argv[0];
    in.crls = std::span<const x509::Crl>(&crl, 1);
    in.revocation = x509::RevocationPolicy::require;
    x509::PathScratch scratch;
    const x509::Result path = x509::build_path(in, asn1::verify_signature_ecdsa_p256_only, scratch);
    std::printf("%d %d %d %d %d %d %d %zu\n", argc, int(e1), int(e2), int(e3), int(e4), revoked, int(path.error),
                scratch.length);
    return 0;
}
