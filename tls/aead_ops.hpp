// SPDX-License-Identifier: Apache-2.0
// The AeadOps functions for one AEAD type A (tls/suite.hpp), instantiated by aead_aes_gcm.cpp and
// aead_chacha20_poly1305.cpp: each TU instantiates only its own AEAD, so the other is never linked.
#pragma once

#include <cstdint>
#include <new>

#include "tls/suite.hpp"

namespace padlock::tls::detail {

template <class A>
struct AeadFunctions {
    static_assert(sizeof(A) <= aead_state_size && alignof(A) <= aead_state_align);
    // The A that init() constructed in the record layer's storage.
    static const A* get(const void* state) { return std::launder(static_cast<const A*>(state)); }
    static CryptoError init(void* state, Bytes key) { return (new (state) A())->init(key); }
    static CryptoError seal(const void* state, std::span<const std::uint8_t, iv_size> nonce, Bytes aad,
                            Bytes plaintext, MutBytes ciphertext, std::span<std::uint8_t, tag_size> tag) {
        return get(state)->seal(nonce, aad, plaintext, ciphertext, tag);
    }
    static CryptoError open(const void* state, std::span<const std::uint8_t, iv_size> nonce, Bytes aad,
                            Bytes ciphertext, Bytes tag, MutBytes plaintext) {
        return get(state)->open(nonce, aad, ciphertext, tag, plaintext);
    }
    static void destroy(void* state) { std::launder(static_cast<A*>(state))->~A(); }

    static constexpr AeadOps ops(std::size_t key_size, std::uint64_t record_limit) {
        return {key_size, record_limit, init, seal, open, destroy};
    }
};

}  // namespace padlock::tls::detail
