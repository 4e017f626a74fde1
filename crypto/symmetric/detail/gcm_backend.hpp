// SPDX-License-Identifier: Apache-2.0
// The AES-GCM dispatch table (crypto/cpu.hpp's Backend idiom), internal to crypto/symmetric/gcm.cpp
// and the x86 backends (crypto/symmetric/gcm_x86.cpp). AesGcm checks every length, size and aliasing
// rule before it calls one; a backend gets only valid arguments.
#pragma once

#include <cstddef>
#include <cstdint>

#include "crypto/common.hpp"
#include "crypto/symmetric/gcm.hpp"

namespace padlock {

// One implementation of the whole of SP 800-38D §7.1/§7.2, on its own part of AesGcm::Key.
// Constant time: every branch and index is on lengths only.
struct AesGcm::Backend {
    const char* name;
    // FIPS 197 §5.2 KeyExpansion and the hash-key material from H = CIPH_K(0^128) (§7.1 step 1);
    // key is 16, 24 or 32 bytes.
    void (*init)(Key& k, Bytes key);
    // §7.1 GCM-AE: out = GCTR(inc32(J0), in) and its tag. in == out allowed.
    void (*seal)(const Key& k, Bytes iv, Bytes aad, const std::uint8_t* in, std::uint8_t* out, std::size_t n,
                 std::uint8_t tag[16]);
    // §7.2 GCM-AD steps 2-8: out = GCTR(inc32(J0), in), the expected tag of in, and its comparison
    // with tag in constant time. Each ciphertext byte is read (hashed) before the same byte of out
    // is written, so in == out is allowed. On a mismatch out is zeroed (with the backend's widest
    // stores: a byte loop there cost open a tenth of its speed), so no unauthenticated plaintext
    // is released. Returns 0xff if the tags match, else 0: a secret until the caller returns it,
    // so nothing branches on it.
    std::uint8_t (*open)(const Key& k, Bytes iv, Bytes aad, const std::uint8_t* in, std::uint8_t* out,
                         std::size_t n, const std::uint8_t tag[16]);
};

}  // namespace padlock
