// SPDX-License-Identifier: Apache-2.0
// SHA-1 (FIPS 180-4 §6.1), portable C++. Weak: kept only to verify legacy signatures.
// Rounds are unrolled in groups of five so the working variables rotate by renaming; the message
// schedule lives in a 16-word ring (the alternate method of §6.1.3).
#include "crypto/hash/sha1.hpp"

#include <algorithm>
#include <bit>

#include "crypto/ct.hpp"
#include "crypto/endian.hpp"

namespace padlock {
namespace {

// Initial hash value (§5.3.1).
constexpr std::uint32_t IV160[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};

// The round functions f_t and constants K_t (§4.1.1, §4.2.1), one per group of 20 rounds.
inline std::uint32_t f_ch(std::uint32_t x, std::uint32_t y, std::uint32_t z) { return z ^ (x & (y ^ z)); }
inline std::uint32_t f_parity(std::uint32_t x, std::uint32_t y, std::uint32_t z) { return x ^ y ^ z; }
inline std::uint32_t f_maj(std::uint32_t x, std::uint32_t y, std::uint32_t z) { return (x & y) | (z & (x | y)); }

// W_t for t >= 16 in the ring: W_t = ROTL1(W_{t-3} ^ W_{t-8} ^ W_{t-14} ^ W_{t-16}) (§6.1.3).
inline std::uint32_t extend(std::uint32_t (&w)[16], int t) {
    std::uint32_t x = w[(t - 3) & 15] ^ w[(t - 8) & 15] ^ w[(t - 14) & 15] ^ w[t & 15];
    w[t & 15] = std::rotl(x, 1);
    return w[t & 15];
}

// One round (§6.1.2 step 3): T = ROTL5(a) + f(b,c,d) + e + K + W; then b = ROTL30(b). The caller
// rotates the names, so only b and e are written (e takes the role of the new a).
template <std::uint32_t (*F)(std::uint32_t, std::uint32_t, std::uint32_t)>
inline void round(std::uint32_t a, std::uint32_t& b, std::uint32_t c, std::uint32_t d, std::uint32_t& e,
                  std::uint32_t k_plus_w) {
    e += std::rotl(a, 5) + F(b, c, d) + k_plus_w;
    b = std::rotl(b, 30);
}

// Five rounds with the names rotated once each; W comes from `word(t)`.
template <std::uint32_t (*F)(std::uint32_t, std::uint32_t, std::uint32_t), class Word>
inline void five_rounds(std::uint32_t& a, std::uint32_t& b, std::uint32_t& c, std::uint32_t& d, std::uint32_t& e,
                        std::uint32_t k, int t, Word word) {
    round<F>(a, b, c, d, e, k + word(t + 0));
    round<F>(e, a, b, c, d, k + word(t + 1));
    round<F>(d, e, a, b, c, k + word(t + 2));
    round<F>(c, d, e, a, b, k + word(t + 3));
    round<F>(b, c, d, e, a, k + word(t + 4));
}

// The SHA-1 compression function over `count` consecutive 64-byte blocks (§6.1.2).
void compress_portable(std::uint32_t state[5], const std::uint8_t* p, std::size_t count) {
    for (; count > 0; count--, p += 64) {
        std::uint32_t w[16];
        for (int j = 0; j < 16; j++) w[j] = load_be32(p + 4 * j);
        // W_t: the message word for t < 16, then extended in the ring (§6.1.2 step 1).
        auto word = [&w](int t) { return t < 16 ? w[t] : extend(w, t); };
        std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
        for (int t = 0; t < 20; t += 5) five_rounds<f_ch>(a, b, c, d, e, 0x5a827999, t, word);
        for (int t = 20; t < 40; t += 5) five_rounds<f_parity>(a, b, c, d, e, 0x6ed9eba1, t, word);
        for (int t = 40; t < 60; t += 5) five_rounds<f_maj>(a, b, c, d, e, 0x8f1bbcdc, t, word);
        for (int t = 60; t < 80; t += 5) five_rounds<f_parity>(a, b, c, d, e, 0xca62c1d6, t, word);
        // Intermediate hash value H(i) (§6.1.2 step 4).
        state[0] += a; state[1] += b; state[2] += c; state[3] += d; state[4] += e;
    }
}

// Dispatch point for a future SHA-NI backend (GUIDE.md); only the portable one exists.
using Compress = void (*)(std::uint32_t state[5], const std::uint8_t* blocks, std::size_t count);
constinit const Compress compress = compress_portable;

}  // namespace

namespace detail {

void sha1_init(Sha1State& s) {
    std::copy(IV160, IV160 + 5, s.h);
    s.bytes = 0;
    s.used = 0;
}

// Buffers input into 64-byte blocks; full blocks of the caller's data are compressed in place.
void sha1_update(Sha1State& s, Bytes data) {
    const std::uint8_t* p = data.data();
    std::size_t n = data.size();
    s.bytes += n;
    if (s.used > 0) {
        std::size_t take = std::min<std::size_t>(64 - s.used, n);
        std::copy(p, p + take, s.block + s.used);
        s.used += take;
        p += take;
        n -= take;
        if (s.used < 64) return;
        compress(s.h, s.block, 1);
        s.used = 0;
    }
    if (std::size_t full = n / 64; full > 0) {
        compress(s.h, p, full);
        p += full * 64;
        n -= full * 64;
    }
    std::copy(p, p + n, s.block);
    s.used = n;
}

// Padding (§5.1.1): a 1 bit, zeros up to 56 mod 64 bytes, then the bit length as 64 bits.
void sha1_finish(Sha1State& s, std::uint8_t* out, std::size_t out_len) {
    s.block[s.used++] = 0x80;
    if (s.used > 56) {
        std::fill(s.block + s.used, s.block + 64, std::uint8_t(0));
        compress(s.h, s.block, 1);
        s.used = 0;
    }
    std::fill(s.block + s.used, s.block + 56, std::uint8_t(0));
    store_be64(s.block + 56, s.bytes * 8);
    compress(s.h, s.block, 1);
    std::uint8_t digest[20];
    for (int i = 0; i < 5; i++) store_be32(digest + 4 * i, s.h[i]);
    std::copy(digest, digest + std::min<std::size_t>(out_len, 20), out);
    secure_zero(digest);
    secure_zero(s);
}

}  // namespace detail

Sha1::Sha1() { detail::sha1_init(s_); }
Sha1::~Sha1() { secure_zero(s_); }
void Sha1::update(Bytes data) { detail::sha1_update(s_, data); }
void Sha1::final(std::span<std::uint8_t, digest_size> out) {
    detail::sha1_finish(s_, out.data(), digest_size);
    detail::sha1_init(s_);
}
void Sha1::hash(Bytes data, std::span<std::uint8_t, digest_size> out) {
    Sha1 ctx;
    ctx.update(data);
    ctx.final(out);
}

}  // namespace padlock
