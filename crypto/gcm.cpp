// SPDX-License-Identifier: Apache-2.0
// AES-GCM (NIST SP 800-38D): §6.4 GHASH, §6.5 GCTR, §7.1 GCM-AE (seal), §7.2 GCM-AD (open).
// GHASH multiplies in GF(2^128) with a carry-less multiply built from ordinary integer multiplies of
// operands with "holes", so no table is indexed by secret data; everything here is constant time.
#include "crypto/gcm.hpp"

#include <cstring>

#include "crypto/ct.hpp"
#include "crypto/endian.hpp"

namespace padlock {
namespace {

using u64 = std::uint64_t;

// A GF(2^128) element as SP 800-38D writes it: byte 0 first, its most significant bit is the
// coefficient of x^0. hi = bytes 0..7 and lo = bytes 8..15 read big-endian, so the coefficient of
// x^i is bit 127 - i of the 128-bit integer hi:lo (a "bit-reflected" polynomial).
struct Element {
    u64 hi = 0, lo = 0;
};

Element load_element(const std::uint8_t* p) { return {load_be64(p), load_be64(p + 8)}; }
void store_element(std::uint8_t* p, Element e) {
    store_be64(p, e.hi);
    store_be64(p + 8, e.lo);
}

// Carry-less 64x64-bit products from ordinary 64-bit multiplications, constant time (on CPUs whose
// multiplier takes constant time, as all current 64-bit ones do). Each operand is split into four
// interleaved parts whose set bits are four apart: in the integer product of two parts at most 15
// ones meet in any column below bit 60, so no carry reaches the next kept bit; the only column with
// 16 ones is at bit 60 or above and its carry leaves the 64-bit word. Hence the low 64 bits of the
// products, masked back to their positions, are the low half of the carry-less product. The high
// half comes from the same computation on bit-reversed operands: rev(a) * rev(b) = rev127(a * b).
constexpr u64 quarter[4] = {0x1111'1111'1111'1111, 0x2222'2222'2222'2222, 0x4444'4444'4444'4444,
                            0x8888'8888'8888'8888};
using SplitWord = u64[4];

void split(u64 x, SplitWord& parts) {
    for (unsigned i = 0; i < 4; i++) parts[i] = x & quarter[i];
}

u64 reverse_bits(u64 x) {
    x = ((x >> 1) & 0x5555'5555'5555'5555) | ((x & 0x5555'5555'5555'5555) << 1);
    x = ((x >> 2) & 0x3333'3333'3333'3333) | ((x & 0x3333'3333'3333'3333) << 2);
    x = ((x >> 4) & 0x0F0F'0F0F'0F0F'0F0F) | ((x & 0x0F0F'0F0F'0F0F'0F0F) << 4);
    x = ((x >> 8) & 0x00FF'00FF'00FF'00FF) | ((x & 0x00FF'00FF'00FF'00FF) << 8);
    x = ((x >> 16) & 0x0000'FFFF'0000'FFFF) | ((x & 0x0000'FFFF'0000'FFFF) << 16);
    return (x >> 32) | (x << 32);
}

// Low 64 bits of the carry-less product of x and the pre-split y.
inline u64 clmul_low(u64 x, const SplitWord& y) {
    const u64 x0 = x & quarter[0], x1 = x & quarter[1], x2 = x & quarter[2], x3 = x & quarter[3];
    // z_k collects the products whose bits land on positions congruent to k modulo 4.
    const u64 z0 = (x0 * y[0]) ^ (x1 * y[3]) ^ (x2 * y[2]) ^ (x3 * y[1]);
    const u64 z1 = (x0 * y[1]) ^ (x1 * y[0]) ^ (x2 * y[3]) ^ (x3 * y[2]);
    const u64 z2 = (x0 * y[2]) ^ (x1 * y[1]) ^ (x2 * y[0]) ^ (x3 * y[3]);
    const u64 z3 = (x0 * y[3]) ^ (x1 * y[2]) ^ (x2 * y[1]) ^ (x3 * y[0]);
    return (z0 & quarter[0]) | (z1 & quarter[1]) | (z2 & quarter[2]) | (z3 & quarter[3]);
}

// A GF(2^128) element prepared as the second operand: [plain, reversed][hi, lo, hi^lo], each split.
using SplitElement = SplitWord[2][3];

