// SPDX-License-Identifier: Apache-2.0
// Tests for SHA-1/SHA-2 (FIPS 180-4), HMAC (RFC 2104/4231) and HKDF (RFC 5869).
// Expected values come from vectors/*.json (NIST examples, RFC appendices, openssl CLI output);
// properties: split input == one-shot, AnyHash == concrete classes, contexts reusable after final,
// truncated/bit-flipped tags rejected, over-long HKDF output rejected without writing.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/hash/hash.hpp"
#include "crypto/hash/hkdf.hpp"
#include "crypto/hash/hmac.hpp"
#include "crypto/hash/sha1.hpp"
#include "crypto/hash/sha2.hpp"
#include "tests/support.hpp"

using namespace padlock;
using namespace padlock::test;
using json = nlohmann::json;

namespace {

// The test message of hash_lengths.json.
Buf pattern(std::size_t n) {
    Buf m(n);
    for (std::size_t i = 0; i < n; i++) m[i] = std::uint8_t(7 * i + 1);
    return m;
}

template <class H>
Buf digest_of(Bytes data) {
    Buf out(H::digest_size);
    H::hash(data, std::span<std::uint8_t, H::digest_size>(out.data(), H::digest_size));
    return out;
}

// The concrete class for a run-time algorithm (to test the classes, not only AnyHash).
Buf concrete_digest(HashAlg alg, Bytes data) {
    switch (alg) {
    case HashAlg::sha1: return digest_of<Sha1>(data);
    case HashAlg::sha224: return digest_of<Sha224>(data);
    case HashAlg::sha256: return digest_of<Sha256>(data);
    case HashAlg::sha384: return digest_of<Sha384>(data);
    case HashAlg::sha512: return digest_of<Sha512>(data);
    }
    return {};
}

Buf any_digest(HashAlg alg, Bytes data) {
    Buf out(hash_size(alg));
    REQUIRE(hash(alg, data, out) == CryptoError::ok);
    return out;
}

}  // namespace

TEST_CASE("FIPS 180-4 example messages", "[hash][kat]") {
    json kat = load_kat("fips180.json");
    REQUIRE(kat["cases"].size() == 25);
    for (const auto& c : kat["cases"]) {
        HashAlg alg = hash_alg_named(c["alg"]);
        std::string text = c["ascii"];
        std::size_t repeat = c["repeat"];
        std::string want = c["digest"];
        INFO(c["alg"].get<std::string>() << " of " << c["message"].get<std::string>());
        Buf msg;
        for (std::size_t i = 0; i < repeat; i++) msg.insert(msg.end(), text.begin(), text.end());
        CHECK(hex(concrete_digest(alg, msg)) == want);
        CHECK(hex(any_digest(alg, msg)) == want);
        // Streamed in uneven pieces (1, 2, 3, ... bytes) through one context.
        AnyHash ctx(alg);
        std::size_t pos = 0;
        for (std::size_t step = 1; pos < msg.size(); step = step % 997 + 1) {
            std::size_t n = std::min(step, msg.size() - pos);
            ctx.update(Bytes(msg).subspan(pos, n));
            pos += n;
        }
        Buf got(ctx.size());
        REQUIRE(ctx.final(got) == CryptoError::ok);
        CHECK(hex(got) == want);
    }
}

TEST_CASE("digests at the padding boundaries", "[hash][kat]") {
    json kat = load_kat("hash_lengths.json");
    for (const auto& c : kat["cases"]) {
        HashAlg alg = hash_alg_named(c["alg"]);
        std::size_t n = c["length"];
        INFO(c["alg"].get<std::string>() << " of " << n << " bytes");
        Buf msg = pattern(n);
        CHECK(hex(concrete_digest(alg, msg)) == c["digest"].get<std::string>());
        CHECK(hex(any_digest(alg, msg)) == c["digest"].get<std::string>());
    }
}

