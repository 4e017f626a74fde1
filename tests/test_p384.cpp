// SPDX-License-Identifier: Apache-2.0
// NIST P-384: ECDSA verification (FIPS 186-5 §6.4.2) on the RFC 6979 A.2.6 key and signatures, SEC 1
// point decoding and validation (§2.3.4, §3.2.2.1), and ECDH (SEC 1 §3.3.1). Wycheproof's P-384
// files run through `padlock vectors`; these are the answers from outside it: RFC 6979 A.2.6
// transcribed, and values made with OpenSSL (Python's `cryptography` module, OpenSSL 3.0 backend)
// where the RFC has none, as each case says.
#include <catch2/catch.hpp>

#include <string>

#include "crypto/ec/ecdsa.hpp"
#include "crypto/hash/hash.hpp"
#include "crypto/ec/p384.hpp"
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

Buf digest_of(HashAlg alg, const std::string& message) {
    Buf d(hash_size(alg));
    REQUIRE(hash(alg, text(message), d) == padlock::CryptoError::ok);
    return d;
}

// Big-endian a + small, for 48-byte a.
Buf plus(Buf a, int small) {
    for (int i = int(a.size()) - 1; i >= 0 && small; i--) {
        int s = a[i] + small;
        a[i] = std::uint8_t(s);
        small = s >> 8;
    }
    return a;
}

// RFC 6979 A.2.6 (NIST P-384).
const std::string priv_hex =
    "6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D896D5724E4C70A825F872C9EA60D2EDF5";
const std::string ux = "EC3A4E415B4E19A4568618029F427FA5DA9A8BC4AE92E02E06AAE5286B300C64DEF8F0EA9055866064A254515480BC13";
const std::string uy = "8015D9B72D7D57244EA8EF9AC0C621896708A59367F9DFB9F54CA84B3F1C9DB1288B231C3AE0D4FE7344FD2533264720";
const std::string r384 =
    "94EDBB92A5ECB8AAD4736E56C691916B3F88140666CE9FA73D64C4EA95AD133C81A648152E44ACF96E36DD1E80FABE46";
const std::string s384 =
    "99EF4AEB15F178CEA1FE40DB2603138F130E740A19624526203B6351D0A3A94FA329C145786E679E7B82C71A38628AC8";
const std::string r256 =
    "21B13D1E013C7FA1392D03C5F99AF8B30C570C6F98D4EA8E354B63A21D3DAA33BDE1E888E63355D92FA2B3C36D8FB2CD";
const std::string s256 =
    "F3AA443FB107745BF4BD77CB3891674632068A10CA67E3D45DB2266FA7D1FEEBEFDC63ECCD1AC42EC0CB8668A4FA0AB0";

// SP 800-186 §3.2.1.4.
const std::string p_hex =
    "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff";
const std::string n_hex =
    "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973";
const std::string gx = "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7";
const std::string gy = "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f";

Buf pub() { return unhex("04" + ux + uy); }

}  // namespace

TEST_CASE("RFC 6979 A.2.6 P-384 signatures verify", "[p384][ecdsa]") {
    const Buf d384 = digest_of(HashAlg::sha384, "sample");
    CHECK(ecdsa_p384_verify_digest(pub(), d384, unhex(r384), unhex(s384)) == CryptoError::ok);
    CHECK(ecdsa_p384_verify_digest_p1363(pub(), d384, unhex(r384 + s384)) == CryptoError::ok);
    CHECK(ecdsa_p384_verify(pub(), HashAlg::sha384, text("sample"), unhex(r384 + s384)) == CryptoError::ok);
    // A digest shorter than n (SHA-256): used whole, as an integer (RFC 6979 A.2.6, SHA-256 case).
    CHECK(ecdsa_p384_verify(pub(), HashAlg::sha256, text("sample"), unhex(r256 + s256)) == CryptoError::ok);
    // The compressed public key (made by OpenSSL: 02 as Uy is even) verifies the same signature.
    CHECK(ecdsa_p384_verify(unhex("02" + ux), HashAlg::sha384, text("sample"), unhex(r384 + s384)) == CryptoError::ok);
    // Leading zero octets on r and s are allowed (plain integers).
    CHECK(ecdsa_p384_verify_digest(pub(), d384, unhex("0000" + r384), unhex("00" + s384)) == CryptoError::ok);
}

