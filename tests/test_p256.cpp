// SPDX-License-Identifier: Apache-2.0
// NIST P-256: ECDH (RFC 5903 §8.1), ECDSA with RFC 6979 nonces (RFC 6979 A.2.5), SEC 1 point
// decoding and validation, key generation, hedged signing, and rejection properties.
// Known answers come from vectors/rfc6979_p256.json (transcribed from the RFCs).
#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/detail/cpu_testing.hpp"
#include "crypto/ec/ecdsa.hpp"
#include "crypto/hash/hash.hpp"
#include "crypto/ec/p256.hpp"
#include "crypto/ec/detail/p256_curve.hpp"
#include "crypto/rng.hpp"
#include "tests/support.hpp"

using namespace padlock;
using namespace padlock::test;

namespace {

Buf cat(std::initializer_list<Buf> parts) {
    Buf out;
    for (const Buf& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

const nlohmann::json& kat() {
    static const nlohmann::json j = load_kat("rfc6979_p256.json");
    return j;
}

Buf field(const nlohmann::json& j, const char* name) { return unhex(j.at(name).get<std::string>()); }

Buf digest_of(HashAlg alg, const std::string& message) {
    Buf d(hash_size(alg));
    REQUIRE(hash(alg, text(message), d) == padlock::CryptoError::ok);
    return d;
}

// Big-endian n - a for 32-byte a (a < n): the other valid s of an ECDSA signature.
Buf n_minus(const Buf& a) {
    Buf n = unhex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
    Buf r(32);
    int borrow = 0;
    for (int i = 31; i >= 0; i--) {
        int d = int(n[i]) - int(a[i]) - borrow;
        borrow = d < 0;
        r[i] = std::uint8_t(d + (borrow ? 256 : 0));
    }
    return r;
}

// A deterministic Rng for tests: repeats a byte pattern, or fails.
struct FixedRng {
    Buf pattern;
    bool fail = false;
    std::size_t calls = 0;
    static CryptoError fill(void* ctx, MutBytes out) {
        auto* self = static_cast<FixedRng*>(ctx);
        self->calls++;
        if (self->fail) return CryptoError::rng_failure;
        for (std::size_t i = 0; i < out.size(); i++) out[i] = self->pattern[i % self->pattern.size()];
        return CryptoError::ok;
    }
    Rng rng() { return Rng{&FixedRng::fill, this}; }
};

const std::string n_hex = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
const std::string p_hex = "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff";

}  // namespace

TEST_CASE("RFC 5903 §8.1 ECDH P-256 known answer", "[p256][ecdh]") {
    const auto& v = kat().at("rfc5903_ecdh");
    Buf i = field(v, "i"), r = field(v, "r");
    Buf gi = cat({{0x04}, field(v, "gix"), field(v, "giy")});
    Buf gr = cat({{0x04}, field(v, "grx"), field(v, "gry")});

    std::array<std::uint8_t, 65> pub{};
    REQUIRE(p256_public_from_private(fixed<32>(i), pub) == CryptoError::ok);
    CHECK(hex(pub) == hex(gi));
    REQUIRE(p256_public_from_private(fixed<32>(r), pub) == CryptoError::ok);
    CHECK(hex(pub) == hex(gr));

    std::array<std::uint8_t, 32> z1{}, z2{};
    REQUIRE(p256_ecdh(fixed<32>(i), gr, z1) == CryptoError::ok);
    REQUIRE(p256_ecdh(fixed<32>(r), gi, z2) == CryptoError::ok);
    CHECK(hex(z1) == hex(field(v, "girx")));
    CHECK(hex(z2) == hex(field(v, "girx")));

    // The same peer point given compressed (gry is odd: prefix 03).
    Buf gr_compressed = cat({{0x03}, field(v, "grx")});
    REQUIRE(p256_ecdh(fixed<32>(i), gr_compressed, z1) == CryptoError::ok);
    CHECK(hex(z1) == hex(field(v, "girx")));
}

TEST_CASE("Public keys of the edge scalars 1, 2 and n-1", "[p256][keygen]") {
    // G from SP 800-186 §3.2.1.3 (also `openssl ecparam -name prime256v1 -param_enc explicit`);
    // -G = (Gx, p - Gy) with p - Gy computed with Python.
    const std::string gx = "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296";
    const std::string gy = "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5";
    const std::string neg_gy = "b01cbd1c01e58065711814b583f061e9d431cca994cea1313449bf97c840ae0a";
    std::array<std::uint8_t, 65> pub{};
    Buf one(32, 0), n_minus_1 = unhex(n_hex);
    one[31] = 1;
    n_minus_1[31]--;
    REQUIRE(p256_public_from_private(fixed<32>(one), pub) == CryptoError::ok);
    CHECK(hex(pub) == "04" + gx + gy);
    REQUIRE(p256_public_from_private(fixed<32>(n_minus_1), pub) == CryptoError::ok);
    CHECK(hex(pub) == "04" + gx + neg_gy);
    // 1·G through the variable-base path (ECDH) agrees with the fixed-base table.
    std::array<std::uint8_t, 32> z{};
    REQUIRE(p256_ecdh(fixed<32>(one), unhex("04" + gx + gy), z) == CryptoError::ok);
    CHECK(hex(z) == gx);
    // d·G via ECDH with peer G equals the fixed-base public key, for a spread of d.
    for (int i = 0; i < 16; i++) {
        Buf d(32, 0);
        for (int j = 0; j < 32; j++) d[j] = std::uint8_t(0x11 * i + 7 * j);
        if (i == 15) d = n_minus(one);  // n - 1 via the helper, another route
        REQUIRE(p256_public_from_private(fixed<32>(d), pub) == CryptoError::ok);
        REQUIRE(p256_ecdh(fixed<32>(d), unhex("04" + gx + gy), z) == CryptoError::ok);
        INFO("d = " << hex(d));
        CHECK(hex(z) == hex(std::span(pub).subspan(1, 32)));
    }
    Buf zero(32, 0);
    CHECK(p256_public_from_private(fixed<32>(zero), pub) == CryptoError::invalid_scalar);
    CHECK(p256_public_from_private(fixed<32>(unhex(n_hex)), pub) == CryptoError::invalid_scalar);
}

TEST_CASE("ECDH private key range and edge scalars", "[p256][ecdh]") {
    const auto& v = kat().at("rfc5903_ecdh");
    Buf gr = cat({{0x04}, field(v, "grx"), field(v, "gry")});
    std::array<std::uint8_t, 32> z{};
    Buf zero(32, 0), n = unhex(n_hex), n_plus_1 = n, ones(32, 0xff);
    n_plus_1[31]++;
    CHECK(p256_ecdh(fixed<32>(zero), gr, z) == CryptoError::invalid_scalar);
    CHECK(p256_ecdh(fixed<32>(n), gr, z) == CryptoError::invalid_scalar);
    CHECK(p256_ecdh(fixed<32>(n_plus_1), gr, z) == CryptoError::invalid_scalar);
    CHECK(p256_ecdh(fixed<32>(ones), gr, z) == CryptoError::invalid_scalar);
    // 1·Q and (n-1)·Q = -Q share Q's x-coordinate.
    Buf one(32, 0), n_minus_1 = n;
    one[31] = 1;
    n_minus_1[31]--;
    REQUIRE(p256_ecdh(fixed<32>(one), gr, z) == CryptoError::ok);
    CHECK(hex(z) == hex(field(v, "grx")));
    REQUIRE(p256_ecdh(fixed<32>(n_minus_1), gr, z) == CryptoError::ok);
    CHECK(hex(z) == hex(field(v, "grx")));
    // A bad peer point is reported before the scalar is used.
    Buf bad = gr;
    bad[64] ^= 1;
    CHECK(p256_ecdh(fixed<32>(one), bad, z) == CryptoError::invalid_point);
}

TEST_CASE("SEC 1 point decoding: compressed and uncompressed", "[p256][point]") {
    const auto& k = kat().at("rfc6979");
    Buf ux = field(k, "public_x"), uy = field(k, "public_y");
    Buf uncompressed = cat({{0x04}, ux, uy});
    std::array<std::uint8_t, 65> out{};
    std::array<std::uint8_t, 33> compressed{};

    REQUIRE(p256_decode_point(uncompressed, out) == CryptoError::ok);
    CHECK(hex(out) == hex(uncompressed));
    // Uy is odd, so the compressed form is 03 || Ux (SEC 1 §2.3.3).
    Buf c03 = cat({{0x03}, ux});
    REQUIRE(p256_decode_point(c03, out) == CryptoError::ok);
    CHECK(hex(out) == hex(uncompressed));
    REQUIRE(p256_compress_point(uncompressed, compressed) == CryptoError::ok);
    CHECK(hex(compressed) == hex(c03));

    // The RFC 5903 shared point has an even y: 02 || x.
    const auto& e = kat().at("rfc5903_ecdh");
    Buf c02 = cat({{0x02}, field(e, "girx")});
    REQUIRE(p256_decode_point(c02, out) == CryptoError::ok);
    CHECK(hex(out) == hex(cat({{0x04}, field(e, "girx"), field(e, "giry")})));

    // x = 5 is on the curve; both square roots of x^3 - 3x + b, computed independently with
    // Python (pow(rhs, (p+1)/4, p)): the even one ...fbcc and the odd one ...0433.
    Buf x5(32, 0);
    x5[31] = 5;
    REQUIRE(p256_decode_point(cat({{0x02}, x5}), out) == CryptoError::ok);
    CHECK(hex(std::span(out).subspan(33)) == "459243b9aa581806fe913bce99817ade11ca503c64d9a3c533415c083248fbcc");
    REQUIRE(p256_decode_point(cat({{0x03}, x5}), out) == CryptoError::ok);
    CHECK(hex(std::span(out).subspan(33)) == "ba6dbc4555a7e7fa016ec431667e8521ee35afc49b265c3accbea3f7cdb70433");
}

TEST_CASE("SEC 1 point validation rejects bad points", "[p256][point]") {
    const auto& k = kat().at("rfc6979");
    Buf ux = field(k, "public_x"), uy = field(k, "public_y");
    Buf good = cat({{0x04}, ux, uy});
    std::array<std::uint8_t, 65> out{};
    auto rejects = [&](const Buf& enc) { return p256_decode_point(enc, out) == CryptoError::invalid_point; };

    SECTION("off the curve: every single-bit flip of x or y") {
        for (std::size_t bit = 8; bit < 65 * 8; bit++) {
            Buf bad = good;
            bad[bit / 8] ^= std::uint8_t(0x80 >> (bit % 8));
            INFO("bit " << bit);
            CHECK(rejects(bad));
        }
    }
    SECTION("coordinates not below p") {
        Buf p = unhex(p_hex), ones(32, 0xff);
        CHECK(rejects(cat({{0x04}, p, uy})));
        CHECK(rejects(cat({{0x04}, ux, p})));
        CHECK(rejects(cat({{0x04}, ones, uy})));
        CHECK(rejects(cat({{0x02}, p})));
        CHECK(rejects(cat({{0x03}, ones})));
    }
    SECTION("x with no point (x^3 - 3x + b is a non-square for x = 1; checked with Python)") {
        Buf x1(32, 0);
        x1[31] = 1;
        CHECK(rejects(cat({{0x02}, x1})));
        CHECK(rejects(cat({{0x03}, x1})));
    }
    SECTION("the point at infinity and its stand-ins") {
        CHECK(rejects(Buf{0x00}));
        CHECK(rejects(cat({{0x04}, Buf(64, 0)})));
        // Whereas 02 || 0...0 is a real point: x = 0 is on the curve (checked with Python).
        CHECK_FALSE(rejects(cat({{0x02}, Buf(32, 0)})));
    }
    SECTION("wrong prefix or length") {
        for (int prefix : {0x00, 0x01, 0x05, 0x06, 0x07, 0xff}) {
            Buf bad = good;
            bad[0] = std::uint8_t(prefix);
            CHECK(rejects(bad));
        }
        CHECK(rejects(Buf{}));
        CHECK(rejects(Buf(good.begin(), good.end() - 1)));
        CHECK(rejects(cat({good, {0x00}})));
        CHECK(rejects(Buf(good.begin() + 1, good.end())));  // 64 raw bytes
        CHECK(rejects(cat({{0x04}, ux})));                   // compressed length, uncompressed prefix
        CHECK(rejects(cat({{0x03}, ux, uy})));               // uncompressed length, compressed prefix
        CHECK(rejects(cat({{0x03}, ux, {0x00}})));
    }
}

TEST_CASE("RFC 6979 A.2.5 deterministic ECDSA P-256", "[p256][ecdsa]") {
    const auto& k = kat().at("rfc6979");
    Buf priv = field(k, "private");
    Buf pub = cat({{0x04}, field(k, "public_x"), field(k, "public_y")});
    std::array<std::uint8_t, 65> derived{};
    REQUIRE(p256_public_from_private(fixed<32>(priv), derived) == CryptoError::ok);
    CHECK(hex(derived) == hex(pub));

    for (const auto& sig : k.at("signatures")) {
        std::string hash_name = sig.at("hash"), message = sig.at("message");
        INFO(hash_name << " \"" << message << "\"");
        HashAlg alg = hash_alg_named(hash_name);
        Buf digest = digest_of(alg, message);
        Buf expected = cat({field(sig, "r"), field(sig, "s")});

        std::array<std::uint8_t, 64> out{};
        REQUIRE(ecdsa_p256_sign_digest(fixed<32>(priv), alg, digest, out) == CryptoError::ok);
        CHECK(hex(out) == hex(expected));
        // The message-level call hashes and signs the same way.
        std::array<std::uint8_t, 64> out2{};
        const Bytes msg = text(message);
        REQUIRE(ecdsa_p256_sign(fixed<32>(priv), alg, msg, out2) == CryptoError::ok);
        CHECK(hex(out2) == hex(expected));

        CHECK(ecdsa_p256_verify_digest_p1363(pub, digest, expected) == CryptoError::ok);
        CHECK(ecdsa_p256_verify(pub, alg, msg, expected) == CryptoError::ok);
        CHECK(ecdsa_p256_verify_digest(pub, digest, field(sig, "r"), field(sig, "s")) == CryptoError::ok);
        // (r, n - s) is the other valid signature; FIPS 186-5 verification accepts both.
        CHECK(ecdsa_p256_verify_digest(pub, digest, field(sig, "r"), n_minus(field(sig, "s"))) == CryptoError::ok);
        // Compressed public key works the same.
        Buf compressed = cat({{std::uint8_t(0x02 | (pub[64] & 1))}, field(k, "public_x")});
        CHECK(ecdsa_p256_verify_digest_p1363(compressed, digest, expected) == CryptoError::ok);
    }
}

TEST_CASE("ECDSA: every single-bit flip of signature or digest is rejected", "[p256][ecdsa]") {
    const auto& k = kat().at("rfc6979");
    Buf priv = field(k, "private");
    Buf pub = cat({{0x04}, field(k, "public_x"), field(k, "public_y")});
    Buf digest = digest_of(HashAlg::sha256, "sample");
    std::array<std::uint8_t, 64> sig{};
    REQUIRE(ecdsa_p256_sign_digest(fixed<32>(priv), HashAlg::sha256, digest, sig) == CryptoError::ok);
    REQUIRE(ecdsa_p256_verify_digest_p1363(pub, digest, sig) == CryptoError::ok);
    for (std::size_t bit = 0; bit < 64 * 8; bit++) {
        Buf bad(sig.begin(), sig.end());
        bad[bit / 8] ^= std::uint8_t(1 << (bit % 8));
        INFO("signature bit " << bit << ": " << hex(bad));
        CHECK(ecdsa_p256_verify_digest_p1363(pub, digest, bad) == CryptoError::invalid_signature);
    }
    for (std::size_t bit = 0; bit < 32 * 8; bit++) {
        Buf bad = digest;
        bad[bit / 8] ^= std::uint8_t(1 << (bit % 8));
        INFO("digest bit " << bit);
        CHECK(ecdsa_p256_verify_digest_p1363(pub, bad, sig) == CryptoError::invalid_signature);
    }
    for (std::size_t bit = 8; bit < 65 * 8; bit++) {
        Buf bad = pub;
        bad[bit / 8] ^= std::uint8_t(1 << (bit % 8));
        INFO("public key bit " << bit);
        CHECK(ecdsa_p256_verify_digest_p1363(bad, digest, sig) != CryptoError::ok);
    }
}

TEST_CASE("ECDSA: range checks and malformed inputs give clean errors", "[p256][ecdsa]") {
    const auto& k = kat().at("rfc6979");
    Buf priv = field(k, "private");
    Buf pub = cat({{0x04}, field(k, "public_x"), field(k, "public_y")});
    Buf digest = digest_of(HashAlg::sha256, "sample");
    const auto& s0 = k.at("signatures")[2];  // SHA-256, "sample"
    Buf r = field(s0, "r"), s = field(s0, "s");
    Buf zero(32, 0), n = unhex(n_hex), n_plus_r = n;

    CHECK(ecdsa_p256_verify_digest(pub, digest, zero, s) == CryptoError::invalid_signature);
    CHECK(ecdsa_p256_verify_digest(pub, digest, r, zero) == CryptoError::invalid_signature);
    CHECK(ecdsa_p256_verify_digest(pub, digest, Buf{}, s) == CryptoError::invalid_signature);
    CHECK(ecdsa_p256_verify_digest(pub, digest, n, s) == CryptoError::invalid_signature);
    CHECK(ecdsa_p256_verify_digest(pub, digest, r, n) == CryptoError::invalid_signature);
    // Leading zero octets do not change the integer; 33 significant octets are out of range.
    CHECK(ecdsa_p256_verify_digest(pub, digest, cat({{0, 0}, r}), cat({{0}, s})) == CryptoError::ok);
    CHECK(ecdsa_p256_verify_digest(pub, digest, cat({{1}, r}), s) == CryptoError::invalid_signature);
    // P1363 needs exactly 64 octets.
    Buf rs = cat({r, s});
    CHECK(ecdsa_p256_verify_digest_p1363(pub, digest, rs) == CryptoError::ok);
    CHECK(ecdsa_p256_verify_digest_p1363(pub, digest, cat({rs, {0}})) == CryptoError::invalid_signature);
    CHECK(ecdsa_p256_verify_digest_p1363(pub, digest, Buf(rs.begin(), rs.end() - 1)) == CryptoError::invalid_signature);
    CHECK(ecdsa_p256_verify_digest_p1363(pub, digest, cat({{0}, rs})) == CryptoError::invalid_signature);
    // A bad public key is reported as such.
    CHECK(ecdsa_p256_verify_digest_p1363(cat({{0x04}, Buf(64, 0)}), digest, rs) == CryptoError::invalid_point);
    CHECK(ecdsa_p256_verify_digest_p1363(Buf{0x00}, digest, rs) == CryptoError::invalid_point);

    // Signing: the digest must have the named hash's length; the key must be in [1, n-1].
    std::array<std::uint8_t, 64> out{};
    CHECK(ecdsa_p256_sign_digest(fixed<32>(priv), HashAlg::sha256, Buf(31, 1), out) == CryptoError::bad_input_length);
    CHECK(ecdsa_p256_sign_digest(fixed<32>(priv), HashAlg::sha512, digest, out) == CryptoError::bad_input_length);
    CHECK(ecdsa_p256_sign_digest(fixed<32>(zero), HashAlg::sha256, digest, out) == CryptoError::invalid_scalar);
    CHECK(ecdsa_p256_sign_digest(fixed<32>(n), HashAlg::sha256, digest, out) == CryptoError::invalid_scalar);
    FixedRng broken{{0}, true};
    Rng broken_rng = broken.rng();
    CHECK(ecdsa_p256_sign_digest(fixed<32>(priv), HashAlg::sha256, digest, out, &broken_rng) == CryptoError::rng_failure);
}

TEST_CASE("Key generation, sign/verify round trips, hedged signing", "[p256][ecdsa][keygen]") {
    Rng rng = system_rng();
    for (int round = 0; round < 4; round++) {
        std::array<std::uint8_t, 32> priv{};
        std::array<std::uint8_t, 65> pub{}, pub2{};
        REQUIRE(p256_keygen(rng, priv, pub) == CryptoError::ok);
        REQUIRE(p256_public_from_private(priv, pub2) == CryptoError::ok);
        CHECK(hex(pub) == hex(pub2));
        for (HashAlg alg : {HashAlg::sha1, HashAlg::sha224, HashAlg::sha256, HashAlg::sha384, HashAlg::sha512}) {
            std::string message = "round trip ";
            message += std::to_string(round);  // not "..." + to_string(): GCC 12 PR 105651 false -Wrestrict on 32-bit
            Buf digest = digest_of(alg, message);
            std::array<std::uint8_t, 64> det{}, det2{}, hedged{}, hedged2{};
            REQUIRE(ecdsa_p256_sign_digest(priv, alg, digest, det) == CryptoError::ok);
            REQUIRE(ecdsa_p256_sign_digest(priv, alg, digest, det2) == CryptoError::ok);
            CHECK(hex(det) == hex(det2));  // deterministic path: RFC 6979
            REQUIRE(ecdsa_p256_sign_digest(priv, alg, digest, hedged, &rng) == CryptoError::ok);
            REQUIRE(ecdsa_p256_sign_digest(priv, alg, digest, hedged2, &rng) == CryptoError::ok);
            CHECK(hex(hedged) != hex(det));  // fresh randomness changes k, hence r
            CHECK(hex(hedged) != hex(hedged2));
            for (const auto* sig : {&det, &hedged, &hedged2})
                CHECK(ecdsa_p256_verify_digest_p1363(pub, digest, *sig) == CryptoError::ok);
            Buf other = digest_of(alg, "another message");
            CHECK(ecdsa_p256_verify_digest_p1363(pub, other, det) == CryptoError::invalid_signature);
        }
        // ECDH agreement between two generated keys.
        std::array<std::uint8_t, 32> priv_b{}, z1{}, z2{};
        std::array<std::uint8_t, 65> pub_b{};
        REQUIRE(p256_keygen(rng, priv_b, pub_b) == CryptoError::ok);
        REQUIRE(p256_ecdh(priv, pub_b, z1) == CryptoError::ok);
        REQUIRE(p256_ecdh(priv_b, pub, z2) == CryptoError::ok);
        CHECK(hex(z1) == hex(z2));
    }

    // Hedging with the same extra data twice is reproducible (RFC 6979 §3.6 is still a function
    // of its inputs), and differs from the plain deterministic signature.
    const auto& k = kat().at("rfc6979");
    Buf priv = field(k, "private");
    Buf digest = digest_of(HashAlg::sha256, "sample");
    FixedRng repeating{{0x5a}};
    Rng fixed_rng = repeating.rng();
    std::array<std::uint8_t, 64> a{}, b{};
    REQUIRE(ecdsa_p256_sign_digest(fixed<32>(priv), HashAlg::sha256, digest, a, &fixed_rng) == CryptoError::ok);
    REQUIRE(ecdsa_p256_sign_digest(fixed<32>(priv), HashAlg::sha256, digest, b, &fixed_rng) == CryptoError::ok);
    CHECK(hex(a) == hex(b));
    CHECK(hex(a) != hex(cat({field(k.at("signatures")[2], "r"), field(k.at("signatures")[2], "s")})));
}

TEST_CASE("Key generation: rejection sampling and RNG failure", "[p256][keygen]") {
    std::array<std::uint8_t, 32> priv{};
    std::array<std::uint8_t, 65> pub{};
    FixedRng broken{{0}, true};
    CHECK(p256_keygen(broken.rng(), priv, pub) == CryptoError::rng_failure);
    // All-ones is above n and zero is not allowed: never in range, so keygen gives up cleanly.
    FixedRng high{{0xff}};
    CHECK(p256_keygen(high.rng(), priv, pub) == CryptoError::rng_failure);
    CHECK(high.calls > 1);
    FixedRng zero{{0x00}};
    CHECK(p256_keygen(zero.rng(), priv, pub) == CryptoError::rng_failure);
    // 0x01 repeated is a valid key.
    FixedRng ok{{0x01}};
    REQUIRE(p256_keygen(ok.rng(), priv, pub) == CryptoError::ok);
    CHECK(hex(priv) == hex(Buf(32, 0x01)));
    std::array<std::uint8_t, 65> pub2{};
    REQUIRE(p256_public_from_private(priv, pub2) == CryptoError::ok);
    CHECK(hex(pub) == hex(pub2));
}

TEST_CASE("Projective blinding of k·G does not change the point", "[p256][blinding]") {
    const auto& k = kat().at("rfc6979");
    Buf priv = field(k, "private");
    Buf expected = cat({{0x04}, field(k, "public_x"), field(k, "public_y")});
    p256::Scalar d;
    REQUIRE(p256::scalar_from_bytes(d, fixed<32>(priv)));
    Buf p_minus_1 = unhex(p_hex);
    p_minus_1[31]--;
    Rng rng = system_rng();
    std::vector<Buf> blindings = {Buf(32, 0), Buf(32, 0xff), unhex(p_hex), p_minus_1, Buf(32, 0x42)};
    for (int i = 0; i < 8; i++) {
        Buf random(32);
        REQUIRE(rng(random) == CryptoError::ok);
        blindings.push_back(random);
    }
    for (const Buf& blinding : blindings) {
        p256::Point q;
        p256::point_mul_base(q, d, fixed<32>(blinding));
        std::array<std::uint8_t, 65> out{};
        REQUIRE(p256::point_encode(out, q));
        INFO("blinding " << hex(blinding));
        CHECK(hex(out) == hex(expected));
    }
    // And it is not a no-op: the projective representation differs from the unblinded one.
    p256::Point plain, blinded;
    p256::point_mul_base(plain, d);
    p256::point_mul_base(blinded, d, fixed<32>(blindings.back()));
    CHECK(std::memcmp(&plain.z, &blinded.z, sizeof plain.z) != 0);
}

// Signing randomises the projective coordinates of k·G with the second half of the hedge bytes.
// That randomisation must not change the signature: with the nonce input (first half) held fixed,
// every choice of blinding bytes gives the same (r, s), and that signature verifies.
TEST_CASE("ECDSA: coordinate randomisation does not change the signature", "[p256][ecdsa][blinding]") {
    struct SplitRng {  // 32 fixed bytes of RFC 6979 extra data, then 32 blinding bytes
        Buf extra, blinding;
        static CryptoError fill(void* ctx, MutBytes out) {
            auto* self = static_cast<SplitRng*>(ctx);
            if (out.size() != 64) return CryptoError::rng_failure;
            std::copy(self->extra.begin(), self->extra.end(), out.begin());
            std::copy(self->blinding.begin(), self->blinding.end(), out.begin() + 32);
            return CryptoError::ok;
        }
    };
    const auto& k = kat().at("rfc6979");
    Buf priv = field(k, "private");
    Buf pub = cat({{0x04}, field(k, "public_x"), field(k, "public_y")});
    Buf digest = digest_of(HashAlg::sha256, "sample");
    Rng system = system_rng();
    std::string first;
    for (int i = 0; i < 10; i++) {
        SplitRng split{Buf(32, 0x5a), Buf(32)};
        REQUIRE(system(split.blinding) == CryptoError::ok);
        if (i == 0) split.blinding = Buf(32, 0);  // includes the trivial blinding
        Rng rng{SplitRng::fill, &split};
        std::array<std::uint8_t, 64> sig{};
        REQUIRE(ecdsa_p256_sign_digest(fixed<32>(priv), HashAlg::sha256, digest, sig, &rng) == CryptoError::ok);
        CHECK(ecdsa_p256_verify_digest_p1363(pub, digest, sig) == CryptoError::ok);
        if (i == 0) first = hex(sig);
        INFO("blinding " << hex(split.blinding));
        CHECK(hex(sig) == first);
    }
}

namespace {

// A scalar from a small signed offset: k for k > 0, n + k for k < 0.
p256::Scalar small_scalar(int k) {
    Buf b(32, 0);
    b[31] = std::uint8_t(k < 0 ? -k : k);
    if (k < 0) b = n_minus(b);
    p256::Scalar s;
    REQUIRE(p256::scalar_from_bytes(s, fixed<32>(b)));
    return s;
}

std::string encoded(const p256::Point& p) {
    std::array<std::uint8_t, 65> out{};
    if (!p256::point_encode(out, p)) return "infinity";
    return hex(out);
}

}  // namespace

#if PADLOCK_EC_LIMB64
// The field code specialised to p (p256_field.hpp) against the generic Montgomery code of
// ec_curve.hpp on the same representation, at the edge values and on random values below p.
TEST_CASE("P-256 field code agrees with the generic Montgomery code", "[p256][field]") {
    using K = ec::Consts<p256::Curve>;
    constexpr int L = p256::limbs;
    using Num = std::array<ec::Limb, L>;
    const ec::Limb* p = K::P.m;
    auto minus = [&](ec::Limb small) {
        Num r{}, s{};
        s[0] = small;
        ec::sub_limbs<L>(r.data(), p, s.data());
        return r;
    };
    std::vector<Num> values = {Num{0, 0, 0, 0}, Num{1, 0, 0, 0}, Num{2, 0, 0, 0}, minus(1), minus(2),
                               Num{0, 0, 0, ec::Limb(1) << 63},
                               Num{K::one.v[0], K::one.v[1], K::one.v[2], K::one.v[3]},
                               Num{~ec::Limb(0), ~ec::Limb(0), ~ec::Limb(0), p[3] - 1},
                               Num{0, 0, ~ec::Limb(0), p[3] - 1}, Num{0, p[1], 0, p[3]}};
    Rng rng = system_rng();
    while (values.size() < 2000) {
        Num v;
        REQUIRE(rng(MutBytes(reinterpret_cast<std::uint8_t*>(v.data()), sizeof v)) == CryptoError::ok);
        Num diff;
        if (ec::sub_limbs<L>(diff.data(), v.data(), p) == 1) values.push_back(v);  // below p only
    }
    for (std::size_t i = 0; i < values.size(); i++) {
        const Num& a = values[i];
        const Num& b = values[(i * 7 + 3) % values.size()];
        Num want, got;
        INFO("a = " << hex(Bytes(reinterpret_cast<const std::uint8_t*>(a.data()), sizeof a))
                    << " b = " << hex(Bytes(reinterpret_cast<const std::uint8_t*>(b.data()), sizeof b)));
        ec::mont_mul<L>(want.data(), a.data(), b.data(), K::P);
        p256::field::mul(got.data(), a.data(), b.data());
        CHECK(got == want);
        ec::mont_mul<L>(want.data(), a.data(), a.data(), K::P);
        p256::field::sqr(got.data(), a.data());
        CHECK(got == want);
        ec::mod_add<L>(want.data(), a.data(), b.data(), K::P);
        p256::field::add(got.data(), a.data(), b.data());
        CHECK(got == want);
        ec::mod_sub<L>(want.data(), a.data(), b.data(), K::P);
        p256::field::sub(got.data(), a.data(), b.data());
        CHECK(got == want);
        if (i % 16 == 0) {  // the inversion's addition chain against the generic a^(p-2)
            ec::mont_pow<L>(want.data(), a.data(), K::p_minus_2.v, K::P);
            p256::field::inv(got.data(), a.data());
            CHECK(got == want);
        }
    }
}
#endif

// The variable-base k·P (Jacobian coordinates) against the fixed-base comb (complete formulas),
// at the scalars where its last addition has equal inputs (k = 2 d_0 mod n with |d_0| <= 8) and
// around them, for P = G and for P = 5G (then k·P = (5k)·G).
TEST_CASE("k·P at the scalars where the last Jacobian addition doubles", "[p256][point]") {
    p256::Point g, five_g;
    const p256::Scalar five = small_scalar(5);
    p256::point_mul_base(five_g, five);
    p256::point_mul_base(g, small_scalar(1));
    for (int k = -20; k <= 20; k++) {
        if (k == 0) continue;
        const p256::Scalar s = small_scalar(k);
        p256::Point got, want;
        p256::point_mul(got, g, s);
        p256::point_mul_base(want, s);
        INFO("k = " << k);
        CHECK(encoded(got) == encoded(want));
        p256::Scalar five_k;
        p256::scalar_mul(five_k, five, s);
        p256::point_mul(got, five_g, s);
        p256::point_mul_base(want, five_k);
        CHECK(encoded(got) == encoded(want));
    }
}

// u1·G + u2·Q against the comb's (u1 + u2)·G for Q = G, including u1 = u2 (the Jacobian addition
// meets equal points) and u2 = n - u1 (the sum is infinity).
TEST_CASE("u1·G + u2·Q with equal and opposite terms", "[p256][point]") {
    p256::Point g;
    p256::point_mul_base(g, small_scalar(1));
    Rng rng = system_rng();
    std::vector<std::pair<p256::Scalar, p256::Scalar>> cases;
    for (int k : {1, 2, 7, 8, 9, -1, -8}) cases.push_back({small_scalar(k), small_scalar(k)});
    for (int i = 0; i < 8; i++) {
        Buf b(32);
        p256::Scalar u1, u2;
        do REQUIRE(rng(b) == CryptoError::ok);
        while (!p256::scalar_from_bytes(u1, fixed<32>(b)));
        cases.push_back({u1, u1});
        p256::scalar_to_bytes(fixed<32>(b), u1);
        REQUIRE(p256::scalar_from_bytes(u2, fixed<32>(n_minus(b))));
        cases.push_back({u1, u2});  // u1 + u2 = n
        do REQUIRE(rng(b) == CryptoError::ok);
        while (!p256::scalar_from_bytes(u2, fixed<32>(b)));
        cases.push_back({u1, u2});
    }
    for (const auto& [u1, u2] : cases) {
        p256::Point got, want;
        p256::point_mul2(got, u1, u2, g);
        p256::Scalar sum;
        p256::scalar_add(sum, u1, u2);
        if (p256::scalar_is_zero(sum)) {
            CHECK(encoded(got) == "infinity");
            continue;
        }
        p256::point_mul_base(want, sum);
        CHECK(encoded(got) == encoded(want));
    }
}

// ---------------------------------------------------------------------------------------------
// The MULX backend (crypto/ec/p256_x86.cpp, selected in p256_curve.cpp) against the portable code:
// the multiplications themselves on edge and random values, then every dispatched operation on
// edge and random scalars, computed once under the test program's cap (`--backend`, all features
// by default) and once capped at portable. On a CPU without BMI2, or with the cap below it, both
// runs are portable and the test says so (cpu::as_portable, crypto/detail/cpu_testing.hpp).

#if PADLOCK_P256_X86
TEST_CASE("P-256 MULX multiplications agree with the generic Montgomery code", "[p256][field][accel]") {
    if (!cpu::has(cpu::bmi2)) {
        WARN("BMI2 not available under this cap: MULX code not run");
        return;
    }
    using K = ec::Consts<p256::Curve>;
    constexpr int L = p256::limbs;
    using Num = std::array<ec::Limb, L>;
    auto minus = [](const ec::Limb* m, ec::Limb small) {
        Num r{}, s{};
        s[0] = small;
        ec::sub_limbs<L>(r.data(), m, s.data());
        return r;
    };
    for (const auto* M : {&K::P, &K::N}) {
        const ec::Limb* m = M->m;
        std::vector<Num> values = {Num{0, 0, 0, 0}, Num{1, 0, 0, 0}, Num{2, 0, 0, 0}, minus(m, 1), minus(m, 2),
                                   Num{0, 0, 0, ec::Limb(1) << 63},
                                   Num{M->one[0], M->one[1], M->one[2], M->one[3]},
                                   Num{M->rr[0], M->rr[1], M->rr[2], M->rr[3]},
                                   Num{~ec::Limb(0), ~ec::Limb(0), ~ec::Limb(0), m[3] - 1},
                                   Num{0, 0, ~ec::Limb(0), m[3] - 1}, Num{0, m[1], 0, m[3]}};
        Rng rng = system_rng();
        while (values.size() < 3000) {
            Num v;
            REQUIRE(rng(MutBytes(reinterpret_cast<std::uint8_t*>(v.data()), sizeof v)) == CryptoError::ok);
            if (values.size() % 3 == 0) v[3] = m[3] - 1;  // near the top of the range
            Num diff;
            if (ec::sub_limbs<L>(diff.data(), v.data(), m) == 1) values.push_back(v);  // below m only
        }
        for (std::size_t i = 0; i < values.size(); i++) {
            const Num& a = values[i];
            const Num& b = values[(i * 7 + 3) % values.size()];
            INFO("a = " << hex(Bytes(reinterpret_cast<const std::uint8_t*>(a.data()), sizeof a))
                        << " b = " << hex(Bytes(reinterpret_cast<const std::uint8_t*>(b.data()), sizeof b)));
            Num want, got;
            ec::mont_mul<L>(want.data(), a.data(), b.data(), *M);
            if (M == &K::P) {
                p256_x86::field_mul(got.data(), a.data(), b.data());
                CHECK(got == want);
                ec::mont_mul<L>(want.data(), a.data(), a.data(), *M);
                p256_x86::field_sqr(got.data(), a.data());
                CHECK(got == want);
            } else {
                p256_x86::scalar_mont_mul(got.data(), a.data(), b.data());
                CHECK(got == want);
                ec::mont_mul<L>(want.data(), a.data(), a.data(), *M);
                p256_x86::scalar_mont_sqr(got.data(), a.data());
                CHECK(got == want);
            }
        }
    }
}
#endif

TEST_CASE("P-256 backend equals portable: k·G, k·P, ECDH, sign, verify, u1·G + u2·Q", "[p256][accel]") {
    INFO("backend under test: " << p256_backend_name());
    cpu::as_portable([] { REQUIRE(std::string(p256_backend_name()) == "portable"); });
#if PADLOCK_P256_X86
    // The cap decides the code: the test must not pass by comparing portable with itself.
    REQUIRE(std::string(p256_backend_name()) == (cpu::has(cpu::bmi2) ? "bmi2" : "portable"));
#endif
    // Edge scalars (1, 2, small, n - 1, n - 2, the k = 2 d_0 cases of point_mul's last addition)
    // and random ones.
    std::vector<Buf> scalars;
    for (int k : {1, 2, 3, 7, 8, 9, 15, 16, 17, -1, -2, -8, -16}) {
        Buf b(32);
        p256::scalar_to_bytes(fixed<32>(b), small_scalar(k));
        scalars.push_back(b);
    }
    // The signed 5-bit comb of the bmi2 k·G (p256_curve.cpp's wide table): a top digit of 2 (above,
    // n - 1), of 1 and 0 with and without a carry, long runs of zero digits at the bottom (the
    // accumulator stays infinity) and digits of -16.
    for (const char* h : {"8000000000000000000000000000000000000000000000000000000000000000",
                          "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
                          "7c00000000000000000000000000000000000000000000000000000000000001",
                          "ffffffff00000000ffffffffffffffff00000000000000000000000000000000",
                          "0000000000000000000000000000000000000000000000000000000000100000",
                          "8421084210842108421084210842108421084210842108421084210842108421"}) {
        scalars.push_back(unhex(h));
    }
    Rng rng = system_rng();
    while (scalars.size() < 70) {
        Buf b(32);
        REQUIRE(rng(b) == CryptoError::ok);
        p256::Scalar s;
        if (p256::scalar_from_bytes(s, fixed<32>(b))) scalars.push_back(b);
    }
    Buf peer_priv(32);
    p256::scalar_to_bytes(fixed<32>(peer_priv), small_scalar(5));
    for (std::size_t i = 0; i < scalars.size(); i++) {
        const Buf& d = scalars[i];
        const Buf& other = scalars[(i * 5 + 1) % scalars.size()];
        INFO("d = " << hex(d) << " other = " << hex(other));
        const Buf digest = digest_of(HashAlg::sha256, "backend " + std::to_string(i));
        // Everything computed twice: [0] under the cap, [1] portable.
        Buf pub[2], shared[2], sig[2], pub_other[2], combined[2];
        CryptoError verify[2], verify_bad[2];
        auto compute = [&](int which) {
            pub[which] = Buf(65);
            pub_other[which] = Buf(65);
            shared[which] = Buf(32);
            sig[which] = Buf(64);
            REQUIRE(p256_public_from_private(fixed<32>(d), fixed<65>(pub[which])) == CryptoError::ok);
            REQUIRE(p256_public_from_private(fixed<32>(other), fixed<65>(pub_other[which])) == CryptoError::ok);
            REQUIRE(p256_ecdh(fixed<32>(d), pub_other[which], fixed<32>(shared[which])) == CryptoError::ok);
            REQUIRE(ecdsa_p256_sign_digest(fixed<32>(d), HashAlg::sha256, digest, fixed<64>(sig[which])) ==
                    CryptoError::ok);
            verify[which] = ecdsa_p256_verify_digest_p1363(pub[which], digest, sig[which]);
            Buf bad = sig[which];
            bad[i % 64] ^= 1;
            verify_bad[which] = ecdsa_p256_verify_digest_p1363(pub[which], digest, bad);
            // u1·G + u2·Q with Q = d·G, u1 = other, u2 = d^-1 (the scalar inversion too); k·P for
            // a P other than G.
            p256::Scalar u1, u2, dd;
            REQUIRE(p256::scalar_from_bytes(u1, fixed<32>(other)));
            REQUIRE(p256::scalar_from_bytes(dd, fixed<32>(d)));
            p256::scalar_inv(u2, dd);
            p256::Point q, r, p;
            REQUIRE(p256::point_decode(q, pub[which]) == CryptoError::ok);
            p256::point_mul2(r, u1, u2, q);
            p256::point_mul(p, q, u1);
            const std::string results = encoded(r) + "/" + encoded(p) + "/";
            combined[which] = Buf(results.begin(), results.end());
            std::uint8_t inv_bytes[32];
            p256::scalar_to_bytes(inv_bytes, u2);
            combined[which].insert(combined[which].end(), inv_bytes, inv_bytes + 32);
        };
        compute(0);
        cpu::as_portable([&] { compute(1); });
        CHECK(hex(pub[0]) == hex(pub[1]));
        CHECK(hex(shared[0]) == hex(shared[1]));
        CHECK(hex(sig[0]) == hex(sig[1]));  // RFC 6979 nonces: deterministic
        CHECK(verify[0] == CryptoError::ok);
        CHECK(verify[1] == CryptoError::ok);
        CHECK(verify_bad[0] == verify_bad[1]);
        CHECK(verify_bad[0] != CryptoError::ok);
        CHECK(hex(combined[0]) == hex(combined[1]));
    }
}
