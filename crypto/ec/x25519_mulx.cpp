// SPDX-License-Identifier: Apache-2.0
// X25519 (RFC 7748 §5) with 64-bit MULX arithmetic: the field mod p = 2^255 - 19 in radix 2^64,
// the Montgomery ladder, the inversion z^(p-2) and the final encoding, all in this one file so the
// field operations inline into the ladder under one target attribute. For CPUs with BMI2 but no
// AVX-512 IFMA (x25519_ifma.cpp has the four-way ladder for those).
//
// A field element is four 64-bit limbs holding a value in [0, 2^256), not reduced mod p. Since
// 2^256 = 2·2^255 = 2·19 = 38 (mod p), a 512-bit product H·2^256 + L reduces to L + 38·H, and a
// carry out of bit 256 in an addition folds back as +38 (a borrow as -38). Only the encoding at the
// end reduces fully, into [0, p).
//
// MULX (the 128-bit product as unsigned __int128, which compiles to MULX under this target) leaves
// the flags alone, so a row's products and the add-with-carry chains (_addcarry_u64) that sum them
// interleave. Each chain is written to run on its own, its carry going straight into the next
// _addcarry_u64: GCC has one carry flag, and two chains woven together (the ADCX / ADOX pattern)
// make it save and restore the flag between every step, since neither GCC 12 nor Clang 14 emits
// ADOX from intrinsics. So the code is MULX and ADC, and needs BMI2 only.
//
// Constant time: no branch or memory index depends on the scalar or on u; the ladder's swap and
// the carry folds are masks or multiplications by a carry bit.
#include "crypto/ec/detail/x25519_x86.hpp"

#include <immintrin.h>

#include "crypto/ct.hpp"
#include "crypto/endian.hpp"

#define MULX_TARGET __attribute__((target("bmi2")))

#if defined(__GNUC__) && !defined(__clang__)
// GCC's SLP vectorizer packs pairs of result limbs into SSE registers to store them, which costs
// more instructions than it saves and defeats store-to-load forwarding when the limbs are loaded
// one by one again: off for this file. And the pre-allocation scheduler, off by default on x86,
// with its register-pressure model: it orders each operation's MULX and carry chains so fewer
// limbs spill (about 10% faster here, measured on Zen 3 with GCC 12).
#pragma GCC optimize("no-tree-slp-vectorize", "schedule-insns", "sched-pressure")
#endif
// After the pragma, so that the helpers are compiled with it too.
#include "crypto/detail/mulx.hpp"

