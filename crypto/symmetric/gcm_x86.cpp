// SPDX-License-Identifier: Apache-2.0
// AES-GCM (NIST SP 800-38D) on x86-64: AES rounds with AES-NI (or VAES on two blocks per 256-bit or
// four per 512-bit register), GHASH (§6.4) with PCLMULQDQ (or VPCLMULQDQ), sixteen blocks in flight,
// and one reduction per 16 blocks with precomputed powers of H. Each function carries its own target attribute,
// so the file builds without -march and its code runs only where cpu::features() allowed it.
#include "crypto/symmetric/detail/gcm_x86.hpp"

#include <cstring>

// GCC 12's AVX-512 headers start some intrinsics (broadcasts, extracts) from _mm512_undefined_*,
// which -W(maybe-)uninitialized reports inside the header once inlined; the values are never read.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include <immintrin.h>

#include "crypto/ct.hpp"

namespace padlock {
namespace {

#define NI_TARGET __attribute__((target("aes,pclmul,ssse3,sse4.1")))
// The passes of the main loops are forced inline: a call between them (GCC stopped inlining
// ctr16_v256 once open_v256 grew) serialises the AES and GHASH chains the loops interleave.
#define HOT inline __attribute__((always_inline))
#define V512_TARGET \
    __attribute__((target("aes,pclmul,ssse3,sse4.1,avx2,avx512f,avx512bw,avx512vl,vaes,vpclmulqdq")))

// Blocks are byte-reversed on load, so a GF(2^128) element becomes the 128-bit integer whose bit
// 127 - i is the coefficient of x^i (byte 0 of the block is most significant), as in gcm.cpp.
NI_TARGET inline __m128i reverse_mask() { return _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15); }
NI_TARGET inline __m128i load_reversed(const std::uint8_t* p) {
    return _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), reverse_mask());
}

// The 128-bit integer v shifted right by k (0 < k < 64) across its two 64-bit lanes.
template <int k>
NI_TARGET inline __m128i shift_right128(__m128i v) {
    return _mm_or_si128(_mm_srli_epi64(v, k), _mm_srli_si128(_mm_slli_epi64(v, 64 - k), 8));
}

// Sums of the schoolbook partial products lo = a0*b0, hi = a1*b1, mid = a0*b1 + a1*b0 of one or more
// element products (not yet combined or reduced).
struct Sums {
    __m128i lo, mid, hi;
};

NI_TARGET inline void multiply_accumulate(Sums& s, __m128i a, __m128i b) {
    s.lo = _mm_xor_si128(s.lo, _mm_clmulepi64_si128(a, b, 0x00));
    s.hi = _mm_xor_si128(s.hi, _mm_clmulepi64_si128(a, b, 0x11));
    s.mid = _mm_xor_si128(s.mid, _mm_xor_si128(_mm_clmulepi64_si128(a, b, 0x01), _mm_clmulepi64_si128(a, b, 0x10)));
}

// The product reduced modulo x^128 + x^7 + x^2 + x + 1 (§6.3), the same steps as gcm.cpp's reduce().
NI_TARGET inline __m128i reduce(const Sums& s) {
    // The 255-bit product w_hi:w_lo = hi << 128 ^ mid << 64 ^ lo.
    const __m128i w_hi = _mm_xor_si128(s.hi, _mm_srli_si128(s.mid, 8));
    const __m128i w_lo = _mm_xor_si128(s.lo, _mm_slli_si128(s.mid, 8));
    // Shifted left by one place, x_hi holds x^0..x^127 and x_lo holds x^128..x^255 (reflected).
    const __m128i x_hi = _mm_or_si128(_mm_or_si128(_mm_slli_epi64(w_hi, 1), _mm_slli_si128(_mm_srli_epi64(w_hi, 63), 8)),
                                      _mm_srli_si128(_mm_srli_epi64(w_lo, 63), 8));
    const __m128i x_lo = _mm_or_si128(_mm_slli_epi64(w_lo, 1), _mm_slli_si128(_mm_srli_epi64(w_lo, 63), 8));
    // x^(128+e) = x^e (1 + x + x^2 + x^7); multiplying by x^k is a right shift by k. The bits the
    // shifts push past x^127 (the low 64-bit lane, from e >= 121) are folded into the top first.
    const __m128i over = _mm_xor_si128(_mm_xor_si128(_mm_slli_epi64(x_lo, 63), _mm_slli_epi64(x_lo, 62)),
                                       _mm_slli_epi64(x_lo, 57));
    const __m128i d = _mm_xor_si128(x_lo, _mm_slli_si128(over, 8));
    __m128i r = _mm_xor_si128(x_hi, d);
    r = _mm_xor_si128(r, shift_right128<1>(d));
    r = _mm_xor_si128(r, shift_right128<2>(d));
    return _mm_xor_si128(r, shift_right128<7>(d));
}

