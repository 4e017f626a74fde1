// SPDX-License-Identifier: Apache-2.0
// ChaCha20, Poly1305 and ChaCha20-Poly1305 (RFC 8439): the RFC's known answers from
// vectors/rfc8439.json, plus properties (split input, in place, every single-bit flip rejected)
// and clean errors for bad sizes.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/symmetric/chacha20.hpp"
#include "crypto/symmetric/chacha20_poly1305.hpp"
#include "crypto/symmetric/poly1305.hpp"
#include "tests/support.hpp"

using namespace padlock;
using namespace padlock::test;

namespace {

Buf poly(const Buf& key, const Buf& msg) {
    Buf tag(16);
    poly1305(fixed<32>(key), msg, std::span<std::uint8_t, 16>(tag.data(), 16));
    return tag;
}

}  // namespace

TEST_CASE("ChaCha20 quarter round, RFC 8439 2.1.1 and 2.2.1", "[chacha20]") {
    auto kat = load_kat("rfc8439.json");
    for (const auto& v : kat["quarter_round"]) {
        std::uint32_t s[16] = {};
        for (int i = 0; i < 4; i++) s[i] = std::uint32_t(std::stoul(v["in"][i].get<std::string>(), nullptr, 16));
        chacha20_quarter_round(s, 0, 1, 2, 3);
        for (int i = 0; i < 4; i++) CHECK(s[i] == std::stoul(v["out"][i].get<std::string>(), nullptr, 16));
    }
    for (const auto& v : kat["quarter_round_state"]) {
        std::uint32_t s[16];
        for (int i = 0; i < 16; i++) s[i] = std::uint32_t(std::stoul(v["in"][i].get<std::string>(), nullptr, 16));
        const auto& ix = v["indices"];
        chacha20_quarter_round(s, ix[0], ix[1], ix[2], ix[3]);
        for (int i = 0; i < 16; i++) CHECK(s[i] == std::stoul(v["out"][i].get<std::string>(), nullptr, 16));
    }
}

TEST_CASE("ChaCha20 block function, RFC 8439 2.3.2 and A.1", "[chacha20]") {
    const auto kat = load_kat("rfc8439.json");
    for (const auto& v : kat["block"]) {
        INFO(v["section"].get<std::string>());
        Buf key = unhex(v["key"]), nonce = unhex(v["nonce"]);
        std::uint8_t out[64];
        chacha20_block(fixed<32>(key), fixed<12>(nonce), v["counter"].get<std::uint32_t>(), out);
        CHECK(hex(out) == v["out"].get<std::string>());
    }
}

TEST_CASE("Poly1305 key generation, RFC 8439 2.6.2 and A.4", "[chacha20]") {
    const auto kat = load_kat("rfc8439.json");
    for (const auto& v : kat["poly1305_key_gen"]) {
        INFO(v["section"].get<std::string>());
        Buf key = unhex(v["key"]), nonce = unhex(v["nonce"]);
        std::uint8_t out[64];
        chacha20_block(fixed<32>(key), fixed<12>(nonce), 0, out);
        CHECK(hex(Bytes(out).first(32)) == v["otk"].get<std::string>());
    }
}

TEST_CASE("ChaCha20 encryption, RFC 8439 2.4.2 and A.2", "[chacha20]") {
    const auto kat = load_kat("rfc8439.json");
    for (const auto& v : kat["encrypt"]) {
        INFO(v["section"].get<std::string>());
        Buf key = unhex(v["key"]), nonce = unhex(v["nonce"]), pt = unhex(v["plaintext"]);
        std::uint32_t counter = v["counter"];
        Buf ct(pt.size());
        chacha20_xor(fixed<32>(key), fixed<12>(nonce), counter, pt, ct);
        CHECK(hex(ct) == v["ciphertext"].get<std::string>());
        // In place gives the same, and decryption is the same operation.
        Buf inplace = pt;
        chacha20_xor(fixed<32>(key), fixed<12>(nonce), counter, inplace, inplace);
        CHECK(hex(inplace) == hex(ct));
        chacha20_xor(fixed<32>(key), fixed<12>(nonce), counter, inplace, inplace);
        CHECK(hex(inplace) == hex(pt));
    }
}

TEST_CASE("ChaCha20 multi-block path agrees with the block function", "[chacha20]") {
    // The wide (several blocks at once) path against 64-byte blocks of the RFC-checked block
    // function, for every length through several groups, and across a counter wrap at 2^32.
    Buf key = filler(32, 1), nonce = filler(12, 2);
    for (std::uint32_t counter : {0u, 1u, 0xfffffffdu}) {
        Buf stream;
        for (std::uint32_t b = 0; b < 20; b++) {
            std::uint8_t block[64];
            chacha20_block(fixed<32>(key), fixed<12>(nonce), counter + b, block);
            stream.insert(stream.end(), block, block + 64);
        }
        for (std::size_t n = 0; n <= stream.size(); n++) {
            Buf zeros(n), out(n);
            chacha20_xor(fixed<32>(key), fixed<12>(nonce), counter, zeros, out);
            if (hex(out) != hex(Bytes(stream).first(n))) {
                INFO("counter " << counter << " length " << n);
                CHECK(hex(out) == hex(Bytes(stream).first(n)));
            }
        }
    }
}

