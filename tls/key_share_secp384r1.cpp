// SPDX-License-Identifier: Apache-2.0
// The secp384r1 key-share group (RFC 8446 §4.2.8.2, §7.4.2): the public value is the 97-octet
// UncompressedPointRepresentation (04 || X || Y; a compressed point is refused), validated on the
// curve; the shared secret is the x-coordinate of the product.
#include "crypto/ec/p384.hpp"
#include "tls/key_share.hpp"

namespace padlock::tls {
namespace {

TlsError generate(const Rng& rng, std::span<std::uint8_t, key_share_private_size> priv, std::uint8_t* pub) {
    if (p384_keygen(rng, priv.first<48>(), std::span<std::uint8_t, 97>(pub, 97)) != CryptoError::ok) return TlsError::crypto_failure;
    return TlsError::ok;
}

TlsError shared_secret(std::span<const std::uint8_t, key_share_private_size> priv, Bytes peer,
                       std::span<std::uint8_t, key_share_shared_size> out) {
    if (peer.size() != 97 || peer[0] != 4) return TlsError::key_share_invalid;  // §4.2.8.2
    if (p384_ecdh(priv.first<48>(), peer, out.first<48>()) != CryptoError::ok) return TlsError::key_share_invalid;
    return TlsError::ok;
}

}  // namespace

const KeyShareGroup secp384r1_group{group::secp384r1, "secp384r1", 97, 48, generate, shared_secret};

}  // namespace padlock::tls
