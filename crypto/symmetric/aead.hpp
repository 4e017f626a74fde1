// SPDX-License-Identifier: Apache-2.0
// The AEAD interface the TLS 1.3 record layer uses (RFC 8446 §5.2, RFC 5116 §2): one object that
// seals to ciphertext || tag and opens it again, over AES-128-GCM, AES-256-GCM or
// ChaCha20-Poly1305 (the three AEADs of the RFC 8446 §B.4 cipher suites).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <variant>

#include "crypto/symmetric/chacha20_poly1305.hpp"
#include "crypto/common.hpp"
#include "crypto/symmetric/gcm.hpp"

namespace padlock {

enum class AeadAlg : std::uint8_t { aes128_gcm, aes256_gcm, chacha20_poly1305 };

// Key size of an algorithm in bytes (RFC 8446 §B.4: 16, 32, 32); 0 for a value outside the enum.
[[nodiscard]] std::size_t aead_key_size(AeadAlg alg);
// Every TLS 1.3 AEAD takes a 12-byte nonce and gives a 16-byte tag (RFC 8446 §5.3, §5.2).
inline constexpr std::size_t aead_nonce_size = 12;
inline constexpr std::size_t aead_tag_size = 16;

// Holds one keyed AEAD by value (no heap, no virtual calls): a firmware image that uses only one
// algorithm still links both, so code that wants only one may use AesGcm or ChaCha20Poly1305
// directly. Constant time as the underlying algorithms; the key is wiped on destruction.
class Aead {
public:
    // Keys the object. Errors: bad_key_length (key.size() != aead_key_size(alg), or alg is not a
    // value of the enum); the object is then unkeyed and seal/open return bad_key_length.
    CryptoError init(AeadAlg alg, Bytes key);

    // Writes ciphertext || tag to out, which needs plaintext.size() + aead_tag_size bytes (else
    // buffer_too_small). out may start at plaintext.data() (in place), no other overlap.
    CryptoError seal(std::span<const std::uint8_t, aead_nonce_size> nonce, Bytes aad, Bytes plaintext,
               MutBytes out) const;

    // Opens sealed = ciphertext || tag into out, which needs sealed.size() - aead_tag_size bytes.
    // Errors: bad_tag_length (sealed shorter than a tag), buffer_too_small, auth_failed (out is then
    // zeroed: no unauthenticated plaintext is released). out may start at sealed.data().
    CryptoError open(std::span<const std::uint8_t, aead_nonce_size> nonce, Bytes aad, Bytes sealed,
               MutBytes out) const;

private:
    std::variant<std::monostate, AesGcm, ChaCha20Poly1305> impl_;
};

}  // namespace padlock
