// SPDX-License-Identifier: Apache-2.0
// `padlock x509 show`: RFC 5280 §4.1 fields and §4.2 extensions of a parsed certificate, decoded.
// The library has already checked every structure walked here (parse_certificate), so a walk that
// stops early only means there is nothing more to print.
#include "tools/x509_describe.hpp"

#include <cstdio>

#include "asn1/der.hpp"
#include "asn1/oid.hpp"
#include "crypto/hash/hash.hpp"

namespace padlock::tools {
namespace {

using json = nlohmann::ordered_json;
namespace oid = asn1::oid;
using x509::Certificate;
using x509::GeneralName;
using x509::GeneralNameType;

bool is(Bytes content, std::span<const std::uint8_t> known) { return oid::equal(content, known); }

// A value shown as its DER octets, "#" then hex (RFC 4514 §2.4's form for values without a string).
// (Built with append: GCC 12 at -O3 warns falsely about operator+ on a literal, -Wrestrict.)
std::string raw_hex(Bytes b) { return std::string("#").append(hex(b)); }

std::string dotted(Bytes content) {
    char buf[256];
    std::size_t n = 0;
    if (oid::to_dotted(content, buf, n) != asn1::Asn1Error::ok) return raw_hex(content);
    return std::string(buf, n);
}

struct OidName {
    std::span<const std::uint8_t> oid;
    const char* name;
};

// Attribute types beyond asn1/oid.hpp's, for display only: X.520 (id-at = 2.5.4), RFC 4519 (UID),
// and the CA/Browser Forum EV jurisdiction attributes (1.3.6.1.4.1.311.60.2.1).
constexpr std::uint8_t at_surname[] = {0x55, 0x04, 0x04};                  // 2.5.4.4
constexpr std::uint8_t at_street[] = {0x55, 0x04, 0x09};                   // 2.5.4.9
constexpr std::uint8_t at_title[] = {0x55, 0x04, 0x0C};                    // 2.5.4.12
constexpr std::uint8_t at_business_category[] = {0x55, 0x04, 0x0F};        // 2.5.4.15
constexpr std::uint8_t at_postal_code[] = {0x55, 0x04, 0x11};              // 2.5.4.17
constexpr std::uint8_t at_given_name[] = {0x55, 0x04, 0x2A};               // 2.5.4.42
constexpr std::uint8_t at_dn_qualifier[] = {0x55, 0x04, 0x2E};             // 2.5.4.46
constexpr std::uint8_t at_organization_identifier[] = {0x55, 0x04, 0x61};  // 2.5.4.97
constexpr std::uint8_t user_id[] = {0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x01};  // 0.9.2342.19200300.100.1.1
constexpr std::uint8_t jurisdiction_l[] = {0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3C, 0x02, 0x01, 0x01};
constexpr std::uint8_t jurisdiction_st[] = {0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3C, 0x02, 0x01, 0x02};
constexpr std::uint8_t jurisdiction_c[] = {0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3C, 0x02, 0x01, 0x03};

// Short names as openssl prints them (obj_dat.h long/short names are the registry's own words).
const OidName attribute_names[] = {
    {at_surname, "SN"}, {at_street, "street"}, {at_title, "title"}, {at_business_category, "businessCategory"},
    {at_postal_code, "postalCode"}, {at_given_name, "GN"}, {at_dn_qualifier, "dnQualifier"},
    {at_organization_identifier, "organizationIdentifier"}, {user_id, "UID"}, {jurisdiction_l, "jurisdictionL"},
    {jurisdiction_st, "jurisdictionST"}, {jurisdiction_c, "jurisdictionC"},
    {oid::at_common_name, "CN"}, {oid::at_serial_number, "serialNumber"}, {oid::at_country, "C"},
    {oid::at_locality, "L"}, {oid::at_state, "ST"}, {oid::at_organization, "O"},
    {oid::at_organizational_unit, "OU"}, {oid::domain_component, "DC"}, {oid::email_address, "emailAddress"},
};
const OidName signature_names[] = {
    {oid::sha256_with_rsa, "sha256WithRSAEncryption"}, {oid::sha384_with_rsa, "sha384WithRSAEncryption"},
    {oid::sha512_with_rsa, "sha512WithRSAEncryption"}, {oid::sha1_with_rsa, "sha1WithRSAEncryption"},
    {oid::sha224_with_rsa, "sha224WithRSAEncryption"}, {oid::md5_with_rsa, "md5WithRSAEncryption"},
    {oid::rsassa_pss, "rsassaPss"}, {oid::ecdsa_with_sha256, "ecdsa-with-SHA256"},
    {oid::ecdsa_with_sha384, "ecdsa-with-SHA384"}, {oid::ecdsa_with_sha512, "ecdsa-with-SHA512"},
    {oid::ecdsa_with_sha1, "ecdsa-with-SHA1"}, {oid::ecdsa_with_sha224, "ecdsa-with-SHA224"},
    {oid::ed25519, "ED25519"}, {oid::ed448, "ED448"},
};
const OidName key_names[] = {
    {oid::rsa_encryption, "rsaEncryption"}, {oid::rsassa_pss, "rsassaPss"}, {oid::ec_public_key, "id-ecPublicKey"},
    {oid::x25519, "X25519"}, {oid::ed25519, "ED25519"}, {oid::ed448, "ED448"},
};
const OidName curve_names[] = {
    {oid::prime256v1, "P-256"}, {oid::secp384r1, "P-384"}, {oid::secp521r1, "P-521"},
};
const OidName extension_names[] = {
    {oid::ce_basic_constraints, "basicConstraints"}, {oid::ce_key_usage, "keyUsage"},
    {oid::ce_ext_key_usage, "extendedKeyUsage"}, {oid::ce_subject_alt_name, "subjectAltName"},
    {oid::ce_issuer_alt_name, "issuerAltName"}, {oid::ce_name_constraints, "nameConstraints"},
    {oid::ce_authority_key_identifier, "authorityKeyIdentifier"},
    {oid::ce_subject_key_identifier, "subjectKeyIdentifier"}, {oid::ce_certificate_policies, "certificatePolicies"},
    {oid::ce_crl_distribution_points, "crlDistributionPoints"}, {oid::pe_authority_info_access, "authorityInfoAccess"},
    {oid::ce_policy_mappings, "policyMappings"}, {oid::ce_policy_constraints, "policyConstraints"},
    {oid::ce_inhibit_any_policy, "inhibitAnyPolicy"},
};
const OidName purpose_names[] = {
    {oid::kp_server_auth, "serverAuth"}, {oid::kp_client_auth, "clientAuth"}, {oid::kp_code_signing, "codeSigning"},
    {oid::kp_email_protection, "emailProtection"}, {oid::kp_time_stamping, "timeStamping"},
    {oid::kp_ocsp_signing, "OCSPSigning"}, {oid::any_extended_key_usage, "anyExtendedKeyUsage"},
};
const OidName access_names[] = {{oid::ad_ocsp, "OCSP"}, {oid::ad_ca_issuers, "caIssuers"}};

template <std::size_t N>
std::string name_of(Bytes content, const OidName (&table)[N]) {
    for (const auto& e : table)
        if (is(content, e.oid)) return e.name;
    return dotted(content);
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | cp >> 6), out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | cp >> 12), out += char(0x80 | (cp >> 6 & 0x3F)), out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | cp >> 18), out += char(0x80 | (cp >> 12 & 0x3F)), out += char(0x80 | (cp >> 6 & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

// A directory string as UTF-8: BMPString (UCS-2) and UniversalString (UCS-4) converted, TeletexString
// read as Latin-1 (what CAs put there in practice), the others as they are; non-strings in hex.
std::string string_value(std::uint8_t tag, Bytes v) {
    std::string out;
    switch (tag) {
    case asn1::tag::bmp_string:
        for (std::size_t i = 0; i + 1 < v.size(); i += 2) append_utf8(out, std::uint32_t(v[i]) << 8 | v[i + 1]);
        return out;
    case 0x1C:  // UniversalString
        for (std::size_t i = 0; i + 3 < v.size(); i += 4)
            append_utf8(out, std::uint32_t(v[i]) << 24 | std::uint32_t(v[i + 1]) << 16 | std::uint32_t(v[i + 2]) << 8 | v[i + 3]);
        return out;
    case asn1::tag::t61_string:
        for (std::uint8_t c : v) append_utf8(out, c);
        return out;
    case asn1::tag::utf8_string: case asn1::tag::printable_string: case asn1::tag::ia5_string: case 0x1A:  // VisibleString
        return std::string(v.begin(), v.end());
    default:
        return raw_hex(v);
    }
}

std::string text(Bytes b) { return std::string(b.begin(), b.end()); }

std::string ip_text(Bytes ip) {
    char buf[64];
    std::string out;
    if (ip.size() == 4) {
        std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
        return buf;
    }
    // IPv6: eight groups, lowercase hex without leading zeros (RFC 5952 §4.1), no "::" compression.
    for (std::size_t i = 0; i + 1 < ip.size(); i += 2) {
        std::snprintf(buf, sizeof buf, "%s%x", i ? ":" : "", unsigned(ip[i]) << 8 | ip[i + 1]);
        out += buf;
    }
    return out;
}

json general_name(const GeneralName& g, bool in_constraints) {
    switch (g.type) {
    case GeneralNameType::dns_name: return {{"type", "DNS"}, {"value", text(g.value)}};
    case GeneralNameType::rfc822_name: return {{"type", "email"}, {"value", text(g.value)}};
    case GeneralNameType::uri: return {{"type", "URI"}, {"value", text(g.value)}};
    case GeneralNameType::ip_address:
        if (in_constraints) {
            const std::size_t n = g.value.size() / 2;
            return {{"type", "IP"}, {"value", ip_text(g.value.first(n)) + "/" + ip_text(g.value.subspan(n))}};
        }
        return {{"type", "IP"}, {"value", ip_text(g.value)}};
    case GeneralNameType::directory_name: {
        x509::Name n;
        if (x509::check_name(g.value, n) != x509::X509Error::ok) return {{"type", "DirName"}, {"value", raw_hex(g.value)}};
        return {{"type", "DirName"}, {"value", name_text(n)}};
    }
    case GeneralNameType::registered_id: return {{"type", "RID"}, {"value", dotted(g.value)}};
    case GeneralNameType::other_name: return {{"type", "othername"}, {"value", raw_hex(g.value)}};
    case GeneralNameType::x400_address: return {{"type", "X400Name"}, {"value", raw_hex(g.value)}};
    case GeneralNameType::edi_party_name: return {{"type", "EdiPartyName"}, {"value", raw_hex(g.value)}};
    }
    return {};
}

json general_names(Bytes contents, bool subtrees = false) {
    json out = json::array();
    x509::GeneralNameCursor cur(contents, subtrees);
    GeneralName g;
    while (cur.next(g)) out.push_back(general_name(g, subtrees));
    return out;
}

json key_usage(std::uint16_t bits) {
    static const char* names[] = {"digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment",
                                  "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"};
    json out = json::array();
    for (unsigned i = 0; i < 9; i++)
        if (bits & (1u << i)) out.push_back(names[i]);
    return out;
}

json purposes(Bytes contents) {
    json out = json::array();
    asn1::Reader r(contents);
    Bytes o;
    while (!r.empty() && r.read_oid(o) == asn1::Asn1Error::ok) out.push_back(name_of(o, purpose_names));
    return out;
}

// certificatePolicies (§4.2.1.4): each policy OID with its CPS pointers and user-notice texts.
json policies(Bytes contents) {
    json out = json::array();
    asn1::Reader r(contents);
    asn1::Reader info;
    while (!r.empty() && r.read_sequence(info) == asn1::Asn1Error::ok) {
        Bytes policy;
        if (info.read_oid(policy) != asn1::Asn1Error::ok) break;
        json p = {{"policy", policy.size() == 4 && is(policy, oid::any_policy) ? "anyPolicy" : dotted(policy)}};
        asn1::Reader quals;
        if (!info.empty() && info.read_sequence(quals) == asn1::Asn1Error::ok) {
            json q = json::array();
            asn1::Reader qual;
            while (!quals.empty() && quals.read_sequence(qual) == asn1::Asn1Error::ok) {
                Bytes id, value;
                std::uint8_t tag = 0;
                if (qual.read_oid(id) != asn1::Asn1Error::ok || qual.read_any(tag, value) != asn1::Asn1Error::ok) break;
                if (is(id, oid::qt_cps)) {
                    q.push_back({{"cps", text(value)}});
                } else if (is(id, oid::qt_unotice)) {
                    // UserNotice ::= SEQUENCE { noticeRef NoticeReference OPTIONAL, explicitText DisplayText OPTIONAL }
                    asn1::Reader notice(value);
                    json n = json::object();
                    while (!notice.empty()) {
                        std::uint8_t t = 0;
                        Bytes v;
                        if (notice.read_any(t, v) != asn1::Asn1Error::ok) break;
                        if (t != asn1::tag::sequence) n["explicit_text"] = string_value(t, v);
                        else n["notice_ref"] = raw_hex(v);
                    }
                    q.push_back({{"user_notice", n}});
                } else {
                    q.push_back({{"qualifier", dotted(id)}, {"value", raw_hex(value)}});
                }
            }
            p["qualifiers"] = q;
        }
        out.push_back(p);
    }
    return out;
}

// cRLDistributionPoints (§4.2.1.13): the fullName of each point, its reasons and cRLIssuer.
json distribution_points(Bytes contents) {
    json out = json::array();
    asn1::Reader r(contents);
    asn1::Reader point;
    while (!r.empty() && r.read_sequence(point) == asn1::Asn1Error::ok) {
        json p = json::object();
        while (!point.empty()) {
            std::uint8_t t = 0;
            Bytes v;
            if (point.read_any(t, v) != asn1::Asn1Error::ok) break;
            if (t == asn1::tag::context_constructed(0)) {  // DistributionPointName
                asn1::Reader dpn(v);
                std::uint8_t t2 = 0;
                Bytes v2;
                if (dpn.read_any(t2, v2) != asn1::Asn1Error::ok) continue;
                if (t2 == asn1::tag::context_constructed(0)) p["full_name"] = general_names(v2);
                else p["relative_name"] = raw_hex(v2);
            } else if (t == asn1::tag::context_primitive(1)) {
                p["reasons"] = raw_hex(v);
            } else if (t == asn1::tag::context_constructed(2)) {
                p["crl_issuer"] = general_names(v);
            }
        }
        out.push_back(p);
    }
    return out;
}

// authorityInfoAccess (§4.2.2.1): access method and location of each description.
json access_descriptions(Bytes contents) {
    json out = json::array();
    asn1::Reader r(contents);
    asn1::Reader desc;
    while (!r.empty() && r.read_sequence(desc) == asn1::Asn1Error::ok) {
        Bytes method;
        if (desc.read_oid(method) != asn1::Asn1Error::ok) break;
        json locations = general_names(desc.rest());
        out.push_back({{"method", name_of(method, access_names)},
                       {"location", locations.empty() ? json() : locations[0]}});
    }
    return out;
}

// One Extension (§4.1.2.9) decoded by type; the parsed fields come from cert.extensions.
json extension(const Certificate& cert, Bytes id, bool critical, Bytes value) {
    const x509::Extensions& x = cert.extensions;
    json e = {{"oid", dotted(id)}, {"name", name_of(id, extension_names)}, {"critical", critical}};
    if (is(id, oid::ce_basic_constraints)) {
        e["ca"] = x.basic_constraints.ca;
        if (x.basic_constraints.has_path_len) e["path_len"] = x.basic_constraints.path_len;
    } else if (is(id, oid::ce_key_usage)) {
        e["usages"] = key_usage(x.key_usage.bits);
    } else if (is(id, oid::ce_ext_key_usage)) {
        e["purposes"] = purposes(x.ext_key_usage.purposes);
    } else if (is(id, oid::ce_subject_alt_name)) {
        e["names"] = general_names(x.subject_alt_name.names);
    } else if (is(id, oid::ce_name_constraints)) {
        if (x.name_constraints.has_permitted) e["permitted"] = general_names(x.name_constraints.permitted, true);
        if (x.name_constraints.has_excluded) e["excluded"] = general_names(x.name_constraints.excluded, true);
    } else if (is(id, oid::ce_authority_key_identifier)) {
        const auto& a = x.authority_key_identifier;
        if (a.has_key_id) e["key_id"] = hex(a.key_id);
        if (a.has_issuer) e["issuer"] = general_names(a.issuer);
        if (a.has_serial) e["serial"] = hex(a.serial);
    } else if (is(id, oid::ce_subject_key_identifier)) {
        e["key_id"] = hex(x.subject_key_identifier.key_id);
    } else if (is(id, oid::ce_certificate_policies)) {
        e["policies"] = policies(x.certificate_policies.policies);
    } else if (is(id, oid::ce_crl_distribution_points)) {
        e["points"] = distribution_points(x.crl_distribution_points.points);
    } else if (is(id, oid::pe_authority_info_access)) {
        e["descriptions"] = access_descriptions(x.authority_info_access.descriptions);
    } else {
        e["value"] = hex(value);  // a type not decoded here: its DER
    }
    return e;
}

json public_key(const Certificate& cert) {
    json k;
    // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
    asn1::Reader spki(cert.spki), seq, alg;
    Bytes alg_oid;
    if (spki.read_sequence(seq) == asn1::Asn1Error::ok && seq.read_sequence(alg) == asn1::Asn1Error::ok &&
        alg.read_oid(alg_oid) == asn1::Asn1Error::ok) {
        k["algorithm"] = name_of(alg_oid, key_names);
        Bytes curve;
        if (is(alg_oid, oid::ec_public_key) && alg.read_oid(curve) == asn1::Asn1Error::ok) k["curve"] = name_of(curve, curve_names);
    }
    if (cert.public_key_status != asn1::Asn1Error::ok) {
        k["status"] = asn1::error_name(cert.public_key_status);  // parsed, not usable here
        return k;
    }
    const asn1::Spki& key = cert.public_key;
    switch (key.type) {
    case asn1::KeyType::rsa: case asn1::KeyType::rsa_pss: {
        asn1::RsaPublicKeyDer rsa;
        if (asn1::parse_rsa_public_key(key.key, rsa) == asn1::Asn1Error::ok && !rsa.n.empty()) {
            std::size_t top = 8;
            while (top > 0 && !(rsa.n[0] & (1u << (top - 1)))) top--;
            k["bits"] = (rsa.n.size() - 1) * 8 + top;
            std::uint64_t e = 0;
            for (std::uint8_t b : rsa.e) e = e << 8 | b;
            if (rsa.e.size() <= 8) k["exponent"] = e;
        }
        break;
    }
    case asn1::KeyType::ec_p256: k["bits"] = 256; break;
    case asn1::KeyType::ec_p384: k["bits"] = 384; break;
    default: k["bits"] = key.key.size() * 8; break;  // X25519 / Ed25519: the raw key
    }
    k["key"] = hex(key.key);
    return k;
}

}  // namespace

std::string hex(Bytes b) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (std::uint8_t c : b) out += digits[c >> 4], out += digits[c & 15];
    return out;
}

