// SPDX-License-Identifier: Apache-2.0
// RSASSA-PSS verification for the signature entry point (RFC 8017 §8.1.2 with EMSA-PSS §9.1.2 and
// MGF1 §B.2.1); keys rsaEncryption or id-RSASSA-PSS with optional RSASSA-PSS-params (RFC 4055 §1.2,
// §3.1). Its own translation unit.
#include "asn1/oid.hpp"
#include "asn1/signature.hpp"
#include "crypto/rsa/rsa.hpp"

namespace padlock::asn1 {

namespace {

bool hash_from_oid(Bytes id, HashAlg& hash) {
    if (oid::equal(id, oid::sha1)) hash = HashAlg::sha1;
    else if (oid::equal(id, oid::sha224)) hash = HashAlg::sha224;
    else if (oid::equal(id, oid::sha256)) hash = HashAlg::sha256;
    else if (oid::equal(id, oid::sha384)) hash = HashAlg::sha384;
    else if (oid::equal(id, oid::sha512)) hash = HashAlg::sha512;
    else return false;
    return true;
}

}  // namespace

SignatureError verify_rsa_pss(const PssParams& params, const Spki& key, Bytes message, Bytes signature) {
    if (key.type != KeyType::rsa && key.type != KeyType::rsa_pss) return SignatureError::key_mismatch;
    if (key.type == KeyType::rsa_pss && !key.params.empty()) {
        // RFC 4055 §3.1: parameters in the key restrict it to those parameters. Absent fields hold
        // their defaults (SHA-1, MGF1-SHA-1, 20), which parse_rsassa_pss_params fills in.
        RsaPssParams bound;
        if (parse_rsassa_pss_params(key.params, bound) != Asn1Error::ok) return SignatureError::bad_key;
        HashAlg hash, mgf1_hash;
        if (!hash_from_oid(bound.hash, hash) || !hash_from_oid(bound.mgf1_hash, mgf1_hash))
            return SignatureError::unsupported_algorithm;
        if (hash != params.hash || mgf1_hash != params.mgf1_hash || bound.salt_length != params.salt_length)
            return SignatureError::key_mismatch;
    }
    RsaPublicKeyDer parsed;
    if (parse_rsa_public_key(key.key, parsed) != Asn1Error::ok) return SignatureError::bad_key;
    padlock::RsaPublicKey loaded;
    if (loaded.load({parsed.n, parsed.e}) != padlock::CryptoError::ok) return SignatureError::bad_key;
    if (rsa_pss_verify(loaded, params.hash, params.mgf1_hash, params.salt_length, message, signature) !=
        padlock::CryptoError::ok)
        return SignatureError::invalid_signature;
    return SignatureError::ok;
}

}  // namespace padlock::asn1
