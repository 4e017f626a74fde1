// SPDX-License-Identifier: Apache-2.0
// Bignum and RSA (RFC 8017) tests. Expected values come from python3's int (vectors/bignum.json)
// and from the openssl CLI (vectors/rsa/), never from padlock itself.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "asn1/keys.hpp"
#include "crypto/detail/cpu_testing.hpp"
#include "crypto/rsa/bignum.hpp"
#include "crypto/rsa/rsa.hpp"
#include "tests/support.hpp"

using namespace padlock;
using namespace padlock::test;
using json = nlohmann::json;

namespace {

std::string read_file(const std::string& name) {
    std::ifstream f(kat_path(name), std::ios::binary);
    REQUIRE(f.good());
    return std::string(std::istreambuf_iterator<char>(f), {});
}

// A number held in limbs, with the byte width it is printed at.
struct Num {
    bn::Limb v[2 * bn::max_limbs + 2] = {};
};

Num num(const std::string& digits, std::size_t k) {
    Num n;
    Buf b = unhex(digits);
    REQUIRE(bn::from_bytes(n.v, k, b) == CryptoError::ok);
    return n;
}
std::string hex_of(const bn::Limb* v, std::size_t k, std::size_t nbytes) {
    Buf out(nbytes);
    REQUIRE(bn::to_bytes(out, v, k) == CryptoError::ok);
    return hex(out);
}

}  // namespace

TEST_CASE("bignum: byte conversions", "[bignum]") {
    bn::Limb v[4];
    const Buf in = unhex("000102030405060708090a0b0c0d0e0f10");
    REQUIRE(bn::from_bytes(v, 4, in) == CryptoError::ok);
    CHECK(hex_of(v, 4, 17) == "000102030405060708090a0b0c0d0e0f10");
    CHECK(hex_of(v, 4, 20) == "000000000102030405060708090a0b0c0d0e0f10");
    Buf small(15);
    CHECK(bn::to_bytes(small, v, 4) == CryptoError::buffer_too_small);
    CHECK(bn::from_bytes(v, 1, in) == CryptoError::bad_input_length);
    CHECK(bn::bit_length_vartime(v, 4) == 121);
}

TEST_CASE("bignum: arithmetic against python3 ints", "[bignum]") {
    const json data = load_kat("bignum.json");
    for (const auto& c : data["cases"]) {
        const Buf nb = unhex(c["n"]);
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
        REQUIRE(bn::mont_init(m, n.v, k) == CryptoError::ok);
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

        const Buf eb = unhex(c["e"]);
        const std::size_t ek = bn::limbs_for_bits(eb.size() * 8);
        Num e = num(c["e"], ek);
        bn::mod_exp(m, r.v, a.v, e.v, ek);
        CHECK(hex_of(r.v, k, bytes) == c["exp"]);
        bn::mod_exp_public(m, r.v, a.v, e.v, ek);
        CHECK(hex_of(r.v, k, bytes) == c["exp"]);
        // Both halves of mod_exp2 (the IFMA backend for 1024-bit moduli), in place as RSA calls it.
        Num r1 = a, r2 = a;
        bn::mod_exp2(m, m, r1.v, r2.v, r1.v, r2.v, e.v, e.v, ek);
        CHECK(hex_of(r1.v, k, bytes) == c["exp"]);
        CHECK(hex_of(r2.v, k, bytes) == c["exp"]);

        if (c.contains("inverse")) {
            REQUIRE(bn::mod_inverse_vartime(m, r.v, a.v) == CryptoError::ok);
            CHECK(hex_of(r.v, k, bytes) == c["inverse"]);
        }
        if (c.contains("inverses"))
            for (const auto& pair : c["inverses"]) {
                Num x = num(pair[0], k);
                REQUIRE(bn::mod_inverse_vartime(m, r.v, x.v) == CryptoError::ok);
                CHECK(hex_of(r.v, k, bytes) == pair[1]);
            }
    }
}

