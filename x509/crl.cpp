// SPDX-License-Identifier: Apache-2.0
// RFC 5280 §5: CertificateList and TBSCertList parsed in place, field by field in the order of
// the ASN.1 (§5.1), the CRL extensions (§5.2) and entry extensions (§5.3) checked as they are
// read; then the §6.3.3 steps an offline verifier needs: scope, issuer, signature, currency, lookup.
#include "x509/crl.hpp"

#include <algorithm>
#include <cstring>

#include "asn1/oid.hpp"
#include "x509/name.hpp"

namespace padlock::x509 {

namespace {

using asn1::Reader;
namespace tag = asn1::tag;
namespace oid = asn1::oid;
constexpr auto ok = asn1::Asn1Error::ok;

bool same_bytes(Bytes a, Bytes b) { return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin()); }

// Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension (§4.1, used by §5.1.2.6 and §5.1.2.7):
// calls on_extension(id, critical, value) for each, refusing a malformed or repeated one.
template <class OnExtension>
X509Error read_extensions(Reader& seq_contents, OnExtension on_extension) {
    if (seq_contents.empty()) return X509Error::empty_extensions;
    Bytes seen[max_extensions];
    std::size_t count = 0;
    while (!seq_contents.empty()) {
        Reader ext;
        Bytes id, value;
        bool critical = false;
        if (seq_contents.read_sequence(ext) != ok || ext.read_oid(id) != ok) return X509Error::malformed_extension;
        if (ext.next_is(tag::boolean)) {
            if (ext.read_bool(critical) != ok || !critical) return X509Error::malformed_extension;  // X.690 §11.5
        }
        if (ext.read_octet_string(value) != ok || ext.done() != ok) return X509Error::malformed_extension;
        if (count == max_extensions) return X509Error::too_many_extensions;
        for (std::size_t i = 0; i < count; i++)
            if (oid::equal(seen[i], id)) return X509Error::duplicate_extension;  // §4.2, §5.2: one instance each
        seen[count++] = id;
        if (X509Error e = on_extension(id, critical, value); e != X509Error::ok) return e;
    }
    return X509Error::ok;
}

// §5.3.1 reasonCode ::= ENUMERATED { unspecified (0) .. aACompromise (10) }, 7 not used.
// removeFromCRL (8) is only for delta CRLs (§5.2.4), which are refused, so it is refused here too.
X509Error parse_reason(Bytes value, RevocationReason& out) {
    Reader top(value);
    Bytes c;
    if (top.read_element(tag::enumerated, c) != ok || top.done() != ok) return X509Error::bad_crl_reason;
    if (c.size() != 1 || c[0] > 10 || c[0] == 7 || c[0] == 8) return X509Error::bad_crl_reason;
    out = RevocationReason(c[0]);
    return X509Error::ok;
}

// One revokedCertificates entry (§5.1.2.6):
//   SEQUENCE { userCertificate CertificateSerialNumber, revocationDate Time, crlEntryExtensions Extensions OPTIONAL }
X509Error read_entry(Reader& list, unsigned version, RevokedCertificate& out) {
    RevokedCertificate e;
    Reader entry;
    if (list.read_sequence(entry) != ok) return X509Error::malformed_revoked_certificate;
    // Serial numbers as in certificates (§4.1.2.2): non-negative, at most 20 octets.
    if (entry.read_integer(e.serial) != ok || e.serial.size() > 20) return X509Error::malformed_revoked_certificate;
    if (asn1::read_time(entry, e.revocation_date) != ok) return X509Error::malformed_revoked_certificate;
    if (!entry.empty()) {
        if (version != 2) return X509Error::crl_extensions_not_v2;  // §5.1.2.1
        Reader exts;
        if (entry.read_sequence(exts) != ok || entry.done() != ok) return X509Error::malformed_revoked_certificate;
        X509Error err = read_extensions(exts, [&](Bytes id, bool critical, Bytes value) {
            if (oid::equal(id, oid::ce_crl_reason)) {
                e.has_reason = true;
                return parse_reason(value, e.reason);
            }
            if (oid::equal(id, oid::ce_invalidity_date)) {  // §5.3.2 InvalidityDate ::= GeneralizedTime
                Reader v(value);
                if (asn1::read_generalized_time(v, e.invalidity_date) != ok || v.done() != ok)
                    return X509Error::bad_invalidity_date;
                e.has_invalidity_date = true;
                return X509Error::ok;
            }
            // §5.3.3: certificateIssuer only appears in indirect CRLs.
            if (oid::equal(id, oid::ce_certificate_issuer)) return X509Error::unsupported_indirect_crl;
            // holdInstructionCode (§5.3.2 of RFC 3280, non-critical) and anything else non-critical: ignored.
            return critical ? X509Error::unknown_critical_crl_entry_extension : X509Error::ok;
        });
        if (err != X509Error::ok) return err;
    }
    out = e;
    return X509Error::ok;
}

// Implicitly tagged BOOLEAN DEFAULT FALSE: present means TRUE, and DER writes TRUE as FF (X.690 §11.1).
bool read_true_flag(Reader& r, std::uint8_t t, bool& flag) {
    if (!r.next_is(t)) return true;
    Bytes c;
    if (r.read_element(t, c) != ok || c.size() != 1 || c[0] != 0xFF) return false;
    flag = true;
    return true;
}

// §5.2.5 IssuingDistributionPoint ::= SEQUENCE {
//   distributionPoint [0] DistributionPointName OPTIONAL, onlyContainsUserCerts [1] BOOLEAN DEFAULT FALSE,
//   onlyContainsCACerts [2] BOOLEAN DEFAULT FALSE, onlySomeReasons [3] ReasonFlags OPTIONAL,
//   indirectCRL [4] BOOLEAN DEFAULT FALSE, onlyContainsAttributeCerts [5] BOOLEAN DEFAULT FALSE }
X509Error parse_idp(IssuingDistributionPoint& x) {
    constexpr X509Error bad = X509Error::bad_issuing_distribution_point;
    Reader top(x.value), seq;
    if (top.read_sequence(seq) != ok || top.done() != ok) return bad;
    // "Conforming CRL issuers MUST NOT issue CRLs where the DER encoding of the issuing
    // distribution point extension is an empty sequence."
    if (seq.empty()) return bad;
    if (seq.next_is(tag::context_constructed(0))) {
        Bytes c;
        if (seq.read_element(tag::context_constructed(0), c) != ok ||
            !read_distribution_point_name(c, x.full_name, x.distribution_point))
            return bad;
        x.has_distribution_point = true;
    }
    bool some_reasons = false, indirect = false;
    if (!read_true_flag(seq, tag::context_primitive(1), x.only_user_certs)) return bad;
    if (!read_true_flag(seq, tag::context_primitive(2), x.only_ca_certs)) return bad;
    if (seq.next_is(tag::context_primitive(3))) {  // ReasonFlags BIT STRING under [3] IMPLICIT
        Bytes c;
        if (seq.read_element(tag::context_primitive(3), c) != ok || c.empty() || c[0] > 7) return bad;
        some_reasons = true;
    }
    if (!read_true_flag(seq, tag::context_primitive(4), indirect)) return bad;
    if (!read_true_flag(seq, tag::context_primitive(5), x.only_attribute_certs)) return bad;
    if (seq.done() != ok) return bad;
    // "at most one of onlyContainsUserCerts, onlyContainsCACerts, and onlyContainsAttributeCerts
    // may be set to TRUE".
    if (int(x.only_user_certs) + int(x.only_ca_certs) + int(x.only_attribute_certs) > 1) return bad;
    if (indirect) return X509Error::unsupported_indirect_crl;
    if (some_reasons) return X509Error::unsupported_crl_reason_partition;
    return X509Error::ok;
}

// §5.2: the crlExtensions this library processes; any other critical one refuses the CRL.
X509Error parse_crl_extension(Crl& c, Bytes id, bool critical, Bytes value) {
    ExtensionInfo info;
    info.present = true;
    info.critical = critical;
    info.value = value;
    if (oid::equal(id, oid::ce_authority_key_identifier)) {  // §5.2.1, as §4.2.1.1
        static_cast<ExtensionInfo&>(c.authority_key_identifier) = info;
        return parse_authority_key_identifier(c.authority_key_identifier);
    }
    if (oid::equal(id, oid::ce_crl_number)) {  // §5.2.3 CRLNumber ::= INTEGER (0..MAX), at most 20 octets
        Reader v(value);
        if (v.read_integer(c.crl_number) != ok || v.done() != ok || c.crl_number.size() > 20) return X509Error::bad_crl_number;
        c.has_crl_number = true;
        return X509Error::ok;
    }
    if (oid::equal(id, oid::ce_issuing_distribution_point)) {
        static_cast<ExtensionInfo&>(c.issuing_distribution_point) = info;
        return parse_idp(c.issuing_distribution_point);
    }
    if (oid::equal(id, oid::ce_delta_crl_indicator)) return X509Error::unsupported_delta_crl;  // §5.2.4
    // issuerAltName (§5.2.2), freshestCRL (§5.2.6), authorityInfoAccess (§5.2.7): non-critical, not used.
    return critical ? X509Error::unknown_critical_crl_extension : X509Error::ok;
}

X509Error parse_tbs_cert_list(Bytes tbs_whole, Crl& c) {
    Reader top(tbs_whole), tbs;
    if (top.read_sequence(tbs) != ok) return X509Error::malformed_tbs_cert_list;

    // version Version OPTIONAL -- if present, MUST be v2 (§5.1.2.1). An untagged INTEGER, so it is
    // told from the signature AlgorithmIdentifier (a SEQUENCE) by its tag.
    c.version = 1;
    if (tbs.next_is(tag::integer)) {
        std::uint64_t v = 0;
        if (tbs.read_small_uint(v) != ok || v != 1) return X509Error::bad_crl_version;
        c.version = 2;
    }
    if (X509Error e = read_signature_algorithm_field(tbs, c.signature_algorithm, c.signature_alg_status, c.signature_alg_id);
        e != X509Error::ok)
        return e;

    Bytes name;  // §5.1.2.3: "The issuer field MUST contain a non-empty X.500 distinguished name"
    if (tbs.read_element_whole(tag::sequence, name) != ok) return X509Error::malformed_name;
    if (X509Error e = check_name(name, c.issuer); e != X509Error::ok) return e;
    if (c.issuer.rdn_count == 0) return X509Error::empty_issuer;

    // thisUpdate Time, nextUpdate Time OPTIONAL (§5.1.2.4, §5.1.2.5), in the §4.1.2.5 forms.
    if (!tbs.next_is(tag::utc_time) && !tbs.next_is(tag::generalized_time)) return X509Error::malformed_tbs_cert_list;
    if (asn1::read_time(tbs, c.this_update) != ok) return X509Error::bad_time;
    if (tbs.next_is(tag::utc_time) || tbs.next_is(tag::generalized_time)) {
        if (asn1::read_time(tbs, c.next_update) != ok) return X509Error::bad_time;
        c.has_next_update = true;
    }

    // revokedCertificates SEQUENCE OF ... OPTIONAL (§5.1.2.6): "When there are no revoked
    // certificates, the revoked certificates list MUST be absent."
    if (tbs.next_is(tag::sequence)) {
        Reader list;
        if (tbs.read_sequence(list) != ok || list.empty()) return X509Error::malformed_revoked_certificate;
        c.revoked = list.rest();
        while (!list.empty()) {
            RevokedCertificate entry;
            if (X509Error e = read_entry(list, c.version, entry); e != X509Error::ok) return e;
            c.revoked_count++;
        }
    }

    // crlExtensions [0] EXPLICIT Extensions OPTIONAL, v2 only (§5.1.2.7).
    if (tbs.next_is(tag::context_constructed(0))) {
        if (c.version != 2) return X509Error::crl_extensions_not_v2;
        Reader wrapper, list;
        if (tbs.read_element(tag::context_constructed(0), wrapper) != ok || wrapper.read_sequence(list) != ok ||
            wrapper.done() != ok)
            return X509Error::malformed_extension;
        X509Error e = read_extensions(list, [&](Bytes id, bool critical, Bytes value) {
            return parse_crl_extension(c, id, critical, value);
        });
        if (e != X509Error::ok) return e;
    }
    return tbs.done() == ok ? X509Error::ok : X509Error::malformed_tbs_cert_list;
}

}  // namespace

