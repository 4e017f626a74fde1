// SPDX-License-Identifier: Apache-2.0
// AES (FIPS 197) and AES-GCM (SP 800-38D): known answers from FIPS 197 Appendix C, the GCM
// specification's Test Cases 1-18 and long messages computed with OpenSSL (vectors/*.json), the S-box
// circuit against its definition, and properties: in place == out of place, split == one shot,
// every bit flip rejected, clean errors.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/symmetric/aes.hpp"
#include "crypto/symmetric/gcm.hpp"
#include "tests/support.hpp"

using namespace padlock;
using namespace padlock::test;

namespace {

// The inputs of aes_gcm_long.json are pattern(n, seed): the file was computed with this formula.
Buf pattern(std::size_t n, std::uint8_t seed) {
    Buf b(n);
    for (std::size_t i = 0; i < n; i++) b[i] = std::uint8_t(seed + 31 * i + (i >> 3));
    return b;
}
bool all_zero(const Buf& b) {
    for (auto v : b)
        if (v != 0) return false;
    return true;
}

// The S-box from its definition (FIPS 197 §5.1.1): the inverse in GF(2^8) (x^254), then the affine map.
std::uint8_t gf_mul(std::uint8_t a, std::uint8_t b) {
    std::uint8_t r = 0;
    for (int i = 0; i < 8; i++) {
        if (b & 1) r ^= a;
        a = std::uint8_t((a << 1) ^ ((a & 0x80) ? 0x1B : 0));
        b >>= 1;
    }
    return r;
}
std::uint8_t sbox_reference(std::uint8_t x) {
    std::uint8_t inv = 1;
    for (int i = 0; i < 254; i++) inv = gf_mul(inv, x);
    std::uint8_t s = 0x63;
    for (int i = 0; i < 5; i++) s ^= std::uint8_t((inv << i) | (inv >> ((8 - i) & 7)));
    return s;
}

struct GcmCase {
    std::string name;
    Buf key, plaintext, aad, iv, ciphertext, tag;
};
std::vector<GcmCase> gcm_cases() {
    std::vector<GcmCase> cases;
    const auto file = load_kat("gcm_spec.json");
    for (const auto& t : file["tests"])
        cases.push_back({t["name"], unhex(t["key"]), unhex(t["plaintext"]), unhex(t["aad"]), unhex(t["iv"]),
                         unhex(t["ciphertext"]), unhex(t["tag"])});
    REQUIRE(cases.size() == 18);
    return cases;
}

}  // namespace

TEST_CASE("AES S-box circuit matches the FIPS 197 definition for all 256 inputs", "[aes]") {
    for (int base = 0; base < 256; base += 64) {
        std::uint8_t block[64];
        for (int i = 0; i < 64; i++) block[i] = std::uint8_t(base + i);
        aes_detail::sub_bytes(block);
        for (int i = 0; i < 64; i++) {
            INFO("input " << base + i);
            CHECK(int(block[i]) == int(sbox_reference(std::uint8_t(base + i))));
        }
    }
}

TEST_CASE("AES FIPS 197 Appendix C examples", "[aes]") {
    const auto file = load_kat("fips197.json");
    REQUIRE(file["tests"].size() == 3);
    for (const auto& t : file["tests"]) {
        INFO(t["name"].get<std::string>());
        Aes aes;
        REQUIRE(aes.init(unhex(t["key"])) == CryptoError::ok);
        const Buf pt = unhex(t["plaintext"]);
        Buf ct(16);
        REQUIRE(aes.encrypt_blocks(pt, ct) == CryptoError::ok);
        CHECK(hex(ct) == t["ciphertext"].get<std::string>());
        Buf in_place = pt;
        REQUIRE(aes.encrypt_blocks(in_place, in_place) == CryptoError::ok);
        CHECK(hex(in_place) == hex(ct));
        // The same block in every slot of a multi-block call (1..9 blocks: partial and full groups).
        for (std::size_t n = 1; n <= 9; n++) {
            Buf many, out(16 * n);
            for (std::size_t i = 0; i < n; i++) many.insert(many.end(), pt.begin(), pt.end());
            REQUIRE(aes.encrypt_blocks(many, out) == CryptoError::ok);
            for (std::size_t i = 0; i < n; i++) CHECK(hex(Buf(out.begin() + 16 * i, out.begin() + 16 * (i + 1))) == hex(ct));
        }
    }
}

