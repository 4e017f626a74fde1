// SPDX-License-Identifier: Apache-2.0
// The secp256r1 key-share group (RFC 8446 §4.2.8.2, §7.4.2): the public value is the 65-octet
// UncompressedPointRepresentation (04 || X || Y; a compressed point is refused), validated on the
// curve; the shared secret is the x-coordinate of the product.
#include "crypto/ec/p256.hpp"
#include "tls/key_share.hpp"

namespace padlock::tls {
namespace {

TlsError generate(const Rng& rng, std::span<std::uint8_t, key_share_private_size> priv, std::uint8_t* pub) {
    if (p256_keygen(rng, priv.first<32>(), std::span<std::uint8_t, 65>(pub, 65)) != CryptoError::ok) return TlsError::crypto_failure;
    return TlsError::ok;
}

TlsError shared_secret(std::span<const std::uint8_t, key_share_private_size> priv, Bytes peer,
                       std::span<std::uint8_t, key_share_shared_size> out) {
    if (peer.size() != 65 || peer[0] != 4) return TlsError::key_share_invalid;  // §4.2.8.2
    if (p256_ecdh(priv.first<32>(), peer, out.first<32>()) != CryptoError::ok) return TlsError::key_share_invalid;
    return TlsError::ok;
}

}  // namespace

const KeyShareGroup secp256r1_group{group::secp256r1, "secp256r1", 65, 32, generate, shared_secret};

}  // namespace padlock::tls