std::string sha256_fingerprint(Bytes der) {
    AnyHash h(HashAlg::sha256);
    h.update(der);
    std::uint8_t digest[32];
    if (h.final(MutBytes(digest, sizeof digest)) != padlock::CryptoError::ok) return "(sha-256 failed)";
    return hex(Bytes(digest, sizeof digest));
}

std::string time_text(const asn1::Time& t) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.year, t.month, t.day, t.hour, t.minute, t.second);
    return buf;
}

std::string name_text(const x509::Name& name) {
    std::string out;
    x509::AttributeCursor cur(name);
    x509::Attribute a;
    std::size_t last_rdn = SIZE_MAX;
    while (cur.next(a)) {
        if (!out.empty()) out += a.rdn_index == last_rdn ? " + " : ", ";
        last_rdn = a.rdn_index;
        out += name_of(a.type, attribute_names) + "=" + string_value(a.string_tag, a.value);
    }
    return out;
}

nlohmann::ordered_json describe_certificate(const Certificate& cert) {
    json d;
    d["version"] = cert.version;
    d["serial"] = hex(cert.serial);
    d["subject"] = name_text(cert.subject);
    d["issuer"] = name_text(cert.issuer);
    d["not_before"] = time_text(cert.not_before);
    d["not_after"] = time_text(cert.not_after);
    d["not_before_unix"] = asn1::to_unix_seconds(cert.not_before);
    d["not_after_unix"] = asn1::to_unix_seconds(cert.not_after);
    d["public_key"] = public_key(cert);
    asn1::Reader alg(cert.signature_algorithm), seq;
    Bytes sig_oid;
    if (alg.read_sequence(seq) == asn1::Asn1Error::ok && seq.read_oid(sig_oid) == asn1::Asn1Error::ok)
        d["signature_algorithm"] = name_of(sig_oid, signature_names);
    if (cert.signature_alg_status != asn1::SignatureError::ok)
        d["signature_algorithm_status"] = asn1::error_name(cert.signature_alg_status);
    json exts = json::array();
    asn1::Reader all(cert.extensions.all), ext;
    while (!all.empty() && all.read_sequence(ext) == asn1::Asn1Error::ok) {
        // Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
        Bytes id, value;
        bool critical = false;
        if (ext.read_oid(id) != asn1::Asn1Error::ok) break;
        if (ext.next_is(asn1::tag::boolean) && ext.read_bool(critical) != asn1::Asn1Error::ok) break;
        if (ext.read_octet_string(value) != asn1::Asn1Error::ok) break;
        exts.push_back(extension(cert, id, critical, value));
    }
    d["extensions"] = exts;
    d["signature"] = hex(cert.signature);
    d["sha256_fingerprint"] = sha256_fingerprint(cert.der);
    return d;
}

namespace {

void text_lines(std::string& out, const json& v, const std::string& indent) {
    for (auto it = v.begin(); it != v.end(); ++it) {
        const std::string key = v.is_array() ? "-" : it.key() + ":";
        if (it->is_structured() && !it->empty()) {
            out += indent + key + "\n";
            text_lines(out, *it, indent + "    ");
        } else {
            out += indent + key + " " + (it->is_string() ? it->get<std::string>() : it->dump()) + "\n";
        }
    }
}

}  // namespace

std::string describe_text(const nlohmann::ordered_json& description) {
    std::string out;
    text_lines(out, description, "");
    return out;
}

}  // namespace padlock::tools