TEST_CASE("bignum: mod_exp2's backend equals two portable mod_exp calls on random and edge values", "[bignum][accel][slow]") {
    // Under `--backend ifma` (tests/main.cpp) 1024-, 1536- and 2048-bit pairs run
    // crypto/rsa/bignum_x86.cpp; the reference runs with the library capped at portable. The cap
    // decides the code: the test must not pass by comparing portable with itself. Tagged [slow]
    // (skipped under qemu, where no backend exists and the portable reference takes minutes).
    const std::uint32_t cap = cpu::features();
    const bool ifma = bn::limb_bits == 64 && cpu::has(cpu::avx512 | cpu::avx512ifma);
    for (std::size_t bits : {1024, 1536, 2048})
        REQUIRE(std::string(bn::mod_exp2_backend_name(bits / bn::limb_bits)) == (ifma ? "ifma" : "portable"));
    CHECK(std::string(bn::mod_exp2_backend_name(1280 / bn::limb_bits)) == "portable");
    std::mt19937_64 rng(20261202);
    for (std::size_t bits : {1024, 1536, 2048}) {
        const std::size_t k = bits / bn::limb_bits, bytes = bits / 8;
        auto random_num = [&](std::size_t limbs) {
            Num x;
            for (std::size_t i = 0; i < limbs; i++) x.v[i] = bn::Limb(rng());
            return x;
        };
        // Moduli: random full-size ones, 2^bits - 1, 2^(bits-1) + 1, and one 24 bits shorter held
        // in the same k limbs.
        std::vector<Num> moduli;
        for (int i = 0; i < 4; i++) {
            Num n = random_num(k);
            n.v[0] |= 1;
            n.v[k - 1] |= bn::Limb(1) << (bn::limb_bits - 1);
            moduli.push_back(n);
        }
        Num all_ones, top_plus_one, short_n = random_num(k);
        for (std::size_t i = 0; i < k; i++) all_ones.v[i] = ~bn::Limb(0);
        top_plus_one.v[0] = 1;
        top_plus_one.v[k - 1] = bn::Limb(1) << (bn::limb_bits - 1);
        short_n.v[0] |= 1;
        for (std::size_t bit = bits - 24; bit < bits; bit++) short_n.v[bit / bn::limb_bits] &= ~(bn::Limb(1) << (bit % bn::limb_bits));
        short_n.v[(bits - 25) / bn::limb_bits] |= bn::Limb(1) << ((bits - 25) % bn::limb_bits);
        moduli.insert(moduli.end(), {all_ones, top_plus_one, short_n});

        for (std::size_t i = 0; i < moduli.size(); i++) {
            bn::MontModulus m1, m2;
            REQUIRE(bn::mont_init(m1, moduli[i].v, k) == CryptoError::ok);
            REQUIRE(bn::mont_init(m2, moduli[(i + 1) % moduli.size()].v, k) == CryptoError::ok);
            // Bases: 0, 1, 2, n - 1 and random values below n.
            auto base_below = [&](const bn::MontModulus& m, int which) {
                Num b;
                if (which == 1) b.v[0] = 1;
                if (which == 2) b.v[0] = 2;
                if (which == 3) {
                    for (std::size_t j = 0; j < k; j++) b.v[j] = m.n[j];
                    b.v[0] -= 1;
                }
                if (which >= 4) {
                    b = random_num(k);
                    while (!bn::mask_less(b.v, m.n, k)) b.v[k - 1] >>= 1;
                }
                return b;
            };
            for (int which = 0; which < 8; which++) {
                // Exponents of k limbs (random, all ones, zero, one) and of 1 and k + 1 limbs.
                const std::size_t ek = which == 6 ? 1 : which == 7 ? k + 1 : k;
                Num e1 = random_num(ek), e2 = random_num(ek);
                if (which == 1)
                    for (std::size_t j = 0; j < ek; j++) e1.v[j] = ~bn::Limb(0);
                if (which == 2) e2 = Num{};
                if (which == 3) {
                    e1 = Num{};
                    e1.v[0] = 1;
                }
                const Num b1 = base_below(m1, which), b2 = base_below(m2, (which + 2) % 8);
                INFO(bits << "-bit modulus " << i << " case " << which);
                Num fast1 = b1, fast2 = b2, slow1, slow2;
                bn::mod_exp2(m1, m2, fast1.v, fast2.v, fast1.v, fast2.v, e1.v, e2.v, ek);
                cpu::restrict_for_testing(0);
                bn::mod_exp(m1, slow1.v, b1.v, e1.v, ek);
                bn::mod_exp(m2, slow2.v, b2.v, e2.v, ek);
                cpu::restrict_for_testing(cap);
                REQUIRE(hex_of(fast1.v, k, bytes) == hex_of(slow1.v, k, bytes));
                REQUIRE(hex_of(fast2.v, k, bytes) == hex_of(slow2.v, k, bytes));
            }
        }
    }
}

