// SPDX-License-Identifier: Apache-2.0
// The X25519 Montgomery ladder of RFC 7748 §5 with AVX-512 IFMA (52-bit multiply-add) on 256-bit
// registers. The ladder state (x2, z2, x3, z3) sits one element per 64-bit lane, each element as
// five limbs of radix 2^51 (the layout of x25519.cpp's portable code), so each step is three
// four-way multiplications:
//   (A, B, C, D)       = (x2 + z2, x2 - z2, x3 + z3, x3 - z3)
//   (AA, BB, DA, CB)   = (A, B, D, C) · (A, B, A, B)
//   (x2, z2, x3, t)    = (AA, E, DA + CB, DA - CB) · (BB, AA + a24·E, DA + CB, DA - CB),  E = AA - BB
//   z3                 = x1 · t                      (lanes 0-2 multiplied by 1)
// Constant time: the scalar bits only reach the masked lane swap; no branch or index depends on
// the scalar or on u.
#include "crypto/ec/detail/x25519_x86.hpp"

#include <immintrin.h>

#include "crypto/common.hpp"
#include "crypto/ct.hpp"

#define IFMA_TARGET __attribute__((target("avx2,avx512f,avx512vl,avx512ifma")))

namespace padlock::x25519_x86 {
namespace {

constexpr std::uint64_t mask51 = (std::uint64_t(1) << 51) - 1;

// Four field elements, limb i of element j in lane j of v[i].
struct Fe4 {
    __m256i v[5];
};

IFMA_TARGET inline __m256i times19(__m256i x) {
    return _mm256_add_epi64(_mm256_add_epi64(_mm256_slli_epi64(x, 4), _mm256_slli_epi64(x, 1)), x);
}

// One round of carries, all limbs at once (limb i keeps its low 51 bits and gains the carry out of
// limb i - 1; limb 0 gains 19 times the carry out of limb 4, as 2^255 = 19 mod p). For limbs below
// 2^62 every result limb is below 2^51 + 19·2^11 < 2^52, the operand width of IFMA. One round, not
// a chain: the ladder is bound by latency, and a chain of five dependent carries would double it.
IFMA_TARGET inline void carry(Fe4& f) {
    const __m256i m = _mm256_set1_epi64x(std::int64_t(mask51));
    __m256i c[5];
    for (int i = 0; i < 5; i++) c[i] = _mm256_srli_epi64(f.v[i], 51);
    f.v[0] = _mm256_add_epi64(_mm256_and_si256(f.v[0], m), times19(c[4]));
    for (int i = 1; i < 5; i++) f.v[i] = _mm256_add_epi64(_mm256_and_si256(f.v[i], m), c[i - 1]);
}

// Lane-wise f·g mod p for limbs below 2^52. IFMA gives each 104-bit product f_i·g_j as its low 52
// bits (weight 2^(51(i+j))) and its high 52 bits (weight 2^(51(i+j)+52) = 2·2^(51(i+j+1))), so
// column c is lo[c] + 2·hi[c-1]. Each lo/hi column is below 5·2^52, a column below 2^57, and
// folding column c+5 into c with the factor 19 stays below 2^62.
IFMA_TARGET inline Fe4 mul(const Fe4& f, const Fe4& g) {
    // Two accumulators per column (even and odd i), so no chain of dependent multiply-adds is
    // longer than three; the ladder is bound by latency.
    __m256i lo[2][9], hi[2][9];
    for (int c = 0; c < 9; c++) lo[0][c] = hi[0][c] = lo[1][c] = hi[1][c] = _mm256_setzero_si256();
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++) {
            lo[i & 1][i + j] = _mm256_madd52lo_epu64(lo[i & 1][i + j], f.v[i], g.v[j]);
            hi[i & 1][i + j] = _mm256_madd52hi_epu64(hi[i & 1][i + j], f.v[i], g.v[j]);
        }
    for (int c = 0; c < 9; c++) {
        lo[0][c] = _mm256_add_epi64(lo[0][c], lo[1][c]);
        hi[0][c] = _mm256_add_epi64(hi[0][c], hi[1][c]);
    }
    __m256i col[10];
    col[0] = lo[0][0];
    for (int c = 1; c < 9; c++) col[c] = _mm256_add_epi64(lo[0][c], _mm256_slli_epi64(hi[0][c - 1], 1));
    col[9] = _mm256_slli_epi64(hi[0][8], 1);
    Fe4 r;
    for (int c = 0; c < 5; c++) r.v[c] = _mm256_add_epi64(col[c], times19(col[c + 5]));
    carry(r);
    return r;
}

// Lane-wise f·c for a constant c < 2^52 (a24) and limbs below 2^52: as mul with one column each.
IFMA_TARGET inline Fe4 mul_small(const Fe4& f, std::uint64_t c) {
    const __m256i k = _mm256_set1_epi64x(std::int64_t(c)), zero = _mm256_setzero_si256();
    __m256i lo[5], hi[5];
    for (int i = 0; i < 5; i++) {
        lo[i] = _mm256_madd52lo_epu64(zero, f.v[i], k);
        hi[i] = _mm256_madd52hi_epu64(zero, f.v[i], k);
    }
    Fe4 r;
    r.v[0] = _mm256_add_epi64(lo[0], times19(_mm256_slli_epi64(hi[4], 1)));
    for (int i = 1; i < 5; i++) r.v[i] = _mm256_add_epi64(lo[i], _mm256_slli_epi64(hi[i - 1], 1));
    carry(r);
    return r;
}

IFMA_TARGET inline Fe4 add(const Fe4& f, const Fe4& g) {
    Fe4 r;
    for (int i = 0; i < 5; i++) r.v[i] = _mm256_add_epi64(f.v[i], g.v[i]);
    return r;
}

// f - g as f + 2p - g, lane-wise; g's limbs must be below 2^52 - 38 (carried).
IFMA_TARGET inline Fe4 sub(const Fe4& f, const Fe4& g) {
    const __m256i two_p0 = _mm256_set1_epi64x(0xFFFFFFFFFFFDAll), two_pi = _mm256_set1_epi64x(0xFFFFFFFFFFFFEll);
    Fe4 r;
    for (int i = 0; i < 5; i++) r.v[i] = _mm256_sub_epi64(_mm256_add_epi64(f.v[i], i == 0 ? two_p0 : two_pi), g.v[i]);
    return r;
}

template <int imm>
IFMA_TARGET inline Fe4 permute(const Fe4& f) {
    Fe4 r;
    for (int i = 0; i < 5; i++) r.v[i] = _mm256_permute4x64_epi64(f.v[i], imm);
    return r;
}

// Lanes taken from g where the 32-bit blend mask has its bits (two per 64-bit lane), else from f.
template <int imm>
IFMA_TARGET inline Fe4 blend(const Fe4& f, const Fe4& g) {
    Fe4 r;
    for (int i = 0; i < 5; i++) r.v[i] = _mm256_blend_epi32(f.v[i], g.v[i], imm);
    return r;
}

// Lane numbers for _mm256_permute4x64_epi64 and 32-bit blend masks per 64-bit lane.
constexpr int lanes(int l0, int l1, int l2, int l3) { return l0 | l1 << 2 | l2 << 4 | l3 << 6; }
constexpr int lane1 = 0x0C, lane2 = 0x30, lanes13 = 0xCC, lanes23 = 0xF0;

// RFC 7748 §5 cswap on the halves (x2, z2) and (x3, z3), with an all-ones / all-zero mask.
IFMA_TARGET inline void cswap(Fe4& s, std::uint64_t swap) {
    const __m256i mask = _mm256_set1_epi64x(std::int64_t(ct::barrier(std::uint64_t(0) - swap)));
    for (int i = 0; i < 5; i++) {
        const __m256i other = _mm256_permute4x64_epi64(s.v[i], lanes(2, 3, 0, 1));
        s.v[i] = _mm256_xor_si256(s.v[i], _mm256_and_si256(mask, _mm256_xor_si256(s.v[i], other)));
    }
}

IFMA_TARGET void ladder(std::uint64_t x2[5], std::uint64_t z2[5], const std::uint8_t k[32], const std::uint64_t x1[5]) {
    constexpr std::uint64_t a24 = 121665;  // (486662 - 2) / 4
    Fe4 s, x1_lane3;                     // s = (x2, z2, x3, z3) = (1, 0, x1, 1); x1_lane3 = (1, 1, 1, x1)
    for (int i = 0; i < 5; i++) {
        const std::int64_t one = i == 0 ? 1 : 0;
        s.v[i] = _mm256_set_epi64x(one, std::int64_t(x1[i]), 0, one);
        x1_lane3.v[i] = _mm256_set_epi64x(std::int64_t(x1[i]), one, one, one);
    }
    Fe4 abcd, m1, v, w, sum, diff, left, right;  // wiped after the loop
    std::uint64_t swap = 0;
    for (int t = 254; t >= 0; t--) {
        const std::uint64_t k_t = (k[t >> 3] >> (t & 7)) & 1;
        swap ^= k_t;
        cswap(s, swap);
        swap = k_t;

        sum = add(permute<lanes(0, 0, 2, 2)>(s), permute<lanes(1, 1, 3, 3)>(s));
        diff = sub(permute<lanes(0, 0, 2, 2)>(s), permute<lanes(1, 1, 3, 3)>(s));
        abcd = blend<lanes13>(sum, diff);  // (A, B, C, D)
        carry(abcd);
        m1 = mul(permute<lanes(0, 1, 3, 2)>(abcd), permute<lanes(0, 1, 0, 1)>(abcd));  // (AA, BB, DA, CB)
        v = permute<lanes(0, 0, 2, 2)>(m1);  // (AA, AA, DA, DA)
        w = permute<lanes(1, 1, 3, 3)>(m1);  // (BB, BB, CB, CB)
        sum = add(v, w);
        diff = sub(v, w);
        carry(sum);
        carry(diff);
        left = blend<lane2>(blend<lanes13>(v, diff), sum);  // (AA, E, DA + CB, DA - CB)
        right = add(v, mul_small(diff, a24));               // lane 1: AA + a24·E
        carry(right);
        right = blend<lanes23>(blend<lane1>(w, right), left);  // (BB, AA + a24·E, DA + CB, DA - CB)
        s = mul(mul(left, right), x1_lane3);
    }
    cswap(s, swap);

    alignas(32) std::uint64_t out[4];
    for (int i = 0; i < 5; i++) {
        _mm256_store_si256(reinterpret_cast<__m256i*>(out), s.v[i]);
        x2[i] = out[0];
        z2[i] = out[1];
    }
    secure_zero(out);
    secure_zero(s);
    secure_zero(abcd);
    secure_zero(m1);
    secure_zero(v);
    secure_zero(w);
    secure_zero(sum);
    secure_zero(diff);
    secure_zero(left);
    secure_zero(right);
    secure_zero(swap);
}

}  // namespace

void ladder_ifma(std::uint64_t x2[5], std::uint64_t z2[5], const std::uint8_t k[32], const std::uint64_t x1[5]) {
    ladder(x2, z2, k, x1);
}

}  // namespace padlock::x25519_x86