// s += x H^(16 - m), Karatsuba: mid gets (x0 + x1)(h0 + h1), with h0 + h1 precomputed in
// key.h_karatsuba[m]; the correction by lo and hi is applied once to the accumulated sums.
NI_TARGET inline void absorb(const AesGcm::X86Key& key, Sums& s, __m128i x, std::size_t m) {
    const __m128i h = _mm_load_si128(reinterpret_cast<const __m128i*>(key.h_powers[m]));
    const __m128i hs = _mm_load_si128(reinterpret_cast<const __m128i*>(key.h_karatsuba[m]));
    s.lo = _mm_xor_si128(s.lo, _mm_clmulepi64_si128(x, h, 0x00));
    s.hi = _mm_xor_si128(s.hi, _mm_clmulepi64_si128(x, h, 0x11));
    s.mid = _mm_xor_si128(s.mid, _mm_clmulepi64_si128(_mm_xor_si128(x, _mm_shuffle_epi32(x, 0x4e)), hs, 0x00));
}

// GHASH of n <= 16 blocks in one reduction: Y' = (Y + X_0) H^n + X_1 H^(n-1) + ... + X_(n-1) H.
// key.h_powers[m] holds H^(16 - m).
// Karatsuba: mid = (a0 + a1)(b0 + b1) + lo + hi, three multiplies per block instead of four (the sums
// are linear, so the correction is applied once to the accumulated products).
NI_TARGET HOT __m128i ghash_up_to_16(const AesGcm::X86Key& key, __m128i y, const std::uint8_t* p, std::size_t n) {
    Sums s{_mm_setzero_si128(), _mm_setzero_si128(), _mm_setzero_si128()};
    for (std::size_t i = 0; i < n; i++) {
        __m128i x = load_reversed(p + 16 * i);
        if (i == 0) x = _mm_xor_si128(x, y);
        absorb(key, s, x, 16 - n + i);
    }
    s.mid = _mm_xor_si128(s.mid, _mm_xor_si128(s.lo, s.hi));
    return reduce(s);
}

NI_TARGET __m128i ghash_blocks_ni(const AesGcm::X86Key& key, __m128i y, const std::uint8_t* p, std::size_t blocks) {
    for (; blocks >= 16; blocks -= 16, p += 256) y = ghash_up_to_16(key, y, p, 16);
    if (blocks > 0) y = ghash_up_to_16(key, y, p, blocks);
    return y;
}

// GHASH of data zero-padded to a block boundary (§7.1 step 5's 0^v and 0^u).
template <class Blocks>
NI_TARGET inline __m128i ghash_padded(const AesGcm::X86Key& key, __m128i y, const std::uint8_t* p, std::size_t n,
                                      Blocks blocks) {
    y = blocks(key, y, p, n / 16);
    if (n % 16 != 0) {
        alignas(16) std::uint8_t last[16] = {};
        std::memcpy(last, p + n - n % 16, n % 16);
        y = ghash_up_to_16(key, y, last, 1);
        secure_zero(last, sizeof last);
    }
    return y;
}

NI_TARGET inline __m128i ghash_lengths(const AesGcm::X86Key& key, __m128i y, std::uint64_t a, std::uint64_t c) {
    // [len(A)]_64 || [len(C)]_64 in bits; reversed, len(A) is the high lane.
    const __m128i block = _mm_set_epi64x(std::int64_t(a * 8), std::int64_t(c * 8));
    Sums s{_mm_setzero_si128(), _mm_setzero_si128(), _mm_setzero_si128()};
    multiply_accumulate(s, _mm_xor_si128(y, block), _mm_load_si128(reinterpret_cast<const __m128i*>(key.h_powers[15])));
    return reduce(s);
}

// AES rounds on N blocks at once (FIPS 197 §5.1), round keys as stored by init.
template <int N>
NI_TARGET inline void encrypt_blocks(const AesGcm::X86Key& key, __m128i (&b)[N]) {
    const __m128i* rk = reinterpret_cast<const __m128i*>(key.round_keys);
    for (int i = 0; i < N; i++) b[i] = _mm_xor_si128(b[i], _mm_load_si128(rk));
    for (unsigned r = 1; r < key.rounds; r++) {
        const __m128i k = _mm_load_si128(rk + r);
        for (int i = 0; i < N; i++) b[i] = _mm_aesenc_si128(b[i], k);
    }
    const __m128i k = _mm_load_si128(rk + key.rounds);
    for (int i = 0; i < N; i++) b[i] = _mm_aesenclast_si128(b[i], k);
}