TEST_CASE("AES rejects bad sizes cleanly", "[aes]") {
    Aes aes;
    for (std::size_t n : {0, 1, 15, 17, 23, 25, 31, 33, 64}) {
        Buf key(n, 7);
        CHECK(aes.init(key) == CryptoError::bad_key_length);
        CHECK_FALSE(aes.has_key());
    }
    Buf block(16), out(16);
    CHECK(aes.encrypt_blocks(block, out) == CryptoError::bad_input_length);  // unkeyed
    REQUIRE(aes.init(Buf(16, 1)) == CryptoError::ok);
    Buf odd(15), odd_out(15), big(32);
    CHECK(aes.encrypt_blocks(odd, odd_out) == CryptoError::bad_input_length);
    CHECK(aes.encrypt_blocks(block, big) == CryptoError::bad_input_length);
    std::uint8_t counter[16] = {};
    CHECK(aes.ctr32_xor(counter, block, big) == CryptoError::bad_input_length);
}

TEST_CASE("AES CTR: inc32 wraps in the last 4 bytes, split == one shot", "[aes]") {
    for (std::size_t key_size : {16, 24, 32}) {
        Aes aes;
        REQUIRE(aes.init(pattern(key_size, 3)) == CryptoError::ok);
        std::uint8_t start[16];
        for (int i = 0; i < 16; i++) start[i] = std::uint8_t(0xA0 + i);
        start[12] = start[13] = start[14] = 0xFF;
        start[15] = 0xFD;  // wraps to 00000000 after three blocks
        const std::size_t blocks = 11;
        // Expected keystream from explicit counter blocks (SP 800-38D §6.2: only the low 32 bits count).
        Buf counters;
        for (std::size_t i = 0; i < blocks; i++) {
            std::uint8_t c[16];
            std::copy(start, start + 16, c);
            const std::uint32_t low = 0xFFFFFFFDu + std::uint32_t(i);
            c[12] = std::uint8_t(low >> 24); c[13] = std::uint8_t(low >> 16); c[14] = std::uint8_t(low >> 8); c[15] = std::uint8_t(low);
            counters.insert(counters.end(), c, c + 16);
        }
        Buf keystream(counters.size());
        REQUIRE(aes.encrypt_blocks(counters, keystream) == CryptoError::ok);

        const Buf msg = pattern(16 * blocks, 9);
        Buf expected(msg.size());
        for (std::size_t i = 0; i < msg.size(); i++) expected[i] = msg[i] ^ keystream[i];

        std::uint8_t counter[16];
        std::copy(start, start + 16, counter);
        Buf one_shot(msg.size());
        REQUIRE(aes.ctr32_xor(counter, msg, one_shot) == CryptoError::ok);
        CHECK(hex(one_shot) == hex(expected));
        CHECK(counter[15] == std::uint8_t(0xFD + blocks));
        CHECK(counter[11] == start[11]);  // no carry out of the 32-bit counter

        for (std::size_t split = 0; split <= blocks; split++) {
            std::copy(start, start + 16, counter);
            Buf parts = msg;  // in place, in two pieces
            std::span<std::uint8_t> all(parts);
            REQUIRE(aes.ctr32_xor(counter, all.first(16 * split), all.first(16 * split)) == CryptoError::ok);
            REQUIRE(aes.ctr32_xor(counter, all.subspan(16 * split), all.subspan(16 * split)) == CryptoError::ok);
            INFO("split after block " << split);
            CHECK(hex(parts) == hex(expected));
        }
    }
}

TEST_CASE("AES-GCM specification test cases 1-18", "[gcm]") {
    for (const auto& t : gcm_cases()) {
        INFO(t.name);
        AesGcm gcm;
        REQUIRE(gcm.init(t.key) == CryptoError::ok);
        Buf ct(t.plaintext.size());
        std::uint8_t tag[16];
        REQUIRE(gcm.seal(t.iv, t.aad, t.plaintext, ct, tag) == CryptoError::ok);
        CHECK(hex(ct) == hex(t.ciphertext));
        CHECK(hex(Buf(tag, tag + 16)) == hex(t.tag));

        Buf pt(t.ciphertext.size());
        REQUIRE(gcm.open(t.iv, t.aad, t.ciphertext, t.tag, pt) == CryptoError::ok);
        CHECK(hex(pt) == hex(t.plaintext));

        // In place gives the same results as out of place.
        Buf buf = t.plaintext;
        std::uint8_t tag2[16];
        REQUIRE(gcm.seal(t.iv, t.aad, buf, buf, tag2) == CryptoError::ok);
        CHECK(hex(buf) == hex(t.ciphertext));
        CHECK(hex(Buf(tag2, tag2 + 16)) == hex(t.tag));
        REQUIRE(gcm.open(t.iv, t.aad, buf, t.tag, buf) == CryptoError::ok);
        CHECK(hex(buf) == hex(t.plaintext));
    }
}