void split(Element e, SplitElement& s) {
    const u64 words[3] = {e.hi, e.lo, e.hi ^ e.lo};
    for (unsigned i = 0; i < 3; i++) {
        split(words[i], s[0][i]);
        split(reverse_bits(words[i]), s[1][i]);
    }
}

// An unreduced 255-bit carry-less product x3:x2:x1:x0. The high halves of the 64x64 products are
// accumulated bit-reversed (r3, r2, r1) and turned around once, in reduce().
struct Wide {
    u64 x3 = 0, x2 = 0, x1 = 0, x0 = 0;
    u64 r3 = 0, r2 = 0, r1 = 0;
};

// acc ^= a * b as polynomials (no reduction yet): Karatsuba, three 64x64 products
// (hi*hi, lo*lo, (hi^lo)*(hi^lo)).
inline void multiply_accumulate(Wide& acc, Element a, const SplitElement& b) {
    const u64 mid = a.hi ^ a.lo;
    const u64 high_lo = clmul_low(a.hi, b[0][0]), low_lo = clmul_low(a.lo, b[0][1]), mid_lo = clmul_low(mid, b[0][2]);
    const u64 rev_hi = reverse_bits(a.hi), rev_lo = reverse_bits(a.lo);
    const u64 high_hi = clmul_low(rev_hi, b[1][0]), low_hi = clmul_low(rev_lo, b[1][1]);
    const u64 mid_hi = clmul_low(rev_hi ^ rev_lo, b[1][2]);
    // X = high << 128 ^ (mid ^ high ^ low) << 64 ^ low, word by word.
    acc.r3 ^= high_hi;
    acc.x2 ^= high_lo;
    acc.r2 ^= mid_hi ^ high_hi ^ low_hi;
    acc.x1 ^= mid_lo ^ high_lo ^ low_lo;
    acc.r1 ^= low_hi;
    acc.x0 ^= low_lo;
}

// The product reduced modulo x^128 + x^7 + x^2 + x + 1 (SP 800-38D §6.3), constant time.
Element reduce(Wide w) {
    // High halves of the 64x64 products: rev64(rev(a) * rev(b)) >> 1 (the product has 127 bits).
    w.x3 ^= reverse_bits(w.r3) >> 1;
    w.x2 ^= reverse_bits(w.r2) >> 1;
    w.x1 ^= reverse_bits(w.r1) >> 1;
    // In reflected form the 255-bit product is off by one place: shifting it left by one puts the
    // coefficient of x^n at bit 255 - n, so x3:x2 holds x^0..x^127 and x1:x0 holds x^128..x^255.
    const u64 x3 = (w.x3 << 1) | (w.x2 >> 63);
    const u64 x2 = (w.x2 << 1) | (w.x1 >> 63);
    const u64 x1 = (w.x1 << 1) | (w.x0 >> 63);
    const u64 x0 = w.x0 << 1;
    // x^(128+e) = x^e * (1 + x + x^2 + x^7), and multiplying by x^k is a right shift by k. The bits
    // that the shifts push past x^127 (from e >= 121) are folded in first, into d.
    const u64 d1 = x1 ^ (x0 << 63) ^ (x0 << 62) ^ (x0 << 57);
    const u64 d0 = x0;
    Element r;
    r.hi = x3 ^ d1 ^ (d1 >> 1) ^ (d1 >> 2) ^ (d1 >> 7);
    r.lo = x2 ^ d0 ^ ((d0 >> 1) | (d1 << 63)) ^ ((d0 >> 2) | (d1 << 62)) ^ ((d0 >> 7) | (d1 << 57));
    return r;
}

// X * Y in GF(2^128) (SP 800-38D §6.3, Algorithm 1's result), constant time.
Element gf_multiply(Element a, Element b) {
    SplitElement bs;
    split(b, bs);
    Wide acc;
    multiply_accumulate(acc, a, bs);
    secure_zero(bs);
    return reduce(acc);
}

