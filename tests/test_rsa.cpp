// SPDX-License-Identifier: Apache-2.0
// Bignum and RSA (RFC 8017) tests. Expected values come from python3's int (vectors/bignum.json)
// and from the openssl CLI (vectors/rsa/), never from padlock itself.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "crypto/bignum.hpp"

using namespace padlock;
using json = nlohmann::json;
using ByteVec = std::vector<std::uint8_t>;

namespace {

ByteVec unhex(const std::string& s) {
    ByteVec out(s.size() / 2);
    for (std::size_t i = 0; i < out.size(); i++) out[i] = std::uint8_t(std::stoul(s.substr(2 * i, 2), nullptr, 16));
    return out;
}
std::string tohex(Bytes b) {
    std::string s;
    char buf[3];
    for (auto x : b) {
        std::snprintf(buf, sizeof buf, "%02x", x);
        s += buf;
    }
    return s;
}
json load_json(const std::string& name) {
    std::ifstream f(std::string(PADLOCK_KAT_DIR) + "/" + name);
    REQUIRE(f.good());
    return json::parse(f);
}
[[maybe_unused]] std::string read_text(const std::string& name) {
    std::ifstream f(std::string(PADLOCK_KAT_DIR) + "/" + name, std::ios::binary);
    REQUIRE(f.good());
    return std::string(std::istreambuf_iterator<char>(f), {});
}

// A number held in limbs, with the byte width it is printed at.
struct Num {
    bn::Limb v[2 * bn::max_limbs + 2] = {};
};

Num num(const std::string& hex, std::size_t k) {
    Num n;
    ByteVec b = unhex(hex);
    REQUIRE(bn::from_bytes(n.v, k, b) == Error::ok);
    return n;
}
std::string hex_of(const bn::Limb* v, std::size_t k, std::size_t nbytes) {
    ByteVec out(nbytes);
    REQUIRE(bn::to_bytes(out, v, k) == Error::ok);
    return tohex(out);
}

}  // namespace

TEST_CASE("bignum: byte conversions", "[bignum]") {
    bn::Limb v[4];
    const ByteVec in = unhex("000102030405060708090a0b0c0d0e0f10");
    REQUIRE(bn::from_bytes(v, 4, in) == Error::ok);
    CHECK(hex_of(v, 4, 17) == "000102030405060708090a0b0c0d0e0f10");
    CHECK(hex_of(v, 4, 20) == "000000000102030405060708090a0b0c0d0e0f10");
    ByteVec small(15);
    CHECK(bn::to_bytes(small, v, 4) == Error::buffer_too_small);
    CHECK(bn::from_bytes(v, 1, in) == Error::bad_input_length);
    CHECK(bn::bit_length_vartime(v, 4) == 121);
}

TEST_CASE("bignum: arithmetic against python3 ints", "[bignum]") {
    const json data = load_json("bignum.json");
    for (const auto& c : data["cases"]) {
        const ByteVec nb = unhex(c["n"]);
        const std::size_t bytes = nb.size();
        const std::size_t k = bn::limbs_for_bits(bytes * 8);
        INFO("n = " << c["n"].get<std::string>());
        Num n = num(c["n"], k), a = num(c["a"], k), b = num(c["b"], k);

        Num sum;
        sum.v[k] = bn::add(sum.v, a.v, b.v, k);
        CHECK(hex_of(sum.v, k + 1, bytes + 1) == c["sum_carry"]);
        Num prod;
        bn::mul(prod.v, a.v, k, b.v, k);
        CHECK(hex_of(prod.v, 2 * k, 2 * bytes) == c["product"]);

        bn::MontModulus m;
        REQUIRE(bn::mont_init(m, n.v, k) == Error::ok);
        Num d;
        bn::mod_sub(m, d.v, a.v, b.v);
        CHECK(hex_of(d.v, k, bytes) == c["diff_mod"]);

        // Through the Montgomery domain and back: (aR * bR) R^-1 R^-1 = ab.
        Num am, bm, r;
        bn::mont_enter(m, am.v, a.v);
        bn::mont_enter(m, bm.v, b.v);
        bn::mont_mul(m, r.v, am.v, bm.v);
        bn::mont_leave(m, r.v, r.v);
        CHECK(hex_of(r.v, k, bytes) == c["mulmod"]);

        // REDC of the wide product aR * b gives ab.
        Num wide;
        bn::mul(wide.v, am.v, k, b.v, k);
        bn::mont_reduce(m, r.v, wide.v);
        CHECK(hex_of(r.v, k, bytes) == c["mulmod"]);

        const ByteVec eb = unhex(c["e"]);
        const std::size_t ek = bn::limbs_for_bits(eb.size() * 8);
        Num e = num(c["e"], ek);
        bn::mod_exp(m, r.v, a.v, e.v, ek);
        CHECK(hex_of(r.v, k, bytes) == c["exp"]);
        bn::mod_exp_public(m, r.v, a.v, e.v, ek);
        CHECK(hex_of(r.v, k, bytes) == c["exp"]);

        if (c.contains("inverse")) {
            REQUIRE(bn::mod_inverse_vartime(m, r.v, a.v) == Error::ok);
            CHECK(hex_of(r.v, k, bytes) == c["inverse"]);
        }
        if (c.contains("inverses"))
            for (const auto& pair : c["inverses"]) {
                Num x = num(pair[0], k);
                REQUIRE(bn::mod_inverse_vartime(m, r.v, x.v) == Error::ok);
                CHECK(hex_of(r.v, k, bytes) == pair[1]);
            }
    }
}

TEST_CASE("bignum: bad moduli and non-invertible values", "[bignum]") {
    bn::MontModulus m;
    bn::Limb even[2] = {10, 1};
    CHECK(bn::mont_init(m, even, 2) == Error::invalid_key);
    bn::Limb one[2] = {1, 0};
    CHECK(bn::mont_init(m, one, 2) == Error::invalid_key);
    bn::Limb fifteen[1] = {15};
    REQUIRE(bn::mont_init(m, fifteen, 1) == Error::ok);
    bn::Limb six[1] = {6}, out[1];
    CHECK(bn::mod_inverse_vartime(m, out, six) == Error::invalid_key);
    bn::Limb zero[1] = {0};
    CHECK(bn::mod_inverse_vartime(m, out, zero) == Error::invalid_key);
}
