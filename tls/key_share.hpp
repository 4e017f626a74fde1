// SPDX-License-Identifier: Apache-2.0
// TLS 1.3 (EC)DHE key-share groups (RFC 8446 §4.2.7 NamedGroup, §4.2.8 KeyShareEntry, §7.4.2 ECDHE
// shared secret) as descriptors, one TU each (tls/key_share_x25519.cpp, tls/key_share_secp256r1.cpp,
// tls/key_share_secp384r1.cpp), named by the caller's Config: only the groups it names are linked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/common.hpp"
#include "crypto/rng.hpp"
#include "tls/alert.hpp"

namespace padlock::tls {

namespace group {
inline constexpr std::uint16_t secp256r1 = 0x0017, secp384r1 = 0x0018, secp521r1 = 0x0019, x25519 = 0x001d,
                               x448 = 0x001e;
}  // namespace group

// The largest of each over the groups padlock has: P-384's 48-octet scalar and x-coordinate and its
// 97-octet point (x25519 and P-256 use the first 32 octets of the private key and shared secret).
inline constexpr std::size_t key_share_private_size = 48;
inline constexpr std::size_t key_share_shared_size = 48;
inline constexpr std::size_t max_key_share_public_size = 97;

struct KeyShareGroup {
    std::uint16_t code;        // §4.2.7 NamedGroup
    const char* name;
    std::size_t public_size;   // §4.2.8.2: x25519 32 octets; secp256r1 65, secp384r1 97
                               // (UncompressedPointRepresentation)
    std::size_t shared_size;   // §7.4.2: the (EC)DHE shared secret, 32 octets (48 for secp384r1)
    // A fresh ephemeral key pair from the Rng; pub receives public_size octets. crypto_failure when
    // the Rng fails.
    TlsError (*generate)(const Rng& rng, std::span<std::uint8_t, key_share_private_size> priv, std::uint8_t* pub);
    // §7.4.2 the shared secret (the first shared_size octets of out) with the peer's key_exchange.
    // key_share_invalid when the peer's value has the wrong length or form, is not on the curve, or
    // (x25519) gives the all-zero output.
    TlsError (*shared_secret)(std::span<const std::uint8_t, key_share_private_size> priv, Bytes peer,
                              std::span<std::uint8_t, key_share_shared_size> out);
};

extern const KeyShareGroup x25519_group;     // 0x001d, RFC 7748
extern const KeyShareGroup secp256r1_group;  // 0x0017, FIPS 186-5 P-256
extern const KeyShareGroup secp384r1_group;  // 0x0018, FIPS 186-5 P-384

}  // namespace padlock::tls
