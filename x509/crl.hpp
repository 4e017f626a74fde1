// SPDX-License-Identifier: Apache-2.0
// Certificate revocation lists (RFC 5280 §5) parsed in place from DER, their signature and
// freshness checked, and revocation of a certificate decided from a caller-supplied set of CRLs
// (§6.3, the subset an offline verifier needs). Every field is a view into the caller's buffer;
// nothing is allocated. The caller keeps the DER alive as long as the Crl.
//
// Supported: v1 and v2 complete CRLs issued directly by the certificate's issuer (the same name,
// signed with the issuer certificate's key), with crlNumber, authorityKeyIdentifier, issuerAltName
// (ignored), freshestCRL (ignored) and issuingDistributionPoint as CRL extensions, and reasonCode,
// invalidityDate and holdInstructionCode (ignored) as entry extensions. An issuingDistributionPoint
// scopes the CRL: onlyContainsUserCerts / onlyContainsCACerts / onlyContainsAttributeCerts limit
// which certificates it covers, and a distributionPoint fullName covers only certificates whose
// cRLDistributionPoints share one of its GeneralNames (§6.3.3 (b)(2)(i)).
// Refused, each with its own error: indirect CRLs (indirectCRL, certificateIssuer entries, §5.2.5,
// §5.3.3), delta CRLs (deltaCRLIndicator, §5.2.4), CRLs partitioned by reason (onlySomeReasons,
// §5.2.5), and any other critical CRL or entry extension. Not done: fetching CRLs, OCSP, using
// a CRL signer other than the certificate's issuer, the reason-mask bookkeeping of §6.3.3 beyond
// "complete for all reasons".
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "x509/certificate.hpp"

