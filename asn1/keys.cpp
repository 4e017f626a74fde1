// SPDX-License-Identifier: Apache-2.0
// Key and signature encodings: SPKI (RFC 5280 §4.1.2.7 with RFC 3279 §2.3.1, RFC 4055 §1.2,
// RFC 5480 §2, RFC 8410 §4), PKCS#8 (RFC 5208 §5, RFC 5958 §2, RFC 8410 §7), SEC1 ECPrivateKey
// (RFC 5915 §3), PKCS#1 (RFC 8017 A.1) and Ecdsa-Sig-Value (RFC 3279 §2.2.3).
// Not constant time: parsing branches on the lengths of secret integers, which DER reveals anyway.
#include "asn1/keys.hpp"

#include "asn1/oid.hpp"
#include "crypto/ct.hpp"

namespace padlock::asn1 {

namespace {

bool is_ec(KeyType t) { return t == KeyType::ec_p256 || t == KeyType::ec_p384; }
bool is_rsa(KeyType t) { return t == KeyType::rsa || t == KeyType::rsa_pss; }

// Size in octets of a field element / scalar of the curve (SEC1 §2.3.3, RFC 5915 §3).
std::size_t curve_octets(KeyType t) { return t == KeyType::ec_p384 ? 48 : 32; }

Bytes curve_oid(KeyType t) {
    return t == KeyType::ec_p384 ? Bytes(oid::secp384r1) : Bytes(oid::prime256v1);
}

// RFC 5480 §2.1.1: ECParameters ::= CHOICE { namedCurve OID, implicitCurve NULL,
// specifiedCurve SpecifiedECDomain }; PKIX "MUST NOT" use the latter two.
Asn1Error read_named_curve(Reader& r, KeyType& curve, Bytes& curve_oid_content) {
    if (!r.next_is(tag::oid)) return Asn1Error::bad_parameters;
    Bytes id;
    if (Asn1Error e = r.read_oid(id); e != Asn1Error::ok) return e;
    if (oid::equal(id, oid::prime256v1)) curve = KeyType::ec_p256;
    else if (oid::equal(id, oid::secp384r1)) curve = KeyType::ec_p384;
    else return Asn1Error::unsupported_curve;
    curve_oid_content = id;
    return Asn1Error::ok;
}

// AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY DEFINED BY algorithm OPTIONAL }
// (RFC 5280 §4.1.1.2), with each key algorithm's rule for the parameters.
Asn1Error read_key_algorithm(Reader& r, KeyType& type, Bytes& params) {
    Reader alg;
    if (Asn1Error e = r.read_sequence(alg); e != Asn1Error::ok) return e;
    Bytes id;
    if (Asn1Error e = alg.read_oid(id); e != Asn1Error::ok) return e;
    params = {};
    if (oid::equal(id, oid::rsa_encryption)) {
        // RFC 3279 §2.3.1: "the parameters field MUST have ASN.1 type NULL".
        type = KeyType::rsa;
        if (!alg.next_is(tag::null)) return Asn1Error::bad_parameters;
        if (Asn1Error e = alg.read_null(); e != Asn1Error::ok) return e;
    } else if (oid::equal(id, oid::rsassa_pss)) {
        // RFC 4055 §1.2: parameters absent (any PSS parameters) or RSASSA-PSS-params.
        type = KeyType::rsa_pss;
        if (!alg.empty()) {
            if (!alg.next_is(tag::sequence)) return Asn1Error::bad_parameters;
            if (Asn1Error e = alg.read_element_whole(tag::sequence, params); e != Asn1Error::ok) return e;
            RsaPssParams pss;
            if (Asn1Error e = parse_rsassa_pss_params(params, pss); e != Asn1Error::ok) return e;
        }
    } else if (oid::equal(id, oid::ec_public_key)) {
        if (Asn1Error e = read_named_curve(alg, type, params); e != Asn1Error::ok) return e;
    } else if (oid::equal(id, oid::x25519) || oid::equal(id, oid::ed25519)) {
        // RFC 8410 §3: "the parameters MUST be absent".
        type = oid::equal(id, oid::x25519) ? KeyType::x25519 : KeyType::ed25519;
        if (!alg.empty()) return Asn1Error::bad_parameters;
    } else {
        return Asn1Error::unknown_algorithm;
    }
    return alg.done();
}

void write_key_algorithm(Writer& w, KeyType type, Bytes params) {
    const auto alg = w.begin(tag::sequence);
    switch (type) {
    case KeyType::rsa: w.add_oid(oid::rsa_encryption); w.add_null(); break;
    case KeyType::rsa_pss: w.add_oid(oid::rsassa_pss); w.add_raw(params); break;
    case KeyType::ec_p256:
    case KeyType::ec_p384: w.add_oid(oid::ec_public_key); w.add_oid(curve_oid(type)); break;
    case KeyType::x25519: w.add_oid(oid::x25519); break;
    case KeyType::ed25519: w.add_oid(oid::ed25519); break;
    }
    w.end(alg);
}

// SEC1 §2.3.3 point encodings: 04||X||Y or 02/03||X. Whether it is on the curve is the curve's job.
bool ec_point_length_ok(KeyType curve, Bytes point) {
    const std::size_t l = curve_octets(curve);
    if (point.empty()) return false;
    if (point[0] == 0x04) return point.size() == 1 + 2 * l;
    if (point[0] == 0x02 || point[0] == 0x03) return point.size() == 1 + l;
    return false;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// SubjectPublicKeyInfo (RFC 5280 §4.1.2.7)

Asn1Error parse_spki(Bytes der, Spki& out) {
    Reader top(der), spki;
    if (Asn1Error e = top.read_sequence(spki); e != Asn1Error::ok) return e;
    if (Asn1Error e = top.done(); e != Asn1Error::ok) return e;
    Spki s;
    if (Asn1Error e = read_key_algorithm(spki, s.type, s.params); e != Asn1Error::ok) return e;
    if (Asn1Error e = spki.read_bit_string(s.key); e != Asn1Error::ok) return e;
    if (Asn1Error e = spki.done(); e != Asn1Error::ok) return e;

    if (is_rsa(s.type)) {
        RsaPublicKeyDer rsa;  // RFC 3279 §2.3.1: the BIT STRING holds an RSAPublicKey
        if (Asn1Error e = parse_rsa_public_key(s.key, rsa); e != Asn1Error::ok) return e;
    } else if (is_ec(s.type)) {
        if (!ec_point_length_ok(s.type, s.key)) return Asn1Error::bad_key;  // RFC 5480 §2.2
    } else if (s.key.size() != 32) {
        return Asn1Error::bad_key;  // RFC 8410 §4 / RFC 7748 §5: 32-octet public keys
    }
    out = s;
    return Asn1Error::ok;
}

Asn1Error write_spki(const Spki& in, MutBytes out, std::size_t& length) {
    if (is_ec(in.type) && !ec_point_length_ok(in.type, in.key)) return Asn1Error::bad_argument;
    if (!is_ec(in.type) && !is_rsa(in.type) && in.key.size() != 32) return Asn1Error::bad_argument;
    Writer w(out);
    const auto spki = w.begin(tag::sequence);
    write_key_algorithm(w, in.type, in.params);
    w.add_bit_string(in.key);
    w.end(spki);
    return w.finish(length);
}

// ---------------------------------------------------------------------------------------------
// PKCS#1 (RFC 8017 Appendix A.1)

Asn1Error parse_rsa_public_key(Bytes der, RsaPublicKeyDer& out) {
    Reader top(der), seq;
    if (Asn1Error e = top.read_sequence(seq); e != Asn1Error::ok) return e;
    if (Asn1Error e = top.done(); e != Asn1Error::ok) return e;
    RsaPublicKeyDer k;
    if (Asn1Error e = seq.read_integer(k.n); e != Asn1Error::ok) return e;
    if (Asn1Error e = seq.read_integer(k.e); e != Asn1Error::ok) return e;
    if (Asn1Error e = seq.done(); e != Asn1Error::ok) return e;
    out = k;
    return Asn1Error::ok;
}

Asn1Error write_rsa_public_key(const RsaPublicKeyDer& in, MutBytes out, std::size_t& length) {
    Writer w(out);
    const auto seq = w.begin(tag::sequence);
    w.add_integer(in.n);
    w.add_integer(in.e);
    w.end(seq);
    return w.finish(length);
}

// A.1.2: version 0 is two-prime; version 1 (multi-prime, with otherPrimeInfos) is not supported.
Asn1Error parse_rsa_private_key(Bytes der, RsaPrivateKeyDer& out) {
    Reader top(der), seq;
    if (Asn1Error e = top.read_sequence(seq); e != Asn1Error::ok) return e;
    if (Asn1Error e = top.done(); e != Asn1Error::ok) return e;
    std::uint64_t version = 0;
    if (Asn1Error e = seq.read_small_uint(version); e != Asn1Error::ok) return e;
    if (version != 0) return Asn1Error::bad_version;
    RsaPrivateKeyDer k;
    for (Bytes* field : {&k.n, &k.e, &k.d, &k.p, &k.q, &k.dp, &k.dq, &k.qinv})
        if (Asn1Error e = seq.read_integer(*field); e != Asn1Error::ok) return e;
    if (Asn1Error e = seq.done(); e != Asn1Error::ok) return e;
    out = k;
    return Asn1Error::ok;
}

Asn1Error write_rsa_private_key(const RsaPrivateKeyDer& in, MutBytes out, std::size_t& length) {
    Writer w(out);
    const auto seq = w.begin(tag::sequence);
    w.add_small_uint(0);
    for (Bytes field : {in.n, in.e, in.d, in.p, in.q, in.dp, in.dq, in.qinv}) w.add_integer(field);
    w.end(seq);
    return w.finish(length);
}

// ---------------------------------------------------------------------------------------------
// SEC1 ECPrivateKey (RFC 5915 §3)

namespace {

// `known`: the curve from an enclosing PKCS#8 AlgorithmIdentifier, or nullptr when standalone.
Asn1Error parse_ec_private_key_impl(Bytes der, const KeyType* known, EcPrivateKey& out) {
    Reader top(der), seq;
    if (Asn1Error e = top.read_sequence(seq); e != Asn1Error::ok) return e;
    if (Asn1Error e = top.done(); e != Asn1Error::ok) return e;
    std::uint64_t version = 0;
    if (Asn1Error e = seq.read_small_uint(version); e != Asn1Error::ok) return e;
    if (version != 1) return Asn1Error::bad_version;  // ecPrivkeyVer1
    EcPrivateKey k;
    if (Asn1Error e = seq.read_octet_string(k.d); e != Asn1Error::ok) return e;

    Reader params, public_key;
    bool has_public = false;
    if (Asn1Error e = seq.read_optional(tag::context_constructed(0), k.has_params, params); e != Asn1Error::ok) return e;
    if (Asn1Error e = seq.read_optional(tag::context_constructed(1), has_public, public_key); e != Asn1Error::ok) return e;
    if (Asn1Error e = seq.done(); e != Asn1Error::ok) return e;

    if (k.has_params) {
        Bytes ignored;
        if (Asn1Error e = read_named_curve(params, k.curve, ignored); e != Asn1Error::ok) return e;
        if (Asn1Error e = params.done(); e != Asn1Error::ok) return e;
        // RFC 5915 §3: inside PKCS#8 the two places must name the same curve.
        if (known && *known != k.curve) return Asn1Error::bad_parameters;
    } else if (known) {
        k.curve = *known;
    } else {
        return Asn1Error::bad_parameters;  // standalone and no curve: nothing tells us the group
    }
    // RFC 5915 §3: privateKey is ceiling(log2(n)/8) octets, fixed for the curve.
    if (k.d.size() != curve_octets(k.curve)) return Asn1Error::bad_key;
    if (has_public) {
        if (Asn1Error e = public_key.read_bit_string(k.public_point); e != Asn1Error::ok) return e;
        if (Asn1Error e = public_key.done(); e != Asn1Error::ok) return e;
        if (!ec_point_length_ok(k.curve, k.public_point)) return Asn1Error::bad_key;
    }
    out = k;
    return Asn1Error::ok;
}

}  // namespace

Asn1Error parse_ec_private_key(Bytes der, EcPrivateKey& out) { return parse_ec_private_key_impl(der, nullptr, out); }

Asn1Error parse_ec_private_key(Bytes der, KeyType curve, EcPrivateKey& out) {
    if (!is_ec(curve)) return Asn1Error::bad_argument;
    return parse_ec_private_key_impl(der, &curve, out);
}

Asn1Error write_ec_private_key(const EcPrivateKey& in, MutBytes out, std::size_t& length) {
    if (!is_ec(in.curve) || in.d.size() != curve_octets(in.curve)) return Asn1Error::bad_argument;
    Writer w(out);
    const auto seq = w.begin(tag::sequence);
    w.add_small_uint(1);
    w.add_octet_string(in.d);
    if (in.has_params) {
        const auto params = w.begin(tag::context_constructed(0));
        w.add_oid(curve_oid(in.curve));
        w.end(params);
    }
    if (!in.public_point.empty()) {
        const auto pub = w.begin(tag::context_constructed(1));
        w.add_bit_string(in.public_point);
        w.end(pub);
    }
    w.end(seq);
    return w.finish(length);
}

// ---------------------------------------------------------------------------------------------
// PKCS#8 PrivateKeyInfo (RFC 5208 §5) / OneAsymmetricKey (RFC 5958 §2)

Asn1Error parse_pkcs8(Bytes der, Pkcs8& out) {
    Reader top(der), seq;
    if (Asn1Error e = top.read_sequence(seq); e != Asn1Error::ok) return e;
    if (Asn1Error e = top.done(); e != Asn1Error::ok) return e;
    std::uint64_t version = 0;
    if (Asn1Error e = seq.read_small_uint(version); e != Asn1Error::ok) return e;
    if (version > 1) return Asn1Error::bad_version;  // v1(0) or RFC 5958 v2(1)
    Pkcs8 k;
    if (Asn1Error e = read_key_algorithm(seq, k.type, k.params); e != Asn1Error::ok) return e;
    if (Asn1Error e = seq.read_octet_string(k.private_key); e != Asn1Error::ok) return e;

    Reader attributes, public_key;
    bool has_attributes = false, has_public = false;
    if (Asn1Error e = seq.read_optional(tag::context_constructed(0), has_attributes, attributes); e != Asn1Error::ok) return e;
    k.attributes = attributes.rest();
    k.has_attributes = has_attributes;
    k.version2 = version == 1;
    // [1] IMPLICIT BIT STRING: primitive, context tag 1.
    if (Asn1Error e = seq.read_optional(tag::context_primitive(1), has_public, public_key); e != Asn1Error::ok) return e;
    if (Asn1Error e = seq.done(); e != Asn1Error::ok) return e;
    if (has_public) {
        // RFC 5958 §2: "publicKey ... only present in v2" (version 1).
        if (version != 1) return Asn1Error::bad_version;
        Bytes bits = public_key.rest();
        if (bits.empty()) return Asn1Error::bad_bit_string_padding;  // X.690 §8.6.2.2
        if (bits[0] != 0) return Asn1Error::bit_string_not_octet_aligned;
        k.public_key = bits.subspan(1);
    }

    if (is_rsa(k.type)) {
        RsaPrivateKeyDer rsa;
        if (Asn1Error e = parse_rsa_private_key(k.private_key, rsa); e != Asn1Error::ok) return e;
    } else if (is_ec(k.type)) {
        EcPrivateKey ec;
        if (Asn1Error e = parse_ec_private_key(k.private_key, k.type, ec); e != Asn1Error::ok) return e;
    } else {
        // RFC 8410 §7: CurvePrivateKey ::= OCTET STRING, nested inside privateKey.
        Reader inner(k.private_key);
        Bytes raw;
        if (Asn1Error e = inner.read_octet_string(raw); e != Asn1Error::ok) return e;
        if (Asn1Error e = inner.done(); e != Asn1Error::ok) return e;
        if (raw.size() != 32) return Asn1Error::bad_key;
        if (has_public && k.public_key.size() != 32) return Asn1Error::bad_key;
        k.private_key = raw;
    }
    out = k;
    return Asn1Error::ok;
}

Asn1Error write_pkcs8(const Pkcs8& in, MutBytes out, std::size_t& length) {
    const bool curve25519 = in.type == KeyType::x25519 || in.type == KeyType::ed25519;
    if (curve25519 && in.private_key.size() != 32) return Asn1Error::bad_argument;
    Writer w(out);
    const auto seq = w.begin(tag::sequence);
    w.add_small_uint(in.public_key.empty() && !in.version2 ? 0 : 1);
    write_key_algorithm(w, in.type, in.params);
    if (curve25519) {
        const auto wrap = w.begin(tag::octet_string);
        w.add_octet_string(in.private_key);
        w.end(wrap);
    } else {
        w.add_octet_string(in.private_key);
    }
    if (!in.attributes.empty() || in.has_attributes) w.add_element(tag::context_constructed(0), in.attributes);
    if (!in.public_key.empty()) {
        const auto pub = w.begin(tag::context_primitive(1));
        static constexpr std::uint8_t no_unused_bits[1] = {0};
        w.add_raw(no_unused_bits);
        w.add_raw(in.public_key);
        w.end(pub);
    }
    w.end(seq);
    return w.finish(length);
}

Asn1Error write_ec_pkcs8(KeyType curve, Bytes d, Bytes public_point, MutBytes out, std::size_t& length) {
    if (!is_ec(curve) || !ec_point_length_ok(curve, public_point)) return Asn1Error::bad_argument;
    // SEQUENCE, version, OCTET STRING d, [1] { BIT STRING point }: 2+3+(2+48)+(2+3+97) bytes for P-384.
    std::uint8_t inner[160];
    std::size_t inner_len = 0;
    EcPrivateKey ec;
    ec.curve = curve;
    ec.d = d;
    ec.public_point = public_point;
    Asn1Error e = write_ec_private_key(ec, inner, inner_len);
    if (e == Asn1Error::ok) {
        Pkcs8 p8;
        p8.type = curve;
        p8.private_key = Bytes(inner, inner_len);
        e = write_pkcs8(p8, out, length);
    }
    secure_zero(inner, sizeof inner);
    return e;
}

Asn1Error write_rsa_pkcs8(const RsaPrivateKeyDer& in, MutBytes out, std::size_t& length) {
    // Eight INTEGERs of at most 513 octets (n, d) and 257 (the rest) with their headers: under 2400.
    std::uint8_t inner[2400];
    std::size_t inner_len = 0;
    Asn1Error e = write_rsa_private_key(in, inner, inner_len);
    if (e == Asn1Error::ok) {
        Pkcs8 p8;
        p8.type = KeyType::rsa;
        p8.private_key = Bytes(inner, inner_len);
        e = write_pkcs8(p8, out, length);
    }
    secure_zero(inner, sizeof inner);
    return e;
}

// ---------------------------------------------------------------------------------------------
// Ecdsa-Sig-Value (RFC 3279 §2.2.3)

Asn1Error parse_ecdsa_signature(Bytes der, Bytes& r, Bytes& s) {
    Reader top(der), seq;
    if (Asn1Error e = top.read_sequence(seq); e != Asn1Error::ok) return e;
    if (Asn1Error e = top.done(); e != Asn1Error::ok) return e;
    Bytes rr, ss;
    if (Asn1Error e = seq.read_integer(rr); e != Asn1Error::ok) return e;
    if (Asn1Error e = seq.read_integer(ss); e != Asn1Error::ok) return e;
    if (Asn1Error e = seq.done(); e != Asn1Error::ok) return e;
    r = rr;
    s = ss;
    return Asn1Error::ok;
}

Asn1Error write_ecdsa_signature(Bytes r, Bytes s, MutBytes out, std::size_t& length) {
    Writer w(out);
    const auto seq = w.begin(tag::sequence);
    w.add_integer(r);
    w.add_integer(s);
    w.end(seq);
    return w.finish(length);
}

// ---------------------------------------------------------------------------------------------
// RSASSA-PSS-params (RFC 4055 §3.1, RFC 8017 A.2.3)

namespace {

// HashAlgorithm: AlgorithmIdentifier whose parameters are NULL or absent (RFC 4055 §2.1:
// implementations MUST accept both).
Asn1Error read_hash_algorithm(Reader& r, Bytes& hash) {
    Reader alg;
    if (Asn1Error e = r.read_sequence(alg); e != Asn1Error::ok) return e;
    Bytes id;
    if (Asn1Error e = alg.read_oid(id); e != Asn1Error::ok) return e;
    if (!alg.empty()) {
        if (!alg.next_is(tag::null)) return Asn1Error::bad_parameters;
        if (Asn1Error e = alg.read_null(); e != Asn1Error::ok) return e;
    }
    if (Asn1Error e = alg.done(); e != Asn1Error::ok) return e;
    hash = id;
    return Asn1Error::ok;
}

}  // namespace

// X.690 §11.5: in DER a component equal to its DEFAULT value is absent, so every field below that
// is present but holds the default is refused with bad_parameters.
Asn1Error parse_rsassa_pss_params(Bytes params, RsaPssParams& out) {
    RsaPssParams p;
    p.hash = oid::sha1;
    p.mgf1_hash = oid::sha1;
    if (params.empty()) { out = p; return Asn1Error::ok; }

    Reader top(params), seq;
    if (Asn1Error e = top.read_sequence(seq); e != Asn1Error::ok) return e;
    if (Asn1Error e = top.done(); e != Asn1Error::ok) return e;
    Reader field;
    bool present = false;
    // hashAlgorithm [0] HashAlgorithm DEFAULT sha1
    if (Asn1Error e = seq.read_optional(tag::context_constructed(0), present, field); e != Asn1Error::ok) return e;
    if (present) {
        if (Asn1Error e = read_hash_algorithm(field, p.hash); e != Asn1Error::ok) return e;
        if (Asn1Error e = field.done(); e != Asn1Error::ok) return e;
        if (oid::equal(p.hash, oid::sha1)) return Asn1Error::bad_parameters;
    }
    // maskGenAlgorithm [1] MaskGenAlgorithm DEFAULT mgf1SHA1, with
    // MaskGenAlgorithm ::= AlgorithmIdentifier { id-mgf1, HashAlgorithm }.
    if (Asn1Error e = seq.read_optional(tag::context_constructed(1), present, field); e != Asn1Error::ok) return e;
    if (present) {
        Reader alg;
        Bytes id;
        if (Asn1Error e = field.read_sequence(alg); e != Asn1Error::ok) return e;
        if (Asn1Error e = field.done(); e != Asn1Error::ok) return e;
        if (Asn1Error e = alg.read_oid(id); e != Asn1Error::ok) return e;
        if (!oid::equal(id, oid::mgf1)) return Asn1Error::unknown_algorithm;
        if (Asn1Error e = read_hash_algorithm(alg, p.mgf1_hash); e != Asn1Error::ok) return e;
        if (Asn1Error e = alg.done(); e != Asn1Error::ok) return e;
        if (oid::equal(p.mgf1_hash, oid::sha1)) return Asn1Error::bad_parameters;
    }
    // saltLength [2] INTEGER DEFAULT 20
    if (Asn1Error e = seq.read_optional(tag::context_constructed(2), present, field); e != Asn1Error::ok) return e;
    if (present) {
        if (Asn1Error e = field.read_small_uint(p.salt_length); e != Asn1Error::ok) return e;
        if (Asn1Error e = field.done(); e != Asn1Error::ok) return e;
        if (p.salt_length == 20) return Asn1Error::bad_parameters;
    }
    // trailerField [3] INTEGER DEFAULT trailerFieldBC(1): 1 is the only legal value, and DER omits
    // it, so the field can never appear.
    if (seq.next_is(tag::context_constructed(3))) return Asn1Error::bad_parameters;
    if (Asn1Error e = seq.done(); e != Asn1Error::ok) return e;
    out = p;
    return Asn1Error::ok;
}

}  // namespace padlock::asn1