TEST_CASE("P-384 verification truncates a SHA-512 digest to 384 bits", "[p384][ecdsa]") {
    // Signed by OpenSSL with the RFC 6979 A.2.6 key over "sample" with SHA-512 (random nonce).
    const std::string r = "1420878FA6A7C62BB8A40F307B108ACD7A3F5DF3CD4BC3A73CF9D76F000C392267E0FF10422877585A070154E74D617A";
    const std::string s = "E5BCDBF672BA69B831775815078D7185C9D06577721C9D958C4D5DB1736B779BD70495D3CD4C0ACE46D54C8B50B2B295";
    CHECK(ecdsa_p384_verify(pub(), HashAlg::sha512, text("sample"), unhex(r + s)) == CryptoError::ok);
    // Only the leftmost 384 bits count: changing the last 16 bytes of the digest changes nothing,
    // changing byte 47 breaks it.
    Buf d = digest_of(HashAlg::sha512, "sample");
    d[63] ^= 1;
    d[50] ^= 0x80;
    CHECK(ecdsa_p384_verify_digest(pub(), d, unhex(r), unhex(s)) == CryptoError::ok);
    d[47] ^= 1;
    CHECK(ecdsa_p384_verify_digest(pub(), d, unhex(r), unhex(s)) == CryptoError::invalid_signature);
}

TEST_CASE("P-384 verification rejects altered signatures and out-of-range r, s", "[p384][ecdsa]") {
    const Buf d = digest_of(HashAlg::sha384, "sample");
    const Buf r = unhex(r384), s = unhex(s384), n = unhex(n_hex);
    auto verify = [&](const Buf& rr, const Buf& ss) { return ecdsa_p384_verify_digest(pub(), d, rr, ss); };
    CHECK(verify(s, r) == CryptoError::invalid_signature);
    CHECK(verify(plus(r, 1), s) == CryptoError::invalid_signature);
    CHECK(verify(r, plus(s, 1)) == CryptoError::invalid_signature);
    Buf other = digest_of(HashAlg::sha384, "samplf");
    CHECK(ecdsa_p384_verify_digest(pub(), other, r, s) == CryptoError::invalid_signature);
    // r + n and s + n are the same residues but outside [1, n-1] (FIPS 186-5 §6.4.2 step 1).
    Buf zero(48, 0);
    CHECK(verify(zero, s) == CryptoError::invalid_signature);
    CHECK(verify(r, zero) == CryptoError::invalid_signature);
    CHECK(verify(Buf{}, s) == CryptoError::invalid_signature);
    CHECK(verify(n, s) == CryptoError::invalid_signature);
    CHECK(verify(r, n) == CryptoError::invalid_signature);
    CHECK(verify(plus(n, 1), s) == CryptoError::invalid_signature);
    CHECK(verify(cat({{0x01}, r}), s) == CryptoError::invalid_signature);  // 49 significant bytes
    // P1363 must be exactly 96 bytes.
    CHECK(ecdsa_p384_verify_digest_p1363(pub(), d, cat({r, s, {0x00}})) == CryptoError::invalid_signature);
    CHECK(ecdsa_p384_verify_digest_p1363(pub(), d, Buf(r.begin(), r.end())) == CryptoError::invalid_signature);
    // A P-256 size signature or key is not a P-384 one.
    CHECK(ecdsa_p384_verify_digest_p1363(pub(), d, Buf(64, 1)) == CryptoError::invalid_signature);
}

TEST_CASE("SEC 1 point decoding over P-384", "[p384][point]") {
    Buf out(97);
    REQUIRE(p384_decode_point(pub(), fixed<97>(out)) == CryptoError::ok);
    CHECK(hex(out) == hex(pub()));
    REQUIRE(p384_decode_point(unhex("02" + ux), fixed<97>(out)) == CryptoError::ok);
    CHECK(hex(out) == hex(pub()));
    // x = 2, both parities (the y values from OpenSSL's decoder).
    REQUIRE(p384_decode_point(cat({{0x02}, plus(Buf(48, 0), 2)}), fixed<97>(out)) == CryptoError::ok);
    CHECK(hex(out) == hex(unhex("04" + std::string(94, '0') + "02" +
                                "8cdeadbbd04911a3c1931e26df3fa6439dca9c7eb286fbd46fc319f0e2bb780232baf57825fc0c1912ada2fefe84024c")));
    REQUIRE(p384_decode_point(cat({{0x03}, plus(Buf(48, 0), 2)}), fixed<97>(out)) == CryptoError::ok);
    CHECK(hex(out) == hex(unhex("04" + std::string(94, '0') + "02" +
                                "732152442fb6ee5c3e6ce1d920c059bc623563814d79042b903ce60f1d4487fccd450a86da03f3e6ed525d02017bfdb3")));
    CHECK(p384_decode_point(unhex("04" + gx + gy), fixed<97>(out)) == CryptoError::ok);
}

