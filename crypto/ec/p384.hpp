// SPDX-License-Identifier: Apache-2.0
// NIST P-384 (FIPS 186-5, SP 800-186 §3.2.1.4) keys and ECDH: key generation (FIPS 186-5 A.2.2),
// public-key decoding and validation (SEC 1 §2.3.4, §3.2.2.1) and the Diffie-Hellman primitive
// (SEC 1 §3.3.1, the x-coordinate as the shared secret, as TLS 1.3 uses it, RFC 8446 §7.4.2).
// ECDSA P-384 verification is in ecdsa.hpp; there is no P-384 signing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/common.hpp"
#include "crypto/rng.hpp"

namespace padlock {

inline constexpr std::size_t p384_scalar_size = 48;            // private keys, shared secrets
inline constexpr std::size_t p384_point_size = 97;             // SEC 1 uncompressed: 04 || X || Y
inline constexpr std::size_t p384_compressed_point_size = 49;  // SEC 1 compressed: 02/03 || X

// Decodes and validates a public point given as 04||X||Y (97 bytes) or 02/03||X (49 bytes):
// coordinates below p, on the curve, not the point at infinity. Writes the uncompressed form.
// Returns invalid_point otherwise. Not constant time (public data).
CryptoError p384_decode_point(Bytes encoded, std::span<std::uint8_t, 97> uncompressed);

// Q = d·G for a private key d in [1, n-1] (big-endian); invalid_scalar otherwise.
// Constant time in d.
CryptoError p384_public_from_private(std::span<const std::uint8_t, 48> priv, std::span<std::uint8_t, 97> pub);

// FIPS 186-5 A.2.2 (rejection sampling): a uniform d in [1, n-1] and its public point, computed
// with randomised projective coordinates for G (48 more bytes from rng). Returns rng_failure if the
// generator fails (or, with odds below 2^-12000, never lands in range). Constant time in d.
CryptoError p384_keygen(const Rng& rng, std::span<std::uint8_t, 48> priv, std::span<std::uint8_t, 97> pub);

// SEC 1 §3.3.1 ECDH: the x-coordinate of d·Q for a private key d in [1, n-1] (big-endian). The
// peer point is validated first (either SEC 1 encoding).
// Errors: invalid_scalar (d not in [1, n-1]), invalid_point. Constant time in d.
CryptoError p384_ecdh(std::span<const std::uint8_t, 48> priv, Bytes peer_point, std::span<std::uint8_t, 48> shared_x);

}  // namespace padlock
