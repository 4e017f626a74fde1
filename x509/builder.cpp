// SPDX-License-Identifier: Apache-2.0
// RFC 5280 §4.1 certificates built field by field in the order of the TBSCertificate ASN.1
// (§4.1.2.1-§4.1.2.9), extensions as in §4.2.1, then signed (§4.1.1.2-§4.1.1.3).
#include "x509/builder.hpp"

#include <algorithm>
#include <cstring>

#include "asn1/der.hpp"
#include "asn1/keys.hpp"
#include "asn1/oid.hpp"
#include "asn1/time.hpp"
#include "crypto/ec/ecdsa.hpp"
#include "crypto/hash/hash.hpp"

namespace padlock::x509 {

namespace {

using asn1::Writer;
using asn1::SignatureAlg;
namespace tag = asn1::tag;
namespace oid = asn1::oid;

Bytes text(std::string_view s) { return Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()); }

bool supported(const SigningKey& key) {
    switch (key.alg) {
    case SignatureAlg::ecdsa_p256_sha256: return true;
    case SignatureAlg::rsa_pkcs1_sha256:
    case SignatureAlg::rsa_pss_rsae_sha256: return true;
    default: return false;
    }
}

bool key_present(const SigningKey& key) {
    if (key.alg == SignatureAlg::ecdsa_p256_sha256) return key.p256_private.size() == 32;
    return key.rsa != nullptr;
}

// --- checks on the spec: everything that the encoding below cannot represent, refused up front ---

// §4.1.2.2: a positive INTEGER of at most 20 octets, counting the sign octet DER adds before a
// magnitude whose top bit is set.
bool serial_ok(Bytes serial) {
    if (serial.empty() || serial[0] == 0) return false;
    return serial.size() + (serial[0] & 0x80 ? 1 : 0) <= 20;
}

bool name_ok(const NameSpec& n) {
    if (!n.country.empty() && (n.country.size() != 2 || !asn1::valid_string(tag::printable_string, text(n.country))))
        return false;
    return asn1::valid_string(tag::utf8_string, text(n.organization)) &&
           asn1::valid_string(tag::utf8_string, text(n.common_name));
}

bool name_empty(const NameSpec& n) { return n.country.empty() && n.organization.empty() && n.common_name.empty(); }

// RFC 1034 §3.5 preferred name syntax as RFC 5280 §4.2.1.6 asks of dNSName: LDH labels of 1-63
// octets, 253 octets in all, with "*" allowed as the whole left-most label (RFC 9525 §6.3).
bool dns_name_ok(std::string_view name) {
    if (name.empty() || name.size() > 253) return false;
    std::size_t label = 0;
    for (std::size_t i = 0; i <= name.size(); i++) {
        if (i == name.size() || name[i] == '.') {
            if (label == 0 || label > 63) return false;
            const std::string_view l = name.substr(i - label, label);
            const bool wildcard = l == "*" && i == label && i != name.size();
            if (!wildcard && (l.front() == '-' || l.back() == '-')) return false;
            if (!wildcard)
                for (char c : l)
                    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
                        return false;
            label = 0;
        } else {
            label++;
        }
    }
    return true;
}

X509Error check_spec(const CertificateSpec& spec, asn1::Time& not_before, asn1::Time& not_after) {
    if (!serial_ok(spec.serial) || !name_ok(spec.issuer) || !name_ok(spec.subject) || name_empty(spec.issuer))
        return X509Error::bad_certificate_spec;
    if (spec.not_after < spec.not_before) return X509Error::bad_certificate_spec;
    if (asn1::from_unix_seconds(spec.not_before, not_before) != asn1::Asn1Error::ok ||
        asn1::from_unix_seconds(spec.not_after, not_after) != asn1::Asn1Error::ok)
        return X509Error::bad_certificate_spec;
    asn1::Spki spki;
    if (asn1::parse_spki(spec.subject_public_key, spki) != asn1::Asn1Error::ok) return X509Error::bad_certificate_spec;
    if (spec.path_len < -1 || (spec.path_len >= 0 && !spec.ca)) return X509Error::bad_certificate_spec;
    if (spec.key_usage >> 9) return X509Error::bad_certificate_spec;  // nine named bits (§4.2.1.3)
    for (std::string_view d : spec.dns_names)
        if (!dns_name_ok(d)) return X509Error::bad_certificate_spec;
    for (Bytes ip : spec.ip_addresses)
        if (ip.size() != 4 && ip.size() != 16) return X509Error::bad_certificate_spec;
    // §4.1.2.6: an empty subject needs a subjectAltName to name the subject at all.
    if (name_empty(spec.subject) && spec.dns_names.empty() && spec.ip_addresses.empty())
        return X509Error::bad_certificate_spec;
    return X509Error::ok;
}

// --- the encodings ---

// AlgorithmIdentifier for the signature (§4.1.1.2): ecdsa-with-SHA256 without parameters
// (RFC 5758 §3.2), sha256WithRSAEncryption with NULL (RFC 4055 §5), RSASSA-PSS with explicit
// RSASSA-PSS-params: SHA-256, MGF1-SHA-256, saltLength 32, trailerField left at its DEFAULT
// (RFC 4055 §3.1; hash AlgorithmIdentifiers with NULL parameters, as RFC 4055 §2.1 says to write).
void write_signature_algorithm(Writer& w, SignatureAlg alg) {
    const auto seq = w.begin(tag::sequence);
    switch (alg) {
    case SignatureAlg::ecdsa_p256_sha256: w.add_oid(oid::ecdsa_with_sha256); break;
    case SignatureAlg::rsa_pkcs1_sha256: w.add_oid(oid::sha256_with_rsa); w.add_null(); break;
    default: {  // rsa_pss_rsae_sha256 (supported() let nothing else through)
        w.add_oid(oid::rsassa_pss);
        const auto params = w.begin(tag::sequence);
        const auto hash = w.begin(tag::context_constructed(0));
        const auto hash_alg = w.begin(tag::sequence);
        w.add_oid(oid::sha256);
        w.add_null();
        w.end(hash_alg);
        w.end(hash);
        const auto mgf = w.begin(tag::context_constructed(1));
        const auto mgf_alg = w.begin(tag::sequence);
        w.add_oid(oid::mgf1);
        const auto mgf_hash = w.begin(tag::sequence);
        w.add_oid(oid::sha256);
        w.add_null();
        w.end(mgf_hash);
        w.end(mgf_alg);
        w.end(mgf);
        const auto salt = w.begin(tag::context_constructed(2));
        w.add_small_uint(32);
        w.end(salt);
        w.end(params);
        break;
    }
    }
    w.end(seq);
}

// Name ::= SEQUENCE OF RelativeDistinguishedName, one AttributeTypeAndValue per RDN (§4.1.2.4).
void write_name(Writer& w, const NameSpec& n) {
    const auto name = w.begin(tag::sequence);
    auto attribute = [&](Bytes type, std::uint8_t string_tag, std::string_view value) {
        if (value.empty()) return;
        const auto rdn = w.begin(tag::set);
        const auto atv = w.begin(tag::sequence);
        w.add_oid(type);
        w.add_element(string_tag, text(value));
        w.end(atv);
        w.end(rdn);
    };
    attribute(oid::at_country, tag::printable_string, n.country);
    attribute(oid::at_organization, tag::utf8_string, n.organization);
    attribute(oid::at_common_name, tag::utf8_string, n.common_name);
    w.end(name);
}

// Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }:
// `critical` FALSE is left out (X.690 §11.5). Returns the mark of the extnValue's OCTET STRING,
// whose contents the caller writes before end_extension.
struct ExtensionMarks { Writer::Mark extension, value; };
ExtensionMarks begin_extension(Writer& w, Bytes id, bool critical) {
    const auto ext = w.begin(tag::sequence);
    w.add_oid(id);
    if (critical) w.add_bool(true);
    return {ext, w.begin(tag::octet_string)};
}
void end_extension(Writer& w, ExtensionMarks m) {
    w.end(m.value);
    w.end(m.extension);
}

// KeyUsage ::= BIT STRING with named bits, bit 0 the most significant bit of the first octet; DER
// drops trailing zero bits (X.690 §11.2.2) and counts them in the unused-bits octet.
void write_key_usage(Writer& w, std::uint16_t bits) {
    unsigned highest = 0;
    for (unsigned b = 0; b < 9; b++)
        if (bits & (1u << b)) highest = b;
    const unsigned used = highest + 1;
    const unsigned octets = (used + 7) / 8;
    std::uint8_t content[3] = {std::uint8_t(octets * 8 - used), 0, 0};
    for (unsigned b = 0; b < 9; b++)
        if (bits & (1u << b)) content[1 + b / 8] |= std::uint8_t(0x80 >> (b % 8));
    w.add_element(tag::bit_string, Bytes(content, 1 + octets));
}

void write_extensions(Writer& w, const CertificateSpec& spec, Bytes subject_key_id, Bytes authority_key_id) {
    const auto explicit3 = w.begin(tag::context_constructed(3));
    const auto list = w.begin(tag::sequence);

    // §4.2.1.9 BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }
    auto m = begin_extension(w, oid::ce_basic_constraints, true);
    const auto bc = w.begin(tag::sequence);
    if (spec.ca) w.add_bool(true);
    if (spec.path_len >= 0) w.add_small_uint(std::uint64_t(spec.path_len));
    w.end(bc);
    end_extension(w, m);

    if (spec.key_usage != 0) {  // §4.2.1.3: "conforming CAs SHOULD mark this extension as critical"
        m = begin_extension(w, oid::ce_key_usage, true);
        write_key_usage(w, spec.key_usage);
        end_extension(w, m);
    }

    if (spec.server_auth || spec.client_auth) {  // §4.2.1.12 ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId
        m = begin_extension(w, oid::ce_ext_key_usage, false);
        const auto purposes = w.begin(tag::sequence);
        if (spec.server_auth) w.add_oid(oid::kp_server_auth);
        if (spec.client_auth) w.add_oid(oid::kp_client_auth);
        w.end(purposes);
        end_extension(w, m);
    }

    if (!spec.dns_names.empty() || !spec.ip_addresses.empty()) {  // §4.2.1.6 GeneralNames
        m = begin_extension(w, oid::ce_subject_alt_name, name_empty(spec.subject));
        const auto names = w.begin(tag::sequence);
        for (std::string_view d : spec.dns_names) w.add_element(tag::context_primitive(2), text(d));  // dNSName IA5String
        for (Bytes ip : spec.ip_addresses) w.add_element(tag::context_primitive(7), ip);             // iPAddress OCTET STRING
        w.end(names);
        end_extension(w, m);
    }

    if (!subject_key_id.empty()) {  // §4.2.1.2 SubjectKeyIdentifier ::= KeyIdentifier (OCTET STRING)
        m = begin_extension(w, oid::ce_subject_key_identifier, false);
        w.add_octet_string(subject_key_id);
        end_extension(w, m);
    }
    if (!authority_key_id.empty()) {  // §4.2.1.1 AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT ... }
        m = begin_extension(w, oid::ce_authority_key_identifier, false);
        const auto aki = w.begin(tag::sequence);
        w.add_element(tag::context_primitive(0), authority_key_id);
        w.end(aki);
        end_extension(w, m);
    }

    w.end(list);
    w.end(explicit3);
}

X509Error map_crypto_error(padlock::CryptoError e) {
    if (e == padlock::CryptoError::ok) return X509Error::ok;
    if (e == padlock::CryptoError::rng_failure) return X509Error::rng_failure;
    return X509Error::signing_failed;
}

// The signatureValue octets (§4.1.1.3): a DER Ecdsa-Sig-Value (RFC 3279 §2.2.3) or the RSA
// signature of modulus length (RFC 8017 §8.1.1, §8.2.1).
X509Error compute_signature(Bytes tbs, const SigningKey& key, const Rng& rng, std::span<std::uint8_t, max_certificate_signature> sig,
                        std::size_t& sig_len) {
    switch (key.alg) {
    case SignatureAlg::ecdsa_p256_sha256: {
        std::uint8_t rs[ecdsa_p256_signature_size];
        const X509Error e = map_crypto_error(ecdsa_p256_sign(key.p256_private.first<32>(), HashAlg::sha256,
                                                         tbs, std::span<std::uint8_t, 64>(rs), &rng));
        if (e != X509Error::ok) return e;
        const Bytes r(rs, 32), s(rs + 32, 32);
        return asn1::write_ecdsa_signature(r, s, sig, sig_len) == asn1::Asn1Error::ok ? X509Error::ok : X509Error::buffer_too_small;
    }
    case SignatureAlg::rsa_pkcs1_sha256:
    case SignatureAlg::rsa_pss_rsae_sha256: {
        sig_len = key.rsa->modulus_bytes();
        const MutBytes out = sig.first(sig_len);
        const padlock::CryptoError e = key.alg == SignatureAlg::rsa_pkcs1_sha256
                                     ? rsa_pkcs1_sign(*key.rsa, HashAlg::sha256, tbs, rng, out)
                                     : rsa_pss_sign(*key.rsa, HashAlg::sha256, HashAlg::sha256, 32, tbs, rng, out);
        return map_crypto_error(e);
    }
    default: return X509Error::unsupported_signature_algorithm;
    }
}

// Appends signatureAlgorithm and signatureValue to a Certificate whose tbsCertificate `w` holds.
X509Error append_signature(Writer& w, Bytes tbs, const SigningKey& key, const Rng& rng) {
    std::uint8_t sig[max_certificate_signature];
    std::size_t sig_len = 0;
    if (X509Error e = compute_signature(tbs, key, rng, sig, sig_len); e != X509Error::ok) return e;
    write_signature_algorithm(w, key.alg);
    w.add_bit_string(Bytes(sig, sig_len));
    return X509Error::ok;
}

X509Error finish(const Writer& w, MutBytes out, std::size_t& length) {
    std::size_t n = 0;
    if (w.finish(n) != asn1::Asn1Error::ok) {
        std::fill(out.begin(), out.end(), std::uint8_t(0));
        return X509Error::buffer_too_small;
    }
    length = n;
    return X509Error::ok;
}

X509Error fail(MutBytes out, X509Error e) {
    std::fill(out.begin(), out.end(), std::uint8_t(0));
    return e;
}

}  // namespace

