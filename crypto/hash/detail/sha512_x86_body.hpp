// SPDX-License-Identifier: Apache-2.0
// The SHA-512 compression function (FIPS 180-4 §6.4.2) with 256-bit vectors, BMI1 and BMI2, the body shared
// by crypto/hash/sha512_avx2.cpp (AVX2: σ0/σ1 rotates as shift pairs) and
// crypto/hash/sha512_avx512.cpp (AVX-512VL: VPRORQ and VPTERNLOGQ). Each includes it once, after
// defining SHA512_TARGET (the function attribute), SHA512_COMPRESS (the function's name) and
// SHA512_VPRORQ (0 or 1); everything else is the same code.
//
// The message schedule (step 1) is computed in 256-bit registers, two words of each of two blocks at
// a time (a single last block: four words of it at a time), while the scalar rounds (step 3) run with
// BMI2's RORX, a rotate that leaves its source intact (the Σ functions need each input three times);
// K_t + W_t reach the rounds through memory (a single block: a 16-word ring, as in the portable code,
// sha2.cpp, which this file follows round for round).
//
// No include guard: meant to be included once per translation unit, by those two files only.
#include <bit>
#include <cstddef>
#include <cstdint>

#include <immintrin.h>

#include "crypto/ct.hpp"
#include "crypto/hash/detail/sha512_k.hpp"

namespace padlock::sha2_x86 {
namespace {

// The rounds and the scheduling loop around them must be inlined into SHA512_COMPRESS, which keeps
// the schedule's registers (x below) in registers; GCC 12 left them out of line, x in memory.
#define SHA512_ALWAYS_INLINE SHA512_TARGET __attribute__((always_inline)) inline

// §4.1.3 functions on one word (scalar rounds).
// Ch(x, y, z) = (x ∧ y) ⊕ (¬x ∧ z): the two terms never share a set bit, so ⊕ is + here, and the
// caller adds them to T1 one at a time (BMI1's ANDN makes ¬x ∧ z one instruction, with no copy).
SHA512_TARGET inline std::uint64_t ch_x(std::uint64_t x, std::uint64_t y) { return x & y; }
SHA512_TARGET inline std::uint64_t ch_not_x(std::uint64_t x, std::uint64_t z) { return ~x & z; }
SHA512_TARGET inline std::uint64_t big_sigma0(std::uint64_t x) {
    return std::rotr(x, 28) ^ std::rotr(x, 34) ^ std::rotr(x, 39);
}
SHA512_TARGET inline std::uint64_t big_sigma1(std::uint64_t x) {
    return std::rotr(x, 14) ^ std::rotr(x, 18) ^ std::rotr(x, 41);
}

// §4.1.3 σ0, σ1 on four words. AVX2 has no 64-bit rotate (two shifts and an OR each); AVX-512VL has
// VPRORQ, and VPTERNLOGQ (truth table 0x96: x ^ y ^ z) XORs the three terms in one instruction.
#if SHA512_VPRORQ
SHA512_TARGET inline __m256i small_sigma0(__m256i x) {
    return _mm256_ternarylogic_epi64(_mm256_ror_epi64(x, 1), _mm256_ror_epi64(x, 8), _mm256_srli_epi64(x, 7), 0x96);
}
SHA512_TARGET inline __m256i small_sigma1(__m256i x) {
    return _mm256_ternarylogic_epi64(_mm256_ror_epi64(x, 19), _mm256_ror_epi64(x, 61), _mm256_srli_epi64(x, 6), 0x96);
}
#else
template <int n>
SHA512_TARGET inline __m256i rotr4(__m256i x) {
    return _mm256_or_si256(_mm256_srli_epi64(x, n), _mm256_slli_epi64(x, 64 - n));
}
// A rotation by 8 is a byte shuffle: one VPSHUFB instead of two shifts and an OR.
SHA512_TARGET inline __m256i small_sigma0(__m256i x) {
    const __m256i rotr8 = _mm256_setr_epi8(1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11, 12, 13, 14, 15, 8, 1, 2, 3, 4, 5, 6, 7,
                                           0, 9, 10, 11, 12, 13, 14, 15, 8);
    return _mm256_xor_si256(_mm256_xor_si256(rotr4<1>(x), _mm256_shuffle_epi8(x, rotr8)), _mm256_srli_epi64(x, 7));
}
SHA512_TARGET inline __m256i small_sigma1(__m256i x) {
    return _mm256_xor_si256(_mm256_xor_si256(rotr4<19>(x), rotr4<61>(x)), _mm256_srli_epi64(x, 6));
}
#endif

// Words 1..3 of a followed by word 0 of b: W_{i+1..i+4} from W_{i..i+3} and W_{i+4..i+7}.
SHA512_TARGET inline __m256i shift_one(__m256i a, __m256i b) {
    return _mm256_permute4x64_epi64(_mm256_blend_epi32(a, b, 0x03), 0x39);
}

// W_t..W_{t+3} for t >= 16 (§6.4.2 step 1) from w0..w3 = W_{t-16..t-13}, ..., W_{t-4..t-1}.
// W_{t+2} and W_{t+3} need σ1 of W_t and W_{t+1}, so σ1 is added in two halves.
SHA512_TARGET inline __m256i next4(__m256i w0, __m256i w1, __m256i w2, __m256i w3) {
    __m256i x = _mm256_add_epi64(_mm256_add_epi64(w0, small_sigma0(shift_one(w0, w1))), shift_one(w2, w3));
    const __m256i low = _mm256_setr_epi64x(-1, -1, 0, 0);
    // Low half: σ1(W_{t-2}), σ1(W_{t-1}).
    x = _mm256_add_epi64(x, _mm256_and_si256(small_sigma1(_mm256_permute4x64_epi64(w3, 0xee)), low));
    // High half: σ1(W_t), σ1(W_{t+1}), from the low half just computed.
    return _mm256_add_epi64(x, _mm256_andnot_si256(low, small_sigma1(_mm256_permute4x64_epi64(x, 0x44))));
}

// kw[0..3] = w + K_t..K_{t+3}.
SHA512_TARGET inline void stage(std::uint64_t* kw, __m256i w, const std::uint64_t* k) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(kw),
                        _mm256_add_epi64(w, _mm256_load_si256(reinterpret_cast<const __m256i*>(k))));
}