// FIPS 197 §5.2 KeyExpansion for any key size. SubWord comes from AESENCLAST with a zero round key
// on the word repeated in all four columns, where ShiftRows moves nothing.
NI_TARGET std::uint32_t sub_word(std::uint32_t w) {
    return std::uint32_t(_mm_cvtsi128_si32(_mm_aesenclast_si128(_mm_set1_epi32(int(w)), _mm_setzero_si128())));
}

// §7.1 step 2: J0, reversed, with the counter (its last word) in lane 0.
template <class Blocks>
NI_TARGET inline __m128i pre_counter_block(const AesGcm::X86Key& key, Bytes iv, Blocks blocks) {
    if (iv.size() == 12) {
        alignas(16) std::uint8_t j0[16] = {};
        std::memcpy(j0, iv.data(), 12);
        j0[15] = 1;
        return load_reversed(j0);
    }
    __m128i y = ghash_padded(key, _mm_setzero_si128(), iv.data(), iv.size(), blocks);
    return ghash_lengths(key, y, 0, iv.size());
}

// The counter block i places after c (reversed form): inc32 applied i times (§6.2), modulo 2^32.
NI_TARGET inline __m128i counter_plus(__m128i c, int i) { return _mm_add_epi32(c, _mm_set_epi32(0, 0, 0, i)); }

// T = GCTR(J0, S) (§7.1 step 6).
NI_TARGET inline void finish_tag(const AesGcm::X86Key& key, __m128i j0, __m128i s, std::uint8_t tag[16]) {
    __m128i b[1] = {_mm_shuffle_epi8(j0, reverse_mask())};
    encrypt_blocks(key, b);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(tag), _mm_xor_si128(b[0], _mm_shuffle_epi8(s, reverse_mask())));
}

// ct::keep_if (p[0..n) kept if mask is 0xff, zeroed if 0) with 16-byte stores, four a pass.
NI_TARGET void keep_if_ni(std::uint8_t* p, std::size_t n, std::uint8_t mask) {
    const __m128i m = _mm_set1_epi8(char(ct::barrier(mask)));
    std::size_t i = 0;
    for (; i + 64 <= n; i += 64)
        for (int j = 0; j < 4; j++) {
            __m128i* q = reinterpret_cast<__m128i*>(p + i + 16 * j);
            _mm_storeu_si128(q, _mm_and_si128(_mm_loadu_si128(q), m));
        }
    for (; i + 16 <= n; i += 16) {
        __m128i* q = reinterpret_cast<__m128i*>(p + i);
        _mm_storeu_si128(q, _mm_and_si128(_mm_loadu_si128(q), m));
    }
    ct::keep_if(p + i, n - i, mask);
}

// §7.2 steps 7-8: T' = GCTR(J0, S), compared with tag in constant time; on a mismatch out[0..n) is
// zeroed by `keep` (a keep_if of the backend's width). Returns 0xff if the tags match, else 0.
template <class Keep>
NI_TARGET inline std::uint8_t verify_tag(const AesGcm::X86Key& key, __m128i j0, __m128i s, const std::uint8_t tag[16],
                                         std::uint8_t* out, std::size_t n, Keep keep) {
    alignas(16) std::uint8_t expected[16];
    finish_tag(key, j0, s, expected);
    const std::uint8_t tag_ok = ct::equal_mask(expected, tag, 16);
    secure_zero(expected, sizeof expected);
    keep(out, n, tag_ok);
    return tag_ok;
}

// GCTR of the last n < 128 bytes: N = 1, 2, 4 or 8 counter blocks, the fewest that cover n. If
// `ghash` is set, y absorbs the output zero-padded to a block (sealing). Branches on n only.
template <int N>
NI_TARGET inline void ctr_tail_n(const AesGcm::X86Key& key, __m128i& counter, const std::uint8_t* in,
                                 std::uint8_t* out, std::size_t n, __m128i* y) {
    alignas(16) std::uint8_t buf[16 * N] = {};
    std::memcpy(buf, in, n);
    __m128i b[N];
    for (int i = 0; i < N; i++) b[i] = _mm_shuffle_epi8(counter_plus(counter, i), reverse_mask());
    encrypt_blocks(key, b);
    for (int i = 0; i < N; i++) {
        __m128i* q = reinterpret_cast<__m128i*>(buf + 16 * i);
        _mm_store_si128(q, _mm_xor_si128(_mm_load_si128(q), b[i]));
    }
    std::memcpy(out, buf, n);
    if (y != nullptr) {
        std::memset(buf + n, 0, sizeof buf - n);
        *y = ghash_up_to_16(key, *y, buf, (n + 15) / 16);
    }
    counter = counter_plus(counter, N);
    secure_zero(buf, sizeof buf);
    secure_zero(b, sizeof b);
}

