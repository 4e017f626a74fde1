// SPDX-License-Identifier: Apache-2.0
// tls/psk: RFC 8446 §4.2.11.2 binders against RFC 8448 §4 (the resumed 0-RTT handshake): the trace's
// PSK (the IKM of its Early Secret), its ClientHello prefix, binder hash, binder key and binder.
#include <catch2/catch.hpp>

#include <string>

#include "crypto/hash/hash.hpp"
#include "tests/rfc8448_trace.hpp"
#include "tests/support.hpp"
#include "tls/psk.hpp"

using namespace padlock;
using namespace padlock::test;
using namespace padlock::tls;

namespace {

const std::string trace = "resumed_0rtt.json";

struct Resumed {
    Buf psk, prefix, binder_hash, binder_key, finished_key, binder, full_client_hello;
};
Resumed resumed() {
    return {trace_field(trace, "client", "extract secret \"early\"", "IKM"),
            trace_field(trace, "client", "calculate PSK binder", "ClientHello prefix"),
            trace_field(trace, "client", "calculate PSK binder", "binder hash"),
            trace_field(trace, "client", "calculate PSK binder", "PRK"),
            trace_field(trace, "client", "calculate PSK binder", "expanded"),
            trace_field(trace, "client", "calculate PSK binder", "finished"),
            trace_field(trace, "client", "send handshake record", "payload")};
}

}  // namespace

TEST_CASE("RFC 8448 §4: Truncate(ClientHello1) from the parsed ClientHello", "[tls][psk][rfc8448]") {
    const Resumed r = resumed();
    std::size_t length = 0;
    REQUIRE(truncated_client_hello_length(r.full_client_hello, length) == TlsError::ok);
    CHECK(length == r.prefix.size());  // 477 of 512 octets
    CHECK(hex(Bytes(r.full_client_hello).first(length)) == hex(r.prefix));
    // binders<33..2^16-1> = 00 21, then one PskBinderEntry 20 || 32 octets: 35 octets after the prefix.
    CHECK(r.full_client_hello.size() - length == 2 + 1 + 32);
    Buf digest(32);
    REQUIRE(padlock::hash(HashAlg::sha256, Bytes(r.full_client_hello).first(length), digest) == padlock::CryptoError::ok);
    CHECK(hex(digest) == hex(r.binder_hash));

    SECTION("messages it refuses") {
        // No pre_shared_key: §3's ClientHello.
        const Buf plain = trace_message("simple_1rtt.json", "client", "ClientHello");
        CHECK(truncated_client_hello_length(plain, length) == TlsError::api_misuse);
        // A truncated message, trailing bytes, another message type.
        CHECK(truncated_client_hello_length(Bytes(r.full_client_hello).first(511), length) != TlsError::ok);
        Buf longer = r.full_client_hello;
        longer.push_back(0);
        CHECK(truncated_client_hello_length(longer, length) == TlsError::handshake_malformed);
        const Buf sh = trace_message(trace, "server", "ServerHello");
        CHECK(truncated_client_hello_length(sh, length) == TlsError::handshake_malformed);
    }
}

