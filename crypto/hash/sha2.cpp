// SPDX-License-Identifier: Apache-2.0
// SHA-224/256 (FIPS 180-4 §6.2-§6.3) and SHA-384/512 (§6.4-§6.5), portable C++.
// Sixteen rounds at a time are unrolled. The message schedule (§6.2.2 / §6.4.2 step 1) is
// computed a 128-bit vector at a time (four SHA-256 words, two SHA-512 words) with GCC/Clang vector
// extensions: plain C++ operators that the compiler lowers to the target's vector instructions
// (SSE2 on x86-64) or, without a vector unit, to scalar code (32-bit PowerPC in the test suite); no
// intrinsics, no target-specific code. While the scalar rounds run, the vectors prepare W_t for
// the rounds 16 later, and hand K_t + W_t over through a 16-word ring.
#include "crypto/hash/sha2.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#include "crypto/ct.hpp"
#include "crypto/endian.hpp"
#include "crypto/hash/detail/sha256_k.hpp"
#include "crypto/hash/detail/sha512_k.hpp"
#if defined(PADLOCK_ACCEL_X86)
#include "crypto/cpu.hpp"
#include "crypto/hash/detail/sha256_shani.hpp"
#include "crypto/hash/detail/sha512_avx2.hpp"
#endif

namespace padlock {
namespace {

using U32x4 = std::uint32_t __attribute__((vector_size(16)));
using U64x2 = std::uint64_t __attribute__((vector_size(16)));

// kw[i] = x[i] + k[i] for each word of x: K_t + W_t for the rounds that read those ring slots.
template <class V, class W>
void stage(W* kw, V x, const W* k) {
    V kv;
    std::memcpy(&kv, k, sizeof kv);
    x += kv;
    std::memcpy(kw, &x, sizeof x);
}
template <class V>
V rotr_vec(V x, int n) { return (x >> n) | (x << (int(8 * sizeof x[0]) - n)); }

// ---- SHA-256 functions and constants (§4.1.2, §4.2.2, §5.3.2, §5.3.3) ----

inline std::uint32_t ch(std::uint32_t x, std::uint32_t y, std::uint32_t z) { return z ^ (x & (y ^ z)); }
// ROTR^2 ^ ROTR^13 ^ ROTR^22, factored as ROTR^2(x ^ ROTR^11(x ^ ROTR^9 x)): two register copies
// fewer on x86; Σ1 keeps the flat form, which is shorter on the round's critical path through e.
inline std::uint32_t big_sigma0(std::uint32_t x) { return std::rotr(x ^ std::rotr(x ^ std::rotr(x, 9), 11), 2); }
inline std::uint32_t big_sigma1(std::uint32_t x) { return std::rotr(x, 6) ^ std::rotr(x, 11) ^ std::rotr(x, 25); }
inline U32x4 small_sigma0(U32x4 x) { return rotr_vec(x, 7) ^ rotr_vec(x, 18) ^ (x >> 3); }
inline U32x4 small_sigma1(U32x4 x) { return rotr_vec(x, 17) ^ rotr_vec(x, 19) ^ (x >> 10); }


// Initial hash values (§5.3.2 SHA-224, §5.3.3 SHA-256).
constexpr std::uint32_t IV224[8] = {
    0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4,
};
constexpr std::uint32_t IV256[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

// W_t..W_{t+3} for t >= 16 (§6.2.2 step 1) from w0..w3 = W_{t-16..t-13}, ..., W_{t-4..t-1}.
// W_{t+2} and W_{t+3} need σ1 of W_t and W_{t+1}, so σ1 is added in two halves.
inline U32x4 next4(U32x4 w0, U32x4 w1, U32x4 w2, U32x4 w3) {
    const U32x4 zero = {0, 0, 0, 0};
    U32x4 w = w0 + small_sigma0(__builtin_shufflevector(w0, w1, 1, 2, 3, 4))  // W_{t-15..t-12}
                 + __builtin_shufflevector(w2, w3, 1, 2, 3, 4);                // W_{t-7..t-4}
    w += small_sigma1(__builtin_shufflevector(w3, zero, 2, 3, 4, 4));         // W_{t-2}, W_{t-1}
    w += small_sigma1(__builtin_shufflevector(w, zero, 4, 4, 0, 1));          // W_t, W_{t+1}
    return w;
}

// One round (§6.2.2 step 3). Instead of shifting the eight working variables, the caller rotates
// the names it passes: only d and h change (d += T1, h = T1 + T2). c is needed only by Maj, written
// as b ^ ((a ^ b) & (b ^ c)); b ^ c is the previous round's a ^ b, carried in `bc` (one op saved).
inline void round256(std::uint32_t a, std::uint32_t b, std::uint32_t& d,
                     std::uint32_t e, std::uint32_t f, std::uint32_t g, std::uint32_t& h,
                     std::uint32_t k_plus_w, std::uint32_t& bc) {
    std::uint32_t t1 = h + big_sigma1(e) + ch(e, f, g) + k_plus_w;
    std::uint32_t ab = a ^ b;
    std::uint32_t maj = b ^ (ab & bc);  // Maj(a, b, c), since bc == b ^ c
    bc = ab;                            // next round's b ^ c
    d += t1;
    h = t1 + big_sigma0(a) + maj;
}

// Four rounds; the next four are the same call with the names rotated by four.
inline void rounds4(std::uint32_t& a, std::uint32_t& b, std::uint32_t& c, std::uint32_t& d,
                    std::uint32_t& e, std::uint32_t& f, std::uint32_t& g, std::uint32_t& h,
                    const std::uint32_t kw[4], std::uint32_t& bc) {
    round256(a, b, d, e, f, g, h, kw[0], bc);
    round256(h, a, c, d, e, f, g, kw[1], bc);
    round256(g, h, b, c, d, e, f, kw[2], bc);
    round256(f, g, a, b, c, d, e, kw[3], bc);
}

// The SHA-256 compression function over `count` consecutive 64-byte blocks (§6.2.2).
void compress256_portable(std::uint32_t state[8], const std::uint8_t* p, std::size_t count) {
    std::uint32_t kw[16];  // K_t + W_t for the next 16 rounds; message-derived, wiped at the end
    U32x4 w[4];            // W_{t-16..t-1} before rounds t..t+15, oldest first; wiped at the end too
    for (; count > 0; count--, p += 64) {
        for (int j = 0; j < 4; j++) {
            const std::uint8_t* q = p + 16 * j;
            w[j] = U32x4{load_be32(q), load_be32(q + 4), load_be32(q + 8), load_be32(q + 12)};
            stage(kw + 4 * j, w[j], sha256_k + 4 * j);
        }
        std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
        std::uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        std::uint32_t bc = b ^ c;
        // Rounds 0-47; after each four, their ring slots get K + W for the rounds 16 later. This stays
        // a loop: unrolled, the code outgrows the CPU's decoded-instruction cache and runs slower.
#pragma GCC unroll 1
        for (int t = 0; t < 48; t += 16) {
            rounds4(a, b, c, d, e, f, g, h, kw + 0, bc);
            w[0] = next4(w[0], w[1], w[2], w[3]);
            stage(kw + 0, w[0], sha256_k + t + 16);
            rounds4(e, f, g, h, a, b, c, d, kw + 4, bc);
            w[1] = next4(w[1], w[2], w[3], w[0]);
            stage(kw + 4, w[1], sha256_k + t + 20);
            rounds4(a, b, c, d, e, f, g, h, kw + 8, bc);
            w[2] = next4(w[2], w[3], w[0], w[1]);
            stage(kw + 8, w[2], sha256_k + t + 24);
            rounds4(e, f, g, h, a, b, c, d, kw + 12, bc);
            w[3] = next4(w[3], w[0], w[1], w[2]);
            stage(kw + 12, w[3], sha256_k + t + 28);
        }
        // Rounds 48-63.
        rounds4(a, b, c, d, e, f, g, h, kw + 0, bc);
        rounds4(e, f, g, h, a, b, c, d, kw + 4, bc);
        rounds4(a, b, c, d, e, f, g, h, kw + 8, bc);
        rounds4(e, f, g, h, a, b, c, d, kw + 12, bc);
        // Intermediate hash value H(i) (§6.2.2 step 4).
        state[0] += a; state[1] += b; state[2] += c; state[3] += d;
        state[4] += e; state[5] += f; state[6] += g; state[7] += h;
    }
    secure_zero(kw);
    secure_zero(w);
}

// ---- SHA-512 functions and constants (§4.1.3, §4.2.3, §5.3.4, §5.3.5) ----

inline std::uint64_t ch(std::uint64_t x, std::uint64_t y, std::uint64_t z) { return z ^ (x & (y ^ z)); }
// ROTR^28 ^ ROTR^34 ^ ROTR^39 as ROTR^28(x ^ ROTR^6(x ^ ROTR^5 x)), as for SHA-256.
inline std::uint64_t big_sigma0(std::uint64_t x) { return std::rotr(x ^ std::rotr(x ^ std::rotr(x, 5), 6), 28); }
inline std::uint64_t big_sigma1(std::uint64_t x) { return std::rotr(x, 14) ^ std::rotr(x, 18) ^ std::rotr(x, 41); }
inline U64x2 small_sigma0(U64x2 x) { return rotr_vec(x, 1) ^ rotr_vec(x, 8) ^ (x >> 7); }
inline U64x2 small_sigma1(U64x2 x) { return rotr_vec(x, 19) ^ rotr_vec(x, 61) ^ (x >> 6); }

// Initial hash values (§5.3.4 SHA-384, §5.3.5 SHA-512).
constexpr std::uint64_t IV384[8] = {
    0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17, 0x152fecd8f70e5939,
    0x67332667ffc00b31, 0x8eb44a8768581511, 0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4,
};
constexpr std::uint64_t IV512[8] = {
    0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
    0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
};

// W_t, W_{t+1} for t >= 16 (§6.4.2 step 1) from w0 = W_{t-16..t-15}, w1 = W_{t-14..t-13},
// w4 = W_{t-8..t-7}, w5 = W_{t-6..t-5} and w7 = W_{t-2..t-1}.
inline U64x2 next2(U64x2 w0, U64x2 w1, U64x2 w4, U64x2 w5, U64x2 w7) {
    return w0 + small_sigma0(__builtin_shufflevector(w0, w1, 1, 2))  // W_{t-15..t-14}
              + __builtin_shufflevector(w4, w5, 1, 2)                // W_{t-7..t-6}
              + small_sigma1(w7);
}

// One round (§6.4.2 step 3), with the same renaming trick as round256.
inline void round512(std::uint64_t a, std::uint64_t b, std::uint64_t& d,
                     std::uint64_t e, std::uint64_t f, std::uint64_t g, std::uint64_t& h,
                     std::uint64_t k_plus_w, std::uint64_t& bc) {
    std::uint64_t t1 = h + big_sigma1(e) + ch(e, f, g) + k_plus_w;
    std::uint64_t ab = a ^ b;
    std::uint64_t maj = b ^ (ab & bc);  // Maj(a, b, c), since bc == b ^ c
    bc = ab;                            // next round's b ^ c
    d += t1;
    h = t1 + big_sigma0(a) + maj;
}

// Two rounds; the next two are the same call with the names rotated by two.
inline void rounds2(std::uint64_t& a, std::uint64_t& b, std::uint64_t& c, std::uint64_t& d,
                    std::uint64_t& e, std::uint64_t& f, std::uint64_t& g, std::uint64_t& h,
                    const std::uint64_t kw[2], std::uint64_t& bc) {
    round512(a, b, d, e, f, g, h, kw[0], bc);
    round512(h, a, c, d, e, f, g, kw[1], bc);
}

// The SHA-512 compression function over `count` consecutive 128-byte blocks (§6.4.2).
void compress512_portable(std::uint64_t state[8], const std::uint8_t* p, std::size_t count) {
    std::uint64_t kw[16];  // K_t + W_t for the next 16 rounds; message-derived, wiped at the end
    U64x2 w[8];            // W_{t-16..t-1} before rounds t..t+15, oldest first; wiped at the end too
    for (; count > 0; count--, p += 128) {
        for (int j = 0; j < 8; j++) {
            w[j] = U64x2{load_be64(p + 16 * j), load_be64(p + 16 * j + 8)};
            stage(kw + 2 * j, w[j], sha512_k + 2 * j);
        }
        std::uint64_t a = state[0], b = state[1], c = state[2], d = state[3];
        std::uint64_t e = state[4], f = state[5], g = state[6], h = state[7];
        std::uint64_t bc = b ^ c;
        // Rounds 0-63; after each two, their ring slots get K + W for the rounds 16 later (a loop, as
        // for SHA-256).
#pragma GCC unroll 1
        for (int t = 0; t < 64; t += 16) {
#pragma GCC unroll 2
            for (int i = 0; i < 8; i += 4) {
                rounds2(a, b, c, d, e, f, g, h, kw + 2 * i, bc);
                w[i] = next2(w[i], w[i + 1], w[(i + 4) & 7], w[(i + 5) & 7], w[(i + 7) & 7]);
                stage(kw + 2 * i, w[i], sha512_k + t + 16 + 2 * i);
                rounds2(g, h, a, b, c, d, e, f, kw + 2 * i + 2, bc);
                w[i + 1] = next2(w[i + 1], w[i + 2], w[(i + 5) & 7], w[(i + 6) & 7], w[i]);
                stage(kw + 2 * i + 2, w[i + 1], sha512_k + t + 18 + 2 * i);
                rounds2(e, f, g, h, a, b, c, d, kw + 2 * i + 4, bc);
                w[i + 2] = next2(w[i + 2], w[i + 3], w[(i + 6) & 7], w[(i + 7) & 7], w[i + 1]);
                stage(kw + 2 * i + 4, w[i + 2], sha512_k + t + 20 + 2 * i);
                rounds2(c, d, e, f, g, h, a, b, kw + 2 * i + 6, bc);
                w[i + 3] = next2(w[i + 3], w[(i + 4) & 7], w[(i + 7) & 7], w[i], w[i + 2]);
                stage(kw + 2 * i + 6, w[i + 3], sha512_k + t + 22 + 2 * i);
            }
        }
        // Rounds 64-79.
#pragma GCC unroll 2
        for (int i = 0; i < 16; i += 8) {
            rounds2(a, b, c, d, e, f, g, h, kw + i, bc);
            rounds2(g, h, a, b, c, d, e, f, kw + i + 2, bc);
            rounds2(e, f, g, h, a, b, c, d, kw + i + 4, bc);
            rounds2(c, d, e, f, g, h, a, b, kw + i + 6, bc);
        }
        // Intermediate hash value H(i) (§6.4.2 step 4).
        state[0] += a; state[1] += b; state[2] += c; state[3] += d;
        state[4] += e; state[5] += f; state[6] += g; state[7] += h;
    }
    secure_zero(kw);
    secure_zero(w);
}

// The dispatch point (crypto/cpu.hpp): a table of compression functions per backend, picked from
// cpu::features() on each call (a load and a compare; the hash contexts hold no backend of their own,
// so a context may be copied between threads and backends freely).
using Compress256 = void (*)(std::uint32_t state[8], const std::uint8_t* blocks, std::size_t count);
using Compress512 = void (*)(std::uint64_t state[8], const std::uint8_t* blocks, std::size_t count);
struct Backend {
    Compress256 compress256;
    Compress512 compress512;
    const char* name256;
    const char* name512;
};
constexpr Backend portable_backend{compress256_portable, compress512_portable, "portable", "portable"};
#if defined(PADLOCK_ACCEL_X86)
constexpr Backend shani_backend{sha2_x86::compress256_shani, compress512_portable, "shani", "portable"};
constexpr Backend avx2_backend{compress256_portable, sha2_x86::compress512_avx2, "portable", "avx2"};
constexpr Backend shani_avx2_backend{sha2_x86::compress256_shani, sha2_x86::compress512_avx2, "shani", "avx2"};
constexpr Backend avx512_backend{compress256_portable, sha2_x86::compress512_avx512, "portable", "avx512"};
constexpr Backend shani_avx512_backend{sha2_x86::compress256_shani, sha2_x86::compress512_avx512, "shani", "avx512"};
const Backend& select_backend() {
    const bool shani = cpu::has(cpu::sha_ni | cpu::ssse3 | cpu::sse41), avx2 = cpu::has(cpu::avx2 | cpu::bmi2);
    const bool avx512 = avx2 && cpu::has(cpu::avx512);
    if (avx512) return shani ? shani_avx512_backend : avx512_backend;
    return shani ? (avx2 ? shani_avx2_backend : shani_backend) : (avx2 ? avx2_backend : portable_backend);
}
#else
constexpr const Backend& select_backend() { return portable_backend; }
#endif
void compress256(std::uint32_t state[8], const std::uint8_t* p, std::size_t count) {
    select_backend().compress256(state, p, count);
}
void compress512(std::uint64_t state[8], const std::uint8_t* p, std::size_t count) {
    select_backend().compress512(state, p, count);
}

// Stack the compression functions use below their caller (about 300 and 500 bytes: K+W, W and the
// spilled working variables; about 2.3 KB for the two-block path of sha512_x86_body.hpp, which
// keeps 80 K+W for block A and two sets of 80 for block B), cleared at the end of every hash.
constexpr std::size_t compress256_stack_bytes = 1024, compress512_stack_bytes = 3072;

// Buffers input into whole blocks (§5.2 parsing); full blocks of the caller's data are compressed
// in place, without a copy. Only lengths decide the path taken, never the data.
template <std::size_t B, class State, class Compress>
void absorb(State& s, Bytes data, Compress compress) {
    const std::uint8_t* p = data.data();
    std::size_t n = data.size();
    s.bytes += n;
    if (s.used > 0) {
        std::size_t take = std::min(B - s.used, n);
        std::copy(p, p + take, s.block + s.used);
        s.used += take;
        p += take;
        n -= take;
        if (s.used < B) return;
        compress(s.h, s.block, 1);
        s.used = 0;
    }
    if (std::size_t full = n / B; full > 0) {
        compress(s.h, p, full);
        p += full * B;
        n -= full * B;
    }
    std::copy(p, p + n, s.block);
    s.used = n;
}

}  // namespace

namespace detail {

const char* sha2_backend_name(std::size_t block_size) {
    return block_size == 64 ? select_backend().name256 : select_backend().name512;
}

void sha224_init(Sha256State& s) {
    std::copy(IV224, IV224 + 8, s.h);
    s.bytes = 0;
    s.used = 0;
}
void sha256_init(Sha256State& s) {
    std::copy(IV256, IV256 + 8, s.h);
    s.bytes = 0;
    s.used = 0;
}
void sha256_update(Sha256State& s, Bytes data) { absorb<64>(s, data, compress256); }

// Padding (§5.1.1): a 1 bit, zeros up to 56 mod 64 bytes, then the bit length as 64 bits.
void sha256_finish(Sha256State& s, std::uint8_t* out, std::size_t out_len) {
    s.block[s.used++] = 0x80;
    if (s.used > 56) {
        std::fill(s.block + s.used, s.block + 64, std::uint8_t(0));
        compress256(s.h, s.block, 1);
        s.used = 0;
    }
    std::fill(s.block + s.used, s.block + 56, std::uint8_t(0));
    store_be64(s.block + 56, s.bytes * 8);
    compress256(s.h, s.block, 1);
    std::uint8_t digest[32];
    for (int i = 0; i < 8; i++) store_be32(digest + 4 * i, s.h[i]);
    std::copy(digest, digest + std::min<std::size_t>(out_len, 32), out);
    secure_zero(digest);
    secure_zero(s);
    // The compression function spills its working variables, which start as the chaining value
    // (for HMAC, the keyed state a forger needs), where no named wipe reaches: clear its frame.
    secure_zero_stack<compress256_stack_bytes>();
}

void sha384_init(Sha512State& s) {
    std::copy(IV384, IV384 + 8, s.h);
    s.bytes = 0;
    s.used = 0;
}
void sha512_init(Sha512State& s) {
    std::copy(IV512, IV512 + 8, s.h);
    s.bytes = 0;
    s.used = 0;
}
void sha512_update(Sha512State& s, Bytes data) { absorb<128>(s, data, compress512); }

// Padding (§5.1.2): a 1 bit, zeros up to 112 mod 128 bytes, then the bit length as 128 bits.
void sha512_finish(Sha512State& s, std::uint8_t* out, std::size_t out_len) {
    s.block[s.used++] = 0x80;
    if (s.used > 112) {
        std::fill(s.block + s.used, s.block + 128, std::uint8_t(0));
        compress512(s.h, s.block, 1);
        s.used = 0;
    }
    std::fill(s.block + s.used, s.block + 112, std::uint8_t(0));
    store_be64(s.block + 112, s.bytes >> 61);   // high 64 bits of the bit length
    store_be64(s.block + 120, s.bytes << 3);
    compress512(s.h, s.block, 1);
    std::uint8_t digest[64];
    for (int i = 0; i < 8; i++) store_be64(digest + 8 * i, s.h[i]);
    std::copy(digest, digest + std::min<std::size_t>(out_len, 64), out);
    secure_zero(digest);
    secure_zero(s);
    secure_zero_stack<compress512_stack_bytes>();  // as in sha256_finish
}

}  // namespace detail

Sha256::Sha256() { detail::sha256_init(s_); }
Sha256::~Sha256() { secure_zero(s_); }
void Sha256::update(Bytes data) { detail::sha256_update(s_, data); }
void Sha256::final(std::span<std::uint8_t, digest_size> out) {
    detail::sha256_finish(s_, out.data(), digest_size);
    detail::sha256_init(s_);
}
void Sha256::hash(Bytes data, std::span<std::uint8_t, digest_size> out) {
    Sha256 ctx;
    ctx.update(data);
    ctx.final(out);
}

Sha224::Sha224() { detail::sha224_init(s_); }
Sha224::~Sha224() { secure_zero(s_); }
void Sha224::update(Bytes data) { detail::sha256_update(s_, data); }
void Sha224::final(std::span<std::uint8_t, digest_size> out) {
    detail::sha256_finish(s_, out.data(), digest_size);
    detail::sha224_init(s_);
}
void Sha224::hash(Bytes data, std::span<std::uint8_t, digest_size> out) {
    Sha224 ctx;
    ctx.update(data);
    ctx.final(out);
}

Sha512::Sha512() { detail::sha512_init(s_); }
Sha512::~Sha512() { secure_zero(s_); }
void Sha512::update(Bytes data) { detail::sha512_update(s_, data); }
void Sha512::final(std::span<std::uint8_t, digest_size> out) {
    detail::sha512_finish(s_, out.data(), digest_size);
    detail::sha512_init(s_);
}
void Sha512::hash(Bytes data, std::span<std::uint8_t, digest_size> out) {
    Sha512 ctx;
    ctx.update(data);
    ctx.final(out);
}

Sha384::Sha384() { detail::sha384_init(s_); }
Sha384::~Sha384() { secure_zero(s_); }
void Sha384::update(Bytes data) { detail::sha512_update(s_, data); }
void Sha384::final(std::span<std::uint8_t, digest_size> out) {
    detail::sha512_finish(s_, out.data(), digest_size);
    detail::sha384_init(s_);
}
void Sha384::hash(Bytes data, std::span<std::uint8_t, digest_size> out) {
    Sha384 ctx;
    ctx.update(data);
    ctx.final(out);
}

}  // namespace padlock
