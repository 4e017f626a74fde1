// SPDX-License-Identifier: Apache-2.0
// Modular exponentiation with almost-Montgomery multiplication in radix 2^52 on AVX-512 IFMA
// (VPMADD52LUQ / VPMADD52HUQ add the low / high 52 bits of 52 x 52-bit lane products to 64-bit
// lanes; S. Gueron and V. Krasnov, "Accelerating Big Integer Arithmetic Using Intel IFMA
// Extensions", ARITH 2016): two secret exponents at once (HAC §14.82, fixed 4-bit window; 1024-,
// 1536- and 2048-bit moduli, the CRT halves of RSA-2048, -3072 and -4096), and one public exponent
// (square-and-multiply; 2048-, 3072- and 4096-bit moduli).
//
// A number of K limbs of 64 bits is D digits of 52 bits in 512-bit registers (D = 20, 30, 40, 60, 79
// for K = 16, 24, 32, 48, 64; unused lanes zero), so R = 2^(52 D).
// Almost-Montgomery multiplication (AMM) returns (a*b + q*n) / R for the q < R that makes the sum
// divisible by R, without the final subtraction: for a, b < 2n and 4n < R (n < 2^(64 K)) the result
// is below (4n^2 + R*n) / R < 2n, so every value of the exponentiation stays below 2n and the
// subtraction is done once, at the end, by the caller. The two exponentiations (the CRT halves of
// an RSA signature) run in lockstep because each AMM step waits on its quotient digit: two
// independent chains keep the multipliers busy.
// Constant time: loop bounds depend on the limb counts only, table lookups are masked scans of all
// 16 entries, carries are resolved with mask arithmetic.
#include "crypto/rsa/detail/bignum_x86.hpp"

// GCC 12's AVX-512 headers start some intrinsics (extracts, alignr) from _mm512_undefined_*, which
// -W(maybe-)uninitialized reports once inlined (as in gcm_x86.cpp); the values are never read.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include <immintrin.h>

#include "crypto/ct.hpp"

