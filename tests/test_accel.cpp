// SPDX-License-Identifier: Apache-2.0
// Accelerated backends against the portable code (crypto/cpu.hpp): run with `--backend NAME` (tests/
// main.cpp caps the library at that backend), every test here computes each result twice, once
// under the cap and once with the cap at portable, on pseudo-random inputs of every length 0..1024
// and a few large ones, out of place, in place and (for hashes) split into pieces. The known answers
// themselves are checked per backend by the other test programs and by `padlock vectors --backend`.
#include <algorithm>
#include <cstring>
#include <random>
#include <string>

#include "crypto/ec/x25519.hpp"
#include "crypto/symmetric/chacha20.hpp"
#include "crypto/symmetric/chacha20_poly1305.hpp"
#include "crypto/detail/cpu_testing.hpp"
#include "crypto/symmetric/poly1305.hpp"
#include "crypto/symmetric/gcm.hpp"
#include "crypto/hash/sha2.hpp"
#include "tests/support.hpp"

using namespace padlock;
using padlock::test::Buf;
using padlock::test::hex;

namespace {

Buf random_bytes(std::mt19937_64& rng, std::size_t n) {
    Buf b(n);
    for (auto& x : b) x = std::uint8_t(rng());
    return b;
}

const std::size_t large_lengths[] = {4096 + 7, 16384, 65536 + 255, (1u << 20) + 1};

}  // namespace

TEST_CASE("AES-GCM backend equals portable: lengths 0..1024 and large, in place, every key size", "[accel][gcm]") {
    std::mt19937_64 rng(20261202);
    for (std::size_t key_size : {16, 24, 32}) {
        const Buf key = random_bytes(rng, key_size);
        AesGcm fast, slow;
        REQUIRE(fast.init(key) == CryptoError::ok);
        cpu::as_portable([&] { REQUIRE(slow.init(key) == CryptoError::ok); });
        INFO("backend under test: " << fast.backend_name());
        REQUIRE(std::string(slow.backend_name()) == "portable");
        // The cap decides the code: the test must not pass by comparing portable with itself.
        const char* expected = cpu::has(cpu::avx512 | cpu::vaes | cpu::vpclmulqdq | cpu::aesni | cpu::pclmulqdq)
                                   ? "vaes512"
                               : cpu::has(cpu::avx2 | cpu::vaes | cpu::vpclmulqdq | cpu::aesni | cpu::pclmulqdq)
                                   ? "vaes256"
                               : cpu::has(cpu::aesni | cpu::pclmulqdq) ? "aesni"
                                                                       : "portable";
        REQUIRE(std::string(fast.backend_name()) == expected);
        std::vector<std::size_t> lengths;
        for (std::size_t n = 0; n <= 1024; n++) lengths.push_back(n);
        for (std::size_t n : large_lengths) lengths.push_back(n);
        for (std::size_t n : lengths) {
            INFO("key " << key_size << " length " << n);
            // IV of 12 bytes mostly; other sizes take the GHASH path of §7.1 step 2.
            const std::size_t iv_size = n % 5 == 0 ? 1 + n % 64 : 12;
            const Buf iv = random_bytes(rng, iv_size), aad = random_bytes(rng, n % 97 == 0 ? n : n % 41);
            const Buf pt = random_bytes(rng, n);
            Buf ct_fast(n), ct_slow(n);
            std::uint8_t tag_fast[16], tag_slow[16];
            REQUIRE(fast.seal(iv, aad, pt, ct_fast, tag_fast) == CryptoError::ok);
            REQUIRE(slow.seal(iv, aad, pt, ct_slow, tag_slow) == CryptoError::ok);
            REQUIRE(hex(ct_fast) == hex(ct_slow));
            REQUIRE(hex(Bytes(tag_fast)) == hex(Bytes(tag_slow)));
            // In place, both directions.
            Buf buf = pt;
            std::uint8_t tag_in_place[16];
            REQUIRE(fast.seal(iv, aad, buf, buf, tag_in_place) == CryptoError::ok);
            REQUIRE(hex(buf) == hex(ct_slow));
            REQUIRE(hex(Bytes(tag_in_place)) == hex(Bytes(tag_slow)));
            REQUIRE(fast.open(iv, aad, buf, Bytes(tag_slow), buf) == CryptoError::ok);
            REQUIRE(hex(buf) == hex(pt));
            Buf opened(n);  // and out of place
            REQUIRE(fast.open(iv, aad, ct_slow, Bytes(tag_slow), opened) == CryptoError::ok);
            REQUIRE(hex(opened) == hex(pt));
            // A wrong tag (one bit, at a position that moves with n) fails with zeroed output.
            std::uint8_t bad[16];
            std::memcpy(bad, tag_slow, 16);
            bad[n % 16] ^= std::uint8_t(1u << (n % 8));
            Buf out = random_bytes(rng, n);
            REQUIRE(fast.open(iv, aad, ct_slow, Bytes(bad), out) == CryptoError::auth_failed);
            REQUIRE(hex(out) == hex(Buf(n)));
            if (n > 0) {  // and so does a flipped ciphertext bit, out of place and in place
                Buf flipped = ct_slow;
                flipped[(n * 7) % n] ^= 0x80;
                out = random_bytes(rng, n);
                REQUIRE(fast.open(iv, aad, flipped, Bytes(tag_slow), out) == CryptoError::auth_failed);
                REQUIRE(hex(out) == hex(Buf(n)));
                REQUIRE(fast.open(iv, aad, flipped, Bytes(tag_slow), flipped) == CryptoError::auth_failed);
                REQUIRE(hex(flipped) == hex(Buf(n)));
            }
        }
    }
}