TEST_CASE("RFC 8448 §4: binder key and binder, byte for byte", "[tls][psk][rfc8448]") {
    const Resumed r = resumed();
    Secret binder_key;
    REQUIRE(derive_binder_key(sha256_ops, r.psk, PskKind::resumption, binder_key) == TlsError::ok);
    CHECK(hex(binder_key.view()) == hex(r.binder_key));
    Secret binder;
    REQUIRE(compute_binder(sha256_ops, binder_key.view(), r.binder_hash, binder) == TlsError::ok);
    CHECK(hex(binder.view()) == hex(r.binder));
    // The binder sits at the end of the sent ClientHello.
    CHECK(hex(Bytes(r.full_client_hello).last(32)) == hex(r.binder));

    SECTION("the key schedule's binder key is the same") {
        KeySchedule ks;
        ks.start(sha256_ops);
        REQUIRE(ks.derive_early_secret(r.psk) == TlsError::ok);
        Secret k;
        REQUIRE(ks.derive_binder_key(true, k) == TlsError::ok);
        CHECK(hex(k.view()) == hex(r.binder_key));
    }
    SECTION("an external PSK's binder key differs (\"ext binder\")") {
        Secret ext_key;
        REQUIRE(derive_binder_key(sha256_ops, r.psk, PskKind::external, ext_key) == TlsError::ok);
        CHECK(hex(ext_key.view()) != hex(r.binder_key));
        CHECK(verify_binder(sha256_ops, ext_key.view(), r.binder_hash, r.binder) == TlsError::psk_binder_invalid);
        Secret none;
        CHECK(derive_binder_key(sha256_ops, Bytes(), PskKind::external, none) == TlsError::api_misuse);
    }
    SECTION("server side: the trace's binder verifies, any change does not") {
        CHECK(verify_binder(sha256_ops, binder_key.view(), r.binder_hash, r.binder) == TlsError::ok);
        Buf bad = r.binder;
        for (std::size_t i = 0; i < bad.size() * 8; i++) {
            bad[i / 8] ^= std::uint8_t(1u << (i % 8));
            CHECK(verify_binder(sha256_ops, binder_key.view(), r.binder_hash, bad) == TlsError::psk_binder_invalid);
            bad[i / 8] ^= std::uint8_t(1u << (i % 8));
        }
        CHECK(verify_binder(sha256_ops, binder_key.view(), r.binder_hash, Bytes(r.binder).first(31)) ==
              TlsError::psk_binder_invalid);
        CHECK(verify_binder(sha256_ops, binder_key.view(), r.binder_hash, Bytes()) == TlsError::psk_binder_invalid);
        Buf other_hash = r.binder_hash;
        other_hash[0] ^= 1;
        CHECK(verify_binder(sha256_ops, binder_key.view(), other_hash, r.binder) == TlsError::psk_binder_invalid);
        CHECK(alert_for(TlsError::psk_binder_invalid) == AlertDescription::decrypt_error);
    }
}

TEST_CASE("binders list: index and writing over placeholders", "[tls][psk]") {
    const Resumed r = resumed();
    ClientHello ch;
    REQUIRE(parse_client_hello(Bytes(r.full_client_hello).subspan(handshake_header_size), ch) == TlsError::ok);
    Bytes b;
    REQUIRE(binder_at(ch.extensions.psk_binders, 0, b) == TlsError::ok);
    CHECK(hex(b) == hex(r.binder));
    CHECK(binder_at(ch.extensions.psk_binders, 1, b) == TlsError::psk_identity_invalid);
    CHECK(alert_for(TlsError::psk_identity_invalid) == AlertDescription::illegal_parameter);

    // The client's order of work: placeholder binders, truncate, compute, write in place.
    Buf msg = r.full_client_hello;
    std::size_t length = 0;
    REQUIRE(truncated_client_hello_length(msg, length) == TlsError::ok);
    for (std::size_t i = msg.size() - 32; i < msg.size(); i++) msg[i] = 0;
    const Bytes binders[] = {r.binder};
    REQUIRE(write_binders(binders, length, msg) == TlsError::ok);
    CHECK(hex(msg) == hex(r.full_client_hello));

    // Placeholders of other sizes or counts: refused, and nothing is written.
    const Buf before = msg;
    const Buf short_binder(31, 0xaa), two_a(32, 0xbb);
    const Bytes wrong_size[] = {short_binder};
    CHECK(write_binders(wrong_size, length, msg) == TlsError::api_misuse);
    const Bytes too_many[] = {two_a, two_a};
    CHECK(write_binders(too_many, length, msg) == TlsError::api_misuse);
    CHECK(write_binders(std::span<const Bytes>(), length, msg) == TlsError::api_misuse);
    CHECK(write_binders(binders, length - 1, msg) == TlsError::api_misuse);
    CHECK(write_binders(binders, msg.size() + 1, msg) == TlsError::api_misuse);
    CHECK(hex(msg) == hex(before));
}