TEMPLATE_TEST_CASE("split input equals one-shot", "[hash][property]", Sha1, Sha224, Sha256, Sha384, Sha512) {
    using H = TestType;
    const Buf msg = pattern(300);
    const Buf want = digest_of<H>(msg);
    Buf got(H::digest_size);
    H ctx;
    for (std::size_t split = 0; split <= msg.size(); split++) {
        ctx.update(Bytes(msg).first(split));
        ctx.update(Bytes(msg).subspan(split));
        ctx.final(fixed<H::digest_size>(got));   // final() re-initialises, so the same context is reused
        INFO("split at " << split);
        REQUIRE(hex(got) == hex(want));
    }
    for (std::uint8_t byte : msg) ctx.update(Bytes(&byte, 1));
    ctx.final(fixed<H::digest_size>(got));
    CHECK(hex(got) == hex(want));
    // Three pieces with an empty update in the middle.
    ctx.update(Bytes(msg).first(100));
    ctx.update(Bytes());
    ctx.update(Bytes(msg).subspan(100, 150));
    ctx.update(Bytes(msg).subspan(250));
    ctx.final(fixed<H::digest_size>(got));
    CHECK(hex(got) == hex(want));
}

TEST_CASE("AnyHash equals the concrete classes", "[hash][property]") {
    for (HashAlg alg : {HashAlg::sha1, HashAlg::sha224, HashAlg::sha256, HashAlg::sha384, HashAlg::sha512}) {
        AnyHash ctx(alg);
        CHECK(ctx.alg() == alg);
        CHECK(ctx.size() == hash_size(alg));
        CHECK(hash_size(alg) <= max_digest_size);
        CHECK(hash_block_size(alg) <= max_block_size);
        for (std::size_t n = 0; n <= 300; n += 13) {
            Buf msg = pattern(n);
            ctx.update(msg);
            Buf got(ctx.size());
            REQUIRE(ctx.final(got) == CryptoError::ok);
            INFO("alg " << int(alg) << ", " << n << " bytes");
            CHECK(hex(got) == hex(concrete_digest(alg, msg)));
        }
    }
}

TEST_CASE("AnyHash refuses an output buffer of the wrong size and writes nothing", "[hash]") {
    for (HashAlg alg : {HashAlg::sha1, HashAlg::sha224, HashAlg::sha256, HashAlg::sha384, HashAlg::sha512}) {
        const std::size_t n = hash_size(alg);
        const Buf msg = pattern(10);
        for (std::size_t len : {std::size_t(0), n - 1, n + 1, std::size_t(70)}) {
            INFO("alg " << int(alg) << ", buffer " << len << " for a " << n << "-byte digest");
            Buf buf(len, 0xee);
            CHECK(hash(alg, msg, buf) == CryptoError::bad_output_length);
            for (std::uint8_t b : buf) CHECK(b == 0xee);
            // The context refuses too, keeps its state, and still gives the right digest after.
            AnyHash ctx(alg);
            ctx.update(msg);
            CHECK(ctx.final(buf) == CryptoError::bad_output_length);
            for (std::uint8_t b : buf) CHECK(b == 0xee);
            Buf got(n);
            REQUIRE(ctx.final(got) == CryptoError::ok);
            CHECK(hex(got) == hex(concrete_digest(alg, msg)));
        }
    }
}

namespace {

template <class H>
Buf hmac_of(Bytes key, Bytes msg) {
    Buf out(H::digest_size);
    hmac<H>(key, msg, fixed<H::digest_size>(out));
    return out;
}

Buf hmac_concrete(HashAlg alg, Bytes key, Bytes msg) {
    switch (alg) {
    case HashAlg::sha1: return hmac_of<Sha1>(key, msg);
    case HashAlg::sha224: return hmac_of<Sha224>(key, msg);
    case HashAlg::sha256: return hmac_of<Sha256>(key, msg);
    case HashAlg::sha384: return hmac_of<Sha384>(key, msg);
    case HashAlg::sha512: return hmac_of<Sha512>(key, msg);
    }
    return {};
}

}  // namespace

