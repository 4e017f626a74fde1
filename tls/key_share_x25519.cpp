// SPDX-License-Identifier: Apache-2.0
// The x25519 key-share group (RFC 8446 §4.2.8.2, §7.4.2; RFC 7748 §6.1): 32-octet public values,
// and the all-zero shared secret refused ("MUST check whether the computed Diffie-Hellman shared
// secret is the all-zero value and abort if so").
#include "crypto/ec/x25519.hpp"
#include "tls/key_share.hpp"

namespace padlock::tls {
namespace {

TlsError generate(const Rng& rng, std::span<std::uint8_t, key_share_private_size> priv, std::uint8_t* pub) {
    if (x25519_keygen(rng, priv.first<32>(), std::span<std::uint8_t, 32>(pub, 32)) != CryptoError::ok) return TlsError::crypto_failure;
    return TlsError::ok;
}

TlsError shared_secret(std::span<const std::uint8_t, key_share_private_size> priv, Bytes peer,
                       std::span<std::uint8_t, key_share_shared_size> out) {
    if (peer.size() != 32) return TlsError::key_share_invalid;
    // The all-zero result is reported after the full constant-time computation; the error is public.
    if (x25519(priv.first<32>(), peer.first<32>(), out.first<32>()) != CryptoError::ok) return TlsError::key_share_invalid;
    return TlsError::ok;
}

}  // namespace

const KeyShareGroup x25519_group{group::x25519, "x25519", 32, 32, generate, shared_secret};

}  // namespace padlock::tls
