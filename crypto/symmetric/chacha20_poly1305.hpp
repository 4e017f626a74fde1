// SPDX-License-Identifier: Apache-2.0
// ChaCha20-Poly1305 AEAD, RFC 8439 §2.8: ChaCha20 encryption with a Poly1305 tag over
// aad || pad16 || ciphertext || pad16 || le64(len(aad)) || le64(len(ciphertext)).
#pragma once

#include <cstdint>
#include <span>

#include "crypto/common.hpp"

namespace padlock {

class ChaCha20Poly1305 {
public:
    static constexpr std::size_t key_size = 32;
    static constexpr std::size_t nonce_size = 12;
    static constexpr std::size_t tag_size = 16;

    ChaCha20Poly1305() = default;
    ~ChaCha20Poly1305();
    ChaCha20Poly1305(const ChaCha20Poly1305&) = default;
    ChaCha20Poly1305& operator=(const ChaCha20Poly1305&) = default;

    // Sets the 32-byte key. Any other size: CryptoError::bad_key_length (the key is then cleared).
    CryptoError init(Bytes key);

    // Encrypts plaintext into out (>= plaintext.size() bytes; in-place allowed) and writes the tag.
    // Errors: bad_nonce_length (nonce not 12 bytes), buffer_too_small, bad_input_length (plaintext
    // longer than the 2^32 - 1 blocks one nonce can cover). Constant time in the data.
    CryptoError seal(Bytes nonce, Bytes aad, Bytes plaintext, MutBytes out,
               std::span<std::uint8_t, 16> tag) const;

    // Verifies the tag in constant time, then decrypts ciphertext into out (>= ciphertext.size();
    // in-place allowed). On a tag mismatch, out is zeroed and CryptoError::auth_failed is returned, so no
    // unauthenticated plaintext is released. tag must be 16 bytes (else bad_tag_length).
    CryptoError open(Bytes nonce, Bytes aad, Bytes ciphertext, Bytes tag, MutBytes out) const;

private:
    std::uint8_t key_[32] = {};
    bool has_key_ = false;
};

}  // namespace padlock
