// SPDX-License-Identifier: Apache-2.0
// P-256 with MULX (BMI2), crypto/ec/p256_x86.cpp: Montgomery multiplication of the field mod p in
// the representation of p256_field.hpp (x·2^256 mod p, fully reduced, four 64-bit limbs) and of the
// scalars mod n, the inversions, and the scalar multiplications with all of that inlined into the
// point formulas. Internal to p256_curve.cpp's dispatch;
// compiled only with PADLOCK_ACCEL_X86 and 64-bit limbs. Every function needs BMI2 and is constant
// time (no branch or index depends on the values).
#pragma once

#include <cstdint>

namespace padlock::p256_x86 {
// r = a·b·2^-256 mod p and r = a^2·2^-256 mod p for a, b < p; r may alias a or b.
void field_mul(std::uint64_t r[4], const std::uint64_t a[4], const std::uint64_t b[4]);
void field_sqr(std::uint64_t r[4], const std::uint64_t a[4]);
// r = a^-1 mod p (Montgomery form in and out; 0 gives 0): Fermat, by a fixed addition chain.
void field_inv(std::uint64_t r[4], const std::uint64_t a[4]);

// 1 in Montgomery form (checked against ec_curve.hpp's constant in p256_curve.cpp).
inline constexpr std::uint64_t one_mont[4] = {1, 0xffffffff00000000ull, 0xffffffffffffffffull, 0xfffffffeull};

// The scalar multiplications of ec_curve.hpp / p256_curve.cpp with the field arithmetic inlined.
// Points are 12 limbs X, Y, Z of ec::Point (projective, Montgomery form, infinity (0:1:0)); the
// scalars come recoded by the caller.
// r = k·P for a valid P, digits = ec::recode_signed4(k). Constant time.
void point_mul(std::uint64_t r[12], const std::uint64_t p[12], const std::int8_t digits[65]);
// r = k·G by a comb over the wide table of p256_curve.cpp (52 x 16 affine points j·32^i·G, 8 limbs each),
// digits = signed 5-bit windows of k (52 in [-16, 16]), for an odd k < n. Constant time.
void point_mul_base_wide(std::uint64_t r[12], const std::int8_t digits[52], const std::uint64_t start[12],
                         const std::uint64_t* table);
// r = u1·G + u2·Q for u1 < n from the signed 5-bit digits of u1 (as point_mul_base_wide, the same
// table) and the width-5 NAF digits of u2 (ec::recode_wnaf5). Variable time.
void point_mul2(std::uint64_t r[12], const std::int8_t g_digits[52], const std::uint16_t* q_digits, int q_count,
                const std::uint64_t q[12], const std::uint64_t* table);

// r = a·b·2^-256 mod n for a, b < n; r may alias a or b.
void scalar_mont_mul(std::uint64_t r[4], const std::uint64_t a[4], const std::uint64_t b[4]);
// r = a^2·2^-256 mod n for a < n; r may alias a.
void scalar_mont_sqr(std::uint64_t r[4], const std::uint64_t a[4]);
// r = a^-1 mod n for a plain a in [0, n) (Fermat, a^(n-2); 0 gives 0). Constant time.
void scalar_inv(std::uint64_t r[4], const std::uint64_t a[4]);
}  // namespace padlock::p256_x86