TEST_CASE("AES-GCM long messages against OpenSSL (many 8-block passes, partial tails)", "[gcm]") {
    const auto file = load_kat("aes_gcm_long.json");
    REQUIRE(file["tests"].size() == 12);
    int index = 0;
    for (const auto& t : file["tests"]) {
        INFO(t["name"].get<std::string>());
        const Buf key = unhex(t["key"]), iv = unhex(t["iv"]), aad = unhex(t["aad"]);
        // The inputs are pattern(n, seed) with the seeds the file's description gives.
        CHECK(hex(key) == hex(pattern(key.size(), std::uint8_t(0x11 + index))));
        const Buf pt = pattern(t["plaintext_length"].get<std::size_t>(), std::uint8_t(t["plaintext_seed"].get<int>()));
        const Buf expected_ct = unhex(t["ciphertext"]), expected_tag = unhex(t["tag"]);
        index++;
        AesGcm gcm;
        REQUIRE(gcm.init(key) == CryptoError::ok);
        Buf ct(pt.size());
        std::uint8_t tag[16];
        REQUIRE(gcm.seal(iv, aad, pt, ct, tag) == CryptoError::ok);
        CHECK(hex(ct) == hex(expected_ct));
        CHECK(hex(Buf(tag, tag + 16)) == hex(expected_tag));
        Buf buf = pt;
        REQUIRE(gcm.seal(iv, aad, buf, buf, tag) == CryptoError::ok);
        CHECK(hex(buf) == hex(expected_ct));
        CHECK(hex(Buf(tag, tag + 16)) == hex(expected_tag));
        Buf back(pt.size());
        REQUIRE(gcm.open(iv, aad, expected_ct, expected_tag, back) == CryptoError::ok);
        CHECK(hex(back) == hex(pt));
        REQUIRE(gcm.open(iv, aad, buf, expected_tag, buf) == CryptoError::ok);
        CHECK(hex(buf) == hex(pt));
        Buf bad_tag = expected_tag;
        bad_tag[15] ^= 1;
        CHECK(gcm.open(iv, aad, expected_ct, bad_tag, back) == CryptoError::auth_failed);
        CHECK(all_zero(back));
    }
}

TEST_CASE("AES-GCM: every single-bit flip of ciphertext, tag, AAD or IV is rejected with zeroed output", "[gcm]") {
    const auto cases = gcm_cases();
    // Test Case 4 (96-bit IV), 6 (480-bit IV, hashed), 11 and 18 (64/480-bit IV with 192/256-bit keys).
    for (std::size_t index : {3, 5, 10, 17}) {
        const auto& t = cases[index];
        INFO(t.name);
        AesGcm gcm;
        REQUIRE(gcm.init(t.key) == CryptoError::ok);
        auto rejects = [&](const Buf& iv, const Buf& aad, const Buf& ct, const Buf& tag) {
            Buf out(ct.size(), 0xEE);
            const CryptoError e = gcm.open(iv, aad, ct, tag, out);
            Buf in_place = ct;
            const CryptoError e2 = gcm.open(iv, aad, in_place, tag, in_place);
            return e == CryptoError::auth_failed && all_zero(out) && e2 == CryptoError::auth_failed && all_zero(in_place);
        };
        for (std::size_t bit = 0; bit < 8 * t.ciphertext.size(); bit++) {
            Buf c = t.ciphertext;
            c[bit / 8] ^= std::uint8_t(1 << (bit % 8));
            INFO("ciphertext bit " << bit);
            CHECK(rejects(t.iv, t.aad, c, t.tag));
        }
        for (std::size_t bit = 0; bit < 128; bit++) {
            Buf tag = t.tag;
            tag[bit / 8] ^= std::uint8_t(1 << (bit % 8));
            INFO("tag bit " << bit);
            CHECK(rejects(t.iv, t.aad, t.ciphertext, tag));
        }
        for (std::size_t bit = 0; bit < 8 * t.aad.size(); bit++) {
            Buf aad = t.aad;
            aad[bit / 8] ^= std::uint8_t(1 << (bit % 8));
            INFO("aad bit " << bit);
            CHECK(rejects(t.iv, aad, t.ciphertext, t.tag));
        }
        for (std::size_t bit = 0; bit < 8 * t.iv.size(); bit++) {
            Buf iv = t.iv;
            iv[bit / 8] ^= std::uint8_t(1 << (bit % 8));
            INFO("iv bit " << bit);
            CHECK(rejects(iv, t.aad, t.ciphertext, t.tag));
        }
        // Truncated or extended ciphertext and AAD are rejected too.
        CHECK(rejects(t.iv, t.aad, Buf(t.ciphertext.begin(), t.ciphertext.end() - 1), t.tag));
        Buf longer = t.aad;
        longer.push_back(0);
        CHECK(rejects(t.iv, longer, t.ciphertext, t.tag));
    }
}

