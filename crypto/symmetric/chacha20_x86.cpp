// SPDX-License-Identifier: Apache-2.0
// ChaCha20 (RFC 8439 §2.1-2.4) on 8 (AVX2) or 16 (AVX-512) blocks at once: register i holds state word
// i of every block, one block per 32-bit lane, so the quarter rounds of §2.1 run on all blocks with
// one instruction each; the key stream is then transposed back to block order for the XOR.
// Target attributes per function: the file builds without -march (crypto/cpu.hpp dispatch).
#include "crypto/symmetric/detail/chacha20_x86.hpp"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // GCC 12 AVX-512 headers (see gcm_x86.cpp)
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include <immintrin.h>

#include "crypto/ct.hpp"

namespace padlock::chacha20_x86 {
namespace {

#define AVX2_TARGET __attribute__((target("avx2")))
#define AVX512_TARGET __attribute__((target("avx2,avx512f,avx512bw,avx512vl")))

// ---- AVX2: eight blocks ----

template <int k>
AVX2_TARGET inline __m256i rotl(__m256i v) {
    if constexpr (k == 16)  // whole-byte rotations as one byte shuffle
        return _mm256_shuffle_epi8(v, _mm256_set_epi8(13, 12, 15, 14, 9, 8, 11, 10, 5, 4, 7, 6, 1, 0, 3, 2, 13, 12, 15,
                                                      14, 9, 8, 11, 10, 5, 4, 7, 6, 1, 0, 3, 2));
    else if constexpr (k == 8)
        return _mm256_shuffle_epi8(v, _mm256_set_epi8(14, 13, 12, 15, 10, 9, 8, 11, 6, 5, 4, 7, 2, 1, 0, 3, 14, 13, 12,
                                                      15, 10, 9, 8, 11, 6, 5, 4, 7, 2, 1, 0, 3));
    else
        return _mm256_or_si256(_mm256_slli_epi32(v, k), _mm256_srli_epi32(v, 32 - k));
}

AVX2_TARGET inline void quarter_round(__m256i x[16], int a, int b, int c, int d) {
    x[a] = _mm256_add_epi32(x[a], x[b]); x[d] = rotl<16>(_mm256_xor_si256(x[d], x[a]));
    x[c] = _mm256_add_epi32(x[c], x[d]); x[b] = rotl<12>(_mm256_xor_si256(x[b], x[c]));
    x[a] = _mm256_add_epi32(x[a], x[b]); x[d] = rotl<8>(_mm256_xor_si256(x[d], x[a]));
    x[c] = _mm256_add_epi32(x[c], x[d]); x[b] = rotl<7>(_mm256_xor_si256(x[b], x[c]));
}

AVX2_TARGET inline void xor_store(const std::uint8_t* in, std::uint8_t* out, __m256i ks, __m256i keep) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), _mm256_and_si256(_mm256_xor_si256(v, ks), keep));
}

// RFC 8439 §2.3 on eight blocks: x[i] lane j = word i of the block with counter lane j of
// `counters` (the other words from state), 20 rounds, the input added back.
AVX2_TARGET __attribute__((always_inline)) inline void rounds8(const std::uint32_t state[16], __m256i counters,
                                                               __m256i x[16]) {
    for (int i = 0; i < 16; i++) x[i] = _mm256_set1_epi32(int(state[i]));
    x[12] = counters;
    for (int r = 0; r < 10; r++) {  // §2.3.1 inner_block: column round, diagonal round
        quarter_round(x, 0, 4, 8, 12); quarter_round(x, 1, 5, 9, 13);
        quarter_round(x, 2, 6, 10, 14); quarter_round(x, 3, 7, 11, 15);
        quarter_round(x, 0, 5, 10, 15); quarter_round(x, 1, 6, 11, 12);
        quarter_round(x, 2, 7, 8, 13); quarter_round(x, 3, 4, 9, 14);
    }
    // The input words are read again from memory (the barrier hides that they were read before):
    // GCC otherwise kept all sixteen in general registers across the rounds.
    const std::uint32_t* input = ct::barrier(state);
    for (int i = 0; i < 16; i++)
        if (i != 12) x[i] = _mm256_add_epi32(x[i], _mm256_set1_epi32(int(input[i])));
    x[12] = _mm256_add_epi32(x[12], counters);
}

