// SPDX-License-Identifier: Apache-2.0
// The TLS AEAD interface (crypto/symmetric/aead.hpp) over AES-128-GCM, AES-256-GCM and ChaCha20-Poly1305:
// known answers (GCM specification test cases from vectors/aead.json, RFC 8439 from
// vectors/rfc8439.json), ciphertext || tag framing, in place, bit flips and size errors.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/symmetric/aead.hpp"
#include "tests/support.hpp"

using namespace padlock;
using namespace padlock::test;

namespace {

struct Kat {
    std::string name;
    AeadAlg alg;
    Buf key, nonce, aad, pt, sealed;  // sealed = ciphertext || tag
};

std::vector<Kat> all_kats() {
    std::vector<Kat> kats;
    // Keep the parsed files alive: a range-for over load_kat(...)["x"] would dangle (C++20).
    const auto gcm = load_kat("aead.json"), rfc = load_kat("rfc8439.json");
    for (const auto& v : gcm["aes_gcm"])
        kats.push_back({v["source"], v["alg"] == "aes128_gcm" ? AeadAlg::aes128_gcm : AeadAlg::aes256_gcm,
                        unhex(v["key"]), unhex(v["nonce"]), unhex(v["aad"]), unhex(v["plaintext"]),
                        unhex(v["ciphertext"].get<std::string>() + v["tag"].get<std::string>())});
    for (const auto& v : rfc["aead"])
        kats.push_back({"RFC 8439 " + v["section"].get<std::string>(), AeadAlg::chacha20_poly1305,
                        unhex(v["key"]), unhex(v["nonce"]), unhex(v["aad"]), unhex(v["plaintext"]),
                        unhex(v["ciphertext"].get<std::string>() + v["tag"].get<std::string>())});
    return kats;
}

const AeadAlg all_algs[] = {AeadAlg::aes128_gcm, AeadAlg::aes256_gcm, AeadAlg::chacha20_poly1305};

}  // namespace

TEST_CASE("Aead key sizes (RFC 8446 B.4)", "[aead]") {
    CHECK(aead_key_size(AeadAlg::aes128_gcm) == 16);
    CHECK(aead_key_size(AeadAlg::aes256_gcm) == 32);
    CHECK(aead_key_size(AeadAlg::chacha20_poly1305) == 32);
    CHECK(aead_key_size(AeadAlg(7)) == 0);
}

TEST_CASE("Aead known answers: GCM spec test cases and RFC 8439", "[aead]") {
    auto kats = all_kats();
    REQUIRE(kats.size() >= 6);
    for (const auto& k : kats) {
        INFO(k.name);
        Aead aead;
        REQUIRE(aead.init(k.alg, k.key) == CryptoError::ok);
        Buf sealed(k.pt.size() + aead_tag_size);
        REQUIRE(aead.seal(fixed<12>(k.nonce), k.aad, k.pt, sealed) == CryptoError::ok);
        CHECK(hex(sealed) == hex(k.sealed));
        Buf opened(k.pt.size());
        REQUIRE(aead.open(fixed<12>(k.nonce), k.aad, k.sealed, opened) == CryptoError::ok);
        CHECK(hex(opened) == hex(k.pt));
        // In place both ways: the plaintext sits at the start of the record buffer.
        Buf record = k.pt;
        record.resize(k.pt.size() + aead_tag_size);
        REQUIRE(aead.seal(fixed<12>(k.nonce), k.aad, Bytes(record).first(k.pt.size()), record) == CryptoError::ok);
        CHECK(hex(record) == hex(k.sealed));
        REQUIRE(aead.open(fixed<12>(k.nonce), k.aad, record, record) == CryptoError::ok);
        CHECK(hex(Buf(record.begin(), record.begin() + std::ptrdiff_t(k.pt.size()))) == hex(k.pt));
    }
}

TEST_CASE("Aead round trip, in place equals out of place, lengths 0..300", "[aead]") {
    for (AeadAlg alg : all_algs) {
        Aead aead;
        REQUIRE(aead.init(alg, filler(aead_key_size(alg), 1)) == CryptoError::ok);
        const Buf nonce = filler(12, 2);
        for (std::size_t n = 0; n <= 300; n++) {
            INFO("alg " << int(alg) << " length " << n);
            Buf pt = filler(n, std::uint8_t(n)), aad = filler(n % 23, 3);
            Buf sealed(n + aead_tag_size);
            REQUIRE(aead.seal(fixed<12>(nonce), aad, pt, sealed) == CryptoError::ok);
            Buf record = pt;
            record.resize(n + aead_tag_size);
            REQUIRE(aead.seal(fixed<12>(nonce), aad, Bytes(record).first(n), record) == CryptoError::ok);
            CHECK(hex(record) == hex(sealed));
            Buf opened(n);
            REQUIRE(aead.open(fixed<12>(nonce), aad, sealed, opened) == CryptoError::ok);
            CHECK(hex(opened) == hex(pt));
            REQUIRE(aead.open(fixed<12>(nonce), aad, record, record) == CryptoError::ok);
            CHECK(hex(Buf(record.begin(), record.begin() + std::ptrdiff_t(n))) == hex(pt));
        }
    }
}