// One round (§6.4.2 step 3), renamed instead of shifted, with Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c))
// carrying b ^ c to the next round (as sha2.cpp's round512).
SHA512_ALWAYS_INLINE void round512(std::uint64_t a, std::uint64_t b, std::uint64_t& d, std::uint64_t e,
                                   std::uint64_t f, std::uint64_t g, std::uint64_t& h, std::uint64_t k_plus_w,
                                   std::uint64_t& bc) {
    // T1 = h + Σ1(e) + Ch(e, f, g) + K_t + W_t; h + K_t + W_t does not wait for the previous round's e.
    const std::uint64_t t1 = h + k_plus_w + ch_not_x(e, g) + ch_x(e, f) + big_sigma1(e);
    const std::uint64_t ab = a ^ b;
    const std::uint64_t maj = b ^ (ab & bc);
    bc = ab;
    d += t1;
    h = t1 + big_sigma0(a) + maj;
}

// Four rounds; the next four are the same call with the names rotated by four.
SHA512_ALWAYS_INLINE void rounds4(std::uint64_t& a, std::uint64_t& b, std::uint64_t& c, std::uint64_t& d,
                                  std::uint64_t& e, std::uint64_t& f, std::uint64_t& g, std::uint64_t& h,
                                  const std::uint64_t kw[4], std::uint64_t& bc) {
    round512(a, b, d, e, f, g, h, kw[0], bc);
    round512(h, a, c, d, e, f, g, kw[1], bc);
    round512(g, h, b, c, d, e, f, kw[2], bc);
    round512(f, g, a, b, c, d, e, kw[3], bc);
}

// ---- Two blocks at once: block A's words in the low 128-bit lane, block B's in the high one ----

// W_{t..t+1} of both blocks (§6.4.2 step 1) from x[0..7] = W_{t-16..t-1}, two words a lane each,
// oldest first. Each lane needs σ1 only of the register before (W_{t-2}, W_{t-1}), so unlike next4
// nothing is split in halves; VPALIGNR takes the straddling pairs W_{t-15..t-14} and W_{t-7..t-6}
// within each lane.
SHA512_TARGET inline __m256i next2x2(const __m256i x[8]) {
    const __m256i w15 = _mm256_alignr_epi8(x[1], x[0], 8), w7 = _mm256_alignr_epi8(x[5], x[4], 8);
    return _mm256_add_epi64(_mm256_add_epi64(x[0], small_sigma0(w15)), _mm256_add_epi64(w7, small_sigma1(x[7])));
}

