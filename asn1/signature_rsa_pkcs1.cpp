// SPDX-License-Identifier: Apache-2.0
// RSASSA-PKCS1-v1_5 verification for the signature entry point (RFC 8017 §8.2.2; key RFC 3279
// §2.3.1 RSAPublicKey under rsaEncryption). Its own translation unit.
#include "asn1/signature.hpp"
#include "crypto/rsa/rsa.hpp"

namespace padlock::asn1 {

SignatureError verify_rsa_pkcs1(HashAlg hash, const Spki& key, Bytes message, Bytes signature) {
    // RFC 4055 §1.2: an id-RSASSA-PSS key MUST NOT be used for PKCS#1 v1.5 signatures.
    if (key.type != KeyType::rsa) return SignatureError::key_mismatch;
    RsaPublicKeyDer parsed;
    if (parse_rsa_public_key(key.key, parsed) != Asn1Error::ok) return SignatureError::bad_key;
    padlock::RsaPublicKey loaded;
    if (loaded.load({parsed.n, parsed.e}) != padlock::CryptoError::ok) return SignatureError::bad_key;
    if (rsa_pkcs1_verify(loaded, hash, message, signature) != padlock::CryptoError::ok)
        return SignatureError::invalid_signature;
    return SignatureError::ok;
}

}  // namespace padlock::asn1