NI_TARGET inline void ctr_tail(const AesGcm::X86Key& key, __m128i& counter, const std::uint8_t* in, std::uint8_t* out,
                               std::size_t n, __m128i* y) {
    if (n == 0) return;
    if (n <= 16) ctr_tail_n<1>(key, counter, in, out, n, y);
    else if (n <= 32) ctr_tail_n<2>(key, counter, in, out, n, y);
    else if (n <= 64) ctr_tail_n<4>(key, counter, in, out, n, y);
    else ctr_tail_n<8>(key, counter, in, out, n, y);
}

// Eight blocks of GCTR: out = in xor E(counter + 0..7). Every block of in is loaded before any of out
// is stored: a store followed by a load 4096 bytes apart in the low address bits (an out buffer a
// few bytes past in, modulo a page) makes the CPU hold the load back, which cost decryption into a
// second buffer a quarter of its speed.
NI_TARGET HOT void ctr8(const AesGcm::X86Key& key, __m128i counter, const std::uint8_t* in, std::uint8_t* out) {
    __m128i b[8];
    for (int i = 0; i < 8; i++) b[i] = _mm_shuffle_epi8(counter_plus(counter, i), reverse_mask());
    encrypt_blocks(key, b);
    for (int i = 0; i < 8; i++) b[i] = _mm_xor_si128(b[i], _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + 16 * i)));
    for (int i = 0; i < 8; i++) _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16 * i), b[i]);
}

// ---- AES-NI + PCLMULQDQ ----

NI_TARGET void init_ni(AesGcm::X86Key& k, Bytes key) {
    // §5.2: Nk words of key, Nr = Nk + 6 rounds, 4 (Nr + 1) words in all. Words are kept in memory
    // byte order (little-endian loads), so RotWord is a rotation right by 8 and Rcon is the low byte.
    const unsigned nk = unsigned(key.size() / 4), nr = nk + 6, total = 4 * (nr + 1);
    std::uint32_t w[60];
    std::memcpy(w, key.data(), key.size());
    std::uint32_t rcon = 1;
    for (unsigned i = nk; i < total; i++) {
        std::uint32_t t = w[i - 1];
        if (i % nk == 0) {
            t = sub_word((t >> 8) | (t << 24)) ^ rcon;
            rcon = (rcon << 1) ^ (0x11b & (0 - (rcon >> 7)));  // xtime in GF(2^8); rcon is public
        } else if (nk > 6 && i % nk == 4) {
            t = sub_word(t);
        }
        w[i] = w[i - nk] ^ t;
    }
    std::memcpy(k.round_keys, w, 4 * total);
    k.rounds = nr;
    secure_zero(w, sizeof w);
    // H = CIPH_K(0^128), then H^(16 - m) into h_powers[m]. Each power needs only the powers before it.
    __m128i b[1] = {_mm_setzero_si128()};
    encrypt_blocks(k, b);
    const __m128i h = _mm_shuffle_epi8(b[0], reverse_mask());
    __m128i power = h;
    for (int m = 15; m >= 0; m--) {
        _mm_store_si128(reinterpret_cast<__m128i*>(k.h_powers[m]), power);
        _mm_store_si128(reinterpret_cast<__m128i*>(k.h_karatsuba[m]), _mm_xor_si128(power, _mm_shuffle_epi32(power, 0x4e)));
        Sums s{_mm_setzero_si128(), _mm_setzero_si128(), _mm_setzero_si128()};
        multiply_accumulate(s, power, h);
        power = reduce(s);
    }
    secure_zero(b, sizeof b);
}

// CTR and GHASH interleaved: pass p encrypts sixteen blocks while GHASH absorbs the sixteen of pass
// p - 1 in one reduction. The two chains are independent, so the out-of-order core runs the AES
// rounds and the carry-less multiplies side by side. (Hand-placing each block's multiplies between
// the AES rounds ran slower here: with sixteen XMM registers it spilled.)
NI_TARGET void seal_ni(const AesGcm::X86Key& k, Bytes iv, Bytes aad, const std::uint8_t* in, std::uint8_t* out,
                       std::size_t n, std::uint8_t tag[16]) {
    const __m128i j0 = pre_counter_block(k, iv, ghash_blocks_ni);
    __m128i y = ghash_padded(k, _mm_setzero_si128(), aad.data(), aad.size(), ghash_blocks_ni);
    __m128i counter = counter_plus(j0, 1);
    std::size_t done = 0;
    if (n >= 256) {
        for (; done + 256 <= n; done += 256) {
            ctr8(k, counter, in + done, out + done);
            ctr8(k, counter_plus(counter, 8), in + done + 128, out + done + 128);
            counter = counter_plus(counter, 16);
            if (done > 0) y = ghash_up_to_16(k, y, out + done - 256, 16);
        }
        y = ghash_up_to_16(k, y, out + done - 256, 16);
    }
    for (; done + 128 <= n; done += 128) {
        ctr8(k, counter, in + done, out + done);
        counter = counter_plus(counter, 8);
        y = ghash_up_to_16(k, y, out + done, 8);
    }
    ctr_tail(k, counter, in + done, out + done, n - done, &y);
    y = ghash_lengths(k, y, aad.size(), n);
    finish_tag(k, j0, y, tag);
}

