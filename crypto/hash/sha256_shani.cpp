// SPDX-License-Identifier: Apache-2.0
// The SHA-256 compression function (FIPS 180-4 §6.2.2) with the x86 SHA extensions: SHA256RNDS2 runs
// two rounds on the state held as ABEF/CDGH halves, SHA256MSG1/MSG2 compute the message schedule
// (§6.2.2 step 1) four words at a time. Selected by crypto/hash/sha2.cpp when cpu::features() has sha_ni.
#include "crypto/hash/detail/sha256_shani.hpp"

#include <immintrin.h>

#include "crypto/hash/detail/sha256_k.hpp"

namespace padlock::sha2_x86 {

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
            const __m128i kw = _mm_add_epi32(m, _mm_load_si128(reinterpret_cast<const __m128i*>(sha256_k + 4 * g)));
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