TEST_CASE("bignum: mod_exp_public's backend equals the portable one on random and edge values", "[bignum][accel][slow]") {
    // Under `--backend ifma` 2048-, 3072- and 4096-bit moduli run crypto/rsa/bignum_x86.cpp.
    const std::uint32_t cap = cpu::features();
    const bool ifma = bn::limb_bits == 64 && cpu::has(cpu::avx512 | cpu::avx512ifma);
    for (std::size_t bits : {2048, 3072, 4096})
        REQUIRE(std::string(bn::mod_exp_public_backend_name(bits / bn::limb_bits)) == (ifma ? "ifma" : "portable"));
    CHECK(std::string(bn::mod_exp_public_backend_name(2112 / bn::limb_bits)) == "portable");
    std::mt19937_64 rng(20261203);
    for (std::size_t bits : {2048, 3072, 4096}) {
        const std::size_t k = bits / bn::limb_bits, bytes = bits / 8;
        for (int which = 0; which < 6; which++) {
            // Moduli: random full-size ones and 2^bits - 1; bases 0, 1, n - 1 and random.
            Num n, base, e;
            for (std::size_t i = 0; i < k; i++) n.v[i] = which == 5 ? ~bn::Limb(0) : bn::Limb(rng());
            n.v[0] |= 1;
            n.v[k - 1] |= bn::Limb(1) << (bn::limb_bits - 1);
            bn::MontModulus m;
            REQUIRE(bn::mont_init(m, n.v, k) == CryptoError::ok);
            if (which == 1) base.v[0] = 1;
            if (which == 2) {
                base = n;
                base.v[0] -= 1;
            }
            if (which >= 3)
                for (std::size_t i = 0; i + 1 < k; i++) base.v[i] = bn::Limb(rng());
            // Exponents: 3, 65537, and random ones of 32 bits and of k limbs.
            const std::size_t ek = which == 4 ? k : 1;
            if (which == 4)
                for (std::size_t i = 0; i < k; i++) e.v[i] = bn::Limb(rng());
            else
                e.v[0] = which % 3 == 0 ? 3 : which % 3 == 1 ? 65537 : bn::Limb(rng() | 1) & 0xffffffffu;
            INFO(bits << "-bit modulus, case " << which);
            Num fast, slow;
            bn::mod_exp_public(m, fast.v, base.v, e.v, ek);
            cpu::restrict_for_testing(0);
            bn::mod_exp_public(m, slow.v, base.v, e.v, ek);
            cpu::restrict_for_testing(cap);
            REQUIRE(hex_of(fast.v, k, bytes) == hex_of(slow.v, k, bytes));
        }
    }
}

TEST_CASE("bignum: bad moduli and non-invertible values", "[bignum]") {
    bn::MontModulus m;
    bn::Limb even[2] = {10, 1};
    CHECK(bn::mont_init(m, even, 2) == CryptoError::invalid_key);
    bn::Limb one[2] = {1, 0};
    CHECK(bn::mont_init(m, one, 2) == CryptoError::invalid_key);
    bn::Limb fifteen[1] = {15};
    REQUIRE(bn::mont_init(m, fifteen, 1) == CryptoError::ok);
    bn::Limb six[1] = {6}, out[1];
    CHECK(bn::mod_inverse_vartime(m, out, six) == CryptoError::invalid_key);
    bn::Limb zero[1] = {0};
    CHECK(bn::mod_inverse_vartime(m, out, zero) == CryptoError::invalid_key);
}