// W + K_t, K_{t+1} for the two blocks in w: block A's into kwa[t..t+1], block B's into kwb[t..t+1].
SHA512_TARGET inline void stage2x2(std::uint64_t* kwa, std::uint64_t* kwb, __m256i w, std::size_t t) {
    const __m256i k = _mm256_broadcastsi128_si256(_mm_load_si128(reinterpret_cast<const __m128i*>(sha512_k + t)));
    const __m256i kw = _mm256_add_epi64(w, k);
    _mm_store_si128(reinterpret_cast<__m128i*>(kwa + t), _mm256_castsi256_si128(kw));
    _mm_store_si128(reinterpret_cast<__m128i*>(kwb + t), _mm256_extracti128_si256(kw, 1));
}

// The next two words of both schedules, t the index of the first.
SHA512_TARGET inline void schedule2x2(__m256i x[8], std::uint64_t* kwa, std::uint64_t* kwb, std::size_t t) {
    const __m256i w = next2x2(x);
    for (int j = 0; j < 7; j++) x[j] = x[j + 1];
    x[7] = w;
    stage2x2(kwa, kwb, w, t);
}

// Words 0..15 of blocks A (at p) and B (at p + 128) into x and, plus K, into kwa and kwb.
SHA512_TARGET inline void load2x2(__m256i x[8], std::uint64_t* kwa, std::uint64_t* kwb, const std::uint8_t* p) {
    // §3.1: each 64-bit word of the block is big-endian; one byte shuffle reverses both.
    const __m256i swap = _mm256_setr_epi8(7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2,
                                          1, 0, 15, 14, 13, 12, 11, 10, 9, 8);
    for (int j = 0; j < 8; j++) {
        const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * j));
        const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 128 + 16 * j));
        x[j] = _mm256_shuffle_epi8(_mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1), swap);
        stage2x2(kwa, kwb, x[j], 2 * std::size_t(j));
    }
}

// The 80 rounds of one block (K_t + W_t in kw), with 32 words of a pair's schedule computed in the
// vector registers meanwhile: words t0..t0+31 into kwa and kwb, two every four rounds.
SHA512_ALWAYS_INLINE void rounds_scheduling(std::uint64_t state[8], const std::uint64_t kw[80], __m256i x[8],
                                            std::uint64_t* kwa, std::uint64_t* kwb, std::size_t t0) {
    std::uint64_t a = state[0], b = state[1], c = state[2], d = state[3];
    std::uint64_t e = state[4], f = state[5], g = state[6], h = state[7];
    std::uint64_t bc = b ^ c;
#pragma GCC unroll 1
    for (std::size_t t = 0; t < 64; t += 8) {
        rounds4(a, b, c, d, e, f, g, h, kw + t, bc);
        schedule2x2(x, kwa, kwb, t0 + t / 2);
        rounds4(e, f, g, h, a, b, c, d, kw + t + 4, bc);
        schedule2x2(x, kwa, kwb, t0 + t / 2 + 2);
    }
    for (std::size_t t = 64; t < 80; t += 8) {
        rounds4(a, b, c, d, e, f, g, h, kw + t, bc);
        rounds4(e, f, g, h, a, b, c, d, kw + t + 4, bc);
    }
    state[0] += a; state[1] += b; state[2] += c; state[3] += d;
    state[4] += e; state[5] += f; state[6] += g; state[7] += h;
}

SHA512_TARGET inline void add_rounds(std::uint64_t state[8], const std::uint64_t kw[80]) {
    std::uint64_t a = state[0], b = state[1], c = state[2], d = state[3];
    std::uint64_t e = state[4], f = state[5], g = state[6], h = state[7];
    std::uint64_t bc = b ^ c;
#pragma GCC unroll 1
    for (int t = 0; t < 80; t += 8) {
        rounds4(a, b, c, d, e, f, g, h, kw + t, bc);
        rounds4(e, f, g, h, a, b, c, d, kw + t + 4, bc);
    }
    state[0] += a; state[1] += b; state[2] += c; state[3] += d;
    state[4] += e; state[5] += f; state[6] += g; state[7] += h;
}

}  // namespace

