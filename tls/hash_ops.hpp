// SPDX-License-Identifier: Apache-2.0
// The HashOps functions for one hash type H (tls/suite.hpp), instantiated by hash_sha256.cpp and
// hash_sha384.cpp: each TU instantiates only its own hash, so the other is never linked.
#pragma once

#include <new>

#include "crypto/hash/hkdf.hpp"
#include "crypto/hash/hmac.hpp"
#include "tls/suite.hpp"

namespace padlock::tls::detail {

template <class H>
struct HashFunctions {
    static_assert(sizeof(H) <= hash_state_size && alignof(H) <= hash_state_align);
    // The H that start() constructed in the caller's storage.
    static H* get(void* state) { return std::launder(static_cast<H*>(state)); }
    static const H* get(const void* state) { return std::launder(static_cast<const H*>(state)); }
    static void hmac(Bytes key, Bytes msg, std::uint8_t* out) {
        padlock::hmac<H>(key, msg, std::span<std::uint8_t, H::digest_size>(out, H::digest_size));
    }
    static void hkdf_extract(Bytes salt, Bytes ikm, std::uint8_t* prk) {
        padlock::hkdf_extract<H>(salt, ikm, std::span<std::uint8_t, H::digest_size>(prk, H::digest_size));
    }
    static CryptoError hkdf_expand(Bytes prk, Bytes info, MutBytes out) {
        return padlock::hkdf_expand<H>(prk, info, out);
    }
    static void start(void* state) { new (state) H(); }
    static void update(void* state, Bytes data) { get(state)->update(data); }
    static void digest(const void* state, std::uint8_t* out) {
        H copy = *get(state);  // finishing a copy leaves the running hash as it was
        copy.final(std::span<std::uint8_t, H::digest_size>(out, H::digest_size));
    }
    static void destroy(void* state) { get(state)->~H(); }

    static constexpr HashOps ops{H::digest_size, hmac, hkdf_extract, hkdf_expand, start, update, digest, destroy};
};

}  // namespace padlock::tls::detail
