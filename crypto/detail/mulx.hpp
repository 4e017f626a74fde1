// SPDX-License-Identifier: Apache-2.0
// The 64-bit multiply and carry-chain helpers of the MULX backends (crypto/ec/p256_x86.cpp,
// crypto/ec/x25519_mulx.cpp), and the 256-bit square both fields start from. Everything is compiled
// for BMI2 and always inlined, so that products and carries stay in registers; the accumulators are
// named scalars, not arrays (an array whose limbs are addressed by _addcarry_u64 stays in memory,
// with a store-forwarding stall on every limb). Only for x86-64 builds with PADLOCK_ACCEL_X86.
#pragma once

#include <immintrin.h>

#define PADLOCK_MULX_INLINE __attribute__((target("bmi2"), always_inline)) inline

namespace padlock::x86_mulx {

using u64 = unsigned long long;  // the intrinsics' limb type
using carry_bit = unsigned char;

// The 128-bit product a·b as (low, *hi): an unsigned __int128 product, which GCC and Clang compile
// to MULX under this target (the same code as _mulx_u64 with GCC 12).
PADLOCK_MULX_INLINE u64 mulx(u64 a, u64 b, u64* hi) {
    const unsigned __int128 t = (unsigned __int128)a * b;
    *hi = u64(t >> 64);
    return u64(t);
}

// a + b + c, c = the carry out.
PADLOCK_MULX_INLINE u64 adc(carry_bit& c, u64 a, u64 b) {
    u64 t;
    c = _addcarry_u64(c, a, b, &t);
    return t;
}
// a - b - c, c = the borrow out.
PADLOCK_MULX_INLINE u64 sbb(carry_bit& c, u64 a, u64 b) {
    u64 t;
    c = _subborrow_u64(c, a, b, &t);
    return t;
}

// (t0..t7) = a^2 for a = a0 + a1·2^64 + a2·2^128 + a3·2^192: the six products a_i·a_j (i < j) once,
// doubled, plus the four squares; ten multiplications instead of sixteen.
PADLOCK_MULX_INLINE void square_product(u64 a0, u64 a1, u64 a2, u64 a3, u64& t0, u64& t1, u64& t2, u64& t3,
                                        u64& t4, u64& t5, u64& t6, u64& t7) {
    u64 h01, h02, h03, h12, h13, h23;
    const u64 l01 = mulx(a0, a1, &h01);
    const u64 l02 = mulx(a0, a2, &h02);
    const u64 l03 = mulx(a0, a3, &h03);
    const u64 l12 = mulx(a1, a2, &h12);
    const u64 l13 = mulx(a1, a3, &h13);
    const u64 l23 = mulx(a2, a3, &h23);
    // Cross products: a0·(a1, a2, a3) at limbs 1-4, a1·(a2, a3) at 3-5, a2·a3 at 5-6. Their sum is
    // below 2^448, so nothing carries out of limb 6.
    carry_bit c = 0;
    t1 = l01;
    t2 = adc(c, h01, l02);
    t3 = adc(c, h02, l03);
    t4 = adc(c, h03, 0);  // no carry out: a0·(a1, a2, a3) < 2^256
    c = 0;
    t3 = adc(c, t3, l12);
    t4 = adc(c, t4, h12);
    t5 = adc(c, h13, 0);  // limb 5 so far is only h13 and the carry
    c = 0;
    t4 = adc(c, t4, l13);
    t5 = adc(c, t5, l23);
    t6 = adc(c, h23, 0);
    // Doubled: t1..t6 shifted left by one, the bit out into t7.
    c = 0;
    t1 = adc(c, t1, t1);
    t2 = adc(c, t2, t2);
    t3 = adc(c, t3, t3);
    t4 = adc(c, t4, t4);
    t5 = adc(c, t5, t5);
    t6 = adc(c, t6, t6);
    t7 = c;
    // The squares a_i^2 at limbs 2i, 2i + 1.
    u64 s0h, s1h, s2h, s3h;
    t0 = mulx(a0, a0, &s0h);
    const u64 s1l = mulx(a1, a1, &s1h);
    const u64 s2l = mulx(a2, a2, &s2h);
    const u64 s3l = mulx(a3, a3, &s3h);
    c = 0;
    t1 = adc(c, t1, s0h);
    t2 = adc(c, t2, s1l);
    t3 = adc(c, t3, s1h);
    t4 = adc(c, t4, s2l);
    t5 = adc(c, t5, s2h);
    t6 = adc(c, t6, s3l);
    t7 = adc(c, t7, s3h);  // no carry out: a^2 < 2^512
}
}  // namespace padlock::x86_mulx