TEST_CASE("SEC 1 point validation over P-384 rejects bad points", "[p384][point]") {
    Buf out(97);
    auto rejects = [&](const Buf& enc) { return p384_decode_point(enc, fixed<97>(out)) == CryptoError::invalid_point; };
    const Buf x = unhex(ux), y = unhex(uy), p = unhex(p_hex);
    CHECK(rejects(cat({{0x04}, x, plus(y, 1)})));                    // off the curve
    CHECK(rejects(cat({{0x04}, plus(x, 1), y})));
    CHECK(rejects(cat({{0x04}, x, y, {0x00}})));                     // wrong lengths
    CHECK(rejects(cat({{0x04}, x, Buf(y.begin(), y.end() - 1)})));
    CHECK(rejects(cat({{0x02}, x, {0x00}})));
    CHECK(rejects(unhex("00")));                                     // the point at infinity
    CHECK(rejects(Buf{}));
    CHECK(rejects(cat({{0x06}, x, y})));                             // hybrid forms
    CHECK(rejects(cat({{0x07}, x, y})));
    CHECK(rejects(cat({{0x05}, x, y})));
    CHECK(rejects(cat({{0x04}, Buf(48, 0), Buf(48, 0)})));           // (0, 0) is not on the curve
    CHECK(rejects(cat({{0x04}, p, y})));                             // x = p
    CHECK(rejects(cat({{0x02}, p})));                                // x = p, compressed
    CHECK(rejects(cat({{0x02}, Buf(48, 0xff)})));                    // x > p
    // x = 1 has no square root for y (OpenSSL's decoder rejects it too); nor x = 4.
    CHECK(rejects(cat({{0x02}, plus(Buf(48, 0), 1)})));
    CHECK(rejects(cat({{0x03}, plus(Buf(48, 0), 4)})));
    // A P-256 point (65 bytes) and a P-256 compressed length (33 bytes).
    CHECK(rejects(cat({{0x04}, Buf(x.begin(), x.begin() + 32), Buf(y.begin(), y.begin() + 32)})));
    CHECK(rejects(cat({{0x02}, Buf(x.begin(), x.begin() + 32)})));
    // x = 2 + p: the residue of a valid x-coordinate (see the decoding case), but not below p.
    const Buf y2 = unhex("8cdeadbbd04911a3c1931e26df3fa6439dca9c7eb286fbd46fc319f0e2bb780232baf57825fc0c1912ada2fefe84024c");
    REQUIRE(!rejects(cat({{0x04}, plus(Buf(48, 0), 2), y2})));
    CHECK(rejects(cat({{0x04}, plus(p, 2), y2})));
    CHECK(rejects(cat({{0x02}, plus(p, 2)})));
    // A bad public key makes verification fail as invalid_point.
    const Buf d = digest_of(HashAlg::sha384, "sample");
    CHECK(ecdsa_p384_verify_digest(cat({{0x04}, x, plus(y, 1)}), d, unhex(r384), unhex(s384)) == CryptoError::invalid_point);
}