// §7.2 steps 3-8 in one pass: each sixteen blocks of ciphertext are hashed, then decrypted into out
// (so in == out is allowed); then the tag is compared and a forged text wiped (verify_tag).
NI_TARGET std::uint8_t open_ni(const AesGcm::X86Key& k, Bytes iv, Bytes aad, const std::uint8_t* in,
                               std::uint8_t* out, std::size_t n, const std::uint8_t tag[16]) {
    const __m128i j0 = pre_counter_block(k, iv, ghash_blocks_ni);
    __m128i y = ghash_padded(k, _mm_setzero_si128(), aad.data(), aad.size(), ghash_blocks_ni);
    __m128i counter = counter_plus(j0, 1);
    std::size_t done = 0;
    // Each pass hashes its ciphertext, then decrypts it (so in == out is allowed); the two chains
    // are independent, so the out-of-order core overlaps them.
    for (; done + 256 <= n; done += 256) {
        y = ghash_up_to_16(k, y, in + done, 16);
        ctr8(k, counter, in + done, out + done);
        ctr8(k, counter_plus(counter, 8), in + done + 128, out + done + 128);
        counter = counter_plus(counter, 16);
    }
    for (; done + 128 <= n; done += 128) {
        y = ghash_up_to_16(k, y, in + done, 8);
        ctr8(k, counter, in + done, out + done);
        counter = counter_plus(counter, 8);
    }
    y = ghash_padded(k, y, in + done, n - done, ghash_blocks_ni);
    ctr_tail(k, counter, in + done, out + done, n - done, nullptr);
    y = ghash_lengths(k, y, aad.size(), n);
    return verify_tag(k, j0, y, tag, out, n, keep_if_ni);
}

// ---- VAES + VPCLMULQDQ, two blocks per 256-bit register (AVX2, no AVX-512: e.g. Zen 3) ----

#define V256_TARGET __attribute__((target("aes,pclmul,ssse3,sse4.1,avx,avx2,vaes,vpclmulqdq")))

V256_TARGET inline __m256i reverse_mask256() { return _mm256_broadcastsi128_si256(reverse_mask()); }

// The two 128-bit lanes of v xor-ed together.
V256_TARGET inline __m128i fold_lanes256(__m256i v) {
    return _mm_xor_si128(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
}

// GHASH of 16 blocks in one reduction: block 2j + l in lane l of register j, times H^(16 - 2j - l).
V256_TARGET HOT __m128i ghash16_v256(const AesGcm::X86Key& key, __m128i y, const std::uint8_t* p) {
    __m256i lo = _mm256_setzero_si256(), mid = _mm256_setzero_si256(), hi = _mm256_setzero_si256();
    const __m256i rev = reverse_mask256();
    for (int j = 0; j < 8; j++) {
        __m256i x = _mm256_shuffle_epi8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * j)), rev);
        if (j == 0) x = _mm256_xor_si256(x, _mm256_zextsi128_si256(y));
        const __m256i h = _mm256_load_si256(reinterpret_cast<const __m256i*>(key.h_powers[2 * j]));
        const __m256i hs = _mm256_load_si256(reinterpret_cast<const __m256i*>(key.h_karatsuba[2 * j]));
        lo = _mm256_xor_si256(lo, _mm256_clmulepi64_epi128(x, h, 0x00));
        hi = _mm256_xor_si256(hi, _mm256_clmulepi64_epi128(x, h, 0x11));
        const __m256i xs = _mm256_xor_si256(x, _mm256_shuffle_epi32(x, 0x4e));
        mid = _mm256_xor_si256(mid, _mm256_clmulepi64_epi128(xs, hs, 0x00));
    }
    Sums s{fold_lanes256(lo), fold_lanes256(mid), fold_lanes256(hi)};
    s.mid = _mm_xor_si128(s.mid, _mm_xor_si128(s.lo, s.hi));  // Karatsuba correction
    return reduce(s);
}

