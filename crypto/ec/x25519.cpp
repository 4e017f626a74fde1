// SPDX-License-Identifier: Apache-2.0
// X25519 (RFC 7748): field arithmetic mod p = 2^255 - 19, the Montgomery ladder of §5 and the
// Diffie-Hellman use of §6.1. Everything here runs in constant time: no branch or table index
// depends on the scalar or on the peer's u-coordinate.
#include "crypto/ec/x25519.hpp"

#include "crypto/cpu.hpp"
#include "crypto/ct.hpp"
#include "crypto/endian.hpp"

// Two representations of a field element, chosen at compile time:
//  - five 51-bit limbs with 128-bit products where the compiler has unsigned __int128 (64-bit hosts);
//  - ten limbs of alternately 26 and 25 bits ("radix 2^25.5") with 64-bit products elsewhere.
// PADLOCK_LIMB32 selects the second on any host, so it can be tested.
#if defined(__SIZEOF_INT128__) && !defined(PADLOCK_LIMB32)
#define PADLOCK_X25519_RADIX51 1
#else
#define PADLOCK_X25519_RADIX51 0
#endif

// The IFMA ladder shares the radix-2^51 layout (crypto/ec/x25519_ifma.cpp); the MULX code
// (crypto/ec/x25519_mulx.cpp) has its own radix-2^64 field and takes and gives bytes.
#if defined(PADLOCK_ACCEL_X86)
#define PADLOCK_X25519_MULX 1
#include "crypto/ec/detail/x25519_x86.hpp"
#else
#define PADLOCK_X25519_MULX 0
#endif
#if defined(PADLOCK_ACCEL_X86) && PADLOCK_X25519_RADIX51
#define PADLOCK_X25519_IFMA 1
#else
#define PADLOCK_X25519_IFMA 0
#endif