TEST_CASE("P-384 ECDH", "[p384][ecdh]") {
    const Buf priv = unhex(priv_hex);
    Buf z(48);
    // d·G is the RFC 6979 public key: its x-coordinate is the shared secret with G.
    REQUIRE(p384_ecdh(fixed<48>(priv), unhex("04" + gx + gy), fixed<48>(z)) == CryptoError::ok);
    CHECK(hex(z) == hex(unhex(ux)));
    // Against a second key pair; shared secret and public point computed by OpenSSL.
    const Buf peer = unhex(
        "04D0711F8F0F020195328FE542BBFFAF2CA9006DA73B5F27C382055D8C44CD9E28411D0B1169934D3F23C12DDF4ACEE2CB"
        "E3AE92A890E5E7DED0A7088ACF0FFE2C6BC051A38065C152D5946A58217D2BFF377C3FC1590445451204B9F298C00893");
    REQUIRE(p384_ecdh(fixed<48>(priv), peer, fixed<48>(z)) == CryptoError::ok);
    CHECK(hex(z) == "91ca0ca80070506050660d20a454d6a61ba3909fc8726d764a03c5a7602db5af9aeb09271e8b57f63fadcf5dced464ee");
    // And the other way round, the peer's private key against the RFC 6979 public key.
    const Buf priv2 = unhex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    REQUIRE(p384_ecdh(fixed<48>(priv2), unhex("02" + ux), fixed<48>(z)) == CryptoError::ok);
    CHECK(hex(z) == "91ca0ca80070506050660d20a454d6a61ba3909fc8726d764a03c5a7602db5af9aeb09271e8b57f63fadcf5dced464ee");
    // Edge scalars: 1·G and (n-1)·G = -G share the x-coordinate of G.
    Buf one = plus(Buf(48, 0), 1);
    REQUIRE(p384_ecdh(fixed<48>(one), unhex("04" + gx + gy), fixed<48>(z)) == CryptoError::ok);
    CHECK(hex(z) == gx);
    Buf n_minus_1 = unhex(n_hex);
    n_minus_1[47] -= 1;
    REQUIRE(p384_ecdh(fixed<48>(n_minus_1), unhex("04" + gx + gy), fixed<48>(z)) == CryptoError::ok);
    CHECK(hex(z) == gx);
    // Private keys outside [1, n-1].
    CHECK(p384_ecdh(fixed<48>(Buf(48, 0)), peer, fixed<48>(z)) == CryptoError::invalid_scalar);
    CHECK(p384_ecdh(fixed<48>(unhex(n_hex)), peer, fixed<48>(z)) == CryptoError::invalid_scalar);
    CHECK(p384_ecdh(fixed<48>(Buf(48, 0xff)), peer, fixed<48>(z)) == CryptoError::invalid_scalar);
    // An invalid peer point.
    Buf bad = peer;
    bad[96] ^= 1;
    CHECK(p384_ecdh(fixed<48>(priv), bad, fixed<48>(z)) == CryptoError::invalid_point);
}

