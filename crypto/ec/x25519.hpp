// SPDX-License-Identifier: Apache-2.0
// X25519 Diffie-Hellman over Curve25519 (RFC 7748 §5, §6.1) and key generation.
// Keys, public values and shared secrets are 32-byte little-endian strings.
#pragma once

#include <cstdint>
#include <span>

#include "crypto/common.hpp"
#include "crypto/rng.hpp"

namespace padlock {

inline constexpr std::size_t x25519_key_size = 32;

// The X25519 function (RFC 7748 §5): shared = X25519(scalar, peer_u). The scalar is clamped and the
// top bit of peer_u ignored as §5 says; u values >= 2^255-19 are accepted and reduced mod p.
// Returns CryptoError::all_zero_shared_secret when the result is all zero (the peer sent a point of small
// order, RFC 7748 §6.1; TLS 1.3 must abort then, RFC 8446 §7.4.2). The output is written either way.
// Constant time in scalar and peer_u.
[[nodiscard]] CryptoError x25519(std::span<const std::uint8_t, 32> scalar, std::span<const std::uint8_t, 32> peer_u,
                           std::span<std::uint8_t, 32> shared);

// The public key for a private scalar: X25519(scalar, 9) (RFC 7748 §6.1). Constant time.
void x25519_base(std::span<const std::uint8_t, 32> scalar, std::span<std::uint8_t, 32> pub);

// Fresh key pair: 32 random bytes as the private key (clamped on use, not stored clamped) and its
// public key. On RNG failure both outputs are zeroed and the RNG's error is returned.
[[nodiscard]] CryptoError x25519_keygen(const Rng& rng, std::span<std::uint8_t, 32> priv, std::span<std::uint8_t, 32> pub);

// The ladder every call above dispatches to (crypto/cpu.hpp), picked on each call: "ifma" (four-way
// AVX-512 IFMA), "bmi2" (radix 2^64 with MULX) or "portable".
const char* x25519_backend_name();

}  // namespace padlock
