// SPDX-License-Identifier: Apache-2.0
// ChaCha20-Poly1305 AEAD, RFC 8439 §2.8, with the Poly1305 key generated as in §2.6.
// Constant time: the tag check is a ct::equal_mask, and nothing branches on it before it is returned.
// Dispatch (crypto/cpu.hpp), picked on each call in use_avx2(): with AVX2 (and no AVX-512, whose
// ChaCha20 and Poly1305 backends run the portable composition) the Poly1305 key (block 0) and the
// key stream of the text after its whole 512-byte passes come from one eight-block pass
// (chacha20_x86::keystream_avx2) instead of a scalar block and the portable four-block code; the
// whole passes and the MAC are ChaCha20's and Poly1305's own backends. (Running a scalar MULX
// Poly1305 between the ChaCha20 rounds, one pass over the text, measured slower here: with the
// MAC in intrinsics, the two compete for issue slots on a shared core.)
#include "crypto/symmetric/chacha20_poly1305.hpp"

#include "crypto/symmetric/chacha20.hpp"
#include "crypto/ct.hpp"
#include "crypto/endian.hpp"
#include "crypto/symmetric/poly1305.hpp"
#if defined(PADLOCK_ACCEL_X86)
#define PADLOCK_CHACHA_AVX2 1
#include "crypto/cpu.hpp"
#include "crypto/symmetric/detail/chacha20_x86.hpp"
#endif

