// SPDX-License-Identifier: Apache-2.0
// HMAC (RFC 2104 §2, FIPS 198-1 §4): H((K0 ^ opad) || H((K0 ^ ipad) || text)) over any of the
// FIPS 180-4 hashes. Constant time in the key and the message (the hashes never branch on data;
// the key length itself is treated as public). Tags are compared with ct::equal by callers.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/common.hpp"
#include "crypto/ct.hpp"
#include "crypto/hash/hash.hpp"

namespace padlock {

// Streaming HMAC. H is Sha1, Sha224, Sha256, Sha384 or Sha512.
// The keyed inner and outer states are kept, so final() leaves the context ready for a new message
// under the same key (HKDF-Expand relies on this); the destructor wipes them.
template <class H>
class Hmac {
public:
    static constexpr std::size_t digest_size = H::digest_size, block_size = H::block_size;

    // RFC 2104 §2 steps 1-3 (FIPS 198-1 steps 1-5): K0 is the key zero-padded to B bytes, or
    // H(key) zero-padded when the key is longer than B; the inner and outer hashes start with
    // K0 ^ ipad and K0 ^ opad.
    explicit Hmac(Bytes key) {
        std::uint8_t k0[block_size] = {};
        if (key.size() > block_size) {
            H::hash(key, std::span<std::uint8_t, digest_size>(k0, digest_size));
        } else {
            std::copy(key.begin(), key.end(), k0);
        }
        std::uint8_t pad[block_size];
        for (std::size_t i = 0; i < block_size; i++) pad[i] = std::uint8_t(k0[i] ^ 0x36);
        inner_start_.update(pad);
        for (std::size_t i = 0; i < block_size; i++) pad[i] = std::uint8_t(k0[i] ^ 0x5c);
        outer_start_.update(pad);
        inner_ = inner_start_;
        secure_zero(k0);
        secure_zero(pad);
    }

    void update(Bytes data) { inner_.update(data); }

    // RFC 2104 §2 steps 4-7: the outer hash over the inner digest. Then ready for a new message.
    void final(std::span<std::uint8_t, digest_size> out) {
        std::uint8_t inner_digest[digest_size];
        inner_.final(inner_digest);
        H outer = outer_start_;
        outer.update(inner_digest);
        outer.final(out);
        secure_zero(inner_digest);
        inner_ = inner_start_;
    }

private:
    // Each H wipes itself on destruction, which is what wipes the key pads.
    H inner_start_, outer_start_, inner_;
};

// One-shot HMAC.
template <class H>
void hmac(Bytes key, Bytes msg, std::span<std::uint8_t, H::digest_size> out) {
    Hmac<H> mac(key);
    mac.update(msg);
    mac.final(out);
}

// HMAC with a hash chosen at run time. out must be exactly hash_size(alg) bytes, else
// CryptoError::bad_tag_length and nothing is written.
[[nodiscard]] CryptoError hmac(HashAlg alg, Bytes key, Bytes msg, MutBytes out);

// Recomputes HMAC(key, msg) and compares it with tag in constant time. A tag shorter than the
// digest is compared against the leading bytes (truncated HMAC, RFC 2104 §5), down to the 80 bits
// RFC 2104 §5 sets as the floor: a tag shorter than hmac_min_tag_size or longer than the digest
// gives CryptoError::bad_tag_length, a mismatch CryptoError::auth_failed. The floor matters when the tag comes
// from the peer: otherwise a 1-byte tag would be accepted with probability 1/256.
inline constexpr std::size_t hmac_min_tag_size = 10;
[[nodiscard]] CryptoError hmac_verify(HashAlg alg, Bytes key, Bytes msg, Bytes tag);

}  // namespace padlock
