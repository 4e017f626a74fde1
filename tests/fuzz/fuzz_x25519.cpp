// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness for X25519 (crypto/ec/x25519.hpp, RFC 7748 §5) with any scalar and any u.
// Properties: the top bit of u is ignored (§5); all_zero_shared_secret exactly when the output is
// zero (§6.1); X25519(k, 9) equals x25519_base(k); and Diffie-Hellman agrees for any two scalars:
// X25519(a, X25519(b, 9)) == X25519(b, X25519(a, 9)) (§6.1).
#include <array>
#include <cstdint>

#include "crypto/ec/x25519.hpp"
#include "tests/fuzz/fuzz.hpp"

using padlock::CryptoError;
using Key = std::array<std::uint8_t, 32>;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    padlock::fuzz::Input in(data, size);
    const Key a = in.fixed<32>(), u = in.fixed<32>(), b = in.fixed<32>();

    Key shared{}, shared_flipped{};
    const CryptoError e = padlock::x25519(a, u, shared);
    FUZZ_CHECK(e == CryptoError::ok || e == CryptoError::all_zero_shared_secret);
    FUZZ_CHECK((e == CryptoError::all_zero_shared_secret) == (shared == Key{}));
    Key u_flipped = u;
    u_flipped[31] ^= 0x80;
    FUZZ_CHECK(padlock::x25519(a, u_flipped, shared_flipped) == e);
    FUZZ_CHECK(shared_flipped == shared);

    Key nine{9}, pub_a{}, pub_b{}, via_nine{};
    padlock::x25519_base(a, pub_a);
    FUZZ_CHECK(padlock::x25519(a, nine, via_nine) == CryptoError::ok);
    FUZZ_CHECK(via_nine == pub_a);
    padlock::x25519_base(b, pub_b);
    Key ab{}, ba{};
    // Both public keys are in the prime-order subgroup, so neither shared secret is zero.
    FUZZ_CHECK(padlock::x25519(a, pub_b, ab) == CryptoError::ok);
    FUZZ_CHECK(padlock::x25519(b, pub_a, ba) == CryptoError::ok);
    FUZZ_CHECK(ab == ba);
    return 0;
}