TEST_CASE("ChaCha20 split at block boundaries equals one shot", "[chacha20]") {
    Buf key = filler(32, 3), nonce = filler(12, 4), pt = filler(1000, 5);
    Buf one(pt.size());
    chacha20_xor(fixed<32>(key), fixed<12>(nonce), 7, pt, one);
    for (std::size_t blocks = 0; blocks * 64 <= pt.size(); blocks++) {
        Buf two(pt.size());
        std::size_t cut = blocks * 64;
        chacha20_xor(fixed<32>(key), fixed<12>(nonce), 7, Bytes(pt).first(cut), MutBytes(two).first(cut));
        chacha20_xor(fixed<32>(key), fixed<12>(nonce), 7 + std::uint32_t(blocks), Bytes(pt).subspan(cut),
                     MutBytes(two).subspan(cut));
        CHECK(hex(two) == hex(one));
    }
}

TEST_CASE("Poly1305, RFC 8439 2.5.2 and A.3", "[poly1305]") {
    const auto kat = load_kat("rfc8439.json");
    for (const auto& v : kat["poly1305"]) {
        INFO(v["section"].get<std::string>());
        CHECK(hex(poly(unhex(v["key"]), unhex(v["message"]))) == v["tag"].get<std::string>());
    }
}

TEST_CASE("Poly1305 split anywhere equals one shot", "[poly1305]") {
    const auto kat = load_kat("rfc8439.json");
    for (const auto& v : kat["poly1305"]) {
        INFO(v["section"].get<std::string>());
        Buf key = unhex(v["key"]), msg = unhex(v["message"]);
        std::string want = v["tag"];
        // Every single split point.
        for (std::size_t cut = 0; cut <= msg.size(); cut++) {
            Poly1305 mac(fixed<32>(key));
            mac.update(Bytes(msg).first(cut));
            mac.update(Bytes(msg).subspan(cut));
            std::uint8_t tag[16];
            mac.final(tag);
            if (hex(tag) != want) {
                INFO("split at " << cut);
                CHECK(hex(tag) == want);
            }
        }
        // Byte by byte, and in chunks of 3 and 17 (partial buffer plus whole blocks).
        for (std::size_t chunk : {1u, 3u, 17u, 33u}) {
            Poly1305 mac(fixed<32>(key));
            for (std::size_t i = 0; i < msg.size(); i += chunk)
                mac.update(Bytes(msg).subspan(i, std::min(chunk, msg.size() - i)));
            std::uint8_t tag[16];
            mac.final(tag);
            INFO("chunk " << chunk);
            CHECK(hex(tag) == want);
        }
    }
}

TEST_CASE("Poly1305 every single-bit flip of the message changes the tag", "[poly1305]") {
    Buf key = filler(32, 9), msg = filler(40, 10);
    Buf tag = poly(key, msg);
    for (std::size_t bit = 0; bit < msg.size() * 8; bit++) {
        Buf m = msg;
        m[bit / 8] ^= std::uint8_t(1u << (bit % 8));
        if (hex(poly(key, m)) == hex(tag)) FAIL("bit " << bit << " did not change the tag");
    }
}

TEST_CASE("ChaCha20-Poly1305 AEAD, RFC 8439 2.8.2 and A.5", "[aead]") {
    const auto kat = load_kat("rfc8439.json");
    for (const auto& v : kat["aead"]) {
        INFO(v["section"].get<std::string>());
        Buf key = unhex(v["key"]), nonce = unhex(v["nonce"]), aad = unhex(v["aad"]);
        Buf pt = unhex(v["plaintext"]), ct = unhex(v["ciphertext"]), tag = unhex(v["tag"]);
        ChaCha20Poly1305 aead;
        REQUIRE(aead.init(key) == CryptoError::ok);
        Buf out(pt.size()), t(16);
        REQUIRE(aead.seal(nonce, aad, pt, out, std::span<std::uint8_t, 16>(t.data(), 16)) == CryptoError::ok);
        CHECK(hex(out) == hex(ct));
        CHECK(hex(t) == hex(tag));
        Buf back(ct.size());
        REQUIRE(aead.open(nonce, aad, ct, tag, back) == CryptoError::ok);
        CHECK(hex(back) == hex(pt));
    }
}

