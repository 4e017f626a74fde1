// SPDX-License-Identifier: Apache-2.0
// X25519 tests: RFC 7748 §5.2 and §6.1 known answers (vectors/rfc7748.json), the all-zero rejection of
// §6.1 with the known low-order points, key generation, and properties of §5 (clamping, top-bit
// masking, non-canonical u, in-place use).
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "crypto/ec/x25519.hpp"
#include "tests/support.hpp"

namespace {

using padlock::CryptoError;
using padlock::test::Buf;
using padlock::test::hex;
using padlock::test::load_kat;
using padlock::test::unhex;
using Key = std::array<std::uint8_t, 32>;

Key key_from_hex(const std::string& s) {
    const Buf b = unhex(s);
    Key k{};
    REQUIRE(b.size() == k.size());
    std::copy(b.begin(), b.end(), k.begin());
    return k;
}

Key x25519_ok(const Key& scalar, const Key& u) {
    Key out{};
    CHECK(padlock::x25519(scalar, u, out) == CryptoError::ok);
    return out;
}

Key base(const Key& scalar) {
    Key out{};
    padlock::x25519_base(scalar, out);
    return out;
}

// A deterministic byte stream (xorshift) for the property tests: inputs only, never expected values.
struct TestRng {
    std::uint64_t state = 0x9e3779b97f4a7c15ull;
    Key key() {
        Key k{};
        for (auto& b : k) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            b = std::uint8_t(state >> 32);
        }
        return k;
    }
};

}  // namespace

TEST_CASE("RFC 7748 §5.2 test vectors and OpenSSL-derived answers", "[x25519][kat]") {
    const auto kat = load_kat("rfc7748.json");
    REQUIRE(kat["scalarmult"].size() >= 2);
    for (const auto& v : kat["scalarmult"]) {
        INFO(v["source"].get<std::string>());
        const Key out = x25519_ok(key_from_hex(v["scalar"]), key_from_hex(v["u"]));
        CHECK(hex(out) == v["output"].get<std::string>());
    }
    for (const auto& v : kat["base"]) {
        INFO(v["source"].get<std::string>());
        CHECK(hex(base(key_from_hex(v["scalar"]))) == v["public"].get<std::string>());
    }
}

TEST_CASE("RFC 7748 §6.1 Diffie-Hellman example", "[x25519][kat]") {
    const auto dh = load_kat("rfc7748.json")["diffie_hellman"];
    const Key alice = key_from_hex(dh["alice_private"]), bob = key_from_hex(dh["bob_private"]);
    const Key alice_pub = base(alice), bob_pub = base(bob);
    CHECK(hex(alice_pub) == dh["alice_public"].get<std::string>());
    CHECK(hex(bob_pub) == dh["bob_public"].get<std::string>());
    CHECK(hex(x25519_ok(alice, bob_pub)) == dh["shared"].get<std::string>());
    CHECK(hex(x25519_ok(bob, alice_pub)) == dh["shared"].get<std::string>());
}

// RFC 7748 §5.2 iterated test: k = u = 9, then (k, u) = (X25519(k, u), k). Checks every listed
// checkpoint up to max_iterations.
static void run_iterated(std::uint64_t max_iterations) {
    const auto it = load_kat("rfc7748.json")["iterated"];
    Key k = key_from_hex(it["start"]), u = k;
    std::uint64_t done = 0;
    int checked = 0;
    for (const auto& checkpoint : it["after"]) {
        const auto target = checkpoint["iterations"].get<std::uint64_t>();
        if (target > max_iterations) break;
        for (; done < target; done++) {
            Key next{};
            if (padlock::x25519(k, u, next) != CryptoError::ok) FAIL("all-zero result at round " << done + 1);
            u = k;
            k = next;
        }
        INFO("after " << target << " iterations");
        CHECK(hex(k) == checkpoint["k"].get<std::string>());
        checked++;
    }
    CHECK(checked > 0);
}

TEST_CASE("RFC 7748 §5.2 iterated: 1 and 1,000 rounds", "[x25519][kat]") { run_iterated(1000); }

// About a minute; run by hand: build-x/tests/test_x25519 "[.slow]"
TEST_CASE("RFC 7748 §5.2 iterated: 1,000,000 rounds", "[x25519][.slow]") { run_iterated(1000000); }