namespace padlock {
namespace {

// RFC 8439 §2.8: one nonce covers block counters 1 .. 2^32 - 1 of key stream.
constexpr std::uint64_t max_text = (std::uint64_t(1) << 32) * 64 - 64;

// RFC 8439 §2.6: the one-time Poly1305 key is the first 32 bytes of ChaCha20 block 0.
void poly1305_key_gen(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 12> nonce,
                      std::span<std::uint8_t, 32> otk) {
    std::uint8_t block[64];
    chacha20_block(key, nonce, 0, block);
    for (std::size_t i = 0; i < 32; i++) otk[i] = block[i];
    secure_zero(block, sizeof block);
}

// RFC 8439 §2.8 tag: Poly1305 (keyed with the one-time key) over aad || pad16 || ciphertext ||
// pad16 || le64 lengths.
void mac_tag(Poly1305& mac, Bytes aad, Bytes ciphertext, std::span<std::uint8_t, 16> tag) {
    static constexpr std::uint8_t zeros[16] = {};
    mac.update(aad);
    mac.update(Bytes(zeros, (16 - aad.size() % 16) % 16));
    mac.update(ciphertext);
    mac.update(Bytes(zeros, (16 - ciphertext.size() % 16) % 16));
    std::uint8_t lengths[16];
    store_le64(lengths, aad.size());
    store_le64(lengths + 8, ciphertext.size());
    mac.update(lengths);
    mac.final(tag);
}

void compute_tag(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 12> nonce,
                 Bytes aad, Bytes ciphertext, std::span<std::uint8_t, 16> tag) {
    std::uint8_t otk[32];
    poly1305_key_gen(key, nonce, otk);
    Poly1305 mac(otk);
    secure_zero(otk, sizeof otk);
    mac_tag(mac, aad, ciphertext, tag);
}

#if defined(PADLOCK_CHACHA_AVX2)
// keystream_avx2 and xor_avx2 spill key stream to their frames (about 1.5 KiB each), below the
// frame of avx2_seal / avx2_open, which wipe that much stack when done.
constexpr std::size_t avx2_stack_wipe_bytes = 2048;

// The dispatch point for the AVX2 composition.
bool use_avx2() { return cpu::has(cpu::avx2) && !cpu::has(cpu::avx512); }

// One AVX2 pass: block 0 (RFC 8439 §2.6: the Poly1305 key, its first 32 bytes) and the key
// stream of the text after its whole 512-byte passes, whose blocks start at counter 1 + full / 64.
// ks[64..64 + n - full) gets that key stream; a rest of more than seven blocks takes a second
// pass. With no rest, ks[0..32) is the key from the scalar block function. state is set up for
// block counter 1.
void avx2_setup(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 12> nonce, std::size_t n,
                std::uint32_t state[16], std::uint8_t ks[576]) {
    chacha20_state(key, nonce, 1, state);
    const std::size_t full = n / 512 * 512;
    if (n == full && n > 0) {  // no rest (a public length): the scalar block alone is cheaper
        poly1305_key_gen(key, nonce, std::span<std::uint8_t, 32>(ks, 32));
        return;
    }
    const std::uint32_t rest = std::uint32_t(1 + full / 64);
    std::uint32_t counters[8] = {0, rest, rest + 1, rest + 2, rest + 3, rest + 4, rest + 5, rest + 6};
    chacha20_x86::keystream_avx2(state, counters, ks);
    if (n - full > 448) {  // a public length: blocks 1..7 of ks are rewritten, block 0 kept
        for (std::uint32_t j = 0; j < 8; j++) counters[j] = rest + j;
        chacha20_x86::keystream_avx2(state, counters, ks + 64);
    }
}

// RFC 8439 §2.8 with the Poly1305 key and the rest's key stream from avx2_setup's one pass:
// ChaCha20 over the whole passes (chacha20_x86::xor_avx2), then Poly1305 (its own dispatch).
void avx2_seal(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 12> nonce, Bytes aad,
               const std::uint8_t* in, std::uint8_t* out, std::size_t n, std::span<std::uint8_t, 16> tag) {
    std::uint32_t state[16];
    std::uint8_t ks[576];
    avx2_setup(key, nonce, n, state, ks);
    const std::size_t done = chacha20_x86::xor_avx2(state, in, out, n, 0xff);
    for (std::size_t i = 0; i < n - done; i++) out[done + i] = in[done + i] ^ ks[64 + i];
    Poly1305 mac(std::span<const std::uint8_t, 32>(ks, 32));
    mac_tag(mac, aad, Bytes(out, n), tag);
    secure_zero(state, sizeof state);
    secure_zero(ks, sizeof ks);
    secure_zero_stack<avx2_stack_wipe_bytes>();
}

// Returns the verdict mask (0xff: the tag matched); out holds the plaintext ANDed with it.
std::uint8_t avx2_open(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 12> nonce, Bytes aad,
                       const std::uint8_t* in, std::uint8_t* out, std::size_t n, const std::uint8_t tag[16]) {
    std::uint32_t state[16];
    std::uint8_t ks[576];
    avx2_setup(key, nonce, n, state, ks);
    Poly1305 mac(std::span<const std::uint8_t, 32>(ks, 32));
    std::uint8_t expected[16];
    mac_tag(mac, aad, Bytes(in, n), expected);
    const std::uint8_t match = ct::barrier(ct::equal_mask(expected, tag, 16));
    secure_zero(expected, sizeof expected);
    // The verdict is known before any plaintext is written: each byte is ANDed with it.
    const std::size_t done = chacha20_x86::xor_avx2(state, in, out, n, match);
    for (std::size_t i = 0; i < n - done; i++) out[done + i] = std::uint8_t((in[done + i] ^ ks[64 + i]) & match);
    secure_zero(state, sizeof state);
    secure_zero(ks, sizeof ks);
    secure_zero_stack<avx2_stack_wipe_bytes>();
    return match;
}
#endif

}  // namespace

ChaCha20Poly1305::~ChaCha20Poly1305() { secure_zero(key_, sizeof key_); }

CryptoError ChaCha20Poly1305::init(Bytes key) {
    if (key.size() != key_size) {
        secure_zero(key_, sizeof key_);
        has_key_ = false;
        return CryptoError::bad_key_length;
    }
    for (std::size_t i = 0; i < key_size; i++) key_[i] = key[i];
    has_key_ = true;
    return CryptoError::ok;
}

// RFC 8439 §2.8 AEAD encryption: encrypt from block counter 1, then MAC the ciphertext.
CryptoError ChaCha20Poly1305::seal(Bytes nonce, Bytes aad, Bytes plaintext, MutBytes out,
                             std::span<std::uint8_t, 16> tag) const {
    if (!has_key_) return CryptoError::bad_key_length;
    if (nonce.size() != nonce_size) return CryptoError::bad_nonce_length;
    if (out.size() < plaintext.size()) return CryptoError::buffer_too_small;
    if (std::uint64_t(plaintext.size()) > max_text) return CryptoError::bad_input_length;
    auto n = nonce.first<12>();
#if defined(PADLOCK_CHACHA_AVX2)
    if (use_avx2()) {
        avx2_seal(key_, n, aad, plaintext.data(), out.data(), plaintext.size(), tag);
        return CryptoError::ok;
    }
#endif
    chacha20_xor(key_, n, 1, plaintext, out);
    compute_tag(key_, n, aad, out.first(plaintext.size()), tag);
    return CryptoError::ok;
}

// RFC 8439 §2.8 AEAD decryption: the tag is recomputed over the ciphertext and compared in
// constant time before any plaintext is produced.
CryptoError ChaCha20Poly1305::open(Bytes nonce, Bytes aad, Bytes ciphertext, Bytes tag, MutBytes out) const {
    if (!has_key_) return CryptoError::bad_key_length;
    if (nonce.size() != nonce_size) return CryptoError::bad_nonce_length;
    if (tag.size() != tag_size) return CryptoError::bad_tag_length;
    if (out.size() < ciphertext.size()) return CryptoError::buffer_too_small;
    if (std::uint64_t(ciphertext.size()) > max_text) return CryptoError::bad_input_length;
    auto n = nonce.first<12>();
#if defined(PADLOCK_CHACHA_AVX2)
    if (use_avx2()) {
        const std::uint8_t match = avx2_open(key_, n, aad, ciphertext.data(), out.data(), ciphertext.size(), tag.data());
        return CryptoError(ct::select(match, std::uint8_t(CryptoError::ok), std::uint8_t(CryptoError::auth_failed)));
    }
#endif
    std::uint8_t expected[16];
    compute_tag(key_, n, aad, ciphertext, expected);
    // The verdict is secret until it is returned: the text is always decrypted, each byte ANDed
    // with the verdict mask as it is written (zeros on a mismatch), so no unauthenticated
    // plaintext is released and nothing branches on it.
    const std::uint8_t match = ct::equal_mask(expected, tag.data(), tag_size);
    secure_zero(expected, sizeof expected);
    chacha20_xor_keep(key_, n, 1, ciphertext, out, match);
    return CryptoError(ct::select(match, std::uint8_t(CryptoError::ok), std::uint8_t(CryptoError::auth_failed)));
}

}  // namespace padlock
