// SPDX-License-Identifier: Apache-2.0
// P-256 Montgomery multiplication with MULX (BMI2): the field mod p = 2^256 - 2^224 + 2^192 + 2^96 - 1
// (SP 800-186 §3.2.1.3) in p256_field.hpp's representation, and the scalars mod n for the Fermat
// inversion. MULX gives the 128-bit product without touching the flags, so the products of a row
// and the add-with-carry chain that sums them interleave freely; _addcarry_u64 is the carry chain.
// Each function here is compiled for BMI2 (target attribute) and called only when the CPU has it
// (p256_curve.cpp's dispatch). Constant time: no branch or index depends on the values; the final
// conditional subtraction is a mask. Below them, the point arithmetic built on them (see there).
#include "crypto/ec/detail/p256_x86.hpp"

#include <immintrin.h>

#include "crypto/ct.hpp"
#include "crypto/detail/mulx.hpp"

#define BMI2_TARGET __attribute__((target("bmi2")))
// The helpers: always inlined, so that a product and its reduction stay in registers.
#define BMI2_INLINE PADLOCK_MULX_INLINE

namespace padlock::p256_x86 {
namespace {

using x86_mulx::adc;
using x86_mulx::carry_bit;
using x86_mulx::mulx;
using x86_mulx::sbb;
using x86_mulx::square_product;
using x86_mulx::u64;

constexpr u64 p[4] = {0xffffffffffffffffull, 0x00000000ffffffffull, 0, 0xffffffff00000001ull};
constexpr u64 n[4] = {0xf3b9cac2fc632551ull, 0xbce6faada7179e84ull, 0xffffffffffffffffull, 0xffffffff00000000ull};
constexpr u64 n0inv = 0xccd1c8aaee00bc4full;  // -n^-1 mod 2^64
static_assert(u64(n[0] * n0inv) == ~u64(0));
static_assert(n[2] == ~u64(0) && n[3] == ~u64(0) << 32);  // add_q_times_n

// (t0..t5) += (l0..l3) + (h0..h3)·2^64, the halves of a row of products; the callers' bounds keep
// the sum below 2^384. The low halves go in with one carry chain, the high halves (one limb up)
// with a second.
BMI2_INLINE void add_row(u64& t0, u64& t1, u64& t2, u64& t3, u64& t4, u64& t5, u64 l0, u64 l1, u64 l2, u64 l3,
                         u64 h0, u64 h1, u64 h2, u64 h3) {
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

// (t0..t5) += (a0..a3)·b.
BMI2_INLINE void mul_add_row(u64& t0, u64& t1, u64& t2, u64& t3, u64& t4, u64& t5, u64 a0, u64 a1,
                             u64 a2, u64 a3, u64 b) {
    u64 h0, h1, h2, h3;
    const u64 l0 = mulx(a0, b, &h0);
    const u64 l1 = mulx(a1, b, &h1);
    const u64 l2 = mulx(a2, b, &h2);
    const u64 l3 = mulx(a3, b, &h3);
    add_row(t0, t1, t2, t3, t4, t5, l0, l1, l2, l3, h0, h1, h2, h3);
}

// (t0..t5) += q·n. n's upper limbs are 2^64 - 1 and 2^64 - 2^32, so those two products are
// shifts and subtractions: q·(2^64 - 1) = (q - [q != 0])·2^64 + (0 - q) mod 2^64, and with
// q·2^32 = q_hi·2^64 + q_lo, q·(2^64 - 2^32) = (q - q_hi - [q_lo != 0])·2^64 + (0 - q_lo); the
// bracket is the borrow of the low subtraction.
BMI2_INLINE void add_q_times_n(u64& t0, u64& t1, u64& t2, u64& t3, u64& t4, u64& t5, u64 q) {
    u64 h0, h1;
    const u64 l0 = mulx(q, n[0], &h0);
    const u64 l1 = mulx(q, n[1], &h1);
    carry_bit b = 0;
    const u64 l2 = sbb(b, 0, q);
    const u64 h2 = sbb(b, q, 0);
    b = 0;
    const u64 l3 = sbb(b, 0, q << 32);
    const u64 h3 = sbb(b, q, q >> 32);
    add_row(t0, t1, t2, t3, t4, t5, l0, l1, l2, l3, h0, h1, h2, h3);
}

// (x0..x3) += (a0..a3)·b, and x4 = the limb above: a row of the 512-bit product.
BMI2_INLINE void product_row(u64& x0, u64& x1, u64& x2, u64& x3, u64& x4, u64 a0, u64 a1, u64 a2, u64 a3,
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
BMI2_INLINE void reduce_product(std::uint64_t r[4], u64 t0, u64 t1, u64 t2, u64 t3, u64 t4, u64 t5, u64 t6,
                                       u64 t7);

// One word of Montgomery reduction mod p: t = (t + q·p) / 2^64 with q = t0, into (t0..t4) from
// (t0..t5). As -p^-1 mod 2^64 = 1, q is the low limb itself, and t - q ends in a zero limb, leaving
// q·2^96 + q·p3·2^192 (p3 = 2^64 - 2^32 + 1, p's top limb) to add: after the shift, q·2^32 at
// limbs 0-1 and q·p3 at limbs 2-3. t below 2^321 on entry gives t below 2^258 after.
// q·p3 = q·2^64 - q·2^32 + q takes a subtraction with borrow instead of a multiplication: with
// q·2^32 = q_hi·2^64 + q_lo, it is (q - q_hi - borrow)·2^64 + (q - q_lo), never negative.
BMI2_INLINE void reduce_word_p(u64& t0, u64& t1, u64& t2, u64& t3, u64& t4, u64 t5) {
    const u64 q = t0;
    const u64 q_lo = q << 32, q_hi = q >> 32;
    carry_bit b = 0;
    const u64 lo = sbb(b, q, q_lo);
    const u64 hi = sbb(b, q, q_hi);
    carry_bit c = 0;
    t0 = adc(c, t1, q_lo);
    t1 = adc(c, t2, q_hi);
    t2 = adc(c, t3, lo);
    t3 = adc(c, t4, hi);
    t4 = adc(c, t5, 0);
}

// r = t mod m for t = (t0..t4) below 2m: m is subtracted unless that borrows.
BMI2_INLINE void subtract_once(std::uint64_t r[4], u64 t0, u64 t1, u64 t2, u64 t3, u64 t4, const u64 m[4]) {
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

// The same for m = p, with p added back under the mask instead of a select: p's limbs are
// all-ones, 2^32 - 1, 0 and p3, so the masked addend costs two ANDs.
BMI2_INLINE void subtract_p_once(std::uint64_t r[4], u64 t0, u64 t1, u64 t2, u64 t3, u64 t4) {
    carry_bit b = 0;
    const u64 d0 = sbb(b, t0, p[0]);
    const u64 d1 = sbb(b, t1, p[1]);
    const u64 d2 = sbb(b, t2, 0);
    const u64 d3 = sbb(b, t3, p[3]);
    sbb(b, t4, 0);
    const u64 back = ct::barrier(u64(0) - u64(b));  // all-ones iff t < p
    carry_bit c = 0;
    r[0] = adc(c, d0, back);
    r[1] = adc(c, d1, back & p[1]);
    r[2] = adc(c, d2, 0);
    r[3] = adc(c, d3, back & p[3]);
}

BMI2_INLINE void reduce_product(std::uint64_t r[4], u64 t0, u64 t1, u64 t2, u64 t3, u64 t4, u64 t5, u64 t6,
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
    subtract_p_once(r, t0, t1, t2, t3, top);
}

// The 512-bit product by rows (operand scanning), then reduce_product.
BMI2_INLINE void mul_p(std::uint64_t r[4], const std::uint64_t a[4], const std::uint64_t b[4]) {
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

BMI2_INLINE void sqr_p(std::uint64_t r[4], const std::uint64_t a[4]) {
    u64 t0, t1, t2, t3, t4, t5, t6, t7;
    square_product(a[0], a[1], a[2], a[3], t0, t1, t2, t3, t4, t5, t6, t7);
    reduce_product(r, t0, t1, t2, t3, t4, t5, t6, t7);
}

}  // namespace

BMI2_TARGET void field_mul(std::uint64_t r[4], const std::uint64_t a[4], const std::uint64_t b[4]) { mul_p(r, a, b); }
BMI2_TARGET void field_sqr(std::uint64_t r[4], const std::uint64_t a[4]) { sqr_p(r, a); }

namespace {

// CIOS mod n: a row a·b_i, then q = acc[0]·(-n^-1) mod 2^64 so that acc + q·n ends in a zero limb,
// which is shifted out. Between rows acc < 2n; within a row acc < 2n + 2n·2^64 < 2^322.
BMI2_INLINE void mul_n(std::uint64_t r[4], const std::uint64_t a[4], const std::uint64_t b[4]) {
    const u64 a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
    const u64 b_limbs[4] = {b[0], b[1], b[2], b[3]};
    u64 t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0;
    for (int i = 0; i < 4; i++) {
        mul_add_row(t0, t1, t2, t3, t4, t5, a0, a1, a2, a3, b_limbs[i]);
        add_q_times_n(t0, t1, t2, t3, t4, t5, u64(t0 * n0inv));
        t0 = t1, t1 = t2, t2 = t3, t3 = t4, t4 = t5, t5 = 0;  // t0 is now zero: shifted out
    }
    subtract_once(r, t0, t1, t2, t3, t4, n);
}

// The 512-bit square as for field_sqr, then Montgomery reduction mod n the same way: the low half
// L reduced by four words of CIOS reduction ((L + q·n) / 2^256 is at most n) plus the high half
// H < n, below 2n.
BMI2_INLINE void sqr_n(std::uint64_t r[4], const std::uint64_t a[4]) {
    u64 t0, t1, t2, t3, t4, t5, t6, t7;
    square_product(a[0], a[1], a[2], a[3], t0, t1, t2, t3, t4, t5, t6, t7);
    u64 l4 = 0, l5 = 0;
    for (int i = 0; i < 4; i++) {
        add_q_times_n(t0, t1, t2, t3, l4, l5, u64(t0 * n0inv));
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

// 2^512 mod n: mul_n by it converts into Montgomery form.
constexpr std::uint64_t n_rr[4] = {0x83244c95be79eea2ull, 0x4699799c49bd6fa6ull, 0x2845b2392b6bec59ull,
                                   0x66e12d94f3d95620ull};

BMI2_INLINE void sqr_times(std::uint64_t v[4], int times) {
    for (int i = 0; i < times; i++) sqr_n(v, v);
}

}  // namespace

BMI2_TARGET void scalar_mont_mul(std::uint64_t r[4], const std::uint64_t a[4], const std::uint64_t b[4]) {
    mul_n(r, a, b);
}
BMI2_TARGET void scalar_mont_sqr(std::uint64_t r[4], const std::uint64_t a[4]) { sqr_n(r, a); }

// a^(n-2) mod n. n - 2 = ffffffff 00000000 ffffffff ffffffff || bce6faad a7179e84 f3b9cac2 fc63254f:
// the top half (32 ones, 32 zeros, 64 ones) from x32 = a^(2^32 - 1) by an addition chain, the low
// half by fixed 4-bit windows over a^0..a^15; 254 squarings and 52 multiplications in all, the
// same sequence for every a (the exponent is public).
BMI2_TARGET void scalar_inv(std::uint64_t r[4], const std::uint64_t a[4]) {
    std::uint64_t table[16][4], t[4], x[4];
    mul_n(table[1], a, n_rr);  // a in Montgomery form
    for (int k = 2; k < 16; k++) mul_n(table[k], table[k - 1], table[1]);
    // x2, x4, x8, x16, x32 in x (x_k = a^(2^k - 1)); x2 = a^3 = table[3].
    for (int i = 0; i < 4; i++) x[i] = table[3][i];
    for (int k = 2; k < 32; k *= 2) {
        for (int i = 0; i < 4; i++) t[i] = x[i];
        sqr_times(t, k);
        mul_n(x, t, x);
    }
    for (int i = 0; i < 4; i++) t[i] = x[i];
    sqr_times(t, 64);  // 32 ones, 32 zeros
    mul_n(t, t, x);
    sqr_times(t, 32);
    mul_n(t, t, x);  // and 64 ones
    constexpr std::uint64_t low[2] = {0xf3b9cac2fc63254full, 0xbce6faada7179e84ull};
    for (int w = 31; w >= 0; w--) {
        sqr_times(t, 4);
        mul_n(t, t, table[(low[w / 16] >> (w % 16 * 4)) & 15]);  // index from the public exponent
    }
    constexpr std::uint64_t plain_one[4] = {1, 0, 0, 0};
    mul_n(r, t, plain_one);  // out of Montgomery form
    secure_zero(table);  // powers of a secret (a nonce)
    secure_zero(t);
    secure_zero(x);
}

// ---------------------------------------------------------------------------------------------
// The point arithmetic of ec_curve.hpp again, compiled for BMI2 so that the MULX products above
// inline into the formulas (the generic templates call them out of line, through memory). The
// formulas, the exceptional cases and how each is handled are those of ec_curve.hpp, which says
// why they hold: point_mul, the fixed-base comb of p256_curve.cpp and point_mul2 follow it step
// by step. Field elements are fully reduced, in Montgomery form.

namespace {

#define FE_INLINE BMI2_INLINE
#define POINT_FN __attribute__((target("bmi2"), noinline))

struct Fe {
    std::uint64_t v[4];
};
constexpr Fe fe_one = {{one_mont[0], one_mont[1], one_mont[2], one_mont[3]}};

FE_INLINE Fe fmul(const Fe& a, const Fe& b) {
    Fe r;
    mul_p(r.v, a.v, b.v);
    return r;
}
FE_INLINE Fe fsqr(const Fe& a) {
    Fe r;
    sqr_p(r.v, a.v);
    return r;
}
// a + b mod p: the sum is below 2p.
FE_INLINE Fe fadd(const Fe& a, const Fe& b) {
    carry_bit c = 0;
    const u64 t0 = adc(c, a.v[0], b.v[0]);
    const u64 t1 = adc(c, a.v[1], b.v[1]);
    const u64 t2 = adc(c, a.v[2], b.v[2]);
    const u64 t3 = adc(c, a.v[3], b.v[3]);
    Fe r;
    subtract_p_once(r.v, t0, t1, t2, t3, c);
    return r;
}
// a - b mod p: p (its limbs masked) is added back when the subtraction borrows.
FE_INLINE Fe fsub(const Fe& a, const Fe& b) {
    carry_bit borrow = 0;
    const u64 t0 = sbb(borrow, a.v[0], b.v[0]);
    const u64 t1 = sbb(borrow, a.v[1], b.v[1]);
    const u64 t2 = sbb(borrow, a.v[2], b.v[2]);
    const u64 t3 = sbb(borrow, a.v[3], b.v[3]);
    const u64 mask = ct::barrier(u64(0) - u64(borrow));
    carry_bit c = 0;
    Fe r;
    r.v[0] = adc(c, t0, mask);  // p's low limb is all-ones
    r.v[1] = adc(c, t1, mask & p[1]);
    r.v[2] = adc(c, t2, 0);
    r.v[3] = adc(c, t3, mask & p[3]);
    return r;
}
FE_INLINE Fe fneg(const Fe& a) { return fsub(Fe{}, a); }
// r = mask ? a : r.
FE_INLINE void fcmov(Fe& r, const Fe& a, u64 mask) {
    mask = ct::barrier(mask);
    for (int i = 0; i < 4; i++) r.v[i] = ct::barrier(r.v[i] ^ (mask & (a.v[i] ^ r.v[i])));
}
FE_INLINE u64 fzero_mask(const Fe& a) { return ct::mask_zero(u64(a.v[0] | a.v[1] | a.v[2] | a.v[3])); }
FE_INLINE Fe fsqr_n(Fe a, int n) {
    for (int i = 0; i < n; i++) a = fsqr(a);
    return a;
}

// a^(p-2) by the addition chain of p256_field.hpp's inv_with (255 squarings, 13 multiplications).
BMI2_TARGET Fe finv(const Fe& a) {
    const Fe x2 = fmul(fsqr(a), a);
    const Fe x4 = fmul(fsqr_n(x2, 2), x2);
    const Fe x8 = fmul(fsqr_n(x4, 4), x4);
    const Fe x16 = fmul(fsqr_n(x8, 8), x8);
    Fe t = fmul(fsqr_n(x16, 8), x8);  // x24
    t = fmul(fsqr_n(t, 4), x4);       // x28
    const Fe x30 = fmul(fsqr_n(t, 2), x2);
    const Fe x32 = fmul(fsqr_n(x30, 2), x2);
    t = fmul(fsqr_n(x32, 32), a);
    t = fmul(fsqr_n(t, 128), x32);
    t = fmul(fsqr_n(t, 32), x32);
    t = fmul(fsqr_n(t, 30), x30);
    return fmul(fsqr_n(t, 2), a);  // the powers of a (a point's Z) stay in this frame, overwritten later
}

// Projective (X:Y:Z), infinity (0:1:0), as ec::Point; Jacobian (X/Z^2, Y/Z^3), infinity Z = 0.
struct Proj {
    Fe x, y, z;
};
struct Jac {
    Fe x, y, z;
};
struct Aff {
    Fe x, y;
};

FE_INLINE Proj load_point(const std::uint64_t in[12]) {
    Proj r;
    for (int i = 0; i < 4; i++) r.x.v[i] = in[i], r.y.v[i] = in[4 + i], r.z.v[i] = in[8 + i];
    return r;
}
FE_INLINE void store_point(std::uint64_t out[12], const Proj& a) {
    for (int i = 0; i < 4; i++) out[i] = a.x.v[i], out[4 + i] = a.y.v[i], out[8 + i] = a.z.v[i];
}
FE_INLINE Jac to_jac(const Proj& a) { return Jac{fmul(a.x, a.z), fmul(a.y, fsqr(a.z)), a.z}; }
FE_INLINE Proj from_jac(const Jac& a) { return Proj{fmul(a.x, a.z), a.y, fmul(fsqr(a.z), a.z)}; }
FE_INLINE void jcmov(Jac& r, const Jac& a, u64 mask) {
    fcmov(r.x, a.x, mask);
    fcmov(r.y, a.y, mask);
    fcmov(r.z, a.z, mask);
}

// dbl-2001-b (ec::jacobian_double), with Z3 = 2YZ as one multiplication (here about as fast as the
// squaring and saves two subtractions). r may alias a.
POINT_FN void jdouble(Jac& r, const Jac& a) {
    const Fe delta = fsqr(a.z);
    const Fe gamma = fsqr(a.y);
    Fe z3 = fmul(a.y, a.z);  // 2YZ
    z3 = fadd(z3, z3);
    Fe alpha = fmul(fsub(a.x, delta), fadd(a.x, delta));
    alpha = fadd(fadd(alpha, alpha), alpha);
    Fe beta4 = fmul(a.x, gamma);
    beta4 = fadd(beta4, beta4);
    beta4 = fadd(beta4, beta4);
    const Fe x3 = fsub(fsqr(alpha), fadd(beta4, beta4));
    Fe g2 = fsqr(gamma);
    g2 = fadd(g2, g2);
    g2 = fadd(g2, g2);
    r.y = fsub(fmul(alpha, fsub(beta4, x3)), fadd(g2, g2));
    r.x = x3;
    r.z = z3;
}

// add-1998-cmo-2 (ec::jacobian_add): right unless an input is infinity or a = b (both finite),
// where `same` comes back all-ones. r may alias a or b.
POINT_FN void jadd(Jac& r, const Jac& a, const Jac& b, u64& same) {
    const Fe z1z1 = fsqr(a.z), z2z2 = fsqr(b.z);
    const Fe u1 = fmul(a.x, z2z2);
    const Fe h = fsub(fmul(b.x, z1z1), u1);
    const Fe s1 = fmul(fmul(a.y, b.z), z2z2);
    const Fe rr = fsub(fmul(fmul(b.y, a.z), z1z1), s1);
    same = fzero_mask(h) & fzero_mask(rr);
    const Fe z3 = fmul(fmul(a.z, b.z), h);
    const Fe hh = fsqr(h);
    const Fe hhh = fmul(h, hh);
    const Fe v = fmul(u1, hh);
    const Fe x3 = fsub(fsub(fsqr(rr), hhh), fadd(v, v));
    r.y = fsub(fmul(rr, fsub(v, x3)), fmul(s1, hhh));
    r.x = x3;
    r.z = z3;
}

// |d| and an all-ones mask if d < 0 (ec::digit_abs).
FE_INLINE void digit_abs(std::int8_t d, u64& abs, u64& negative) {
    const u64 u = u64(std::int64_t(d));
    const u64 sign = ct::barrier(u64(0) - (u >> 63));
    abs = (u ^ sign) - sign;
    negative = sign;
}

// d·P from table[j] = (j+1)·P by scanning every entry; infinity for d = 0 (ec::lookup_jacobian).
BMI2_INLINE Jac lookup_jac(const Jac table[8], std::int8_t d) {
    u64 abs, negative;
    digit_abs(d, abs, negative);
    Jac r{fe_one, fe_one, Fe{}};
    for (unsigned j = 0; j < 8; j++) jcmov(r, table[j], ct::mask_eq(abs, u64(j + 1)));
    fcmov(r.y, fneg(r.y), negative);
    return r;
}

}  // namespace

BMI2_TARGET void field_inv(std::uint64_t r[4], const std::uint64_t a[4]) {
    Fe x;
    for (int i = 0; i < 4; i++) x.v[i] = a[i];
    const Fe y = finv(x);
    for (int i = 0; i < 4; i++) r[i] = y.v[i];
}

// ec::point_mul: fixed signed 4-bit windows over Jacobian multiples, constant time.
BMI2_TARGET void point_mul(std::uint64_t r[12], const std::uint64_t in[12], const std::int8_t digits[65]) {
    Jac table[8];
    u64 same;  // never set while building the table
    table[0] = to_jac(load_point(in));
    jdouble(table[1], table[0]);
    for (int j = 2; j < 8; j++) jadd(table[j], table[j - 1], table[0], same);
    Jac acc = lookup_jac(table, digits[64]);
    Jac entry, sum, doubled;
    for (int i = 63; i >= 0; i--) {
        for (int s = 0; s < 4; s++) jdouble(acc, acc);
        entry = lookup_jac(table, digits[i]);
        jadd(sum, acc, entry, same);
        if (i == 0) {  // public: the loop position
            jdouble(doubled, entry);
            jcmov(sum, doubled, same);
        }
        jcmov(sum, entry, fzero_mask(acc.z));
        jcmov(sum, acc, fzero_mask(entry.z));
        acc = sum;
    }
    store_point(r, from_jac(acc));
    secure_zero(acc);
    secure_zero(entry);
    secure_zero(sum);
    secure_zero(doubled);
    secure_zero(same);
    secure_zero(table);
}

namespace {
// madd-2007-bl of the Explicit-Formulas Database (Bernstein–Lange): r = a + b for Jacobian a and
// affine b, 7M + 4S. Wrong when a is infinity (the caller selects around it) and when a = b (the
// caller proves it cannot happen); a = -b gives Z = 0, infinity, as it should. r may alias a.
POINT_FN void jadd_affine(Jac& r, const Jac& a, const Aff& b) {
    const Fe z1z1 = fsqr(a.z);
    const Fe u2 = fmul(b.x, z1z1);
    const Fe s2 = fmul(fmul(b.y, a.z), z1z1);
    const Fe h = fsub(u2, a.x);
    const Fe hh = fsqr(h);
    Fe i = fadd(hh, hh);
    i = fadd(i, i);  // 4 H^2
    const Fe j = fmul(h, i);
    Fe rr = fsub(s2, a.y);
    rr = fadd(rr, rr);
    const Fe v = fmul(a.x, i);
    const Fe x3 = fsub(fsub(fsqr(rr), j), fadd(v, v));
    Fe yj = fmul(a.y, j);
    yj = fadd(yj, yj);
    const Fe z3 = fsub(fsub(fsqr(fadd(a.z, h)), z1z1), hh);  // 2 Z1 H
    r.y = fsub(fmul(rr, fsub(v, x3)), yj);
    r.x = x3;
    r.z = z3;
}

// |d|·B with d's sign from table[j] = (j+1)·B, j = 0..15 (B for d = 0); returns all-ones if d = 0.
BMI2_INLINE u64 lookup_aff16(Aff& r, const std::uint64_t* table, std::int8_t d) {
    u64 abs, negative;
    digit_abs(d, abs, negative);
    for (int i = 0; i < 4; i++) r.x.v[i] = table[i], r.y.v[i] = table[4 + i];
    for (unsigned j = 1; j < 16; j++) {
        const u64 m = ct::mask_eq(abs, u64(j + 1));
        Fe x, y;
        for (int i = 0; i < 4; i++) x.v[i] = table[8 * j + i], y.v[i] = table[8 * j + 4 + i];
        fcmov(r.x, x, m);
        fcmov(r.y, y, m);
    }
    fcmov(r.y, fneg(r.y), negative);
    return ct::mask_zero(abs);
}
}  // namespace

// k·G = sum_i d_i·32^i·G over the table of j·32^i·G (j = 1..16), lowest window first, one mixed
// Jacobian addition per window and no doubling, for an odd k < n (the caller makes it odd), so
// that d_0 is odd and the accumulator starts as d_0·G. Before window i >= 1 it is m·G with
// m = sum_{j<i} d_j 32^j, |m| <= 16·(32^i - 1)/31 < 32^i, and the entry is e = d_i·32^i with
// |e| >= 32^i when d_i != 0. So m != ±e as integers, and m = ±e (mod n) would need
// |m| + |e| >= n: for i <= 50, |m| + |e| < 17·2^250 < n; for the top window (bit 255 and the
// carry, d_51 in [0, 2]), m + e = k is not 0 mod n, |m| + |e| < 1.6·2^255 < n for d_51 = 1,
// and d_51 = 2 means k = m + 2^256 > 2^255, while m = 2^256 (mod n) would make k = 2^257
// (mod n), i.e. k = 2^257 - 2n < 2^226. Hence jadd_affine never meets its exceptional cases
// (equal inputs, an accumulator at infinity) and the accumulator never becomes infinity; a zero
// digit keeps it, with a mask. The blinding: `start` is (0 : λ : 0), and d_0·G enters as
// (x λ^2 : y λ^3 : λ), so every intermediate Z carries λ.
BMI2_TARGET void point_mul_base_wide(std::uint64_t r[12], const std::int8_t digits[52], const std::uint64_t start_in[12],
                                     const std::uint64_t* table) {
    const Fe lambda = load_point(start_in).y;
    Aff q;
    lookup_aff16(q, table, digits[0]);
    const Fe l2 = fsqr(lambda);
    Jac acc{fmul(q.x, l2), fmul(q.y, fmul(l2, lambda)), lambda}, sum;
    for (int i = 1; i < 52; i++) {
        const u64 zero_digit = lookup_aff16(q, table + 128 * i, digits[i]);
        jadd_affine(sum, acc, q);
        jcmov(acc, sum, ~zero_digit);
    }
    store_point(r, from_jac(acc));
    secure_zero(acc);
    secure_zero(sum);
    secure_zero(q);
}

namespace {
// acc + d·P for an odd digit d from the odd multiples table[j] = (2j + 1)·P (ec::add_digit).
// Variable time: public inputs only.
BMI2_TARGET void add_digit(Jac& acc, const Jac table[8], int d) {
    const Jac& entry = table[(d < 0 ? -d : d) >> 1];
    if (d < 0) acc.y = fneg(acc.y);
    if (fzero_mask(acc.z) != 0) {
        acc = entry;
    } else {
        u64 same;
        jadd(acc, acc, entry, same);
        if (same != 0) jdouble(acc, entry);
    }
    if (d < 0) acc.y = fneg(acc.y);
}

BMI2_TARGET void odd_multiples(Jac table[8], const Jac& a) {
    Jac twice;
    u64 same;
    table[0] = a;
    jdouble(twice, a);
    for (int j = 1; j < 8; j++) jadd(table[j], table[j - 1], twice, same);
}
}  // namespace

// u1·G + u2·Q, variable time (public inputs): u1·G from the wide table as in point_mul_base_wide
// (which shows that for u1 < n the only exceptional case is an accumulator at infinity), skipping
// zero digits and indexing the table directly; u2·Q by a width-5 NAF over the odd multiples of Q
// (ec::point_mul2 without the G half); then the two sums added with the cases of ec::add_digit.
BMI2_TARGET void point_mul2(std::uint64_t r[12], const std::int8_t g_digits[52], const std::uint16_t* q_digits,
                            int q_count, const std::uint64_t q[12], const std::uint64_t* table) {
    Jac acc_g{fe_one, fe_one, Fe{}};
    for (int i = 0; i < 52; i++) {
        const int d = g_digits[i];
        if (d == 0) continue;
        const std::uint64_t* entry = table + 128 * i + 8 * ((d < 0 ? -d : d) - 1);
        Aff e;
        for (int l = 0; l < 4; l++) e.x.v[l] = entry[l], e.y.v[l] = entry[4 + l];
        if (d < 0) e.y = fneg(e.y);
        if (fzero_mask(acc_g.z) != 0)
            acc_g = Jac{e.x, e.y, fe_one};
        else
            jadd_affine(acc_g, acc_g, e);
    }
    Jac q_table[8];
    odd_multiples(q_table, to_jac(load_point(q)));
    Jac acc{fe_one, fe_one, Fe{}};
    for (int next = q_count - 1, i = next >= 0 ? q_digits[next] >> 5 : -1; i >= 0; i--) {
        jdouble(acc, acc);
        if (next >= 0 && (q_digits[next] >> 5) == i) add_digit(acc, q_table, int(q_digits[next--] & 31) - 16);
    }
    if (fzero_mask(acc.z) != 0) {
        acc = acc_g;
    } else if (fzero_mask(acc_g.z) == 0) {
        u64 same;
        Jac sum;
        jadd(sum, acc, acc_g, same);
        if (same != 0) jdouble(sum, acc);
        acc = sum;
    }
    store_point(r, from_jac(acc));
}

}  // namespace padlock::p256_x86