// Transpose x back to block order: a[g][k] lane j (128 bits) = words 4g..4g+3 of block 4j + k.
AVX2_TARGET inline void transpose8(const __m256i x[16], __m256i a[4][4]) {
    for (int g = 0; g < 4; g++) {
        const __m256i t0 = _mm256_unpacklo_epi32(x[4 * g], x[4 * g + 1]);
        const __m256i t1 = _mm256_unpackhi_epi32(x[4 * g], x[4 * g + 1]);
        const __m256i t2 = _mm256_unpacklo_epi32(x[4 * g + 2], x[4 * g + 3]);
        const __m256i t3 = _mm256_unpackhi_epi32(x[4 * g + 2], x[4 * g + 3]);
        a[g][0] = _mm256_unpacklo_epi64(t0, t2);
        a[g][1] = _mm256_unpackhi_epi64(t0, t2);
        a[g][2] = _mm256_unpacklo_epi64(t1, t3);
        a[g][3] = _mm256_unpackhi_epi64(t1, t3);
    }
}

// out[0..512) = (in XOR the eight key-stream blocks in a) AND keep.
AVX2_TARGET inline void xor_store8(const __m256i a[4][4], const std::uint8_t* in, std::uint8_t* out, __m256i keep) {
    for (int k = 0; k < 4; k++) {
        const std::size_t lo = 64 * std::size_t(k), hi = lo + 256;  // blocks k and 4 + k
        xor_store(in + lo, out + lo, _mm256_permute2x128_si256(a[0][k], a[1][k], 0x20), keep);
        xor_store(in + lo + 32, out + lo + 32, _mm256_permute2x128_si256(a[2][k], a[3][k], 0x20), keep);
        xor_store(in + hi, out + hi, _mm256_permute2x128_si256(a[0][k], a[1][k], 0x31), keep);
        xor_store(in + hi + 32, out + hi + 32, _mm256_permute2x128_si256(a[2][k], a[3][k], 0x31), keep);
    }
}