V256_TARGET __m128i ghash_blocks_v256(const AesGcm::X86Key& key, __m128i y, const std::uint8_t* p, std::size_t blocks) {
    for (; blocks >= 16; blocks -= 16, p += 256) y = ghash16_v256(key, y, p);
    return ghash_blocks_ni(key, y, p, blocks);
}

// Sixteen blocks of GCTR: out = in xor E(counter + 0..15), two blocks per register.
V256_TARGET HOT void ctr16_v256(const AesGcm::X86Key& key, __m128i counter, const std::uint8_t* in,
                                std::uint8_t* out) {
    const __m256i two = _mm256_set_epi32(0, 0, 0, 2, 0, 0, 0, 2);
    const __m256i rev = reverse_mask256();
    __m256i c = _mm256_add_epi32(_mm256_broadcastsi128_si256(counter), _mm256_set_epi32(0, 0, 0, 1, 0, 0, 0, 0));
    __m256i b[8];
    for (int j = 0; j < 8; j++, c = _mm256_add_epi32(c, two)) b[j] = _mm256_shuffle_epi8(c, rev);
    const __m128i* rk = reinterpret_cast<const __m128i*>(key.round_keys);
    __m256i kr = _mm256_broadcastsi128_si256(_mm_load_si128(rk));
    for (int j = 0; j < 8; j++) b[j] = _mm256_xor_si256(b[j], kr);
    for (unsigned r = 1; r < key.rounds; r++) {
        kr = _mm256_broadcastsi128_si256(_mm_load_si128(rk + r));
        for (int j = 0; j < 8; j++) b[j] = _mm256_aesenc_epi128(b[j], kr);
    }
    kr = _mm256_broadcastsi128_si256(_mm_load_si128(rk + key.rounds));
    for (int j = 0; j < 8; j++)  // all loads before the stores (see ctr8)
        b[j] = _mm256_xor_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + 32 * j)),
                                _mm256_aesenclast_epi128(b[j], kr));
    for (int j = 0; j < 8; j++) _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 32 * j), b[j]);
}

// keep_if_ni with 32-byte stores.
V256_TARGET void keep_if_v256(std::uint8_t* p, std::size_t n, std::uint8_t mask) {
    const __m256i m = _mm256_set1_epi8(char(ct::barrier(mask)));
    std::size_t i = 0;
    for (; i + 128 <= n; i += 128)
        for (int j = 0; j < 4; j++) {
            __m256i* q = reinterpret_cast<__m256i*>(p + i + 32 * j);
            _mm256_storeu_si256(q, _mm256_and_si256(_mm256_loadu_si256(q), m));
        }
    keep_if_ni(p + i, n - i, mask);
}

// As seal_ni: pass p encrypts sixteen blocks while GHASH absorbs the sixteen of pass p - 1.
V256_TARGET void seal_v256(const AesGcm::X86Key& k, Bytes iv, Bytes aad, const std::uint8_t* in, std::uint8_t* out,
                           std::size_t n, std::uint8_t tag[16]) {
    const __m128i j0 = pre_counter_block(k, iv, ghash_blocks_v256);
    __m128i y = ghash_padded(k, _mm_setzero_si128(), aad.data(), aad.size(), ghash_blocks_v256);
    __m128i counter = counter_plus(j0, 1);
    std::size_t done = 0;
    if (n >= 256) {
        for (; done + 256 <= n; done += 256) {
            ctr16_v256(k, counter, in + done, out + done);
            counter = counter_plus(counter, 16);
            if (done > 0) y = ghash16_v256(k, y, out + done - 256);
        }
        y = ghash16_v256(k, y, out + done - 256);
    }
    for (; done + 128 <= n; done += 128) {
        ctr8(k, counter, in + done, out + done);
        counter = counter_plus(counter, 8);
        y = ghash_up_to_16(k, y, out + done, 8);
    }
    ctr_tail(k, counter, in + done, out + done, n - done, &y);
    y = ghash_lengths(k, y, aad.size(), n);
    finish_tag(k, j0, y, tag);
}

// As open_ni: each sixteen blocks are hashed, then decrypted into out (in == out allowed).
V256_TARGET std::uint8_t open_v256(const AesGcm::X86Key& k, Bytes iv, Bytes aad, const std::uint8_t* in,
                                   std::uint8_t* out, std::size_t n, const std::uint8_t tag[16]) {
    const __m128i j0 = pre_counter_block(k, iv, ghash_blocks_v256);
    __m128i y = ghash_padded(k, _mm_setzero_si128(), aad.data(), aad.size(), ghash_blocks_v256);
    __m128i counter = counter_plus(j0, 1);
    std::size_t done = 0;
    for (; done + 256 <= n; done += 256) {
        y = ghash16_v256(k, y, in + done);
        ctr16_v256(k, counter, in + done, out + done);
        counter = counter_plus(counter, 16);
    }
    for (; done + 128 <= n; done += 128) {
        y = ghash_up_to_16(k, y, in + done, 8);
        ctr8(k, counter, in + done, out + done);
        counter = counter_plus(counter, 8);
    }
    y = ghash_padded(k, y, in + done, n - done, ghash_blocks_v256);
    ctr_tail(k, counter, in + done, out + done, n - done, nullptr);
    y = ghash_lengths(k, y, aad.size(), n);
    return verify_tag(k, j0, y, tag, out, n, keep_if_v256);
}