// mont_mul and mont_sqr have unrolled copies for some limb counts (16, 24, 32 with 64-bit limbs)
// and loops for the rest; REDC of the schoolbook product (bn::mul + bn::mont_reduce) is separate,
// row-wise code. All must agree at every size, including the carry-heavy extremes: an all-ones
// modulus, 2^(w*k-1) + 1, a modulus whose top limb is zero, and operands 0, 1, n-1.
TEST_CASE("bignum: mont_mul and mont_sqr agree with REDC of the schoolbook product at every size", "[bignum]") {
    std::uint64_t state = 0x243f6a8885a308d3;  // splitmix64: deterministic inputs
    auto random_limb = [&] {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
        z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
        return bn::Limb(z ^ (z >> 31));
    };
    auto show = [](const bn::Limb* v, std::size_t k) { return hex_of(v, k, k * bn::limb_bytes); };
    for (std::size_t k = 1; k <= bn::max_limbs; k++) {
        for (int shape = 0; shape < 4; shape++) {
            Num n;
            for (std::size_t i = 0; i < k; i++) n.v[i] = shape == 0 ? ~bn::Limb(0) : random_limb();
            if (shape == 1) {  // 2^(w*k-1) + 1
                for (std::size_t i = 0; i < k; i++) n.v[i] = 0;
                n.v[k - 1] = bn::Limb(1) << (bn::limb_bits - 1);
            }
            if (shape == 3 && k > 1) n.v[k - 1] = 0;  // several moduli may share k (the CRT primes)
            n.v[0] |= 1;
            if (shape == 3 && k == 1) n.v[0] |= 2;  // keep n > 1
            bn::MontModulus m;
            REQUIRE(bn::mont_init(m, n.v, k) == CryptoError::ok);
            const std::size_t kn = bn::limb_length_vartime(n.v, k);
            auto below_n = [&] {  // random limbs, the top one below n's top limb
                Num x;
                for (std::size_t i = 0; i + 1 < kn; i++) x.v[i] = random_limb();
                x.v[kn - 1] = random_limb() % n.v[kn - 1];
                return x;
            };
            Num n_minus_1 = n;
            n_minus_1.v[0] -= 1;  // n is odd
            for (int pick = 0; pick < 6; pick++) {
                // a: random, n-1, 1, 0, random, random; b: random, n-1, random, random, n-1, n-1.
                Num a = pick == 1 ? n_minus_1 : below_n(), b = pick == 1 || pick >= 4 ? n_minus_1 : below_n();
                if (pick == 2 || pick == 3) {
                    a = Num{};
                    a.v[0] = pick == 2 ? 1 : 0;
                }
                INFO("k = " << k << " shape " << shape << " pick " << pick << "\nn = " << show(n.v, k) << "\na = "
                            << show(a.v, k) << "\nb = " << show(b.v, k));
                REQUIRE(bn::mask_less(a.v, n.v, k) != 0);
                REQUIRE(bn::mask_less(b.v, n.v, k) != 0);

                Num wide, expect, got;
                bn::mul(wide.v, a.v, k, b.v, k);
                bn::mont_reduce(m, expect.v, wide.v);
                bn::mont_mul(m, got.v, a.v, b.v);
                CHECK(show(got.v, k) == show(expect.v, k));
                bn::mont_mul(m, got.v, b.v, a.v);
                CHECK(show(got.v, k) == show(expect.v, k));

                bn::mul(wide.v, a.v, k, a.v, k);
                bn::mont_reduce(m, expect.v, wide.v);
                bn::mont_sqr(m, got.v, a.v);
                CHECK(show(got.v, k) == show(expect.v, k));
                got = a;
                bn::mont_sqr(m, got.v, got.v);  // in place
                CHECK(show(got.v, k) == show(expect.v, k));
            }
        }
    }
}

