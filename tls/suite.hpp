// SPDX-License-Identifier: Apache-2.0
// TLS 1.3 cipher suites (RFC 8446 §B.4) as descriptors: the suite's hash (for HKDF, §7.1, and the
// transcript, §4.4.1) and its AEAD (§5.2) behind function pointers. The caller names the suites it
// enables (tls/config.hpp); only the descriptors it names are referenced, so a static link with
// --gc-sections keeps only their hash and AEAD (GUIDE.md "Pay only for what you link"). No code in
// tls/ switches over all suites.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/symmetric/chacha20_poly1305.hpp"
#include "crypto/common.hpp"
#include "crypto/symmetric/gcm.hpp"
#include "crypto/hash/sha2.hpp"

namespace padlock::tls {

inline constexpr std::size_t max_hash_size = 48;  // SHA-384, the largest TLS 1.3 suite hash
inline constexpr std::size_t max_key_size = 32;   // AES-256 and ChaCha20 keys (§B.4)
inline constexpr std::size_t iv_size = 12;        // §5.3: every TLS 1.3 AEAD has a 12-byte nonce
inline constexpr std::size_t tag_size = 16;       // §5.2: every TLS 1.3 AEAD adds a 16-byte tag

// Room for the running state of any suite hash. sizeof only: naming a type here links no code.
inline constexpr std::size_t hash_state_size = std::max(sizeof(Sha256), sizeof(Sha384));
inline constexpr std::size_t hash_state_align = std::max(alignof(Sha256), alignof(Sha384));
// Room for any keyed AEAD (AES-GCM keeps its round keys and GHASH powers; ChaCha20 its key).
inline constexpr std::size_t aead_state_size = std::max(sizeof(AesGcm), sizeof(ChaCha20Poly1305));
inline constexpr std::size_t aead_state_align = std::max(alignof(AesGcm), alignof(ChaCha20Poly1305));

// The hash of a suite: one-shot HMAC and HKDF (RFC 5869), and a running hash over caller storage of
// hash_state_size bytes. All constant time in their data (the hashes never branch on it).
struct HashOps {
    std::size_t size;  // Hash.length
    // out receives size bytes.
    void (*hmac)(Bytes key, Bytes msg, std::uint8_t* out);
    // RFC 5869 §2.2; prk receives size bytes.
    void (*hkdf_extract)(Bytes salt, Bytes ikm, std::uint8_t* prk);
    // RFC 5869 §2.3; fills out (at most 255 * size bytes).
    CryptoError (*hkdf_expand)(Bytes prk, Bytes info, MutBytes out);
    void (*start)(void* state);                          // constructs a fresh hash in state
    void (*update)(void* state, Bytes data);
    void (*digest)(const void* state, std::uint8_t* out);  // hash of all input so far; state unchanged
    void (*destroy)(void* state);                        // wipes the state
};

// A suite AEAD over caller storage of aead_state_size bytes. Seal/open as crypto/symmetric/gcm.hpp and
// crypto/symmetric/chacha20_poly1305.hpp: constant time, and open zeroes out when the tag does not match.
struct AeadOps {
    std::size_t key_size;
    // §5.5: records one key may protect. AES-GCM: 2^24.5 full-size records (floor); ChaCha20: 2^64.
    std::uint64_t record_limit;
    CryptoError (*init)(void* state, Bytes key);  // constructs the keyed AEAD in state
    CryptoError (*seal)(const void* state, std::span<const std::uint8_t, iv_size> nonce, Bytes aad,
                  Bytes plaintext, MutBytes ciphertext, std::span<std::uint8_t, tag_size> tag);
    CryptoError (*open)(const void* state, std::span<const std::uint8_t, iv_size> nonce, Bytes aad,
                  Bytes ciphertext, Bytes tag, MutBytes plaintext);
    void (*destroy)(void* state);           // wipes the key material
};

struct CipherSuite {
    std::uint16_t code;   // §B.4 CipherSuite value
    const char* name;
    const HashOps* hash;
    const AeadOps* aead;
};

// The descriptors (tls/suite_*.cpp, tls/hash_sha*.cpp, tls/aead_*.cpp). Name only the ones you enable.
extern const HashOps sha256_ops;
extern const HashOps sha384_ops;
extern const AeadOps aes_128_gcm_ops;
extern const AeadOps aes_256_gcm_ops;
extern const AeadOps chacha20_poly1305_ops;
extern const CipherSuite tls_aes_128_gcm_sha256;        // 0x1301
extern const CipherSuite tls_aes_256_gcm_sha384;        // 0x1302
extern const CipherSuite tls_chacha20_poly1305_sha256;  // 0x1303

}  // namespace padlock::tls