TEST_CASE("P-384 public key from private key: known pairs", "[p384][keygen]") {
    Buf q(97);
    // RFC 6979 A.2.6: x -> (Ux, Uy).
    REQUIRE(p384_public_from_private(fixed<48>(unhex(priv_hex)), fixed<97>(q)) == CryptoError::ok);
    CHECK(hex(q) == hex(pub()));
    // Made by OpenSSL 3.0 (`openssl ecparam -name secp384r1 -genkey`, printed by `openssl ec -text`).
    REQUIRE(p384_public_from_private(
                fixed<48>(unhex("365fe663f66c4419aa6a607d88d441a3ced1e508c34c69a659fe413c2fb6dc8146f50a19d17f6134e4cfdc0ee34afa38")),
                fixed<97>(q)) == CryptoError::ok);
    CHECK(hex(q) == "04f2c9cecedc2e308274583f6bb0b2df5a41bfa794a66d0dfadb74fa85230ab0cba62503bd5785c17604d741b19b7d33ad"
                    "13b9eeaaec6973bd39b3ec085f797dcc82fe2f01eee60ffa8a8c46d9603b0b203ac9fa5cc2d16efa143b249582445b4b");
    // The OpenSSL pair of the ECDH case.
    REQUIRE(p384_public_from_private(
                fixed<48>(unhex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")),
                fixed<97>(q)) == CryptoError::ok);
    CHECK(hex(q) == hex(unhex(
                        "04D0711F8F0F020195328FE542BBFFAF2CA9006DA73B5F27C382055D8C44CD9E28411D0B1169934D3F23C12DDF4ACEE2CB"
                        "E3AE92A890E5E7DED0A7088ACF0FFE2C6BC051A38065C152D5946A58217D2BFF377C3FC1590445451204B9F298C00893")));
    // 1·G = G and (n-1)·G = -G = (gx, p - gy) (p - gy computed apart, with Python integers).
    REQUIRE(p384_public_from_private(fixed<48>(plus(Buf(48, 0), 1)), fixed<97>(q)) == CryptoError::ok);
    CHECK(hex(q) == "04" + gx + gy);
    Buf n_minus_1 = unhex(n_hex);
    n_minus_1[47] -= 1;
    REQUIRE(p384_public_from_private(fixed<48>(n_minus_1), fixed<97>(q)) == CryptoError::ok);
    CHECK(hex(q) == "04" + gx + "c9e821b569d9d390a26167406d6d23d6070be242d765eb831625ceec4a0f473ef59f4e30e2817e6285bce2846f15f1a0");
    // Outside [1, n-1].
    CHECK(p384_public_from_private(fixed<48>(Buf(48, 0)), fixed<97>(q)) == CryptoError::invalid_scalar);
    CHECK(p384_public_from_private(fixed<48>(unhex(n_hex)), fixed<97>(q)) == CryptoError::invalid_scalar);
    CHECK(p384_public_from_private(fixed<48>(Buf(48, 0xff)), fixed<97>(q)) == CryptoError::invalid_scalar);
}

namespace {
// Hands out `draws` in order (each exactly the size asked for), then fails.
struct ScriptRng {
    std::vector<Buf> draws;
    std::size_t next = 0;
    static CryptoError fill(void* ctx, MutBytes out) {
        auto& s = *static_cast<ScriptRng*>(ctx);
        if (s.next >= s.draws.size() || s.draws[s.next].size() != out.size()) return CryptoError::rng_failure;
        std::copy(s.draws[s.next].begin(), s.draws[s.next].end(), out.begin());
        s.next++;
        return CryptoError::ok;
    }
    Rng rng() { return Rng{fill, this}; }
};
}  // namespace

TEST_CASE("P-384 key generation: rejection sampling and blinding (FIPS 186-5 A.2.2)", "[p384][keygen]") {
    Buf d(48), q(97);
    SECTION("out-of-range draws (0, n, all-ones) are discarded; the first in range is the key") {
        ScriptRng s{{Buf(48, 0), unhex(n_hex), Buf(48, 0xff), unhex(priv_hex), filler(48, 7)}};
        REQUIRE(p384_keygen(s.rng(), fixed<48>(d), fixed<97>(q)) == CryptoError::ok);
        CHECK(s.next == 5);
        CHECK(hex(d) == hex(unhex(priv_hex)));
        CHECK(hex(q) == hex(pub()));  // the blinding does not change the result
    }
    SECTION("a blinding value that is not a field element (0, >= p) falls back to 1") {
        for (const Buf& blinding : {Buf(48, 0), Buf(48, 0xff), unhex(p_hex)}) {
            ScriptRng s{{unhex(priv_hex), blinding}};
            REQUIRE(p384_keygen(s.rng(), fixed<48>(d), fixed<97>(q)) == CryptoError::ok);
            CHECK(hex(q) == hex(pub()));
        }
    }
    SECTION("system randomness: the pair agrees with public_from_private and ECDH both ways") {
        Buf d2(48), q2(97), again(97), z1(48), z2(48);
        REQUIRE(p384_keygen(system_rng(), fixed<48>(d), fixed<97>(q)) == CryptoError::ok);
        REQUIRE(p384_keygen(system_rng(), fixed<48>(d2), fixed<97>(q2)) == CryptoError::ok);
        CHECK(hex(d) != hex(d2));
        REQUIRE(p384_public_from_private(fixed<48>(d), fixed<97>(again)) == CryptoError::ok);
        CHECK(hex(again) == hex(q));
        REQUIRE(p384_ecdh(fixed<48>(d), q2, fixed<48>(z1)) == CryptoError::ok);
        REQUIRE(p384_ecdh(fixed<48>(d2), q, fixed<48>(z2)) == CryptoError::ok);
        CHECK(hex(z1) == hex(z2));
    }
    SECTION("a failing generator: rng_failure and no key left behind") {
        ScriptRng none;
        d.assign(48, 0xaa);
        CHECK(p384_keygen(none.rng(), fixed<48>(d), fixed<97>(q)) == CryptoError::rng_failure);
        CHECK(d == Buf(48, 0));
        ScriptRng no_blinding{{unhex(priv_hex)}};
        CHECK(p384_keygen(no_blinding.rng(), fixed<48>(d), fixed<97>(q)) == CryptoError::rng_failure);
        CHECK(d == Buf(48, 0));
        // 64 draws out of range in a row (only a broken generator does that) are a failure too.
        ScriptRng stuck{std::vector<Buf>(64, Buf(48, 0xff))};
        CHECK(p384_keygen(stuck.rng(), fixed<48>(d), fixed<97>(q)) == CryptoError::rng_failure);
        CHECK(stuck.next == 64);
    }
}