// --- RSA -------------------------------------------------------------------------------------------

namespace {

// A PKCS#8 key from vectors/rsa/ (made by `openssl genpkey`), decoded with asn1.
struct TestKey {
    std::string der;
    asn1::RsaPrivateKeyDer fields;
    RsaPrivateKeyView view() const {
        const auto& f = fields;
        return {f.n, f.e, f.d, f.p, f.q, f.dp, f.dq, f.qinv};
    }
};

TestKey load_test_key(const std::string& name) {
    TestKey k;
    k.der = read_file("rsa/" + name);
    const Bytes der(reinterpret_cast<const std::uint8_t*>(k.der.data()), k.der.size());
    asn1::Pkcs8 p8;
    REQUIRE(asn1::parse_pkcs8(der, p8) == asn1::Asn1Error::ok);
    REQUIRE(asn1::parse_rsa_private_key(p8.private_key, k.fields) == asn1::Asn1Error::ok);
    return k;
}

HashAlg hash_named(const std::string& s) {
    if (s == "sha1") return HashAlg::sha1;
    if (s == "sha224") return HashAlg::sha224;
    if (s == "sha256") return HashAlg::sha256;
    if (s == "sha384") return HashAlg::sha384;
    REQUIRE(s == "sha512");
    return HashAlg::sha512;
}

// A deterministic "random" source for tests that must not depend on the system RNG.
CryptoError counter_fill(void* ctx, MutBytes out) {
    auto* state = static_cast<std::uint32_t*>(ctx);
    for (auto& b : out) {
        *state = *state * 1664525u + 1013904223u;
        b = std::uint8_t(*state >> 24);
    }
    return CryptoError::ok;
}
CryptoError failing_fill(void*, MutBytes) { return CryptoError::rng_failure; }

}  // namespace

TEST_CASE("rsa: PKCS#1 v1.5 signatures equal openssl's and verify", "[rsa]") {
    const json data = load_kat("rsa/openssl_signatures.json");
    for (const auto& c : data["pkcs1"]) {
        const TestKey tk = load_test_key(c["key"]);
        RsaPrivateKey key;
        REQUIRE(key.load(tk.view()) == CryptoError::ok);
        const HashAlg h = hash_named(c["hash"]);
        const Buf msg = unhex(c["msg"]), expected = unhex(c["sig"]);
        INFO(c["key"].get<std::string>() << " " << c["hash"].get<std::string>() << " msg " << c["msg"].get<std::string>());
        Buf sig(key.modulus_bytes());
        REQUIRE(rsa_pkcs1_sign(key, h, msg, system_rng(), sig) == CryptoError::ok);
        CHECK(hex(sig) == hex(expected));
        CHECK(rsa_pkcs1_verify(key.public_key(), h, msg, expected) == CryptoError::ok);
        CHECK(rsa_pkcs1_verify(RsaPublicKeyView{tk.fields.n, tk.fields.e}, h, msg, expected) == CryptoError::ok);
        // The digest variant agrees.
        Buf digest(hash_size(h));
        REQUIRE(padlock::hash(h, msg, digest) == CryptoError::ok);
        CHECK(rsa_pkcs1_verify_digest(key.public_key(), h, digest, expected) == CryptoError::ok);
        // Another hash, or another message, does not verify.
        const HashAlg other = h == HashAlg::sha256 ? HashAlg::sha384 : HashAlg::sha256;
        CHECK(rsa_pkcs1_verify(key.public_key(), other, msg, expected) == CryptoError::invalid_signature);
        Buf msg2 = msg;
        msg2.push_back(0);
        CHECK(rsa_pkcs1_verify(key.public_key(), h, msg2, expected) == CryptoError::invalid_signature);
    }
}

