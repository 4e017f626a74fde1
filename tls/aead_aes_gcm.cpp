// SPDX-License-Identifier: Apache-2.0
// AES-128-GCM and AES-256-GCM (NIST SP 800-38D) as TLS 1.3 record AEADs (RFC 8446 §5.2, §B.4).
#include <new>

#include "tls/suite.hpp"

namespace padlock::tls {
namespace {

static_assert(sizeof(AesGcm) <= aead_state_size && alignof(AesGcm) <= aead_state_align);

// The object init() constructed in the record layer's storage.
const AesGcm* keyed(const void* state) { return std::launder(static_cast<const AesGcm*>(state)); }

CryptoError init(void* state, Bytes key) { return (new (state) AesGcm())->init(key); }
CryptoError seal(const void* state, std::span<const std::uint8_t, iv_size> nonce, Bytes aad, Bytes plaintext,
           MutBytes ciphertext, std::span<std::uint8_t, tag_size> tag) {
    return keyed(state)->seal(nonce, aad, plaintext, ciphertext, tag);
}
CryptoError open(const void* state, std::span<const std::uint8_t, iv_size> nonce, Bytes aad, Bytes ciphertext,
           Bytes tag, MutBytes plaintext) {
    return keyed(state)->open(nonce, aad, ciphertext, tag, plaintext);
}
void destroy(void* state) { std::launder(static_cast<AesGcm*>(state))->~AesGcm(); }

// RFC 8446 §5.5: "For AES-GCM, up to 2^24.5 full-size records (about 24 million) may be encrypted on
// a given connection while keeping a safety margin of approximately 2^-57". floor(2^24.5) = 23726566.
constexpr std::uint64_t gcm_record_limit = 23726566;

}  // namespace

const AeadOps aes_128_gcm_ops{16, gcm_record_limit, init, seal, open, destroy};
const AeadOps aes_256_gcm_ops{32, gcm_record_limit, init, seal, open, destroy};

}  // namespace padlock::tls
