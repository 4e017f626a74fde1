// SPDX-License-Identifier: Apache-2.0
// Poly1305 one-time authenticator, RFC 8439 §2.5: a polynomial in the message evaluated modulo
// 2^130 - 5 at the clamped point r, plus s.
// Dispatch (crypto/cpu.hpp, the shared Backend idiom): update() picks a backend on each call from
// cpu::features(); a run of at least 16 whole blocks goes to AVX-512 IFMA (eight lanes), of at
// least 32 to AVX2 (four lanes; shorter runs measured faster scalar on Zen 3), when the CPU has it
// (crypto/symmetric/poly1305_x86.cpp); shorter runs, the constructor and final() are scalar. The
// radix-2^26 (32-bit limb) build is portable only.
#pragma once

#include <cstdint>
#include <span>

#include "crypto/common.hpp"

namespace padlock {

// Incremental Poly1305. A key must authenticate exactly one message (it is a one-time key).
// update() may be called with any split of the message; final() writes the tag and wipes the
// state. All arithmetic is constant time (no branch or index depends on the key or the message).
class Poly1305 {
public:
    static constexpr std::size_t key_size = 32;
    static constexpr std::size_t tag_size = 16;

    explicit Poly1305(std::span<const std::uint8_t, 32> key);
    ~Poly1305();
    Poly1305(const Poly1305&) = delete;
    Poly1305& operator=(const Poly1305&) = delete;

    void update(Bytes data);
    void final(std::span<std::uint8_t, 16> tag);

private:
    void blocks(const std::uint8_t* p, std::size_t nblocks, std::uint64_t hibit);

#if defined(__SIZEOF_INT128__) && !defined(PADLOCK_LIMB32)
    // Radix 2^64: h as two 64-bit words plus a small third; r as two words and 5 * r1 / 4.
    std::uint64_t r_[3];
    std::uint64_t h_[3];
    std::uint64_t pad_[2];       // s, the second key half, as two 64-bit words
#else
    // Radix 2^26 (no 128-bit integers, or forced for testing): five limbs of 26 bits; the products
    // fit in 64 bits.
    std::uint32_t r_[5];
    std::uint32_t h_[5];
    std::uint32_t pad_[4];
#endif
    std::uint8_t buffer_[16];    // a partial block waiting for more input
    std::size_t buffered_ = 0;
};

// The backend update() would use now for a long run: "portable", "avx2" or "ifma". For tests and
// the benchmark.
const char* poly1305_backend_name();

// One-shot convenience: tag = Poly1305(key, message).
void poly1305(std::span<const std::uint8_t, 32> key, Bytes message, std::span<std::uint8_t, 16> tag);

}  // namespace padlock
