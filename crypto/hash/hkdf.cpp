// SPDX-License-Identifier: Apache-2.0
// HKDF (RFC 5869) with the hash chosen at run time; the templates live in hkdf.hpp.
#include "crypto/hash/hkdf.hpp"

namespace padlock {

CryptoError hkdf_extract(HashAlg alg, Bytes salt, Bytes ikm, MutBytes prk) {
    if (prk.size() != hash_size(alg)) return CryptoError::buffer_too_small;
    return hmac(alg, salt, ikm, prk);
}

CryptoError hkdf_expand(HashAlg alg, Bytes prk, Bytes info, MutBytes out) {
    switch (alg) {
    case HashAlg::sha1: return hkdf_expand<Sha1>(prk, info, out);
    case HashAlg::sha224: return hkdf_expand<Sha224>(prk, info, out);
    case HashAlg::sha256: return hkdf_expand<Sha256>(prk, info, out);
    case HashAlg::sha384: return hkdf_expand<Sha384>(prk, info, out);
    case HashAlg::sha512: return hkdf_expand<Sha512>(prk, info, out);
    }
    return CryptoError::unsupported_hash;
}

CryptoError hkdf(HashAlg alg, Bytes salt, Bytes ikm, Bytes info, MutBytes out) {
    std::uint8_t prk[max_digest_size];
    MutBytes prk_view(prk, hash_size(alg));
    CryptoError err = hkdf_extract(alg, salt, ikm, prk_view);
    if (err == CryptoError::ok) err = hkdf_expand(alg, prk_view, info, out);
    secure_zero(prk);
    return err;
}

}  // namespace padlock
