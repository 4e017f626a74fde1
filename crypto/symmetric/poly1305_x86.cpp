// SPDX-License-Identifier: Apache-2.0
// Poly1305 (RFC 8439 §2.5) on several blocks at once. Both backends keep one accumulator per 64-bit
// lane: lane i takes blocks i, i + L, i + 2L, ... and is multiplied by r^L per step (L lanes); at the
// end lane i is multiplied by r^(L - i) and the lanes are summed, which gives the same polynomial as
// the one-block-at-a-time Horner rule: sum of m_j r^(n + 1 - j).
//   AVX2: four lanes in radix 2^26 (five limbs, 32x32 -> 64-bit lane products).
//   AVX-512 IFMA: eight lanes in radix 2^44 (three limbs, 52x52 -> 104-bit products split by
//   VPMADD52LUQ / VPMADD52HUQ into their low and high 52 bits).
#include "crypto/symmetric/detail/poly1305_x86.hpp"

#include <immintrin.h>

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // GCC 12 AVX-512 headers (see gcm_x86.cpp)
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

#include "crypto/ct.hpp"

namespace padlock::poly1305_x86 {
namespace {

constexpr std::uint64_t mask26 = (1u << 26) - 1;

// A value below 2^131 as five 26-bit limbs (the top one may be a little larger).
struct Limbs {
    std::uint64_t v[5];
};

Limbs to_limbs(std::uint64_t lo, std::uint64_t hi, std::uint64_t top) {
    return {{lo & mask26, (lo >> 26) & mask26, ((lo >> 52) | (hi << 12)) & mask26, (hi >> 14) & mask26,
             (hi >> 40) | (top << 24)}};
}

// a * b mod 2^130 - 5, partly reduced (limbs below 2^26 except limb 1, a little above). Scalar; used
// only for the powers of r.
Limbs multiply(const Limbs& a, const Limbs& b) {
    const std::uint64_t* x = a.v;
    const std::uint64_t* y = b.v;
    std::uint64_t s[5];
    for (int i = 0; i < 5; i++) s[i] = 5 * y[i];  // 2^130 = 5 (mod p)
    std::uint64_t d[5] = {
        x[0] * y[0] + x[1] * s[4] + x[2] * s[3] + x[3] * s[2] + x[4] * s[1],
        x[0] * y[1] + x[1] * y[0] + x[2] * s[4] + x[3] * s[3] + x[4] * s[2],
        x[0] * y[2] + x[1] * y[1] + x[2] * y[0] + x[3] * s[4] + x[4] * s[3],
        x[0] * y[3] + x[1] * y[2] + x[2] * y[1] + x[3] * y[0] + x[4] * s[4],
        x[0] * y[4] + x[1] * y[3] + x[2] * y[2] + x[3] * y[1] + x[4] * y[0],
    };
    for (int i = 0; i < 4; i++) {
        d[i + 1] += d[i] >> 26;
        d[i] &= mask26;
    }
    d[0] += 5 * (d[4] >> 26);
    d[4] &= mask26;
    d[1] += d[0] >> 26;
    d[0] &= mask26;
    return {{d[0], d[1], d[2], d[3], d[4]}};
}

#define AVX2_TARGET __attribute__((target("avx2")))

AVX2_TARGET inline __m256i mul(__m256i a, __m256i b) { return _mm256_mul_epu32(a, b); }  // low 32 bits of each lane
AVX2_TARGET inline __m256i add(__m256i a, __m256i b) { return _mm256_add_epi64(a, b); }

// d[to] += d[from] >> 26 (times 5 into limb 0: 2^130 = 5 mod p), d[from] keeps its low 26 bits.
AVX2_TARGET inline void carry26(__m256i d[5], int from, int to, __m256i m) {
    const __m256i c = _mm256_srli_epi64(d[from], 26);
    d[from] = _mm256_and_si256(d[from], m);
    d[to] = add(d[to], to == 0 ? add(c, _mm256_slli_epi64(c, 2)) : c);
}

// h * r in every lane (the same formulas as multiply(), four lanes at once); s = 5 r.
AVX2_TARGET inline void products4(__m256i d[5], const __m256i h[5], const __m256i r[5], const __m256i s[5]) {
    d[0] = add(add(add(mul(h[0], r[0]), mul(h[1], s[4])), add(mul(h[2], s[3]), mul(h[3], s[2]))), mul(h[4], s[1]));
    d[1] = add(add(add(mul(h[0], r[1]), mul(h[1], r[0])), add(mul(h[2], s[4]), mul(h[3], s[3]))), mul(h[4], s[2]));
    d[2] = add(add(add(mul(h[0], r[2]), mul(h[1], r[1])), add(mul(h[2], r[0]), mul(h[3], s[4]))), mul(h[4], s[3]));
    d[3] = add(add(add(mul(h[0], r[3]), mul(h[1], r[2])), add(mul(h[2], r[1]), mul(h[3], r[0]))), mul(h[4], s[4]));
    d[4] = add(add(add(mul(h[0], r[4]), mul(h[1], r[3])), add(mul(h[2], r[2]), mul(h[3], r[1]))), mul(h[4], r[0]));
}

// h = d carried: two chains side by side, d0 -> d1 -> d2 -> d3 -> d4 and d3 -> d4 -> d0 -> d1 (the
// top folded back times 5), four steps deep instead of seven. With d_i < 2^60 going in, limbs 0, 2
// and 3 come out below 2^26, limb 1 below 2^26 + 2^11 and limb 4 below 2^26 + 2^9.
AVX2_TARGET inline void carry4(__m256i h[5], __m256i d[5]) {
    const __m256i m = _mm256_set1_epi64x(std::int64_t(mask26));
    carry26(d, 0, 1, m); carry26(d, 3, 4, m);
    carry26(d, 1, 2, m); carry26(d, 4, 0, m);
    carry26(d, 2, 3, m); carry26(d, 0, 1, m);
    carry26(d, 3, 4, m);
    for (int i = 0; i < 5; i++) h[i] = d[i];
}

AVX2_TARGET inline void multiply4(__m256i h[5], const __m256i r[5], const __m256i s[5]) {
    __m256i d[5];
    products4(d, h, r, s);
    carry4(h, d);
}

// h = h r^8 + a r^4 (one carry for both products: two steps of H = H r^4 + M at once). h's limbs
// are below 2^27 + 2^11, a's below 2^26, the r limbs a little above 2^26 and s = 5 r below 2^29.4:
// each sum of ten products stays below 2^60.
AVX2_TARGET inline void multiply_add4(__m256i h[5], const __m256i r8[5], const __m256i s8[5], const __m256i a[5],
                                      const __m256i r4[5], const __m256i s4[5]) {
    __m256i d[5], e[5];
    products4(d, h, r8, s8);
    products4(e, a, r4, s4);
    for (int i = 0; i < 5; i++) d[i] = add(d[i], e[i]);
    carry4(h, d);
}

// Blocks p .. p + 63, one per lane, as limbs with the 2^128 bit (limb 4 bit 24) set.
AVX2_TARGET inline void load4(const std::uint8_t* p, __m256i m[5]) {
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));       // lo0 hi0 lo1 hi1
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));  // lo2 hi2 lo3 hi3
    const __m256i lo = _mm256_permute4x64_epi64(_mm256_unpacklo_epi64(a, b), 0xd8);  // lo0 lo1 lo2 lo3
    const __m256i hi = _mm256_permute4x64_epi64(_mm256_unpackhi_epi64(a, b), 0xd8);
    const __m256i mk = _mm256_set1_epi64x(std::int64_t(mask26));
    m[0] = _mm256_and_si256(lo, mk);
    m[1] = _mm256_and_si256(_mm256_srli_epi64(lo, 26), mk);
    m[2] = _mm256_and_si256(_mm256_or_si256(_mm256_srli_epi64(lo, 52), _mm256_slli_epi64(hi, 12)), mk);
    m[3] = _mm256_and_si256(_mm256_srli_epi64(hi, 14), mk);
    m[4] = _mm256_or_si256(_mm256_srli_epi64(hi, 40), _mm256_set1_epi64x(std::int64_t(1) << 24));
}

