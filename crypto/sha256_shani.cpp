// SPDX-License-Identifier: Apache-2.0
// The SHA-256 compression function (FIPS 180-4 §6.2.2) with the x86 SHA extensions: SHA256RNDS2 runs
// two rounds on the state held as ABEF/CDGH halves, SHA256MSG1/MSG2 compute the message schedule
// (§6.2.2 step 1) four words at a time. Selected by crypto/sha2.cpp when cpu::features() has sha_ni.
#include "crypto/sha256_shani.hpp"

#include <immintrin.h>

namespace padlock::sha2_x86 {
namespace {

// §4.2.2 constants K_0..K_63.
alignas(16) constexpr std::uint32_t k256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

}  // namespace

__attribute__((target("sha,ssse3,sse4.1"))) void compress256_shani(std::uint32_t state[8], const std::uint8_t* p,
                                                                    std::size_t count) {
    // state = a..h. SHA256RNDS2 wants {A, B, E, F} and {C, D, G, H}, A and C in the top lanes.
    const __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state)), 0xb1);  // b a d c
    const __m128i efgh = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4)), 0x1b);  // h g f e
    __m128i abef = _mm_alignr_epi8(abcd, efgh, 8);      // f e b a (lane 0 first)
    __m128i cdgh = _mm_blend_epi16(efgh, abcd, 0xf0);  // h g d c
    // Each 32-bit word of the block is big-endian (§3.1).
    const __m128i swap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
    for (; count > 0; count--, p += 64) {
        const __m128i abef_in = abef, cdgh_in = cdgh;
        __m128i w[4];  // W_t for the current four groups of four rounds, a ring
#pragma GCC unroll 16
        for (int g = 0; g < 16; g++) {
            __m128i& m = w[g % 4];
            if (g < 4) {
                m = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * g)), swap);
            } else {
                // W_t = sigma1(W_t-2) + W_t-7 + sigma0(W_t-15) + W_t-16, four at a time: MSG1 adds
                // sigma0, the alignr supplies W_t-7, MSG2 adds sigma1 (needing the new words too).
                const __m128i t7 = _mm_alignr_epi8(w[(g + 3) % 4], w[(g + 2) % 4], 4);
                m = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(m, w[(g + 1) % 4]), t7), w[(g + 3) % 4]);
            }
            const __m128i kw = _mm_add_epi32(m, _mm_load_si128(reinterpret_cast<const __m128i*>(k256 + 4 * g)));
            // Two rounds with K+W in the low half, two with the high half; the old ABEF becomes CDGH.
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, kw);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(kw, 0x0e));
        }
        // §6.2.2 step 4: H(i) = H(i-1) + the working variables.
        abef = _mm_add_epi32(abef, abef_in);
        cdgh = _mm_add_epi32(cdgh, cdgh_in);
    }
    const __m128i abef_r = _mm_shuffle_epi32(abef, 0x1b);  // a b e f
    const __m128i cdgh_r = _mm_shuffle_epi32(cdgh, 0xb1);  // g h c d
    _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_blend_epi16(abef_r, cdgh_r, 0xf0));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), _mm_alignr_epi8(cdgh_r, abef_r, 8));
}

}  // namespace padlock::sha2_x86
