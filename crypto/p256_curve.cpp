// SPDX-License-Identifier: Apache-2.0
// NIST P-256 group arithmetic (FIPS 186-5; curve constants from SP 800-186 §3.2.1.3): Montgomery
// arithmetic mod p and mod n, the Renes–Costello–Batina complete formulas (eprint 2015/1060,
// Algorithms 4, 5 and 6 for a = -3), and fixed-window scalar multiplication.
//
// Implementation notes
//  - Every value is fully reduced ([0, m)) between operations.
//  - Secret-dependent choices are made with masks (all-ones / all-zero limbs) derived arithmetically
//    from carries and borrows, never with branches or secret table indexes.
//  - The complete formulas have no exceptional cases (doubling, infinity, P + -P), so the scalar
//    multiplications need no special-case handling at all.
#include "crypto/p256_curve.hpp"

#include "crypto/ct.hpp"
#include "crypto/endian.hpp"

#include <type_traits>

namespace padlock::p256 {
namespace {

// ---------------------------------------------------------------------------------------------
// Multi-limb integers (arrays of `limbs` limbs, least significant first)

// r = a + b; returns the carry out (0 or 1). Carries are computed with single-limb compares, a
// form both GCC and Clang turn into add-with-carry chains.
constexpr Limb add_limbs(Limb* r, const Limb* a, const Limb* b) {
    Limb carry = 0;
    for (int i = 0; i < limbs; i++) {
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
constexpr Limb sub_limbs(Limb* r, const Limb* a, const Limb* b) {
    Limb borrow = 0;
    for (int i = 0; i < limbs; i++) {
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
constexpr void select_limbs(Limb* r, Limb mask, const Limb* a, const Limb* b) {
    for (int i = 0; i < limbs; i++) r[i] = opaque(b[i] ^ (mask & (a[i] ^ b[i])));
}

// A 256-bit constant from 64 hex digits, written as in the standards.
struct Const256 {
    Limb v[limbs];
};
constexpr Const256 from_hex(const char (&hex)[65]) {
    Const256 r{};
    for (int i = 0; i < 64; i++) {
        char c = hex[63 - i];
        int nibble = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
        r.v[i * 4 / limb_bits] |= Limb(nibble) << (i * 4 % limb_bits);
    }
    return r;
}

void load_be(Limb* r, const std::uint8_t* in) {
    for (int i = 0; i < limbs; i++) {
        const std::uint8_t* p = in + 32 - (i + 1) * int(sizeof(Limb));
        if constexpr (sizeof(Limb) == 8)
            r[i] = load_be64(p);
        else
            r[i] = load_be32(p);
    }
}

void store_be(std::uint8_t* out, const Limb* a) {
    for (int i = 0; i < limbs; i++) {
        std::uint8_t* p = out + 32 - (i + 1) * int(sizeof(Limb));
        if constexpr (sizeof(Limb) == 8)
            store_be64(p, a[i]);
        else
            store_be32(p, Limb(a[i]));
    }
}

// ---------------------------------------------------------------------------------------------
// Montgomery arithmetic modulo an odd 256-bit m > 2^255, with R = 2^256.

struct Modulus {
    Limb m[limbs];
    Limb m0inv;     // -m^-1 mod 2^limb_bits
    Limb one[limbs];  // R mod m: 1 in Montgomery form
    Limb rr[limbs];   // R^2 mod m: converts into Montgomery form
};

constexpr Modulus make_modulus(const Const256& m) {
    Modulus M{};
    for (int i = 0; i < limbs; i++) M.m[i] = m.v[i];
    // Newton's iteration x <- x(2 - m0 x) doubles the number of correct low bits of m0^-1;
    // x = m0 is already right to 3 bits for odd m0.
    Limb inv = M.m[0];
    for (int i = 0; i < 5; i++) inv = Limb(inv * Limb(2 - M.m[0] * inv));
    M.m0inv = Limb(0) - inv;
    // R mod m = 2^256 - m, as m > 2^255.
    Limb zero[limbs] = {};
    sub_limbs(M.one, zero, M.m);
    // R^2 mod m: double R mod m another 256 times.
    for (int i = 0; i < limbs; i++) M.rr[i] = M.one[i];
    for (int k = 0; k < 256; k++) {
        Limb t[limbs] = {}, u[limbs] = {};
        Limb carry = add_limbs(t, M.rr, M.rr);
        Limb borrow = sub_limbs(u, t, M.m);
        select_limbs(M.rr, Limb(0) - Limb(carry | (borrow ^ 1)), u, t);
    }
    return M;
}

// r = a + b mod m.
constexpr void mod_add(Limb* r, const Limb* a, const Limb* b, const Modulus& M) {
    Limb t[limbs] = {}, u[limbs] = {};
    Limb carry = add_limbs(t, a, b);
    Limb borrow = sub_limbs(u, t, M.m);
    // a + b - m is the answer when a + b overflowed 2^256 or did not go below m.
    select_limbs(r, Limb(0) - Limb(carry | (borrow ^ 1)), u, t);
}

// r = a - b mod m.
constexpr void mod_sub(Limb* r, const Limb* a, const Limb* b, const Modulus& M) {
    Limb t[limbs] = {}, u[limbs] = {};
    Limb borrow = sub_limbs(t, a, b);
    add_limbs(u, t, M.m);
    select_limbs(r, Limb(0) - borrow, u, t);
}

// r = a·b·R^-1 mod m (coarsely integrated operand scanning, CIOS). Inputs below m; output below m.
constexpr void mont_mul(Limb* r, const Limb* a, const Limb* b, const Modulus& M) {
    Limb t[limbs + 2] = {};
    for (int i = 0; i < limbs; i++) {
        // t += a · b[i]
        Limb carry = 0;
        for (int j = 0; j < limbs; j++) {
            Wide s = Wide(a[j]) * b[i] + t[j] + carry;
            t[j] = Limb(s);
            carry = Limb(s >> limb_bits);
        }
        Wide s = Wide(t[limbs]) + carry;
        t[limbs] = Limb(s);
        t[limbs + 1] = Limb(s >> limb_bits);
        // t = (t + q·m) / 2^limb_bits, with q chosen so the low limb cancels.
        Limb q = Limb(t[0] * M.m0inv);
        s = Wide(q) * M.m[0] + t[0];
        carry = Limb(s >> limb_bits);
        for (int j = 1; j < limbs; j++) {
            s = Wide(q) * M.m[j] + t[j] + carry;
            t[j - 1] = Limb(s);
            carry = Limb(s >> limb_bits);
        }
        s = Wide(t[limbs]) + carry;
        t[limbs - 1] = Limb(s);
        t[limbs] = Limb(t[limbs + 1] + Limb(s >> limb_bits));
    }
    // Now t < 2m: subtract m once if t >= m.
    Limb u[limbs] = {};
    Limb borrow = sub_limbs(u, t, M.m);
    select_limbs(r, Limb(0) - Limb(t[limbs] | (borrow ^ 1)), u, t);
}

// r = a^e for a public exponent e (Montgomery form in and out), 4-bit fixed windows. The sequence
// of operations depends only on e, so this is constant time in a.
constexpr void mont_pow(Limb* r, const Limb* a, const Limb* e, const Modulus& M) {
    Limb table[16][limbs];
    for (int i = 0; i < limbs; i++) table[0][i] = M.one[i];
    for (int k = 1; k < 16; k++) mont_mul(table[k], table[k - 1], a, M);
    Limb acc[limbs];
    for (int i = 0; i < limbs; i++) acc[i] = M.one[i];
    for (int w = 63; w >= 0; w--) {
        for (int k = 0; k < 4; k++) mont_mul(acc, acc, acc, M);
        unsigned nibble = unsigned(e[w * 4 / limb_bits] >> (w * 4 % limb_bits)) & 15;
        mont_mul(acc, acc, table[nibble], M);  // index from the public exponent
    }
    for (int i = 0; i < limbs; i++) r[i] = acc[i];
    if (!std::is_constant_evaluated()) {
        secure_zero(table);  // powers of a secret (a nonce, a point's Z) when inverting
        secure_zero(acc);
    }
}

// ---------------------------------------------------------------------------------------------
// Curve constants, SP 800-186 §3.2.1.3 (P-256).

constexpr Const256 p_hex = from_hex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
constexpr Const256 n_hex = from_hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
constexpr Const256 b_hex = from_hex("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b");
constexpr Const256 gx_hex = from_hex("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296");
constexpr Const256 gy_hex = from_hex("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5");
// Exponents: p - 2 and n - 2 (Fermat inversion), (p + 1) / 4 (square root, as p = 3 mod 4).
constexpr Const256 p_minus_2 = from_hex("ffffffff00000001000000000000000000000000fffffffffffffffffffffffd");
constexpr Const256 n_minus_2 = from_hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc63254f");
constexpr Const256 p_plus_1_over_4 =
    from_hex("3fffffffc0000000400000000000000000000000400000000000000000000000");

constexpr Modulus P = make_modulus(p_hex);
constexpr Modulus N = make_modulus(n_hex);

// The exponents above are written out for the reader; check them against p and n.
constexpr bool is_sum(const Const256& a, Limb small, const Const256& expected) {
    Limb b[limbs] = {small}, r[limbs] = {};
    add_limbs(r, a.v, b);
    for (int i = 0; i < limbs; i++)
        if (r[i] != expected.v[i]) return false;
    return true;
}
constexpr Const256 times_4(const Const256& a) {
    Const256 r{};
    for (int i = 0; i < limbs; i++) r.v[i] = Limb(a.v[i] << 2) | (i ? a.v[i - 1] >> (limb_bits - 2) : 0);
    return r;
}
static_assert(is_sum(p_minus_2, 2, p_hex) && is_sum(n_minus_2, 2, n_hex));
static_assert(is_sum(p_hex, 1, times_4(p_plus_1_over_4)));
static_assert(Limb(P.m[0] * P.m0inv) == Limb(~Limb(0)) && Limb(N.m[0] * N.m0inv) == Limb(~Limb(0)));
constexpr Const256 plain_one = from_hex("0000000000000000000000000000000000000000000000000000000000000001");

constexpr Fe to_mont_const(const Const256& a) {
    Fe r{};
    mont_mul(r.v, a.v, P.rr, P);
    return r;
}
constexpr Fe fe_one = to_mont_const(plain_one);
constexpr Fe curve_b = to_mont_const(b_hex);
constexpr Fe gen_x = to_mont_const(gx_hex);
constexpr Fe gen_y = to_mont_const(gy_hex);

// ---------------------------------------------------------------------------------------------
// Field elements mod p (Montgomery form). Constant time.

constexpr Fe fe_mul(const Fe& a, const Fe& b) {
    Fe r;
    mont_mul(r.v, a.v, b.v, P);
    return r;
}
constexpr Fe fe_sqr(const Fe& a) { return fe_mul(a, a); }
constexpr Fe fe_add(const Fe& a, const Fe& b) {
    Fe r;
    mod_add(r.v, a.v, b.v, P);
    return r;
}
constexpr Fe fe_sub(const Fe& a, const Fe& b) {
    Fe r;
    mod_sub(r.v, a.v, b.v, P);
    return r;
}
constexpr Fe fe_neg(const Fe& a) { return fe_sub(Fe{}, a); }
constexpr void fe_cmov(Fe& r, const Fe& a, Limb mask) { select_limbs(r.v, mask, a.v, r.v); }

// a^-1 = a^(p-2) (Fermat); the inverse of 0 comes out as 0.
constexpr Fe fe_inv(const Fe& a) {
    Fe r;
    mont_pow(r.v, a.v, p_minus_2.v, P);
    return r;
}

// Loads a big-endian value; false if it is not below p. Converts into Montgomery form.
bool fe_from_bytes(Fe& r, const std::uint8_t* in) {
    Limb t[limbs], u[limbs];
    load_be(t, in);
    bool below_p = sub_limbs(u, t, P.m) == 1;
    mont_mul(r.v, t, P.rr, P);
    return below_p;
}

void fe_to_bytes(std::uint8_t* out, const Fe& a) {
    Limb t[limbs];
    mont_mul(t, a.v, plain_one.v, P);  // leaves Montgomery form
    store_be(out, t);
    secure_zero(t);  // may be an ECDH shared secret
}

constexpr bool fe_equal(const Fe& a, const Fe& b) {
    Limb diff = 0;
    for (int i = 0; i < limbs; i++) diff |= a.v[i] ^ b.v[i];
    return diff == 0;
}

// Parity of the integer (not of its Montgomery form).
unsigned fe_is_odd(const Fe& a) {
    Limb t[limbs];
    mont_mul(t, a.v, plain_one.v, P);
    return unsigned(t[0] & 1);
}

// y^2 = x^3 - 3x + b, the right-hand side of the curve equation (SP 800-186 §3.2.1.3).
Fe curve_rhs(const Fe& x) {
    Fe x3 = fe_mul(fe_sqr(x), x);
    Fe three_x = fe_add(fe_add(x, x), x);
    return fe_add(fe_sub(x3, three_x), curve_b);
}

// ---------------------------------------------------------------------------------------------
// Points: the complete formulas of Renes–Costello–Batina for a = -3. Step comments number the
// lines of the paper's algorithms. Constant time; the output may alias an input. Never inlined: as
// calls they are as fast (each is dozens of multiplications) and the code stays small; constexpr,
// which implies inline, would otherwise invite GCC to copy them into every loop.

constexpr Point infinity() { return Point{Fe{}, fe_one, Fe{}}; }

// Algorithm 4: P + Q in projective coordinates (12M + 2m_b).
[[gnu::noinline]] constexpr Point point_add(const Point& p, const Point& q) {
    const Fe &X1 = p.x, &Y1 = p.y, &Z1 = p.z, &X2 = q.x, &Y2 = q.y, &Z2 = q.z;
    Fe t0 = fe_mul(X1, X2);                  // 1
    Fe t1 = fe_mul(Y1, Y2);                  // 2
    Fe t2 = fe_mul(Z1, Z2);                  // 3
    Fe t3 = fe_add(X1, Y1);                  // 4
    Fe t4 = fe_add(X2, Y2);                  // 5
    t3 = fe_mul(t3, t4);                     // 6
    t4 = fe_add(t0, t1);                     // 7
    t3 = fe_sub(t3, t4);                     // 8
    t4 = fe_add(Y1, Z1);                     // 9
    Fe X3 = fe_add(Y2, Z2);                  // 10
    t4 = fe_mul(t4, X3);                     // 11
    X3 = fe_add(t1, t2);                     // 12
    t4 = fe_sub(t4, X3);                     // 13
    X3 = fe_add(X1, Z1);                     // 14
    Fe Y3 = fe_add(X2, Z2);                  // 15
    X3 = fe_mul(X3, Y3);                     // 16
    Y3 = fe_add(t0, t2);                     // 17
    Y3 = fe_sub(X3, Y3);                     // 18
    Fe Z3 = fe_mul(curve_b, t2);             // 19
    X3 = fe_sub(Y3, Z3);                     // 20
    Z3 = fe_add(X3, X3);                     // 21
    X3 = fe_add(X3, Z3);                     // 22
    Z3 = fe_sub(t1, X3);                     // 23
    X3 = fe_add(t1, X3);                     // 24
    Y3 = fe_mul(curve_b, Y3);                // 25
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
    return Point{X3, Y3, Z3};
}

// An affine point (x, y), never infinity: the entries of the generator table.
struct Affine {
    Fe x, y;
};

// Algorithm 5: P + Q for an affine Q (Z2 = 1) (11M + 2m_b). Complete for every P; Q cannot be
// infinity, which the caller handles.
[[gnu::noinline]] Point point_add_affine(const Point& p, const Affine& q) {
    const Fe &X1 = p.x, &Y1 = p.y, &Z1 = p.z, &X2 = q.x, &Y2 = q.y;
    Fe t0 = fe_mul(X1, X2);                  // 1
    Fe t1 = fe_mul(Y1, Y2);                  // 2
    Fe t3 = fe_add(X2, Y2);                  // 3
    Fe t4 = fe_add(X1, Y1);                  // 4
    t3 = fe_mul(t3, t4);                     // 5
    t4 = fe_add(t0, t1);                     // 6
    t3 = fe_sub(t3, t4);                     // 7
    t4 = fe_mul(Y2, Z1);                     // 8
    t4 = fe_add(t4, Y1);                     // 9
    Fe Y3 = fe_mul(X2, Z1);                  // 10
    Y3 = fe_add(Y3, X1);                     // 11
    Fe Z3 = fe_mul(curve_b, Z1);             // 12
    Fe X3 = fe_sub(Y3, Z3);                  // 13
    Z3 = fe_add(X3, X3);                     // 14
    X3 = fe_add(X3, Z3);                     // 15
    Z3 = fe_sub(t1, X3);                     // 16
    X3 = fe_add(t1, X3);                     // 17
    Y3 = fe_mul(curve_b, Y3);                // 18
    t1 = fe_add(Z1, Z1);                     // 19
    Fe t2 = fe_add(t1, Z1);                  // 20
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
    return Point{X3, Y3, Z3};
}

// Algorithm 6: 2P (8M + 3S + 2m_b).
[[gnu::noinline]] constexpr Point point_double(const Point& p) {
    const Fe &X = p.x, &Y = p.y, &Z = p.z;
    Fe t0 = fe_sqr(X);                       // 1
    Fe t1 = fe_sqr(Y);                       // 2
    Fe t2 = fe_sqr(Z);                       // 3
    Fe t3 = fe_mul(X, Y);                    // 4
    t3 = fe_add(t3, t3);                     // 5
    Fe Z3 = fe_mul(X, Z);                    // 6
    Z3 = fe_add(Z3, Z3);                     // 7
    Fe Y3 = fe_mul(curve_b, t2);             // 8
    Y3 = fe_sub(Y3, Z3);                     // 9
    Fe X3 = fe_add(Y3, Y3);                  // 10
    Y3 = fe_add(X3, Y3);                     // 11
    X3 = fe_sub(t1, Y3);                     // 12
    Y3 = fe_add(t1, Y3);                     // 13
    Y3 = fe_mul(X3, Y3);                     // 14
    X3 = fe_mul(X3, t3);                     // 15
    t3 = fe_add(t2, t2);                     // 16
    t2 = fe_add(t2, t3);                     // 17
    Z3 = fe_mul(curve_b, Z3);                // 18
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
    return Point{X3, Y3, Z3};
}

void point_cmov(Point& r, const Point& a, Limb mask) {
    fe_cmov(r.x, a.x, mask);
    fe_cmov(r.y, a.y, mask);
    fe_cmov(r.z, a.z, mask);
}

// Affine coordinates (Montgomery form); false for infinity. Constant time apart from that answer.
constexpr bool point_to_affine(Fe& x, Fe& y, const Point& p) {
    Fe zinv = fe_inv(p.z);
    x = fe_mul(p.x, zinv);
    y = fe_mul(p.y, zinv);
    return !fe_equal(p.z, Fe{});
}

// ---------------------------------------------------------------------------------------------
// Scalar recoding: k = sum d_i 16^i with d_0..d_63 in [-8, 7] and d_64 in {0, 1}. Signed digits
// halve the tables; the digit arithmetic is branch-free.

void recode_signed4(std::int8_t digits[65], const Scalar& k) {
    unsigned carry = 0;
    for (int i = 0; i < 64; i++) {
        unsigned d = unsigned(k.v[i * 4 / limb_bits] >> (i * 4 % limb_bits)) & 15;
        d += carry;                   // 0..16
        carry = (d + 8) >> 4;         // 1 iff d >= 8
        digits[i] = std::int8_t(int(d) - int(carry << 4));
    }
    digits[64] = std::int8_t(carry);
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

// table[j] = (j+1)·P for j = 0..7. Returns d·P by scanning every entry.
Point lookup_projective(const Point table[8], std::int8_t d) {
    unsigned abs;
    Limb negative;
    digit_abs(d, abs, negative);
    Point r = infinity();
    for (unsigned j = 0; j < 8; j++) point_cmov(r, table[j], limb_mask(ct::mask_eq(abs, j + 1)));
    fe_cmov(r.y, fe_neg(r.y), negative);
    return r;
}

// table[j] = (j+1)·B for j = 0..7. Writes |d|·B (B for d = 0, which the caller discards) with
// the sign of d applied, scanning every entry; returns an all-ones mask if d == 0.
Limb lookup_affine(Affine& r, const Affine table[8], std::int8_t d) {
    unsigned abs;
    Limb negative;
    digit_abs(d, abs, negative);
    r = table[0];
    for (unsigned j = 1; j < 8; j++) {
        Limb m = limb_mask(ct::mask_eq(abs, j + 1));
        fe_cmov(r.x, table[j].x, m);
        fe_cmov(r.y, table[j].y, m);
    }
    fe_cmov(r.y, fe_neg(r.y), negative);
    return limb_mask(ct::mask_zero(abs));
}

// ---------------------------------------------------------------------------------------------
// Fixed-base table for k·G. With k = sum d_i 16^i and i = 4c + e (c = 0..16, e = 0..3):
//   k·G = sum_e 16^e · sum_c d_{4c+e} · (2^(16c) G),
// so a table of j·2^(16c)·G (j = 1..8) turns k·G into 65 mixed additions and 12 doublings.
// 17 x 8 affine points = 8.5 KiB, computed by the compiler into constant data (flash on a
// microcontroller): no RAM, nothing to build at run time.

struct BaseTable {
    Affine entry[17][8];
};

// The multiples in projective form first, then all of them made affine with one inversion
// (Montgomery's trick: with prefix products z_0···z_k, 1/z_k = (z_0···z_k)^-1 · z_0···z_(k-1)), which
// keeps the compile-time evaluation within the compilers' default step limits.
constexpr BaseTable make_base_table() {
    constexpr int count = 17 * 8;
    Point multiples[count] = {};
    Point column = Point{gen_x, gen_y, fe_one};  // 2^(16c)·G
    for (int c = 0; c < 17; c++) {
        Point multiple = column;
        for (int j = 0; j < 8; j++) {
            if (j == 1) multiple = point_double(column);
            if (j > 1) multiple = point_add(multiple, column);
            multiples[8 * c + j] = multiple;  // never infinity: the odd prime n does not divide j·2^(16c)
        }
        for (int k = 0; k < 16; k++) column = point_double(column);
    }
    Fe prefix[count] = {};
    prefix[0] = multiples[0].z;
    for (int k = 1; k < count; k++) prefix[k] = fe_mul(prefix[k - 1], multiples[k].z);
    Fe inverse = fe_inv(prefix[count - 1]);  // (z_0···z_k)^-1, for k from the last one down
    BaseTable table{};
    for (int k = count - 1; k >= 0; k--) {
        const Fe z_inv = k == 0 ? inverse : fe_mul(inverse, prefix[k - 1]);
        inverse = fe_mul(inverse, multiples[k].z);
        table.entry[k / 8][k % 8] = Affine{fe_mul(multiples[k].x, z_inv), fe_mul(multiples[k].y, z_inv)};
    }
    return table;
}

constexpr BaseTable base_table = make_base_table();

}  // namespace

// ---------------------------------------------------------------------------------------------
// Scalars

bool scalar_from_bytes(Scalar& out, std::span<const std::uint8_t, 32> in) {
    load_be(out.v, in.data());
    Limb u[limbs];
    Limb below_n = sub_limbs(u, out.v, N.m);  // 1 iff value < n
    Limb any = 0;
    for (int i = 0; i < limbs; i++) any |= out.v[i];
    return (ct::mask_nonzero(any) & (Limb(0) - below_n)) != 0;
}

void scalar_from_bytes_reduced(Scalar& out, std::span<const std::uint8_t, 32> in) {
    Limb t[limbs], u[limbs];
    load_be(t, in.data());
    Limb borrow = sub_limbs(u, t, N.m);
    select_limbs(out.v, Limb(0) - borrow, t, u);
}

void scalar_to_bytes(std::span<std::uint8_t, 32> out, const Scalar& a) { store_be(out.data(), a.v); }

void scalar_add(Scalar& r, const Scalar& a, const Scalar& b) { mod_add(r.v, a.v, b.v, N); }

void scalar_mul(Scalar& r, const Scalar& a, const Scalar& b) {
    Limb t[limbs];
    mont_mul(t, a.v, b.v, N);     // a·b·R^-1
    mont_mul(r.v, t, N.rr, N);    // ·R^2·R^-1 = a·b
}

void scalar_inv(Scalar& r, const Scalar& a) {
    Limb am[limbs], t[limbs];
    mont_mul(am, a.v, N.rr, N);   // into Montgomery form
    mont_pow(t, am, n_minus_2.v, N);
    mont_mul(r.v, t, plain_one.v, N);  // and back out
    secure_zero(am);
    secure_zero(t);
}

bool scalar_is_zero(const Scalar& a) {
    Limb any = 0;
    for (int i = 0; i < limbs; i++) any |= a.v[i];
    return ct::mask_zero(any) != 0;
}

bool scalar_equal(const Scalar& a, const Scalar& b) {
    Limb diff = 0;
    for (int i = 0; i < limbs; i++) diff |= a.v[i] ^ b.v[i];
    return ct::mask_zero(diff) != 0;
}

// ---------------------------------------------------------------------------------------------
// Point encoding (SEC 1 §2.3.3, §2.3.4) and validation (§3.2.2.1)

Error point_decode(Point& out, Bytes in) {
    Fe x, y;
    if (in.size() == 65 && in[0] == 0x04) {
        if (!fe_from_bytes(x, in.data() + 1) || !fe_from_bytes(y, in.data() + 33)) return Error::invalid_point;
        if (!fe_equal(fe_sqr(y), curve_rhs(x))) return Error::invalid_point;
    } else if (in.size() == 33 && (in[0] == 0x02 || in[0] == 0x03)) {
        if (!fe_from_bytes(x, in.data() + 1)) return Error::invalid_point;
        // §2.3.4 step 2.4.1: beta = alpha^((p+1)/4) is a square root of alpha when one exists.
        Fe alpha = curve_rhs(x);
        Fe beta;
        mont_pow(beta.v, alpha.v, p_plus_1_over_4.v, P);
        if (!fe_equal(fe_sqr(beta), alpha)) return Error::invalid_point;
        y = fe_is_odd(beta) == unsigned(in[0] & 1) ? beta : fe_neg(beta);
        // y = 0 would need the other parity too; no P-256 point has y = 0 (odd prime order).
    } else {
        // Includes the one-byte encoding 00 of the point at infinity and the hybrid forms 06/07.
        return Error::invalid_point;
    }
    out = Point{x, y, fe_one};
    return Error::ok;
}

bool point_encode(std::span<std::uint8_t, 65> out, const Point& p) {
    Fe x, y;
    bool finite = point_to_affine(x, y, p);
    out[0] = 0x04;
    fe_to_bytes(out.data() + 1, x);
    fe_to_bytes(out.data() + 33, y);
    return finite;
}

bool point_encode_compressed(std::span<std::uint8_t, 33> out, const Point& p) {
    Fe x, y;
    bool finite = point_to_affine(x, y, p);
    out[0] = std::uint8_t(0x02 | fe_is_odd(y));
    fe_to_bytes(out.data() + 1, x);
    return finite;
}

bool point_x_bytes(std::span<std::uint8_t, 32> out, const Point& p) {
    Fe x, y;
    bool finite = point_to_affine(x, y, p);
    fe_to_bytes(out.data(), x);
    secure_zero(x);  // the ECDH shared secret
    secure_zero(y);
    return finite;
}

bool point_is_infinity(const Point& p) { return fe_equal(p.z, Fe{}); }

// ---------------------------------------------------------------------------------------------
// Scalar multiplication

// Fixed signed 4-bit windows, most significant first: 64 x (4 doublings + 1 addition of a
// table entry chosen by scanning the whole table).
void point_mul(Point& r, const Point& p, const Scalar& k) {
    Point table[8];
    table[0] = p;
    table[1] = point_double(p);
    for (int j = 2; j < 8; j++) table[j] = point_add(table[j - 1], p);

    std::int8_t digits[65];
    recode_signed4(digits, k);
    Point acc = lookup_projective(table, digits[64]);
    Point entry;  // d_i·P: which entry was chosen gives the digit away, so it is wiped below
    for (int i = 63; i >= 0; i--) {
        for (int s = 0; s < 4; s++) acc = point_double(acc);
        entry = lookup_projective(table, digits[i]);
        acc = point_add(acc, entry);
    }
    r = acc;
    secure_zero(acc);
    secure_zero(entry);
    secure_zero(digits);
    secure_zero(table);
}

namespace {
// The fixed-base comb described at BaseTable, starting from the given representation of infinity.
void point_mul_base_from(Point& r, const Scalar& k, const Point& start) {
    const BaseTable& table = base_table;
    std::int8_t digits[65];
    recode_signed4(digits, k);
    Point acc = start;
    Affine q;   // the chosen table entry and the sum reveal the digit: wiped below
    Point sum;
    for (int e = 3; e >= 0; e--) {
        if (e != 3)
            for (int s = 0; s < 4; s++) acc = point_double(acc);
        for (int c = 0; c < 17; c++) {
            int i = 4 * c + e;
            if (i > 64) break;  // public: depends only on the loop position
            Limb zero_digit = lookup_affine(q, table.entry[c], digits[i]);
            sum = point_add_affine(acc, q);
            point_cmov(acc, sum, ~zero_digit);
        }
    }
    r = acc;
    secure_zero(acc);
    secure_zero(q);
    secure_zero(sum);
    secure_zero(digits);
}
}  // namespace

void point_mul_base(Point& r, const Scalar& k) { point_mul_base_from(r, k, infinity()); }

void point_mul_base(Point& r, const Scalar& k, std::span<const std::uint8_t, 32> blinding) {
    // λ = the random value if it is in [1, p-1] (all but about 2^-32 of the time), else 1.
    Fe lambda;
    Limb usable = Limb(0) - Limb(fe_from_bytes(lambda, blinding.data()));
    Limb any = 0;
    for (int i = 0; i < limbs; i++) any |= lambda.v[i];
    usable &= ct::mask_nonzero(any);
    Fe chosen = fe_one;
    fe_cmov(chosen, lambda, usable);
    point_mul_base_from(r, k, Point{Fe{}, chosen, Fe{}});
    secure_zero(lambda);
    secure_zero(chosen);
}

// u1·G + u2·Q by interleaving (Straus–Shamir): one chain of 256 doublings, with the signed 4-bit
// digits of both scalars added in at each window from two tables of 1..8 times G and Q built here on
// the stack. Verification handles only public values, so this is variable time: a digit picks its
// entry directly and a zero digit adds nothing. Sharing the doublings makes it as fast as the
// fixed-base comb plus one point_mul, and it links neither the comb nor its 8.5 KiB table.
namespace {
void add_digit(Point& acc, const Point table[8], std::int8_t d) {
    if (d == 0) return;
    Point entry = table[(d < 0 ? -d : d) - 1];
    if (d < 0) entry.y = fe_neg(entry.y);
    acc = point_add(acc, entry);
}
}  // namespace

void point_mul2(Point& r, const Scalar& u1, const Scalar& u2, const Point& q) {
    Point g_table[8], q_table[8];
    g_table[0] = Point{gen_x, gen_y, fe_one};
    q_table[0] = q;
    g_table[1] = point_double(g_table[0]);
    q_table[1] = point_double(q);
    for (int j = 2; j < 8; j++) {
        g_table[j] = point_add(g_table[j - 1], g_table[0]);
        q_table[j] = point_add(q_table[j - 1], q);
    }
    std::int8_t g_digits[65], q_digits[65];
    recode_signed4(g_digits, u1);
    recode_signed4(q_digits, u2);
    Point acc = infinity();
    for (int i = 64; i >= 0; i--) {
        if (i != 64)
            for (int s = 0; s < 4; s++) acc = point_double(acc);
        add_digit(acc, g_table, g_digits[i]);
        add_digit(acc, q_table, q_digits[i]);
    }
    r = acc;
}

}  // namespace padlock::p256