// ---- AVX-512 IFMA, radix 2^44 ----------------------------------------------------------------
// h = h0 + h1 2^44 + h2 2^88 with h0, h1 < 2^44 and h2 < 2^42 (+ a little) between steps.

constexpr std::uint64_t mask44 = (std::uint64_t(1) << 44) - 1;
constexpr std::uint64_t mask42 = (std::uint64_t(1) << 42) - 1;

struct Limbs44 {
    std::uint64_t v[3];
};

Limbs44 to_limbs44(std::uint64_t lo, std::uint64_t hi, std::uint64_t top) {
    return {{lo & mask44, ((lo >> 44) | (hi << 20)) & mask44, (hi >> 24) | (top << 40)}};
}

// a * b mod 2^130 - 5 in radix 2^44, scalar (for the powers of r): limbs below 2^44, 2^44, 2^42 + 5.
// Products that land at 2^132 fold back times 20 (2^132 = 4 * 2^130 = 20 mod p).
Limbs44 multiply44(const Limbs44& a, const Limbs44& b) {
    using u128 = unsigned __int128;
    const std::uint64_t *x = a.v, *y = b.v;
    const std::uint64_t s1 = 20 * y[1], s2 = 20 * y[2];
    u128 d0 = u128(x[0]) * y[0] + u128(x[1]) * s2 + u128(x[2]) * s1;
    u128 d1 = u128(x[0]) * y[1] + u128(x[1]) * y[0] + u128(x[2]) * s2;
    u128 d2 = u128(x[0]) * y[2] + u128(x[1]) * y[1] + u128(x[2]) * y[0];
    d1 += std::uint64_t(d0 >> 44);
    d2 += std::uint64_t(d1 >> 44);
    std::uint64_t h0 = std::uint64_t(d0) & mask44, h1 = std::uint64_t(d1) & mask44, h2 = std::uint64_t(d2) & mask42;
    h0 += 5 * std::uint64_t(d2 >> 42);  // d2 < 2^100, so the carry is < 2^58
    h1 += h0 >> 44;
    h0 &= mask44;
    h2 += h1 >> 44;
    h1 &= mask44;
    return {{h0, h1, h2}};
}

