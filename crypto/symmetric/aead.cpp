// SPDX-License-Identifier: Apache-2.0
// The TLS 1.3 AEAD interface (RFC 8446 §5.2): dispatch to AES-GCM or ChaCha20-Poly1305 and the
// ciphertext || tag framing. No secret-dependent branches here; the algorithms are constant time.
#include "crypto/symmetric/aead.hpp"

namespace padlock {

std::size_t aead_key_size(AeadAlg alg) {
    switch (alg) {
        case AeadAlg::aes128_gcm: return 16;
        case AeadAlg::aes256_gcm: return 32;
        case AeadAlg::chacha20_poly1305: return ChaCha20Poly1305::key_size;
    }
    return 0;
}

CryptoError Aead::init(AeadAlg alg, Bytes key) {
    impl_.emplace<std::monostate>();  // the previous key (if any) is wiped by its destructor
    std::size_t want = aead_key_size(alg);
    if (want == 0 || key.size() != want) return CryptoError::bad_key_length;
    CryptoError err = CryptoError::ok;
    if (alg == AeadAlg::chacha20_poly1305)
        err = impl_.emplace<ChaCha20Poly1305>().init(key);
    else
        err = impl_.emplace<AesGcm>().init(key);
    if (err != CryptoError::ok) impl_.emplace<std::monostate>();
    return err;
}

CryptoError Aead::seal(std::span<const std::uint8_t, aead_nonce_size> nonce, Bytes aad, Bytes plaintext,
                 MutBytes out) const {
    if (out.size() < plaintext.size() || out.size() - plaintext.size() < aead_tag_size)
        return CryptoError::buffer_too_small;
    MutBytes ciphertext = out.first(plaintext.size());
    auto tag = out.subspan(plaintext.size()).first<aead_tag_size>();
    if (const auto* c = std::get_if<ChaCha20Poly1305>(&impl_)) return c->seal(nonce, aad, plaintext, ciphertext, tag);
    if (const auto* g = std::get_if<AesGcm>(&impl_)) return g->seal(nonce, aad, plaintext, ciphertext, tag);
    return CryptoError::bad_key_length;
}

CryptoError Aead::open(std::span<const std::uint8_t, aead_nonce_size> nonce, Bytes aad, Bytes sealed,
                 MutBytes out) const {
    if (sealed.size() < aead_tag_size) return CryptoError::bad_tag_length;
    std::size_t n = sealed.size() - aead_tag_size;
    if (out.size() < n) return CryptoError::buffer_too_small;
    Bytes ciphertext = sealed.first(n), tag = sealed.subspan(n);
    MutBytes plaintext = out.first(n);
    if (const auto* c = std::get_if<ChaCha20Poly1305>(&impl_)) return c->open(nonce, aad, ciphertext, tag, plaintext);
    if (const auto* g = std::get_if<AesGcm>(&impl_)) return g->open(nonce, aad, ciphertext, tag, plaintext);
    return CryptoError::bad_key_length;
}

}  // namespace padlock
