// SPDX-License-Identifier: Apache-2.0
// The accelerated X25519 code (RFC 7748 §5): the Montgomery ladder with AVX-512 IFMA, the four field
// elements of the ladder state one per 64-bit lane (crypto/ec/x25519_ifma.cpp), and the whole
// scalar multiplication in radix 2^64 with MULX (crypto/ec/x25519_mulx.cpp). Internal to
// crypto/ec/x25519.cpp's dispatch; compiled only with PADLOCK_ACCEL_X86 (accel=auto on x86-64).
#pragma once

#include <cstdint>

namespace padlock::x25519_x86 {
// For a clamped scalar k and the u-coordinate x1 in radix 2^51 (five limbs, each below 2^51 + 2^13,
// as x25519.cpp's field code keeps them): the ladder's final (x2 : z2), in radix 2^51 with each
// limb below 2^52. Constant time in k and x1. Needs AVX-512 F + VL and IFMA.
void ladder_ifma(std::uint64_t x2[5], std::uint64_t z2[5], const std::uint8_t k[32], const std::uint64_t x1[5]);

// For a clamped scalar k and a peer's encoded u-coordinate (bit 255 ignored, values >= p reduced):
// the encoded u-coordinate of k·u, fully reduced into [0, p). Constant time in k and u. Needs BMI2.
void scalarmult_mulx(std::uint8_t out[32], const std::uint8_t k[32], const std::uint8_t u[32]);
}  // namespace padlock::x25519_x86
