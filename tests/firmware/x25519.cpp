// SPDX-License-Identifier: Apache-2.0
// Firmware-shaped program: X25519 alone (the TLS 1.3 client's key share, RFC 8446 §4.2.8), checked
// against RFC 7748 §5.2 (first test vector) and §6.1 (Alice's public key).
#include "crypto/ec/x25519.hpp"
#include "tests/firmware/firmware.hpp"

using namespace padlock;
using firmware::Hex;

namespace {

bool shared_secret() {
    constexpr Hex scalar("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
    constexpr Hex u("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
    constexpr Hex expected("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
    std::uint8_t out[32];
    return x25519(scalar.bytes, u.bytes, out) == CryptoError::ok && firmware::same(out, expected.bytes, 32);
}

bool public_key() {
    constexpr Hex alice_private("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    constexpr Hex alice_public("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    std::uint8_t out[32];
    x25519_base(alice_private.bytes, out);
    return firmware::same(out, alice_public.bytes, 32);
}

}  // namespace

int firmware::run_x25519() { return firmware::check("x25519", shared_secret) | firmware::check("x25519-base", public_key); }

#ifndef FIRMWARE_TLS_CLIENT
int main() { return firmware::run_x25519(); }
#endif
