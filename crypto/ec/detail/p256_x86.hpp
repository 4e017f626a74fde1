// SPDX-License-Identifier: Apache-2.0
// P-256 Montgomery multiplication with MULX (BMI2), crypto/ec/p256_x86.cpp: the field mod p in the
// representation of p256_field.hpp (x·2^256 mod p, fully reduced, four 64-bit limbs), and the
// scalars mod n in Montgomery form for the Fermat inversion. Internal to p256_curve.cpp's dispatch;
// compiled only with PADLOCK_ACCEL_X86 and 64-bit limbs. Every function needs BMI2 and is constant
// time (no branch or index depends on the values).
#pragma once

#include <cstdint>

namespace padlock::p256_x86 {
// r = a·b·2^-256 mod p and r = a^2·2^-256 mod p for a, b < p; r may alias a or b.
void field_mul(std::uint64_t r[4], const std::uint64_t a[4], const std::uint64_t b[4]);
void field_sqr(std::uint64_t r[4], const std::uint64_t a[4]);
// r = a·b·2^-256 mod n for a, b < n; r may alias a or b.
void scalar_mont_mul(std::uint64_t r[4], const std::uint64_t a[4], const std::uint64_t b[4]);
// r = a^2·2^-256 mod n for a < n; r may alias a.
void scalar_mont_sqr(std::uint64_t r[4], const std::uint64_t a[4]);
}  // namespace padlock::p256_x86
