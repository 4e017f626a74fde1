// SPDX-License-Identifier: Apache-2.0
// ECDSA over P-384 for the signature entry point (FIPS 186-5 §6.4.2). crypto/ has no P-384
// arithmetic yet: the key and the signature's DER are checked, then the answer is
// unsupported_algorithm, never a verdict. When P-384 lands, the call goes where the comment says.
#include "asn1/signature.hpp"

namespace padlock::asn1 {

SignatureError verify_ecdsa_p384(HashAlg hash, const Spki& key, Bytes message, Bytes der_signature) {
    (void)hash;
    (void)message;
    if (key.type != KeyType::ec_p384) return SignatureError::key_mismatch;
    Bytes r, s;
    if (parse_ecdsa_signature(der_signature, r, s) != Error::ok) return SignatureError::bad_signature_encoding;
    // Here: hash the message, then ecdsa_p384_verify_digest(key.key, digest, r, s).
    return SignatureError::unsupported_algorithm;
}

}  // namespace padlock::asn1
