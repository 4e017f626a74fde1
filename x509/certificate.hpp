// SPDX-License-Identifier: Apache-2.0
// X.509 v1/v2/v3 certificates (RFC 5280 §4.1) parsed in place from DER, and their extensions
// (§4.2): every field is a view into the caller's buffer, nothing is copied or allocated. The
// caller keeps the DER alive as long as the Certificate. Strict DER throughout (asn1/der.hpp).
#pragma once

#include <cstddef>
#include <cstdint>

#include "asn1/der.hpp"
#include "asn1/keys.hpp"
#include "asn1/signature.hpp"
#include "asn1/time.hpp"
#include "crypto/common.hpp"
#include "x509/errors.hpp"

namespace padlock::x509 {

using padlock::Bytes;

// Name ::= SEQUENCE OF RelativeDistinguishedName (§4.1.2.4), already checked by the parser.
struct Name {
    Bytes der;                   // the whole Name element, tag included
    Bytes rdns;                  // its contents: the RDNs in order
    std::size_t rdn_count = 0;
};

// One AttributeTypeAndValue: type OID content, the value's string tag and its content octets.
struct Attribute {
    Bytes type;
    std::uint8_t string_tag = 0;  // asn1::tag::printable_string, utf8_string, ...
    Bytes value;
    std::size_t rdn_index = 0;    // which RDN (0 = first, the most significant) it belongs to
};

// Walks the attributes of a parsed Name in order (RDN by RDN).
class AttributeCursor {
public:
    explicit AttributeCursor(const Name& name) : rdns_(name.rdns) {}
    [[nodiscard]] bool next(Attribute& out);
private:
    asn1::Reader rdns_, rdn_;
    std::size_t rdn_index_ = 0;
    bool started_ = false;
};

// GeneralName (§4.2.1.6); the enumerator is the context tag number.
enum class GeneralNameType : std::uint8_t {
    other_name = 0, rfc822_name = 1, dns_name = 2, x400_address = 3, directory_name = 4,
    edi_party_name = 5, uri = 6, ip_address = 7, registered_id = 8,
};
struct GeneralName {
    GeneralNameType type = GeneralNameType::dns_name;
    // rfc822Name, dNSName, URI: the IA5String text; iPAddress: 4 or 16 octets (8 or 32 in name
    // constraints: address then mask); registeredID: the OID content; directoryName: the whole
    // Name element; otherName, x400Address, ediPartyName: the contents of the tagged element.
    Bytes value;
};

// Walks checked GeneralNames (or, with `subtrees`, GeneralSubtrees: the base of each subtree).
class GeneralNameCursor {
public:
    explicit GeneralNameCursor(Bytes contents, bool subtrees = false) : r_(contents), subtrees_(subtrees) {}
    [[nodiscard]] bool next(GeneralName& out);
private:
    asn1::Reader r_;
    bool subtrees_;
};

// keyUsage bits (§4.2.1.3), bit 0 first as in the ASN.1 named bit list.
namespace key_usage {
inline constexpr std::uint16_t digital_signature = 1u << 0;
inline constexpr std::uint16_t non_repudiation = 1u << 1;  // contentCommitment
inline constexpr std::uint16_t key_encipherment = 1u << 2;
inline constexpr std::uint16_t data_encipherment = 1u << 3;
inline constexpr std::uint16_t key_agreement = 1u << 4;
inline constexpr std::uint16_t key_cert_sign = 1u << 5;
inline constexpr std::uint16_t crl_sign = 1u << 6;
inline constexpr std::uint16_t encipher_only = 1u << 7;
inline constexpr std::uint16_t decipher_only = 1u << 8;
}  // namespace key_usage

// Each known extension: present/critical, its extnValue, and what it says. Views are into the DER.
struct ExtensionInfo {
    bool present = false;
    bool critical = false;
    Bytes value;  // extnValue OCTET STRING contents (the DER of the extension's own type)
};
struct BasicConstraints : ExtensionInfo {  // §4.2.1.9
    bool ca = false;
    bool has_path_len = false;
    std::uint64_t path_len = 0;
};
struct KeyUsage : ExtensionInfo {  // §4.2.1.3
    std::uint16_t bits = 0;
};
struct ExtKeyUsage : ExtensionInfo {  // §4.2.1.12
    Bytes purposes;  // contents of the SEQUENCE OF KeyPurposeId (OIDs)
    bool server_auth = false, client_auth = false, any = false;
};
struct SubjectAltName : ExtensionInfo {  // §4.2.1.6
    Bytes names;  // GeneralNames contents: walk with GeneralNameCursor
};
struct NameConstraints : ExtensionInfo {  // §4.2.1.10
    bool has_permitted = false, has_excluded = false;
    Bytes permitted, excluded;  // GeneralSubtrees contents: GeneralNameCursor(…, true)
};
struct AuthorityKeyIdentifier : ExtensionInfo {  // §4.2.1.1
    bool has_key_id = false, has_issuer = false, has_serial = false;
    Bytes key_id, issuer, serial;  // issuer: GeneralNames contents; serial: INTEGER magnitude
};
struct SubjectKeyIdentifier : ExtensionInfo {  // §4.2.1.2
    Bytes key_id;
};
// §4.2.1.4. Parsed and checked (no duplicate policy OIDs, well-formed qualifiers); no policy
// processing (§6.1.3 (d)-(f) valid_policy_tree) is done: see docs/errors.md and the README.
struct CertificatePolicies : ExtensionInfo {
    Bytes policies;  // contents of SEQUENCE OF PolicyInformation
    std::size_t count = 0;
    bool any_policy = false;
};
struct CrlDistributionPoints : ExtensionInfo {  // §4.2.1.13: parsed, not fetched
    Bytes points;    // contents of SEQUENCE OF DistributionPoint
    std::size_t count = 0;
};
struct AuthorityInfoAccess : ExtensionInfo {  // §4.2.2.1: parsed, not fetched
    Bytes descriptions;  // contents of SEQUENCE OF AccessDescription
    std::size_t count = 0;
};

// Bound on the extensions of one certificate (the duplicate check compares every pair in place).
inline constexpr std::size_t max_extensions = 64;

struct Extensions {
    Bytes all;              // contents of the Extensions SEQUENCE
    std::size_t count = 0;
    BasicConstraints basic_constraints;
    KeyUsage key_usage;
    ExtKeyUsage ext_key_usage;
    SubjectAltName subject_alt_name;
    NameConstraints name_constraints;
    AuthorityKeyIdentifier authority_key_identifier;
    SubjectKeyIdentifier subject_key_identifier;
    CertificatePolicies certificate_policies;
    CrlDistributionPoints crl_distribution_points;
    AuthorityInfoAccess authority_info_access;
    // The first critical extension of a type not listed above (rejected by check_critical_extensions).
    bool has_unknown_critical = false;
    Bytes unknown_critical_oid;
};

struct Certificate {
    Bytes der;                       // the whole Certificate
    Bytes tbs;                       // the whole tbsCertificate element: the signed bytes (§4.1.1.1)
    unsigned version = 1;            // 1, 2 or 3
    Bytes serial;                    // magnitude octets (§4.1.2.2)
    Bytes signature_algorithm;       // whole AlgorithmIdentifier (outer and inner are byte-equal)
    // The AlgorithmIdentifier as the signature entry point sees it: ok with `signature_alg_id`
    // set, or unsupported_algorithm / unknown_algorithm (parsed, but the signature cannot be checked).
    asn1::SignatureError signature_alg_status = asn1::SignatureError::ok;
    asn1::SignatureAlgorithmId signature_alg_id;
    Name issuer, subject;
    asn1::Time not_before, not_after;
    // A validity date before 2050 came as GeneralizedTime, which §4.1.2.5 forbids issuers (read anyway).
    bool generalized_time_before_2050 = false;
    Bytes spki;                      // whole SubjectPublicKeyInfo element
    // ok with `public_key` filled, or unknown_algorithm / unsupported_curve (e.g. DSA, P-521).
    asn1::Asn1Error public_key_status = asn1::Asn1Error::ok;
    asn1::Spki public_key;
    bool has_issuer_unique_id = false, has_subject_unique_id = false;
    Bytes issuer_unique_id, subject_unique_id;
    Extensions extensions;
    Bytes signature;                 // signatureValue octets
};

// RFC 5280 §4.1: the whole of `der` must be one Certificate. On error `out` is unchanged.
X509Error parse_certificate(Bytes der, Certificate& out);

// §4.2: "A certificate-using system MUST reject the certificate if it encounters a critical
// extension it does not recognize". unknown_critical_extension or ok.
X509Error check_critical_extensions(const Certificate& cert);

// Whether `issuer`'s key made `cert`'s signature over cert.tbs (§6.1.3 (a)(1)), through the
// signature entry point, or through `verify` (asn1/signature.hpp SignatureVerifier: an image that
// passes asn1::verify_signature_ecdsa_p256_only links no RSA). An algorithm the verifier refuses
// is unsupported_signature_algorithm. Names, validity and constraints are not looked at here.
X509Error verify_signed_by(const Certificate& cert, const Certificate& issuer,
                       asn1::SignatureVerifier verify = asn1::verify_signature);

// Whether `time` (seconds since 1970, UTC) lies in [notBefore, notAfter] (§4.1.2.5).
[[nodiscard]] bool valid_at(const Certificate& cert, std::int64_t unix_seconds);

// Parses each DER certificate of a chain (leaf first) into out[i]. The first failure says which
// certificate: {error, index}. buffer_too_small when `out` is shorter than `ders`.
Result parse_chain(std::span<const Bytes> ders, std::span<Certificate> out);

// verify_signed_by on any signed structure (a certificate's or a CRL's tbs, §5.1.1.3): the
// parsed signatureAlgorithm, the signed bytes and the signatureValue, against issuer's key.
X509Error verify_signed_bytes(asn1::SignatureError alg_status, asn1::SignatureAlgorithmId alg_id, Bytes tbs,
                          Bytes signature, const Certificate& issuer,
                          asn1::SignatureVerifier verify = asn1::verify_signature);

// Internal to the parser (extensions.cpp), shared with certificate.cpp and crl.cpp.
// One AlgorithmIdentifier field (§4.1.1.2, §5.1.1.2): bad_signature_algorithm when malformed;
// status says whether the signature entry point knows it.
X509Error read_signature_algorithm_field(asn1::Reader& r, Bytes& whole, asn1::SignatureError& status,
                                     asn1::SignatureAlgorithmId& id);
X509Error parse_extensions(Bytes contents, Extensions& out);
X509Error check_general_names(Bytes contents, bool in_name_constraints);
X509Error check_name(Bytes name_element, Name& out);
// Shared with crl.cpp: AuthorityKeyIdentifier from x.value (§4.2.1.1, §5.2.1), and a
// DistributionPointName from the contents of its EXPLICIT [0] (§4.2.1.13, §5.2.5): full_name tells
// which CHOICE, `names` the GeneralNames (or RDN) contents.
X509Error parse_authority_key_identifier(AuthorityKeyIdentifier& x);
[[nodiscard]] bool read_distribution_point_name(Bytes explicit_contents, bool& full_name, Bytes& names);

}  // namespace padlock::x509