#define IFMA_TARGET __attribute__((target("avx512f,avx512ifma")))

// h = h * r in every lane (h limbs below 2^45, r limbs below 2^45, s = 20 r below 2^50).
// Each product a * b < 2^95 is taken as lo = its low 52 bits and hi = the rest, which sits 52 bits
// up: hi of limb k lands at 2^(44 (k + 1) + 8), so it is added shifted left by 8 into limb k + 1,
// and hi of limb 2 lands at 2^140 = 2^10 * 5 (mod p), so it is added times 5120 into limb 0.
IFMA_TARGET inline void multiply8(__m512i h[3], const __m512i r[3], const __m512i s[3]) {
    const __m512i z = _mm512_setzero_si512();
    __m512i lo0 = _mm512_madd52lo_epu64(z, h[0], r[0]);
    __m512i hi0 = _mm512_madd52hi_epu64(z, h[0], r[0]);
    __m512i lo1 = _mm512_madd52lo_epu64(z, h[0], r[1]);
    __m512i hi1 = _mm512_madd52hi_epu64(z, h[0], r[1]);
    __m512i lo2 = _mm512_madd52lo_epu64(z, h[0], r[2]);
    __m512i hi2 = _mm512_madd52hi_epu64(z, h[0], r[2]);
    lo0 = _mm512_madd52lo_epu64(lo0, h[1], s[2]);
    hi0 = _mm512_madd52hi_epu64(hi0, h[1], s[2]);
    lo1 = _mm512_madd52lo_epu64(lo1, h[1], r[0]);
    hi1 = _mm512_madd52hi_epu64(hi1, h[1], r[0]);
    lo2 = _mm512_madd52lo_epu64(lo2, h[1], r[1]);
    hi2 = _mm512_madd52hi_epu64(hi2, h[1], r[1]);
    lo0 = _mm512_madd52lo_epu64(lo0, h[2], s[1]);
    hi0 = _mm512_madd52hi_epu64(hi0, h[2], s[1]);
    lo1 = _mm512_madd52lo_epu64(lo1, h[2], s[2]);
    hi1 = _mm512_madd52hi_epu64(hi1, h[2], s[2]);
    lo2 = _mm512_madd52lo_epu64(lo2, h[2], r[0]);
    hi2 = _mm512_madd52hi_epu64(hi2, h[2], r[0]);
    // lo sums < 3 * 2^52; hi sums < 3 * 2^43 (limbs 0, 1) and < 3 * 2^38 (limb 2, no factor 20).
    __m512i d0 = _mm512_add_epi64(lo0, _mm512_add_epi64(_mm512_slli_epi64(hi2, 12), _mm512_slli_epi64(hi2, 10)));
    __m512i d1 = _mm512_add_epi64(lo1, _mm512_slli_epi64(hi0, 8));
    __m512i d2 = _mm512_add_epi64(lo2, _mm512_slli_epi64(hi1, 8));
    const __m512i m44 = _mm512_set1_epi64(std::int64_t(mask44));
    const __m512i m42 = _mm512_set1_epi64(std::int64_t(mask42));
    d1 = _mm512_add_epi64(d1, _mm512_srli_epi64(d0, 44));
    d0 = _mm512_and_si512(d0, m44);
    d2 = _mm512_add_epi64(d2, _mm512_srli_epi64(d1, 44));
    d1 = _mm512_and_si512(d1, m44);
    const __m512i c = _mm512_srli_epi64(d2, 42);
    d2 = _mm512_and_si512(d2, m42);
    d0 = _mm512_add_epi64(d0, _mm512_add_epi64(c, _mm512_slli_epi64(c, 2)));  // + 5 c
    d1 = _mm512_add_epi64(d1, _mm512_srli_epi64(d0, 44));
    d0 = _mm512_and_si512(d0, m44);
    h[0] = d0;  // < 2^44
    h[1] = d1;  // < 2^44 + 2^20
    h[2] = d2;  // < 2^42
}

