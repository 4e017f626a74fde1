// SPDX-License-Identifier: Apache-2.0
// RSA signatures (RFC 8017): the RSASP1/RSAVP1 primitives (§5.2), RSASSA-PKCS1-v1_5 (§8.2 with
// EMSA-PKCS1-v1_5, §9.2) and RSASSA-PSS (§8.1 with EMSA-PSS, §9.1, and MGF1, §B.2.1).
// Moduli of 1024 to 4096 bits. Keys are loaded once into fixed-size objects and can be reused.
#pragma once

#include <cstddef>
#include <cstdint>

#include "crypto/rsa/bignum.hpp"
#include "crypto/common.hpp"
#include "crypto/hash/hash.hpp"
#include "crypto/rng.hpp"

namespace padlock {

inline constexpr std::size_t rsa_min_bits = 1024;
inline constexpr std::size_t rsa_max_bits = bn::max_bits;
inline constexpr std::size_t rsa_max_bytes = rsa_max_bits / 8;
inline constexpr std::size_t rsa_max_e_bits = 32;  // largest public exponent accepted: e < 2^32

// Big-endian magnitudes (leading zero bytes allowed), e.g. straight from asn1::parse_rsa_*_key.
struct RsaPublicKeyView {
    Bytes n, e;
};
// The PKCS#1 RSAPrivateKey fields (RFC 8017 §A.1.2). Signing uses the CRT form (§5.1.2 step 2b:
// p, q, dp, dq, qinv); d is accepted for completeness but not needed.
struct RsaPrivateKeyView {
    Bytes n, e, d, p, q, dp, dq, qinv;
};

// Whether the private operation blinds its input (on, always, in real use). `off` exists so a test
// can check that blinding does not change the result.
enum class Blinding : std::uint8_t { on, off };

// A loaded public key (n, e) with its Montgomery context. Not secret.
class RsaPublicKey {
public:
    // Checks: n odd with 1024..4096 bits (unsupported_key_size otherwise), 1 < e < n and e odd
    // (invalid_key otherwise), e < 2^rsa_max_e_bits (unsupported_key_size otherwise: a huge e
    // would make every verification slow).
    [[nodiscard]] CryptoError load(const RsaPublicKeyView& key);
    std::size_t modulus_bits() const { return n_.bits; }
    std::size_t modulus_bytes() const { return (n_.bits + 7) / 8; }

    // RSAVP1 (§5.2.2) followed by I2OSP into em: em = sig^e mod n. sig must be exactly
    // modulus_bytes() long and below n (invalid_signature otherwise); em.size() <= modulus_bytes(),
    // buffer_too_small if the result does not fit (a valid PSS EM may be one byte shorter).
    // Not constant time: everything here is public.
    [[nodiscard]] CryptoError public_op(Bytes sig, MutBytes em) const;

private:
    friend class RsaPrivateKey;
    bn::MontModulus n_;
    bn::Limb e_[bn::max_limbs] = {};
};

// A loaded private key: the public part plus the CRT values. Wiped on destruction; not copyable,
// so secrets do not spread.
class RsaPrivateKey {
public:
    RsaPrivateKey() = default;
    RsaPrivateKey(const RsaPrivateKey&) = delete;
    RsaPrivateKey& operator=(const RsaPrivateKey&) = delete;
    ~RsaPrivateKey();

    // Checks the public part as RsaPublicKey::load does, then: p and q odd, each below
    // 2^(limb_bits * kh) with kh the limb count of half the modulus (see rsa.cpp), p * q == n,
    // dp < p, dq < q, qinv < p (invalid_key otherwise). Constant time in the secret fields. After
    // a failed load the key holds zeros and must not be used.
    [[nodiscard]] CryptoError load(const RsaPrivateKeyView& key);
    const RsaPublicKey& public_key() const { return pub_; }
    std::size_t modulus_bytes() const { return pub_.modulus_bytes(); }