// §5.1.1: CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue BIT STRING }.
X509Error parse_crl(Bytes der, Crl& out) {
    Crl c;
    c.der = der;
    Reader top(der), list;
    if (top.read_sequence(list) != ok || top.done() != ok) return X509Error::malformed_crl;
    if (list.read_element_whole(tag::sequence, c.tbs) != ok) return X509Error::malformed_crl;
    if (X509Error e = parse_tbs_cert_list(c.tbs, c); e != X509Error::ok) return e;

    Bytes outer_alg;
    asn1::SignatureError outer_status;
    asn1::SignatureAlgorithmId outer_id;
    if (X509Error e = read_signature_algorithm_field(list, outer_alg, outer_status, outer_id); e != X509Error::ok) return e;
    // §5.1.1.2: "This field MUST contain the same algorithm identifier as the signature field in
    // the sequence tbsCertList" (compared as encodings, as for certificates).
    if (!same_bytes(outer_alg, c.signature_algorithm)) return X509Error::signature_algorithm_mismatch;
    if (list.read_bit_string(c.signature) != ok) return X509Error::malformed_signature_value;  // §5.1.1.3
    if (list.done() != ok) return X509Error::malformed_crl;
    out = c;
    return X509Error::ok;
}

bool RevokedCursor::next(RevokedCertificate& out) {
    // parse_crl checked every entry (with the CRL's version), so a failure here means the end.
    return !r_.empty() && read_entry(r_, 2, out) == X509Error::ok;
}