// Blocks p .. p + 127, one per lane, as radix-2^44 limbs with the 2^128 bit (limb 2 bit 40) set.
IFMA_TARGET inline void load8(const std::uint8_t* p, __m512i m[3]) {
    const __m512i a = _mm512_loadu_si512(p);       // lo0 hi0 lo1 hi1 lo2 hi2 lo3 hi3
    const __m512i b = _mm512_loadu_si512(p + 64);  // lo4 hi4 ... lo7 hi7
    const __m512i even = _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14);
    const __m512i odd = _mm512_setr_epi64(1, 3, 5, 7, 9, 11, 13, 15);
    const __m512i lo = _mm512_permutex2var_epi64(a, even, b);
    const __m512i hi = _mm512_permutex2var_epi64(a, odd, b);
    const __m512i m44 = _mm512_set1_epi64(std::int64_t(mask44));
    m[0] = _mm512_and_si512(lo, m44);
    m[1] = _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(lo, 44), _mm512_slli_epi64(hi, 20)), m44);
    m[2] = _mm512_or_si512(_mm512_srli_epi64(hi, 24), _mm512_set1_epi64(std::int64_t(1) << 40));
}

}  // namespace

IFMA_TARGET void blocks_ifma(std::uint64_t h64[3], const std::uint64_t r64[2], const std::uint8_t* p,
                             std::size_t n) {
    if (n < 8) return;
    // r, r^2, ..., r^8 (lane i is finally multiplied by r^(8 - i)).
    Limbs44 pw[8];
    pw[0] = to_limbs44(r64[0], r64[1], 0);
    for (int i = 1; i < 8; i++) pw[i] = multiply44(pw[i - 1], pw[0]);
    __m512i r8[3], s8[3];
    for (int i = 0; i < 3; i++) {
        r8[i] = _mm512_set1_epi64(std::int64_t(pw[7].v[i]));
        s8[i] = _mm512_set1_epi64(std::int64_t(20 * pw[7].v[i]));
    }
    // Lanes start as (h + m_0, m_1, ..., m_7). h2 <= 4 (poly1305.cpp), so limb 2 stays below 2^43.
    const Limbs44 h0 = to_limbs44(h64[0], h64[1], h64[2]);
    __m512i h[3], m[3];
    load8(p, m);
    for (int i = 0; i < 3; i++)
        h[i] = _mm512_add_epi64(m[i], _mm512_setr_epi64(std::int64_t(h0.v[i]), 0, 0, 0, 0, 0, 0, 0));
    for (std::size_t done = 8; done < n; done += 8) {  // H = H r^8 + M: limbs stay below 2^45
        multiply8(h, r8, s8);
        load8(p + 16 * done, m);
        for (int i = 0; i < 3; i++) h[i] = _mm512_add_epi64(h[i], m[i]);
    }
    // Lane i times r^(8 - i), then the lanes summed.
    __m512i rl[3], sl[3];
    for (int i = 0; i < 3; i++) {
        rl[i] = _mm512_setr_epi64(std::int64_t(pw[7].v[i]), std::int64_t(pw[6].v[i]), std::int64_t(pw[5].v[i]),
                                  std::int64_t(pw[4].v[i]), std::int64_t(pw[3].v[i]), std::int64_t(pw[2].v[i]),
                                  std::int64_t(pw[1].v[i]), std::int64_t(pw[0].v[i]));
        sl[i] = _mm512_add_epi64(_mm512_slli_epi64(rl[i], 4), _mm512_slli_epi64(rl[i], 2));  // 20 r
    }
    multiply8(h, rl, sl);
    // Eight lanes of limbs below 2^45 sum to below 2^48; carry to 44/44/42 bits, fold the top times 5.
    std::uint64_t t[3];
    for (int i = 0; i < 3; i++) t[i] = std::uint64_t(_mm512_reduce_add_epi64(h[i]));
    t[1] += t[0] >> 44;
    t[0] &= mask44;
    t[2] += t[1] >> 44;
    t[1] &= mask44;
    t[0] += 5 * (t[2] >> 42);
    t[2] &= mask42;
    t[1] += t[0] >> 44;
    t[0] &= mask44;
    t[2] += t[1] >> 44;  // t2 < 2^42 + 1
    t[1] &= mask44;
    h64[0] = t[0] | (t[1] << 44);
    h64[1] = (t[1] >> 20) | (t[2] << 24);
    h64[2] = t[2] >> 40;  // <= 4, the invariant poly1305.cpp keeps
    secure_zero(pw, sizeof pw);
    secure_zero(t, sizeof t);
}