TEST_CASE("HMAC: RFC 4231 test cases 1-7", "[hmac][kat]") {
    json kat = load_kat("rfc4231.json");
    REQUIRE(kat["cases"].size() == 28);
    for (const auto& c : kat["cases"]) {
        HashAlg alg = hash_alg_named(c["alg"]);
        Buf key = unhex(c["key"]), data = unhex(c["data"]), want = unhex(c["mac"]);
        INFO("test case " << c["test_case"].get<int>() << " " << c["alg"].get<std::string>());
        Buf tag = hmac_concrete(alg, key, data);
        // Case 5 publishes only the leading 128 bits (RFC 4231 §4.6).
        CHECK(hex(Bytes(tag).first(want.size())) == hex(want));
        Buf tag2(hash_size(alg));
        CHECK(hmac(alg, key, data, tag2) == CryptoError::ok);
        CHECK(hex(tag2) == hex(tag));
        CHECK(hmac_verify(alg, key, data, want) == CryptoError::ok);
        // Every single-bit flip of the tag is rejected.
        for (std::size_t bit = 0; bit < want.size() * 8; bit++) {
            Buf bad = want;
            bad[bit / 8] ^= std::uint8_t(1u << (bit % 8));
            INFO("bit " << bit);
            REQUIRE(hmac_verify(alg, key, data, bad) == CryptoError::auth_failed);
        }
    }
}

TEST_CASE("HMAC: streaming, reuse after final, bad sizes", "[hmac][property]") {
    const Buf key = pattern(40), msg = pattern(333);
    const Buf want = hmac_of<Sha256>(key, msg);
    Hmac<Sha256> mac(key);
    Buf got(32);
    for (std::size_t split = 0; split <= msg.size(); split += 7) {
        mac.update(Bytes(msg).first(split));
        mac.update(Bytes(msg).subspan(split));
        mac.final(fixed<Sha256::digest_size>(got));   // leaves the context keyed for the next message
        INFO("split at " << split);
        REQUIRE(hex(got) == hex(want));
    }
    // Keys of length 0, block size, block size + 1 (hashed first, RFC 2104 §2).
    for (std::size_t klen : {0u, 64u, 65u, 128u, 129u}) {
        Buf k = pattern(klen);
        for (HashAlg alg : {HashAlg::sha1, HashAlg::sha256, HashAlg::sha384, HashAlg::sha512}) {
            Buf t(hash_size(alg));
            CHECK(hmac(alg, k, msg, t) == CryptoError::ok);
            CHECK(hex(t) == hex(hmac_concrete(alg, k, msg)));
        }
    }
    Buf small(31), big(33);
    CHECK(hmac(HashAlg::sha256, key, msg, small) == CryptoError::bad_tag_length);
    CHECK(hmac(HashAlg::sha256, key, msg, big) == CryptoError::bad_tag_length);
    CHECK(hmac_verify(HashAlg::sha256, key, msg, Bytes()) == CryptoError::bad_tag_length);
    Buf longer = want;
    longer.push_back(0);
    CHECK(hmac_verify(HashAlg::sha256, key, msg, longer) == CryptoError::bad_tag_length);
    CHECK(hmac_verify(HashAlg::sha256, key, msg, Bytes(want).first(10)) == CryptoError::ok);
    // Below the 80-bit floor of RFC 2104 §5 a truncated tag is refused, even when it matches:
    // a peer could otherwise send one byte and pass with probability 1/256.
    for (std::size_t n = 1; n < hmac_min_tag_size; n++) {
        INFO("tag of " << n << " bytes");
        CHECK(hmac_verify(HashAlg::sha256, key, msg, Bytes(want).first(n)) == CryptoError::bad_tag_length);
    }
}

