// SPDX-License-Identifier: Apache-2.0
// RFC 5280 §4.1: Certificate and TBSCertificate parsed in place, field by field in the order of the
// ASN.1, with strict DER (X.690 §10-11) and the profile's rules cited where they reject. Also the
// certificate-level checks that need nothing but the certificate (§4.2 criticality, §4.1.2.5
// validity) and the signature check against an issuer's key (§6.1.3 (a)(1)).
#include "x509/certificate.hpp"

#include <cstring>

namespace padlock::x509 {

namespace {

using asn1::Reader;
namespace tag = asn1::tag;

// AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL } (§4.1.1.2): the
// framing, for algorithms whose parameters the signature map does not read itself.
bool algorithm_identifier_well_formed(Bytes whole) {
    Reader top(whole), alg;
    Bytes id, contents;
    std::uint8_t t = 0;
    if (top.read_sequence(alg) != asn1::Asn1Error::ok || top.done() != asn1::Asn1Error::ok) return false;
    if (alg.read_oid(id) != asn1::Asn1Error::ok) return false;
    if (!alg.empty() && alg.read_any(t, contents) != asn1::Asn1Error::ok) return false;
    return alg.done() == asn1::Asn1Error::ok;
}

X509Error read_signature_algorithm(Reader& r, Bytes& whole, asn1::SignatureError& status,
                               asn1::SignatureAlgorithmId& id) {
    if (r.read_element_whole(tag::sequence, whole) != asn1::Asn1Error::ok) return X509Error::bad_signature_algorithm;
    if (!algorithm_identifier_well_formed(whole)) return X509Error::bad_signature_algorithm;
    status = asn1::parse_signature_algorithm(whole, id);
    if (status == asn1::SignatureError::malformed_algorithm || status == asn1::SignatureError::bad_parameters)
        return X509Error::bad_signature_algorithm;
    return X509Error::ok;
}

// §4.1.2.5: both forms in the strict Z form with seconds (asn1::read_time). "CAs conforming to this
// profile MUST always encode certificate validity dates through the year 2049 as UTCTime": that
// binds issuers, and trusted roots break it (Certum Trusted Network CA 2: GeneralizedTime 2011 and
// 2046), so a relying party reads both and records the lapse instead of refusing it.
X509Error read_validity_time(Reader& r, asn1::Time& t, bool& generalized_before_2050) {
    const bool generalized = r.next_is(tag::generalized_time);
    if (asn1::read_time(r, t) != asn1::Asn1Error::ok) {
        return r.next_is(tag::utc_time) || generalized ? X509Error::bad_time : X509Error::malformed_validity;
    }
    if (generalized && t.year < 2050) generalized_before_2050 = true;
    return X509Error::ok;
}

// UniqueIdentifier ::= BIT STRING under [1]/[2] IMPLICIT (§4.1.2.8), checked as X.690 §8.6.2.
X509Error read_unique_id(Reader& r, std::uint8_t t, bool& present, Bytes& out) {
    present = false;
    if (!r.next_is(t)) return X509Error::ok;
    Bytes c;
    if (r.read_element(t, c) != asn1::Asn1Error::ok) return X509Error::bad_unique_id;
    if (c.empty() || c[0] > 7 || (c.size() == 1 && c[0] != 0)) return X509Error::bad_unique_id;
    if (c[0] != 0 && (c.back() & ((1u << c[0]) - 1)) != 0) return X509Error::bad_unique_id;
    present = true;
    out = c.subspan(1);
    return X509Error::ok;
}

// §4.1.2.7 SubjectPublicKeyInfo. Keys of algorithms asn1 does not decode (DSA, P-521, ...) still
// parse: their framing is checked and the reason is kept in public_key_status.
X509Error read_public_key(Reader& r, Certificate& c) {
    if (r.read_element_whole(tag::sequence, c.spki) != asn1::Asn1Error::ok) return X509Error::malformed_public_key;
    const asn1::Asn1Error e = asn1::parse_spki(c.spki, c.public_key);
    c.public_key_status = e;
    if (e == asn1::Asn1Error::ok) return X509Error::ok;
    if (e != asn1::Asn1Error::unknown_algorithm && e != asn1::Asn1Error::unsupported_curve) return X509Error::malformed_public_key;
    Reader top(c.spki), spki;
    Bytes alg, key;
    if (top.read_sequence(spki) != asn1::Asn1Error::ok || spki.read_element_whole(tag::sequence, alg) != asn1::Asn1Error::ok ||
        !algorithm_identifier_well_formed(alg) || spki.read_bit_string(key) != asn1::Asn1Error::ok ||
        spki.done() != asn1::Asn1Error::ok)
        return X509Error::malformed_public_key;
    c.public_key = asn1::Spki{};
    return X509Error::ok;
}

X509Error parse_tbs(Bytes tbs_whole, Certificate& c) {
    Reader top(tbs_whole), tbs;
    if (top.read_sequence(tbs) != asn1::Asn1Error::ok) return X509Error::malformed_tbs_certificate;

    // version [0] EXPLICIT Version DEFAULT v1 (§4.1.2.1); DER leaves v1 out (X.690 §11.5).
    c.version = 1;
    if (tbs.next_is(tag::context_constructed(0))) {
        Reader v;
        std::uint64_t n = 0;
        if (tbs.read_element(tag::context_constructed(0), v) != asn1::Asn1Error::ok || v.read_small_uint(n) != asn1::Asn1Error::ok ||
            v.done() != asn1::Asn1Error::ok)
            return X509Error::bad_version;
        if (n != 1 && n != 2) return X509Error::bad_version;  // 0 spelt out, or not v2/v3
        c.version = unsigned(n) + 1;
    }
    // serialNumber: positive, at most 20 octets (§4.1.2.2). Zero is tolerated: it is non-negative
    // and some long-lived roots carry it ("gracefully handle", §4.1.2.2).
    if (tbs.read_integer(c.serial) != asn1::Asn1Error::ok || c.serial.size() > 20) return X509Error::bad_serial_number;
    Bytes inner_alg;
    if (X509Error e = read_signature_algorithm(tbs, inner_alg, c.signature_alg_status, c.signature_alg_id); e != X509Error::ok)
        return e;
    c.signature_algorithm = inner_alg;

    Bytes name;
    if (tbs.read_element_whole(tag::sequence, name) != asn1::Asn1Error::ok) return X509Error::malformed_name;
    if (X509Error e = check_name(name, c.issuer); e != X509Error::ok) return e;
    if (c.issuer.rdn_count == 0) return X509Error::empty_issuer;  // §4.1.2.4

    Reader validity;
    if (tbs.read_sequence(validity) != asn1::Asn1Error::ok) return X509Error::malformed_validity;
    if (X509Error e = read_validity_time(validity, c.not_before, c.generalized_time_before_2050); e != X509Error::ok) return e;
    if (X509Error e = read_validity_time(validity, c.not_after, c.generalized_time_before_2050); e != X509Error::ok) return e;
    if (validity.done() != asn1::Asn1Error::ok) return X509Error::malformed_validity;

    if (tbs.read_element_whole(tag::sequence, name) != asn1::Asn1Error::ok) return X509Error::malformed_name;
    if (X509Error e = check_name(name, c.subject); e != X509Error::ok) return e;

    if (X509Error e = read_public_key(tbs, c); e != X509Error::ok) return e;

    // issuerUniqueID [1], subjectUniqueID [2]: v2 or v3 only (§4.1.2.8).
    if (X509Error e = read_unique_id(tbs, tag::context_primitive(1), c.has_issuer_unique_id, c.issuer_unique_id); e != X509Error::ok)
        return e;
    if (X509Error e = read_unique_id(tbs, tag::context_primitive(2), c.has_subject_unique_id, c.subject_unique_id); e != X509Error::ok)
        return e;
    if (c.version == 1 && (c.has_issuer_unique_id || c.has_subject_unique_id)) return X509Error::bad_unique_id;

    // extensions [3] EXPLICIT Extensions: v3 only (§4.1.2.9).
    if (tbs.next_is(tag::context_constructed(3))) {
        if (c.version != 3) return X509Error::extensions_not_v3;
        Reader wrapper, list;
        if (tbs.read_element(tag::context_constructed(3), wrapper) != asn1::Asn1Error::ok ||
            wrapper.read_sequence(list) != asn1::Asn1Error::ok || wrapper.done() != asn1::Asn1Error::ok)
            return X509Error::malformed_extension;
        if (list.empty()) return X509Error::empty_extensions;  // Extensions ::= SEQUENCE SIZE (1..MAX)
        if (X509Error e = parse_extensions(list.rest(), c.extensions); e != X509Error::ok) return e;
    }
    if (tbs.done() != asn1::Asn1Error::ok) return X509Error::malformed_tbs_certificate;
    // §4.1.2.6: "If the subject field contains an empty sequence, then the issuing CA MUST include
    // a subjectAltName extension that is marked as critical."
    const SubjectAltName& san = c.extensions.subject_alt_name;
    if (c.subject.rdn_count == 0 && !(san.present && san.critical)) return X509Error::empty_subject_without_critical_san;
    return X509Error::ok;
}

}  // namespace

// §4.1.1: Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }.
X509Error parse_certificate(Bytes der, Certificate& out) {
    Certificate c;
    c.der = der;
    Reader top(der), cert;
    if (top.read_sequence(cert) != asn1::Asn1Error::ok || top.done() != asn1::Asn1Error::ok) return X509Error::malformed_certificate;
    if (cert.read_element_whole(tag::sequence, c.tbs) != asn1::Asn1Error::ok) return X509Error::malformed_certificate;
    if (X509Error e = parse_tbs(c.tbs, c); e != X509Error::ok) return e;

    Bytes outer_alg;
    asn1::SignatureError outer_status;
    asn1::SignatureAlgorithmId outer_id;
    if (X509Error e = read_signature_algorithm(cert, outer_alg, outer_status, outer_id); e != X509Error::ok) return e;
    // §4.1.1.2: "This field MUST contain the same algorithm identifier as the signature field in
    // the sequence tbsCertificate" — compared as encodings, so NULL-vs-absent differences count.
    if (outer_alg.size() != c.signature_algorithm.size() ||
        std::memcmp(outer_alg.data(), c.signature_algorithm.data(), outer_alg.size()) != 0)
        return X509Error::signature_algorithm_mismatch;
    if (cert.read_bit_string(c.signature) != asn1::Asn1Error::ok) return X509Error::malformed_signature_value;  // §4.1.1.3
    if (cert.done() != asn1::Asn1Error::ok) return X509Error::malformed_certificate;
    out = c;
    return X509Error::ok;
}

X509Error read_signature_algorithm_field(asn1::Reader& r, Bytes& whole, asn1::SignatureError& status,
                                     asn1::SignatureAlgorithmId& id) {
    return read_signature_algorithm(r, whole, status, id);
}

X509Error check_critical_extensions(const Certificate& cert) {
    return cert.extensions.has_unknown_critical ? X509Error::unknown_critical_extension : X509Error::ok;
}

X509Error verify_signed_by(const Certificate& cert, const Certificate& issuer, asn1::SignatureVerifier verify) {
    return verify_signed_bytes(cert.signature_alg_status, cert.signature_alg_id, cert.tbs, cert.signature, issuer,
                               verify);
}

X509Error verify_signed_bytes(asn1::SignatureError alg_status, asn1::SignatureAlgorithmId alg_id, Bytes tbs,
                          Bytes signature, const Certificate& issuer, asn1::SignatureVerifier verify) {
    switch (alg_status) {
    case asn1::SignatureError::ok: break;
    case asn1::SignatureError::unknown_algorithm: return X509Error::unknown_signature_algorithm;
    default: return X509Error::unsupported_signature_algorithm;
    }
    if (issuer.public_key_status != asn1::Asn1Error::ok) return X509Error::unsupported_public_key;
    asn1::SignatureAlg alg;
    switch (asn1::select_signature_alg(alg_id, issuer.public_key, alg)) {
    case asn1::SignatureError::ok: break;
    case asn1::SignatureError::key_mismatch: return X509Error::signature_key_mismatch;
    default: return X509Error::unsupported_signature_algorithm;
    }
    if (verify == nullptr) return X509Error::unsupported_signature_algorithm;
    switch (verify(alg, issuer.public_key, tbs, signature)) {
    case asn1::SignatureError::ok: return X509Error::ok;
    case asn1::SignatureError::unsupported_algorithm: return X509Error::unsupported_signature_algorithm;
    case asn1::SignatureError::key_mismatch: return X509Error::signature_key_mismatch;
    case asn1::SignatureError::bad_key: return X509Error::unsupported_public_key;
    default: return X509Error::bad_signature;
    }
}

bool valid_at(const Certificate& cert, std::int64_t unix_seconds) {
    // §4.1.2.5: "the period of time from notBefore through notAfter, inclusive".
    return asn1::to_unix_seconds(cert.not_before) <= unix_seconds && unix_seconds <= asn1::to_unix_seconds(cert.not_after);
}

Result parse_chain(std::span<const Bytes> ders, std::span<Certificate> out) {
    if (out.size() < ders.size()) return {X509Error::buffer_too_small, 0};
    for (std::size_t i = 0; i < ders.size(); i++)
        if (X509Error e = parse_certificate(ders[i], out[i]); e != X509Error::ok) return {e, i};
    return {};
}

}  // namespace padlock::x509
