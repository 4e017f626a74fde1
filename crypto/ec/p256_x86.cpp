// SPDX-License-Identifier: Apache-2.0
// P-256 Montgomery multiplication with MULX (BMI2): the field mod p = 2^256 - 2^224 + 2^192 + 2^96 - 1
// (SP 800-186 §3.2.1.3) in p256_field.hpp's representation, and the scalars mod n for the Fermat
// inversion. MULX gives the 128-bit product without touching the flags, so the products of a row
// and the add-with-carry chain that sums them interleave freely; _addcarry_u64 is the carry chain.
// Each function here is compiled for BMI2 (target attribute) and called only when the CPU has it
// (p256_curve.cpp's dispatch). Constant time: no branch or index depends on the values; the final
// conditional subtraction is a mask.
#include "crypto/ec/detail/p256_x86.hpp"

#include <immintrin.h>

#include "crypto/ct.hpp"

#define BMI2_TARGET __attribute__((target("bmi2")))

namespace padlock::p256_x86 {
namespace {

using u64 = unsigned long long;  // the intrinsics' limb type
using carry_bit = unsigned char;

constexpr u64 p[4] = {0xffffffffffffffffull, 0x00000000ffffffffull, 0, 0xffffffff00000001ull};
constexpr u64 n[4] = {0xf3b9cac2fc632551ull, 0xbce6faada7179e84ull, 0xffffffffffffffffull, 0xffffffff00000000ull};
constexpr u64 n0inv = 0xccd1c8aaee00bc4full;  // -n^-1 mod 2^64
static_assert(u64(n[0] * n0inv) == ~u64(0));

// The accumulators below are named scalars, not arrays, so that GCC keeps them in registers (an
// array whose limbs are addressed by _addcarry_u64 stays in memory, with a store-forwarding stall
// on every limb).

// The 128-bit product a·b as (low, high): an unsigned __int128 product, which GCC and Clang compile
// to MULX under this target (the same code as _mulx_u64 with GCC 12).
BMI2_TARGET inline u64 mulx(u64 a, u64 b, u64* hi) {
    const unsigned __int128 t = (unsigned __int128)a * b;
    *hi = u64(t >> 64);
    return u64(t);
}

// t = a + b + c, c = the carry out.
BMI2_TARGET inline u64 adc(carry_bit& c, u64 a, u64 b) {
    u64 t;
    c = _addcarry_u64(c, a, b, &t);
    return t;
}
// t = a - b - c, c = the borrow out.
BMI2_TARGET inline u64 sbb(carry_bit& c, u64 a, u64 b) {
    u64 t;
    c = _subborrow_u64(c, a, b, &t);
    return t;
}

// (t0..t5) += (a0..a3)·b; the callers' bounds keep the sum below 2^384. The four low halves go in
// with one carry chain, the four high halves (one limb up) with a second.
BMI2_TARGET inline void mul_add_row(u64& t0, u64& t1, u64& t2, u64& t3, u64& t4, u64& t5, u64 a0, u64 a1,
                                    u64 a2, u64 a3, u64 b) {
    u64 h0, h1, h2, h3;
    const u64 l0 = mulx(a0, b, &h0);
    const u64 l1 = mulx(a1, b, &h1);
    const u64 l2 = mulx(a2, b, &h2);
    const u64 l3 = mulx(a3, b, &h3);
    carry_bit c = 0;
    t0 = adc(c, t0, l0);
    t1 = adc(c, t1, l1);
    t2 = adc(c, t2, l2);
    t3 = adc(c, t3, l3);
    t4 = adc(c, t4, 0);
    t5 = adc(c, t5, 0);
    c = 0;
    t1 = adc(c, t1, h0);
    t2 = adc(c, t2, h1);
    t3 = adc(c, t3, h2);
    t4 = adc(c, t4, h3);
    t5 = adc(c, t5, 0);
}

// (x0..x3) += (a0..a3)·b, and x4 = the limb above: a row of the 512-bit product.
BMI2_TARGET inline void product_row(u64& x0, u64& x1, u64& x2, u64& x3, u64& x4, u64 a0, u64 a1, u64 a2, u64 a3,
                                    u64 b) {
    u64 h0, h1, h2, h3;
    const u64 l0 = mulx(a0, b, &h0);
    const u64 l1 = mulx(a1, b, &h1);
    const u64 l2 = mulx(a2, b, &h2);
    const u64 l3 = mulx(a3, b, &h3);
    carry_bit c = 0;
    x0 = adc(c, x0, l0);
    x1 = adc(c, x1, l1);
    x2 = adc(c, x2, l2);
    x3 = adc(c, x3, l3);
    x4 = c;
    c = 0;
    x1 = adc(c, x1, h0);
    x2 = adc(c, x2, h1);
    x3 = adc(c, x3, h2);
    x4 = adc(c, x4, h3);  // no carry out: the row is below 2^320
}

// t·2^-256 mod p for t = (t0..t7) = H·2^256 + L < p^2: t·2^-256 = H + L·2^-256 (mod p), where
// H < p and L reduced by four words is at most p, so the sum is below 2p and one conditional
// subtraction finishes it.
BMI2_TARGET inline void reduce_product(std::uint64_t r[4], u64 t0, u64 t1, u64 t2, u64 t3, u64 t4, u64 t5, u64 t6,
                                       u64 t7);

// One word of Montgomery reduction mod p: t = (t + q·p) / 2^64 with q = t0, into (t0..t4) from
// (t0..t5). As -p^-1 mod 2^64 = 1, q is the low limb itself, and t - q ends in a zero limb, leaving
// q·2^96 + q·p3·2^192 (p3 = 2^64 - 2^32 + 1, p's top limb) to add: after the shift, q·2^32 at
// limbs 0-1 and q·p3 at limbs 2-3. t below 2^321 on entry gives t below 2^258 after.
BMI2_TARGET inline void reduce_word_p(u64& t0, u64& t1, u64& t2, u64& t3, u64& t4, u64 t5) {
    const u64 q = t0;
    u64 hi;
    const u64 lo = mulx(q, p[3], &hi);
    const u64 q_lo = q << 32, q_hi = q >> 32;
    carry_bit c = 0;
    t0 = adc(c, t1, q_lo);
    t1 = adc(c, t2, q_hi);
    t2 = adc(c, t3, lo);
    t3 = adc(c, t4, hi);
    t4 = adc(c, t5, 0);
}

// r = t mod m for t = (t0..t4) below 2m: m is subtracted unless that borrows.
BMI2_TARGET inline void subtract_once(std::uint64_t r[4], u64 t0, u64 t1, u64 t2, u64 t3, u64 t4, const u64 m[4]) {
    carry_bit b = 0;
    const u64 d0 = sbb(b, t0, m[0]);
    const u64 d1 = sbb(b, t1, m[1]);
    const u64 d2 = sbb(b, t2, m[2]);
    const u64 d3 = sbb(b, t3, m[3]);
    sbb(b, t4, 0);
    const u64 keep = ct::barrier(u64(0) - u64(b));  // all-ones iff t < m
    r[0] = d0 ^ (keep & (t0 ^ d0));
    r[1] = d1 ^ (keep & (t1 ^ d1));
    r[2] = d2 ^ (keep & (t2 ^ d2));
    r[3] = d3 ^ (keep & (t3 ^ d3));
}

BMI2_TARGET inline void reduce_product(std::uint64_t r[4], u64 t0, u64 t1, u64 t2, u64 t3, u64 t4, u64 t5, u64 t6,
                                       u64 t7) {
    u64 top = 0;
    reduce_word_p(t0, t1, t2, t3, top, 0);
    reduce_word_p(t0, t1, t2, t3, top, 0);
    reduce_word_p(t0, t1, t2, t3, top, 0);
    reduce_word_p(t0, t1, t2, t3, top, 0);
    carry_bit c = 0;
    t0 = adc(c, t0, t4);
    t1 = adc(c, t1, t5);
    t2 = adc(c, t2, t6);
    t3 = adc(c, t3, t7);
    top = adc(c, top, 0);
    subtract_once(r, t0, t1, t2, t3, top, p);
}

}  // namespace

// The 512-bit product by rows (operand scanning), then reduce_product.
BMI2_TARGET void field_mul(std::uint64_t r[4], const std::uint64_t a[4], const std::uint64_t b[4]) {
    const u64 a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
    const u64 b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
    u64 h0, h1, h2, h3;
    const u64 t0 = mulx(a0, b0, &h0);
    u64 t1 = mulx(a1, b0, &h1);
    u64 t2 = mulx(a2, b0, &h2);
    u64 t3 = mulx(a3, b0, &h3);
    carry_bit c = 0;
    t1 = adc(c, t1, h0);
    t2 = adc(c, t2, h1);
    t3 = adc(c, t3, h2);
    u64 t4 = adc(c, h3, 0);
    u64 t5, t6, t7;
    product_row(t1, t2, t3, t4, t5, a0, a1, a2, a3, b1);
    product_row(t2, t3, t4, t5, t6, a0, a1, a2, a3, b2);
    product_row(t3, t4, t5, t6, t7, a0, a1, a2, a3, b3);
    reduce_product(r, t0, t1, t2, t3, t4, t5, t6, t7);
}

namespace {

// (t0..t7) = a^2: the six products a_i·a_j (i < j) once, doubled, plus the four squares.
BMI2_TARGET inline void square_product(const std::uint64_t a[4], u64& t0, u64& t1, u64& t2, u64& t3, u64& t4,
                                       u64& t5, u64& t6, u64& t7) {
    const u64 a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
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

}  // namespace

BMI2_TARGET void field_sqr(std::uint64_t r[4], const std::uint64_t a[4]) {
    u64 t0, t1, t2, t3, t4, t5, t6, t7;
    square_product(a, t0, t1, t2, t3, t4, t5, t6, t7);
    reduce_product(r, t0, t1, t2, t3, t4, t5, t6, t7);
}

// CIOS mod n: a row a·b_i, then q = acc[0]·(-n^-1) mod 2^64 so that acc + q·n ends in a zero limb,
// which is shifted out. Between rows acc < 2n; within a row acc < 2n + 2n·2^64 < 2^322.
BMI2_TARGET void scalar_mont_mul(std::uint64_t r[4], const std::uint64_t a[4], const std::uint64_t b[4]) {
    const u64 a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
    const u64 b_limbs[4] = {b[0], b[1], b[2], b[3]};
    u64 t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0;
    for (int i = 0; i < 4; i++) {
        mul_add_row(t0, t1, t2, t3, t4, t5, a0, a1, a2, a3, b_limbs[i]);
        mul_add_row(t0, t1, t2, t3, t4, t5, n[0], n[1], n[2], n[3], u64(t0 * n0inv));
        t0 = t1, t1 = t2, t2 = t3, t3 = t4, t4 = t5, t5 = 0;  // t0 is now zero: shifted out
    }
    subtract_once(r, t0, t1, t2, t3, t4, n);
}

// The 512-bit square as for field_sqr, then Montgomery reduction mod n the same way: the low half
// L reduced by four words of CIOS reduction ((L + q·n) / 2^256 is at most n) plus the high half
// H < n, below 2n.
BMI2_TARGET void scalar_mont_sqr(std::uint64_t r[4], const std::uint64_t a[4]) {
    u64 t0, t1, t2, t3, t4, t5, t6, t7;
    square_product(a, t0, t1, t2, t3, t4, t5, t6, t7);
    u64 l4 = 0, l5 = 0;
    for (int i = 0; i < 4; i++) {
        mul_add_row(t0, t1, t2, t3, l4, l5, n[0], n[1], n[2], n[3], u64(t0 * n0inv));
        t0 = t1, t1 = t2, t2 = t3, t3 = l4, l4 = l5, l5 = 0;  // t0 is now zero: shifted out
    }
    carry_bit c = 0;
    t0 = adc(c, t0, t4);
    t1 = adc(c, t1, t5);
    t2 = adc(c, t2, t6);
    t3 = adc(c, t3, t7);
    l4 = adc(c, l4, 0);
    subtract_once(r, t0, t1, t2, t3, l4, n);
}

}  // namespace padlock::p256_x86