TEST_CASE("ChaCha20-Poly1305 round trip, in place equals out of place, lengths 0..300", "[aead]") {
    ChaCha20Poly1305 aead;
    REQUIRE(aead.init(filler(32, 11)) == CryptoError::ok);
    Buf nonce = filler(12, 12);
    for (std::size_t n = 0; n <= 300; n++) {
        INFO("length " << n);
        Buf pt = filler(n, std::uint8_t(n)), aad = filler(n % 37, 13);
        Buf ct(n), tag(16);
        REQUIRE(aead.seal(nonce, aad, pt, ct, std::span<std::uint8_t, 16>(tag.data(), 16)) == CryptoError::ok);
        Buf inplace = pt, tag2(16);
        REQUIRE(aead.seal(nonce, aad, inplace, inplace, std::span<std::uint8_t, 16>(tag2.data(), 16)) == CryptoError::ok);
        CHECK(hex(inplace) == hex(ct));
        CHECK(hex(tag2) == hex(tag));
        Buf back(n);
        REQUIRE(aead.open(nonce, aad, ct, tag, back) == CryptoError::ok);
        CHECK(hex(back) == hex(pt));
        REQUIRE(aead.open(nonce, aad, inplace, tag, inplace) == CryptoError::ok);
        CHECK(hex(inplace) == hex(pt));
    }
}

TEST_CASE("ChaCha20-Poly1305 rejects every single-bit flip, with zeroed output", "[aead]") {
    ChaCha20Poly1305 aead;
    REQUIRE(aead.init(filler(32, 14)) == CryptoError::ok);
    const Buf nonce = filler(12, 15), aad = filler(21, 16), pt = filler(70, 17);
    Buf ct(pt.size()), tag(16);
    REQUIRE(aead.seal(nonce, aad, pt, ct, std::span<std::uint8_t, 16>(tag.data(), 16)) == CryptoError::ok);
    const Buf zeros(pt.size(), 0);
    auto rejected = [&](const Buf& n, const Buf& a, const Buf& c, const Buf& t) {
        Buf out(c.size(), 0xaa);
        return aead.open(n, a, c, t, out) == CryptoError::auth_failed && out == Buf(c.size(), 0);
    };
    auto flip = [](Buf b, std::size_t bit) { b[bit / 8] ^= std::uint8_t(1u << (bit % 8)); return b; };
    for (std::size_t bit = 0; bit < ct.size() * 8; bit++)
        if (!rejected(nonce, aad, flip(ct, bit), tag)) FAIL("ciphertext bit " << bit);
    for (std::size_t bit = 0; bit < tag.size() * 8; bit++)
        if (!rejected(nonce, aad, ct, flip(tag, bit))) FAIL("tag bit " << bit);
    for (std::size_t bit = 0; bit < aad.size() * 8; bit++)
        if (!rejected(nonce, flip(aad, bit), ct, tag)) FAIL("aad bit " << bit);
    for (std::size_t bit = 0; bit < nonce.size() * 8; bit++)
        if (!rejected(flip(nonce, bit), aad, ct, tag)) FAIL("nonce bit " << bit);
    // Truncated or extended ciphertext and AAD are other messages.
    CHECK(rejected(nonce, aad, Buf(ct.begin(), ct.end() - 1), tag));
    Buf longer = ct;
    longer.push_back(0);
    CHECK(rejected(nonce, aad, longer, tag));
    CHECK(rejected(nonce, Buf(aad.begin(), aad.end() - 1), ct, tag));
    // In place, a failed open also wipes the buffer.
    Buf inplace = flip(ct, 3);
    CHECK(aead.open(nonce, aad, inplace, tag, inplace) == CryptoError::auth_failed);
    CHECK(inplace == zeros);
}

TEST_CASE("ChaCha20-Poly1305 bad sizes give clean errors", "[aead]") {
    ChaCha20Poly1305 aead;
    Buf nonce(12), tag(16), pt(10), out(10);
    auto t16 = std::span<std::uint8_t, 16>(tag.data(), 16);
    CHECK(aead.seal(nonce, {}, pt, out, t16) == CryptoError::bad_key_length);  // not keyed yet
    CHECK(aead.init(Buf(31)) == CryptoError::bad_key_length);
    CHECK(aead.init(Buf(33)) == CryptoError::bad_key_length);
    CHECK(aead.seal(nonce, {}, pt, out, t16) == CryptoError::bad_key_length);
    REQUIRE(aead.init(Buf(32)) == CryptoError::ok);
    for (std::size_t n : {0u, 8u, 11u, 13u, 16u, 24u}) {
        CHECK(aead.seal(Buf(n), {}, pt, out, t16) == CryptoError::bad_nonce_length);
        CHECK(aead.open(Buf(n), {}, pt, tag, out) == CryptoError::bad_nonce_length);
    }
    Buf small(9);
    CHECK(aead.seal(nonce, {}, pt, small, t16) == CryptoError::buffer_too_small);
    CHECK(aead.open(nonce, {}, pt, tag, small) == CryptoError::buffer_too_small);
    for (std::size_t n : {0u, 15u, 17u}) CHECK(aead.open(nonce, {}, pt, Buf(n), out) == CryptoError::bad_tag_length);
    // Empty everything is a valid message.
    REQUIRE(aead.seal(nonce, {}, {}, {}, t16) == CryptoError::ok);
    CHECK(aead.open(nonce, {}, {}, tag, {}) == CryptoError::ok);
}