namespace padlock::x25519_x86 {
namespace {

using x86_mulx::adc;
using x86_mulx::carry_bit;
using x86_mulx::mulx;
using x86_mulx::sbb;
using x86_mulx::u64;

// v[0] + v[1]·2^64 + v[2]·2^128 + v[3]·2^192, any value below 2^256 (mod p).
struct Fe {
    u64 v[4];
};

// 38 times a carry bit, as a mask (2^256 = 38 mod p).
inline u64 times38(carry_bit c) { return (u64(0) - u64(c)) & 38; }

// t0..t7 = H·2^256 + L  ->  a value below 2^256 congruent to it. First L + 38·H: t0..t3 plus a top
// limb below 40. Then, with 2^255 = 19, everything from bit 255 up (2·top + bit 255) comes back
// times 19 into the low 255 bits: a sum below 2^255 + 19·81, which cannot carry out of limb 3.
MULX_TARGET inline Fe reduce(u64 t0, u64 t1, u64 t2, u64 t3, u64 t4, u64 t5, u64 t6, u64 t7) {
    u64 h0, h1, h2, h3;
    const u64 l0 = mulx(38, t4, &h0);
    const u64 l1 = mulx(38, t5, &h1);
    const u64 l2 = mulx(38, t6, &h2);
    const u64 l3 = mulx(38, t7, &h3);
    carry_bit c = 0;
    u64 r0 = adc(c, t0, l0);
    u64 r1 = adc(c, t1, l1);
    u64 r2 = adc(c, t2, l2);
    u64 r3 = adc(c, t3, l3);
    u64 top = adc(c, h3, 0);
    c = 0;
    r1 = adc(c, r1, h0);
    r2 = adc(c, r2, h1);
    r3 = adc(c, r3, h2);
    top = adc(c, top, 0);                  // below 40
    const u64 fold = 19 * ((top << 1) | (r3 >> 63));  // bit 255 and up, times 19
    r3 &= ~u64(0) >> 1;
    c = 0;
    r0 = adc(c, r0, fold);
    r1 = adc(c, r1, 0);
    r2 = adc(c, r2, 0);
    r3 = adc(c, r3, 0);
    return {{r0, r1, r2, r3}};
}

// One row i >= 1 of the schoolbook product: (t_i .. t_i+4) += a·(b0..b3), t_i+4 fresh. The low
// halves go in with one carry chain, then the high halves (one limb up) with a second. The partial
// sum stays below 2^(64(i+5)), so neither chain carries out of t_i+4.
MULX_TARGET inline void mul_row(u64& t0, u64& t1, u64& t2, u64& t3, u64& t4, u64 a, const Fe& b) {
    u64 h0, h1, h2, h3;
    const u64 l0 = mulx(a, b.v[0], &h0);
    const u64 l1 = mulx(a, b.v[1], &h1);
    const u64 l2 = mulx(a, b.v[2], &h2);
    const u64 l3 = mulx(a, b.v[3], &h3);
    carry_bit c = 0;
    t0 = adc(c, t0, l0);
    t1 = adc(c, t1, l1);
    t2 = adc(c, t2, l2);
    t3 = adc(c, t3, l3);
    t4 = adc(c, h3, 0);
    c = 0;
    t1 = adc(c, t1, h0);
    t2 = adc(c, t2, h1);
    t3 = adc(c, t3, h2);
    t4 = adc(c, t4, 0);
}

// f·g (mod p), schoolbook by rows.
MULX_TARGET inline Fe mul(const Fe& f, const Fe& g) {
    u64 h0, h1, h2, h3;
    const u64 t0 = mulx(f.v[0], g.v[0], &h0);
    const u64 l1 = mulx(f.v[0], g.v[1], &h1);
    const u64 l2 = mulx(f.v[0], g.v[2], &h2);
    const u64 l3 = mulx(f.v[0], g.v[3], &h3);
    carry_bit c = 0;
    u64 t1 = adc(c, h0, l1);
    u64 t2 = adc(c, h1, l2);
    u64 t3 = adc(c, h2, l3);
    u64 t4 = adc(c, h3, 0);  // row 0 is below 2^320
    u64 t5, t6, t7;
    mul_row(t1, t2, t3, t4, t5, f.v[1], g);
    mul_row(t2, t3, t4, t5, t6, f.v[2], g);
    mul_row(t3, t4, t5, t6, t7, f.v[3], g);
    return reduce(t0, t1, t2, t3, t4, t5, t6, t7);
}

// f^2 (mod p).
MULX_TARGET inline Fe sq(const Fe& f) {
    u64 t0, t1, t2, t3, t4, t5, t6, t7;
    x86_mulx::square_product(f.v[0], f.v[1], f.v[2], f.v[3], t0, t1, t2, t3, t4, t5, t6, t7);
    return reduce(t0, t1, t2, t3, t4, t5, t6, t7);
}

// f + g (mod p): a carry out of bit 256 adds 38; a carry out of that leaves limbs 1-3 zero and
// limb 0 small, so the second +38 cannot carry.
MULX_TARGET inline Fe add(const Fe& f, const Fe& g) {
    carry_bit c = 0;
    u64 r0 = adc(c, f.v[0], g.v[0]);
    u64 r1 = adc(c, f.v[1], g.v[1]);
    u64 r2 = adc(c, f.v[2], g.v[2]);
    u64 r3 = adc(c, f.v[3], g.v[3]);
    const u64 fold = times38(c);
    c = 0;
    r0 = adc(c, r0, fold);
    r1 = adc(c, r1, 0);
    r2 = adc(c, r2, 0);
    r3 = adc(c, r3, 0);
    r0 = r0 + times38(c);
    return {{r0, r1, r2, r3}};
}

// f - g (mod p): a borrow out of bit 256 (the result is f - g + 2^256) subtracts 38; a borrow out
// of that leaves limbs 1-3 all ones and limb 0 at least 2^64 - 38, so the second -38 cannot borrow.
MULX_TARGET inline Fe sub(const Fe& f, const Fe& g) {
    carry_bit b = 0;
    u64 r0 = sbb(b, f.v[0], g.v[0]);
    u64 r1 = sbb(b, f.v[1], g.v[1]);
    u64 r2 = sbb(b, f.v[2], g.v[2]);
    u64 r3 = sbb(b, f.v[3], g.v[3]);
    const u64 fold = times38(b);
    b = 0;
    r0 = sbb(b, r0, fold);
    r1 = sbb(b, r1, 0);
    r2 = sbb(b, r2, 0);
    r3 = sbb(b, r3, 0);
    r0 = r0 - times38(b);
    return {{r0, r1, r2, r3}};
}

// 121665·f + g (mod p), the a24 term of the ladder's z2 with its sum (RFC 7748 §5: a24 =
// (486662 - 2) / 4). The five-limb product plus g has a top limb below 2^18, folded back with bit
// 255 times 19 as in reduce.
MULX_TARGET inline Fe mul_a24_add(const Fe& f, const Fe& g) {
    constexpr u64 a24 = 121665;
    u64 h0, h1, h2, h3;
    const u64 l0 = mulx(a24, f.v[0], &h0);
    const u64 l1 = mulx(a24, f.v[1], &h1);
    const u64 l2 = mulx(a24, f.v[2], &h2);
    const u64 l3 = mulx(a24, f.v[3], &h3);
    carry_bit c = 0;
    u64 r0 = adc(c, l0, g.v[0]);
    u64 r1 = adc(c, l1, g.v[1]);
    u64 r2 = adc(c, l2, g.v[2]);
    u64 r3 = adc(c, l3, g.v[3]);
    u64 top = adc(c, h3, 0);
    c = 0;
    r1 = adc(c, r1, h0);
    r2 = adc(c, r2, h1);
    r3 = adc(c, r3, h2);
    top = adc(c, top, 0);
    const u64 fold = 19 * ((top << 1) | (r3 >> 63));
    r3 &= ~u64(0) >> 1;
    c = 0;
    r0 = adc(c, r0, fold);
    r1 = adc(c, r1, 0);
    r2 = adc(c, r2, 0);
    r3 = adc(c, r3, 0);
    return {{r0, r1, r2, r3}};
}

// RFC 7748 §5 cswap: exchanges f and g when the mask is all ones, leaves them when it is zero.
inline void cswap(Fe& f, Fe& g, u64 mask) {
    for (int i = 0; i < 4; i++) {
        const u64 t = mask & (f.v[i] ^ g.v[i]);
        f.v[i] ^= t;
        g.v[i] ^= t;
    }
}

// f^(2^n): n squarings.
MULX_TARGET inline Fe sq_n(Fe f, int n) {
    for (int i = 0; i < n; i++) f = sq(f);
    return f;
}

// z^-1 = z^(p-2) = z^(2^255 - 21), the addition chain of x25519.cpp (254 squarings, 11
// multiplications; the exponent is public).
MULX_TARGET Fe invert(const Fe& z) {
    Fe z2 = sq(z);                                  // z^2
    Fe z9 = mul(sq_n(z2, 2), z);                    // z^9
    Fe z11 = mul(z9, z2);                           // z^11
    Fe z_5_0 = mul(sq(z11), z9);                    // z^(2^5 - 1)
    Fe z_10_0 = mul(sq_n(z_5_0, 5), z_5_0);         // z^(2^10 - 1)
    Fe z_20_0 = mul(sq_n(z_10_0, 10), z_10_0);      // z^(2^20 - 1)
    Fe z_40_0 = mul(sq_n(z_20_0, 20), z_20_0);      // z^(2^40 - 1)
    Fe z_50_0 = mul(sq_n(z_40_0, 10), z_10_0);      // z^(2^50 - 1)
    Fe z_100_0 = mul(sq_n(z_50_0, 50), z_50_0);     // z^(2^100 - 1)
    Fe z_200_0 = mul(sq_n(z_100_0, 100), z_100_0);  // z^(2^200 - 1)
    Fe z_250_0 = mul(sq_n(z_200_0, 50), z_50_0);    // z^(2^250 - 1)
    const Fe inverse = mul(sq_n(z_250_0, 5), z11);  // z^(2^255 - 32 + 11)
    // Powers of the ladder's z, which depends on the scalar: wipe them.
    secure_zero(z2); secure_zero(z9); secure_zero(z11); secure_zero(z_5_0); secure_zero(z_10_0);
    secure_zero(z_20_0); secure_zero(z_40_0); secure_zero(z_50_0); secure_zero(z_100_0);
    secure_zero(z_200_0); secure_zero(z_250_0);
    return inverse;
}

// RFC 7748 §5 encodeUCoordinate: the representative in [0, p), little-endian. Bit 255 folds back
// as 19 (f < 2^255 + 19 < 2p after), then f >= p exactly when f + 19 reaches 2^255, and f - p is
// f + 19 - 2^255: kept by mask.
MULX_TARGET void to_bytes(std::uint8_t out[32], const Fe& f) {
    constexpr u64 low63 = ~u64(0) >> 1;
    carry_bit c = 0;
    const u64 v0 = adc(c, f.v[0], (f.v[3] >> 63) * 19);
    const u64 v1 = adc(c, f.v[1], 0);
    const u64 v2 = adc(c, f.v[2], 0);
    const u64 v3 = adc(c, f.v[3] & low63, 0);
    c = 0;
    const u64 w0 = adc(c, v0, 19);
    const u64 w1 = adc(c, v1, 0);
    const u64 w2 = adc(c, v2, 0);
    const u64 w3 = adc(c, v3, 0);
    const u64 keep_w = ct::barrier(u64(0) - (w3 >> 63));
    store_le64(out, (w0 & keep_w) | (v0 & ~keep_w));
    store_le64(out + 8, (w1 & keep_w) | (v1 & ~keep_w));
    store_le64(out + 16, (w2 & keep_w) | (v2 & ~keep_w));
    store_le64(out + 24, ((w3 & low63) & keep_w) | (v3 & ~keep_w));
}

}  // namespace

// RFC 7748 §5: decodeUCoordinate (bit 255 masked; values >= p act as their reduction, as the
// arithmetic is mod p), the ladder for the clamped k (255 identical steps, the scalar bits only
// reaching cswap), then x2 / z2 = x2·z2^(p-2). For the point at infinity z2 = 0 and 0^(p-2) = 0
// gives the all-zero output §6.1 expects.
MULX_TARGET void scalarmult_mulx(std::uint8_t out[32], const std::uint8_t k[32], const std::uint8_t u[32]) {
    const Fe x1{{load_le64(u), load_le64(u + 8), load_le64(u + 16), load_le64(u + 24) & (~u64(0) >> 1)}};
    Fe x2{{1, 0, 0, 0}}, z2{{0, 0, 0, 0}}, x3 = x1, z3{{1, 0, 0, 0}};
    Fe a, b, c, d, aa, bb, e, da, cb, sum, diff, t;  // declared here so they can be wiped after the loop
    u64 swap = 0;
    for (int i = 254; i >= 0; i--) {
        const u64 k_i = (k[i >> 3] >> (i & 7)) & 1;
        swap ^= k_i;
        const u64 mask = ct::barrier(u64(0) - swap);
        cswap(x2, x3, mask);
        cswap(z2, z3, mask);
        swap = k_i;

        // §5's formulas, ordered so that independent operations sit next to each other: each is
        // a long dependency chain, and the CPU overlaps only what its reorder window holds.
        d = sub(x3, z3);         // D = x3 - z3
        b = sub(x2, z2);         // B = x2 - z2
        a = add(x2, z2);         // A = x2 + z2
        c = add(x3, z3);         // C = x3 + z3
        da = mul(d, a);          // DA = D * A
        cb = mul(c, b);          // CB = C * B
        bb = sq(b);              // BB = B^2
        aa = sq(a);              // AA = A^2
        sum = add(da, cb);       // DA + CB
        diff = sub(da, cb);      // DA - CB
        x2 = mul(aa, bb);        // x2 = AA * BB
        e = sub(aa, bb);         // E = AA - BB
        diff = sq(diff);         // (DA - CB)^2
        t = mul_a24_add(e, aa);  // AA + a24 * E
        x3 = sq(sum);            // x3 = (DA + CB)^2
        z3 = mul(x1, diff);      // z3 = x1 * (DA - CB)^2
        z2 = mul(e, t);          // z2 = E * (AA + a24 * E)
    }
    const u64 mask = ct::barrier(u64(0) - swap);
    cswap(x2, x3, mask);
    cswap(z2, z3, mask);
    Fe zinv = invert(z2);
    Fe result = mul(x2, zinv);
    to_bytes(out, result);
    secure_zero(x2); secure_zero(z2); secure_zero(x3); secure_zero(z3); secure_zero(zinv);
    secure_zero(result); secure_zero(a); secure_zero(b); secure_zero(c); secure_zero(d);
    secure_zero(aa); secure_zero(bb); secure_zero(e); secure_zero(da); secure_zero(cb); secure_zero(sum);
    secure_zero(diff); secure_zero(t);
    secure_zero(swap);
}

}  // namespace padlock::x25519_x86