namespace padlock::bn::x86 {
namespace {

#define IFMA_TARGET __attribute__((target("avx512f,avx512ifma")))
#define IFMA_INLINE __attribute__((target("avx512f,avx512ifma"), always_inline)) inline

using u64 = unsigned long long;
constexpr u64 mask52 = (u64(1) << 52) - 1;

// The shape of a number of K limbs of 64 bits: D digits of 52 bits (52 D >= 64 K + 2, so 4n < R),
// in V registers of eight lanes.
template <std::size_t K>
struct Shape {
    static constexpr std::size_t limbs = K, digits = (64 * K + ifma_extra_bits(K)) / 52, vecs = (digits + 7) / 8,
                                 lanes = 8 * vecs;
    static_assert(52 * digits >= 64 * K + 2 && lanes <= 128);
};

// Radix 2^52, least significant digit first, each digit below 2^52, digits D.. zero.
template <class S>
struct alignas(64) Digits {
    u64 d[S::lanes];
};

// K limbs of 64 bits -> digits (public positions; constant time in the value).
template <class S>
void to_digits(const Limb* x, Digits<S>& out) {
    for (std::size_t j = 0; j < S::lanes; j++) {
        const std::size_t bit = 52 * j, i = bit / 64, s = bit % 64;
        u64 v = i < S::limbs ? x[i] >> s : 0;
        if (s > 12 && i + 1 < S::limbs) v |= u64(x[i + 1]) << (64 - s);  // the digit spans two limbs
        out.d[j] = j < S::digits ? v & mask52 : 0;
    }
}

// Digits of a value below 2^(64 K) -> K limbs.
template <class S>
void from_digits(const Digits<S>& x, Limb* out) {
    for (std::size_t i = 0; i < S::limbs; i++) out[i] = 0;
    for (std::size_t j = 0; j < S::digits; j++) {
        const std::size_t bit = 52 * j, i = bit / 64, s = bit % 64;
        if (i < S::limbs) out[i] |= Limb(x.d[j] << s);
        if (s > 12 && i + 1 < S::limbs) out[i + 1] |= Limb(x.d[j] >> (64 - s));
    }
}

template <class S>
struct Modulus {
    __m512i n[S::vecs];
    u64 n0;  // digit 0 of n
    u64 k0;  // -n^-1 mod 2^52
};

template <class S>
IFMA_INLINE void load(const Digits<S>& x, __m512i v[S::vecs]) {
    for (std::size_t k = 0; k < S::vecs; k++) v[k] = _mm512_load_si512(x.d + 8 * k);
}

// Lanes holding digits with lazy carries (each lane below 2^61, the value below 2^(52 D)) -> digits.
// One pass moves every lane's bits above 52 up one lane, leaving lanes below 2^52 + 2^9; a lane
// can then pass on at most one more carry, which ripples through lanes equal to 2^52 - 1. Those
// carries are found as in an adder: with g the lanes >= 2^52 (generate) and p the lanes == 2^52 - 1
// (propagate), as bit masks, lane j takes a carry exactly where bit j of ((g | p) + g) ^ p is set.
// The value fits in D digits, so nothing is carried out of the top lane.
template <class S>
IFMA_INLINE void normalize(__m512i x[S::vecs]) {
    const __m512i mask = _mm512_set1_epi64(std::int64_t(mask52));
    __m512i carry[S::vecs];
    for (std::size_t k = 0; k < S::vecs; k++) {
        carry[k] = _mm512_srli_epi64(x[k], 52);
        x[k] = _mm512_and_si512(x[k], mask);
    }
    // Carries one lane up: lane 7 of register k-1 enters lane 0 of register k.
    x[0] = _mm512_add_epi64(x[0], _mm512_alignr_epi64(carry[0], _mm512_setzero_si512(), 7));
    for (std::size_t k = 1; k < S::vecs; k++) x[k] = _mm512_add_epi64(x[k], _mm512_alignr_epi64(carry[k], carry[k - 1], 7));
    using LaneMask = unsigned __int128;  // one bit per lane, up to 80 lanes
    LaneMask g = 0, p = 0;
    for (std::size_t k = 0; k < S::vecs; k++) {
        g |= LaneMask(_mm512_cmpgt_epu64_mask(x[k], mask)) << (8 * k);
        p |= LaneMask(_mm512_cmpeq_epu64_mask(x[k], mask)) << (8 * k);
    }
    const LaneMask take = ((g | p) + g) ^ p;
    const __m512i one = _mm512_set1_epi64(1);
    for (std::size_t k = 0; k < S::vecs; k++) {
        x[k] = _mm512_mask_add_epi64(x[k], __mmask8(take >> (8 * k)), x[k], one);
        x[k] = _mm512_and_si512(x[k], mask);
    }
}

// Lanes moved one down (the top lane zero): a division by 2^52 once lane 0 is dropped.
template <class S>
IFMA_INLINE void shift_down(__m512i x[S::vecs]) {
    for (std::size_t k = 0; k + 1 < S::vecs; k++) x[k] = _mm512_alignr_epi64(x[k + 1], x[k], 1);
    x[S::vecs - 1] = _mm512_alignr_epi64(_mm512_setzero_si512(), x[S::vecs - 1], 1);
}

// out_j = AMM(a_j, b_j) mod n_j for M = 1 or 2 independent products at once (two keep the
// multipliers busy while each waits on its quotient digits), digit by digit of b (word-serial
// Montgomery): for each digit b[i], x += a * b[i]; q = x[0] * k0 mod 2^52; x += q * n (now
// x[0] = 0 mod 2^52); x /= 2^52. The low halves of the products are summed in x, lane j for lane j;
// the high halves, which belong one lane up, in y after its shift (lane j for lane j again). Lane 0
// of x is read (as lane 1, before the shift) right after the multiply-add of q * n, and y's lane 0
// is final before it is needed, so each step waits on one multiply-add, one read-back and the
// scalar q. The carry out of the dropped lane 0 is kept in a scalar and added when lane 0 is next
// read. Bounds: each step adds two terms below 2^52 to a lane of x and two to y, and a lane is
// shifted out after at most D <= 79 steps, so lanes of x + y stay below 316 * 2^52 + 2^12 < 2^61.
template <class S, std::size_t M>
IFMA_INLINE void amm(const Modulus<S>* const (&m)[M], const Digits<S>* const (&a)[M], const Digits<S>* const (&b)[M],
                     Digits<S>* const (&out)[M]) {
    constexpr std::size_t V = S::vecs;
    __m512i x[M][V], y[M][V], av[M][V];
    u64 c[M], next[M], a0[M];  // next: lane 1 of x read before the shift, i.e. lane 0 after it
    for (std::size_t j = 0; j < M; j++) {
        for (std::size_t k = 0; k < V; k++) x[j][k] = y[j][k] = _mm512_setzero_si512();
        load(*a[j], av[j]);
        c[j] = next[j] = 0;
        a0[j] = a[j]->d[0];
    }
    for (std::size_t i = 0; i < S::digits; i++) {
        u64 bi[M];
        __m512i bv[M], qv[M];
        for (std::size_t j = 0; j < M; j++) {
            bi[j] = b[j]->d[i];
            bv[j] = _mm512_set1_epi64(std::int64_t(bi[j]));
            for (std::size_t k = 0; k < V; k++) x[j][k] = _mm512_madd52lo_epu64(x[j][k], av[j][k], bv[j]);
        }
        for (std::size_t j = 0; j < M; j++) {
            // Lane 0 of x + y + c, with the low half of a[0] * b[i] computed here in scalar code
            // rather than read back from x.
            const u64 y0 = u64(_mm_cvtsi128_si64(_mm512_castsi512_si128(y[j][0])));
            const u64 l = next[j] + y0 + c[j] + ((a0[j] * bi[j]) & mask52);
            const u64 q = (l * m[j]->k0) & mask52;
            c[j] = (l + ((m[j]->n0 * q) & mask52)) >> 52;  // lane 0 + low half of n0 * q: 0 mod 2^52
            qv[j] = _mm512_set1_epi64(std::int64_t(q));
        }
        for (std::size_t j = 0; j < M; j++) {
            for (std::size_t k = 0; k < V; k++) x[j][k] = _mm512_madd52lo_epu64(x[j][k], m[j]->n[k], qv[j]);
            next[j] = u64(_mm_extract_epi64(_mm512_castsi512_si128(x[j][0]), 1));
        }
        // Divide by 2^52: every lane moves down one (lane 0, whose carry is c, is dropped).
        for (std::size_t j = 0; j < M; j++) {
            shift_down<S>(x[j]);
            shift_down<S>(y[j]);
            for (std::size_t k = 0; k < V; k++) {
                y[j][k] = _mm512_madd52hi_epu64(y[j][k], av[j][k], bv[j]);
                y[j][k] = _mm512_madd52hi_epu64(y[j][k], m[j]->n[k], qv[j]);
            }
        }
    }
    for (std::size_t j = 0; j < M; j++) {
        for (std::size_t k = 0; k < V; k++) x[j][k] = _mm512_add_epi64(x[j][k], y[j][k]);
        x[j][0] = _mm512_mask_add_epi64(x[j][0], 1, x[j][0], _mm512_set1_epi64(std::int64_t(c[j])));
        normalize<S>(x[j]);
        for (std::size_t k = 0; k < V; k++) _mm512_store_si512(out[j]->d + 8 * k, x[j][k]);
    }
}

constexpr std::size_t window = 4, entries = 1 << window;

// out = table[index], reading every entry and keeping one by mask (ct::mask_eq goes through
// ct::barrier, so the compiler cannot turn the scan into a branch and one load).
template <class S>
IFMA_INLINE void select(const Digits<S>* table, u64 index, Digits<S>& out) {
    __m512i r[S::vecs];
    for (std::size_t k = 0; k < S::vecs; k++) r[k] = _mm512_setzero_si512();
    for (std::size_t i = 0; i < entries; i++) {
        const __m512i hit = _mm512_set1_epi64(std::int64_t(ct::mask_eq(u64(i), index)));
        for (std::size_t k = 0; k < S::vecs; k++)
            r[k] = _mm512_or_si512(r[k], _mm512_and_si512(_mm512_load_si512(table[i].d + 8 * k), hit));
    }
    for (std::size_t k = 0; k < S::vecs; k++) _mm512_store_si512(out.d + 8 * k, r[k]);
}

template <class S>
IFMA_TARGET Modulus<S> modulus(const MontModulus& m) {
    Digits<S> n;
    to_digits(m.n, n);
    Modulus<S> out;
    for (std::size_t k = 0; k < S::vecs; k++) out.n[k] = _mm512_load_si512(n.d + 8 * k);
    out.n0 = n.d[0];
    out.k0 = m.n0inv & mask52;  // -n^-1 mod 2^64, reduced mod 2^52
    secure_zero(&n, sizeof n);  // an RSA prime
    return out;
}

u64 window_at(const Limb* exp, std::size_t w) {  // bits [4w, 4w+4) of exp
    const std::size_t bit = w * window;
    return u64(exp[bit / 64] >> (bit % 64)) & (entries - 1);
}

template <class S>
IFMA_TARGET void mod_exp2_k(const MontModulus& m1, const MontModulus& m2, Limb* out1, Limb* out2, const Limb* base1,
                            const Limb* base2, const Limb* one1, const Limb* one2, const Limb* exp1,
                            const Limb* exp2, std::size_t exp_k) {
    Modulus<S> n1 = modulus<S>(m1), n2 = modulus<S>(m2);
    struct Scratch {
        Digits<S> table1[entries], table2[entries];  // table_j[i] = base_j^i * R mod n_j, below 2n_j
        Digits<S> acc1, acc2, pick1, pick2;
    } s;
    to_digits(one1, s.table1[0]);
    to_digits(one2, s.table2[0]);
    to_digits(base1, s.table1[1]);
    to_digits(base2, s.table2[1]);
    for (std::size_t i = 2; i < entries; i++)
        amm<S, 2>({&n1, &n2}, {&s.table1[i - 1], &s.table2[i - 1]}, {&s.table1[1], &s.table2[1]},
                  {&s.table1[i], &s.table2[i]});

    const std::size_t windows = exp_k * 64 / window;
    select(s.table1, window_at(exp1, windows - 1), s.acc1);
    select(s.table2, window_at(exp2, windows - 1), s.acc2);
    for (std::size_t w = windows - 1; w-- > 0;) {
        for (std::size_t i = 0; i < window; i++) amm<S, 2>({&n1, &n2}, {&s.acc1, &s.acc2}, {&s.acc1, &s.acc2}, {&s.acc1, &s.acc2});
        select(s.table1, window_at(exp1, w), s.pick1);
        select(s.table2, window_at(exp2, w), s.pick2);
        amm<S, 2>({&n1, &n2}, {&s.acc1, &s.acc2}, {&s.pick1, &s.pick2}, {&s.acc1, &s.acc2});
    }
    // Leave the Montgomery domain: AMM(x, 1) = (x + q*n) / R < (2n + R*n) / R, so at most n.
    Digits<S> one = {};
    one.d[0] = 1;
    amm<S, 2>({&n1, &n2}, {&s.acc1, &s.acc2}, {&one, &one}, {&s.acc1, &s.acc2});
    from_digits(s.acc1, out1);
    from_digits(s.acc2, out2);
    secure_zero(&s, sizeof s);
    secure_zero(&n1, sizeof n1);
    secure_zero(&n2, sizeof n2);
}

// Left-to-right square-and-multiply over the bits of a public exponent (branches on them).
template <class S>
IFMA_TARGET void mod_exp_public_k(const MontModulus& m, Limb* out, const Limb* base, const Limb* exp,
                                  std::size_t bits) {
    const Modulus<S> n = modulus<S>(m);
    Digits<S> x, acc, one = {};
    to_digits(base, x);
    acc = x;
    for (std::size_t i = bits - 1; i-- > 0;) {
        amm<S, 1>({&n}, {&acc}, {&acc}, {&acc});
        if ((exp[i / 64] >> (i % 64)) & 1) amm<S, 1>({&n}, {&acc}, {&x}, {&acc});
    }
    one.d[0] = 1;
    amm<S, 1>({&n}, {&acc}, {&one}, {&acc});  // leaves the Montgomery domain, at most n
    from_digits(acc, out);
}

}  // namespace

void mod_exp_public_ifma(const MontModulus& m, Limb* out, const Limb* base, const Limb* exp, std::size_t bits) {
    switch (m.k) {
    case 32: return mod_exp_public_k<Shape<32>>(m, out, base, exp, bits);
    case 48: return mod_exp_public_k<Shape<48>>(m, out, base, exp, bits);
    default: return mod_exp_public_k<Shape<64>>(m, out, base, exp, bits);
    }
}

void mod_exp2_ifma(const MontModulus& m1, const MontModulus& m2, Limb* out1, Limb* out2, const Limb* base1,
                   const Limb* base2, const Limb* one1, const Limb* one2, const Limb* exp1, const Limb* exp2,
                   std::size_t exp_k) {
    switch (m1.k) {
    case 16: return mod_exp2_k<Shape<16>>(m1, m2, out1, out2, base1, base2, one1, one2, exp1, exp2, exp_k);
    case 24: return mod_exp2_k<Shape<24>>(m1, m2, out1, out2, base1, base2, one1, one2, exp1, exp2, exp_k);
    default: return mod_exp2_k<Shape<32>>(m1, m2, out1, out2, base1, base2, one1, one2, exp1, exp2, exp_k);
    }
}

}  // namespace padlock::bn::x86