// §6.4 GHASH over whole blocks: Y_i = (Y_{i-1} xor X_i) * H. Four blocks at a time it is
// Y_{i+4} = (Y_i xor X_{i+1}) * H^4 xor X_{i+2} * H^3 xor X_{i+3} * H^2 xor X_{i+4} * H, which needs
// one reduction instead of four and has four independent products.
void ghash_blocks_portable(const AesGcm::HashKey& key, Element& y, const std::uint8_t* data, std::size_t blocks) {
    std::size_t i = 0;
    for (; i + 4 <= blocks; i += 4) {
        Wide acc;
        const Element x = load_element(data + 16 * i);
        multiply_accumulate(acc, {y.hi ^ x.hi, y.lo ^ x.lo}, key.powers[3]);
        multiply_accumulate(acc, load_element(data + 16 * (i + 1)), key.powers[2]);
        multiply_accumulate(acc, load_element(data + 16 * (i + 2)), key.powers[1]);
        multiply_accumulate(acc, load_element(data + 16 * (i + 3)), key.powers[0]);
        y = reduce(acc);
    }
    for (; i < blocks; i++) {
        Wide acc;
        const Element x = load_element(data + 16 * i);
        multiply_accumulate(acc, {y.hi ^ x.hi, y.lo ^ x.lo}, key.powers[0]);
        y = reduce(acc);
    }
}

void ctr32_xor_portable(const Aes& aes, std::uint8_t* counter, const std::uint8_t* in, std::uint8_t* out,
                        std::size_t n) {
    (void)aes.ctr32_xor(std::span<std::uint8_t, 16>(counter, 16), Bytes(in, n), MutBytes(out, n));
}

}  // namespace

// The dispatch point: one table of the two hot loops, chosen once in init(). Only the portable one
// exists today; an AES-NI/VAES + (VP)CLMULQDQ backend would be selected here by CPUID.
struct AesGcm::Backend {
    void (*ghash_blocks)(const HashKey& key, Element& y, const std::uint8_t* data, std::size_t blocks);
    void (*ctr32_xor)(const Aes& aes, std::uint8_t* counter, const std::uint8_t* in, std::uint8_t* out,
                      std::size_t n);
};

namespace {

constexpr AesGcm::Backend portable_backend{ghash_blocks_portable, ctr32_xor_portable};

const AesGcm::Backend* select_backend() { return &portable_backend; }

// GHASH of data followed by zero padding to a block boundary (the 0^v / 0^u of §7.1 step 5).
void ghash_padded(const AesGcm::Backend& backend, const AesGcm::HashKey& key, Element& y, Bytes data) {
    const std::size_t whole = data.size() / 16;
    backend.ghash_blocks(key, y, data.data(), whole);
    const std::size_t rest = data.size() % 16;
    if (rest != 0) {
        std::uint8_t last[16] = {};
        std::memcpy(last, data.data() + 16 * whole, rest);
        backend.ghash_blocks(key, y, last, 1);
        secure_zero(last, sizeof last);
    }
}

// GHASH of the final block [len(A)]_64 || [len(C)]_64, lengths in bits.
void ghash_lengths(const AesGcm::Backend& backend, const AesGcm::HashKey& key, Element& y, std::uint64_t first_bytes,
                   std::uint64_t second_bytes) {
    std::uint8_t block[16];
    store_be64(block, first_bytes * 8);
    store_be64(block + 8, second_bytes * 8);
    backend.ghash_blocks(key, y, block, 1);
}

// §7.1 step 2: the pre-counter block J0.
void pre_counter_block(const AesGcm::Backend& backend, const AesGcm::HashKey& key, Bytes iv, std::uint8_t j0[16]) {
    if (iv.size() == 12) {  // J0 = IV || 0^31 || 1
        std::memcpy(j0, iv.data(), 12);
        store_be32(j0 + 12, 1);
        return;
    }
    Element y;  // J0 = GHASH(IV || 0^(s+64) || [len(IV)]_64)
    ghash_padded(backend, key, y, iv);
    ghash_lengths(backend, key, y, 0, iv.size());
    store_element(j0, y);
    secure_zero(y);
}

// §5.2.1.1: plaintext at most 2^39 - 256 bits; AAD and IV at most 2^64 - 1 bits.
bool lengths_allowed(Bytes iv, Bytes aad, std::size_t text) {
    constexpr std::uint64_t max_text = (std::uint64_t(1) << 36) - 32;
    constexpr std::uint64_t max_bytes = (std::uint64_t(1) << 61) - 1;
    return std::uint64_t(text) <= max_text && std::uint64_t(aad.size()) <= max_bytes &&
           std::uint64_t(iv.size()) <= max_bytes;
}

// S = GHASH(A || 0^v || C || 0^u || [len(A)]_64 || [len(C)]_64), then T = GCTR(J0, S) (§7.1 steps 5-6).
void compute_tag(const Aes& aes, const AesGcm::Backend& backend, const AesGcm::HashKey& key, const std::uint8_t j0[16],
                 Bytes aad, Bytes ciphertext, std::uint8_t tag[16]) {
    Element s;
    ghash_padded(backend, key, s, aad);
    ghash_padded(backend, key, s, ciphertext);
    ghash_lengths(backend, key, s, aad.size(), ciphertext.size());
    std::uint8_t s_bytes[16], counter[16];
    store_element(s_bytes, s);
    std::memcpy(counter, j0, 16);
    backend.ctr32_xor(aes, counter, s_bytes, tag, 16);
    secure_zero(s);
    secure_zero(s_bytes, sizeof s_bytes);
    secure_zero(counter, sizeof counter);
}

}  // namespace