TEST_CASE("AES-GCM rejects bad sizes cleanly", "[gcm]") {
    AesGcm gcm;
    Buf pt(20, 1), out(20), iv(12, 2);
    std::uint8_t tag[16] = {};
    CHECK(gcm.seal(iv, {}, pt, out, tag) == CryptoError::bad_key_length);  // never keyed
    CHECK(gcm.open(iv, {}, pt, Buf(16), out) == CryptoError::bad_key_length);
    for (std::size_t n : {0, 8, 15, 17, 20, 31, 33, 48}) CHECK(gcm.init(Buf(n, 3)) == CryptoError::bad_key_length);
    CHECK(gcm.seal(iv, {}, pt, out, tag) == CryptoError::bad_key_length);  // failed init leaves it unkeyed

    REQUIRE(gcm.init(Buf(16, 3)) == CryptoError::ok);
    CHECK(gcm.seal({}, {}, pt, out, tag) == CryptoError::bad_nonce_length);
    CHECK(gcm.open({}, {}, pt, Buf(16), out) == CryptoError::bad_nonce_length);
    Buf short_out(19), long_out(21);
    CHECK(gcm.seal(iv, {}, pt, short_out, tag) == CryptoError::bad_input_length);
    CHECK(gcm.seal(iv, {}, pt, long_out, tag) == CryptoError::bad_input_length);
    REQUIRE(gcm.seal(iv, {}, pt, out, tag) == CryptoError::ok);
    for (std::size_t n : {0, 1, 12, 15, 17, 32}) CHECK(gcm.open(iv, {}, out, Buf(n), pt) == CryptoError::bad_tag_length);
    CHECK(gcm.open(iv, {}, out, Buf(tag, tag + 16), short_out) == CryptoError::bad_input_length);
}

TEST_CASE("AES-GCM round-trips messages of length 0..300 with IVs of many sizes", "[gcm]") {
    for (std::size_t key_size : {16, 24, 32}) {
        AesGcm gcm;
        REQUIRE(gcm.init(pattern(key_size, std::uint8_t(key_size))) == CryptoError::ok);
        for (std::size_t len = 0; len <= 300; len++) {
            INFO("key " << key_size << " length " << len);
            const Buf iv = pattern(1 + (len * 7) % 40, std::uint8_t(len));  // 1..40 Buf
            const Buf aad = pattern(len % 37, 5);
            const Buf pt = pattern(len, std::uint8_t(len + 1));
            Buf ct(len), back(len);
            std::uint8_t tag[16];
            REQUIRE(gcm.seal(iv, aad, pt, ct, tag) == CryptoError::ok);
            Buf in_place = pt;
            std::uint8_t tag2[16];
            REQUIRE(gcm.seal(iv, aad, in_place, in_place, tag2) == CryptoError::ok);
            CHECK(hex(in_place) == hex(ct));
            CHECK(hex(Buf(tag, tag + 16)) == hex(Buf(tag2, tag2 + 16)));
            REQUIRE(gcm.open(iv, aad, ct, Buf(tag, tag + 16), back) == CryptoError::ok);
            CHECK(hex(back) == hex(pt));
        }
    }
}
