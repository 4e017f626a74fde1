// SPDX-License-Identifier: Apache-2.0
// HMAC (RFC 2104) with the hash chosen at run time; the templates live in hmac.hpp.
// Constant time in key, message and tag (the tag comparison uses ct::equal).
#include "crypto/hash/hmac.hpp"

namespace padlock {
namespace {

template <class H>
void hmac_into(Bytes key, Bytes msg, std::uint8_t* out) {
    hmac<H>(key, msg, std::span<std::uint8_t, H::digest_size>(out, H::digest_size));
}

}  // namespace

CryptoError hmac(HashAlg alg, Bytes key, Bytes msg, MutBytes out) {
    if (out.size() != hash_size(alg)) return CryptoError::bad_tag_length;
    switch (alg) {
    case HashAlg::sha1: hmac_into<Sha1>(key, msg, out.data()); break;
    case HashAlg::sha224: hmac_into<Sha224>(key, msg, out.data()); break;
    case HashAlg::sha256: hmac_into<Sha256>(key, msg, out.data()); break;
    case HashAlg::sha384: hmac_into<Sha384>(key, msg, out.data()); break;
    case HashAlg::sha512: hmac_into<Sha512>(key, msg, out.data()); break;
    }
    return CryptoError::ok;
}

CryptoError hmac_verify(HashAlg alg, Bytes key, Bytes msg, Bytes tag) {
    const std::size_t size = hash_size(alg);
    if (tag.size() < hmac_min_tag_size || tag.size() > size) return CryptoError::bad_tag_length;
    std::uint8_t expected[max_digest_size];
    CryptoError err = hmac(alg, key, msg, MutBytes(expected, size));
    // The tag length is public; the comparison of its bytes is constant time, and its verdict is a
    // mask until it is returned (err is ok here: out has the size hmac() wants).
    if (err == CryptoError::ok) {
        const std::uint8_t match = ct::equal_mask(expected, tag.data(), tag.size());
        err = CryptoError(ct::select(match, std::uint8_t(CryptoError::ok), std::uint8_t(CryptoError::auth_failed)));
    }
    secure_zero(expected);
    return err;
}

}  // namespace padlock
