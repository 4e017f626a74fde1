// SPDX-License-Identifier: Apache-2.0
// ECDSA over NIST P-256 and P-384 (FIPS 186-5 §6.4): P-256 signing with deterministic nonces (RFC 6979 §3.2),
// optionally hedged with fresh randomness (RFC 6979 §3.6 additional data); verification on both curves.
// Signatures are (r, s): this API takes and gives raw integers (IEEE P1363 r || s, 64 or 96 bytes, or
// separate big-endian magnitudes); the DER Ecdsa-Sig-Value lives in asn1/keys.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/common.hpp"
#include "crypto/hash/hash.hpp"
#include "crypto/rng.hpp"

namespace padlock {

inline constexpr std::size_t ecdsa_p256_signature_size = 64;  // r || s, 32 bytes each (P1363)

// FIPS 186-5 §6.4.1 on a message digest. `hash` names the hash that produced `digest` (its length
// must match); RFC 6979 uses HMAC with that same hash. Digests longer than 256 bits are truncated
// to their leftmost 256 bits (§6.4.1 step 3). With `hedge`, 64 bytes are drawn from it: 32 are
// mixed into the nonce derivation (RFC 6979 §3.6), so a fault or a repeated message does not
// repeat k, and 32 randomise the projective coordinates while computing k·G. Without `hedge`,
// the signature is the RFC 6979 deterministic one.
// Errors: bad_input_length (digest size is not that of `hash`), invalid_scalar (priv not in
// [1, n-1]), rng_failure, unsupported_hash (a value outside HashAlg), fault_detected (32 unusable
// nonces in a row, odds about 2^-1000: a broken generator or a fault).
// Nothing is written to `signature` on error.
// Constant time in the private key and the nonce.
CryptoError ecdsa_p256_sign_digest(std::span<const std::uint8_t, 32> priv, HashAlg hash, Bytes digest,
                             std::span<std::uint8_t, 64> signature, const Rng* hedge = nullptr);

// Hashes `message` with `hash`, then signs as above.
CryptoError ecdsa_p256_sign(std::span<const std::uint8_t, 32> priv, HashAlg hash, Bytes message,
                      std::span<std::uint8_t, 64> signature, const Rng* hedge = nullptr);

// FIPS 186-5 §6.4.2. `pub` is a SEC 1 point (04||X||Y or 02/03||X), validated here; r and s are
// unsigned big-endian integers (leading zeros allowed) and must lie in [1, n-1].
// Returns ok, invalid_point (bad public key) or invalid_signature. Variable time (public data).
CryptoError ecdsa_p256_verify_digest(Bytes pub, Bytes digest, Bytes r, Bytes s);

// The same for an IEEE P1363 signature r || s, which must be exactly 64 bytes.
CryptoError ecdsa_p256_verify_digest_p1363(Bytes pub, Bytes digest, Bytes signature);

// Hashes `message` with `hash`, then verifies the P1363 signature.
CryptoError ecdsa_p256_verify(Bytes pub, HashAlg hash, Bytes message, Bytes signature);

// --- P-384 (SP 800-186 §3.2.1.4): verification only, in p384.cpp ---

inline constexpr std::size_t ecdsa_p384_signature_size = 96;  // r || s, 48 bytes each (P1363)

// FIPS 186-5 §6.4.2 over P-384, as ecdsa_p256_verify_digest: `pub` is 04||X||Y (97 bytes) or
// 02/03||X (49 bytes), validated here; r and s are unsigned big-endian integers in [1, n-1].
// Digests longer than 384 bits are truncated to their leftmost 384 bits.
// Returns ok, invalid_point or invalid_signature. Variable time (public data).
CryptoError ecdsa_p384_verify_digest(Bytes pub, Bytes digest, Bytes r, Bytes s);

// The same for an IEEE P1363 signature r || s, which must be exactly 96 bytes.
CryptoError ecdsa_p384_verify_digest_p1363(Bytes pub, Bytes digest, Bytes signature);

// Hashes `message` with `hash`, then verifies the P1363 signature.
CryptoError ecdsa_p384_verify(Bytes pub, HashAlg hash, Bytes message, Bytes signature);

}  // namespace padlock
