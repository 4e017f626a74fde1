// SPDX-License-Identifier: Apache-2.0
// ECDSA over P-256 for the signature entry point (FIPS 186-5 §6.4.2; signature encoding RFC 3279
// §2.2.3 Ecdsa-Sig-Value; key RFC 5480 §2). Its own translation unit: no RSA comes along.
#include "asn1/signature.hpp"
#include "crypto/ec/ecdsa.hpp"
#include "crypto/hash/sha2.hpp"

namespace padlock::asn1 {

namespace {

// The checks after hashing: the key's kind, the signature's DER, then FIPS 186-5 §6.4.2.
SignatureError verify_ecdsa_p256_digest(const Spki& key, Bytes digest, Bytes der_signature) {
    if (key.type != KeyType::ec_p256) return SignatureError::key_mismatch;
    Bytes r, s;
    if (parse_ecdsa_signature(der_signature, r, s) != Asn1Error::ok) return SignatureError::bad_signature_encoding;
    switch (ecdsa_p256_verify_digest(key.key, digest, r, s)) {
    case padlock::CryptoError::ok: return SignatureError::ok;
    case padlock::CryptoError::invalid_point: return SignatureError::bad_key;
    default: return SignatureError::invalid_signature;
    }
}

}  // namespace

SignatureError verify_ecdsa_p256(HashAlg hash, const Spki& key, Bytes message, Bytes der_signature) {
    std::uint8_t digest[max_digest_size];
    const MutBytes d(digest, hash_size(hash));
    if (padlock::hash(hash, message, d) != padlock::CryptoError::ok) return SignatureError::unsupported_algorithm;
    return verify_ecdsa_p256_digest(key, d, der_signature);
}

SignatureError verify_signature_ecdsa_p256_sha256_only(SignatureAlg alg, const Spki& key, Bytes message,
                                                       Bytes signature) {
    if (alg != SignatureAlg::ecdsa_p256_sha256) return SignatureError::unsupported_algorithm;
    std::uint8_t digest[Sha256::digest_size];
    Sha256::hash(message, digest);  // SHA-256 itself, not the AnyHash switch over every hash
    return verify_ecdsa_p256_digest(key, digest, signature);
}

SignatureError verify_signature_ecdsa_p256_only(SignatureAlg alg, const Spki& key, Bytes message, Bytes signature) {
    switch (alg) {
    case SignatureAlg::ecdsa_p256_sha256: return verify_ecdsa_p256(HashAlg::sha256, key, message, signature);
    case SignatureAlg::ecdsa_p256_sha384: return verify_ecdsa_p256(HashAlg::sha384, key, message, signature);
    case SignatureAlg::ecdsa_p256_sha512: return verify_ecdsa_p256(HashAlg::sha512, key, message, signature);
    default: return SignatureError::unsupported_algorithm;
    }
}

}  // namespace padlock::asn1
