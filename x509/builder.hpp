// SPDX-License-Identifier: Apache-2.0
// Building X.509 v3 certificates (RFC 5280 §4.1) into a caller buffer: the TBSCertificate fields in
// §4.1.2 order, the extensions of §4.2.1 that a small PKI needs, then the signed Certificate
// (§4.1.1). Written for throw-away PKIs (padlock demo, the engine tests, `padlock x509 new`): no
// policies, CRL distribution points or authority information access. No heap; outputs come last.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "asn1/signature.hpp"
#include "crypto/common.hpp"
#include "crypto/rng.hpp"
#include "crypto/rsa/rsa.hpp"
#include "x509/errors.hpp"

namespace padlock::x509 {

// A Name (§4.1.2.4) of up to three attributes, one per RDN, most significant first: C, O, CN.
// An empty field is left out. The country is a PrintableString of two characters (RFC 5280
// Appendix A.1, X520countryName); organization and common name are UTF8String (§4.1.2.4: "MUST
// use the UTF8String encoding" for new DirectoryStrings).
struct NameSpec {
    std::string_view country;
    std::string_view organization;
    std::string_view common_name;
};

// The issuer's private key and the algorithm it signs with: ecdsa_p256_sha256 (`p256_private`,
// the 32-byte scalar), or rsa_pkcs1_sha256 / rsa_pss_rsae_sha256 (`rsa`, a loaded key; PSS with
// MGF1-SHA-256 and a 32-byte salt, RFC 4055 §3.1, the profile asn1::SignatureAlg verifies).
// `spki` is the issuer's SubjectPublicKeyInfo DER, for the authorityKeyIdentifier.
struct SigningKey {
    asn1::SignatureAlg alg = asn1::SignatureAlg::ecdsa_p256_sha256;
    Bytes p256_private;                  // secret
    const RsaPrivateKey* rsa = nullptr;
    Bytes spki;
};

// What goes into one certificate. Every extension is written only when asked for.
struct CertificateSpec {
    Bytes serial;                        // big-endian, 1-20 octets, first octet non-zero (§4.1.2.2)
    NameSpec issuer, subject;            // the issuer must not be empty (§4.1.2.4)
    std::int64_t not_before = 0;         // seconds since 1970 UTC; UTCTime through 2049,
    std::int64_t not_after = 0;          //   GeneralizedTime from 2050 (§4.1.2.5)
    Bytes subject_public_key;            // the subject's SubjectPublicKeyInfo DER (§4.1.2.7)
    // basicConstraints (§4.2.1.9), always written and critical: cA, and pathLenConstraint when
    // path_len >= 0 (CAs only). An end entity gets the empty SEQUENCE (cA DEFAULT FALSE).
    bool ca = false;
    int path_len = -1;
    std::uint16_t key_usage = 0;         // key_usage:: bits (certificate.hpp), critical; 0 = none (§4.2.1.3)
    bool server_auth = false;            // extKeyUsage purposes (§4.2.1.12), not critical;
    bool client_auth = false;            //   no extension when neither is set
    // subjectAltName (§4.2.1.6): dNSName entries (IA5String, "preferred name syntax" LDH labels or
    // a leading "*." wildcard) and iPAddress entries (4 or 16 octets). Critical when the subject
    // is empty (§4.1.2.6); no extension when both lists are empty.
    std::span<const std::string_view> dns_names;
    std::span<const Bytes> ip_addresses;
    // subjectKeyIdentifier and authorityKeyIdentifier (keyIdentifier only): the leftmost 160 bits
    // of SHA-256 over the subjectPublicKey BIT STRING value (RFC 7093 §2 method 1).
    bool key_identifiers = true;
};

// Upper bound on a SigningKey's signature (RSA-4096) plus its DER wrapping.
inline constexpr std::size_t max_certificate_signature = rsa_max_bytes + 16;

// Writes the TBSCertificate (§4.1.2) that `issuer_key` will sign. Errors: bad_certificate_spec (a
// field it cannot encode: serial, names, times in the wrong order or outside 0001-9999, a SAN entry,
// an SPKI that does not parse), unsupported_signature_algorithm (an alg not listed at SigningKey),
// buffer_too_small. On error nothing of `out` is left written.
X509Error build_tbs_certificate(const CertificateSpec& spec, const SigningKey& issuer_key, MutBytes out,
                            std::size_t& length);

// Signs `tbs` (as built above for this key) and writes Certificate ::= SEQUENCE { tbsCertificate,
// signatureAlgorithm, signatureValue } (§4.1.1). ECDSA nonces are RFC 6979 hedged with 64 bytes of
// `rng` (crypto/ecdsa.hpp); RSA blinds with `rng` and PSS draws its salt from it. Errors:
// signing_failed (the key does not sign: scalar out of range, RSA fault check), rng_failure,
// unsupported_signature_algorithm, buffer_too_small. `out` must not overlap `tbs`.
// Constant time in the private key (the primitives are; the rest handles public data).
X509Error sign_certificate(Bytes tbs, const SigningKey& issuer_key, const Rng& rng, MutBytes out, std::size_t& length);

// Both steps: the TBSCertificate is built inside `out`, signed, and wrapped in place.
X509Error build_certificate(const CertificateSpec& spec, const SigningKey& issuer_key, const Rng& rng, MutBytes out,
                        std::size_t& length);

// The key identifier of CertificateSpec::key_identifiers for an SPKI DER: 20 bytes, or
// bad_certificate_spec when the SPKI does not parse.
X509Error key_identifier(Bytes spki, std::span<std::uint8_t, 20> out);

}  // namespace padlock::x509