AVX2_TARGET inline __m256i consecutive(std::uint32_t counter) {  // counter + 0..7 (mod 2^32)
    return _mm256_add_epi32(_mm256_set1_epi32(int(counter)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

}  // namespace

AVX2_TARGET std::size_t xor_avx2(std::uint32_t state[16], const std::uint8_t* in, std::uint8_t* out, std::size_t n,
                                 std::uint8_t keep) {
    std::size_t done = 0;
    const __m256i m = _mm256_set1_epi8(char(keep));
    // x and a are wiped once, after the loop: the compiler may spill them to the stack, which must
    // not keep key stream, but a wipe per pass doubled the stores of a pass.
    __m256i x[16], a[4][4];
    for (; n - done >= 512; done += 512, state[12] += 8) {
        rounds8(state, consecutive(state[12]), x);
        transpose8(x, a);
        xor_store8(a, in + done, out + done, m);
    }
    secure_zero(x, sizeof x);
    secure_zero(a, sizeof a);
    return done;
}

AVX2_TARGET void keystream_avx2(const std::uint32_t state[16], const std::uint32_t counters[8],
                                std::uint8_t out[512]) {
    static constexpr std::uint8_t zeros[512] = {};
    __m256i x[16], a[4][4];
    rounds8(state, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(counters)), x);
    transpose8(x, a);
    xor_store8(a, zeros, out, _mm256_set1_epi8(char(0xff)));
    secure_zero(x, sizeof x);
    secure_zero(a, sizeof a);
}

namespace {

// ---- AVX-512: sixteen blocks ----

AVX512_TARGET inline void quarter_round(__m512i x[16], int a, int b, int c, int d) {
    x[a] = _mm512_add_epi32(x[a], x[b]); x[d] = _mm512_rol_epi32(_mm512_xor_si512(x[d], x[a]), 16);
    x[c] = _mm512_add_epi32(x[c], x[d]); x[b] = _mm512_rol_epi32(_mm512_xor_si512(x[b], x[c]), 12);
    x[a] = _mm512_add_epi32(x[a], x[b]); x[d] = _mm512_rol_epi32(_mm512_xor_si512(x[d], x[a]), 8);
    x[c] = _mm512_add_epi32(x[c], x[d]); x[b] = _mm512_rol_epi32(_mm512_xor_si512(x[b], x[c]), 7);
}

AVX512_TARGET inline void xor_store(const std::uint8_t* in, std::uint8_t* out, __m512i ks, __m512i keep) {
    _mm512_storeu_si512(out, _mm512_and_si512(_mm512_xor_si512(_mm512_loadu_si512(in), ks), keep));
}

}  // namespace

AVX512_TARGET std::size_t xor_avx512(std::uint32_t state[16], const std::uint8_t* in, std::uint8_t* out,
                                     std::size_t n, std::uint8_t keep) {
    std::size_t done = 0;
    const __m512i m = _mm512_set1_epi32(int(0x01010101u * keep));
    const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    __m512i x[16], a[4][4];  // wiped once, after the loop (see xor_avx2)
    for (; n - done >= 1024; done += 1024, state[12] += 16) {
        for (int i = 0; i < 16; i++) x[i] = _mm512_set1_epi32(int(state[i]));
        x[12] = _mm512_add_epi32(x[12], lane);
        for (int r = 0; r < 10; r++) {
            quarter_round(x, 0, 4, 8, 12); quarter_round(x, 1, 5, 9, 13);
            quarter_round(x, 2, 6, 10, 14); quarter_round(x, 3, 7, 11, 15);
            quarter_round(x, 0, 5, 10, 15); quarter_round(x, 1, 6, 11, 12);
            quarter_round(x, 2, 7, 8, 13); quarter_round(x, 3, 4, 9, 14);
        }
        for (int i = 0; i < 16; i++) x[i] = _mm512_add_epi32(x[i], _mm512_set1_epi32(int(state[i])));
        x[12] = _mm512_add_epi32(x[12], lane);
        // a[g][k] lane j (128 bits) = words 4g..4g+3 of block 4j + k; then a 4x4 transpose of lanes.
        for (int g = 0; g < 4; g++) {
            const __m512i t0 = _mm512_unpacklo_epi32(x[4 * g], x[4 * g + 1]);
            const __m512i t1 = _mm512_unpackhi_epi32(x[4 * g], x[4 * g + 1]);
            const __m512i t2 = _mm512_unpacklo_epi32(x[4 * g + 2], x[4 * g + 3]);
            const __m512i t3 = _mm512_unpackhi_epi32(x[4 * g + 2], x[4 * g + 3]);
            a[g][0] = _mm512_unpacklo_epi64(t0, t2);
            a[g][1] = _mm512_unpackhi_epi64(t0, t2);
            a[g][2] = _mm512_unpacklo_epi64(t1, t3);
            a[g][3] = _mm512_unpackhi_epi64(t1, t3);
        }
        for (int k = 0; k < 4; k++) {
            const __m512i p0 = _mm512_shuffle_i32x4(a[0][k], a[1][k], 0x44);
            const __m512i p1 = _mm512_shuffle_i32x4(a[0][k], a[1][k], 0xee);
            const __m512i p2 = _mm512_shuffle_i32x4(a[2][k], a[3][k], 0x44);
            const __m512i p3 = _mm512_shuffle_i32x4(a[2][k], a[3][k], 0xee);
            const std::size_t at = done + 64 * std::size_t(k);  // block 4j + k at at + 256 j
            xor_store(in + at, out + at, _mm512_shuffle_i32x4(p0, p2, 0x88), m);
            xor_store(in + at + 256, out + at + 256, _mm512_shuffle_i32x4(p0, p2, 0xdd), m);
            xor_store(in + at + 512, out + at + 512, _mm512_shuffle_i32x4(p1, p3, 0x88), m);
            xor_store(in + at + 768, out + at + 768, _mm512_shuffle_i32x4(p1, p3, 0xdd), m);
        }
    }
    secure_zero(x, sizeof x);
    secure_zero(a, sizeof a);
    return done;
}

}  // namespace padlock::chacha20_x86