    // RSASP1 (§5.2.1, CRT form) on the encoded message em (at most modulus_bytes() long, below n),
    // writing exactly sig.size() == modulus_bytes() bytes. Blinded with a fresh random r (needs
    // rng), and checked by re-applying the public exponent: a mismatch (a fault during the
    // computation) gives fault_detected and a zeroed sig. Constant time in p, q, dp, dq, qinv and
    // the message: see rsa.cpp.
    [[nodiscard]] CryptoError private_op(Bytes em, const Rng& rng, MutBytes sig, Blinding blinding = Blinding::on) const;

private:
    RsaPublicKey pub_;
    bn::MontModulus p_, q_;  // both with the same limb count kh, so that n fits in 2*kh limbs
    bn::Limb dp_[bn::max_limbs] = {}, dq_[bn::max_limbs] = {}, qinv_[bn::max_limbs] = {};
};

// Argument order, as everywhere in the crypto API: inputs (the Rng among them, by const reference),
// then outputs; a defaulted option (Blinding, for tests and benchmarks only) may follow.

// --- RSASSA-PKCS1-v1_5 (§8.2) -------------------------------------------------------------------
// `msg` variants hash the message with `hash`; `digest` variants take its hash (hash_size bytes).
// sig must be exactly modulus_bytes() long for sign (buffer_too_small / bad_input_length).
// Verify returns ok or invalid_signature (bad_input_length for a digest of the wrong size).

[[nodiscard]] CryptoError rsa_pkcs1_sign(const RsaPrivateKey& key, HashAlg hash, Bytes msg, const Rng& rng, MutBytes sig,
                                   Blinding blinding = Blinding::on);
[[nodiscard]] CryptoError rsa_pkcs1_sign_digest(const RsaPrivateKey& key, HashAlg hash, Bytes digest, const Rng& rng,
                                          MutBytes sig, Blinding blinding = Blinding::on);
[[nodiscard]] CryptoError rsa_pkcs1_verify(const RsaPublicKey& key, HashAlg hash, Bytes msg, Bytes sig);
[[nodiscard]] CryptoError rsa_pkcs1_verify_digest(const RsaPublicKey& key, HashAlg hash, Bytes digest, Bytes sig);
// One-shot verify from key bytes (loads the key, then verifies; key errors are returned as such).
[[nodiscard]] CryptoError rsa_pkcs1_verify(const RsaPublicKeyView& key, HashAlg hash, Bytes msg, Bytes sig);

// --- RSASSA-PSS (§8.1) with MGF1 ----------------------------------------------------------------
// `hash` hashes the message and M'; `mgf1_hash` drives MGF1 (usually the same). Any salt length
// that fits (emLen >= hLen + sLen + 2, else encoding_error) including 0.

// Draws salt_len bytes of salt from rng.
[[nodiscard]] CryptoError rsa_pss_sign(const RsaPrivateKey& key, HashAlg hash, HashAlg mgf1_hash, std::size_t salt_len,
                                 Bytes msg, const Rng& rng, MutBytes sig, Blinding blinding = Blinding::on);
// With a caller-chosen salt (tests, deterministic known answers).
[[nodiscard]] CryptoError rsa_pss_sign_with_salt(const RsaPrivateKey& key, HashAlg hash, HashAlg mgf1_hash, Bytes salt,
                                           Bytes msg, const Rng& rng, MutBytes sig, Blinding blinding = Blinding::on);
[[nodiscard]] CryptoError rsa_pss_verify(const RsaPublicKey& key, HashAlg hash, HashAlg mgf1_hash, std::size_t salt_len,
                                   Bytes msg, Bytes sig);
[[nodiscard]] CryptoError rsa_pss_verify_digest(const RsaPublicKey& key, HashAlg hash, HashAlg mgf1_hash,
                                          std::size_t salt_len, Bytes digest, Bytes sig);
[[nodiscard]] CryptoError rsa_pss_verify(const RsaPublicKeyView& key, HashAlg hash, HashAlg mgf1_hash,
                                   std::size_t salt_len, Bytes msg, Bytes sig);

// --- Key generation (rsa_keygen.cpp) -------------------------------------------------------------
// FIPS 186-5 §A.1.3 random probable primes p, q of bits/2 bits each (p > q, |p - q| > 2^(bits/2-100)),
// e = 65537, d = e^-1 mod (p-1)(q-1), and the CRT values of RFC 8017 §3.2; then a pairwise
// consistency check (load + sign). See rsa_keygen.cpp for what is constant time.

inline constexpr std::size_t rsa_keygen_min_bits = 2048;

// The generated key as big-endian integers of fixed width (n and d: bits/8 bytes; the others
// bits/16), leading zeros included. Secret; wiped on destruction; not copyable.
struct RsaKeyMaterial {
    std::size_t bits = 0;
    std::uint8_t n[rsa_max_bytes] = {}, d[rsa_max_bytes] = {};
    std::uint8_t p[rsa_max_bytes / 2] = {}, q[rsa_max_bytes / 2] = {};
    std::uint8_t dp[rsa_max_bytes / 2] = {}, dq[rsa_max_bytes / 2] = {}, qinv[rsa_max_bytes / 2] = {};
    std::uint8_t e[3] = {0x01, 0x00, 0x01};

    RsaKeyMaterial() = default;
    RsaKeyMaterial(const RsaKeyMaterial&) = delete;
    RsaKeyMaterial& operator=(const RsaKeyMaterial&) = delete;
    ~RsaKeyMaterial();
    // Views for RsaPrivateKey::load and the PKCS#1 writer (asn1::write_rsa_private_key).
    RsaPrivateKeyView view() const;
};

// bits: 2048 to 4096 in steps of 128 (unsupported_key_size otherwise). Errors: rng_failure (the
// generator failed, or gave no prime within FIPS 186-5's 5·(bits/2) candidates), fault_detected
// (the consistency check failed). On error `out` holds zeros. RSA-2048 takes some 0.1-1 s.
[[nodiscard]] CryptoError rsa_generate_key(std::size_t bits, const Rng& rng, RsaKeyMaterial& out);

}  // namespace padlock