TEST_CASE("rsa: openssl PSS signatures verify (salt lengths 0..64, MGF1 hash may differ)", "[rsa]") {
    const json data = load_kat("rsa/openssl_signatures.json");
    for (const auto& c : data["pss"]) {
        const TestKey tk = load_test_key(c["key"]);
        RsaPublicKey pub;
        REQUIRE(pub.load({tk.fields.n, tk.fields.e}) == CryptoError::ok);
        const HashAlg h = hash_named(c["hash"]), mgf = hash_named(c["mgf1_hash"]);
        const std::size_t salt_len = c["salt_len"];
        const Buf msg = unhex(c["msg"]), sig = unhex(c["sig"]);
        INFO(c["key"].get<std::string>() << " " << c["hash"].get<std::string>() << "/" << c["mgf1_hash"].get<std::string>()
                                        << " salt " << salt_len);
        CHECK(rsa_pss_verify(pub, h, mgf, salt_len, msg, sig) == CryptoError::ok);
        CHECK(rsa_pss_verify(pub, h, mgf, salt_len + 1, msg, sig) == CryptoError::invalid_signature);
        if (mgf != h) CHECK(rsa_pss_verify(pub, h, h, salt_len, msg, sig) == CryptoError::invalid_signature);
        // Not a PKCS#1 v1.5 signature.
        CHECK(rsa_pkcs1_verify(pub, h, msg, sig) == CryptoError::invalid_signature);
    }
}

TEST_CASE("rsa: sign -> verify round trips for 2048/2049/3072/4096, blinding on and off agree", "[rsa]") {
    const Buf msg = unhex("5468652071756963682062726f776e20666f78");
    for (const char* name : {"key2048.der", "key2049.der", "key3072.der", "key4096.der"}) {
        INFO(name);
        const TestKey tk = load_test_key(name);
        RsaPrivateKey key;
        REQUIRE(key.load(tk.view()) == CryptoError::ok);
        const std::size_t k = key.modulus_bytes();

        Buf blinded(k), plain(k);
        REQUIRE(rsa_pkcs1_sign(key, HashAlg::sha384, msg, system_rng(), blinded, Blinding::on) == CryptoError::ok);
        REQUIRE(rsa_pkcs1_sign(key, HashAlg::sha384, msg, system_rng(), plain, Blinding::off) == CryptoError::ok);
        CHECK(hex(blinded) == hex(plain));
        CHECK(rsa_pkcs1_verify(key.public_key(), HashAlg::sha384, msg, blinded) == CryptoError::ok);

        // PSS with a fixed salt is deterministic: blinding must not change it either.
        const Buf salt = unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        Buf pss1(k), pss2(k);
        REQUIRE(rsa_pss_sign_with_salt(key, HashAlg::sha256, HashAlg::sha256, salt, msg, system_rng(), pss1) == CryptoError::ok);
        REQUIRE(rsa_pss_sign_with_salt(key, HashAlg::sha256, HashAlg::sha256, salt, msg, system_rng(), pss2,
                                       Blinding::off) == CryptoError::ok);
        CHECK(hex(pss1) == hex(pss2));
        CHECK(rsa_pss_verify(key.public_key(), HashAlg::sha256, HashAlg::sha256, salt.size(), msg, pss1) == CryptoError::ok);

        // Random salts of several lengths, including 0 and the largest that fits, mixed hashes.
        const std::size_t max_salt = (key.public_key().modulus_bits() - 1 + 7) / 8 - hash_size(HashAlg::sha512) - 2;
        for (std::size_t salt_len : {std::size_t(0), std::size_t(20), std::size_t(64), max_salt}) {
            Buf sig(k);
            REQUIRE(rsa_pss_sign(key, HashAlg::sha512, HashAlg::sha1, salt_len, msg, system_rng(), sig) == CryptoError::ok);
            CHECK(rsa_pss_verify(key.public_key(), HashAlg::sha512, HashAlg::sha1, salt_len, msg, sig) == CryptoError::ok);
        }
        Buf sig(k);
        CHECK(rsa_pss_sign(key, HashAlg::sha512, HashAlg::sha1, max_salt + 1, msg, system_rng(), sig) ==
              CryptoError::encoding_error);
    }
}