bool find_revoked(const Crl& crl, Bytes serial, RevokedCertificate* entry) {
    RevokedCursor cur(crl);
    RevokedCertificate e;
    while (cur.next(e))
        if (same_bytes(e.serial, serial)) {
            if (entry != nullptr) *entry = e;
            return true;
        }
    return false;
}

bool crl_covers(const Crl& crl, const Certificate& cert) {
    if (!names_match(crl.issuer, cert.issuer)) return false;  // §6.3.3 (b)(1): direct CRLs only
    const IssuingDistributionPoint& idp = crl.issuing_distribution_point;
    if (!idp.present) return true;
    // §6.3.3 (b)(2)(ii)-(iv): the kinds of certificate the CRL is about.
    const bool ca = cert.extensions.basic_constraints.ca;
    if (idp.only_attribute_certs || (idp.only_user_certs && ca) || (idp.only_ca_certs && !ca)) return false;
    if (!idp.has_distribution_point) return true;
    // §6.3.3 (b)(2)(i): one of the IDP's names is one of the names of a distribution point of the
    // certificate. Only fullName is compared (GeneralName for GeneralName, type and octets);
    // nameRelativeToCRLIssuer, on either side, covers nothing here.
    if (!idp.full_name || !cert.extensions.crl_distribution_points.present) return false;
    Reader points(cert.extensions.crl_distribution_points.points);
    while (!points.empty()) {
        Reader dp;
        Bytes c, names;
        bool full_name = false;
        if (points.read_sequence(dp) != ok) return false;
        if (!dp.next_is(tag::context_constructed(0))) continue;
        if (dp.read_element(tag::context_constructed(0), c) != ok || !read_distribution_point_name(c, full_name, names))
            return false;
        if (!full_name) continue;
        GeneralNameCursor theirs(names);
        GeneralName a;
        while (theirs.next(a)) {
            GeneralNameCursor ours(idp.distribution_point);
            GeneralName b;
            while (ours.next(b))
                if (a.type == b.type && same_bytes(a.value, b.value)) return true;
        }
    }
    return false;
}