SHA512_TARGET void SHA512_COMPRESS(std::uint64_t state[8], const std::uint8_t* p, std::size_t count) {
    // §3.1: each 64-bit word of the block is big-endian; one byte shuffle reverses all four.
    const __m256i swap = _mm256_setr_epi8(7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2,
                                          1, 0, 15, 14, 13, 12, 11, 10, 9, 8);
    alignas(32) std::uint64_t kw[16];  // K_t + W_t for the next 16 rounds; message-derived, wiped at the end
    // Pairs of blocks: the schedules of both are computed in one set of registers, which halves the
    // vector work per block, and spread evenly over the scalar rounds (on Zen 3 the vector work of
    // a whole pair beside one block's rounds is more than the core issues without stalling them):
    // words 16..47 of a pair beside the rounds of the pair before's block B, 48..79 beside its own
    // block A. K + W of both blocks go to kwa / kwb; kwb in two sets, so that a pair's can be
    // written while the pair before's block B reads its own (its block A is done with kwa by then). +7% at 16 KiB on Zen 3 over computing a
    // pair's whole schedule beside its block A.
    alignas(32) std::uint64_t kwa[80], kwb[2][80];  // message-derived, wiped at the end
    const bool pairs = count >= 2;
    __m256i x[8];  // W_{t-16..t-1} of the pair being scheduled, two words of each block a register
    if (pairs) {
        load2x2(x, kwa, kwb[0], p);
        for (std::size_t t = 16; t < 48; t += 2) schedule2x2(x, kwa, kwb[0], t);
    }
    for (unsigned set = 0; count >= 2; count -= 2, p += 256, set ^= 1) {
        rounds_scheduling(state, kwa, x, kwa, kwb[set], 48);
        if (count >= 4) {
            load2x2(x, kwa, kwb[set ^ 1], p + 256);
            rounds_scheduling(state, kwb[set], x, kwa, kwb[set ^ 1], 16);
        } else {
            add_rounds(state, kwb[set]);
        }
    }
    for (; count > 0; count--, p += 128) {
        __m256i w[4];  // W_{t-16..t-1} before rounds t..t+15, oldest first
        for (int j = 0; j < 4; j++) {
            w[j] = _mm256_shuffle_epi8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * j)), swap);
            stage(kw + 4 * j, w[j], sha512_k + 4 * j);
        }
        std::uint64_t a = state[0], b = state[1], c = state[2], d = state[3];
        std::uint64_t e = state[4], f = state[5], g = state[6], h = state[7];
        std::uint64_t bc = b ^ c;
        // Rounds 0-63; after each four, their ring slots get K + W for the rounds 16 later. A loop, as
        // in sha2.cpp: unrolled, the function outgrows the decoded-op cache.
#pragma GCC unroll 1
        for (int t = 0; t < 64; t += 16) {
            rounds4(a, b, c, d, e, f, g, h, kw, bc);
            w[0] = next4(w[0], w[1], w[2], w[3]);
            stage(kw, w[0], sha512_k + t + 16);
            rounds4(e, f, g, h, a, b, c, d, kw + 4, bc);
            w[1] = next4(w[1], w[2], w[3], w[0]);
            stage(kw + 4, w[1], sha512_k + t + 20);
            rounds4(a, b, c, d, e, f, g, h, kw + 8, bc);
            w[2] = next4(w[2], w[3], w[0], w[1]);
            stage(kw + 8, w[2], sha512_k + t + 24);
            rounds4(e, f, g, h, a, b, c, d, kw + 12, bc);
            w[3] = next4(w[3], w[0], w[1], w[2]);
            stage(kw + 12, w[3], sha512_k + t + 28);
        }
        // Rounds 64-79.
        rounds4(a, b, c, d, e, f, g, h, kw, bc);
        rounds4(e, f, g, h, a, b, c, d, kw + 4, bc);
        rounds4(a, b, c, d, e, f, g, h, kw + 8, bc);
        rounds4(e, f, g, h, a, b, c, d, kw + 12, bc);
        // Intermediate hash value H(i) (§6.4.2 step 4).
        state[0] += a; state[1] += b; state[2] += c; state[3] += d;
        state[4] += e; state[5] += f; state[6] += g; state[7] += h;
    }
    secure_zero(kw, sizeof kw);
    if (pairs) {
        secure_zero(kwa, sizeof kwa);
        secure_zero(kwb, sizeof kwb);
    }
}

}  // namespace padlock::sha2_x86
