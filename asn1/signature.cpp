// SPDX-License-Identifier: Apache-2.0
// The signature entry point's switch and the AlgorithmIdentifier map (RFC 5280 §4.1.1.2, RFC 5758
// §3.2, RFC 4055 §3.1 and §5, RFC 8410 §3). The per-algorithm verifiers live in their own files.
#include "asn1/signature.hpp"

#include <initializer_list>

#include "asn1/oid.hpp"

namespace padlock::asn1 {

const char* error_name(SignatureError e) {
    switch (e) {
    case SignatureError::ok: return "ok";
    case SignatureError::unsupported_algorithm: return "unsupported_algorithm";
    case SignatureError::unknown_algorithm: return "unknown_algorithm";
    case SignatureError::malformed_algorithm: return "malformed_algorithm";
    case SignatureError::bad_parameters: return "bad_parameters";
    case SignatureError::key_mismatch: return "key_mismatch";
    case SignatureError::bad_key: return "bad_key";
    case SignatureError::bad_signature_encoding: return "bad_signature_encoding";
    case SignatureError::invalid_signature: return "invalid_signature";
    }
    return "unknown";
}

const char* signature_alg_name(SignatureAlg alg) {
    switch (alg) {
    case SignatureAlg::ecdsa_p256_sha256: return "ecdsa_p256_sha256";
    case SignatureAlg::ecdsa_p256_sha384: return "ecdsa_p256_sha384";
    case SignatureAlg::ecdsa_p256_sha512: return "ecdsa_p256_sha512";
    case SignatureAlg::ecdsa_p384_sha256: return "ecdsa_p384_sha256";
    case SignatureAlg::ecdsa_p384_sha384: return "ecdsa_p384_sha384";
    case SignatureAlg::ecdsa_p384_sha512: return "ecdsa_p384_sha512";
    case SignatureAlg::rsa_pkcs1_sha256: return "rsa_pkcs1_sha256";
    case SignatureAlg::rsa_pkcs1_sha384: return "rsa_pkcs1_sha384";
    case SignatureAlg::rsa_pkcs1_sha512: return "rsa_pkcs1_sha512";
    case SignatureAlg::rsa_pss_rsae_sha256: return "rsa_pss_rsae_sha256";
    case SignatureAlg::rsa_pss_rsae_sha384: return "rsa_pss_rsae_sha384";
    case SignatureAlg::rsa_pss_rsae_sha512: return "rsa_pss_rsae_sha512";
    case SignatureAlg::rsa_pss_pss_sha256: return "rsa_pss_pss_sha256";
    case SignatureAlg::rsa_pss_pss_sha384: return "rsa_pss_pss_sha384";
    case SignatureAlg::rsa_pss_pss_sha512: return "rsa_pss_pss_sha512";
    }
    return "unknown";
}

namespace {

// The SHA-2 hashes SignatureAlg pairs with; SHA-1 and SHA-224 are recognised but unsupported.
bool supported_hash_oid(Bytes id, HashAlg& hash) {
    if (oid::equal(id, oid::sha256)) hash = HashAlg::sha256;
    else if (oid::equal(id, oid::sha384)) hash = HashAlg::sha384;
    else if (oid::equal(id, oid::sha512)) hash = HashAlg::sha512;
    else return false;
    return true;
}

// RFC 4055 §3.1 RSASSA-PSS-params, profiled: the hash is SHA-256/384/512, MGF1 uses the same
// hash, and the salt is as long as the hash (RFC 8446 §4.2.3 for TLS; CA/Browser Forum Baseline
// Requirements §7.1.3.2 for certificates). Anything else valid is "weird" and refused.
SignatureError profile_pss_params(Bytes params, HashAlg& hash) {
    RsaPssParams p;
    switch (parse_rsassa_pss_params(params, p)) {
    case Asn1Error::ok: break;
    case Asn1Error::unknown_algorithm: return SignatureError::bad_parameters;  // not MGF1
    case Asn1Error::bad_parameters: return SignatureError::bad_parameters;      // default spelt out, trailerField
    default: return SignatureError::malformed_algorithm;
    }
    if (!supported_hash_oid(p.hash, hash)) {
        const bool known = oid::equal(p.hash, oid::sha1) || oid::equal(p.hash, oid::sha224);
        return known ? SignatureError::unsupported_algorithm : SignatureError::unknown_algorithm;
    }
    HashAlg mgf1;
    if (!supported_hash_oid(p.mgf1_hash, mgf1) || mgf1 != hash) return SignatureError::bad_parameters;
    if (p.salt_length != hash_size(hash)) return SignatureError::bad_parameters;
    return SignatureError::ok;
}

bool is_one_of(Bytes id, std::initializer_list<Bytes> list) {
    for (Bytes o : list)
        if (oid::equal(id, o)) return true;
    return false;
}

}  // namespace

SignatureError parse_signature_algorithm(Bytes algorithm_identifier, SignatureAlgorithmId& out) {
    Reader top(algorithm_identifier), alg;
    Bytes id;
    if (top.read_sequence(alg) != Asn1Error::ok || top.done() != Asn1Error::ok || alg.read_oid(id) != Asn1Error::ok)
        return SignatureError::malformed_algorithm;
    const Bytes params = alg.rest();
    SignatureAlgorithmId r;

    if (is_one_of(id, {oid::ecdsa_with_sha256, oid::ecdsa_with_sha384, oid::ecdsa_with_sha512})) {
        // RFC 5758 §3.2: "the encoding MUST omit the parameters field".
        if (!params.empty()) return SignatureError::bad_parameters;
        r.family = SignatureFamily::ecdsa;
        r.hash = oid::equal(id, oid::ecdsa_with_sha256) ? HashAlg::sha256
               : oid::equal(id, oid::ecdsa_with_sha384) ? HashAlg::sha384 : HashAlg::sha512;
    } else if (is_one_of(id, {oid::sha256_with_rsa, oid::sha384_with_rsa, oid::sha512_with_rsa})) {
        // RFC 4055 §5: parameters MUST be NULL; implementations MUST accept them absent too.
        if (!params.empty()) {
            Reader p(params);
            if (!p.next_is(tag::null)) return SignatureError::bad_parameters;
            if (p.read_null() != Asn1Error::ok || p.done() != Asn1Error::ok) return SignatureError::malformed_algorithm;
        }
        r.family = SignatureFamily::rsa_pkcs1;
        r.hash = oid::equal(id, oid::sha256_with_rsa) ? HashAlg::sha256
               : oid::equal(id, oid::sha384_with_rsa) ? HashAlg::sha384 : HashAlg::sha512;
    } else if (oid::equal(id, oid::rsassa_pss)) {
        // RFC 4055 §3.1: in a signature AlgorithmIdentifier the parameters MUST be present.
        Reader p(params);
        Bytes whole;
        if (!p.next_is(tag::sequence)) return SignatureError::bad_parameters;
        if (p.read_element_whole(tag::sequence, whole) != Asn1Error::ok || p.done() != Asn1Error::ok)
            return SignatureError::malformed_algorithm;
        if (SignatureError e = profile_pss_params(whole, r.hash); e != SignatureError::ok) return e;
        r.family = SignatureFamily::rsa_pss;
    } else if (is_one_of(id, {oid::ed25519, oid::ed448, oid::ecdsa_with_sha1, oid::ecdsa_with_sha224,
                              oid::sha1_with_rsa, oid::md5_with_rsa, oid::sha224_with_rsa})) {
        return SignatureError::unsupported_algorithm;
    } else {
        return SignatureError::unknown_algorithm;
    }
    out = r;
    return SignatureError::ok;
}

SignatureError select_signature_alg(SignatureAlgorithmId id, const Spki& key, SignatureAlg& out) {
    const unsigned h = id.hash == HashAlg::sha256 ? 0 : id.hash == HashAlg::sha384 ? 1 : 2;
    if (id.hash != HashAlg::sha256 && id.hash != HashAlg::sha384 && id.hash != HashAlg::sha512)
        return SignatureError::unsupported_algorithm;
    SignatureAlg first;
    switch (id.family) {
    case SignatureFamily::ecdsa:
        if (key.type == KeyType::ec_p256) first = SignatureAlg::ecdsa_p256_sha256;
        else if (key.type == KeyType::ec_p384) first = SignatureAlg::ecdsa_p384_sha256;
        else return SignatureError::key_mismatch;
        break;
    case SignatureFamily::rsa_pkcs1:
        if (key.type != KeyType::rsa) return SignatureError::key_mismatch;  // RFC 4055 §1.2
        first = SignatureAlg::rsa_pkcs1_sha256;
        break;
    case SignatureFamily::rsa_pss:
        if (key.type == KeyType::rsa) first = SignatureAlg::rsa_pss_rsae_sha256;
        else if (key.type == KeyType::rsa_pss) first = SignatureAlg::rsa_pss_pss_sha256;
        else return SignatureError::key_mismatch;
        break;
    default:
        return SignatureError::unknown_algorithm;
    }
    out = SignatureAlg(unsigned(first) + h);  // each family lists sha256, sha384, sha512 in order
    return SignatureError::ok;
}

// The switch. Each case names one per-algorithm function, so only callers of this function link
// every verifier.
SignatureError verify_signature(SignatureAlg alg, const Spki& key, Bytes message, Bytes signature) {
    using A = SignatureAlg;
    auto pss = [](HashAlg h) { return PssParams{h, h, hash_size(h)}; };
    switch (alg) {
    case A::ecdsa_p256_sha256: return verify_ecdsa_p256(HashAlg::sha256, key, message, signature);
    case A::ecdsa_p256_sha384: return verify_ecdsa_p256(HashAlg::sha384, key, message, signature);
    case A::ecdsa_p256_sha512: return verify_ecdsa_p256(HashAlg::sha512, key, message, signature);
    case A::ecdsa_p384_sha256: return verify_ecdsa_p384(HashAlg::sha256, key, message, signature);
    case A::ecdsa_p384_sha384: return verify_ecdsa_p384(HashAlg::sha384, key, message, signature);
    case A::ecdsa_p384_sha512: return verify_ecdsa_p384(HashAlg::sha512, key, message, signature);
    case A::rsa_pkcs1_sha256: return verify_rsa_pkcs1(HashAlg::sha256, key, message, signature);
    case A::rsa_pkcs1_sha384: return verify_rsa_pkcs1(HashAlg::sha384, key, message, signature);
    case A::rsa_pkcs1_sha512: return verify_rsa_pkcs1(HashAlg::sha512, key, message, signature);
    // RFC 8446 §4.2.3: rsa_pss_rsae_* need an rsaEncryption key, rsa_pss_pss_* an id-RSASSA-PSS key.
    case A::rsa_pss_rsae_sha256:
    case A::rsa_pss_rsae_sha384:
    case A::rsa_pss_rsae_sha512: {
        if (key.type != KeyType::rsa) return SignatureError::key_mismatch;
        const unsigned h = unsigned(alg) - unsigned(A::rsa_pss_rsae_sha256);
        const HashAlg hash = h == 0 ? HashAlg::sha256 : h == 1 ? HashAlg::sha384 : HashAlg::sha512;
        return verify_rsa_pss(pss(hash), key, message, signature);
    }
    case A::rsa_pss_pss_sha256:
    case A::rsa_pss_pss_sha384:
    case A::rsa_pss_pss_sha512: {
        if (key.type != KeyType::rsa_pss) return SignatureError::key_mismatch;
        const unsigned h = unsigned(alg) - unsigned(A::rsa_pss_pss_sha256);
        const HashAlg hash = h == 0 ? HashAlg::sha256 : h == 1 ? HashAlg::sha384 : HashAlg::sha512;
        return verify_rsa_pss(pss(hash), key, message, signature);
    }
    }
    return SignatureError::unsupported_algorithm;
}

}  // namespace padlock::asn1