Error AesGcm::init(Bytes key) {
    backend_ = nullptr;
    secure_zero(hash_key_);
    if (Error e = aes_.init(key); e != Error::ok) return e;
    // §7.1 step 1: H = CIPH_K(0^128).
    std::uint8_t zero[16] = {}, h[16];
    if (Error e = aes_.encrypt_blocks(zero, h); e != Error::ok) return e;
    const Element h_elem = load_element(h);
    Element power = h_elem;
    for (auto& p : hash_key_.powers) {
        split(power, p);
        power = gf_multiply(power, h_elem);
    }
    secure_zero(h, sizeof h);
    secure_zero(power);
    backend_ = select_backend();
    return Error::ok;
}

Error AesGcm::seal(Bytes iv, Bytes aad, Bytes plaintext, MutBytes out, std::span<std::uint8_t, tag_size> tag) const {
    if (backend_ == nullptr) return Error::bad_key_length;
    if (iv.empty()) return Error::bad_nonce_length;
    if (out.size() != plaintext.size() || !lengths_allowed(iv, aad, plaintext.size())) return Error::bad_input_length;
    std::uint8_t j0[16], counter[16];
    pre_counter_block(*backend_, hash_key_, iv, j0);
    // §7.1 step 3: C = GCTR(inc32(J0), P).
    std::memcpy(counter, j0, 16);
    store_be32(counter + 12, load_be32(counter + 12) + 1);
    backend_->ctr32_xor(aes_, counter, plaintext.data(), out.data(), plaintext.size());
    compute_tag(aes_, *backend_, hash_key_, j0, aad, out, tag.data());
    secure_zero(j0, sizeof j0);
    secure_zero(counter, sizeof counter);
    return Error::ok;
}

Error AesGcm::open(Bytes iv, Bytes aad, Bytes ciphertext, Bytes tag, MutBytes out) const {
    if (backend_ == nullptr) return Error::bad_key_length;
    if (iv.empty()) return Error::bad_nonce_length;
    if (tag.size() != tag_size) return Error::bad_tag_length;
    if (out.size() != ciphertext.size() || !lengths_allowed(iv, aad, ciphertext.size())) return Error::bad_input_length;
    // §7.2: the tag is recomputed from the ciphertext before anything is written to out, so in-place
    // use is safe and no plaintext leaves on failure.
    std::uint8_t j0[16], expected[16];
    pre_counter_block(*backend_, hash_key_, iv, j0);
    compute_tag(aes_, *backend_, hash_key_, j0, aad, ciphertext, expected);
    const bool tag_ok = ct::equal(expected, tag.data(), tag_size);  // constant-time comparison
    secure_zero(expected, sizeof expected);
    if (!tag_ok) {  // the verdict itself is public
        secure_zero(out.data(), out.size());
        secure_zero(j0, sizeof j0);
        return Error::auth_failed;
    }
    std::uint8_t counter[16];
    std::memcpy(counter, j0, 16);
    store_be32(counter + 12, load_be32(counter + 12) + 1);
    backend_->ctr32_xor(aes_, counter, ciphertext.data(), out.data(), ciphertext.size());
    secure_zero(j0, sizeof j0);
    secure_zero(counter, sizeof counter);
    return Error::ok;
}

AesGcm::~AesGcm() {
    secure_zero(hash_key_);
    backend_ = nullptr;
}

}  // namespace padlock