X509Error key_identifier(Bytes spki_der, std::span<std::uint8_t, 20> out) {
    asn1::Spki spki;
    if (asn1::parse_spki(spki_der, spki) != asn1::Asn1Error::ok) return X509Error::bad_certificate_spec;
    std::uint8_t digest[32];
    if (hash(HashAlg::sha256, spki.key, digest) != padlock::CryptoError::ok) return X509Error::bad_certificate_spec;
    std::memcpy(out.data(), digest, 20);
    return X509Error::ok;
}

X509Error build_tbs_certificate(const CertificateSpec& spec, const SigningKey& issuer_key, MutBytes out,
                            std::size_t& length) {
    if (!supported(issuer_key)) return X509Error::unsupported_signature_algorithm;
    if (!key_present(issuer_key)) return X509Error::bad_certificate_spec;
    asn1::Time not_before, not_after;
    if (X509Error e = check_spec(spec, not_before, not_after); e != X509Error::ok) return e;
    std::uint8_t subject_id[20], authority_id[20];
    Bytes subject_key_id, authority_key_id;
    if (spec.key_identifiers) {
        if (X509Error e = key_identifier(spec.subject_public_key, subject_id); e != X509Error::ok) return e;
        if (X509Error e = key_identifier(issuer_key.spki, authority_id); e != X509Error::ok) return e;
        subject_key_id = subject_id;
        authority_key_id = authority_id;
    }

    Writer w(out);
    const auto tbs = w.begin(tag::sequence);
    const auto version = w.begin(tag::context_constructed(0));  // §4.1.2.1: [0] EXPLICIT v3(2)
    w.add_small_uint(2);
    w.end(version);
    w.add_integer(spec.serial);                     // §4.1.2.2
    write_signature_algorithm(w, issuer_key.alg);   // §4.1.2.3: the same as signatureAlgorithm
    write_name(w, spec.issuer);                     // §4.1.2.4
    const auto validity = w.begin(tag::sequence);   // §4.1.2.5
    (void)asn1::write_time(w, not_before);          // both checked by from_unix_seconds above
    (void)asn1::write_time(w, not_after);
    w.end(validity);
    write_name(w, spec.subject);                    // §4.1.2.6
    w.add_raw(spec.subject_public_key);             // §4.1.2.7
    write_extensions(w, spec, subject_key_id, authority_key_id);  // §4.1.2.9 (no unique IDs, §4.1.2.8)
    w.end(tbs);
    return finish(w, out, length);
}

