// SPDX-License-Identifier: Apache-2.0
// RFC 5280 §4.2: the Extensions list (one instance per type, criticality recorded) and the
// standard extensions of §4.2.1 and §4.2.2.1, each checked against its ASN.1 (Appendix A.2, where
// tags are IMPLICIT unless the type is a CHOICE) and the profile's MUSTs.
#include "x509/certificate.hpp"

#include "asn1/oid.hpp"

namespace padlock::x509 {

namespace {

using asn1::Reader;
namespace tag = asn1::tag;
namespace oid = asn1::oid;
constexpr auto ok = asn1::Asn1Error::ok;

bool is_ia5(Bytes s) {
    for (std::uint8_t b : s)
        if (b >= 0x80) return false;
    return true;
}

// OBJECT IDENTIFIER content rules (X.690 §8.19.2), for OIDs under implicit tags (registeredID).
bool oid_content_ok(Bytes c) {
    if (c.empty() || (c.back() & 0x80)) return false;
    bool start = true;
    for (std::uint8_t b : c) {
        if (start && b == 0x80) return false;
        start = (b & 0x80) == 0;
    }
    return true;
}

// Reads one element whatever its tag, leaving tag and contents.
bool read_any(Reader& r, std::uint8_t& t, Bytes& contents, Bytes* whole = nullptr) {
    return r.read_any(t, contents, whole) == ok;
}

// GeneralName ::= CHOICE (§4.2.1.6, Appendix A.2), one element.
X509Error read_general_name(Reader& r, bool in_name_constraints, GeneralName& out) {
    std::uint8_t t = 0;
    Bytes c, whole;
    if (!read_any(r, t, c, &whole)) return X509Error::bad_general_name;
    switch (t) {
    case tag::context_constructed(0): {  // otherName: SEQUENCE { type-id OID, value [0] EXPLICIT ANY }
        Reader o(c), value;
        Bytes id;
        if (o.read_oid(id) != ok || o.read_element(tag::context_constructed(0), value) != ok || o.done() != ok)
            return X509Error::bad_general_name;
        std::uint8_t vt = 0;
        Bytes vc;
        if (!read_any(value, vt, vc) || value.done() != ok) return X509Error::bad_general_name;
        out = {GeneralNameType::other_name, c};
        return X509Error::ok;
    }
    case tag::context_primitive(1):  // rfc822Name IA5String
    case tag::context_primitive(2):  // dNSName IA5String
    case tag::context_primitive(6):  // uniformResourceIdentifier IA5String
        if (!is_ia5(c)) return X509Error::bad_general_name;
        out = {GeneralNameType(t & 0x1F), c};
        return X509Error::ok;
    case tag::context_constructed(3):  // x400Address ORAddress (kept, not interpreted)
    case tag::context_constructed(5):  // ediPartyName (kept, not interpreted)
        out = {GeneralNameType(t & 0x1F), c};
        return X509Error::ok;
    case tag::context_constructed(4): {  // directoryName [4] Name: EXPLICIT (Name is a CHOICE)
        Reader d(c);
        Bytes name_whole;
        Name n;
        if (d.read_element_whole(tag::sequence, name_whole) != ok || d.done() != ok) return X509Error::bad_general_name;
        if (X509Error e = check_name(name_whole, n); e != X509Error::ok) return e;
        out = {GeneralNameType::directory_name, name_whole};
        return X509Error::ok;
    }
    case tag::context_primitive(7): {  // iPAddress: 4/16 octets, or address+mask in name constraints
        const bool good = in_name_constraints ? (c.size() == 8 || c.size() == 32) : (c.size() == 4 || c.size() == 16);
        if (!good) return X509Error::bad_general_name;
        out = {GeneralNameType::ip_address, c};
        return X509Error::ok;
    }
    case tag::context_primitive(8):  // registeredID OBJECT IDENTIFIER
        if (!oid_content_ok(c)) return X509Error::bad_general_name;
        out = {GeneralNameType::registered_id, c};
        return X509Error::ok;
    default:
        return X509Error::bad_general_name;
    }
}

// GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName; the caller gives the SEQUENCE itself.
X509Error read_general_names_sequence(Bytes value, Bytes& contents) {
    Reader top(value), seq;
    if (top.read_sequence(seq) != ok || top.done() != ok) return X509Error::bad_general_name;
    contents = seq.rest();
    return check_general_names(contents, false);
}

// --- one function per extension, in §4.2.1 order -----------------------------------------------

// §4.2.1.1 AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] KeyIdentifier OPTIONAL,
//   authorityCertIssuer [1] GeneralNames OPTIONAL, authorityCertSerialNumber [2] INTEGER OPTIONAL }
X509Error parse_aki(AuthorityKeyIdentifier& x) {
    Reader top(x.value), seq;
    if (top.read_sequence(seq) != ok || top.done() != ok) return X509Error::bad_authority_key_identifier;
    if (seq.next_is(tag::context_primitive(0))) {
        if (seq.read_element(tag::context_primitive(0), x.key_id) != ok) return X509Error::bad_authority_key_identifier;
        x.has_key_id = true;
    }
    if (seq.next_is(tag::context_constructed(1))) {
        if (seq.read_element(tag::context_constructed(1), x.issuer) != ok || x.issuer.empty())
            return X509Error::bad_authority_key_identifier;
        if (check_general_names(x.issuer, false) != X509Error::ok) return X509Error::bad_authority_key_identifier;
        x.has_issuer = true;
    }
    if (seq.next_is(tag::context_primitive(2))) {
        // [2] IMPLICIT CertificateSerialNumber: INTEGER contents under another tag.
        Bytes c;
        if (seq.read_element(tag::context_primitive(2), c) != ok || c.empty()) return X509Error::bad_authority_key_identifier;
        if (c.size() > 1 && ((c[0] == 0 && !(c[1] & 0x80)) || (c[0] == 0xFF && (c[1] & 0x80))))
            return X509Error::bad_authority_key_identifier;  // X.690 §8.3.2
        x.serial = c.size() > 1 && c[0] == 0 ? c.subspan(1) : c;
        x.has_serial = true;
    }
    return seq.done() == ok ? X509Error::ok : X509Error::bad_authority_key_identifier;
}

// §4.2.1.2 SubjectKeyIdentifier ::= KeyIdentifier (OCTET STRING)
X509Error parse_ski(SubjectKeyIdentifier& x) {
    Reader top(x.value);
    if (top.read_octet_string(x.key_id) != ok || top.done() != ok) return X509Error::bad_subject_key_identifier;
    return X509Error::ok;
}

// §4.2.1.3 KeyUsage ::= BIT STRING { digitalSignature (0), ... decipherOnly (8) }
X509Error parse_key_usage(KeyUsage& x) {
    Reader top(x.value);
    Bytes bits;
    unsigned unused = 0;
    if (top.read_bit_string(bits, unused) != ok || top.done() != ok) return X509Error::bad_key_usage;
    // Nine named bits fit two octets. X.690 §11.2.2 wants trailing zero bits removed, but trusted
    // roots keep them (Trustwave Global ECC P256 CA: 03 03 07 06 00), so they are read, not refused;
    // the padding bits themselves must still be zero (§11.2.1, checked by read_bit_string).
    (void)unused;
    if (bits.empty() || bits.size() > 2) return X509Error::bad_key_usage;
    std::uint16_t v = 0;
    for (unsigned n = 0; n < 8 * bits.size(); n++)
        if (bits[n / 8] & (0x80 >> (n % 8))) v = std::uint16_t(v | (1u << n));
    if (v == 0) return X509Error::bad_key_usage;  // "at least one of the bits MUST be set to 1"
    x.bits = v;
    return X509Error::ok;
}

// §4.2.1.4 certificatePolicies ::= SEQUENCE SIZE (1..MAX) OF PolicyInformation
//   PolicyInformation ::= SEQUENCE { policyIdentifier OID, policyQualifiers SEQUENCE SIZE (1..MAX)
//     OF PolicyQualifierInfo OPTIONAL }, PolicyQualifierInfo ::= SEQUENCE { id OID, qualifier ANY }
X509Error parse_policies(CertificatePolicies& x) {
    Reader top(x.value), seq;
    if (top.read_sequence(seq) != ok || top.done() != ok || seq.empty()) return X509Error::bad_certificate_policies;
    x.policies = seq.rest();
    while (!seq.empty()) {
        Reader info;
        Bytes id;
        if (seq.read_sequence(info) != ok || info.read_oid(id) != ok) return X509Error::bad_certificate_policies;
        if (oid::equal(id, oid::any_policy)) x.any_policy = true;
        if (!info.empty()) {
            Reader qualifiers;
            if (info.read_sequence(qualifiers) != ok || qualifiers.empty()) return X509Error::bad_certificate_policies;
            while (!qualifiers.empty()) {
                Reader q;
                Bytes qid, qc;
                std::uint8_t qt = 0;
                if (qualifiers.read_sequence(q) != ok || q.read_oid(qid) != ok || !read_any(q, qt, qc) || q.done() != ok)
                    return X509Error::bad_certificate_policies;
                // id-qt-cps: CPSuri ::= IA5String; id-qt-unotice: UserNotice ::= SEQUENCE.
                if (oid::equal(qid, oid::qt_cps) && (qt != tag::ia5_string || !is_ia5(qc)))
                    return X509Error::bad_certificate_policies;
                if (oid::equal(qid, oid::qt_unotice) && qt != tag::sequence) return X509Error::bad_certificate_policies;
            }
        }
        if (info.done() != ok) return X509Error::bad_certificate_policies;
        // "A certificate policy OID MUST NOT appear more than once": compare with those before it.
        Reader earlier(x.policies);
        for (std::size_t i = 0; i < x.count; i++) {
            Reader prev;
            Bytes prev_id;
            if (earlier.read_sequence(prev) != ok || prev.read_oid(prev_id) != ok) return X509Error::bad_certificate_policies;
            if (oid::equal(prev_id, id)) return X509Error::duplicate_policy;
        }
        x.count++;
    }
    return X509Error::ok;
}

// §4.2.1.6 SubjectAltName ::= GeneralNames
X509Error parse_san(SubjectAltName& x) {
    if (X509Error e = read_general_names_sequence(x.value, x.names); e != X509Error::ok) return e;
    return x.names.empty() ? X509Error::bad_subject_alt_name : X509Error::ok;
}

// §4.2.1.9 BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }
X509Error parse_basic_constraints(BasicConstraints& x) {
    Reader top(x.value), seq;
    if (top.read_sequence(seq) != ok || top.done() != ok) return X509Error::bad_basic_constraints;
    if (seq.next_is(tag::boolean)) {
        if (seq.read_bool(x.ca) != ok || !x.ca) return X509Error::bad_basic_constraints;  // FALSE spelt out (X.690 §11.5)
    }
    if (!seq.empty()) {
        if (seq.read_small_uint(x.path_len) != ok) return X509Error::bad_basic_constraints;
        // "CAs MUST NOT include the pathLenConstraint field unless the cA boolean is asserted".
        if (!x.ca) return X509Error::bad_basic_constraints;
        x.has_path_len = true;
    }
    return seq.done() == ok ? X509Error::ok : X509Error::bad_basic_constraints;
}

// §4.2.1.10 NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees OPTIONAL,
//   excludedSubtrees [1] GeneralSubtrees OPTIONAL }; GeneralSubtree ::= SEQUENCE { base GeneralName,
//   minimum [0] BaseDistance DEFAULT 0, maximum [1] BaseDistance OPTIONAL }
X509Error check_subtrees(Bytes contents) {
    if (contents.empty()) return X509Error::bad_name_constraints;  // SIZE (1..MAX)
    Reader r(contents);
    while (!r.empty()) {
        Reader subtree;
        GeneralName base;
        if (r.read_sequence(subtree) != ok) return X509Error::bad_name_constraints;
        if (X509Error e = read_general_name(subtree, true, base); e != X509Error::ok) return e;
        // "the minimum MUST be zero" (so DER omits it), "maximum MUST be absent".
        if (subtree.done() != ok) return X509Error::bad_name_constraints;
    }
    return X509Error::ok;
}

X509Error parse_name_constraints(NameConstraints& x) {
    Reader top(x.value), seq;
    if (top.read_sequence(seq) != ok || top.done() != ok) return X509Error::bad_name_constraints;
    if (seq.next_is(tag::context_constructed(0))) {
        if (seq.read_element(tag::context_constructed(0), x.permitted) != ok) return X509Error::bad_name_constraints;
        if (X509Error e = check_subtrees(x.permitted); e != X509Error::ok) return e;
        x.has_permitted = true;
    }
    if (seq.next_is(tag::context_constructed(1))) {
        if (seq.read_element(tag::context_constructed(1), x.excluded) != ok) return X509Error::bad_name_constraints;
        if (X509Error e = check_subtrees(x.excluded); e != X509Error::ok) return e;
        x.has_excluded = true;
    }
    // "Conforming CAs MUST NOT issue certificates where name constraints is an empty sequence".
    if (!x.has_permitted && !x.has_excluded) return X509Error::bad_name_constraints;
    return seq.done() == ok ? X509Error::ok : X509Error::bad_name_constraints;
}

// §4.2.1.12 ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId (OID)
X509Error parse_eku(ExtKeyUsage& x) {
    Reader top(x.value), seq;
    if (top.read_sequence(seq) != ok || top.done() != ok || seq.empty()) return X509Error::bad_ext_key_usage;
    x.purposes = seq.rest();
    while (!seq.empty()) {
        Bytes id;
        if (seq.read_oid(id) != ok) return X509Error::bad_ext_key_usage;
        if (oid::equal(id, oid::kp_server_auth)) x.server_auth = true;
        if (oid::equal(id, oid::kp_client_auth)) x.client_auth = true;
        if (oid::equal(id, oid::any_extended_key_usage)) x.any = true;
    }
    return X509Error::ok;
}

// §4.2.1.13 CRLDistributionPoints ::= SEQUENCE SIZE (1..MAX) OF DistributionPoint
//   DistributionPoint ::= SEQUENCE { distributionPoint [0] DistributionPointName OPTIONAL,
//     reasons [1] ReasonFlags OPTIONAL, cRLIssuer [2] GeneralNames OPTIONAL }
//   DistributionPointName ::= CHOICE { fullName [0] GeneralNames, nameRelativeToCRLIssuer [1] RDN }
X509Error parse_crl_dp(CrlDistributionPoints& x) {
    constexpr X509Error bad = X509Error::bad_crl_distribution_points;
    Reader top(x.value), seq;
    if (top.read_sequence(seq) != ok || top.done() != ok || seq.empty()) return bad;
    x.points = seq.rest();
    while (!seq.empty()) {
        Reader dp;
        if (seq.read_sequence(dp) != ok) return bad;
        bool has_name = false, has_issuer = false;
        if (dp.next_is(tag::context_constructed(0))) {
            Bytes c, names;
            bool full_name = false;
            if (dp.read_element(tag::context_constructed(0), c) != ok || !read_distribution_point_name(c, full_name, names))
                return bad;
            has_name = true;
        }
        if (dp.next_is(tag::context_primitive(1))) {  // ReasonFlags BIT STRING under [1] IMPLICIT
            Bytes c;
            if (dp.read_element(tag::context_primitive(1), c) != ok || c.empty() || c[0] > 7) return bad;
        }
        if (dp.next_is(tag::context_constructed(2))) {
            Bytes c;
            if (dp.read_element(tag::context_constructed(2), c) != ok || c.empty() || check_general_names(c, false) != X509Error::ok)
                return bad;
            has_issuer = true;
        }
        // "either distributionPoint or cRLIssuer MUST be present".
        if (dp.done() != ok || (!has_name && !has_issuer)) return bad;
        x.count++;
    }
    return X509Error::ok;
}

// §4.2.2.1 AuthorityInfoAccessSyntax ::= SEQUENCE SIZE (1..MAX) OF AccessDescription
//   AccessDescription ::= SEQUENCE { accessMethod OID, accessLocation GeneralName }
X509Error parse_aia(AuthorityInfoAccess& x) {
    Reader top(x.value), seq;
    if (top.read_sequence(seq) != ok || top.done() != ok || seq.empty()) return X509Error::bad_authority_info_access;
    x.descriptions = seq.rest();
    while (!seq.empty()) {
        Reader ad;
        Bytes method;
        GeneralName location;
        if (seq.read_sequence(ad) != ok || ad.read_oid(method) != ok) return X509Error::bad_authority_info_access;
        if (read_general_name(ad, false, location) != X509Error::ok || ad.done() != ok) return X509Error::bad_authority_info_access;
        x.count++;
    }
    return X509Error::ok;
}

}  // namespace

// DistributionPointName ::= CHOICE { fullName [0] GeneralNames, nameRelativeToCRLIssuer [1] RDN },
// under an EXPLICIT [0] (a CHOICE) in DistributionPoint (§4.2.1.13) and IssuingDistributionPoint (§5.2.5).
bool read_distribution_point_name(Bytes explicit_contents, bool& full_name, Bytes& names) {
    Reader choice(explicit_contents);
    std::uint8_t t = 0;
    Bytes c;
    if (!read_any(choice, t, c) || choice.done() != ok) return false;
    if (t == tag::context_constructed(0)) {
        if (c.empty() || check_general_names(c, false) != X509Error::ok) return false;
        full_name = true;
    } else if (t == tag::context_constructed(1)) {
        // RelativeDistinguishedName under [1] IMPLICIT: SET OF AttributeTypeAndValue contents.
        Reader rdn(c);
        if (rdn.empty()) return false;
        while (!rdn.empty()) {
            Reader atv;
            Bytes type, vc;
            std::uint8_t vt = 0;
            if (rdn.read_sequence(atv) != ok || atv.read_oid(type) != ok || !read_any(atv, vt, vc) || atv.done() != ok)
                return false;
        }
        full_name = false;
    } else {
        return false;
    }
    names = c;
    return true;
}

X509Error parse_authority_key_identifier(AuthorityKeyIdentifier& x) { return parse_aki(x); }

X509Error check_general_names(Bytes contents, bool in_name_constraints) {
    Reader r(contents);
    while (!r.empty()) {
        GeneralName n;
        if (X509Error e = read_general_name(r, in_name_constraints, n); e != X509Error::ok) return e;
    }
    return X509Error::ok;
}

bool GeneralNameCursor::next(GeneralName& out) {
    if (r_.empty()) return false;
    if (subtrees_) {
        Reader subtree;
        return r_.read_sequence(subtree) == ok && read_general_name(subtree, true, out) == X509Error::ok;
    }
    return read_general_name(r_, false, out) == X509Error::ok;
}

// §4.2: Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
X509Error parse_extensions(Bytes contents, Extensions& out) {
    Extensions x;
    x.all = contents;
    Bytes seen[max_extensions];
    Reader list(contents);
    while (!list.empty()) {
        Reader ext;
        Bytes id, value;
        bool critical = false;
        if (list.read_sequence(ext) != ok || ext.read_oid(id) != ok) return X509Error::malformed_extension;
        if (ext.next_is(tag::boolean)) {
            if (ext.read_bool(critical) != ok || !critical) return X509Error::malformed_extension;  // X.690 §11.5
        }
        if (ext.read_octet_string(value) != ok || ext.done() != ok) return X509Error::malformed_extension;
        if (x.count == max_extensions) return X509Error::too_many_extensions;
        for (std::size_t i = 0; i < x.count; i++)
            if (oid::equal(seen[i], id)) return X509Error::duplicate_extension;
        seen[x.count++] = id;

        ExtensionInfo info;
        info.present = true;
        info.critical = critical;
        info.value = value;
        X509Error e = X509Error::ok;
        auto fill = [&](auto& field, auto parse) {
            static_cast<ExtensionInfo&>(field) = info;
            e = parse(field);
        };
        if (oid::equal(id, oid::ce_authority_key_identifier)) fill(x.authority_key_identifier, parse_aki);
        else if (oid::equal(id, oid::ce_subject_key_identifier)) fill(x.subject_key_identifier, parse_ski);
        else if (oid::equal(id, oid::ce_key_usage)) fill(x.key_usage, parse_key_usage);
        else if (oid::equal(id, oid::ce_certificate_policies)) fill(x.certificate_policies, parse_policies);
        else if (oid::equal(id, oid::ce_subject_alt_name)) fill(x.subject_alt_name, parse_san);
        else if (oid::equal(id, oid::ce_basic_constraints)) fill(x.basic_constraints, parse_basic_constraints);
        else if (oid::equal(id, oid::ce_name_constraints)) fill(x.name_constraints, parse_name_constraints);
        else if (oid::equal(id, oid::ce_ext_key_usage)) fill(x.ext_key_usage, parse_eku);
        else if (oid::equal(id, oid::ce_crl_distribution_points)) fill(x.crl_distribution_points, parse_crl_dp);
        else if (oid::equal(id, oid::pe_authority_info_access)) fill(x.authority_info_access, parse_aia);
        else if (critical && !x.has_unknown_critical) {
            x.has_unknown_critical = true;
            x.unknown_critical_oid = id;
        }
        if (e != X509Error::ok) return e;
    }
    out = x;
    return X509Error::ok;
}

}  // namespace padlock::x509