TEMPLATE_TEST_CASE("SHA-2 backend equals portable: lengths 0..1024 and large, split at random points", "[accel][hash]",
                   Sha224, Sha256, Sha384, Sha512) {
    std::mt19937_64 rng(7);
    const bool sha256_family = TestType::block_size == 64;
    const char* expected = sha256_family ? (cpu::has(cpu::sha_ni) ? "shani" : "portable")
                                         : cpu::has(cpu::avx2 | cpu::bmi2 | cpu::avx512) ? "avx512"
                                         : (cpu::has(cpu::avx2 | cpu::bmi2) ? "avx2" : "portable");
    REQUIRE(std::string(detail::sha2_backend_name(TestType::block_size)) == expected);
    std::vector<std::size_t> lengths;
    for (std::size_t n = 0; n <= 1024; n++) lengths.push_back(n);
    for (std::size_t n : large_lengths) lengths.push_back(n);
    for (std::size_t n : lengths) {
        INFO("length " << n);
        const Buf msg = random_bytes(rng, n);
        std::uint8_t want[TestType::digest_size], one_shot[TestType::digest_size], split[TestType::digest_size];
        cpu::as_portable([&] { TestType::hash(msg, want); });
        TestType::hash(msg, one_shot);
        REQUIRE(hex(Bytes(one_shot)) == hex(Bytes(want)));
        TestType h;
        std::size_t at = 0;
        while (at < n) {
            const std::size_t piece = std::min<std::size_t>(n - at, rng() % 200);
            h.update(Bytes(msg.data() + at, piece));
            at += piece;
        }
        h.final(split);
        REQUIRE(hex(Bytes(split)) == hex(Bytes(want)));
    }
}

TEST_CASE("ChaCha20 backend equals portable: lengths 0..1024 and large, split at block boundaries, in place",
          "[accel][chacha]") {
    std::mt19937_64 rng(8439);
    const char* expected = cpu::has(cpu::avx2 | cpu::avx512) ? "avx512" : cpu::has(cpu::avx2) ? "avx2" : "portable";
    REQUIRE(std::string(chacha20_backend_name()) == expected);
    std::vector<std::size_t> lengths;
    for (std::size_t n = 0; n <= 1024; n++) lengths.push_back(n);
    for (std::size_t n : large_lengths) lengths.push_back(n);
    for (std::size_t n : lengths) {
        INFO("length " << n);
        const Buf key = random_bytes(rng, 32), nonce = random_bytes(rng, 12), msg = random_bytes(rng, n);
        // Counters near 2^32 check the wrap (mod 2^32, as the portable code does) in every lane.
        const std::uint32_t counter = n % 3 == 0 ? 0xffffffffu - std::uint32_t(n % 29) : std::uint32_t(rng());
        const auto k = std::span<const std::uint8_t, 32>(key.data(), 32);
        const auto iv = std::span<const std::uint8_t, 12>(nonce.data(), 12);
        Buf want(n), got(n);
        cpu::as_portable([&] { chacha20_xor(k, iv, counter, msg, want); });
        chacha20_xor(k, iv, counter, msg, got);
        REQUIRE(hex(got) == hex(want));
        Buf buf = msg;  // in place
        chacha20_xor(k, iv, counter, buf, buf);
        REQUIRE(hex(buf) == hex(want));
        // Split at a block boundary: the second piece starts at the counter after the first.
        const std::size_t cut = 64 * ((rng() % (n + 1)) / 64);
        Buf pieces(n);
        chacha20_xor(k, iv, counter, Bytes(msg.data(), cut), MutBytes(pieces.data(), cut));
        chacha20_xor(k, iv, counter + std::uint32_t(cut / 64), Bytes(msg.data() + cut, n - cut),
                     MutBytes(pieces.data() + cut, n - cut));
        REQUIRE(hex(pieces) == hex(want));
        // chacha20_xor_keep: 0xff is chacha20_xor, 0 writes zeros (in place too).
        Buf kept = random_bytes(rng, n);
        chacha20_xor_keep(k, iv, counter, msg, kept, 0xff);
        REQUIRE(hex(kept) == hex(want));
        chacha20_xor_keep(k, iv, counter, msg, kept, 0);
        REQUIRE(hex(kept) == hex(Buf(n)));
        buf = msg;
        chacha20_xor_keep(k, iv, counter, buf, buf, 0);
        REQUIRE(hex(buf) == hex(Buf(n)));
    }
}

