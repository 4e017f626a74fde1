// SPDX-License-Identifier: Apache-2.0
// tls/cookie: the RFC 8446 §4.2.2 stateless HelloRetryRequest cookie (seal, open, tampering, expiry,
// binding; the engine's use of it is in test_tls_engine.cpp and test_tls_negative.cpp) and the §4.4.1 message_hash transcript restart, checked against RFC 8448 §5's transcript
// hashes: a stateless server that kept only the cookie's Hash(ClientHello1) reaches the trace's
// "c hs traffic" and "c ap traffic" transcript hashes.
#include <catch2/catch.hpp>

#include <string>

#include "crypto/rng.hpp"
#include "tests/rfc8448_trace.hpp"
#include "tests/support.hpp"
#include "tls/cookie.hpp"
#include "tls/transcript.hpp"

using namespace padlock;
using namespace padlock::test;
using namespace padlock::tls;

namespace {

const std::string hrr = "hello_retry_request.json";
const std::uint64_t t0 = 1700000000000;  // ms

CryptoError failing_fill(void*, MutBytes) { return CryptoError::rng_failure; }

CookieKey make_key(const AeadOps& aead, std::uint8_t seed) {
    CookieKey k;
    k.aead = &aead;
    for (std::size_t i = 0; i < sizeof k.key; i++) k.key[i] = std::uint8_t(seed + 3 * i);
    return k;
}

CookieState state_for(const Buf& client_hello1, std::uint64_t now_ms) {
    CookieState s;
    s.cipher_suite = 0x1301;
    s.selected_group = 0x0017;  // secp256r1, as RFC 8448 §5's HelloRetryRequest asks
    s.issue_time_ms = now_ms;
    s.hash_size = 32;
    REQUIRE(padlock::hash(HashAlg::sha256, client_hello1, MutBytes(s.client_hello1_hash, 32)) == padlock::CryptoError::ok);
    return s;
}

Buf current(const Transcript& t) {
    Buf out(t.hash_size());
    REQUIRE(t.current(out) == TlsError::ok);
    return out;
}

}  // namespace

TEST_CASE("§4.4.1 message_hash", "[tls][cookie]") {
    const Buf h = filler(32, 1);
    std::uint8_t out[max_message_hash_size];
    std::size_t n = 0;
    REQUIRE(write_message_hash(h, out, n) == TlsError::ok);
    CHECK(hex(Bytes(out, n)) == "fe000020" + hex(h));
    const Buf h48 = filler(48, 2);
    REQUIRE(write_message_hash(h48, out, n) == TlsError::ok);
    CHECK(hex(Bytes(out, n)) == "fe000030" + hex(h48));
    CHECK(write_message_hash(Bytes(h).first(31), out, n) == TlsError::api_misuse);
    CHECK(write_message_hash(h, MutBytes(out, 35), n) == TlsError::buffer_too_small);
}

TEST_CASE("RFC 8448 §5: the transcript rebuilt from the cookie gives the trace's hashes", "[tls][cookie][rfc8448]") {
    const Buf ch1 = trace_message(hrr, "client", "ClientHello", 0);
    const Buf hrr_msg = trace_message(hrr, "server", "ServerHello", 0);
    const Buf ch2 = trace_message(hrr, "client", "ClientHello", 1);
    const Buf sh = trace_message(hrr, "server", "ServerHello", 1);
    const Buf ee = trace_message(hrr, "server", "EncryptedExtensions");
    const Buf cert = trace_message(hrr, "server", "Certificate");
    const Buf cv = trace_message(hrr, "server", "CertificateVerify");
    const Buf fin = trace_message(hrr, "server", "Finished");
    // The transcript hashes the trace prints as the context of its Derive-Secret steps.
    const Buf hs_hash = trace_field(hrr, "server", "derive secret \"tls13 c hs traffic\"", "hash");
    const Buf ap_hash = trace_field(hrr, "server", "derive secret \"tls13 c ap traffic\"", "hash");

    // The first flight: the server seals Hash(ClientHello1) into its cookie, keeps nothing.
    const CookieKey key = make_key(aes_128_gcm_ops, 5);
    const Rng rng = system_rng();
    std::uint8_t cookie[max_cookie_size];
    std::size_t n = 0;
    REQUIRE(seal_cookie(key, state_for(ch1, t0), {}, rng, cookie, n) == TlsError::ok);
    CHECK(n == max_cookie_size - 32);  // two SHA-256 hashes: 16 octets each under the SHA-384 maximum

    // The second: ClientHello2 echoes the cookie; the server rebuilds its transcript from it.
    CookieState s;
    REQUIRE(open_cookie(key, Bytes(cookie, n), {}, t0 + 500, 60000, s) == TlsError::ok);
    CHECK(s.selected_group == 0x0017);
    CHECK(s.cipher_suite == 0x1301);
    Transcript t;
    REQUIRE(start_transcript_from_cookie(s, sha256_ops, t) == TlsError::ok);
    for (const Buf* m : {&hrr_msg, &ch2, &sh}) REQUIRE(t.update(*m) == TlsError::ok);
    CHECK(hex(current(t)) == hex(hs_hash));
    for (const Buf* m : {&ee, &cert, &cv, &fin}) REQUIRE(t.update(*m) == TlsError::ok);
    CHECK(hex(current(t)) == hex(ap_hash));

    // The same as a stateful server that hashed ClientHello1 and replaced it (transcript.hpp).
    Transcript stateful;
    stateful.start(sha256_ops);
    REQUIRE(stateful.update(ch1) == TlsError::ok);
    REQUIRE(stateful.replace_with_message_hash() == TlsError::ok);
    for (const Buf* m : {&hrr_msg, &ch2, &sh}) REQUIRE(stateful.update(*m) == TlsError::ok);
    CHECK(hex(current(stateful)) == hex(hs_hash));

    // Without the replacement (ClientHello1 hashed whole) the trace's hash is not reached.
    const Buf plain = transcript_hash_of(HashAlg::sha256, {ch1, hrr_msg, ch2, sh});
    CHECK(hex(plain) != hex(hs_hash));
    // A size mismatch between the hash and the cookie is the caller's error.
    CHECK(start_transcript_from_cookie(s, sha384_ops, t) == TlsError::api_misuse);
}