namespace padlock {
namespace {

#if PADLOCK_X25519_RADIX51

// ---- Field arithmetic, radix 2^51 --------------------------------------------------------------
// f = f[0] + f[1]*2^51 + f[2]*2^102 + f[3]*2^153 + f[4]*2^204 (mod p). Limbs are not kept reduced:
// "carried" means every limb < 2^51 + 2^13 (the output of mul/sq/mul_small/from_bytes). mul and sq
// accept limbs < 2^54, so add(carried, carried) and sub(carried, carried) may feed them directly.
using u128 = unsigned __int128;
constexpr std::uint64_t mask51 = (std::uint64_t(1) << 51) - 1;

struct Fe {
    std::uint64_t v[5];
};

constexpr Fe fe_zero{{0, 0, 0, 0, 0}};
constexpr Fe fe_one{{1, 0, 0, 0, 0}};

// RFC 7748 §5 decodeUCoordinate: little-endian, top bit masked. Values >= p are kept as they are;
// the arithmetic is mod p, so they act as their reduction (as §5 requires).
Fe fe_from_bytes(const std::uint8_t* s) {
    Fe h;
    h.v[0] = load_le64(s) & mask51;
    h.v[1] = (load_le64(s + 6) >> 3) & mask51;
    h.v[2] = (load_le64(s + 12) >> 6) & mask51;
    h.v[3] = (load_le64(s + 19) >> 1) & mask51;
    h.v[4] = (load_le64(s + 24) >> 12) & mask51;  // bits 204..254: bit 255 is dropped here
    return h;
}

// Propagates carries once around: afterwards limbs 0, 2, 3, 4 are < 2^51 and limb 1 < 2^51 + 2^13.
// Valid for limbs < 2^63 (19 * 2^12 fits easily in the wrapped carry).
inline void fe_carry(Fe& h) {
    h.v[1] += h.v[0] >> 51; h.v[0] &= mask51;
    h.v[2] += h.v[1] >> 51; h.v[1] &= mask51;
    h.v[3] += h.v[2] >> 51; h.v[2] &= mask51;
    h.v[4] += h.v[3] >> 51; h.v[3] &= mask51;
    h.v[0] += 19 * (h.v[4] >> 51); h.v[4] &= mask51;  // 2^255 = 19 (mod p)
    h.v[1] += h.v[0] >> 51; h.v[0] &= mask51;
}

// RFC 7748 §5 encodeUCoordinate: the unique representative in [0, p), little-endian.
void fe_to_bytes(std::uint8_t* s, Fe h) {
    fe_carry(h);
    fe_carry(h);  // limbs < 2^51 (limb 1 at most 2^51), so h < 2p
    // h >= p exactly when h + 19 carries into bit 255; subtract p by adding 19 and dropping 2^255.
    std::uint64_t q = (h.v[0] + 19) >> 51;
    q = (h.v[1] + q) >> 51;
    q = (h.v[2] + q) >> 51;
    q = (h.v[3] + q) >> 51;
    q = (h.v[4] + q) >> 51;
    h.v[0] += 19 * q;
    h.v[1] += h.v[0] >> 51; h.v[0] &= mask51;
    h.v[2] += h.v[1] >> 51; h.v[1] &= mask51;
    h.v[3] += h.v[2] >> 51; h.v[2] &= mask51;
    h.v[4] += h.v[3] >> 51; h.v[3] &= mask51;
    h.v[4] &= mask51;
    store_le64(s, h.v[0] | h.v[1] << 51);
    store_le64(s + 8, h.v[1] >> 13 | h.v[2] << 38);
    store_le64(s + 16, h.v[2] >> 26 | h.v[3] << 25);
    store_le64(s + 24, h.v[3] >> 39 | h.v[4] << 12);
}

inline Fe fe_add(const Fe& f, const Fe& g) {
    return {{f.v[0] + g.v[0], f.v[1] + g.v[1], f.v[2] + g.v[2], f.v[3] + g.v[3], f.v[4] + g.v[4]}};
}

// f - g computed as f + 2p - g so no limb goes negative; g must be carried (limbs < 2^52 - 38).
inline Fe fe_sub(const Fe& f, const Fe& g) {
    constexpr std::uint64_t two_p0 = 0xFFFFFFFFFFFDAull;  // 2 * (2^51 - 19)
    constexpr std::uint64_t two_pi = 0xFFFFFFFFFFFFEull;  // 2 * (2^51 - 1)
    return {{f.v[0] + two_p0 - g.v[0], f.v[1] + two_pi - g.v[1], f.v[2] + two_pi - g.v[2],
             f.v[3] + two_pi - g.v[3], f.v[4] + two_pi - g.v[4]}};
}

// Reduces five 128-bit column sums to a carried element. With inputs < 2^54 each column is below
// 5 * 19 * 2^108 < 2^115, and r4 (no factor 19) below 2^111, so 19 * (r4 >> 51) fits in 64 bits.
inline Fe fe_reduce_wide(u128 r0, u128 r1, u128 r2, u128 r3, u128 r4) {
    Fe h;
    r1 += std::uint64_t(r0 >> 51); h.v[0] = std::uint64_t(r0) & mask51;
    r2 += std::uint64_t(r1 >> 51); h.v[1] = std::uint64_t(r1) & mask51;
    r3 += std::uint64_t(r2 >> 51); h.v[2] = std::uint64_t(r2) & mask51;
    r4 += std::uint64_t(r3 >> 51); h.v[3] = std::uint64_t(r3) & mask51;
    h.v[0] += 19 * std::uint64_t(r4 >> 51); h.v[4] = std::uint64_t(r4) & mask51;
    h.v[1] += h.v[0] >> 51; h.v[0] &= mask51;
    return h;
}

// Schoolbook product; a column term f_i*g_j with i+j >= 5 wraps around with factor 19 (2^255 = 19).
inline Fe fe_mul(const Fe& f, const Fe& g) {
    const std::uint64_t f0 = f.v[0], f1 = f.v[1], f2 = f.v[2], f3 = f.v[3], f4 = f.v[4];
    const std::uint64_t g0 = g.v[0], g1 = g.v[1], g2 = g.v[2], g3 = g.v[3], g4 = g.v[4];
    const std::uint64_t g1_19 = 19 * g1, g2_19 = 19 * g2, g3_19 = 19 * g3, g4_19 = 19 * g4;
    u128 r0 = u128(f0) * g0 + u128(f1) * g4_19 + u128(f2) * g3_19 + u128(f3) * g2_19 + u128(f4) * g1_19;
    u128 r1 = u128(f0) * g1 + u128(f1) * g0 + u128(f2) * g4_19 + u128(f3) * g3_19 + u128(f4) * g2_19;
    u128 r2 = u128(f0) * g2 + u128(f1) * g1 + u128(f2) * g0 + u128(f3) * g4_19 + u128(f4) * g3_19;
    u128 r3 = u128(f0) * g3 + u128(f1) * g2 + u128(f2) * g1 + u128(f3) * g0 + u128(f4) * g4_19;
    u128 r4 = u128(f0) * g4 + u128(f1) * g3 + u128(f2) * g2 + u128(f3) * g1 + u128(f4) * g0;
    return fe_reduce_wide(r0, r1, r2, r3, r4);
}

// Squaring: the symmetric terms f_i*f_j (i != j) are computed once and doubled, 15 products not 25.
inline Fe fe_sq(const Fe& f) {
    const std::uint64_t f0 = f.v[0], f1 = f.v[1], f2 = f.v[2], f3 = f.v[3], f4 = f.v[4];
    const std::uint64_t f0_2 = 2 * f0, f1_2 = 2 * f1, f2_2 = 2 * f2, f3_2 = 2 * f3;
    const std::uint64_t f3_19 = 19 * f3, f4_19 = 19 * f4;
    u128 r0 = u128(f0) * f0 + u128(f1_2) * f4_19 + u128(f2_2) * f3_19;
    u128 r1 = u128(f0_2) * f1 + u128(f2_2) * f4_19 + u128(f3) * f3_19;
    u128 r2 = u128(f0_2) * f2 + u128(f1) * f1 + u128(f3_2) * f4_19;
    u128 r3 = u128(f0_2) * f3 + u128(f1_2) * f2 + u128(f4) * f4_19;
    u128 r4 = u128(f0_2) * f4 + u128(f1_2) * f3 + u128(f2) * f2;
    return fe_reduce_wide(r0, r1, r2, r3, r4);
}

// f * c for a small constant c < 2^17 (a24 in the ladder). Input limbs < 2^54.
inline Fe fe_mul_small(const Fe& f, std::uint32_t c) {
    return fe_reduce_wide(u128(f.v[0]) * c, u128(f.v[1]) * c, u128(f.v[2]) * c, u128(f.v[3]) * c,
                          u128(f.v[4]) * c);
}

// RFC 7748 §5 cswap: exchanges f and g when swap is 1, without branching on it.
inline void fe_cswap(Fe& f, Fe& g, std::uint64_t swap) {
    const std::uint64_t mask = ct::barrier(std::uint64_t(0) - swap);
    for (int i = 0; i < 5; i++) {
        const std::uint64_t t = mask & (f.v[i] ^ g.v[i]);
        f.v[i] ^= t;
        g.v[i] ^= t;
    }
}

#else  // !PADLOCK_X25519_RADIX51

// ---- Field arithmetic, radix 2^25.5 ------------------------------------------------------------
// f = sum f[i] * 2^ceil(25.5 i): limb i holds 26 bits when i is even, 25 when odd. "Carried" means
// each limb is below its width plus one bit. mul and sq accept limbs < 2^27.6, which covers
// add(carried, carried) and sub(carried, carried); every 64-bit column sum then stays below 2^64.
constexpr int limb_bits[10] = {26, 25, 26, 25, 26, 25, 26, 25, 26, 25};
constexpr int limb_offset[10] = {0, 26, 51, 77, 102, 128, 153, 179, 204, 230};

struct Fe {
    std::uint32_t v[10];
};

constexpr Fe fe_zero{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0}};
constexpr Fe fe_one{{1, 0, 0, 0, 0, 0, 0, 0, 0, 0}};

inline std::uint32_t limb_mask(int i) { return (std::uint32_t(1) << limb_bits[i]) - 1; }

// RFC 7748 §5 decodeUCoordinate: little-endian, top bit masked; values >= p act as their reduction.
Fe fe_from_bytes(const std::uint8_t* s) {
    std::uint64_t w[5] = {load_le64(s), load_le64(s + 8), load_le64(s + 16), load_le64(s + 24), 0};
    Fe h;
    for (int i = 0; i < 10; i++) {  // limb positions are public: indexing by them is fine
        const int word = limb_offset[i] / 64, shift = limb_offset[i] % 64;
        std::uint64_t bits = w[word] >> shift;
        if (shift != 0) bits |= w[word + 1] << (64 - shift);
        h.v[i] = std::uint32_t(bits) & limb_mask(i);  // limb 9 covers bits 230..254: bit 255 dropped
    }
    return h;
}

// Reduces ten 64-bit column sums to a carried element.
inline Fe fe_reduce_wide(std::uint64_t t[10]) {
    Fe h;
    for (int i = 0; i < 9; i++) {
        t[i + 1] += t[i] >> limb_bits[i];
        t[i] &= limb_mask(i);
    }
    t[0] += 19 * (t[9] >> 25);  // 2^255 = 19 (mod p)
    t[9] &= limb_mask(9);
    t[1] += t[0] >> 26;
    t[0] &= limb_mask(0);
    for (int i = 0; i < 10; i++) h.v[i] = std::uint32_t(t[i]);
    return h;
}

inline void fe_carry(Fe& h) {
    std::uint64_t t[10];
    for (int i = 0; i < 10; i++) t[i] = h.v[i];
    h = fe_reduce_wide(t);
}

// RFC 7748 §5 encodeUCoordinate: the unique representative in [0, p), little-endian.
void fe_to_bytes(std::uint8_t* s, Fe h) {
    fe_carry(h);
    fe_carry(h);  // limbs fit their widths (limb 1 at most 2^25), so h < 2p
    // h >= p exactly when h + 19 carries into bit 255; subtract p by adding 19 and dropping 2^255.
    std::uint32_t q = (h.v[0] + 19) >> 26;
    for (int i = 1; i < 10; i++) q = (h.v[i] + q) >> limb_bits[i];
    h.v[0] += 19 * q;
    for (int i = 0; i < 9; i++) {
        h.v[i + 1] += h.v[i] >> limb_bits[i];
        h.v[i] &= limb_mask(i);
    }
    h.v[9] &= limb_mask(9);
    std::uint64_t w[4] = {0, 0, 0, 0};
    for (int i = 0; i < 10; i++) {
        const int word = limb_offset[i] / 64, shift = limb_offset[i] % 64;
        w[word] |= std::uint64_t(h.v[i]) << shift;
        if (shift + limb_bits[i] > 64) w[word + 1] |= std::uint64_t(h.v[i]) >> (64 - shift);
    }
    for (int i = 0; i < 4; i++) store_le64(s + 8 * i, w[i]);
}

inline Fe fe_add(const Fe& f, const Fe& g) {
    Fe h;
    for (int i = 0; i < 10; i++) h.v[i] = f.v[i] + g.v[i];
    return h;
}

// f - g computed as f + 2p - g so no limb goes negative; g must be carried.
inline Fe fe_sub(const Fe& f, const Fe& g) {
    Fe h;
    for (int i = 0; i < 10; i++) {
        const std::uint32_t two_p = (i == 0) ? 2 * (limb_mask(0) - 18) : 2 * limb_mask(i);
        h.v[i] = f.v[i] + two_p - g.v[i];
    }
    return h;
}

// Schoolbook product, one output column at a time: t[c] = sum over i of f[i] * g[c - i], where
// g[m] for m < 0 means 19 * g[m + 10] (the product wrapped past 2^255 = 19 mod p). Limb i sits at
// 2^ceil(25.5 i), so when i and c - i are both odd (c even, i odd) the two half bits add up to an
// extra factor 2. With inputs < 2^27.6, 19 * g[j] still fits in 32 bits and every column sum
// stays below 2^64. The loops have fixed bounds so the compiler can unroll them.
inline Fe fe_mul(const Fe& f, const Fe& g) {
    std::uint32_t f_odd_doubled[10], g_ext[19];  // g_ext[m + 9] = g[m] for m in -9..9
    for (int i = 0; i < 10; i++) f_odd_doubled[i] = (i & 1) != 0 ? 2 * f.v[i] : f.v[i];
    for (int m = 1; m < 10; m++) g_ext[m - 1] = 19 * g.v[m];
    for (int m = 0; m < 10; m++) g_ext[m + 9] = g.v[m];
    std::uint64_t t[10];
    for (int c = 0; c < 10; c++) {
        const std::uint32_t* fc = (c & 1) != 0 ? f.v : f_odd_doubled;
        std::uint64_t sum = 0;
        for (int i = 0; i < 10; i++) sum += std::uint64_t(fc[i]) * g_ext[c - i + 9];
        t[c] = sum;
    }
    return fe_reduce_wide(t);
}

inline Fe fe_sq(const Fe& f) { return fe_mul(f, f); }

inline Fe fe_mul_small(const Fe& f, std::uint32_t c) {
    std::uint64_t t[10];
    for (int i = 0; i < 10; i++) t[i] = std::uint64_t(f.v[i]) * c;
    return fe_reduce_wide(t);
}

// RFC 7748 §5 cswap: exchanges f and g when swap is 1, without branching on it.
inline void fe_cswap(Fe& f, Fe& g, std::uint64_t swap) {
    const std::uint32_t mask = ct::barrier(std::uint32_t(0) - std::uint32_t(swap));
    for (int i = 0; i < 10; i++) {
        const std::uint32_t t = mask & (f.v[i] ^ g.v[i]);
        f.v[i] ^= t;
        g.v[i] ^= t;
    }
}

#endif  // PADLOCK_X25519_RADIX51

// ---- Common to both representations ------------------------------------------------------------

inline Fe fe_sq_n(Fe f, int n) {
    for (int i = 0; i < n; i++) f = fe_sq(f);
    return f;
}

// z^-1 = z^(p-2) = z^(2^255 - 21) by Fermat's little theorem, with a fixed addition chain
// (254 squarings, 11 multiplications); the exponent is public, so this is constant time.
Fe fe_invert(const Fe& z) {
    Fe z2 = fe_sq(z);                                      // z^2
    Fe z9 = fe_mul(fe_sq_n(z2, 2), z);                     // z^9
    Fe z11 = fe_mul(z9, z2);                               // z^11
    Fe z_5_0 = fe_mul(fe_sq(z11), z9);                     // z^(2^5 - 1)
    Fe z_10_0 = fe_mul(fe_sq_n(z_5_0, 5), z_5_0);          // z^(2^10 - 1)
    Fe z_20_0 = fe_mul(fe_sq_n(z_10_0, 10), z_10_0);       // z^(2^20 - 1)
    Fe z_40_0 = fe_mul(fe_sq_n(z_20_0, 20), z_20_0);       // z^(2^40 - 1)
    Fe z_50_0 = fe_mul(fe_sq_n(z_40_0, 10), z_10_0);       // z^(2^50 - 1)
    Fe z_100_0 = fe_mul(fe_sq_n(z_50_0, 50), z_50_0);      // z^(2^100 - 1)
    Fe z_200_0 = fe_mul(fe_sq_n(z_100_0, 100), z_100_0);   // z^(2^200 - 1)
    Fe z_250_0 = fe_mul(fe_sq_n(z_200_0, 50), z_50_0);     // z^(2^250 - 1)
    const Fe inverse = fe_mul(fe_sq_n(z_250_0, 5), z11);   // z^(2^255 - 32 + 11)
    // The powers of z (the ladder's projective coordinate) are derived from the scalar: wipe them.
    secure_zero(z2); secure_zero(z9); secure_zero(z11); secure_zero(z_5_0); secure_zero(z_10_0);
    secure_zero(z_20_0); secure_zero(z_40_0); secure_zero(z_50_0); secure_zero(z_100_0);
    secure_zero(z_200_0); secure_zero(z_250_0);
    return inverse;
}

// RFC 7748 §5 decodeScalar25519: clear the low three bits (a multiple of the cofactor 8), clear
// bit 255 and set bit 254 (a fixed ladder length).
void clamp_scalar(std::uint8_t k[32], const std::uint8_t* scalar) {
    for (int i = 0; i < 32; i++) k[i] = scalar[i];
    k[0] &= 248;
    k[31] &= 127;
    k[31] |= 64;
}

// RFC 7748 §5: the Montgomery ladder for a clamped k, leaving (x2 : z2). 255 identical steps with a
// constant-time swap; the scalar bits only ever reach fe_cswap.
void ladder(Fe& x2_out, Fe& z2_out, const std::uint8_t k[32], const Fe& x1) {
    constexpr std::uint32_t a24 = 121665;  // (486662 - 2) / 4
    Fe x2 = fe_one, z2 = fe_zero, x3 = x1, z3 = fe_one;
    Fe a, aa, b, bb, e, c, d, da, cb;  // declared here so they can be wiped after the loop
    std::uint64_t swap = 0;
    for (int t = 254; t >= 0; t--) {
        const std::uint64_t k_t = (k[t >> 3] >> (t & 7)) & 1;
        swap ^= k_t;
        fe_cswap(x2, x3, swap);
        fe_cswap(z2, z3, swap);
        swap = k_t;

        a = fe_add(x2, z2);
        aa = fe_sq(a);
        b = fe_sub(x2, z2);
        bb = fe_sq(b);
        e = fe_sub(aa, bb);
        c = fe_add(x3, z3);
        d = fe_sub(x3, z3);
        da = fe_mul(d, a);
        cb = fe_mul(c, b);
        x3 = fe_sq(fe_add(da, cb));
        z3 = fe_mul(x1, fe_sq(fe_sub(da, cb)));
        x2 = fe_mul(aa, bb);
        z2 = fe_mul(e, fe_add(aa, fe_mul_small(e, a24)));
    }
    fe_cswap(x2, x3, swap);
    fe_cswap(z2, z3, swap);
    x2_out = x2;
    z2_out = z2;
    secure_zero(x2); secure_zero(z2); secure_zero(x3); secure_zero(z3);
    secure_zero(a); secure_zero(aa); secure_zero(b); secure_zero(bb); secure_zero(e);
    secure_zero(c); secure_zero(d); secure_zero(da); secure_zero(cb); secure_zero(swap);
}

// The u-coordinate of k·(u, ...) for a clamped k. Dispatches (crypto/cpu.hpp) on each call: the
// ladder runs four-way on AVX-512 IFMA where the CPU has it (the "ifma" backend), else the whole
// scalar multiplication in radix 2^64 with MULX where the CPU has BMI2 ("bmi2"), else
// portable.
bool use_ifma() {
#if PADLOCK_X25519_IFMA
    return cpu::has(cpu::avx512 | cpu::avx512ifma);
#else
    return false;
#endif
}

bool use_mulx() {
#if PADLOCK_X25519_MULX
    return !use_ifma() && cpu::has(cpu::bmi2);
#else
    return false;
#endif
}

void scalarmult(std::uint8_t out[32], const std::uint8_t k[32], const std::uint8_t u_bytes[32]) {
#if PADLOCK_X25519_MULX
    if (use_mulx()) {
        x25519_x86::scalarmult_mulx(out, k, u_bytes);
        return;
    }
#endif
    const Fe x1 = fe_from_bytes(u_bytes);
    Fe x2, z2;
#if PADLOCK_X25519_IFMA
    if (use_ifma())
        x25519_x86::ladder_ifma(x2.v, z2.v, k, x1.v);  // limbs below 2^52: fe_mul takes up to 2^54
    else
#endif
        ladder(x2, z2, k, x1);
    // x2 / z2. For the point at infinity z2 = 0, and 0^(p-2) = 0 gives the all-zero output §6.1 expects.
    Fe result = fe_mul(x2, fe_invert(z2));
    fe_to_bytes(out, result);
    secure_zero(x2); secure_zero(z2); secure_zero(result);
}

}  // namespace