// ---- VAES + VPCLMULQDQ, four blocks per 512-bit register ----

V512_TARGET inline __m512i reverse_mask512() { return _mm512_broadcast_i32x4(reverse_mask()); }

// The 128-bit lanes of v xor-ed together.
V512_TARGET inline __m128i fold_lanes(__m512i v) {
    const __m256i h = _mm256_xor_si256(_mm512_castsi512_si256(v), _mm512_extracti64x4_epi64(v, 1));
    return _mm_xor_si128(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1));
}

// GHASH of 16 blocks in one reduction: block 4j + l in lane l of register j, times H^(16 - 4j - l).
V512_TARGET HOT __m128i ghash16(const AesGcm::X86Key& key, __m128i y, const std::uint8_t* p) {
    __m512i lo = _mm512_setzero_si512(), mid = _mm512_setzero_si512(), hi = _mm512_setzero_si512();
    for (int j = 0; j < 4; j++) {
        __m512i x = _mm512_shuffle_epi8(_mm512_loadu_si512(p + 64 * j), reverse_mask512());
        if (j == 0) x = _mm512_xor_si512(x, _mm512_zextsi128_si512(y));
        const __m512i h = _mm512_load_si512(key.h_powers[4 * j]);
        lo = _mm512_xor_si512(lo, _mm512_clmulepi64_epi128(x, h, 0x00));
        hi = _mm512_xor_si512(hi, _mm512_clmulepi64_epi128(x, h, 0x11));
        mid = _mm512_ternarylogic_epi64(mid, _mm512_clmulepi64_epi128(x, h, 0x01), _mm512_clmulepi64_epi128(x, h, 0x10),
                                        0x96);  // three-way xor
    }
    return reduce(Sums{fold_lanes(lo), fold_lanes(mid), fold_lanes(hi)});
}

V512_TARGET __m128i ghash_blocks_v512(const AesGcm::X86Key& key, __m128i y, const std::uint8_t* p, std::size_t blocks) {
    for (; blocks >= 16; blocks -= 16, p += 256) y = ghash16(key, y, p);
    return ghash_blocks_ni(key, y, p, blocks);
}

// Sixteen blocks of GCTR: out = in xor E(counter + 0..15).
V512_TARGET HOT void ctr16(const AesGcm::X86Key& key, __m128i counter, const std::uint8_t* in, std::uint8_t* out) {
    const __m512i base = _mm512_add_epi32(_mm512_broadcast_i32x4(counter), _mm512_set_epi32(0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0));
    const __m512i four = _mm512_set_epi32(0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 4);
    const __m512i rev = reverse_mask512();
    __m512i b[4];
    __m512i c = base;
    for (int j = 0; j < 4; j++, c = _mm512_add_epi32(c, four)) b[j] = _mm512_shuffle_epi8(c, rev);
    const __m128i* rk = reinterpret_cast<const __m128i*>(key.round_keys);
    __m512i kr = _mm512_broadcast_i32x4(_mm_load_si128(rk));
    for (int j = 0; j < 4; j++) b[j] = _mm512_xor_si512(b[j], kr);
    for (unsigned r = 1; r < key.rounds; r++) {
        kr = _mm512_broadcast_i32x4(_mm_load_si128(rk + r));
        for (int j = 0; j < 4; j++) b[j] = _mm512_aesenc_epi128(b[j], kr);
    }
    kr = _mm512_broadcast_i32x4(_mm_load_si128(rk + key.rounds));
    for (int j = 0; j < 4; j++) b[j] = _mm512_xor_si512(_mm512_loadu_si512(in + 64 * j), _mm512_aesenclast_epi128(b[j], kr));
    for (int j = 0; j < 4; j++) _mm512_storeu_si512(out + 64 * j, b[j]);  // after all loads (see ctr8)
}