TEST_CASE("cookies: round trip, tampering, binding, expiry", "[tls][cookie]") {
    const Rng rng = system_rng();
    const Buf ch1 = filler(200, 4), peer = {192, 0, 2, 1};
    for (const AeadOps* aead : {&aes_128_gcm_ops, &aes_256_gcm_ops, &chacha20_poly1305_ops}) {
        const CookieKey key = make_key(*aead, 9);
        const CookieState state = state_for(ch1, t0);
        std::uint8_t cookie[max_cookie_size];
        std::size_t n = 0;
        REQUIRE(seal_cookie(key, state, peer, rng, cookie, n) == TlsError::ok);
        CookieState s;
        REQUIRE(open_cookie(key, Bytes(cookie, n), peer, t0, 10000, s) == TlsError::ok);
        CHECK(s.cipher_suite == state.cipher_suite);
        CHECK(s.selected_group == state.selected_group);
        CHECK(s.issue_time_ms == t0);
        CHECK(hex(Bytes(s.client_hello1_hash, s.hash_size)) == hex(Bytes(state.client_hello1_hash, 32)));

        // Every single-bit flip, every truncation, an extension: cookie_invalid, `out` untouched.
        CookieState untouched;
        untouched.selected_group = 0xabcd;
        for (std::size_t i = 0; i < n * 8; i++) {
            cookie[i / 8] ^= std::uint8_t(1u << (i % 8));
            CHECK(open_cookie(key, Bytes(cookie, n), peer, t0, 10000, untouched) == TlsError::cookie_invalid);
            cookie[i / 8] ^= std::uint8_t(1u << (i % 8));
        }
        for (std::size_t len = 0; len < n; len++)
            CHECK(open_cookie(key, Bytes(cookie, len), peer, t0, 10000, untouched) == TlsError::cookie_invalid);
        Buf longer(cookie, cookie + n);
        longer.push_back(0);
        CHECK(open_cookie(key, longer, peer, t0, 10000, untouched) == TlsError::cookie_invalid);
        CHECK(untouched.selected_group == 0xabcd);

        // Another key, another peer, no peer: invalid.
        CHECK(open_cookie(make_key(*aead, 10), Bytes(cookie, n), peer, t0, 10000, s) == TlsError::cookie_invalid);
        const Buf other_peer = {192, 0, 2, 2};
        CHECK(open_cookie(key, Bytes(cookie, n), other_peer, t0, 10000, s) == TlsError::cookie_invalid);
        CHECK(open_cookie(key, Bytes(cookie, n), {}, t0, 10000, s) == TlsError::cookie_invalid);

        // Expiry: max_age_ms after issue still opens, one ms later not; issued in the future: not.
        CHECK(open_cookie(key, Bytes(cookie, n), peer, t0 + 10000, 10000, s) == TlsError::ok);
        CHECK(open_cookie(key, Bytes(cookie, n), peer, t0 + 10001, 10000, s) == TlsError::cookie_expired);
        CHECK(open_cookie(key, Bytes(cookie, n), peer, t0 - 1, 10000, s) == TlsError::cookie_expired);
        // now_ms 0: the caller has no clock, so the age is not checked (the contents still are).
        CHECK(open_cookie(key, Bytes(cookie, n), peer, 0, 10000, s) == TlsError::ok);
        CHECK(open_cookie(key, Bytes(cookie, n), other_peer, 0, 10000, s) == TlsError::cookie_invalid);
    }
    CHECK(alert_for(TlsError::cookie_invalid) == AlertDescription::illegal_parameter);
    CHECK(alert_for(TlsError::cookie_expired) == AlertDescription::illegal_parameter);
}

TEST_CASE("cookies: limits and failures", "[tls][cookie]") {
    const Rng rng = system_rng();
    const CookieKey key = make_key(aes_256_gcm_ops, 1);
    CookieState s = state_for(filler(10, 1), t0);
    std::uint8_t cookie[max_cookie_size];
    std::size_t n = 0;
    s.hash_size = 48;
    REQUIRE(seal_cookie(key, s, {}, rng, cookie, n) == TlsError::ok);
    CHECK(n == max_cookie_size);
    CookieState o;
    REQUIRE(open_cookie(key, Bytes(cookie, n), {}, t0, 0, o) == TlsError::ok);
    CHECK(o.hash_size == 48);
    CHECK(seal_cookie(key, s, {}, rng, MutBytes(cookie, n - 1), n) == TlsError::buffer_too_small);
    s.hash_size = 20;
    CHECK(seal_cookie(key, s, {}, rng, cookie, n) == TlsError::api_misuse);
    s.hash_size = 32;
    CHECK(seal_cookie(CookieKey{}, s, {}, rng, cookie, n) == TlsError::api_misuse);
    CHECK(open_cookie(CookieKey{}, Bytes(cookie, n), {}, t0, 0, o) == TlsError::api_misuse);
    const Rng broken{failing_fill, nullptr};
    CHECK(seal_cookie(key, s, {}, broken, cookie, n) == TlsError::crypto_failure);
}
