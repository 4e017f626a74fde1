// SPDX-License-Identifier: Apache-2.0
// Poly1305 (RFC 8439 §2.5) on four blocks at once with AVX2, or eight with AVX-512 IFMA
// (crypto/symmetric/poly1305_x86.cpp). Internal to
// crypto/symmetric/poly1305.cpp's dispatch; compiled only with PADLOCK_ACCEL_X86 (accel=auto on x86-64).
#pragma once

#include <cstddef>
#include <cstdint>

namespace padlock::poly1305_x86 {
// h = (...((h + m_1) r + m_2) r + ... + m_n) r mod 2^130 - 5 over n full blocks (each with its 2^128
// bit), n a multiple of 4 (AVX2) or 8 (IFMA). h in radix 2^64 (h[2] <= 4, as poly1305.cpp keeps it),
// r as its two clamped 64-bit words. Constant time.
void blocks_avx2(std::uint64_t h[3], const std::uint64_t r[2], const std::uint8_t* p, std::size_t n);
void blocks_ifma(std::uint64_t h[3], const std::uint64_t r[2], const std::uint8_t* p, std::size_t n);
}  // namespace padlock::poly1305_x86