X509Error sign_certificate(Bytes tbs, const SigningKey& issuer_key, const Rng& rng, MutBytes out, std::size_t& length) {
    if (!supported(issuer_key)) return X509Error::unsupported_signature_algorithm;
    if (!key_present(issuer_key)) return X509Error::bad_certificate_spec;
    Writer w(out);
    const auto cert = w.begin(tag::sequence);
    w.add_raw(tbs);
    if (X509Error e = append_signature(w, tbs, issuer_key, rng); e != X509Error::ok) return fail(out, e);
    w.end(cert);
    return finish(w, out, length);
}

X509Error build_certificate(const CertificateSpec& spec, const SigningKey& issuer_key, const Rng& rng, MutBytes out,
                        std::size_t& length) {
    // The TBSCertificate is written where the Certificate's contents begin: after its identifier
    // octet and the one length octet Writer::begin reserves. add_raw then copies it onto itself.
    constexpr std::size_t header = 2;
    if (out.size() < header) return fail(out, X509Error::buffer_too_small);
    std::size_t tbs_len = 0;
    if (X509Error e = build_tbs_certificate(spec, issuer_key, out.subspan(header), tbs_len); e != X509Error::ok)
        return fail(out, e);
    Writer w(out);
    const auto cert = w.begin(tag::sequence);
    const Bytes tbs(out.data() + header, tbs_len);
    w.add_raw(tbs);
    if (X509Error e = append_signature(w, tbs, issuer_key, rng); e != X509Error::ok) return fail(out, e);
    w.end(cert);
    return finish(w, out, length);
}

}  // namespace padlock::x509
