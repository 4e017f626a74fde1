// SPDX-License-Identifier: Apache-2.0
// AES-GCM (NIST SP 800-38D): §6.4 GHASH, §6.5 GCTR, §7.1 GCM-AE (seal), §7.2 GCM-AD (open).
// GHASH multiplies in GF(2^128) with a carry-less multiply built from ordinary integer multiplies of
// operands with "holes", so no table is indexed by secret data; everything here is constant time.
// Sealing runs GHASH inside the rounds of the bitsliced AES (crypto/symmetric/detail/aes_bitsliced.hpp) so they overlap.
#include "crypto/symmetric/gcm.hpp"

#include <cstring>

#include "crypto/symmetric/detail/aes_bitsliced.hpp"
#include "crypto/symmetric/detail/gcm_backend.hpp"
#include "crypto/ct.hpp"
#include "crypto/endian.hpp"
#if defined(PADLOCK_ACCEL_X86)
#include "crypto/cpu.hpp"
#include "crypto/symmetric/detail/gcm_x86.hpp"
#endif

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

// Carry-less 64x64 -> 128-bit products from ordinary integer multiplications, constant time (on
// CPUs whose multiplier takes constant time, as all current 64-bit ones do). Both operands are split
// into four interleaved parts whose set bits are four apart. In the integer product of two parts the
// ones meet only in columns of one residue class modulo 4; if no column gets 16 ones, each column's
// count fits in the three bits above it and never reaches the next column of its class, so bit p of
// the product is the parity of column p, i.e. the carry-less product there. The products are summed
// by class (z_k collects the columns p = k mod 4) and the bits of other classes masked off. To keep
// every count at most 15, the prepared operand's parts hold only its low 60 bits (15 per part); its
// top four bits are applied separately as masks: x * 2^(60+t) wherever bit 60 + t is set.
constexpr u64 quarter[4] = {0x1111'1111'1111'1111, 0x2222'2222'2222'2222, 0x4444'4444'4444'4444,
                            0x8888'8888'8888'8888};  // bits p = k (mod 4)
constexpr u64 low60 = (u64(1) << 60) - 1;

// y prepared as the second operand: [k] = its bits p = k (mod 4) below 60, [4 + t] = all ones if
// bit 60 + t is set.
using SplitWord = u64[8];

void split(u64 y, SplitWord& s) {
    for (unsigned k = 0; k < 4; k++) {
        s[k] = y & low60 & quarter[k];
        s[4 + k] = 0 - ((y >> (60 + k)) & 1);
    }
}

#if defined(__SIZEOF_INT128__) && !defined(PADLOCK_LIMB32)
using u128 = unsigned __int128;
using Product = u128;  // a 128-bit carry-less product
inline u64 high_word(Product p) { return u64(p >> 64); }
inline u64 low_word(Product p) { return u64(p); }

// The carry-less product of x and the prepared y: sixteen 64x64 -> 128-bit multiplications.
inline Product clmul(u64 x, const SplitWord& y) {
    const u64 x0 = x & quarter[0], x1 = x & quarter[1], x2 = x & quarter[2], x3 = x & quarter[3];
    const u128 z0 = u128(x0) * y[0] ^ u128(x1) * y[3] ^ u128(x2) * y[2] ^ u128(x3) * y[1];
    const u128 z1 = u128(x0) * y[1] ^ u128(x1) * y[0] ^ u128(x2) * y[3] ^ u128(x3) * y[2];
    const u128 z2 = u128(x0) * y[2] ^ u128(x1) * y[1] ^ u128(x2) * y[0] ^ u128(x3) * y[3];
    const u128 z3 = u128(x0) * y[3] ^ u128(x1) * y[2] ^ u128(x2) * y[1] ^ u128(x3) * y[0];
    constexpr auto mask = [](unsigned k) { return u128(quarter[k]) << 64 | quarter[k]; };
    u128 r = (z0 & mask(0)) | (z1 & mask(1)) | (z2 & mask(2)) | (z3 & mask(3));
    for (unsigned t = 0; t < 4; t++) r ^= u128(x & y[4 + t]) << (60 + t);
    return r;
}
#else
// Targets without a 128-bit product (32-bit CPUs): Karatsuba over 32-bit halves, each 32x32 -> 64
// product from sixteen multiplications of parts four bits apart (at most 8 ones meet per column).
struct Product {
    u64 hi = 0, lo = 0;
};
inline Product& operator^=(Product& a, Product b) {
    a.hi ^= b.hi;
    a.lo ^= b.lo;
    return a;
}
inline u64 high_word(Product p) { return p.hi; }
inline u64 low_word(Product p) { return p.lo; }

inline u64 clmul32(std::uint32_t x, std::uint32_t y) {
    const u64 x0 = x & quarter[0], x1 = x & quarter[1], x2 = x & quarter[2], x3 = x & quarter[3];
    const u64 y0 = y & quarter[0], y1 = y & quarter[1], y2 = y & quarter[2], y3 = y & quarter[3];
    const u64 z0 = (x0 * y0) ^ (x1 * y3) ^ (x2 * y2) ^ (x3 * y1);
    const u64 z1 = (x0 * y1) ^ (x1 * y0) ^ (x2 * y3) ^ (x3 * y2);
    const u64 z2 = (x0 * y2) ^ (x1 * y1) ^ (x2 * y0) ^ (x3 * y3);
    const u64 z3 = (x0 * y3) ^ (x1 * y2) ^ (x2 * y1) ^ (x3 * y0);
    return (z0 & quarter[0]) | (z1 & quarter[1]) | (z2 & quarter[2]) | (z3 & quarter[3]);
}
inline Product clmul(u64 x, const SplitWord& s) {
    u64 y = s[0] | s[1] | s[2] | s[3];
    for (unsigned t = 0; t < 4; t++) y |= (s[4 + t] & 1) << (60 + t);
    const std::uint32_t x0 = std::uint32_t(x), x1 = std::uint32_t(x >> 32);
    const std::uint32_t y0 = std::uint32_t(y), y1 = std::uint32_t(y >> 32);
    const u64 low = clmul32(x0, y0), high = clmul32(x1, y1);
    const u64 mid = clmul32(x0 ^ x1, y0 ^ y1) ^ low ^ high;
    return {high ^ (mid >> 32), low ^ (mid << 32)};
}
#endif

// A GF(2^128) element prepared as the second operand: its 64-bit words hi, lo and hi^lo (the
// Karatsuba operands), each prepared by split().
using SplitElement = SplitWord[3];
static_assert(sizeof(SplitElement) == sizeof(AesGcm::HashKey::powers[0]));

void split(Element e, SplitElement& s) {
    split(e.hi, s[0]);
    split(e.lo, s[1]);
    split(e.hi ^ e.lo, s[2]);
}

// Sums of the three Karatsuba products (hi*hi, lo*lo, (hi^lo)*(hi^lo)) of one or more element
// products, not yet combined or reduced.
struct Karatsuba {
    Product high{}, low{}, mid{};
};

// acc += a * b as polynomials (no reduction yet).
inline void multiply_accumulate(Karatsuba& acc, Element a, const SplitElement& b) {
    acc.high ^= clmul(a.hi, b[0]);
    acc.low ^= clmul(a.lo, b[1]);
    acc.mid ^= clmul(a.hi ^ a.lo, b[2]);
}

// The product reduced modulo x^128 + x^7 + x^2 + x + 1 (SP 800-38D §6.3), constant time.
Element reduce(const Karatsuba& k) {
    // The 255-bit product x3:x2:x1:x0 = high << 128 ^ (mid ^ high ^ low) << 64 ^ low.
    const u64 mid_hi = high_word(k.mid) ^ high_word(k.high) ^ high_word(k.low);
    const u64 mid_lo = low_word(k.mid) ^ low_word(k.high) ^ low_word(k.low);
    const u64 w3 = high_word(k.high), w2 = low_word(k.high) ^ mid_hi, w1 = high_word(k.low) ^ mid_lo;
    const u64 w0 = low_word(k.low);
    // In reflected form the 255-bit product is off by one place: shifting it left by one puts the
    // coefficient of x^n at bit 255 - n, so x3:x2 holds x^0..x^127 and x1:x0 holds x^128..x^255.
    const u64 x3 = (w3 << 1) | (w2 >> 63);
    const u64 x2 = (w2 << 1) | (w1 >> 63);
    const u64 x1 = (w1 << 1) | (w0 >> 63);
    const u64 x0 = w0 << 1;
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
    Karatsuba acc;
    multiply_accumulate(acc, a, bs);
    secure_zero(bs);
    const Element r = reduce(acc);
    secure_zero(acc);
    return r;
}

// §6.4 GHASH over whole blocks: Y_i = (Y_{i-1} xor X_i) * H. Four blocks at a time it is
// Y_{i+4} = (Y_i xor X_{i+1}) * H^4 xor X_{i+2} * H^3 xor X_{i+3} * H^2 xor X_{i+4} * H, which needs
// one reduction instead of four and has four independent products.
// The compact build (aes_bitsliced::compact) takes one block at a time, for size.
void ghash_blocks_portable(const AesGcm::HashKey& key, Element& y, const std::uint8_t* data, std::size_t blocks) {
    std::size_t i = 0;
    for (; !aes_bitsliced::compact && i + 4 <= blocks; i += 4) {
        Karatsuba acc;
        const Element x = load_element(data + 16 * i);
        multiply_accumulate(acc, {y.hi ^ x.hi, y.lo ^ x.lo}, key.powers[3]);
        multiply_accumulate(acc, load_element(data + 16 * (i + 1)), key.powers[2]);
        multiply_accumulate(acc, load_element(data + 16 * (i + 2)), key.powers[1]);
        multiply_accumulate(acc, load_element(data + 16 * (i + 3)), key.powers[0]);
        y = reduce(acc);
    }
    for (; i < blocks; i++) {
        Karatsuba acc;
        const Element x = load_element(data + 16 * i);
        multiply_accumulate(acc, {y.hi ^ x.hi, y.lo ^ x.lo}, key.powers[0]);
        y = reduce(acc);
    }
}

// GHASH of one 8-block pass of ciphertext, cut into pieces that aes_bitsliced::encrypt_state calls
// inside its rounds: round r (1..8) multiplies block r - 1 by its power of H, in two groups of four
// with one reduction each (as in ghash_blocks_portable). The branches depend only on the round.
struct GhashAlongside {
    static_assert(aes_bitsliced::state_bytes == 8 * 16);  // and every AES has at least 9 full rounds
    const AesGcm::HashKey& key;
    Element& y;
    const std::uint8_t* data;  // the 8 blocks to absorb, or nullptr for none
    Karatsuba acc{};
    Element x{};

    void after_sub_bytes(unsigned round) {
        if (data == nullptr || round > 8) return;
        const unsigned i = round - 1;
        x = load_element(data + 16 * i);
        if (i % 4 == 0) x = {x.hi ^ y.hi, x.lo ^ y.lo};
        acc.high ^= clmul(x.hi, key.powers[3 - i % 4][0]);
        acc.low ^= clmul(x.lo, key.powers[3 - i % 4][1]);
    }
    void after_mix_columns(unsigned round) {
        if (data == nullptr || round > 8) return;
        const unsigned i = round - 1;
        acc.mid ^= clmul(x.hi ^ x.lo, key.powers[3 - i % 4][2]);
        if (i % 4 == 3) {
            y = reduce(acc);
            acc = {};
        }
    }
};

// §7.1 steps 3 and 5 together: C = GCTR(counter, P) over n bytes, and y absorbs C (whole blocks;
// a final partial block zero-padded). Pass p of eight blocks hashes the ciphertext of pass p - 1 while
// it encrypts, so the cipher and the hash overlap.
// The compact build encrypts the whole text first and then hashes it, so that its one copy of the
// rounds (without GHASH inside) serves every caller.
void seal_text_portable(const Aes& aes, const AesGcm::HashKey& key, Element& y, std::uint8_t* counter,
                        const std::uint8_t* in, std::uint8_t* out, std::size_t n) {
    std::size_t done = 0;  // out[0, done) is hashed
    if constexpr (aes_bitsliced::compact) {
        (void)aes.ctr32_xor(std::span<std::uint8_t, 16>(counter, 16), Bytes(in, n), MutBytes(out, n));
    } else {
        constexpr std::size_t pass = aes_bitsliced::state_bytes;
        const std::uint64_t* round_keys = aes.schedule().words;
        const std::size_t passes = n / pass;
        for (std::size_t p = 0; p < passes; p++) {
            const std::uint8_t* previous = p == 0 ? nullptr : out + pass * (p - 1);
            aes_bitsliced::ctr_pass(round_keys, aes.rounds(), counter, in + pass * p, out + pass * p, pass,
                                    GhashAlongside{key, y, previous});
        }
        if (passes > 0) ghash_blocks_portable(key, y, out + pass * (passes - 1), pass / 16);
        done = pass * passes;
        if (done == n) return;
        aes_bitsliced::ctr_pass(round_keys, aes.rounds(), counter, in + done, out + done, n - done);
    }
    const std::size_t whole = (n - done) / 16;
    ghash_blocks_portable(key, y, out + done, whole);
    if ((n - done) % 16 != 0) {
        std::uint8_t last[16] = {};
        std::memcpy(last, out + done + 16 * whole, (n - done) % 16);
        ghash_blocks_portable(key, y, last, 1);
    }
}

void ctr32_xor_portable(const Aes& aes, std::uint8_t* counter, const std::uint8_t* in, std::uint8_t* out,
                        std::size_t n) {
    (void)aes.ctr32_xor(std::span<std::uint8_t, 16>(counter, 16), Bytes(in, n), MutBytes(out, n));
}

// GHASH of data followed by zero padding to a block boundary (the 0^v / 0^u of §7.1 step 5).
void ghash_padded(const AesGcm::HashKey& key, Element& y, Bytes data) {
    const std::size_t whole = data.size() / 16;
    ghash_blocks_portable(key, y, data.data(), whole);
    const std::size_t rest = data.size() % 16;
    if (rest != 0) {
        std::uint8_t last[16] = {};
        std::memcpy(last, data.data() + 16 * whole, rest);
        ghash_blocks_portable(key, y, last, 1);
        secure_zero(last, sizeof last);
    }
}

// GHASH of the final block [len(A)]_64 || [len(C)]_64, lengths in bits.
void ghash_lengths(const AesGcm::HashKey& key, Element& y, std::uint64_t first_bytes, std::uint64_t second_bytes) {
    std::uint8_t block[16];
    store_be64(block, first_bytes * 8);
    store_be64(block + 8, second_bytes * 8);
    ghash_blocks_portable(key, y, block, 1);
}

// §7.1 step 2: the pre-counter block J0.
void pre_counter_block(const AesGcm::HashKey& key, Bytes iv, std::uint8_t j0[16]) {
    if (iv.size() == 12) {  // J0 = IV || 0^31 || 1
        std::memcpy(j0, iv.data(), 12);
        store_be32(j0 + 12, 1);
        return;
    }
    Element y;  // J0 = GHASH(IV || 0^(s+64) || [len(IV)]_64)
    ghash_padded(key, y, iv);
    ghash_lengths(key, y, 0, iv.size());
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

// §7.1 steps 5-6 completed: s has absorbed A || 0^v || C || 0^u; it absorbs [len(A)]_64 || [len(C)]_64
// and T = GCTR(J0, S).
void finish_tag(const AesGcm::Key& k, const std::uint8_t j0[16], Element& s, std::size_t aad_size,
                std::size_t text_size, std::uint8_t tag[16]) {
    ghash_lengths(k.hash, s, aad_size, text_size);
    std::uint8_t s_bytes[16], counter[16];
    store_element(s_bytes, s);
    std::memcpy(counter, j0, 16);
    ctr32_xor_portable(k.aes, counter, s_bytes, tag, 16);
    secure_zero(s);
    secure_zero(s_bytes, sizeof s_bytes);
    secure_zero(counter, sizeof counter);
}

// ---- The portable backend ------------------------------------------------------------------------

void init_portable(AesGcm::Key& k, Bytes key) {
    (void)k.aes.init(key);  // the length was checked by AesGcm::init
    // §7.1 step 1: H = CIPH_K(0^128).
    std::uint8_t zero[16] = {}, h[16];
    (void)k.aes.encrypt_blocks(zero, h);
    const Element h_elem = load_element(h);
    Element power = h_elem;
    for (auto& p : k.hash.powers) {
        split(power, p);
        power = gf_multiply(power, h_elem);
    }
    secure_zero(h, sizeof h);
    secure_zero(power);
}

void seal_portable(const AesGcm::Key& k, Bytes iv, Bytes aad, const std::uint8_t* in, std::uint8_t* out,
                   std::size_t n, std::uint8_t tag[16]) {
    std::uint8_t j0[16], counter[16];
    pre_counter_block(k.hash, iv, j0);
    // §7.1 step 3: C = GCTR(inc32(J0), P).
    std::memcpy(counter, j0, 16);
    store_be32(counter + 12, load_be32(counter + 12) + 1);
    // §7.1 steps 3 and 5: the ciphertext is hashed as it is produced.
    Element s;
    ghash_padded(k.hash, s, aad);
    seal_text_portable(k.aes, k.hash, s, counter, in, out, n);
    finish_tag(k, j0, s, aad.size(), n, tag);
    secure_zero(j0, sizeof j0);
    secure_zero(counter, sizeof counter);
}

// §7.2: the whole ciphertext is hashed before anything is written to out (in-place safe).
std::uint8_t open_portable(const AesGcm::Key& k, Bytes iv, Bytes aad, const std::uint8_t* in, std::uint8_t* out,
                           std::size_t n, const std::uint8_t tag[16]) {
    std::uint8_t j0[16], counter[16], expected[16];
    pre_counter_block(k.hash, iv, j0);
    Element s;
    ghash_padded(k.hash, s, aad);
    ghash_padded(k.hash, s, Bytes(in, n));
    finish_tag(k, j0, s, aad.size(), n, expected);
    const std::uint8_t tag_ok = ct::equal_mask(expected, tag, 16);
    std::memcpy(counter, j0, 16);
    store_be32(counter + 12, load_be32(counter + 12) + 1);
    ctr32_xor_portable(k.aes, counter, in, out, n);
    ct::keep_if(out, n, tag_ok);
    secure_zero(j0, sizeof j0);
    secure_zero(counter, sizeof counter);
    secure_zero(expected, sizeof expected);
    return tag_ok;
}

const AesGcm::Backend portable_backend{"portable", init_portable, seal_portable, open_portable};

// The dispatch point (crypto/cpu.hpp): chosen once per key, in init().
const AesGcm::Backend& select_backend() {
#if defined(PADLOCK_ACCEL_X86)
    using namespace cpu;
    if (has(ssse3 | sse41 | aesni | pclmulqdq | avx2 | avx512 | vaes | vpclmulqdq)) return gcm_x86::vaes512;
    if (has(ssse3 | sse41 | aesni | pclmulqdq | avx2 | vaes | vpclmulqdq)) return gcm_x86::vaes256;
    if (has(ssse3 | sse41 | aesni | pclmulqdq)) return gcm_x86::aesni;
#endif
    return portable_backend;
}

}  // namespace

const char* AesGcm::backend_name() const { return backend_ != nullptr ? backend_->name : "portable"; }

CryptoError AesGcm::init(Bytes key) {
    backend_ = nullptr;
    secure_zero(key_);
    if (key.size() != 16 && key.size() != 24 && key.size() != 32) return CryptoError::bad_key_length;
    const Backend& chosen = select_backend();
    chosen.init(key_, key);
    backend_ = &chosen;
    return CryptoError::ok;
}

CryptoError AesGcm::seal(Bytes iv, Bytes aad, Bytes plaintext, MutBytes out, std::span<std::uint8_t, tag_size> tag) const {
    if (backend_ == nullptr) return CryptoError::bad_key_length;
    if (iv.empty()) return CryptoError::bad_nonce_length;
    if (out.size() != plaintext.size() || !lengths_allowed(iv, aad, plaintext.size())) return CryptoError::bad_input_length;
    backend_->seal(key_, iv, aad, plaintext.data(), out.data(), plaintext.size(), tag.data());
    return CryptoError::ok;
}

CryptoError AesGcm::open(Bytes iv, Bytes aad, Bytes ciphertext, Bytes tag, MutBytes out) const {
    if (backend_ == nullptr) return CryptoError::bad_key_length;
    if (iv.empty()) return CryptoError::bad_nonce_length;
    if (tag.size() != tag_size) return CryptoError::bad_tag_length;
    if (out.size() != ciphertext.size() || !lengths_allowed(iv, aad, ciphertext.size())) return CryptoError::bad_input_length;
    // §7.2: the backend decrypts, computes the expected tag (hashing each ciphertext byte before
    // writing over it, so in-place use is safe) and compares it; on a mismatch it has zeroed out,
    // so no plaintext leaves. The verdict is secret until it is returned: nothing branches on it.
    const std::uint8_t tag_ok = backend_->open(key_, iv, aad, ciphertext.data(), out.data(), ciphertext.size(), tag.data());
    return CryptoError(ct::select(tag_ok, std::uint8_t(CryptoError::ok), std::uint8_t(CryptoError::auth_failed)));
}

AesGcm::~AesGcm() {
    secure_zero(key_);
    backend_ = nullptr;
}

}  // namespace padlock