// keep_if_ni with 64-byte stores; the rest (< 64 bytes) by keep_if_ni: a short message then runs
// no 512-bit instruction at all (masked 512-bit stores cost a 16-byte open a sixth of its speed).
V512_TARGET void keep_if_v512(std::uint8_t* p, std::size_t n, std::uint8_t mask) {
    std::size_t i = 0;
    if (n >= 64) {  // the broadcast too is a 512-bit instruction
        const __m512i m = _mm512_set1_epi32(int(0x01010101u * ct::barrier(mask)));
        for (; i + 64 <= n; i += 64) _mm512_storeu_si512(p + i, _mm512_and_si512(_mm512_loadu_si512(p + i), m));
    }
    keep_if_ni(p + i, n - i, mask);
}

V512_TARGET void seal_v512(const AesGcm::X86Key& k, Bytes iv, Bytes aad, const std::uint8_t* in, std::uint8_t* out,
                           std::size_t n, std::uint8_t tag[16]) {
    const __m128i j0 = pre_counter_block(k, iv, ghash_blocks_v512);
    __m128i y = ghash_padded(k, _mm_setzero_si128(), aad.data(), aad.size(), ghash_blocks_v512);
    __m128i counter = counter_plus(j0, 1);
    std::size_t done = 0;
    if (n >= 256) {  // as seal_ni: GHASH of pass p - 1 beside the AES of pass p
        for (; done + 256 <= n; done += 256) {
            ctr16(k, counter, in + done, out + done);
            counter = counter_plus(counter, 16);
            if (done > 0) y = ghash16(k, y, out + done - 256);
        }
        y = ghash16(k, y, out + done - 256);
    }
    for (; done + 128 <= n; done += 128) {
        ctr8(k, counter, in + done, out + done);
        counter = counter_plus(counter, 8);
        y = ghash_up_to_16(k, y, out + done, 8);
    }
    ctr_tail(k, counter, in + done, out + done, n - done, &y);
    y = ghash_lengths(k, y, aad.size(), n);
    finish_tag(k, j0, y, tag);
}

// §7.2 steps 3-8 in one pass, as open_ni: each pass hashes its ciphertext before writing its plaintext.
V512_TARGET std::uint8_t open_v512(const AesGcm::X86Key& k, Bytes iv, Bytes aad, const std::uint8_t* in,
                                   std::uint8_t* out, std::size_t n, const std::uint8_t tag[16]) {
    const __m128i j0 = pre_counter_block(k, iv, ghash_blocks_v512);
    __m128i y = ghash_padded(k, _mm_setzero_si128(), aad.data(), aad.size(), ghash_blocks_v512);
    __m128i counter = counter_plus(j0, 1);
    std::size_t done = 0;
    for (; done + 256 <= n; done += 256) {
        y = ghash16(k, y, in + done);
        ctr16(k, counter, in + done, out + done);
        counter = counter_plus(counter, 16);
    }
    for (; done + 128 <= n; done += 128) {
        y = ghash_up_to_16(k, y, in + done, 8);
        ctr8(k, counter, in + done, out + done);
        counter = counter_plus(counter, 8);
    }
    y = ghash_padded(k, y, in + done, n - done, ghash_blocks_v512);
    ctr_tail(k, counter, in + done, out + done, n - done, nullptr);
    y = ghash_lengths(k, y, aad.size(), n);
    return verify_tag(k, j0, y, tag, out, n, keep_if_v512);
}

// The tables (crypto/symmetric/detail/gcm_backend.hpp): each backend works on the x86 part of the key.
void init_x86(AesGcm::Key& k, Bytes key) { init_ni(k.x86, key); }
template <void (*step)(const AesGcm::X86Key&, Bytes, Bytes, const std::uint8_t*, std::uint8_t*, std::size_t,
                       std::uint8_t*)>
void on_x86(const AesGcm::Key& k, Bytes iv, Bytes aad, const std::uint8_t* in, std::uint8_t* out, std::size_t n,
            std::uint8_t tag[16]) {
    step(k.x86, iv, aad, in, out, n, tag);
}
template <std::uint8_t (*step)(const AesGcm::X86Key&, Bytes, Bytes, const std::uint8_t*, std::uint8_t*, std::size_t,
                               const std::uint8_t*)>
std::uint8_t open_on_x86(const AesGcm::Key& k, Bytes iv, Bytes aad, const std::uint8_t* in, std::uint8_t* out,
                         std::size_t n, const std::uint8_t tag[16]) {
    return step(k.x86, iv, aad, in, out, n, tag);
}

}  // namespace

namespace gcm_x86 {
const AesGcm::Backend aesni{"aesni", init_x86, on_x86<seal_ni>, open_on_x86<open_ni>};
const AesGcm::Backend vaes256{"vaes256", init_x86, on_x86<seal_v256>, open_on_x86<open_v256>};
const AesGcm::Backend vaes512{"vaes512", init_x86, on_x86<seal_v512>, open_on_x86<open_v512>};
}  // namespace gcm_x86

}  // namespace padlock