X509Error verify_crl_signed_by(const Crl& crl, const Certificate& issuer, asn1::SignatureVerifier verify) {
    if (!names_match(crl.issuer, issuer.subject)) return X509Error::crl_issuer_mismatch;
    // §4.2.1.3: "The cRLSign bit is asserted when the subject public key is used for verifying
    // signatures on certificate revocation lists"; §6.3.3 (f).
    if (issuer.extensions.key_usage.present && !(issuer.extensions.key_usage.bits & key_usage::crl_sign))
        return X509Error::crl_sign_not_set;
    const X509Error e = verify_signed_bytes(crl.signature_alg_status, crl.signature_alg_id, crl.tbs, crl.signature, issuer, verify);
    return e == X509Error::bad_signature ? X509Error::crl_bad_signature : e;
}

X509Error check_crl_time(const Crl& crl, std::int64_t unix_seconds) {
    if (unix_seconds < asn1::to_unix_seconds(crl.this_update)) return X509Error::crl_not_yet_valid;
    if (!crl.has_next_update) return X509Error::crl_missing_next_update;
    if (asn1::to_unix_seconds(crl.next_update) < unix_seconds) return X509Error::crl_expired;
    return X509Error::ok;
}

X509Error check_revocation(const Certificate& cert, const Certificate& issuer, std::span<const Crl> crls,
                       std::int64_t unix_seconds, RevocationPolicy policy, std::size_t& signature_budget,
                       asn1::SignatureVerifier verify) {
    if (policy == RevocationPolicy::none) return X509Error::ok;
    X509Error first = X509Error::ok;
    bool any_candidate = false, any_usable = false;
    const SubjectKeyIdentifier& ski = issuer.extensions.subject_key_identifier;
    for (const Crl& crl : crls) {
        if (!crl_covers(crl, cert)) continue;
        // A CRL whose authorityKeyIdentifier names another key of a same-named CA is that key's.
        const AuthorityKeyIdentifier& aki = crl.authority_key_identifier;
        if (aki.has_key_id && ski.present && !same_bytes(aki.key_id, ski.key_id)) continue;
        any_candidate = true;
        X509Error e = check_crl_time(crl, unix_seconds);
        if (e == X509Error::ok) {
            if (signature_budget == 0) return X509Error::signature_budget_exceeded;
            signature_budget--;
            e = verify_crl_signed_by(crl, issuer, verify);
        }
        if (e != X509Error::ok) {
            if (first == X509Error::ok) first = e;
            continue;
        }
        any_usable = true;
        if (find_revoked(crl, cert.serial)) return X509Error::certificate_revoked;  // §6.3.3 (i)
    }
    if (any_usable) return X509Error::ok;
    if (any_candidate) return first;
    return policy == RevocationPolicy::require ? X509Error::no_crl_for_certificate : X509Error::ok;
}

}  // namespace padlock::x509
