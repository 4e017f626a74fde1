// SPDX-License-Identifier: Apache-2.0
// Arithmetic on the NIST prime curves y^2 = x^3 - 3x + b (P-256 and P-384, SP 800-186 §3.2.1.3 and
// §3.2.1.4), generic over the curve: Montgomery arithmetic mod p and mod n, the Renes–Costello–Batina
// complete formulas (eprint 2015/1060, Algorithms 4, 5 and 6 for a = -3), Jacobian doubling and
// addition (EFD dbl-2001-b, add-1998-cmo-2), SEC 1 point encoding
// (§2.3.3, §2.3.4, §3.2.2.1), fixed-window scalar multiplication and ECDSA verification (FIPS 186-5
// §6.4.2). Internal to padlock, not a public header: p256_curve.cpp and p384.cpp instantiate it for
// their curve in their own translation unit, so a program that uses one curve links only that one.
//
// Implementation notes
//  - Every value is fully reduced ([0, m)) between operations.
//  - Secret-dependent choices are made with masks (all-ones / all-zero limbs) derived arithmetically
//    from carries and borrows, never with branches or secret table indexes.
//  - The complete formulas have no exceptional cases (doubling, infinity, P + -P); they serve the
//    fixed-base comb and the compile-time tables. The variable-base k·P and the verification
//    u1·G + u2·Q run on the cheaper Jacobian formulas (Bernstein–Lange EFD), whose exceptional cases
//    each says how it handles: masks for k·P (secret), branches for verification (public).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "crypto/common.hpp"
#include "crypto/ct.hpp"
#include "crypto/endian.hpp"