TEST_CASE("rsa: every single-bit flip of a signature is rejected", "[rsa]") {
    const TestKey tk = load_test_key("key2048.der");
    RsaPrivateKey key;
    REQUIRE(key.load(tk.view()) == CryptoError::ok);
    const Buf msg = unhex("616263");
    Buf pkcs1(key.modulus_bytes()), pss(key.modulus_bytes());
    REQUIRE(rsa_pkcs1_sign(key, HashAlg::sha256, msg, system_rng(), pkcs1) == CryptoError::ok);
    REQUIRE(rsa_pss_sign(key, HashAlg::sha256, HashAlg::sha256, 32, msg, system_rng(), pss) == CryptoError::ok);
    std::size_t accepted = 0;
    for (std::size_t bit = 0; bit < pkcs1.size() * 8; bit++) {
        Buf a = pkcs1, b = pss;
        a[bit / 8] ^= std::uint8_t(1 << (bit % 8));
        b[bit / 8] ^= std::uint8_t(1 << (bit % 8));
        if (rsa_pkcs1_verify(key.public_key(), HashAlg::sha256, msg, a) != CryptoError::invalid_signature) accepted++;
        if (rsa_pss_verify(key.public_key(), HashAlg::sha256, HashAlg::sha256, 32, msg, b) != CryptoError::invalid_signature)
            accepted++;
    }
    CHECK(accepted == 0);
}

