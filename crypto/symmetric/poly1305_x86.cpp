// SPDX-License-Identifier: Apache-2.0
// Poly1305 (RFC 8439 §2.5) with AVX2: four accumulators, one per 64-bit lane, in radix 2^26 (five
// limbs, 32x32 -> 64-bit lane products). Lane i takes blocks i, i + 4, i + 8, ... and is multiplied by
// r^4 per step; at the end lane i is multiplied by r^(4 - i) and the lanes are summed, which gives the
// same polynomial as the one-block-at-a-time Horner rule: sum of m_j r^(n + 1 - j).
#include "crypto/symmetric/detail/poly1305_x86.hpp"

#include <immintrin.h>

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

// h * r in every lane (the same formulas as multiply(), four lanes at once); s = 5 r.
AVX2_TARGET inline void multiply4(__m256i h[5], const __m256i r[5], const __m256i s[5]) {
    __m256i d[5];
    d[0] = add(add(add(mul(h[0], r[0]), mul(h[1], s[4])), add(mul(h[2], s[3]), mul(h[3], s[2]))), mul(h[4], s[1]));
    d[1] = add(add(add(mul(h[0], r[1]), mul(h[1], r[0])), add(mul(h[2], s[4]), mul(h[3], s[3]))), mul(h[4], s[2]));
    d[2] = add(add(add(mul(h[0], r[2]), mul(h[1], r[1])), add(mul(h[2], r[0]), mul(h[3], s[4]))), mul(h[4], s[3]));
    d[3] = add(add(add(mul(h[0], r[3]), mul(h[1], r[2])), add(mul(h[2], r[1]), mul(h[3], r[0]))), mul(h[4], s[4]));
    d[4] = add(add(add(mul(h[0], r[4]), mul(h[1], r[3])), add(mul(h[2], r[2]), mul(h[3], r[1]))), mul(h[4], r[0]));
    const __m256i m = _mm256_set1_epi64x(std::int64_t(mask26));
    for (int i = 0; i < 4; i++) {
        d[i + 1] = add(d[i + 1], _mm256_srli_epi64(d[i], 26));
        d[i] = _mm256_and_si256(d[i], m);
    }
    const __m256i c = _mm256_srli_epi64(d[4], 26);
    d[4] = _mm256_and_si256(d[4], m);
    d[0] = add(d[0], add(c, _mm256_slli_epi64(c, 2)));  // + 5 c
    d[1] = add(d[1], _mm256_srli_epi64(d[0], 26));
    d[0] = _mm256_and_si256(d[0], m);
    for (int i = 0; i < 5; i++) h[i] = d[i];
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

}  // namespace

AVX2_TARGET void blocks_avx2(std::uint64_t h64[3], const std::uint64_t r64[2], const std::uint8_t* p,
                             std::size_t n) {
    if (n < 4) return;
    // r, r^2, r^3, r^4 (lane i is finally multiplied by r^(4 - i)).
    Limbs pw[4];
    pw[0] = to_limbs(r64[0], r64[1], 0);
    for (int i = 1; i < 4; i++) pw[i] = multiply(pw[i - 1], pw[0]);
    __m256i r4[5], s4[5];
    for (int i = 0; i < 5; i++) {
        r4[i] = _mm256_set1_epi64x(std::int64_t(pw[3].v[i]));
        s4[i] = _mm256_set1_epi64x(std::int64_t(5 * pw[3].v[i]));
    }
    // Lanes start as (h + m_0, m_1, m_2, m_3).
    const Limbs h0 = to_limbs(h64[0], h64[1], h64[2]);
    __m256i h[5], m[5];
    load4(p, m);
    for (int i = 0; i < 5; i++) h[i] = _mm256_add_epi64(m[i], _mm256_setr_epi64x(std::int64_t(h0.v[i]), 0, 0, 0));
    for (std::size_t done = 4; done < n; done += 4) {  // H = H r^4 + M
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
    secure_zero(pw, sizeof pw);
    secure_zero(t, sizeof t);
}

}  // namespace padlock::poly1305_x86
