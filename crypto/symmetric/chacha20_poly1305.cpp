// SPDX-License-Identifier: Apache-2.0
// ChaCha20-Poly1305 AEAD, RFC 8439 §2.8, with the Poly1305 key generated as in §2.6.
// Constant time: the tag check is a ct::equal_mask, and nothing branches on it before it is returned.
#include "crypto/symmetric/chacha20_poly1305.hpp"

#include "crypto/symmetric/chacha20.hpp"
#include "crypto/ct.hpp"
#include "crypto/endian.hpp"
#include "crypto/symmetric/poly1305.hpp"

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

// RFC 8439 §2.8 tag: Poly1305 over aad || pad16 || ciphertext || pad16 || le64 lengths.
void compute_tag(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 12> nonce,
                 Bytes aad, Bytes ciphertext, std::span<std::uint8_t, 16> tag) {
    static constexpr std::uint8_t zeros[16] = {};
    std::uint8_t otk[32];
    poly1305_key_gen(key, nonce, otk);
    Poly1305 mac(otk);
    secure_zero(otk, sizeof otk);
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