TEST_CASE("rsa: bad inputs give clean errors", "[rsa]") {
    const TestKey tk = load_test_key("key2048.der");
    const auto& f = tk.fields;
    RsaPrivateKey key;
    REQUIRE(key.load(tk.view()) == CryptoError::ok);
    const RsaPublicKey& pub = key.public_key();
    const std::size_t k = key.modulus_bytes();
    const Buf msg = unhex("616263");
    Buf sig(k);
    REQUIRE(rsa_pkcs1_sign(key, HashAlg::sha256, msg, system_rng(), sig) == CryptoError::ok);

    SECTION("signature length, range and digest size") {
        Buf shorter(sig.begin() + 1, sig.end()), longer = sig;
        longer.insert(longer.begin(), 0);
        CHECK(rsa_pkcs1_verify(pub, HashAlg::sha256, msg, shorter) == CryptoError::invalid_signature);
        CHECK(rsa_pkcs1_verify(pub, HashAlg::sha256, msg, longer) == CryptoError::invalid_signature);
        CHECK(rsa_pkcs1_verify(pub, HashAlg::sha256, msg, Bytes{}) == CryptoError::invalid_signature);
        Buf n(f.n.begin(), f.n.end());
        while (n.size() > k) n.erase(n.begin());  // drop a DER sign octet if present
        CHECK(rsa_pkcs1_verify(pub, HashAlg::sha256, msg, n) == CryptoError::invalid_signature);  // s == n
        Buf ones(k, 0xff);
        CHECK(rsa_pss_verify(pub, HashAlg::sha256, HashAlg::sha256, 32, msg, ones) == CryptoError::invalid_signature);
        Buf zeros(k, 0);
        CHECK(rsa_pkcs1_verify(pub, HashAlg::sha256, msg, zeros) == CryptoError::invalid_signature);
        CHECK(rsa_pkcs1_verify_digest(pub, HashAlg::sha256, msg, sig) == CryptoError::bad_input_length);
        CHECK(rsa_pss_verify(pub, HashAlg::sha256, HashAlg::sha256, 100000, msg, sig) == CryptoError::invalid_signature);
    }
    SECTION("output buffer sizes") {
        Buf small(k - 1), big(k + 1);
        CHECK(rsa_pkcs1_sign(key, HashAlg::sha256, msg, system_rng(), small) == CryptoError::buffer_too_small);
        CHECK(rsa_pkcs1_sign(key, HashAlg::sha256, msg, system_rng(), big) == CryptoError::bad_input_length);
        Buf digest(31);
        CHECK(rsa_pkcs1_sign_digest(key, HashAlg::sha256, digest, system_rng(), sig) == CryptoError::bad_input_length);
    }
    SECTION("a failing RNG fails blinding and PSS salt, cleanly") {
        Rng bad{failing_fill, nullptr};
        CHECK(rsa_pkcs1_sign(key, HashAlg::sha256, msg, bad, sig) == CryptoError::rng_failure);
        CHECK(std::all_of(sig.begin(), sig.end(), [](std::uint8_t b) { return b == 0; }));
        CHECK(rsa_pss_sign(key, HashAlg::sha256, HashAlg::sha256, 32, msg, bad, sig) == CryptoError::rng_failure);
        // Without blinding the RNG is not needed for PKCS#1 v1.5.
        CHECK(rsa_pkcs1_sign(key, HashAlg::sha256, msg, bad, sig, Blinding::off) == CryptoError::ok);
    }
    SECTION("a deterministic RNG gives the same signature as the system one") {
        std::uint32_t state = 1;
        Rng det{counter_fill, &state};
        Buf again(k);
        REQUIRE(rsa_pkcs1_sign(key, HashAlg::sha256, msg, det, again) == CryptoError::ok);
        CHECK(hex(again) == hex(sig));
    }
    SECTION("inconsistent keys are refused at load") {
        RsaPrivateKey bad;
        RsaPrivateKeyView wrong = tk.view();  // q := p, so p * q != n
        wrong.q = f.p;
        CHECK(bad.load(wrong) == CryptoError::invalid_key);
        Buf even(f.n.begin(), f.n.end());
        even.back() ^= 1;
        RsaPublicKey p2;
        CHECK(p2.load({even, f.e}) == CryptoError::invalid_key);
        CHECK(p2.load({Bytes(f.n).subspan(0, 64), f.e}) == CryptoError::unsupported_key_size);  // 512 bits
        const Buf e_even = unhex("010000"), e_one = unhex("01");
        CHECK(p2.load({f.n, e_even}) == CryptoError::invalid_key);
        CHECK(p2.load({f.n, e_one}) == CryptoError::invalid_key);
        Buf huge(600, 0xff);
        CHECK(p2.load({huge, f.e}) == CryptoError::unsupported_key_size);
        // The public exponent is capped at 32 bits (rsa.hpp): 2^32 - 1 loads, 2^32 + 1 does not,
        // nor does a 3071-bit one (a verification would take ~1,500 times as long as e = 65537).
        CHECK(p2.load({f.n, unhex("ffffffff")}) == CryptoError::ok);
        CHECK(p2.load({f.n, unhex("0100000001")}) == CryptoError::unsupported_key_size);
        Buf e_big(f.n.begin(), f.n.end());
        e_big[0] = 0x01;  // below n, odd (n is), 2041 bits or so
        CHECK(p2.load({f.n, e_big}) == CryptoError::unsupported_key_size);
        CHECK(p2.modulus_bits() == 0);  // a refused key is left empty
        RsaPrivateKeyView big_dp = tk.view();
        big_dp.dp = f.n;
        CHECK(bad.load(big_dp) == CryptoError::invalid_key);
    }
    SECTION("a fault in one CRT half is caught before the signature is released") {
        // dp + 2 (still below p) stands for a glitched exponentiation mod p.
        Buf dp(f.dp.begin(), f.dp.end());
        dp.back() = std::uint8_t(dp.back() ^ 2);
        RsaPrivateKeyView faulty = tk.view();
        faulty.dp = dp;
        RsaPrivateKey fk;
        REQUIRE(fk.load(faulty) == CryptoError::ok);
        Buf out(k, 0xaa);
        CHECK(rsa_pkcs1_sign(fk, HashAlg::sha256, msg, system_rng(), out) == CryptoError::fault_detected);
        CHECK(std::all_of(out.begin(), out.end(), [](std::uint8_t b) { return b == 0; }));
    }
}
