// SPDX-License-Identifier: Apache-2.0
// ChaCha20, RFC 8439 §2.1-2.4: quarter round, block function and counter-mode encryption.
// Everything here is constant time: only additions, XORs and fixed rotations of 32-bit words.
#include "crypto/symmetric/chacha20.hpp"

#include <bit>

#include "crypto/ct.hpp"
#include "crypto/endian.hpp"
#if defined(PADLOCK_ACCEL_X86)
#include "crypto/symmetric/detail/chacha20_x86.hpp"
#include "crypto/cpu.hpp"
#endif

namespace padlock {

// RFC 8439 §2.3 state setup: "expa" "nd 3" "2-by" "te k", the key, the block counter, the nonce.
void chacha20_state(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 12> nonce,
                    std::uint32_t counter, std::uint32_t state[16]) {
    state[0] = 0x61707865;
    state[1] = 0x3320646e;
    state[2] = 0x79622d32;
    state[3] = 0x6b206574;
    for (int i = 0; i < 8; i++) state[4 + i] = load_le32(key.data() + 4 * i);
    state[12] = counter;
    for (int i = 0; i < 3; i++) state[13 + i] = load_le32(nonce.data() + 4 * i);
}

namespace {

// RFC 8439 §2.1 quarter round on four words of the state.
inline void quarter_round(std::uint32_t x[16], int a, int b, int c, int d) {
    x[a] += x[b]; x[d] ^= x[a]; x[d] = std::rotl(x[d], 16);
    x[c] += x[d]; x[b] ^= x[c]; x[b] = std::rotl(x[b], 12);
    x[a] += x[b]; x[d] ^= x[a]; x[d] = std::rotl(x[d], 8);
    x[c] += x[d]; x[b] ^= x[c]; x[b] = std::rotl(x[b], 7);
}

// RFC 8439 §2.3.1 inner_block: a column round then a diagonal round.
inline void double_round(std::uint32_t x[16]) {
    quarter_round(x, 0, 4, 8, 12);
    quarter_round(x, 1, 5, 9, 13);
    quarter_round(x, 2, 6, 10, 14);
    quarter_round(x, 3, 7, 11, 15);
    quarter_round(x, 0, 5, 10, 15);
    quarter_round(x, 1, 6, 11, 12);
    quarter_round(x, 2, 7, 8, 13);
    quarter_round(x, 3, 4, 9, 14);
}

// RFC 8439 §2.3: 20 rounds as 10 double rounds, then the input state is added back in.
void block_words(const std::uint32_t input[16], std::uint32_t x[16]) {
    for (int i = 0; i < 16; i++) x[i] = input[i];
    for (int i = 0; i < 10; i++) double_round(x);
    for (int i = 0; i < 16; i++) x[i] += input[i];
}

// ---- Portable multi-block backend ----------------------------------------------------------
// The same block function on `lanes` consecutive counters at once. Word i of block l lives in
// x[i][l], so a loop over lanes reads and writes consecutive words, which GCC and clang turn into
// SIMD instructions (one 128-bit register per state word) without any intrinsics. Four lanes
// measured fastest with plain SSE2; more lanes spill the 16 state registers.
constexpr int lanes = 4;
using WideState = std::uint32_t[16][lanes];

// One double round on every lane. The lane loop holds the whole state in locals, so the compiler
// vectorises it across lanes and keeps it in registers.
inline void wide_double_round(WideState x) {
    for (int l = 0; l < lanes; l++) {
        std::uint32_t s[16];
        for (int i = 0; i < 16; i++) s[i] = x[i][l];
        double_round(s);
        for (int i = 0; i < 16; i++) x[i][l] = s[i];
    }
}

// Key stream for blocks input[12] + 0 .. input[12] + lanes-1 (the counter wraps mod 2^32).
void wide_blocks(const std::uint32_t input[16], WideState x) {
    for (int i = 0; i < 16; i++)
        for (int l = 0; l < lanes; l++) x[i][l] = input[i];
    for (int l = 0; l < lanes; l++) x[12][l] += std::uint32_t(l);
    for (int i = 0; i < 10; i++) wide_double_round(x);
    for (int i = 0; i < 16; i++)
        for (int l = 0; l < lanes; l++) x[i][l] += input[i];
    for (int l = 0; l < lanes; l++) x[12][l] += std::uint32_t(l);
}

// RFC 8439 §2.4 over whole groups of `lanes` blocks, then the final partial group, each output
// byte ANDed with keep (see chacha20_xor_keep). `state[12]` is advanced past the blocks used.
// In-place (in == out) is fine: each word is read before written.
void xor_portable(std::uint32_t state[16], const std::uint8_t* in, std::uint8_t* out, std::size_t n,
                  std::uint8_t keep) {
    const std::uint32_t keep32 = 0x01010101u * keep;
    constexpr std::size_t group = std::size_t(lanes) * 64;
    WideState x;
    for (; n >= group; n -= group, in += group, out += group) {
        wide_blocks(state, x);
        state[12] += lanes;
        for (int l = 0; l < lanes; l++)
            for (int i = 0; i < 16; i++) {
                std::size_t at = std::size_t(l) * 64 + std::size_t(i) * 4;
                store_le32(out + at, (load_le32(in + at) ^ x[i][l]) & keep32);
            }
    }
    if (n > 0) {
        wide_blocks(state, x);
        state[12] += std::uint32_t((n + 63) / 64);
        // Byte j of the key stream is byte j % 4 (little-endian) of word (j / 4) % 16 of block j / 64.
        for (std::size_t j = 0; j < n; j++)
            out[j] = std::uint8_t((in[j] ^ (x[(j / 4) % 16][j / 64] >> (8 * (j % 4)))) & keep);
    }
    secure_zero(x, sizeof x);
}

// The dispatch point (crypto/cpu.hpp): a backend's bulk function takes the whole passes of many
// blocks it can, and the portable code finishes the rest. Picked on each call from cpu::features().
struct Backend {
    std::size_t (*bulk)(std::uint32_t state[16], const std::uint8_t* in, std::uint8_t* out, std::size_t n,
                        std::uint8_t keep);
};
#if defined(PADLOCK_ACCEL_X86)
std::size_t bulk_avx512(std::uint32_t state[16], const std::uint8_t* in, std::uint8_t* out, std::size_t n,
                        std::uint8_t keep) {
    const std::size_t done = chacha20_x86::xor_avx512(state, in, out, n, keep);
    return done + chacha20_x86::xor_avx2(state, in + done, out + done, n - done, keep);  // a 512-byte rest
}
constexpr Backend avx512_backend{bulk_avx512};
constexpr Backend avx2_backend{chacha20_x86::xor_avx2};
#endif
std::size_t bulk_none(std::uint32_t*, const std::uint8_t*, std::uint8_t*, std::size_t, std::uint8_t) { return 0; }
constexpr Backend portable_backend{bulk_none};

const Backend& select_backend() {
#if defined(PADLOCK_ACCEL_X86)
    if (cpu::has(cpu::avx2 | cpu::avx512)) return avx512_backend;
    if (cpu::has(cpu::avx2)) return avx2_backend;
#endif
    return portable_backend;
}

}  // namespace

const char* chacha20_backend_name() {
#if defined(PADLOCK_ACCEL_X86)
    if (&select_backend() == &avx512_backend) return "avx512";
    if (&select_backend() == &avx2_backend) return "avx2";
#endif
    return "portable";
}

void chacha20_quarter_round(std::span<std::uint32_t, 16> state, int a, int b, int c, int d) {
    quarter_round(state.data(), a, b, c, d);
}

void chacha20_block(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 12> nonce,
                    std::uint32_t counter, std::span<std::uint8_t, 64> out) {
    std::uint32_t state[16], x[16];
    chacha20_state(key, nonce, counter, state);
    block_words(state, x);
    // RFC 8439 §2.3: the block is the state words serialised little-endian.
    for (int i = 0; i < 16; i++) store_le32(out.data() + 4 * i, x[i]);
    secure_zero(state, sizeof state);
    secure_zero(x, sizeof x);
}

void chacha20_xor_keep(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 12> nonce,
                       std::uint32_t counter, Bytes in, MutBytes out, std::uint8_t keep) {
    std::uint32_t state[16];
    chacha20_state(key, nonce, counter, state);
    const std::size_t n = in.size() < out.size() ? in.size() : out.size();
    keep = ct::barrier(keep);
    const std::size_t done = select_backend().bulk(state, in.data(), out.data(), n, keep);
    xor_portable(state, in.data() + done, out.data() + done, n - done, keep);
    secure_zero(state, sizeof state);
}

void chacha20_xor(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 12> nonce,
                  std::uint32_t counter, Bytes in, MutBytes out) {
    chacha20_xor_keep(key, nonce, counter, in, out, 0xff);
}

}  // namespace padlock