TEST_CASE("ChaCha20-Poly1305 backend equals portable: lengths 0..1024 and large", "[accel][chacha]") {
    std::mt19937_64 rng(8440);
    INFO("backends under test: ChaCha20 " << chacha20_backend_name() << ", Poly1305 " << poly1305_backend_name());
    std::vector<std::size_t> lengths;
    for (std::size_t n = 0; n <= 1024; n++) lengths.push_back(n);
    for (std::size_t n : large_lengths) lengths.push_back(n);
    ChaCha20Poly1305 aead;
    REQUIRE(aead.init(random_bytes(rng, 32)) == CryptoError::ok);
    for (std::size_t n : lengths) {
        INFO("length " << n);
        const Buf nonce = random_bytes(rng, 12), aad = random_bytes(rng, n % 37), msg = random_bytes(rng, n);
        Buf want(n), got(n);
        std::uint8_t want_tag[16], got_tag[16];
        cpu::as_portable([&] { REQUIRE(aead.seal(nonce, aad, msg, want, want_tag) == CryptoError::ok); });
        REQUIRE(aead.seal(nonce, aad, msg, got, got_tag) == CryptoError::ok);
        REQUIRE(hex(got) == hex(want));
        REQUIRE(hex(Bytes(got_tag)) == hex(Bytes(want_tag)));
        Buf sealed = msg;  // in place
        REQUIRE(aead.seal(nonce, aad, sealed, sealed, got_tag) == CryptoError::ok);
        REQUIRE(hex(sealed) == hex(want));
        REQUIRE(hex(Bytes(got_tag)) == hex(Bytes(want_tag)));
        Buf back = want;
        REQUIRE(aead.open(nonce, aad, back, Bytes(want_tag), back) == CryptoError::ok);
        REQUIRE(hex(back) == hex(msg));
        Buf opened = random_bytes(rng, n);  // out of place
        REQUIRE(aead.open(nonce, aad, want, Bytes(want_tag), opened) == CryptoError::ok);
        REQUIRE(hex(opened) == hex(msg));
        // A wrong tag bit fails with zeroed output, out of place and in place.
        std::uint8_t bad[16];
        std::memcpy(bad, want_tag, 16);
        bad[n % 16] ^= std::uint8_t(1u << (n % 8));
        opened = random_bytes(rng, n);
        REQUIRE(aead.open(nonce, aad, want, Bytes(bad), opened) == CryptoError::auth_failed);
        REQUIRE(hex(opened) == hex(Buf(n)));
        back = want;
        REQUIRE(aead.open(nonce, aad, back, Bytes(bad), back) == CryptoError::auth_failed);
        REQUIRE(hex(back) == hex(Buf(n)));
        if (n > 0) {  // and so does a flipped ciphertext bit
            Buf flipped = want;
            flipped[(n * 7) % n] ^= 0x80;
            opened = random_bytes(rng, n);
            REQUIRE(aead.open(nonce, aad, flipped, Bytes(want_tag), opened) == CryptoError::auth_failed);
            REQUIRE(hex(opened) == hex(Buf(n)));
        }
    }
}

