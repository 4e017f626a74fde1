// SPDX-License-Identifier: Apache-2.0
// Errors of the x509 layer: one value per reason a certificate is refused, each with the RFC 5280
// (or RFC 9525) clause behind it. Results that concern a chain or a bundle carry the index of the
// certificate they are about (x509::Result).
#pragma once

#include <cstddef>
#include <cstdint>

namespace padlock::x509 {

enum class [[nodiscard]] X509Error : std::uint8_t {
    ok = 0,
    // --- Certificate / TBSCertificate structure (RFC 5280 §4.1) ---
    malformed_certificate,          // Certificate is not SEQUENCE { tbs, algorithm, BIT STRING }, or bytes follow it
    malformed_tbs_certificate,      // a TBSCertificate field missing, out of order, or bytes after the last one
    bad_version,                    // version not v1/v2/v3, or v1 spelt out (DER omits DEFAULT, X.690 §11.5) (§4.1.2.1)
    bad_serial_number,              // serialNumber not a positive INTEGER of at most 20 octets (§4.1.2.2)
    bad_signature_algorithm,        // AlgorithmIdentifier malformed or with parameters against its spec (§4.1.1.2)
    signature_algorithm_mismatch,   // signatureAlgorithm differs from tbsCertificate.signature (§4.1.1.2)
    malformed_name,                 // Name not a SEQUENCE OF non-empty SET OF AttributeTypeAndValue (§4.1.2.4)
    unsorted_rdn,                   // a multi-valued RDN whose SET OF is not in DER order (X.690 §11.6)
    bad_name_string,                // attribute value: PrintableString/IA5String/UTF8String with bad characters,
                                    // BMPString/UniversalString of odd size, or not a string where one is required
    empty_issuer,                   // issuer is an empty Name (§4.1.2.4: MUST be non-empty)
    empty_subject_without_critical_san,  // empty subject without a critical subjectAltName (§4.1.2.6)
    malformed_validity,             // Validity not SEQUENCE { Time, Time } (§4.1.2.5)
    bad_time,                       // a Time not in the §4.1.2.5.1/§4.1.2.5.2 form (Z, seconds, no fractions)
    malformed_public_key,           // SubjectPublicKeyInfo not valid DER, or its key not of its algorithm's form (§4.1.2.7)
    bad_unique_id,                  // issuer/subjectUniqueID in a v1 certificate, or not a BIT STRING (§4.1.2.8)
    extensions_not_v3,              // extensions in a certificate that is not v3 (§4.1.2.9)
    empty_extensions,               // extensions [3] holding no Extension (SIZE (1..MAX), §4.1)
    malformed_extension,            // Extension not SEQUENCE { OID, BOOLEAN DEFAULT FALSE, OCTET STRING }, or
                                    // critical FALSE spelt out (X.690 §11.5)
    duplicate_extension,            // the same extension twice (§4.2: "MUST NOT include more than one instance")
    too_many_extensions,            // more than max_extensions (a fixed bound keeps the duplicate check heap-free)
    malformed_signature_value,      // signatureValue BIT STRING with unused bits or bad DER (§4.1.1.3)
    // --- Extensions (RFC 5280 §4.2.1, §4.2.2) ---
    bad_basic_constraints,          // §4.2.1.9 (including cA FALSE spelt out, pathLen without cA)
    bad_key_usage,                  // §4.2.1.3: not a BIT STRING of at most 9 bits with at least one set
    bad_ext_key_usage,              // §4.2.1.12: empty SEQUENCE or a non-OID purpose
    bad_subject_alt_name,           // §4.2.1.6: empty GeneralNames
    bad_general_name,               // a GeneralName malformed: IA5String with non-ASCII, iPAddress not 4/16 octets
                                    // (8/32 in name constraints), bad otherName/directoryName (§4.2.1.6, §4.2.1.10)
    bad_name_constraints,           // §4.2.1.10: neither subtree present, empty subtrees, minimum/maximum present
    bad_authority_key_identifier,   // §4.2.1.1
    bad_subject_key_identifier,     // §4.2.1.2
    bad_certificate_policies,       // §4.2.1.4: empty, malformed PolicyInformation or qualifiers
    duplicate_policy,               // §4.2.1.4: "A certificate policy OID MUST NOT appear more than once"
    bad_crl_distribution_points,    // §4.2.1.13
    bad_authority_info_access,      // §4.2.2.1
    // --- Validation ---
    unknown_critical_extension,     // a critical extension this library does not process (§4.2)
    unsupported_signature_algorithm,// the signature's algorithm is recognised but not verified (SHA-1, Ed25519)
    unknown_signature_algorithm,    // the signature's algorithm OID is not known
    unsupported_public_key,         // the signer's key algorithm or curve is not supported (DSA, P-521, ...)
    signature_key_mismatch,         // the signer's key cannot make this kind of signature
    bad_signature,                  // the signature does not verify, or is not of its algorithm's form
    // --- Path building and validation (RFC 5280 §6) ---
    certificate_expired,            // validation time after notAfter (§6.1.3 (a)(2))
    certificate_not_yet_valid,      // validation time before notBefore (§6.1.3 (a)(2))
    unknown_issuer,                 // no certificate in the store or intermediates names this one's issuer (§6.1 (a))
    untrusted_self_signed,          // a self-signed leaf that is not itself in the trust store
    not_a_ca,                       // an issuer without basicConstraints cA TRUE (§6.1.4 (k))
    ca_not_v3,                      // a v1/v2 certificate used as an intermediate CA (§6.1.4 (k))
    path_length_exceeded,           // more CAs below an issuer than its pathLenConstraint allows (§6.1.4 (l)-(m))
    key_cert_sign_not_set,          // an issuer's keyUsage without keyCertSign (§6.1.4 (n))
    ext_key_usage_mismatch,         // extKeyUsage without the asked purpose or anyExtendedKeyUsage (§4.2.1.12)
    name_not_permitted,             // a name outside an issuer's permittedSubtrees (§6.1.3 (b))
    name_excluded,                  // a name inside an issuer's excludedSubtrees (§6.1.3 (c))
    unsupported_name_constraint,    // a constraint form not processed here (URI, otherName, ...), so fail closed (§4.2.1.10)
    path_too_long,                  // no path to an anchor within max_path_depth certificates
    too_many_intermediates,         // more untrusted certificates than max_untrusted
    signature_budget_exceeded,      // max_signature_checks used up before a valid path was found
    name_constraint_budget_exceeded,// max_name_constraint_checks used up
    // --- Certificate revocation lists (RFC 5280 §5, §6.3; x509/crl.hpp) ---
    malformed_crl,                  // CertificateList is not SEQUENCE { tbsCertList, algorithm, BIT STRING }, or bytes follow (§5.1.1)
    malformed_tbs_cert_list,        // a TBSCertList field missing, out of order, or bytes after the last one (§5.1.2)
    bad_crl_version,                // version present but not v2, or v2 spelt as v1 (§5.1.2.1)
    crl_extensions_not_v2,          // crlExtensions or entry extensions in a v1 CRL (§5.1.2.1)
    malformed_revoked_certificate,  // a revokedCertificates entry not SEQUENCE { serial, Time, Extensions OPTIONAL },
                                    // an empty list, or a serial that is not a non-negative INTEGER of <= 20 octets (§5.1.2.6)
    bad_crl_number,                 // cRLNumber not an INTEGER 0..MAX of at most 20 octets (§5.2.3)
    bad_issuing_distribution_point, // §5.2.5: malformed, FALSE spelt out, or more than one onlyContains... asserted
    bad_crl_reason,                 // reasonCode not an ENUMERATED CRLReason, or 7, or removeFromCRL in a complete CRL (§5.3.1)
    bad_invalidity_date,            // invalidityDate not a GeneralizedTime (§5.3.2)
    unsupported_indirect_crl,       // indirectCRL asserted or a certificateIssuer entry extension (§5.2.5, §5.3.3): not supported
    unsupported_delta_crl,          // a deltaCRLIndicator extension (§5.2.4): delta CRLs are not supported
    unsupported_crl_reason_partition,  // issuingDistributionPoint with onlySomeReasons (§5.2.5): not supported
    unknown_critical_crl_extension, // a critical crlExtension this library does not process (§5.2)
    unknown_critical_crl_entry_extension,  // a critical entry extension this library does not process (§5.3)
    crl_issuer_mismatch,            // the CRL's issuer is not the certificate's issuer (§6.3.3 (b)(1), §7.1)
    crl_sign_not_set,               // the CRL issuer's keyUsage lacks cRLSign (§4.2.1.3, §6.3.3 (f))
    crl_bad_signature,              // the CRL's signature does not verify with its issuer's key (§6.3.3 (g))
    crl_not_yet_valid,              // validation time before thisUpdate (§5.1.2.4)
    crl_expired,                    // validation time after nextUpdate (§5.1.2.5, §6.3.3 (a))
    crl_missing_next_update,        // no nextUpdate: currency cannot be told (§5.1.2.5 MUST), fails closed
    certificate_revoked,            // the certificate's serial is on a usable CRL of its issuer (§6.3.3 (i))
    no_crl_for_certificate,         // RevocationPolicy::require and no CRL given covers the certificate (§6.3.3 (k))
    // --- Hostname verification (RFC 9525 §6) ---
    bad_reference_identifier,       // the name to check is neither a valid DNS name nor an IPv4/IPv6 address
    no_subject_alt_name,            // certificate has no subjectAltName: no CN fallback (RFC 9525 §6.3)
    hostname_mismatch,              // no dNSName / iPAddress in the subjectAltName matches
    // --- Bundles ---
    bad_pem,                        // a PEM block that does not decode (RFC 7468)
    not_a_certificate,              // a bundle's PEM block labelled other than CERTIFICATE (RFC 7468 §5.1)
    duplicate_certificate,          // a certificate already in the trust store (same DER)
    empty_bundle,                   // a bundle without a single PEM block
    store_der_full,                 // the trust store's DER storage cannot hold another certificate
    store_index_full,               // the trust store's index has no room for another certificate
    buffer_too_small,               // caller's buffer cannot hold what was asked for
    // --- Building certificates (x509/builder.hpp) ---
    bad_certificate_spec,           // a field the builder cannot encode as RFC 5280 §4.1.2 requires (serial, name, time, SAN, key)
    signing_failed,                 // the issuer's private key did not sign (scalar out of range, RSA fault check)
    rng_failure,                    // the caller's random generator failed
};

// The enumerator's name ("duplicate_extension"), for reports and tests.
const char* error_name(X509Error e);

// A verdict about one certificate of several (a chain or a bundle): which one, and why.
struct Result {
    X509Error error = X509Error::ok;
    std::size_t index = 0;  // position of the certificate concerned (0 = leaf / first in the bundle)
    [[nodiscard]] bool ok() const { return error == X509Error::ok; }
};

}  // namespace padlock::x509
