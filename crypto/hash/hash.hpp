// SPDX-License-Identifier: Apache-2.0
// A hash chosen at run time (RSA PKCS#1/PSS, MGF1, TLS cipher suites pick it from data): an enum
// of the FIPS 180-4 hashes and a context that holds any one of them, without heap or virtuals.
#pragma once

#include <cstddef>
#include <cstdint>

#include "crypto/common.hpp"
#include "crypto/hash/sha1.hpp"
#include "crypto/hash/sha2.hpp"

namespace padlock {

enum class HashAlg : std::uint8_t { sha1, sha224, sha256, sha384, sha512 };

constexpr std::size_t max_digest_size = 64, max_block_size = 128;

// Digest length in bytes (FIPS 180-4 §1, figure 1).
constexpr std::size_t hash_size(HashAlg alg) {
    switch (alg) {
    case HashAlg::sha1: return 20;
    case HashAlg::sha224: return 28;
    case HashAlg::sha256: return 32;
    case HashAlg::sha384: return 48;
    case HashAlg::sha512: return 64;
    }
    return 0;
}
// Block length in bytes: the B of HMAC (RFC 2104 §2).
constexpr std::size_t hash_block_size(HashAlg alg) {
    return alg == HashAlg::sha384 || alg == HashAlg::sha512 ? 128 : 64;
}

// Any one of the five hashes, chosen at construction. Same contract as Sha256 & co.
class AnyHash {
public:
    explicit AnyHash(HashAlg alg);
    ~AnyHash();                                 // wipes the state
    AnyHash(const AnyHash&) = default;
    AnyHash& operator=(const AnyHash&) = default;
    void update(Bytes data);
    // Writes the digest into out, which must be exactly size() bytes, then wipes and re-initialises
    // the state. Any other size gives bad_output_length, writes nothing and leaves the state as it
    // was (the caller may retry with a buffer of the right size).
    [[nodiscard]] CryptoError final(MutBytes out);
    std::size_t size() const { return hash_size(alg_); }
    HashAlg alg() const { return alg_; }
private:
    void init();
    HashAlg alg_;
    union {
        detail::Sha1State sha1;
        detail::Sha256State sha256;             // also SHA-224
        detail::Sha512State sha512;             // also SHA-384
    } s_;
};

// One-shot hash; out must be exactly hash_size(alg) bytes (else bad_output_length, nothing written).
[[nodiscard]] CryptoError hash(HashAlg alg, Bytes data, MutBytes out);

}  // namespace padlock
