// SPDX-License-Identifier: Apache-2.0
// Wycheproof drivers for RSA signatures (RFC 8017): PKCS#1 v1.5 verify and sign, RSASSA-PSS verify
// with the parameters from the test group or from the key's RSASSA-PSS AlgorithmIdentifier.
// Keys come in as DER (SubjectPublicKeyInfo, PKCS#8) and are decoded with asn1/keys.
#include <optional>
#include <string>
#include <vector>

#include "asn1/keys.hpp"
#include "asn1/oid.hpp"
#include "crypto/rsa.hpp"
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

std::optional<HashAlg> hash_from_oid(Bytes oid) {
    namespace o = asn1::oid;
    if (o::equal(oid, o::sha1)) return HashAlg::sha1;
    if (o::equal(oid, o::sha224)) return HashAlg::sha224;
    if (o::equal(oid, o::sha256)) return HashAlg::sha256;
    if (o::equal(oid, o::sha384)) return HashAlg::sha384;
    if (o::equal(oid, o::sha512)) return HashAlg::sha512;
    return std::nullopt;
}

// SubjectPublicKeyInfo DER -> loaded key. `spki` keeps the algorithm and its parameters.
std::string load_public(const json& group, std::vector<std::uint8_t>& der, asn1::Spki& spki, RsaPublicKey& key) {
    der = hex(group.at("publicKeyDer"));
    if (asn1::parse_spki(der, spki) != asn1::Error::ok) return "publicKeyDer does not parse";
    if (spki.type != asn1::KeyType::rsa && spki.type != asn1::KeyType::rsa_pss) return "not an RSA key";
    asn1::RsaPublicKey pk;
    if (asn1::parse_rsa_public_key(spki.key, pk) != asn1::Error::ok) return "RSAPublicKey does not parse";
    if (key.load({pk.n, pk.e}) != Error::ok) return "unsupported or invalid RSA key: rejected";
    return {};
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

// rsassa_pkcs1_verify_schema_v1: the group's SPKI key, its hash; verify compares the full EM.
Verdict rsa_pkcs1_verify_case(const Case& c) {
    auto hash = hash_from_name(c.group.at("sha"));
    if (!hash) return {false, true, "unsupported hash: rejected"};
    std::vector<std::uint8_t> der;
    asn1::Spki spki;
    RsaPublicKey key;
    if (std::string why = load_public(c.group, der, spki, key); !why.empty()) return {false, true, why};
    const auto msg = hex(c.test.at("msg")), sig = hex(c.test.at("sig"));
    const bool ok = rsa_pkcs1_verify(key, *hash, msg, sig) == Error::ok;
    Verdict v{ok, true, {}};
    if (!ok && has_flag(c.test, "MissingNull"))
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
    asn1::RsaPrivateKey parsed;
    if (asn1::parse_pkcs8(der, p8) != asn1::Error::ok || p8.type != asn1::KeyType::rsa ||
        asn1::parse_rsa_private_key(p8.private_key, parsed) != asn1::Error::ok)
        return {false, true, "privateKeyPkcs8 does not parse"};
    RsaPrivateKey key;
    if (key.load({parsed.n, parsed.e, parsed.d, parsed.p, parsed.q, parsed.dp, parsed.dq, parsed.qinv}) != Error::ok)
        return {false, true, "invalid or unsupported RSA key: rejected"};

    const auto msg = hex(c.test.at("msg")), expected = hex(c.test.at("sig"));
    std::vector<std::uint8_t> sig(key.modulus_bytes());
    if (rsa_pkcs1_sign(key, *hash, msg, sig, system_rng()) != Error::ok) return {false, true, "signing failed"};
    Verdict v{true, sig == expected, {}};
    if (has_flag(c.test, "WeakHash")) v.note = "SHA-1 is supported for PKCS#1 v1.5 (legacy interop): signed";
    if (has_flag(c.test, "SmallPublicKey")) v.note = "e = 3 is a legal exponent (RFC 8017 §3.1): signed";
    return v;
}

// rsassa_pss_verify_schema_v1: hash, MGF1 hash and salt length from the group.
Verdict rsa_pss_case(const Case& c) {
    std::string why;
    auto params = group_pss_params(c.group, why);
    if (!params) return {false, true, why};
    std::vector<std::uint8_t> der;
    asn1::Spki spki;
    RsaPublicKey key;
    if (std::string err = load_public(c.group, der, spki, key); !err.empty()) return {false, true, err};
    const auto msg = hex(c.test.at("msg")), sig = hex(c.test.at("sig"));
    const bool ok = rsa_pss_verify(key, params->hash, params->mgf1_hash, params->salt_len, msg, sig) == Error::ok;
    return {ok, true, {}};
}

// rsassa_pss_with_parameters_verify_schema: the key's SPKI says how it may be used. An
// id-RSASSA-PSS key binds the hash, MGF1 hash and salt length (RFC 4055 §3.1, absent fields take
// the defaults SHA-1 / MGF1-SHA-1 / 20); those govern, and a group whose fields disagree with them
// fails closed. A plain rsaEncryption key carries no parameters: the group's apply.
Verdict rsa_pss_params_case(const Case& c) {
    std::string why;
    auto group = group_pss_params(c.group, why);
    if (!group) return {false, true, why};
    std::vector<std::uint8_t> der;
    asn1::Spki spki;
    RsaPublicKey key;
    if (std::string err = load_public(c.group, der, spki, key); !err.empty()) return {false, true, err};

    PssParams use = *group;
    if (spki.type == asn1::KeyType::rsa_pss) {
        asn1::RsaPssParams kp;
        if (asn1::parse_rsassa_pss_params(spki.params, kp) != asn1::Error::ok)
            return {false, true, "invalid RSASSA-PSS-params in the key: rejected"};
        auto hash = hash_from_oid(kp.hash), mgf_hash = hash_from_oid(kp.mgf1_hash);
        if (!hash || !mgf_hash) return {false, true, "unsupported hash in RSASSA-PSS-params: rejected"};
        use = PssParams{*hash, *mgf_hash, std::size_t(kp.salt_length)};
        if (use.hash != group->hash || use.mgf1_hash != group->mgf1_hash || use.salt_len != group->salt_len)
            return {false, true, "key parameters differ from the test group: rejected"};
    }
    const auto msg = hex(c.test.at("msg")), sig = hex(c.test.at("sig"));
    const bool ok = rsa_pss_verify(key, use.hash, use.mgf1_hash, use.salt_len, msg, sig) == Error::ok;
    return {ok, true, {}};
}

}  // namespace padlock::vectors