TEST_CASE("Poly1305 backend equals portable: lengths 0..1024 and large, split at random points", "[accel][chacha]") {
    std::mt19937_64 rng(1305);
    // The cap decides the code: the test must not pass by comparing portable with itself.
#if defined(PADLOCK_LIMB32)
    const char* expected = "portable";  // the radix-2^26 state has no vector backend
#else
    const char* expected = cpu::has(cpu::avx512 | cpu::avx512ifma) ? "ifma" : cpu::has(cpu::avx2) ? "avx2" : "portable";
#endif
    REQUIRE(std::string(poly1305_backend_name()) == expected);
    cpu::as_portable([] { REQUIRE(std::string(poly1305_backend_name()) == "portable"); });
    std::vector<std::size_t> lengths;
    for (std::size_t n = 0; n <= 1024; n++) lengths.push_back(n);
    for (std::size_t n : large_lengths) lengths.push_back(n);
    for (std::size_t n : lengths) {
        INFO("length " << n);
        // Keys with every bit that clamping leaves set, now and then, push the limbs to their bounds.
        Buf key = random_bytes(rng, 32), msg = random_bytes(rng, n);
        if (n % 7 == 0) std::fill(key.begin(), key.end(), std::uint8_t(0xff));
        if (n % 11 == 0) std::fill(msg.begin(), msg.end(), std::uint8_t(0xff));
        const auto k = std::span<const std::uint8_t, 32>(key.data(), 32);
        std::uint8_t want[16], got[16], split[16];
        cpu::as_portable([&] { poly1305(k, msg, want); });
        poly1305(k, msg, got);
        REQUIRE(hex(Bytes(got)) == hex(Bytes(want)));
        Poly1305 mac(k);
        std::size_t at = 0;
        while (at < n) {
            const std::size_t piece = std::min<std::size_t>(n - at, rng() % 700);
            mac.update(Bytes(msg.data() + at, piece));
            at += piece;
        }
        mac.final(split);
        REQUIRE(hex(Bytes(split)) == hex(Bytes(want)));
    }
}

// X25519: the ladder of the backend under test against the portable one, on random scalars and
// u-coordinates and on the edge values of u: 0, 1, 9, p - 1, every non-canonical p..2^255 - 1, the
// top bit set (which §5 masks), values just below p, a point of order 8.
TEST_CASE("X25519 backend equals portable: random and edge u-coordinates", "[accel][x25519]") {
    std::mt19937_64 rng(7748);
    const char* expected = cpu::has(cpu::avx512 | cpu::avx512ifma) ? "ifma"
                           : cpu::has(cpu::bmi2)                     ? "bmi2"
                                                                    : "portable";
    REQUIRE(std::string(x25519_backend_name()) == expected);
    cpu::as_portable([] { REQUIRE(std::string(x25519_backend_name()) == "portable"); });
    std::vector<Buf> us;
    auto le = [](std::uint8_t low, std::uint8_t fill, std::uint8_t top) {
        Buf u(32, fill);
        u[0] = low;
        u[31] = top;
        return u;
    };
    us.push_back(Buf(32, 0));
    us.push_back(le(1, 0, 0));
    us.push_back(le(9, 0, 0));
    us.push_back(le(0xec, 0xff, 0x7f));  // p - 1
    for (std::uint8_t low : {0xed, 0xee, 0xf0, 0xff}) us.push_back(le(low, 0xff, 0x7f));  // p .. 2^255 - 1
    us.push_back(Buf(32, 0xff));          // top bit set: ignored
    us.push_back(padlock::test::unhex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"));  // order 8
    for (int i = 0; i < 200; i++) us.push_back(random_bytes(rng, 32));
    // Every non-canonical u (p .. 2^255 - 1), with and without the top bit.
    for (int low = 0xed; low <= 0xff; low++)
        for (std::uint8_t top : {0x7f, 0xff}) us.push_back(le(std::uint8_t(low), 0xff, top));
    for (int i = 0; i < 50; i++) {  // random with the top bit set, and random just below p
        Buf top_set = random_bytes(rng, 32);
        top_set[31] |= 0x80;
        us.push_back(top_set);
        Buf below_p = le(std::uint8_t(rng()), 0xff, std::uint8_t(0x7f | (rng() & 0x80)));
        below_p[1 + rng() % 30] = std::uint8_t(rng() & 0xfe);
        us.push_back(below_p);
    }
    for (std::size_t i = 0; i < us.size(); i++) {
        const Buf scalar = random_bytes(rng, 32);
        std::uint8_t fast[32], slow[32];
        const CryptoError e_fast = x25519(std::span<const std::uint8_t, 32>(scalar.data(), 32),
                                          std::span<const std::uint8_t, 32>(us[i].data(), 32), fast);
        CryptoError e_slow = CryptoError::ok;
        cpu::as_portable([&] {
            e_slow = x25519(std::span<const std::uint8_t, 32>(scalar.data(), 32),
                            std::span<const std::uint8_t, 32>(us[i].data(), 32), slow);
        });
        INFO("u = " << hex(us[i]) << " scalar = " << hex(scalar));
        REQUIRE(e_fast == e_slow);
        REQUIRE(hex(Bytes(fast)) == hex(Bytes(slow)));
    }
}
