// SPDX-License-Identifier: Apache-2.0
// Wycheproof drivers for RSA signatures (RFC 8017): PKCS#1 v1.5 verify and sign, RSASSA-PSS verify
// with the parameters from the test group, bound by the key's RSASSA-PSS AlgorithmIdentifier.
// Verification goes through the library's signature entry point (asn1/signature.hpp).
// Keys come in as DER (SubjectPublicKeyInfo, PKCS#8) and are decoded with asn1/keys.
#include <optional>
#include <string>
#include <vector>

#include "asn1/keys.hpp"
#include "asn1/signature.hpp"
#include "crypto/rsa/rsa.hpp"
#include "tools/vectors/drivers.hpp"

namespace padlock::vectors {

namespace {

std::optional<HashAlg> hash_from_name(const std::string& name) {
    if (name == "SHA-1") return HashAlg::sha1;
    if (name == "SHA-224") return HashAlg::sha224;
    if (name == "SHA-256") return HashAlg::sha256;
    if (name == "SHA-384") return HashAlg::sha384;
    if (name == "SHA-512") return HashAlg::sha512;
    return std::nullopt;
}

struct PssParams {
    HashAlg hash, mgf1_hash;
    std::size_t salt_len;
};

// The parameters a test group names in its JSON fields.
std::optional<PssParams> group_pss_params(const json& group, std::string& why) {
    auto hash = hash_from_name(group.at("sha"));
    auto mgf_hash = hash_from_name(group.at("mgfSha"));
    if (group.at("mgf") != "MGF1") {
        why = "unsupported mask generation function: rejected";
        return std::nullopt;
    }
    if (!hash || !mgf_hash) {
        why = "unsupported hash: rejected";
        return std::nullopt;
    }
    return PssParams{*hash, *mgf_hash, group.at("sLen").get<std::size_t>()};
}

}  // namespace

// rsassa_pkcs1_verify_schema_v1: the group's SPKI key and hash, through the library's entry point
// (asn1::verify_signature; verification compares the full EM, RFC 8017 §8.2.2).
Verdict rsa_pkcs1_verify_case(const Case& c) {
    auto hash = hash_from_name(c.group.at("sha"));
    if (!hash) return {false, true, "unsupported hash: rejected"};
    std::vector<std::uint8_t> der = hex(c.group.at("publicKeyDer"));
    asn1::Spki spki;
    if (asn1::parse_spki(der, spki) != asn1::Asn1Error::ok) return {false, true, "publicKeyDer does not parse"};
    asn1::SignatureAlg alg;
    if (auto e = asn1::select_signature_alg({asn1::SignatureFamily::rsa_pkcs1, *hash}, spki, alg);
        e != asn1::SignatureError::ok)
        return {false, true, std::string("no SignatureAlg for this group: ") + asn1::error_name(e)};
    const auto msg = hex(c.test.at("msg")), sig = hex(c.test.at("sig"));
    const auto e = asn1::verify_signature(alg, spki, msg, sig);
    Verdict v{e == asn1::SignatureError::ok, true, {}};
    if (!v.accepted) v.note = asn1::error_name(e);
    if (!v.accepted && has_flag(c.test, "MissingNull"))
        v.note = "DigestInfo without the NULL parameters: rejected (EM is compared in full, RFC 8017 §8.2.2)";
    return v;
}

// rsassa_pkcs1_generate_schema_v1: sign with the group's PKCS#8 key; the signature is deterministic
// and must equal the expected one byte for byte.
Verdict rsa_pkcs1_sign_case(const Case& c) {
    auto hash = hash_from_name(c.group.at("sha"));
    if (!hash) return {false, true, "unsupported hash: rejected"};
    std::vector<std::uint8_t> der = hex(c.group.at("privateKeyPkcs8"));
    asn1::Pkcs8 p8;
    asn1::RsaPrivateKeyDer parsed;
    if (asn1::parse_pkcs8(der, p8) != asn1::Asn1Error::ok || p8.type != asn1::KeyType::rsa ||
        asn1::parse_rsa_private_key(p8.private_key, parsed) != asn1::Asn1Error::ok)
        return {false, true, "privateKeyPkcs8 does not parse"};
    RsaPrivateKey key;
    if (key.load({parsed.n, parsed.e, parsed.d, parsed.p, parsed.q, parsed.dp, parsed.dq, parsed.qinv}) != CryptoError::ok)
        return {false, true, "invalid or unsupported RSA key: rejected"};

    const auto msg = hex(c.test.at("msg")), expected = hex(c.test.at("sig"));
    std::vector<std::uint8_t> sig(key.modulus_bytes());
    if (rsa_pkcs1_sign(key, *hash, msg, system_rng(), sig) != CryptoError::ok) return {false, true, "signing failed"};
    Verdict v{true, sig == expected, {}};
    if (has_flag(c.test, "WeakHash")) v.note = "SHA-1 is supported for PKCS#1 v1.5 (legacy interop): signed";
    if (has_flag(c.test, "SmallPublicKey")) v.note = "e = 3 is a legal exponent (RFC 8017 §3.1): signed";
    return v;
}

namespace {

// Both PSS schemas: the group's hash, MGF1 hash and salt length. Inside the profile SignatureAlg
// covers (MGF1 over the same SHA-2 hash, salt = hash length) the case goes through
// asn1::verify_signature; outside it (Wycheproof's salt 0, mixed hashes) through the library's
// explicit-parameter PSS verifier, the same function verify_signature calls. An id-RSASSA-PSS key
// whose RSASSA-PSS-params (RFC 4055 §3.1; absent fields are SHA-1 / MGF1-SHA-1 / 20) disagree with
// the group fails closed in the library (key_mismatch).
Verdict pss_case(const Case& c) {
    std::string why;
    auto params = group_pss_params(c.group, why);
    if (!params) return {false, true, why};
    std::vector<std::uint8_t> der = hex(c.group.at("publicKeyDer"));
    asn1::Spki spki;
    if (asn1::parse_spki(der, spki) != asn1::Asn1Error::ok) return {false, true, "publicKeyDer does not parse"};
    const auto msg = hex(c.test.at("msg")), sig = hex(c.test.at("sig"));
    const bool profiled = params->hash == params->mgf1_hash && params->salt_len == hash_size(params->hash) &&
                          (params->hash == HashAlg::sha256 || params->hash == HashAlg::sha384 ||
                           params->hash == HashAlg::sha512);
    asn1::SignatureError e;
    asn1::SignatureAlg alg;
    if (profiled &&
        asn1::select_signature_alg({asn1::SignatureFamily::rsa_pss, params->hash}, spki, alg) == asn1::SignatureError::ok)
        e = asn1::verify_signature(alg, spki, msg, sig);
    else
        e = asn1::verify_rsa_pss({params->hash, params->mgf1_hash, params->salt_len}, spki, msg, sig);
    Verdict v{e == asn1::SignatureError::ok, true, {}};
    if (!v.accepted) v.note = asn1::error_name(e);
    return v;
}

}  // namespace

// rsassa_pss_verify_schema_v1: parameters from the group, key rsaEncryption.
Verdict rsa_pss_case(const Case& c) { return pss_case(c); }

// rsassa_pss_with_parameters_verify_schema: the key's SPKI says how it may be used (see pss_case).
Verdict rsa_pss_params_case(const Case& c) { return pss_case(c); }

}  // namespace padlock::vectors
