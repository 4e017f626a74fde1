// SPDX-License-Identifier: Apache-2.0
// HKDF (RFC 5869 §2): HMAC-based extract-then-expand key derivation, over any FIPS 180-4 hash.
// Constant time in salt, input keying material, PRK and info (only lengths are public).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/common.hpp"
#include "crypto/ct.hpp"
#include "crypto/hash/hash.hpp"
#include "crypto/hash/hmac.hpp"

namespace padlock {

// HKDF-Extract (RFC 5869 §2.2): PRK = HMAC-Hash(salt, IKM). An empty salt means HashLen zero bytes;
// HMAC zero-pads its key to the block size, so passing the empty salt through gives that result.
template <class H>
void hkdf_extract(Bytes salt, Bytes ikm, std::span<std::uint8_t, H::digest_size> prk) {
    hmac<H>(salt, ikm, prk);
}

// HKDF-Expand (RFC 5869 §2.3): T(i) = HMAC-Hash(PRK, T(i-1) || info || i), OKM = T(1) || T(2) ...
// Fills all of out; out.size() > 255 * HashLen gives CryptoError::output_too_long and writes nothing.
// out must not overlap prk or info.
template <class H>
[[nodiscard]] CryptoError hkdf_expand(Bytes prk, Bytes info, MutBytes out) {
    constexpr std::size_t hash_len = H::digest_size;
    if (out.size() > 255 * hash_len) return CryptoError::output_too_long;
    Hmac<H> mac(prk);
    std::uint8_t t[hash_len];
    std::size_t done = 0;
    for (std::uint8_t i = 1; done < out.size(); i++) {
        if (i > 1) mac.update(t);              // T(0) is the empty string
        mac.update(info);
        mac.update(std::span<const std::uint8_t, 1>(&i, 1));
        mac.final(t);
        std::size_t n = std::min(hash_len, out.size() - done);
        std::copy(t, t + n, out.begin() + std::ptrdiff_t(done));
        done += n;
    }
    secure_zero(t);
    return CryptoError::ok;
}

// HKDF (RFC 5869 §2): Extract then Expand.
template <class H>
[[nodiscard]] CryptoError hkdf(Bytes salt, Bytes ikm, Bytes info, MutBytes out) {
    std::uint8_t prk[H::digest_size];
    hkdf_extract<H>(salt, ikm, prk);
    CryptoError err = hkdf_expand<H>(prk, info, out);
    secure_zero(prk);
    return err;
}

// The same with the hash chosen at run time (TLS 1.3 picks it from the cipher suite).
// hkdf_extract needs prk of exactly hash_size(alg) bytes, else CryptoError::buffer_too_small.
[[nodiscard]] CryptoError hkdf_extract(HashAlg alg, Bytes salt, Bytes ikm, MutBytes prk);
[[nodiscard]] CryptoError hkdf_expand(HashAlg alg, Bytes prk, Bytes info, MutBytes out);
[[nodiscard]] CryptoError hkdf(HashAlg alg, Bytes salt, Bytes ikm, Bytes info, MutBytes out);

}  // namespace padlock