AVX2_TARGET void blocks_avx2(std::uint64_t h64[3], const std::uint64_t r64[2], const std::uint8_t* p,
                             std::size_t n) {
    if (n < 4) return;
    // r, r^2, r^3, r^4 (lane i is finally multiplied by r^(4 - i)).
    Limbs pw[4];
    pw[0] = to_limbs(r64[0], r64[1], 0);
    for (int i = 1; i < 4; i++) pw[i] = multiply(pw[i - 1], pw[0]);
    // Runs of 128 blocks and more take two steps at a time (r^8 costs one more scalar product).
    const bool two_steps = n >= 128;  // public
    Limbs r8l = two_steps ? multiply(pw[3], pw[3]) : Limbs{};  // r^8
    __m256i r4[5], s4[5], r8[5], s8[5];
    for (int i = 0; i < 5; i++) {
        r4[i] = _mm256_set1_epi64x(std::int64_t(pw[3].v[i]));
        s4[i] = _mm256_set1_epi64x(std::int64_t(5 * pw[3].v[i]));
        r8[i] = _mm256_set1_epi64x(std::int64_t(r8l.v[i]));
        s8[i] = _mm256_set1_epi64x(std::int64_t(5 * r8l.v[i]));
    }
    // Lanes start as (h + m_0, m_1, m_2, m_3).
    const Limbs h0 = to_limbs(h64[0], h64[1], h64[2]);
    __m256i h[5], m[5];
    load4(p, m);
    for (int i = 0; i < 5; i++) h[i] = _mm256_add_epi64(m[i], _mm256_setr_epi64x(std::int64_t(h0.v[i]), 0, 0, 0));
    std::size_t done = 4;
    for (; two_steps && n - done >= 8; done += 8) {  // H = (H r^4 + M) r^4 + M' = H r^8 + M r^4 + M'
        __m256i a[5];
        load4(p + 16 * done, a);
        load4(p + 16 * done + 64, m);
        multiply_add4(h, r8, s8, a, r4, s4);
        for (int i = 0; i < 5; i++) h[i] = _mm256_add_epi64(h[i], m[i]);
    }
    for (; done < n; done += 4) {  // H = H r^4 + M (n is a multiple of 4)
        multiply4(h, r4, s4);
        load4(p + 16 * done, m);
        for (int i = 0; i < 5; i++) h[i] = _mm256_add_epi64(h[i], m[i]);
    }
    // Lane i times r^(4 - i), then the lanes summed.
    __m256i rl[5], sl[5];
    for (int i = 0; i < 5; i++) {
        rl[i] = _mm256_setr_epi64x(std::int64_t(pw[3].v[i]), std::int64_t(pw[2].v[i]), std::int64_t(pw[1].v[i]),
                                   std::int64_t(pw[0].v[i]));
        sl[i] = _mm256_add_epi64(rl[i], _mm256_slli_epi64(rl[i], 2));
    }
    multiply4(h, rl, sl);
    std::uint64_t t[5];
    for (int i = 0; i < 5; i++) {
        alignas(32) std::uint64_t lane[4];
        _mm256_store_si256(reinterpret_cast<__m256i*>(lane), h[i]);
        t[i] = lane[0] + lane[1] + lane[2] + lane[3];
    }
    // Carry to 26-bit limbs (the top folded back times 5), then back to radix 2^64.
    for (int i = 0; i < 4; i++) {
        t[i + 1] += t[i] >> 26;
        t[i] &= mask26;
    }
    t[0] += 5 * (t[4] >> 26);
    t[4] &= mask26;
    for (int i = 0; i < 4; i++) {  // again, so limbs 0..3 are below 2^26 and the ORs below do not overlap
        t[i + 1] += t[i] >> 26;
        t[i] &= mask26;
    }
    h64[0] = t[0] | (t[1] << 26) | (t[2] << 52);
    h64[1] = (t[2] >> 12) | (t[3] << 14) | (t[4] << 40);
    h64[2] = t[4] >> 24;
    secure_zero(&r8l, sizeof r8l);
    secure_zero(pw, sizeof pw);
    secure_zero(t, sizeof t);
}

}  // namespace padlock::poly1305_x86
