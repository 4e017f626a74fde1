// SPDX-License-Identifier: Apache-2.0
// The X25519 Montgomery ladder (RFC 7748 §5) with AVX-512 IFMA, the four field elements of the
// ladder state one per 64-bit lane (crypto/ec/x25519_ifma.cpp). Internal to crypto/ec/x25519.cpp's
// dispatch; compiled only with PADLOCK_ACCEL_X86 (accel=auto on x86-64).
#pragma once

#include <cstdint>

namespace padlock::x25519_x86 {
// For a clamped scalar k and the u-coordinate x1 in radix 2^51 (five limbs, each below 2^51 + 2^13,
// as x25519.cpp's field code keeps them): the ladder's final (x2 : z2), in radix 2^51 with each
// limb below 2^52. Constant time in k and x1. Needs AVX-512 F + VL and IFMA.
void ladder_ifma(std::uint64_t x2[5], std::uint64_t z2[5], const std::uint8_t k[32], const std::uint64_t x1[5]);
}  // namespace padlock::x25519_x86