const char* x25519_backend_name() { return use_ifma() ? "ifma" : use_mulx() ? "bmi2" : "portable"; }

CryptoError x25519(std::span<const std::uint8_t, 32> scalar, std::span<const std::uint8_t, 32> peer_u,
             std::span<std::uint8_t, 32> shared) {
    std::uint8_t k[32];
    clamp_scalar(k, scalar.data());
    scalarmult(shared.data(), k, peer_u.data());
    secure_zero(k);
    // RFC 7748 §6.1: reject the all-zero value. OR-ing all bytes keeps the check constant time; only
    // the final yes/no is revealed, and the caller learns it anyway.
    std::uint8_t acc = 0;
    for (std::uint8_t byte : shared) acc |= byte;
    return ct::mask_zero(acc) != 0 ? CryptoError::all_zero_shared_secret : CryptoError::ok;
}

void x25519_base(std::span<const std::uint8_t, 32> scalar, std::span<std::uint8_t, 32> pub) {
    static constexpr std::uint8_t base_u[32] = {9};  // RFC 7748 §4.1: the base point has u = 9
    std::uint8_t k[32];
    clamp_scalar(k, scalar.data());
    scalarmult(pub.data(), k, base_u);
    secure_zero(k);
}

CryptoError x25519_keygen(const Rng& rng, std::span<std::uint8_t, 32> priv, std::span<std::uint8_t, 32> pub) {
    const CryptoError err = rng(priv);
    if (err != CryptoError::ok) {
        secure_zero(priv.data(), priv.size());
        secure_zero(pub.data(), pub.size());
        return err;
    }
    x25519_base(priv, pub);
    return CryptoError::ok;
}

}  // namespace padlock
