// SPDX-License-Identifier: Apache-2.0
// NIST P-256 (FIPS 186-5, SP 800-186 §3.2.1.3) keys and ECDH: key generation (FIPS 186-5 A.2.2),
// public-key validation and decoding (SEC 1 §2.3.4, §3.2.2.1), and the Diffie-Hellman primitive
// (SEC 1 §3.3.1; the x-coordinate is the shared secret, as TLS 1.3 uses it, RFC 8446 §7.4.2).
// ECDSA is in ecdsa.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/common.hpp"
#include "crypto/rng.hpp"

namespace padlock {

inline constexpr std::size_t p256_scalar_size = 32;            // private keys, shared secrets
inline constexpr std::size_t p256_point_size = 65;             // SEC 1 uncompressed: 04 || X || Y
inline constexpr std::size_t p256_compressed_point_size = 33;  // SEC 1 compressed: 02/03 || X

// Decodes and validates a public point given as 04||X||Y (65 bytes) or 02/03||X (33 bytes):
// coordinates below p, on the curve, not the point at infinity. Writes the uncompressed form.
// Returns invalid_point otherwise. Not constant time (public data).
CryptoError p256_decode_point(Bytes encoded, std::span<std::uint8_t, 65> uncompressed);

// SEC 1 §2.3.3 compressed form of a valid public point (any accepted encoding).
CryptoError p256_compress_point(Bytes encoded, std::span<std::uint8_t, 33> compressed);

// Q = d·G for a private key d in [1, n-1] (big-endian); invalid_scalar otherwise.
// Constant time in d.
CryptoError p256_public_from_private(std::span<const std::uint8_t, 32> priv, std::span<std::uint8_t, 65> pub);

// FIPS 186-5 A.2.2 (rejection sampling): a uniform d in [1, n-1] and its public point, computed
// with randomised projective coordinates (32 more bytes from rng). Returns rng_failure if the
// generator fails (or, with odds below 2^-2000, never lands in range). Constant time in d.
CryptoError p256_keygen(const Rng& rng, std::span<std::uint8_t, 32> priv, std::span<std::uint8_t, 65> pub);

// SEC 1 §3.3.1 ECDH: the x-coordinate of d·Q. The peer point is validated first (either SEC 1
// encoding; TLS 1.3 peers must send the 65-byte uncompressed form, which the TLS layer checks).
// Errors: invalid_scalar (d not in [1, n-1]), invalid_point. Constant time in d.
CryptoError p256_ecdh(std::span<const std::uint8_t, 32> priv, Bytes peer_point, std::span<std::uint8_t, 32> shared_x);

// The code P-256 (ECDH, ECDSA) runs on this CPU: "bmi2" (MULX field and scalar multiplication)
// or "portable" (crypto/cpu.hpp).
const char* p256_backend_name();

}  // namespace padlock
