// SPDX-License-Identifier: Apache-2.0
// Poly1305, RFC 8439 §2.5: tag = ((sum of 16-byte blocks, each with a 1 bit appended, times
// powers of r) mod 2^130 - 5) + s, mod 2^128. Two limb layouts: radix 2^64 with 128-bit products
// where the compiler has them, radix 2^26 with 64-bit products elsewhere. Constant time: the
// carries are shifts and masks, the final reduction a masked select.
#include "crypto/symmetric/poly1305.hpp"

#include "crypto/ct.hpp"
#include "crypto/endian.hpp"
#if defined(PADLOCK_ACCEL_X86)
#include "crypto/cpu.hpp"
#include "crypto/symmetric/detail/poly1305_x86.hpp"
#endif

namespace padlock {

#if defined(__SIZEOF_INT128__) && !defined(PADLOCK_LIMB32)

using u128 = unsigned __int128;

Poly1305::Poly1305(std::span<const std::uint8_t, 32> key) {
    // RFC 8439 §2.5 "clamp": r &= 0x0ffffffc0ffffffc0ffffffc0fffffff.
    r_[0] = load_le64(key.data()) & 0x0ffffffc0fffffff;
    r_[1] = load_le64(key.data() + 8) & 0x0ffffffc0ffffffc;
    // r1 is a multiple of 4, so r1 * 2^128 = (r1 / 4) * 2^130 = 5 * r1 / 4 (mod p) exactly.
    r_[2] = r_[1] + (r_[1] >> 2);
    h_[0] = h_[1] = h_[2] = 0;
    pad_[0] = load_le64(key.data() + 16);
    pad_[1] = load_le64(key.data() + 24);
}

namespace {

// The dispatch point (crypto/cpu.hpp): a backend's bulk function takes a run of whole blocks (with
// their 2^128 bit) in multiples of its lane count and returns how many it did; the scalar loop of
// Poly1305::blocks finishes the rest. A run shorter than min_blocks stays scalar (a vector pass
// first computes powers of r, which costs more than it saves on short input). Picked on each call
// from cpu::features(); the MAC object holds no backend, so the short-message path is one load and
// a compare more than the scalar loop alone.
struct Backend {
    const char* name;
    std::size_t min_blocks;
    std::size_t (*bulk)(std::uint64_t h[3], const std::uint64_t r[2], const std::uint8_t* p, std::size_t nblocks);
};

std::size_t bulk_none(std::uint64_t*, const std::uint64_t*, const std::uint8_t*, std::size_t) { return 0; }
constexpr Backend portable_backend{"portable", ~std::size_t(0), bulk_none};
#if defined(PADLOCK_ACCEL_X86)
std::size_t bulk_avx2(std::uint64_t h[3], const std::uint64_t r[2], const std::uint8_t* p, std::size_t nblocks) {
    const std::size_t n = nblocks & ~std::size_t(3);
    poly1305_x86::blocks_avx2(h, r, p, n);
    return n;
}
std::size_t bulk_ifma(std::uint64_t h[3], const std::uint64_t r[2], const std::uint8_t* p, std::size_t nblocks) {
    const std::size_t n = nblocks & ~std::size_t(7);
    poly1305_x86::blocks_ifma(h, r, p, n);
    return n;
}
constexpr Backend avx2_backend{"avx2", 32, bulk_avx2};
constexpr Backend ifma_backend{"ifma", 16, bulk_ifma};

const Backend& select_backend() {
    if (cpu::has(cpu::avx512 | cpu::avx512ifma)) return ifma_backend;
    if (cpu::has(cpu::avx2)) return avx2_backend;
    return portable_backend;
}
#else
constexpr const Backend& select_backend() { return portable_backend; }
#endif

}  // namespace

const char* poly1305_backend_name() { return select_backend().name; }

// h = (h + block + hibit * 2^128) * r mod 2^130 - 5, for each 16-byte block, with h in radix 2^64:
// h0 + h1 * 2^64 + h2 * 2^128. Invariant between blocks: h2 <= 4 (h is only partly reduced).
// All whole blocks pass through here.
void Poly1305::blocks(const std::uint8_t* p, std::size_t nblocks, std::uint64_t hibit) {
    if (const Backend& backend = select_backend(); hibit != 0 && nblocks >= backend.min_blocks) {
        const std::size_t done = backend.bulk(h_, r_, p, nblocks);
        p += 16 * done;
        nblocks -= done;
    }
    const std::uint64_t r0 = r_[0], r1 = r_[1], s1 = r_[2];
    std::uint64_t h0 = h_[0], h1 = h_[1], h2 = h_[2];
    for (; nblocks > 0; nblocks--, p += 16) {
        u128 acc = u128(h0) + load_le64(p);
        h0 = std::uint64_t(acc);
        acc = u128(h1) + load_le64(p + 8) + std::uint64_t(acc >> 64);
        h1 = std::uint64_t(acc);
        h2 += std::uint64_t(acc >> 64) + hibit;  // h2 <= 6

        // Products that land at 2^128 * r1 fold back as s1 = 5 * r1 / 4 (see the constructor).
        // r0, r1 < 2^60 and s1 < 2^61 after clamping, so d0, d1 < 2^126 and d2 < 2^63.
        u128 d0 = u128(h0) * r0 + u128(h1) * s1;
        u128 d1 = u128(h0) * r1 + u128(h1) * r0 + u128(h2) * s1;
        std::uint64_t d2 = h2 * r0;

        // Partial reduction: keep the low 130 bits, fold the rest back times 5 (2^130 = 5 mod p).
        h0 = std::uint64_t(d0);
        d1 += std::uint64_t(d0 >> 64);
        h1 = std::uint64_t(d1);
        d2 += std::uint64_t(d1 >> 64);
        h2 = d2 & 3;
        acc = u128(h0) + u128(d2 >> 2) * 5;
        h0 = std::uint64_t(acc);
        acc = u128(h1) + std::uint64_t(acc >> 64);
        h1 = std::uint64_t(acc);
        h2 += std::uint64_t(acc >> 64);
    }
    h_[0] = h0; h_[1] = h1; h_[2] = h2;
}

void Poly1305::final(std::span<std::uint8_t, 16> tag) {
    // RFC 8439 §2.5: the last partial block gets its 1 bit right after the data, not at 2^128.
    if (buffered_ > 0) {
        buffer_[buffered_] = 1;
        for (std::size_t i = buffered_ + 1; i < 16; i++) buffer_[i] = 0;
        blocks(buffer_, 1, 0);
    }
    std::uint64_t w0 = h_[0], w1 = h_[1], w2 = h_[2];
    // Fold bits at and above 2^130 back in (times 5): afterwards h < 2^130 + 5 < 2p.
    u128 acc = u128(w0) + (w2 >> 2) * 5;
    w2 &= 3;
    w0 = std::uint64_t(acc);
    acc = u128(w1) + std::uint64_t(acc >> 64);
    w1 = std::uint64_t(acc);
    w2 += std::uint64_t(acc >> 64);
    // Reduce mod p: g = h + 5 - 2^130; if that is not negative (bit 130 of h + 5 set), h = g.
    acc = u128(w0) + 5;
    std::uint64_t g0 = std::uint64_t(acc);
    acc = u128(w1) + std::uint64_t(acc >> 64);
    std::uint64_t g1 = std::uint64_t(acc);
    std::uint64_t g2 = w2 + std::uint64_t(acc >> 64);
    std::uint64_t use_g = std::uint64_t(0) - (g2 >> 2);
    w0 = ct::select(use_g, g0, w0);
    w1 = ct::select(use_g, g1, w1);
    // tag = (h + s) mod 2^128.
    acc = u128(w0) + pad_[0];
    store_le64(tag.data(), std::uint64_t(acc));
    acc = u128(w1) + pad_[1] + std::uint64_t(acc >> 64);
    store_le64(tag.data() + 8, std::uint64_t(acc));
    secure_zero(*this);
}

#else  // radix 2^26: no 128-bit integers (no vector backend: they work on the radix-2^64 state)

const char* poly1305_backend_name() { return "portable"; }

constexpr std::uint32_t mask26 = (1u << 26) - 1;

Poly1305::Poly1305(std::span<const std::uint8_t, 32> key) {
    // RFC 8439 §2.5 "clamp", applied while splitting r into 26-bit limbs.
    const std::uint8_t* k = key.data();
    r_[0] = load_le32(k) & 0x3ffffff;
    r_[1] = (load_le32(k + 3) >> 2) & 0x3ffff03;
    r_[2] = (load_le32(k + 6) >> 4) & 0x3ffc0ff;
    r_[3] = (load_le32(k + 9) >> 6) & 0x3f03fff;
    r_[4] = (load_le32(k + 12) >> 8) & 0x00fffff;
    for (auto& h : h_) h = 0;
    for (int i = 0; i < 4; i++) pad_[i] = load_le32(k + 16 + 4 * i);
}

// h = (h + block + hibit * 2^128) * r mod 2^130 - 5. Between blocks the limbs of h stay below
// 2^26 (h1 below 2^26 + 2^16); with 5 * r_i < 2^29 each sum of five products is < 2^60.
void Poly1305::blocks(const std::uint8_t* p, std::size_t nblocks, std::uint64_t hibit) {
    const std::uint64_t r0 = r_[0], r1 = r_[1], r2 = r_[2], r3 = r_[3], r4 = r_[4];
    // 2^130 = 5 (mod p): limb products that land at or above 2^130 fold back times 5.
    const std::uint64_t s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5;
    std::uint32_t h0 = h_[0], h1 = h_[1], h2 = h_[2], h3 = h_[3], h4 = h_[4];
    const std::uint32_t high = std::uint32_t(hibit) << 24;  // bit 128 is bit 24 of limb 4
    for (; nblocks > 0; nblocks--, p += 16) {
        h0 += load_le32(p) & mask26;
        h1 += (load_le32(p + 3) >> 2) & mask26;
        h2 += (load_le32(p + 6) >> 4) & mask26;
        h3 += (load_le32(p + 9) >> 6) & mask26;
        h4 += (load_le32(p + 12) >> 8) | high;

        std::uint64_t d0 = std::uint64_t(h0) * r0 + std::uint64_t(h1) * s4 + std::uint64_t(h2) * s3 +
                           std::uint64_t(h3) * s2 + std::uint64_t(h4) * s1;
        std::uint64_t d1 = std::uint64_t(h0) * r1 + std::uint64_t(h1) * r0 + std::uint64_t(h2) * s4 +
                           std::uint64_t(h3) * s3 + std::uint64_t(h4) * s2;
        std::uint64_t d2 = std::uint64_t(h0) * r2 + std::uint64_t(h1) * r1 + std::uint64_t(h2) * r0 +
                           std::uint64_t(h3) * s4 + std::uint64_t(h4) * s3;
        std::uint64_t d3 = std::uint64_t(h0) * r3 + std::uint64_t(h1) * r2 + std::uint64_t(h2) * r1 +
                           std::uint64_t(h3) * r0 + std::uint64_t(h4) * s4;
        std::uint64_t d4 = std::uint64_t(h0) * r4 + std::uint64_t(h1) * r3 + std::uint64_t(h2) * r2 +
                           std::uint64_t(h3) * r1 + std::uint64_t(h4) * r0;

        std::uint64_t c = d0 >> 26; h0 = std::uint32_t(d0) & mask26;
        d1 += c; c = d1 >> 26; h1 = std::uint32_t(d1) & mask26;
        d2 += c; c = d2 >> 26; h2 = std::uint32_t(d2) & mask26;
        d3 += c; c = d3 >> 26; h3 = std::uint32_t(d3) & mask26;
        d4 += c; c = d4 >> 26; h4 = std::uint32_t(d4) & mask26;
        std::uint64_t t = std::uint64_t(h0) + c * 5;
        h0 = std::uint32_t(t) & mask26;
        h1 += std::uint32_t(t >> 26);
    }
    h_[0] = h0; h_[1] = h1; h_[2] = h2; h_[3] = h3; h_[4] = h4;
}

void Poly1305::final(std::span<std::uint8_t, 16> tag) {
    if (buffered_ > 0) {
        buffer_[buffered_] = 1;
        for (std::size_t i = buffered_ + 1; i < 16; i++) buffer_[i] = 0;
        blocks(buffer_, 1, 0);
    }
    // Full carry, folding bits at and above 2^130 back in times 5: afterwards h < 2p.
    std::uint32_t h[5] = {h_[0], h_[1], h_[2], h_[3], h_[4]};
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < 4; i++) { h[i + 1] += h[i] >> 26; h[i] &= mask26; }
        h[0] += (h[4] >> 26) * 5;
        h[4] &= mask26;
    }
    // Normalise limbs 0..3 (exact, no wrap): a value at or above 2^130 is left in limb 4.
    for (int i = 0; i < 4; i++) { h[i + 1] += h[i] >> 26; h[i] &= mask26; }
    // Reduce mod p: g = h + 5 - 2^130; if that is not negative, h = g.
    std::uint32_t g[5];
    std::uint32_t c = 5;
    for (int i = 0; i < 5; i++) { g[i] = h[i] + c; c = g[i] >> 26; g[i] &= mask26; }
    std::uint32_t use_g = std::uint32_t(0) - c;  // c is bit 130 of h + 5
    for (int i = 0; i < 5; i++) h[i] = ct::select(use_g, g[i], h[i]);
    // Repack to 32-bit words and add s, mod 2^128.
    std::uint32_t w[4] = {h[0] | (h[1] << 26), (h[1] >> 6) | (h[2] << 20), (h[2] >> 12) | (h[3] << 14),
                          (h[3] >> 18) | (h[4] << 8)};
    std::uint64_t acc = 0;
    for (int i = 0; i < 4; i++) {
        acc += std::uint64_t(w[i]) + pad_[i];
        store_le32(tag.data() + 4 * i, std::uint32_t(acc));
        acc >>= 32;
    }
    secure_zero(h, sizeof h);
    secure_zero(g, sizeof g);
    secure_zero(*this);
}

#endif

Poly1305::~Poly1305() { secure_zero(*this); }

void Poly1305::update(Bytes data) {
    const std::uint8_t* p = data.data();
    std::size_t n = data.size();
    if (buffered_ > 0) {
        std::size_t take = 16 - buffered_ < n ? 16 - buffered_ : n;
        for (std::size_t i = 0; i < take; i++) buffer_[buffered_ + i] = p[i];
        buffered_ += take;
        p += take;
        n -= take;
        if (buffered_ < 16) return;
        blocks(buffer_, 1, 1);
        buffered_ = 0;
    }
    if (n >= 16) {
        blocks(p, n / 16, 1);
        p += n / 16 * 16;
        n %= 16;
    }
    for (std::size_t i = 0; i < n; i++) buffer_[i] = p[i];
    buffered_ = n;
}

void poly1305(std::span<const std::uint8_t, 32> key, Bytes message, std::span<std::uint8_t, 16> tag) {
    Poly1305 mac(key);
    mac.update(message);
    mac.final(tag);
}

}  // namespace padlock