namespace {

template <class H>
void check_hkdf_case(const json& c) {
    Buf ikm = unhex(c["ikm"]), info = unhex(c["info"]);
    Buf salt = c["salt"].is_null() ? Buf() : unhex(c["salt"]);
    std::size_t length = c["length"];
    Buf prk(H::digest_size);
    hkdf_extract<H>(salt, ikm, fixed<H::digest_size>(prk));
    CHECK(hex(prk) == c["prk"].get<std::string>());
    Buf okm(length);
    CHECK(hkdf_expand<H>(prk, info, okm) == CryptoError::ok);
    CHECK(hex(okm) == c["okm"].get<std::string>());
    Buf okm2(length);
    CHECK(hkdf<H>(salt, ikm, info, okm2) == CryptoError::ok);
    CHECK(hex(okm2) == c["okm"].get<std::string>());
    // A prefix of the output is the output for a shorter length.
    Buf okm3(length - 5);
    CHECK(hkdf<H>(salt, ikm, info, okm3) == CryptoError::ok);
    CHECK(hex(okm3) == hex(Bytes(okm).first(length - 5)));
}

}  // namespace

TEST_CASE("HKDF: RFC 5869 test cases 1-7", "[hkdf][kat]") {
    json kat = load_kat("rfc5869.json");
    REQUIRE(kat["cases"].size() == 7);
    for (const auto& c : kat["cases"]) {
        INFO("test case " << c["test_case"].get<int>());
        HashAlg alg = hash_alg_named(c["alg"]);
        if (alg == HashAlg::sha256) check_hkdf_case<Sha256>(c);
        else check_hkdf_case<Sha1>(c);
        // The run-time variants.
        Buf ikm = unhex(c["ikm"]), info = unhex(c["info"]);
        Buf salt = c["salt"].is_null() ? Buf() : unhex(c["salt"]);
        Buf prk(hash_size(alg)), okm(c["length"].get<std::size_t>()), okm2(okm.size());
        CHECK(hkdf_extract(alg, salt, ikm, prk) == CryptoError::ok);
        CHECK(hex(prk) == c["prk"].get<std::string>());
        CHECK(hkdf_expand(alg, prk, info, okm) == CryptoError::ok);
        CHECK(hex(okm) == c["okm"].get<std::string>());
        CHECK(hkdf(alg, salt, ikm, info, okm2) == CryptoError::ok);
        CHECK(hex(okm2) == c["okm"].get<std::string>());
    }
}

TEMPLATE_TEST_CASE("HKDF-Expand output limit is 255 * HashLen", "[hkdf][property]", Sha1, Sha256, Sha384, Sha512) {
    using H = TestType;
    const Buf prk = pattern(H::digest_size);
    const Bytes info = text("limit");
    Buf max_out(255 * H::digest_size);
    CHECK(hkdf_expand<H>(prk, info, max_out) == CryptoError::ok);
    Buf too_long(255 * H::digest_size + 1, 0xee);
    CHECK(hkdf_expand<H>(prk, info, too_long) == CryptoError::output_too_long);
    for (std::uint8_t b : too_long) REQUIRE(b == 0xee);   // nothing written on failure
    CHECK(hkdf<H>(Bytes(), prk, info, too_long) == CryptoError::output_too_long);
    Buf empty;
    CHECK(hkdf_expand<H>(prk, info, empty) == CryptoError::ok);
    // The last block of the maximal output is T(255); a shorter request is its prefix.
    Buf shorter(254 * H::digest_size + 3);
    CHECK(hkdf_expand<H>(prk, info, shorter) == CryptoError::ok);
    CHECK(hex(shorter) == hex(Bytes(max_out).first(shorter.size())));
}

TEST_CASE("HKDF run-time variants reject bad sizes", "[hkdf]") {
    Buf prk(31);
    CHECK(hkdf_extract(HashAlg::sha256, Bytes(), pattern(10), prk) == CryptoError::buffer_too_small);
    Buf out(255 * 48 + 1);
    CHECK(hkdf_expand(HashAlg::sha384, pattern(48), Bytes(), out) == CryptoError::output_too_long);
    CHECK(hkdf(HashAlg::sha384, Bytes(), pattern(48), Bytes(), out) == CryptoError::output_too_long);
}