TEST_CASE("low-order peer values give an all-zero secret and are rejected (RFC 7748 §6.1)", "[x25519]") {
    const auto kat = load_kat("rfc7748.json");
    TestRng rng;
    const Key alice = key_from_hex(kat["diffie_hellman"]["alice_private"]);
    const Key zero{};
    for (const auto& u_hex : kat["low_order"]["u"]) {
        Key u = key_from_hex(u_hex);
        for (int top_bit = 0; top_bit < 2; top_bit++) {  // §5: bit 255 of u is ignored
            if (top_bit) u[31] |= 0x80;
            for (const Key& scalar : {alice, rng.key(), rng.key()}) {
                INFO("u = " << hex(u) << ", scalar = " << hex(scalar));
                Key out;
                out.fill(0xaa);
                CHECK(padlock::x25519(scalar, u, out) == CryptoError::all_zero_shared_secret);
                CHECK(hex(out) == hex(zero));  // the output is still written
            }
        }
    }
}

TEST_CASE("key generation: two fresh key pairs agree; public key matches x25519_base", "[x25519]") {
    const padlock::Rng rng = padlock::system_rng();
    Key a_priv{}, a_pub{}, b_priv{}, b_pub{};
    REQUIRE(padlock::x25519_keygen(rng, a_priv, a_pub) == CryptoError::ok);
    REQUIRE(padlock::x25519_keygen(rng, b_priv, b_pub) == CryptoError::ok);
    CHECK(hex(a_priv) != hex(b_priv));
    CHECK(hex(a_pub) == hex(base(a_priv)));
    CHECK(hex(x25519_ok(a_priv, b_pub)) == hex(x25519_ok(b_priv, a_pub)));
}

TEST_CASE("key generation reports a failing RNG and leaves zeroed outputs", "[x25519]") {
    const padlock::Rng broken{[](void*, padlock::MutBytes) { return CryptoError::rng_failure; }, nullptr};
    Key priv, pub;
    priv.fill(0x55);
    pub.fill(0x55);
    CHECK(padlock::x25519_keygen(broken, priv, pub) == CryptoError::rng_failure);
    CHECK(hex(priv) == hex(Key{}));
    CHECK(hex(pub) == hex(Key{}));
    CHECK(padlock::x25519_keygen(padlock::Rng{}, priv, pub) == CryptoError::rng_failure);  // no fill function
}

TEST_CASE("§5 properties: clamping, top bit of u, non-canonical u, in-place", "[x25519]") {
    TestRng rng;
    for (int round = 0; round < 8; round++) {
        const Key scalar = rng.key(), peer = base(rng.key());
        const Key expected = x25519_ok(scalar, peer);
        INFO("scalar = " << hex(scalar) << ", peer = " << hex(peer));

        // decodeScalar25519 overwrites bits 0, 1, 2, 254 and 255, so they cannot matter.
        for (int bit : {0, 1, 2, 254, 255}) {
            Key s = scalar;
            s[bit / 8] ^= std::uint8_t(1 << (bit % 8));
            CHECK(hex(x25519_ok(s, peer)) == hex(expected));
        }
        // decodeUCoordinate masks bit 255 of u.
        Key u = peer;
        u[31] ^= 0x80;
        CHECK(hex(x25519_ok(scalar, u)) == hex(expected));

        // Every other bit of u is significant.
        for (int bit = 0; bit < 255; bit++) {
            Key flipped = peer;
            flipped[bit / 8] ^= std::uint8_t(1 << (bit % 8));
            Key out{};
            (void)padlock::x25519(scalar, flipped, out);
            if (hex(out) == hex(expected)) FAIL("flipping bit " << bit << " of u did not change the output");
        }

        // In-place: the output may alias the peer value or the scalar.
        Key in_place = peer;
        CHECK(padlock::x25519(scalar, in_place, in_place) == CryptoError::ok);
        CHECK(hex(in_place) == hex(expected));
        in_place = scalar;
        CHECK(padlock::x25519(in_place, peer, in_place) == CryptoError::ok);
        CHECK(hex(in_place) == hex(expected));
    }
}

TEST_CASE("non-canonical u (p <= u < 2^255) acts as u - p (RFC 7748 §5)", "[x25519]") {
    TestRng rng;
    // p + k for k = 0..18 is 2^255 - 19 + k: little-endian (0xed + k), 30 x 0xff, 0x7f.
    for (std::uint8_t k = 0; k < 19; k++) {
        Key non_canonical;
        non_canonical.fill(0xff);
        non_canonical[0] = std::uint8_t(0xed + k);
        non_canonical[31] = 0x7f;
        Key canonical{};
        canonical[0] = k;
        const Key scalar = rng.key();
        INFO("k = " << int(k));
        Key a{}, b{};
        const CryptoError ea = padlock::x25519(scalar, non_canonical, a);
        const CryptoError eb = padlock::x25519(scalar, canonical, b);
        CHECK(ea == eb);
        CHECK(hex(a) == hex(b));
        if (k == 9) CHECK(hex(a) == hex(base(scalar)));  // p + 9 is the base point
    }
}
