// SPDX-License-Identifier: Apache-2.0
// ChaCha20-Poly1305 (RFC 8439) as a TLS 1.3 record AEAD (RFC 8446 §5.2, §B.4).
#include <new>

#include "tls/suite.hpp"

namespace padlock::tls {
namespace {

static_assert(sizeof(ChaCha20Poly1305) <= aead_state_size && alignof(ChaCha20Poly1305) <= aead_state_align);

// The object init() constructed in the record layer's storage.
const ChaCha20Poly1305* keyed(const void* state) { return std::launder(static_cast<const ChaCha20Poly1305*>(state)); }

CryptoError init(void* state, Bytes key) { return (new (state) ChaCha20Poly1305())->init(key); }
CryptoError seal(const void* state, std::span<const std::uint8_t, iv_size> nonce, Bytes aad, Bytes plaintext,
           MutBytes ciphertext, std::span<std::uint8_t, tag_size> tag) {
    return keyed(state)->seal(nonce, aad, plaintext, ciphertext, tag);
}
CryptoError open(const void* state, std::span<const std::uint8_t, iv_size> nonce, Bytes aad, Bytes ciphertext,
           Bytes tag, MutBytes plaintext) {
    return keyed(state)->open(nonce, aad, ciphertext, tag, plaintext);
}
void destroy(void* state) { std::launder(static_cast<ChaCha20Poly1305*>(state))->~ChaCha20Poly1305(); }

}  // namespace

// RFC 8446 §5.5 sets no ChaCha20-Poly1305 record limit below the 2^64 sequence numbers (RFC 8439
// §2.8 allows 2^64 nonces per key); the sequence-number wrap check (§5.3) is the only bound.
const AeadOps chacha20_poly1305_ops{32, UINT64_MAX, init, seal, open, destroy};

}  // namespace padlock::tls