namespace padlock::ec {

// 64-bit limbs with a 128-bit product where the compiler has one, else 32-bit limbs.
// PADLOCK_LIMB32 (crypto/config.hpp, -Dlimb32=true) forces the 32-bit path (the tests are run that
// way once too).
#if defined(__SIZEOF_INT128__) && !defined(PADLOCK_LIMB32)
#define PADLOCK_EC_LIMB64 1
using Limb = std::uint64_t;
using Wide = unsigned __int128;
#else
#define PADLOCK_EC_LIMB64 0
using Limb = std::uint32_t;
using Wide = std::uint64_t;
#endif
inline constexpr int limb_bits = int(sizeof(Limb) * 8);

// A multi-limb integer of L limbs, least significant limb first.
template <int L>
struct Num {
    Limb v[L];
};

// ---------------------------------------------------------------------------------------------
// Multi-limb integers (arrays of L limbs, least significant first)

// r = a + b; returns the carry out (0 or 1). Carries are computed with single-limb compares, a
// form both GCC and Clang turn into add-with-carry chains.
template <int L>
constexpr Limb add_limbs(Limb* r, const Limb* a, const Limb* b) {
    Limb carry = 0;
    for (int i = 0; i < L; i++) {
        Limb s = a[i] + carry;
        carry = Limb(s < carry);
        Limb t = s + b[i];
        carry += Limb(t < s);
        r[i] = t;
    }
    return carry;
}

// r = a - b; returns the borrow out (0 or 1). As above, the compares become the carry flag
// (sub/sbb), not branches.
template <int L>
constexpr Limb sub_limbs(Limb* r, const Limb* a, const Limb* b) {
    Limb borrow = 0;
    for (int i = 0; i < L; i++) {
        Limb s = a[i] - b[i];
        Limb borrow1 = Limb(a[i] < b[i]);
        Limb t = s - borrow;
        borrow = borrow1 | Limb(s < borrow);
        r[i] = t;
    }
    return borrow;
}

// Passes a limb through ct::barrier at run time. Besides keeping masks opaque, this keeps GCC from
// vectorising limb loops through memory, which costs store-forwarding stalls (about 2x here).
constexpr Limb opaque(Limb v) {
    if (std::is_constant_evaluated()) return v;
    return ct::barrier(v);
}

// r = mask ? a : b for an all-ones / all-zero mask.
template <int L>
constexpr void select_limbs(Limb* r, Limb mask, const Limb* a, const Limb* b) {
    for (int i = 0; i < L; i++) r[i] = opaque(b[i] ^ (mask & (a[i] ^ b[i])));
}

// A constant from exactly L·limb_bits/4 hex digits, written as in the standards.
template <int L, std::size_t H>
constexpr Num<L> from_hex(const char (&hex)[H]) {
    static_assert(H - 1 == std::size_t(L) * limb_bits / 4, "one hex digit per 4 bits");
    Num<L> r{};
    for (int i = 0; i < int(H - 1); i++) {
        char c = hex[H - 2 - i];
        int nibble = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
        r.v[i * 4 / limb_bits] |= Limb(nibble) << (i * 4 % limb_bits);
    }
    return r;
}

// Big-endian bytes (L·sizeof(Limb) of them) to and from limbs.
template <int L>
void load_be(Limb* r, const std::uint8_t* in) {
    constexpr int size = L * int(sizeof(Limb));
    for (int i = 0; i < L; i++) {
        const std::uint8_t* p = in + size - (i + 1) * int(sizeof(Limb));
        if constexpr (sizeof(Limb) == 8)
            r[i] = load_be64(p);
        else
            r[i] = load_be32(p);
    }
}

template <int L>
void store_be(std::uint8_t* out, const Limb* a) {
    constexpr int size = L * int(sizeof(Limb));
    for (int i = 0; i < L; i++) {
        std::uint8_t* p = out + size - (i + 1) * int(sizeof(Limb));
        if constexpr (sizeof(Limb) == 8)
            store_be64(p, a[i]);
        else
            store_be32(p, Limb(a[i]));
    }
}

// ---------------------------------------------------------------------------------------------
// Montgomery arithmetic modulo an odd m with 2^(bits-1) < m < 2^bits, bits = L·limb_bits, R = 2^bits.

template <int L>
struct Modulus {
    Limb m[L];
    Limb m0inv;  // -m^-1 mod 2^limb_bits
    Limb one[L];  // R mod m: 1 in Montgomery form
    Limb rr[L];   // R^2 mod m: converts into Montgomery form
};

template <int L>
constexpr Modulus<L> make_modulus(const Num<L>& m) {
    Modulus<L> M{};
    for (int i = 0; i < L; i++) M.m[i] = m.v[i];
    // Newton's iteration x <- x(2 - m0 x) doubles the number of correct low bits of m0^-1;
    // x = m0 is already right to 3 bits for odd m0.
    Limb inv = M.m[0];
    for (int i = 0; i < 5; i++) inv = Limb(inv * Limb(2 - M.m[0] * inv));
    M.m0inv = Limb(0) - inv;
    // R mod m = 2^bits - m, as m > 2^(bits-1).
    Limb zero[L] = {};
    sub_limbs<L>(M.one, zero, M.m);
    // R^2 mod m: double R mod m another `bits` times.
    for (int i = 0; i < L; i++) M.rr[i] = M.one[i];
    for (int k = 0; k < L * limb_bits; k++) {
        Limb t[L] = {}, u[L] = {};
        Limb carry = add_limbs<L>(t, M.rr, M.rr);
        Limb borrow = sub_limbs<L>(u, t, M.m);
        select_limbs<L>(M.rr, Limb(0) - Limb(carry | (borrow ^ 1)), u, t);
    }
    return M;
}

// r = a + b mod m.
template <int L>
constexpr void mod_add(Limb* r, const Limb* a, const Limb* b, const Modulus<L>& M) {
    Limb t[L] = {}, u[L] = {};
    Limb carry = add_limbs<L>(t, a, b);
    Limb borrow = sub_limbs<L>(u, t, M.m);
    // a + b - m is the answer when a + b overflowed 2^bits or did not go below m.
    select_limbs<L>(r, Limb(0) - Limb(carry | (borrow ^ 1)), u, t);
}

// r = a - b mod m.
template <int L>
constexpr void mod_sub(Limb* r, const Limb* a, const Limb* b, const Modulus<L>& M) {
    Limb t[L] = {}, u[L] = {};
    Limb borrow = sub_limbs<L>(t, a, b);
    add_limbs<L>(u, t, M.m);
    select_limbs<L>(r, Limb(0) - borrow, u, t);
}

// r = a·b·R^-1 mod m (coarsely integrated operand scanning, CIOS). Inputs below m; output below m.
template <int L>
constexpr void mont_mul(Limb* r, const Limb* a, const Limb* b, const Modulus<L>& M) {
    Limb t[L + 2] = {};
    for (int i = 0; i < L; i++) {
        // t += a · b[i]
        Limb carry = 0;
        for (int j = 0; j < L; j++) {
            Wide s = Wide(a[j]) * b[i] + t[j] + carry;
            t[j] = Limb(s);
            carry = Limb(s >> limb_bits);
        }
        Wide s = Wide(t[L]) + carry;
        t[L] = Limb(s);
        t[L + 1] = Limb(s >> limb_bits);
        // t = (t + q·m) / 2^limb_bits, with q chosen so the low limb cancels.
        Limb q = Limb(t[0] * M.m0inv);
        s = Wide(q) * M.m[0] + t[0];
        carry = Limb(s >> limb_bits);
        for (int j = 1; j < L; j++) {
            s = Wide(q) * M.m[j] + t[j] + carry;
            t[j - 1] = Limb(s);
            carry = Limb(s >> limb_bits);
        }
        s = Wide(t[L]) + carry;
        t[L - 1] = Limb(s);
        t[L] = Limb(t[L + 1] + Limb(s >> limb_bits));
    }
    // Now t < 2m: subtract m once if t >= m.
    Limb u[L] = {};
    Limb borrow = sub_limbs<L>(u, t, M.m);
    select_limbs<L>(r, Limb(0) - Limb(t[L] | (borrow ^ 1)), u, t);
}

// r = a^e for a public exponent e (Montgomery form in and out), 4-bit fixed windows. The sequence
// of operations depends only on e, so this is constant time in a.
// `mul(r, a, b)` and `sqr(r, a)` are the Montgomery multiplication and squaring to use (mont_mul by
// default; a curve may bring faster ones for its n).
template <int L, class Mul, class Sqr>
constexpr void mont_pow(Limb* r, const Limb* a, const Limb* e, const Modulus<L>& M, Mul mul, Sqr sqr) {
    Limb table[16][L];
    for (int i = 0; i < L; i++) table[0][i] = M.one[i];
    for (int k = 1; k < 16; k++) mul(table[k], table[k - 1], a);
    Limb acc[L];
    for (int i = 0; i < L; i++) acc[i] = M.one[i];
    for (int w = L * limb_bits / 4 - 1; w >= 0; w--) {
        for (int k = 0; k < 4; k++) sqr(acc, acc);
        unsigned nibble = unsigned(e[w * 4 / limb_bits] >> (w * 4 % limb_bits)) & 15;
        mul(acc, acc, table[nibble]);  // index from the public exponent
    }
    for (int i = 0; i < L; i++) r[i] = acc[i];
    if (!std::is_constant_evaluated()) {
        secure_zero(table);  // powers of a secret (a nonce, a point's Z) when inverting
        secure_zero(acc);
    }
}
template <int L>
constexpr void mont_pow(Limb* r, const Limb* a, const Limb* e, const Modulus<L>& M) {
    mont_pow<L>(
        r, a, e, M, [&M](Limb* x, const Limb* y, const Limb* z) { mont_mul<L>(x, y, z, M); },
        [&M](Limb* x, const Limb* y) { mont_mul<L>(x, y, y, M); });
}

// a - small and (a + 1) / 4, for the exponents p - 2, n - 2 (Fermat inversion) and (p + 1) / 4
// (square roots, as p = 3 mod 4).
template <int L>
constexpr Num<L> minus_small(const Num<L>& a, Limb small) {
    Num<L> b{}, r{};
    b.v[0] = small;
    sub_limbs<L>(r.v, a.v, b.v);
    return r;
}
template <int L>
constexpr Num<L> plus_one_over_4(const Num<L>& a) {
    Num<L> one{}, s{}, r{};
    one.v[0] = 1;
    Limb carry = add_limbs<L>(s.v, a.v, one.v);
    for (int i = 0; i < L; i++)
        r.v[i] = (s.v[i] >> 2) | (i + 1 < L ? Limb(s.v[i + 1] << (limb_bits - 2)) : Limb(carry << (limb_bits - 2)));
    return r;
}

// ---------------------------------------------------------------------------------------------
// A curve y^2 = x^3 - 3x + b over GF(p) of prime order n (cofactor 1), with p = 3 mod 4 and
// 2^(bits-1) < n < p < 2^bits, so that x mod n and any bits-bit value mod n take one subtraction.
// The parameter type C gives `bits`, `limbs` (= bits / limb_bits) and p, n, b, gx, gy as Num<limbs>.

// A field element mod p in Montgomery form (x·R mod p), always fully reduced.
template <class C>
struct Fe {
    Limb v[C::limbs];
};

// A scalar mod n as a plain integer in [0, n).
template <class C>
struct Scalar {
    Limb v[C::limbs];
};

// A point in projective coordinates: (X:Y:Z) stands for the affine point (X/Z, Y/Z); the point at
// infinity is (0:1:0). Coordinates are field elements in Montgomery form.
template <class C>
struct Point {
    Fe<C> x, y, z;
};

// An affine point (x, y), never infinity: the entries of generator tables.
template <class C>
struct Affine {
    Fe<C> x, y;
};

template <class C, int L>
constexpr Fe<C> to_mont(const Num<L>& a, const Modulus<L>& P) {
    Fe<C> r{};
    mont_mul<L>(r.v, a.v, P.rr, P);
    return r;
}

// Everything derived from the curve's parameters, computed by the compiler.
template <class C>
struct Consts {
    static constexpr int L = C::limbs;
    static constexpr int bytes = C::bits / 8;
    static_assert(L * limb_bits == C::bits);
    static constexpr Modulus<L> P = make_modulus(C::p);
    static constexpr Modulus<L> N = make_modulus(C::n);
    static_assert(Limb(P.m[0] * P.m0inv) == Limb(~Limb(0)) && Limb(N.m[0] * N.m0inv) == Limb(~Limb(0)));
    static_assert((C::p.v[0] & 3) == 3, "square roots need p = 3 mod 4");
    static constexpr Num<L> p_minus_2 = minus_small(C::p, 2);
    static constexpr Num<L> n_minus_2 = minus_small(C::n, 2);
    static constexpr Num<L> p_plus_1_over_4 = plus_one_over_4(C::p);
    static constexpr Num<L> plain_one = {{1}};
    static constexpr Fe<C> one = to_mont<C>(plain_one, P);
    static constexpr Fe<C> b = to_mont<C>(C::b, P);
    static constexpr Fe<C> gx = to_mont<C>(C::gx, P);
    static constexpr Fe<C> gy = to_mont<C>(C::gy, P);
};

// ---------------------------------------------------------------------------------------------
// Field elements mod p (Montgomery form). Constant time.
//
// A curve may supply faster code for its field in this same representation: static members
// field_mul, field_sqr, field_add and field_sub on limb arrays, optionally field_inv (P-256 with 64-bit limbs,
// p256_field.hpp). Otherwise the generic Montgomery code above is used.

template <class C>
concept has_field_code = requires(Limb* r, const Limb* a) { C::field_mul(r, a, a); };

template <class C>
constexpr Fe<C> fe_mul(const Fe<C>& a, const Fe<C>& b) {
    Fe<C> r;
    if constexpr (has_field_code<C>)
        C::field_mul(r.v, a.v, b.v);
    else
        mont_mul<C::limbs>(r.v, a.v, b.v, Consts<C>::P);
    return r;
}
template <class C>
constexpr Fe<C> fe_sqr(const Fe<C>& a) {
    if constexpr (has_field_code<C>) {
        Fe<C> r;
        C::field_sqr(r.v, a.v);
        return r;
    } else {
        return fe_mul(a, a);
    }
}
template <class C>
constexpr Fe<C> fe_add(const Fe<C>& a, const Fe<C>& b) {
    Fe<C> r;
    if constexpr (has_field_code<C>)
        C::field_add(r.v, a.v, b.v);
    else
        mod_add<C::limbs>(r.v, a.v, b.v, Consts<C>::P);
    return r;
}
template <class C>
constexpr Fe<C> fe_sub(const Fe<C>& a, const Fe<C>& b) {
    Fe<C> r;
    if constexpr (has_field_code<C>)
        C::field_sub(r.v, a.v, b.v);
    else
        mod_sub<C::limbs>(r.v, a.v, b.v, Consts<C>::P);
    return r;
}
template <class C>
constexpr Fe<C> fe_neg(const Fe<C>& a) { return fe_sub(Fe<C>{}, a); }
template <class C>
constexpr void fe_cmov(Fe<C>& r, const Fe<C>& a, Limb mask) { select_limbs<C::limbs>(r.v, mask, a.v, r.v); }

// a^e for a public exponent e, 4-bit fixed windows (as mont_pow, through the field operations).
// The sequence of operations depends only on e, so this is constant time in a.
template <class C>
constexpr Fe<C> fe_pow(const Fe<C>& a, const Num<C::limbs>& e) {
    Fe<C> table[16];
    table[0] = Consts<C>::one;
    for (int k = 1; k < 16; k++) table[k] = fe_mul(table[k - 1], a);
    Fe<C> acc = Consts<C>::one;
    for (int w = C::bits / 4 - 1; w >= 0; w--) {
        for (int k = 0; k < 4; k++) acc = fe_sqr(acc);
        unsigned nibble = unsigned(e.v[w * 4 / limb_bits] >> (w * 4 % limb_bits)) & 15;
        acc = fe_mul(acc, table[nibble]);  // index from the public exponent
    }
    if (!std::is_constant_evaluated()) secure_zero(table);  // powers of a secret (a point's Z)
    return acc;
}

// a^-1 = a^(p-2) (Fermat); the inverse of 0 comes out as 0. A curve's field code may bring its own
// (an addition chain for its p).
template <class C>
constexpr Fe<C> fe_inv(const Fe<C>& a) {
    if constexpr (requires(Limb* r) { C::field_inv(r, a.v); }) {
        Fe<C> r;
        C::field_inv(r.v, a.v);
        return r;
    } else {
        return fe_pow(a, Consts<C>::p_minus_2);
    }
}

// Loads a big-endian value (bits / 8 bytes); false if it is not below p. Converts into Montgomery form.
template <class C>
bool fe_from_bytes(Fe<C>& r, const std::uint8_t* in) {
    constexpr int L = C::limbs;
    Limb t[L], u[L];
    load_be<L>(t, in);
    bool below_p = sub_limbs<L>(u, t, Consts<C>::P.m) == 1;
    mont_mul<L>(r.v, t, Consts<C>::P.rr, Consts<C>::P);
    return below_p;
}

template <class C>
void fe_to_bytes(std::uint8_t* out, const Fe<C>& a) {
    constexpr int L = C::limbs;
    Limb t[L];
    mont_mul<L>(t, a.v, Consts<C>::plain_one.v, Consts<C>::P);  // leaves Montgomery form
    store_be<L>(out, t);
    secure_zero(t);  // may be an ECDH shared secret
}

template <class C>
constexpr bool fe_equal(const Fe<C>& a, const Fe<C>& b) {
    Limb diff = 0;
    for (int i = 0; i < C::limbs; i++) diff |= a.v[i] ^ b.v[i];
    return diff == 0;
}

// Parity of the integer (not of its Montgomery form).
template <class C>
unsigned fe_is_odd(const Fe<C>& a) {
    Limb t[C::limbs];
    mont_mul<C::limbs>(t, a.v, Consts<C>::plain_one.v, Consts<C>::P);
    return unsigned(t[0] & 1);
}

// y^2 = x^3 - 3x + b, the right-hand side of the curve equation.
template <class C>
Fe<C> curve_rhs(const Fe<C>& x) {
    Fe<C> x3 = fe_mul(fe_sqr(x), x);
    Fe<C> three_x = fe_add(fe_add(x, x), x);
    return fe_add(fe_sub(x3, three_x), Consts<C>::b);
}

// ---------------------------------------------------------------------------------------------
// Points: the complete formulas of Renes–Costello–Batina for a = -3. Step comments number the
// lines of the paper's algorithms. Constant time; the output may alias an input. Never inlined: as
// calls they are as fast (each is dozens of multiplications) and the code stays small; constexpr,
// which implies inline, would otherwise invite GCC to copy them into every loop.

template <class C>
constexpr Point<C> infinity() { return Point<C>{Fe<C>{}, Consts<C>::one, Fe<C>{}}; }

// Algorithm 4: P + Q in projective coordinates (12M + 2m_b).
template <class C>
[[gnu::noinline]] constexpr Point<C> point_add(const Point<C>& p, const Point<C>& q) {
    const Fe<C> &X1 = p.x, &Y1 = p.y, &Z1 = p.z, &X2 = q.x, &Y2 = q.y, &Z2 = q.z;
    Fe<C> t0 = fe_mul(X1, X2);                  // 1
    Fe<C> t1 = fe_mul(Y1, Y2);                  // 2
    Fe<C> t2 = fe_mul(Z1, Z2);                  // 3
    Fe<C> t3 = fe_add(X1, Y1);                  // 4
    Fe<C> t4 = fe_add(X2, Y2);                  // 5
    t3 = fe_mul(t3, t4);                     // 6
    t4 = fe_add(t0, t1);                     // 7
    t3 = fe_sub(t3, t4);                     // 8
    t4 = fe_add(Y1, Z1);                     // 9
    Fe<C> X3 = fe_add(Y2, Z2);                  // 10
    t4 = fe_mul(t4, X3);                     // 11
    X3 = fe_add(t1, t2);                     // 12
    t4 = fe_sub(t4, X3);                     // 13
    X3 = fe_add(X1, Z1);                     // 14
    Fe<C> Y3 = fe_add(X2, Z2);                  // 15
    X3 = fe_mul(X3, Y3);                     // 16
    Y3 = fe_add(t0, t2);                     // 17
    Y3 = fe_sub(X3, Y3);                     // 18
    Fe<C> Z3 = fe_mul(Consts<C>::b, t2);             // 19
    X3 = fe_sub(Y3, Z3);                     // 20
    Z3 = fe_add(X3, X3);                     // 21
    X3 = fe_add(X3, Z3);                     // 22
    Z3 = fe_sub(t1, X3);                     // 23
    X3 = fe_add(t1, X3);                     // 24
    Y3 = fe_mul(Consts<C>::b, Y3);                // 25
    t1 = fe_add(t2, t2);                     // 26
    t2 = fe_add(t1, t2);                     // 27
    Y3 = fe_sub(Y3, t2);                     // 28
    Y3 = fe_sub(Y3, t0);                     // 29
    t1 = fe_add(Y3, Y3);                     // 30
    Y3 = fe_add(t1, Y3);                     // 31
    t1 = fe_add(t0, t0);                     // 32
    t0 = fe_add(t1, t0);                     // 33
    t0 = fe_sub(t0, t2);                     // 34
    t1 = fe_mul(t4, Y3);                     // 35
    t2 = fe_mul(t0, Y3);                     // 36
    Y3 = fe_mul(X3, Z3);                     // 37
    Y3 = fe_add(Y3, t2);                     // 38
    X3 = fe_mul(t3, X3);                     // 39
    X3 = fe_sub(X3, t1);                     // 40
    Z3 = fe_mul(t4, Z3);                     // 41
    t1 = fe_mul(t3, t0);                     // 42
    Z3 = fe_add(Z3, t1);                     // 43
    return Point<C>{X3, Y3, Z3};
}

// Algorithm 5: P + Q for an affine Q (Z2 = 1) (11M + 2m_b). Complete for every P; Q cannot be
// infinity, which the caller handles.
template <class C>
[[gnu::noinline]] Point<C> point_add_affine(const Point<C>& p, const Affine<C>& q) {
    const Fe<C> &X1 = p.x, &Y1 = p.y, &Z1 = p.z, &X2 = q.x, &Y2 = q.y;
    Fe<C> t0 = fe_mul(X1, X2);                  // 1
    Fe<C> t1 = fe_mul(Y1, Y2);                  // 2
    Fe<C> t3 = fe_add(X2, Y2);                  // 3
    Fe<C> t4 = fe_add(X1, Y1);                  // 4
    t3 = fe_mul(t3, t4);                     // 5
    t4 = fe_add(t0, t1);                     // 6
    t3 = fe_sub(t3, t4);                     // 7
    t4 = fe_mul(Y2, Z1);                     // 8
    t4 = fe_add(t4, Y1);                     // 9
    Fe<C> Y3 = fe_mul(X2, Z1);                  // 10
    Y3 = fe_add(Y3, X1);                     // 11
    Fe<C> Z3 = fe_mul(Consts<C>::b, Z1);             // 12
    Fe<C> X3 = fe_sub(Y3, Z3);                  // 13
    Z3 = fe_add(X3, X3);                     // 14
    X3 = fe_add(X3, Z3);                     // 15
    Z3 = fe_sub(t1, X3);                     // 16
    X3 = fe_add(t1, X3);                     // 17
    Y3 = fe_mul(Consts<C>::b, Y3);                // 18
    t1 = fe_add(Z1, Z1);                     // 19
    Fe<C> t2 = fe_add(t1, Z1);                  // 20
    Y3 = fe_sub(Y3, t2);                     // 21
    Y3 = fe_sub(Y3, t0);                     // 22
    t1 = fe_add(Y3, Y3);                     // 23
    Y3 = fe_add(t1, Y3);                     // 24
    t1 = fe_add(t0, t0);                     // 25
    t0 = fe_add(t1, t0);                     // 26
    t0 = fe_sub(t0, t2);                     // 27
    t1 = fe_mul(t4, Y3);                     // 28
    t2 = fe_mul(t0, Y3);                     // 29
    Y3 = fe_mul(X3, Z3);                     // 30
    Y3 = fe_add(Y3, t2);                     // 31
    X3 = fe_mul(t3, X3);                     // 32
    X3 = fe_sub(X3, t1);                     // 33
    Z3 = fe_mul(t4, Z3);                     // 34
    t1 = fe_mul(t3, t0);                     // 35
    Z3 = fe_add(Z3, t1);                     // 36
    return Point<C>{X3, Y3, Z3};
}

// Algorithm 6: 2P (8M + 3S + 2m_b).
template <class C>
[[gnu::noinline]] constexpr Point<C> point_double(const Point<C>& p) {
    const Fe<C> &X = p.x, &Y = p.y, &Z = p.z;
    Fe<C> t0 = fe_sqr(X);                       // 1
    Fe<C> t1 = fe_sqr(Y);                       // 2
    Fe<C> t2 = fe_sqr(Z);                       // 3
    Fe<C> t3 = fe_mul(X, Y);                    // 4
    t3 = fe_add(t3, t3);                     // 5
    Fe<C> Z3 = fe_mul(X, Z);                    // 6
    Z3 = fe_add(Z3, Z3);                     // 7
    Fe<C> Y3 = fe_mul(Consts<C>::b, t2);             // 8
    Y3 = fe_sub(Y3, Z3);                     // 9
    Fe<C> X3 = fe_add(Y3, Y3);                  // 10
    Y3 = fe_add(X3, Y3);                     // 11
    X3 = fe_sub(t1, Y3);                     // 12
    Y3 = fe_add(t1, Y3);                     // 13
    Y3 = fe_mul(X3, Y3);                     // 14
    X3 = fe_mul(X3, t3);                     // 15
    t3 = fe_add(t2, t2);                     // 16
    t2 = fe_add(t2, t3);                     // 17
    Z3 = fe_mul(Consts<C>::b, Z3);                // 18
    Z3 = fe_sub(Z3, t2);                     // 19
    Z3 = fe_sub(Z3, t0);                     // 20
    t3 = fe_add(Z3, Z3);                     // 21
    Z3 = fe_add(Z3, t3);                     // 22
    t3 = fe_add(t0, t0);                     // 23
    t0 = fe_add(t3, t0);                     // 24
    t0 = fe_sub(t0, t2);                     // 25
    t0 = fe_mul(t0, Z3);                     // 26
    Y3 = fe_add(Y3, t0);                     // 27
    t0 = fe_mul(Y, Z);                       // 28
    t0 = fe_add(t0, t0);                     // 29
    Z3 = fe_mul(t0, Z3);                     // 30
    X3 = fe_sub(X3, Z3);                     // 31
    Z3 = fe_mul(t0, t1);                     // 32
    Z3 = fe_add(Z3, Z3);                     // 33
    Z3 = fe_add(Z3, Z3);                     // 34
    return Point<C>{X3, Y3, Z3};
}

template <class C>
constexpr void point_cmov(Point<C>& r, const Point<C>& a, Limb mask) {
    fe_cmov(r.x, a.x, mask);
    fe_cmov(r.y, a.y, mask);
    fe_cmov(r.z, a.z, mask);
}

// Affine coordinates (Montgomery form); false for infinity. Constant time apart from that answer.
template <class C>
constexpr bool point_to_affine(Fe<C>& x, Fe<C>& y, const Point<C>& p) {
    Fe<C> zinv = fe_inv(p.z);
    x = fe_mul(p.x, zinv);
    y = fe_mul(p.y, zinv);
    return !fe_equal(p.z, Fe<C>{});
}

// ---------------------------------------------------------------------------------------------
// Jacobian coordinates for the variable-base scalar multiplications: (X:Y:Z) stands for
// (X/Z^2, Y/Z^3), and any Z = 0 is the point at infinity. Doubling is about half the cost of the
// complete formula; addition is not complete, and each caller says how it keeps clear of (or
// selects around) the cases it gets wrong.

template <class C>
struct Jacobian {
    Fe<C> x, y, z;
};

// Homogeneous (X:Y:Z) to Jacobian (XZ : YZ^2 : Z), and back: Jacobian (X:Y:Z) is (XZ : Y : Z^3).
template <class C>
Jacobian<C> to_jacobian(const Point<C>& p) {
    return Jacobian<C>{fe_mul(p.x, p.z), fe_mul(p.y, fe_sqr(p.z)), p.z};
}
template <class C>
Point<C> from_jacobian(const Jacobian<C>& p) {
    return Point<C>{fe_mul(p.x, p.z), p.y, fe_mul(fe_sqr(p.z), p.z)};
}

template <class C>
Limb fe_zero_mask(const Fe<C>& a) {
    Limb any = 0;
    for (int i = 0; i < C::limbs; i++) any |= a.v[i];
    return ct::mask_zero(any);
}

// r = 2P, "dbl-2001-b" of the Explicit-Formulas Database (Bernstein–Lange) for a = -3: 3M + 5S.
// Exception-free here: Z = 0 stays 0, and a prime-order curve has no point with Y = 0. r may alias
// p. Written to an output parameter, with the temporaries in nested scopes, so that the firmware
// build's stack (tests/firmware/budget.json) holds few field elements at once.
template <class C>
[[gnu::noinline]] void jacobian_double(Jacobian<C>& r, const Jacobian<C>& p) {
    Fe<C> alpha, beta4, gamma, z3;
    {
        const Fe<C> delta = fe_sqr(p.z);
        gamma = fe_sqr(p.y);
        z3 = fe_sub(fe_sub(fe_sqr(fe_add(p.y, p.z)), gamma), delta);  // (Y + Z)^2 - gamma - delta = 2YZ
        alpha = fe_mul(fe_sub(p.x, delta), fe_add(p.x, delta));
        alpha = fe_add(fe_add(alpha, alpha), alpha);  // 3(X - delta)(X + delta)
        beta4 = fe_mul(p.x, gamma);                   // beta = X gamma
        beta4 = fe_add(beta4, beta4);
        beta4 = fe_add(beta4, beta4);
    }
    r.z = z3;
    r.x = fe_sub(fe_sqr(alpha), fe_add(beta4, beta4));  // alpha^2 - 8 beta
    gamma = fe_sqr(gamma);
    gamma = fe_add(gamma, gamma);
    gamma = fe_add(gamma, gamma);
    r.y = fe_sub(fe_mul(alpha, fe_sub(beta4, r.x)), fe_add(gamma, gamma));  // alpha(4 beta - X3) - 8 gamma^2
}

// r = P + Q, "add-1998-cmo-2" (12M + 4S). Right whenever neither input is infinity and P != Q (for
// P = -Q it gives Z = 0, infinity, as it should). `same` is set to an all-ones mask exactly when
// H = R = 0, i.e. P = Q (with both finite), where the result is wrong and 2P must be used instead.
// r may alias p or q (both are read in full before r is written).
template <class C>
[[gnu::noinline]] void jacobian_add(Jacobian<C>& r, const Jacobian<C>& p, const Jacobian<C>& q, Limb& same) {
    Fe<C> u1, s1, h, rr, z3;
    {
        const Fe<C> z1z1 = fe_sqr(p.z), z2z2 = fe_sqr(q.z);
        u1 = fe_mul(p.x, z2z2);
        h = fe_sub(fe_mul(q.x, z1z1), u1);                  // U2 - U1
        s1 = fe_mul(fe_mul(p.y, q.z), z2z2);
        rr = fe_sub(fe_mul(fe_mul(q.y, p.z), z1z1), s1);    // S2 - S1
    }
    same = fe_zero_mask(h) & fe_zero_mask(rr);
    z3 = fe_mul(fe_mul(p.z, q.z), h);
    {
        const Fe<C> hh = fe_sqr(h);
        h = fe_mul(h, hh);    // H^3
        u1 = fe_mul(u1, hh);  // U1 H^2
    }
    r.z = z3;
    r.x = fe_sub(fe_sub(fe_sqr(rr), h), fe_add(u1, u1));      // R^2 - H^3 - 2 U1 H^2
    r.y = fe_sub(fe_mul(rr, fe_sub(u1, r.x)), fe_mul(s1, h));  // R(U1 H^2 - X3) - S1 H^3
}

template <class C>
void jacobian_cmov(Jacobian<C>& r, const Jacobian<C>& a, Limb mask) {
    fe_cmov(r.x, a.x, mask);
    fe_cmov(r.y, a.y, mask);
    fe_cmov(r.z, a.z, mask);
}

// ---------------------------------------------------------------------------------------------
// Scalar recoding: k = sum d_i 16^i with d_0..d_(w-1) in [-8, 7] and d_w in {0, 1}
// (w = bits / 4). Signed digits
// halve the tables; the digit arithmetic is branch-free.

template <class C>
void recode_signed4(std::int8_t* digits, const Scalar<C>& k) {
    unsigned carry = 0;
    for (int i = 0; i < C::bits / 4; i++) {
        unsigned d = unsigned(k.v[i * 4 / limb_bits] >> (i * 4 % limb_bits)) & 15;
        d += carry;                   // 0..16
        carry = (d + 8) >> 4;         // 1 iff d >= 8
        digits[i] = std::int8_t(int(d) - int(carry << 4));
    }
    digits[C::bits / 4] = std::int8_t(carry);
}

// Widens a 0 / all-ones mask of ct.hpp's unsigned type to a limb mask.
inline Limb limb_mask(unsigned mask) { return Limb(0) - Limb(mask & 1); }

// |d| and an all-ones mask if d < 0, without branching on d.
inline void digit_abs(std::int8_t d, unsigned& abs, Limb& negative) {
    unsigned u = unsigned(std::int32_t(d));
    unsigned sign = unsigned(0) - (u >> 31);  // all-ones if d < 0
    abs = (u ^ sign) - sign;
    negative = Limb(0) - Limb(sign & 1);
}

// table[j] = (j+1)·P for j = 0..7 (Jacobian). Returns d·P by scanning every entry; infinity
// (Z = 0) for d = 0.
template <class C>
Jacobian<C> lookup_jacobian(const Jacobian<C> table[8], std::int8_t d) {
    unsigned abs;
    Limb negative;
    digit_abs(d, abs, negative);
    Jacobian<C> r{Consts<C>::one, Consts<C>::one, Fe<C>{}};
    for (unsigned j = 0; j < 8; j++) jacobian_cmov(r, table[j], limb_mask(ct::mask_eq(abs, j + 1)));
    fe_cmov(r.y, fe_neg(r.y), negative);
    return r;
}

// table[j] = (j+1)·B for j = 0..7. Writes |d|·B (B for d = 0, which the caller discards) with
// the sign of d applied, scanning every entry; returns an all-ones mask if d == 0.
// The table may be one of another instantiation T of the same curve (the same representation).
template <class C, class T>
Limb lookup_affine(Affine<C>& r, const Affine<T> table[8], std::int8_t d) {
    static_assert(T::limbs == C::limbs);
    unsigned abs;
    Limb negative;
    digit_abs(d, abs, negative);
    for (int i = 0; i < C::limbs; i++) {
        r.x.v[i] = table[0].x.v[i];
        r.y.v[i] = table[0].y.v[i];
    }
    for (unsigned j = 1; j < 8; j++) {
        Limb m = limb_mask(ct::mask_eq(abs, j + 1));
        select_limbs<C::limbs>(r.x.v, m, table[j].x.v, r.x.v);
        select_limbs<C::limbs>(r.y.v, m, table[j].y.v, r.y.v);
    }
    fe_cmov(r.y, fe_neg(r.y), negative);
    return limb_mask(ct::mask_zero(abs));
}

// ---------------------------------------------------------------------------------------------
// Scalars mod n (all constant time in the values). Byte strings are bits / 8 bytes, big-endian.

// true iff 0 < value < n (the range of private keys, nonces, r and s).
template <class C>
bool scalar_from_bytes(Scalar<C>& out, const std::uint8_t* in) {
    constexpr int L = C::limbs;
    load_be<L>(out.v, in);
    Limb u[L];
    Limb below_n = sub_limbs<L>(u, out.v, Consts<C>::N.m);  // 1 iff value < n
    Limb any = 0;
    for (int i = 0; i < L; i++) any |= out.v[i];
    return (ct::mask_nonzero(any) & (Limb(0) - below_n)) != 0;
}

// The value reduced mod n (a bits-bit value is below 2n, so one subtraction).
template <class C>
void scalar_from_bytes_reduced(Scalar<C>& out, const std::uint8_t* in) {
    constexpr int L = C::limbs;
    Limb t[L], u[L];
    load_be<L>(t, in);
    Limb borrow = sub_limbs<L>(u, t, Consts<C>::N.m);
    select_limbs<L>(out.v, Limb(0) - borrow, t, u);
}

template <class C>
void scalar_to_bytes(std::uint8_t* out, const Scalar<C>& a) { store_be<C::limbs>(out, a.v); }

template <class C>
void scalar_add(Scalar<C>& r, const Scalar<C>& a, const Scalar<C>& b) {
    mod_add<C::limbs>(r.v, a.v, b.v, Consts<C>::N);
}

// r = a·b·R^-1 and r = a^2·R^-1 mod n: the curve's own code (static C::scalar_mont_mul and
// C::scalar_mont_sqr on limb arrays) where it has it, else mont_mul.
template <class C>
void scalar_mont_mul(Limb* r, const Limb* a, const Limb* b) {
    if constexpr (requires { C::scalar_mont_mul(r, a, b); })
        C::scalar_mont_mul(r, a, b);
    else
        mont_mul<C::limbs>(r, a, b, Consts<C>::N);
}

template <class C>
void scalar_mont_sqr(Limb* r, const Limb* a) {
    if constexpr (requires { C::scalar_mont_sqr(r, a); })
        C::scalar_mont_sqr(r, a);
    else
        scalar_mont_mul<C>(r, a, a);
}

template <class C>
void scalar_mul(Scalar<C>& r, const Scalar<C>& a, const Scalar<C>& b) {
    Limb t[C::limbs];
    scalar_mont_mul<C>(t, a.v, b.v);              // a·b·R^-1
    scalar_mont_mul<C>(r.v, t, Consts<C>::N.rr);  // ·R^2·R^-1 = a·b
}

// Inverse by Fermat's little theorem, a^(n-2) mod n; the operation sequence depends only on n.
// A curve may bring its own (static C::scalar_inv on limb arrays, plain values in and out).
template <class C>
void scalar_inv(Scalar<C>& r, const Scalar<C>& a) {
    if constexpr (requires { C::scalar_inv(r.v, a.v); }) {
        C::scalar_inv(r.v, a.v);
        return;
    }
    constexpr int L = C::limbs;
    const auto& N = Consts<C>::N;
    Limb am[L], t[L];
    scalar_mont_mul<C>(am, a.v, N.rr);  // into Montgomery form
    mont_pow<L>(
        t, am, Consts<C>::n_minus_2.v, N, [](Limb* x, const Limb* y, const Limb* z) { scalar_mont_mul<C>(x, y, z); },
        [](Limb* x, const Limb* y) { scalar_mont_sqr<C>(x, y); });
    scalar_mont_mul<C>(r.v, t, Consts<C>::plain_one.v);  // and back out
    secure_zero(am);
    secure_zero(t);
}

template <class C>
bool scalar_is_zero(const Scalar<C>& a) {
    Limb any = 0;
    for (int i = 0; i < C::limbs; i++) any |= a.v[i];
    return ct::mask_zero(any) != 0;
}

template <class C>
bool scalar_equal(const Scalar<C>& a, const Scalar<C>& b) {
    Limb diff = 0;
    for (int i = 0; i < C::limbs; i++) diff |= a.v[i] ^ b.v[i];
    return ct::mask_zero(diff) != 0;
}

// ---------------------------------------------------------------------------------------------
// Point encoding (SEC 1 §2.3.3, §2.3.4) and validation (§3.2.2.1)

// Octet string to point with the public-key checks of §3.2.2.1 (coordinates below p, on the curve,
// not infinity; the cofactor is 1 so no order check is needed). Accepts 04||X||Y and 02/03||X.
// Not constant time: public keys are public.
template <class C>
CryptoError point_decode(Point<C>& out, Bytes in) {
    constexpr std::size_t size = C::bits / 8;
    Fe<C> x, y;
    if (in.size() == 1 + 2 * size && in[0] == 0x04) {
        if (!fe_from_bytes(x, in.data() + 1) || !fe_from_bytes(y, in.data() + 1 + size))
            return CryptoError::invalid_point;
        if (!fe_equal(fe_sqr(y), curve_rhs(x))) return CryptoError::invalid_point;
    } else if (in.size() == 1 + size && (in[0] == 0x02 || in[0] == 0x03)) {
        if (!fe_from_bytes(x, in.data() + 1)) return CryptoError::invalid_point;
        // §2.3.4 step 2.4.1: beta = alpha^((p+1)/4) is a square root of alpha when one exists.
        Fe<C> alpha = curve_rhs(x);
        Fe<C> beta = fe_pow(alpha, Consts<C>::p_plus_1_over_4);
        if (!fe_equal(fe_sqr(beta), alpha)) return CryptoError::invalid_point;
        y = fe_is_odd(beta) == unsigned(in[0] & 1) ? beta : fe_neg(beta);
        // y = 0 would need the other parity too; no point has y = 0 (odd prime order).
    } else {
        // Includes the one-byte encoding 00 of the point at infinity and the hybrid forms 06/07.
        return CryptoError::invalid_point;
    }
    out = Point<C>{x, y, Consts<C>::one};
    return CryptoError::ok;
}

// Uncompressed (1 + 2·bits/8 bytes) and compressed (1 + bits/8) encodings; false for infinity.
template <class C>
bool point_encode(std::uint8_t* out, const Point<C>& p) {
    Fe<C> x, y;
    bool finite = point_to_affine(x, y, p);
    out[0] = 0x04;
    fe_to_bytes(out + 1, x);
    fe_to_bytes(out + 1 + C::bits / 8, y);
    return finite;
}

template <class C>
bool point_encode_compressed(std::uint8_t* out, const Point<C>& p) {
    Fe<C> x, y;
    bool finite = point_to_affine(x, y, p);
    out[0] = std::uint8_t(0x02 | fe_is_odd(y));
    fe_to_bytes(out + 1, x);
    return finite;
}

// The affine x-coordinate, big-endian; false for the point at infinity.
template <class C>
bool point_x_bytes(std::uint8_t* out, const Point<C>& p) {
    Fe<C> x, y;
    bool finite = point_to_affine(x, y, p);
    fe_to_bytes(out, x);
    secure_zero(x);  // the ECDH shared secret
    secure_zero(y);
    return finite;
}

// ---------------------------------------------------------------------------------------------
// Scalar multiplication

// k·P for a valid point P, constant time in k and P. Fixed signed 4-bit windows, most significant
// first: bits/4 x (4 doublings + 1 addition of a table entry chosen by scanning the whole table),
// in Jacobian coordinates. The additions' exceptional cases are selected around with masks:
//  - acc or the entry is infinity (leading zero digits, a zero digit): take the other one;
//  - acc = entry, which can happen only at the last addition. Before adding digit d_i the
//    accumulator is m·P with m = (k - r)/16^i, where r = sum_{j<=i} d_j 16^j and |r| < 16^(i+1)/1.8.
//    For i >= 1 that puts m in [0, n/16 + 9), a multiple of 16, so m = ±d_i (mod n) with
//    1 <= |d_i| <= 8 is impossible; for i = 0 it happens when k = 2 d_0 (mod n), so the last
//    addition also computes 2·entry and takes it when the inputs were equal.
template <class C>
void point_mul(Point<C>& r, const Point<C>& p, const Scalar<C>& k) {
    constexpr int w = C::bits / 4;
    Jacobian<C> table[8];
    Limb same;  // table entries j·P + P never have equal inputs (1 <= j < 8 < n - 1)
    table[0] = to_jacobian(p);
    jacobian_double(table[1], table[0]);
    for (int j = 2; j < 8; j++) jacobian_add(table[j], table[j - 1], table[0], same);

    std::int8_t digits[w + 1];
    recode_signed4(digits, k);
    Jacobian<C> acc = lookup_jacobian(table, digits[w]);
    Jacobian<C> entry, sum, doubled;  // these give the digits away: wiped below
    for (int i = w - 1; i >= 0; i--) {
        for (int s = 0; s < 4; s++) jacobian_double(acc, acc);
        entry = lookup_jacobian(table, digits[i]);
        jacobian_add(sum, acc, entry, same);
        if (i == 0) {  // public: the loop position
            jacobian_double(doubled, entry);
            jacobian_cmov(sum, doubled, same);
        }
        jacobian_cmov(sum, entry, fe_zero_mask(acc.z));
        jacobian_cmov(sum, acc, fe_zero_mask(entry.z));
        acc = sum;
    }
    r = from_jacobian(acc);
    secure_zero(acc);
    secure_zero(entry);
    secure_zero(sum);
    secure_zero(doubled);
    secure_zero(same);
    secure_zero(digits);
    secure_zero(table);
}

// Width-5 NAF of k (Hankerson–Menezes–Vanstone, Guide to ECC, Algorithm 3.35): k = sum d_i 2^i
// with every nonzero d_i odd in [-15, 15] and followed by at least four zeros, so about one digit
// in six is nonzero. Only the nonzero digits are kept, lowest first, each as i·32 + (d_i + 16) in
// 16 bits (the stack of the firmware build is budgeted): at most ceil((bits + 1) / 5) of them.
// Returns their number. Variable time: public k only.
template <class C>
inline constexpr int wnaf_max_digits = C::bits / 5 + 2;

template <class C>
int recode_wnaf5(std::uint16_t* digits, const Scalar<C>& k) {
    constexpr int L = C::limbs;
    Limb v[L + 1];
    for (int i = 0; i < L; i++) v[i] = k.v[i];
    v[L] = 0;
    int count = 0;
    for (int position = 0;; position++) {
        Limb any = 0;
        for (int i = 0; i <= L; i++) any |= v[i];
        if (any == 0) return count;
        if ((v[0] & 1) != 0) {
            int d = int(v[0] & 31);
            if (d >= 16) d -= 32;
            // v -= d: subtract a small positive or add a small negative digit, with the carry.
            if (d > 0) {
                Limb borrow = Limb(d);
                for (int i = 0; i <= L && borrow != 0; i++) {
                    Limb before = v[i];
                    v[i] = before - borrow;
                    borrow = Limb(before < borrow);
                }
            } else {
                Limb carry = Limb(-d);
                for (int i = 0; i <= L && carry != 0; i++) {
                    v[i] += carry;
                    carry = Limb(v[i] < carry);
                }
            }
            digits[count++] = std::uint16_t(position * 32 + d + 16);
        }
        for (int i = 0; i < L; i++) v[i] = (v[i] >> 1) | Limb(v[i + 1] << (limb_bits - 1));
        v[L] >>= 1;
    }
}

// table[j] = (2j + 1)·P for j = 0..7 (Jacobian). Exception-free: (2j + 1)P + 2P with 2j + 1 != 2.
template <class C>
void odd_multiples(Jacobian<C> table[8], const Jacobian<C>& p) {
    Jacobian<C> twice;
    Limb same;
    table[0] = p;
    jacobian_double(twice, p);
    for (int j = 1; j < 8; j++) jacobian_add(table[j], table[j - 1], twice, same);
}

// acc + d·P for an odd digit d and the table of odd multiples of P (Jacobian), any acc. A negative
// digit is added as -(-acc + |d|·P), which needs no copy of the entry. Variable time: public
// inputs only.
template <class C>
void add_digit(Jacobian<C>& acc, const Jacobian<C> table[8], int d) {
    const Jacobian<C>& entry = table[(d < 0 ? -d : d) >> 1];
    if (d < 0) acc.y = fe_neg(acc.y);
    if (fe_zero_mask(acc.z) != 0) {
        acc = entry;
    } else {
        Limb same;
        jacobian_add(acc, acc, entry, same);
        if (same != 0) jacobian_double(acc, entry);
    }
    if (d < 0) acc.y = fe_neg(acc.y);
}

// u1·G + u2·Q for signature verification by interleaving (Straus–Shamir): one chain of doublings,
// with the width-5 NAF digits of both scalars added in from two tables of odd multiples of G and Q
// built on the stack. Verification handles only public values, so this is variable time: a digit
// picks its entry directly, zero digits add nothing, and the exceptional cases of the Jacobian
// addition are branched around. Sharing the doublings makes it as fast as a fixed-base comb plus
// one point_mul, and it links no fixed-base table.
// A curve may bring its own (static C::point_mul2, the same contract).
template <class C>
void point_mul2(Point<C>& r, const Scalar<C>& u1, const Scalar<C>& u2, const Point<C>& q) {
    if constexpr (requires { C::point_mul2(r, u1, u2, q); }) {
        C::point_mul2(r, u1, u2, q);
        return;
    }
    Jacobian<C> g_table[8], q_table[8];
    odd_multiples(g_table, Jacobian<C>{Consts<C>::gx, Consts<C>::gy, Consts<C>::one});
    odd_multiples(q_table, to_jacobian(q));
    std::uint16_t g_digits[wnaf_max_digits<C>], q_digits[wnaf_max_digits<C>];
    int g_next = recode_wnaf5(g_digits, u1) - 1, q_next = recode_wnaf5(q_digits, u2) - 1;
    int top = -1;
    if (g_next >= 0) top = g_digits[g_next] >> 5;
    if (q_next >= 0) top = std::max(top, int(q_digits[q_next] >> 5));
    Jacobian<C> acc{Consts<C>::one, Consts<C>::one, Fe<C>{}};
    for (int i = top; i >= 0; i--) {
        jacobian_double(acc, acc);
        if (g_next >= 0 && (g_digits[g_next] >> 5) == i) add_digit(acc, g_table, int(g_digits[g_next--] & 31) - 16);
        if (q_next >= 0 && (q_digits[q_next] >> 5) == i) add_digit(acc, q_table, int(q_digits[q_next--] & 31) - 16);
    }
    r = from_jacobian(acc);
}

// ---------------------------------------------------------------------------------------------
// ECDSA pieces shared by the curves (FIPS 186-5 §6.4)

// bits2int (RFC 6979 §2.3.2, FIPS 186-5 §6.4.1 step 3) for qlen = bits: the leftmost `bits` bits
// of the digest as a big-endian integer, then reduced mod n; its octets are bits2octets (§2.3.4).
template <class C>
void digest_to_scalar(Scalar<C>& e, Bytes digest) {
    constexpr std::size_t size = C::bits / 8;
    std::uint8_t z[size] = {};
    std::size_t take = std::min<std::size_t>(digest.size(), size);
    std::copy_n(digest.begin(), take, z + size - take);
    scalar_from_bytes_reduced(e, z);
}

// An unsigned big-endian integer of any length as a scalar in [1, n-1] (§6.4.2 step 1).
template <class C>
bool signature_scalar(Scalar<C>& out, Bytes magnitude) {
    constexpr std::size_t size = C::bits / 8;
    while (!magnitude.empty() && magnitude[0] == 0) magnitude = magnitude.subspan(1);  // public data
    if (magnitude.size() > size) return false;
    std::uint8_t buf[size] = {};
    std::copy(magnitude.begin(), magnitude.end(), buf + size - magnitude.size());
    return scalar_from_bytes(out, buf);
}

// §6.4.2 verification of (r, s) on a digest under the SEC 1 encoded public key `pub`, validated
// here. Returns ok, invalid_point or invalid_signature. Variable time (public data).
template <class C>
CryptoError ecdsa_verify_digest(Bytes pub, Bytes digest, Bytes r_bytes, Bytes s_bytes) {
    Point<C> q;
    if (CryptoError err = point_decode(q, pub); err != CryptoError::ok) return err;
    Scalar<C> r, s;
    if (!signature_scalar(r, r_bytes) || !signature_scalar(s, s_bytes)) return CryptoError::invalid_signature;
    Scalar<C> e, w, u1, u2;
    digest_to_scalar(e, digest);  // steps 2-3
    scalar_inv(w, s);             // step 4
    scalar_mul(u1, e, w);         // step 5
    scalar_mul(u2, r, w);
    Point<C> big_r;
    point_mul2(big_r, u1, u2, q);  // step 6: R = u1·G + u2·Q
    if (fe_zero_mask(big_r.z) != 0) return CryptoError::invalid_signature;  // step 7: R = O
    // Steps 8-9, v = x_R mod n = r, without the inversion to affine: x_R = X/Z is below p < 2n,
    // so v = r exactly when x_R = r, or x_R = r + n where r + n < p; each is X = x·Z.
    constexpr int L = C::limbs;
    Fe<C> candidate;
    Limb plain[L], above_p[L];
    mont_mul<L>(candidate.v, r.v, Consts<C>::P.rr, Consts<C>::P);  // r < n < p: a field element
    if (fe_equal(fe_mul(candidate, big_r.z), big_r.x)) return CryptoError::ok;
    if (add_limbs<L>(plain, r.v, Consts<C>::N.m) != 0 || sub_limbs<L>(above_p, plain, Consts<C>::P.m) == 0)
        return CryptoError::invalid_signature;  // r + n >= p is no x-coordinate
    mont_mul<L>(candidate.v, plain, Consts<C>::P.rr, Consts<C>::P);
    return fe_equal(fe_mul(candidate, big_r.z), big_r.x) ? CryptoError::ok : CryptoError::invalid_signature;
}

}  // namespace padlock::ec
