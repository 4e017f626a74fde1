// SPDX-License-Identifier: Apache-2.0
// NIST P-384 (FIPS 186-5, SP 800-186 §3.2.1.4) public-key decoding and validation (SEC 1 §2.3.4,
// §3.2.2.1) and the Diffie-Hellman primitive (SEC 1 §3.3.1, the x-coordinate as the shared
// secret). ECDSA P-384 verification is in ecdsa.hpp. No key generation or signing yet.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/common.hpp"

namespace padlock {

inline constexpr std::size_t p384_scalar_size = 48;            // private keys, shared secrets
inline constexpr std::size_t p384_point_size = 97;             // SEC 1 uncompressed: 04 || X || Y
inline constexpr std::size_t p384_compressed_point_size = 49;  // SEC 1 compressed: 02/03 || X

// Decodes and validates a public point given as 04||X||Y (97 bytes) or 02/03||X (49 bytes):
// coordinates below p, on the curve, not the point at infinity. Writes the uncompressed form.
// Returns invalid_point otherwise. Not constant time (public data).
CryptoError p384_decode_point(Bytes encoded, std::span<std::uint8_t, 97> uncompressed);

// SEC 1 §3.3.1 ECDH: the x-coordinate of d·Q for a private key d in [1, n-1] (big-endian). The
// peer point is validated first (either SEC 1 encoding).
// Errors: invalid_scalar (d not in [1, n-1]), invalid_point. Constant time in d.
CryptoError p384_ecdh(std::span<const std::uint8_t, 48> priv, Bytes peer_point, std::span<std::uint8_t, 48> shared_x);

}  // namespace padlock