TEST_CASE("Aead rejects every single-bit flip, with zeroed output", "[aead]") {
    for (AeadAlg alg : all_algs) {
        INFO("alg " << int(alg));
        Aead aead;
        REQUIRE(aead.init(alg, filler(aead_key_size(alg), 4)) == CryptoError::ok);
        const Buf nonce = filler(12, 5), aad = filler(13, 6), pt = filler(37, 7);
        Buf sealed(pt.size() + aead_tag_size);
        REQUIRE(aead.seal(fixed<12>(nonce), aad, pt, sealed) == CryptoError::ok);
        auto rejected = [&](const Buf& n, const Buf& a, const Buf& s) {
            Buf out(s.size() - aead_tag_size, 0xaa);
            return aead.open(fixed<12>(n), a, s, out) == CryptoError::auth_failed && out == Buf(out.size(), 0);
        };
        auto flip = [](Buf b, std::size_t bit) { b[bit / 8] ^= std::uint8_t(1u << (bit % 8)); return b; };
        for (std::size_t bit = 0; bit < sealed.size() * 8; bit++)
            if (!rejected(nonce, aad, flip(sealed, bit))) FAIL("ciphertext||tag bit " << bit);
        for (std::size_t bit = 0; bit < aad.size() * 8; bit++)
            if (!rejected(nonce, flip(aad, bit), sealed)) FAIL("aad bit " << bit);
        for (std::size_t bit = 0; bit < nonce.size() * 8; bit++)
            if (!rejected(flip(nonce, bit), aad, sealed)) FAIL("nonce bit " << bit);
        CHECK(rejected(nonce, aad, Buf(sealed.begin() + 1, sealed.end())));
    }
}

TEST_CASE("Aead bad sizes give clean errors", "[aead]") {
    const Buf nonce(12), pt(20);
    Aead aead;
    Buf out(pt.size() + aead_tag_size);
    CHECK(aead.seal(fixed<12>(nonce), {}, pt, out) == CryptoError::bad_key_length);  // never keyed
    CHECK(aead.open(fixed<12>(nonce), {}, out, out) == CryptoError::bad_key_length);
    for (AeadAlg alg : all_algs) {
        INFO("alg " << int(alg));
        std::size_t ks = aead_key_size(alg);
        // 24 bytes (AES-192) is not a TLS 1.3 AEAD; 16 is wrong for the 32-byte algorithms.
        for (std::size_t n : {std::size_t(0), ks - 1, ks + 1, std::size_t(24)})
            CHECK(aead.init(alg, Buf(n)) == CryptoError::bad_key_length);
        if (ks == 32) CHECK(aead.init(alg, Buf(16)) == CryptoError::bad_key_length);
        CHECK(aead.seal(fixed<12>(nonce), {}, pt, out) == CryptoError::bad_key_length);  // a failed init unkeys
        REQUIRE(aead.init(alg, Buf(ks)) == CryptoError::ok);
        Buf small(pt.size() + aead_tag_size - 1);
        CHECK(aead.seal(fixed<12>(nonce), {}, pt, small) == CryptoError::buffer_too_small);
        Buf tiny(3);
        CHECK(aead.seal(fixed<12>(nonce), {}, pt, tiny) == CryptoError::buffer_too_small);
        REQUIRE(aead.seal(fixed<12>(nonce), {}, pt, out) == CryptoError::ok);
        Buf opened(pt.size() - 1);
        CHECK(aead.open(fixed<12>(nonce), {}, out, opened) == CryptoError::buffer_too_small);
        for (std::size_t n : {0u, 1u, 15u}) CHECK(aead.open(fixed<12>(nonce), {}, Buf(n), opened) == CryptoError::bad_tag_length);
        // Exactly a tag (empty ciphertext) is a well-formed record, here with the wrong tag.
        CHECK(aead.open(fixed<12>(nonce), {}, Buf(16), MutBytes()) == CryptoError::auth_failed);
    }
    CHECK(aead.init(AeadAlg(9), Buf(32)) == CryptoError::bad_key_length);
    CHECK(aead.seal(fixed<12>(nonce), {}, pt, out) == CryptoError::bad_key_length);
}
