// SPDX-License-Identifier: Apache-2.0
// ECDSA over P-384 for the signature entry point (FIPS 186-5 §6.4.2; signature encoding RFC 3279
// §2.2.3 Ecdsa-Sig-Value; key RFC 5480 §2). Its own translation unit: a P-256-only verifier links
// none of the P-384 arithmetic.
#include "asn1/signature.hpp"
#include "crypto/ec/ecdsa.hpp"

namespace padlock::asn1 {

SignatureError verify_ecdsa_p384(HashAlg hash, const Spki& key, Bytes message, Bytes der_signature) {
    if (key.type != KeyType::ec_p384) return SignatureError::key_mismatch;
    Bytes r, s;
    if (parse_ecdsa_signature(der_signature, r, s) != Asn1Error::ok) return SignatureError::bad_signature_encoding;
    std::uint8_t digest[max_digest_size];
    const MutBytes d(digest, hash_size(hash));
    if (padlock::hash(hash, message, d) != padlock::CryptoError::ok) return SignatureError::unsupported_algorithm;
    switch (ecdsa_p384_verify_digest(key.key, d, r, s)) {
    case padlock::CryptoError::ok: return SignatureError::ok;
    case padlock::CryptoError::invalid_point: return SignatureError::bad_key;
    default: return SignatureError::invalid_signature;
    }
}

}  // namespace padlock::asn1