namespace padlock::x509 {

// CRLReason (§5.3.1). 7 is not used; removeFromCRL (8) belongs to delta CRLs only.
enum class RevocationReason : std::uint8_t {
    unspecified = 0, key_compromise = 1, ca_compromise = 2, affiliation_changed = 3, superseded = 4,
    cessation_of_operation = 5, certificate_hold = 6, remove_from_crl = 8, privilege_withdrawn = 9,
    aa_compromise = 10,
};

// One revokedCertificates entry (§5.1.2.6), already checked by parse_crl.
struct RevokedCertificate {
    Bytes serial;                  // userCertificate: INTEGER magnitude, as Certificate::serial
    asn1::Time revocation_date;
    bool has_reason = false;       // reasonCode entry extension (§5.3.1)
    RevocationReason reason = RevocationReason::unspecified;
    bool has_invalidity_date = false;  // invalidityDate entry extension (§5.3.2)
    asn1::Time invalidity_date;
};

// issuingDistributionPoint (§5.2.5): present/critical, and what it says.
struct IssuingDistributionPoint : ExtensionInfo {
    bool has_distribution_point = false;
    bool full_name = false;        // distributionPoint is fullName (else nameRelativeToCRLIssuer)
    Bytes distribution_point;      // fullName: GeneralNames contents; else the RDN's SET contents
    bool only_user_certs = false, only_ca_certs = false, only_attribute_certs = false;
};

struct Crl {
    Bytes der;                      // the whole CertificateList
    Bytes tbs;                      // the whole tbsCertList element: the signed bytes (§5.1.1.1)
    unsigned version = 1;           // 1 or 2 (§5.1.2.1)
    Bytes signature_algorithm;      // whole AlgorithmIdentifier (outer and inner are byte-equal)
    asn1::SignatureError signature_alg_status = asn1::SignatureError::ok;
    asn1::SignatureAlgorithmId signature_alg_id;
    Name issuer;
    asn1::Time this_update;
    bool has_next_update = false;
    asn1::Time next_update;
    Bytes revoked;                  // revokedCertificates contents (empty when absent): RevokedCursor
    std::size_t revoked_count = 0;
    bool has_crl_number = false;    // §5.2.3
    Bytes crl_number;               // INTEGER magnitude
    AuthorityKeyIdentifier authority_key_identifier;  // §5.2.1
    IssuingDistributionPoint issuing_distribution_point;
    Bytes signature;                // signatureValue octets
};

// RFC 5280 §5.1: the whole of `der` must be one CertificateList. Every entry and extension is
// checked here, so RevokedCursor and find_revoked cannot fail later. On error `out` is unchanged.
X509Error parse_crl(Bytes der, Crl& out);

// Walks the revoked certificates of a parsed Crl in order.
class RevokedCursor {
public:
    explicit RevokedCursor(const Crl& crl) : r_(crl.revoked) {}
    [[nodiscard]] bool next(RevokedCertificate& out);
private:
    asn1::Reader r_;
};

// Whether `serial` (an INTEGER magnitude, e.g. Certificate::serial) is listed; the entry in *entry
// when it is and entry is not null. A plain scan: O(entries).
[[nodiscard]] bool find_revoked(const Crl& crl, Bytes serial, RevokedCertificate* entry = nullptr);

// Whether this CRL speaks for `cert` at all: its issuer name matches cert's issuer (§7.1) and its
// issuingDistributionPoint scope includes the certificate (user/CA/attribute certificates only,
// distribution point name). Says nothing about the CRL's signature or freshness.
[[nodiscard]] bool crl_covers(const Crl& crl, const Certificate& cert);

// §6.3.3 (f)-(g): `issuer` issued this CRL. crl_issuer_mismatch when the names differ (§7.1);
// crl_sign_not_set when issuer has keyUsage without cRLSign (§4.2.1.3, §6.3.3 (f));
// crl_bad_signature when the signature does not verify (other signature failures as in
// verify_signed_by: unsupported_signature_algorithm, signature_key_mismatch, ...).
// `verify` as for verify_signed_by.
X509Error verify_crl_signed_by(const Crl& crl, const Certificate& issuer,
                           asn1::SignatureVerifier verify = asn1::verify_signature);

// §5.1.2.4-§5.1.2.5, §6.3.3 (a): crl_not_yet_valid before thisUpdate, crl_expired after nextUpdate,
// crl_missing_next_update when there is none (§5.1.2.5: issuers MUST include it; without it a
// verifier cannot know the CRL is current, so this fails closed). ok otherwise.
X509Error check_crl_time(const Crl& crl, std::int64_t unix_seconds);

// What path validation does with the CRLs it is given (x509/path.hpp PathInput::revocation).
enum class RevocationPolicy : std::uint8_t {
    none,             // CRLs are not looked at
    where_available,  // each non-anchor certificate is checked against the CRLs that cover it, if any
    require,          // every non-anchor certificate must be covered by a usable CRL
};

// The revocation status of `cert`, issued by `issuer`, from `crls` (§6.3.3, complete direct CRLs):
//   - the CRLs that cover cert (crl_covers) and whose authorityKeyIdentifier does not name another
//     key than issuer's subjectKeyIdentifier are the candidates;
//   - a candidate is usable when verify_crl_signed_by(crl, issuer) and check_crl_time pass;
//   - certificate_revoked when a usable candidate lists cert's serial (a certificateHold entry
//     counts: the certificate is on hold);
//   - ok when some candidate is usable and none lists it;
//   - no candidate usable: the first candidate's error; no candidate at all: ok under
//     where_available, no_crl_for_certificate under require.
// Each CRL signature checked uses one of *signature_budget (decremented); signature_budget_exceeded
// when it runs out. The policy `none` returns ok without looking. Signatures go through `verify`
// (as for verify_signed_by).
X509Error check_revocation(const Certificate& cert, const Certificate& issuer, std::span<const Crl> crls,
                       std::int64_t unix_seconds, RevocationPolicy policy, std::size_t& signature_budget,
                       asn1::SignatureVerifier verify = asn1::verify_signature);

}  // namespace padlock::x509
