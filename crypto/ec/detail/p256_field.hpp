// SPDX-License-Identifier: Apache-2.0
// Arithmetic mod the P-256 prime p = 2^256 - 2^224 + 2^192 + 2^96 - 1 (SP 800-186 §3.2.1.3) on four
// 64-bit limbs, for hosts with unsigned __int128. The representation is the one ec_curve.hpp uses
// (Montgomery form x·2^256 mod p, fully reduced, least significant limb first): this is a faster
// drop-in for its generic mont_mul / mod_add / mod_sub / inversion, selected through Curve::Field
// (p256_curve.hpp). With 32-bit limbs the generic code is used instead.
//
// Montgomery reduction is cheap for this p: -p^-1 mod 2^64 = 1, so the quotient digit q of each
// reduction step is the low limb itself, and q·p = q·2^256 - q·2^224 + q·2^192 + q·2^96 - q needs
// one multiplication (by p's top limb) besides shifts. Constant time: no branch or index depends on
// the values; the final conditional subtraction is a mask.
#pragma once

#include <cstdint>
#include <type_traits>

#include "crypto/ct.hpp"

namespace padlock::p256::field {

using u64 = std::uint64_t;
using u128 = unsigned __int128;

inline constexpr u64 p0 = ~u64(0), p1 = 0x00000000ffffffffull, p3 = 0xffffffff00000001ull;  // p2 = 0

// r = t mod p for t = t4·2^256 + t0..t3 < 2p: subtracts p when the result does not borrow.
constexpr void reduce_once(u64* r, u64 t0, u64 t1, u64 t2, u64 t3, u64 t4) {
    u128 d = u128(t0) - p0;
    const u64 u0 = u64(d);
    d = u128(t1) - p1 - u64(d >> 127);
    const u64 u1 = u64(d);
    d = u128(t2) - u64(d >> 127);
    const u64 u2 = u64(d);
    d = u128(t3) - p3 - u64(d >> 127);
    const u64 u3 = u64(d);
    d = u128(t4) - u64(d >> 127);
    u64 keep = u64(d >> 64);  // all-ones iff t < p
    if (!std::is_constant_evaluated()) keep = ct::barrier(keep);
    r[0] = u0 ^ (keep & (t0 ^ u0));
    r[1] = u1 ^ (keep & (t1 ^ u1));
    r[2] = u2 ^ (keep & (t2 ^ u2));
    r[3] = u3 ^ (keep & (t3 ^ u3));
}

// r = t·2^-256 mod p for a 512-bit t = a·b with a, b < p (so the result before the final
// subtraction is below 2p). Four word-by-word steps t = (t + q·p) / 2^64 with q = t[i]:
// t[i] + q·p0 = q·2^64 carries q, and q + q·p1 = q·2^32.
constexpr void reduce(u64* r, u64* t) {
    u64 top = 0;  // the carry out of limb i + 4, added at the next step
    for (int i = 0; i < 4; i++) {
        const u64 q = t[i];
        u128 s = u128(t[i + 1]) + (q << 32);
        t[i + 1] = u64(s);
        s = u128(t[i + 2]) + (q >> 32) + u64(s >> 64);
        t[i + 2] = u64(s);
        s = u128(q) * p3 + t[i + 3] + u64(s >> 64);
        t[i + 3] = u64(s);
        s = u128(t[i + 4]) + u64(s >> 64) + top;
        t[i + 4] = u64(s);
        top = u64(s >> 64);
    }
    reduce_once(r, t[4], t[5], t[6], t[7], top);
}

// r = a·b·2^-256 mod p for a, b < p. r may alias a or b.
constexpr void mul(u64* r, const u64* a, const u64* b) {
    u64 t[8];
    u128 s = u128(a[0]) * b[0];
    t[0] = u64(s);
    s = u128(a[1]) * b[0] + u64(s >> 64);
    t[1] = u64(s);
    s = u128(a[2]) * b[0] + u64(s >> 64);
    t[2] = u64(s);
    s = u128(a[3]) * b[0] + u64(s >> 64);
    t[3] = u64(s);
    t[4] = u64(s >> 64);
    for (int i = 1; i < 4; i++) {
        s = u128(a[0]) * b[i] + t[i];
        t[i] = u64(s);
        s = u128(a[1]) * b[i] + t[i + 1] + u64(s >> 64);
        t[i + 1] = u64(s);
        s = u128(a[2]) * b[i] + t[i + 2] + u64(s >> 64);
        t[i + 2] = u64(s);
        s = u128(a[3]) * b[i] + t[i + 3] + u64(s >> 64);
        t[i + 3] = u64(s);
        t[i + 4] = u64(s >> 64);
    }
    reduce(r, t);
}

// r = a^2·2^-256 mod p: the six products a_i·a_j (i < j) once, doubled, plus the four squares.
constexpr void sqr(u64* r, const u64* a) {
    u64 t[8];
    u128 s = u128(a[1]) * a[0];
    t[1] = u64(s);
    s = u128(a[2]) * a[0] + u64(s >> 64);
    t[2] = u64(s);
    s = u128(a[3]) * a[0] + u64(s >> 64);
    t[3] = u64(s);
    t[4] = u64(s >> 64);
    s = u128(a[2]) * a[1] + t[3];
    t[3] = u64(s);
    s = u128(a[3]) * a[1] + t[4] + u64(s >> 64);
    t[4] = u64(s);
    t[5] = u64(s >> 64);
    s = u128(a[3]) * a[2] + t[5];
    t[5] = u64(s);
    t[6] = u64(s >> 64);
    t[7] = t[6] >> 63;
    for (int i = 6; i > 1; i--) t[i] = t[i] << 1 | t[i - 1] >> 63;
    t[1] <<= 1;
    s = u128(a[0]) * a[0];
    t[0] = u64(s);
    u64 carry = u64(s >> 64);
    for (int i = 1; i < 4; i++) {
        const u128 square = u128(a[i]) * a[i];
        s = u128(t[2 * i - 1]) + carry;
        t[2 * i - 1] = u64(s);
        s = u128(t[2 * i]) + u64(square) + u64(s >> 64);
        t[2 * i] = u64(s);
        carry = u64(square >> 64) + u64(s >> 64);  // no overflow: a^2 fits in 512 bits
    }
    t[7] += carry;
    reduce(r, t);
}

// r = a + b mod p for a, b < p. Always inlined (as sub): a call would cost about as much as the
// addition, and with the curve code instantiated twice (p256_curve.hpp, CurveX86) GCC's
// unit-growth limit stops inlining them on its own.
[[gnu::always_inline]] constexpr void add(u64* r, const u64* a, const u64* b) {
    u128 s = u128(a[0]) + b[0];
    const u64 t0 = u64(s);
    s = u128(a[1]) + b[1] + u64(s >> 64);
    const u64 t1 = u64(s);
    s = u128(a[2]) + b[2] + u64(s >> 64);
    const u64 t2 = u64(s);
    s = u128(a[3]) + b[3] + u64(s >> 64);
    reduce_once(r, t0, t1, t2, u64(s), u64(s >> 64));
}

// r = a - b mod p for a, b < p: p is added back when the subtraction borrows.
[[gnu::always_inline]] constexpr void sub(u64* r, const u64* a, const u64* b) {
    u128 d = u128(a[0]) - b[0];
    const u64 t0 = u64(d);
    d = u128(a[1]) - b[1] - u64(d >> 127);
    const u64 t1 = u64(d);
    d = u128(a[2]) - b[2] - u64(d >> 127);
    const u64 t2 = u64(d);
    d = u128(a[3]) - b[3] - u64(d >> 127);
    const u64 t3 = u64(d);
    u64 mask = u64(d >> 64);  // all-ones iff a < b
    if (!std::is_constant_evaluated()) mask = ct::barrier(mask);
    u128 s = u128(t0) + (p0 & mask);
    r[0] = u64(s);
    s = u128(t1) + (p1 & mask) + u64(s >> 64);
    r[1] = u64(s);
    s = u128(t2) + u64(s >> 64);
    r[2] = u64(s);
    r[3] = t3 + (p3 & mask) + u64(s >> 64);
}

// r = a^(p-2) = a^-1 (Fermat; 0 gives 0), Montgomery form in and out, by a fixed addition chain
// of 255 squarings and 13 multiplications (a 4-bit window takes 335 operations). With x_k standing
// for a^(2^k - 1), p - 2 in binary is 32 ones, 31 zeros and a one, 96 zeros, 94 ones, 0, 1:
// ((((x_32 · 2^32 + 1) · 2^128 + x_32) · 2^32 + x_32) · 2^30 + x_30) · 2^2 + 1 in the exponent.
// F supplies the multiplication: static F::mul(r, a, b) and F::sqr(r, a) (this file's, or the MULX
// ones of p256_x86.cpp).
template <class F>
constexpr void inv_with(u64* r, const u64* a) {
    u64 x2[4], x4[4], x8[4], x16[4], x30[4], x32[4], t[4];
    auto mul = [](u64* y, const u64* x, const u64* z) { F::mul(y, x, z); };
    auto sqr = [](u64* y, const u64* x) { F::sqr(y, x); };
    auto sqr_n = [&](u64* y, const u64* x, int n) {
        sqr(y, x);
        for (int i = 1; i < n; i++) sqr(y, y);
    };
    sqr(t, a);
    mul(x2, t, a);
    sqr_n(t, x2, 2);
    mul(x4, t, x2);
    sqr_n(t, x4, 4);
    mul(x8, t, x4);
    sqr_n(t, x8, 8);
    mul(x16, t, x8);
    sqr_n(t, x16, 8);
    mul(t, t, x8);  // x24
    sqr_n(t, t, 4);
    mul(t, t, x4);  // x28
    sqr_n(t, t, 2);
    mul(x30, t, x2);
    sqr_n(t, x30, 2);
    mul(x32, t, x2);
    sqr_n(t, x32, 32);
    mul(t, t, a);
    sqr_n(t, t, 128);
    mul(t, t, x32);
    sqr_n(t, t, 32);
    mul(t, t, x32);
    sqr_n(t, t, 30);
    mul(t, t, x30);
    sqr_n(t, t, 2);
    mul(r, t, a);
    if (!std::is_constant_evaluated()) {  // powers of a secret (a point's Z)
        secure_zero(x2);
        secure_zero(x4);
        secure_zero(x8);
        secure_zero(x16);
        secure_zero(x30);
        secure_zero(x32);
        secure_zero(t);
    }
}

struct Portable {
    static constexpr void mul(u64* r, const u64* a, const u64* b) { field::mul(r, a, b); }
    static constexpr void sqr(u64* r, const u64* a) { field::sqr(r, a); }
};
constexpr void inv(u64* r, const u64* a) { inv_with<Portable>(r, a); }

}  // namespace padlock::p256::field
