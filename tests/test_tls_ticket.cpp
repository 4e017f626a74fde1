// SPDX-License-Identifier: Apache-2.0
// tls/ticket: RFC 8446 §4.6.1 session tickets. RFC 8448 §3's NewSessionTicket and resumption master
// secret give §4's PSK (both the client's store_session and the server's new_session_state), and §4's
// ClientHello offers §3's ticket; the server's sealed state round-trips, and tampering, unknown keys,
// expiry and key rotation are refused or handled as documented.
#include <catch2/catch.hpp>

#include <string>

#include "crypto/rng.hpp"
#include "tests/rfc8448_trace.hpp"
#include "tests/support.hpp"
#include "tls/ticket.hpp"

using namespace padlock;
using namespace padlock::test;
using namespace padlock::tls;

namespace {

Bytes body_of(const Buf& msg) { return Bytes(msg).subspan(handshake_header_size); }

CryptoError failing_fill(void*, MutBytes) { return CryptoError::rng_failure; }

TicketKey make_key(const AeadOps& aead, std::uint8_t name_seed, std::uint8_t key_seed) {
    TicketKey k;
    k.aead = &aead;
    for (std::size_t i = 0; i < sizeof k.name; i++) k.name[i] = std::uint8_t(name_seed + i);
    for (std::size_t i = 0; i < sizeof k.key; i++) k.key[i] = std::uint8_t(key_seed * 7 + i);
    return k;
}

void fill_state(SessionState& s, std::uint64_t now_ms) {
    const Buf rms = filler(32, 9), nonce = {0, 1};
    const Buf alpn = {'h', '2'}, sni = {'e', 'x', '.', 'o', 'r', 'g'};
    REQUIRE(new_session_state(tls_aes_128_gcm_sha256, rms, nonce, 7200, now_ms, alpn, sni, system_rng(), s) ==
            TlsError::ok);
}

void check_same(const SessionState& a, const SessionState& b) {
    CHECK(a.cipher_suite == b.cipher_suite);
    CHECK(a.issue_time_ms == b.issue_time_ms);
    CHECK(a.lifetime == b.lifetime);
    CHECK(a.age_add == b.age_add);
    CHECK(hex(a.psk.view()) == hex(b.psk.view()));
    CHECK(hex(Bytes(a.alpn, a.alpn_size)) == hex(Bytes(b.alpn, b.alpn_size)));
    CHECK(hex(Bytes(a.server_name, a.server_name_size)) == hex(Bytes(b.server_name, b.server_name_size)));
}

const std::uint64_t t0 = 1700000000000;  // ms

}  // namespace

TEST_CASE("RFC 8448 §3's NewSessionTicket gives §4's PSK", "[tls][ticket][rfc8448]") {
    const Buf nst_msg = trace_message("simple_1rtt.json", "server", "NewSessionTicket");
    const Buf rms = trace_field("simple_1rtt.json", "client", "derive secret \"tls13 res master\"", "expanded");
    const Buf psk_3 = trace_field("simple_1rtt.json", "server", "generate resumption secret", "expanded");
    const Buf psk_4 = trace_field("resumed_0rtt.json", "client", "extract secret \"early\"", "IKM");
    NewSessionTicket nst;
    REQUIRE(parse_new_session_ticket(body_of(nst_msg), nst) == TlsError::ok);

    SECTION("client: store_session") {
        StoredSession s;
        REQUIRE(store_session(nst, tls_aes_128_gcm_sha256, rms, t0, s) == TlsError::ok);
        CHECK(hex(s.psk.view()) == hex(psk_4));
        CHECK(hex(s.psk.view()) == hex(psk_3));
        CHECK(hex(Bytes(s.ticket, s.ticket_size)) == hex(nst.ticket));
        CHECK(s.lifetime == nst.ticket_lifetime);
        CHECK(s.age_add == nst.ticket_age_add);
        CHECK(s.cipher_suite == 0x1301);
        CHECK(session_usable(s, t0));

        // §4's ClientHello offers exactly that ticket as its one PskIdentity.
        const Buf ch4 = trace_field("resumed_0rtt.json", "client", "send handshake record", "payload");
        ClientHello ch;
        REQUIRE(parse_client_hello(body_of(ch4), ch) == TlsError::ok);
        PskIdentityList ids{ByteReader(ch.extensions.psk_identities)};
        Bytes identity;
        std::uint32_t obfuscated = 0;
        REQUIRE(ids.next(identity, obfuscated));
        CHECK(hex(identity) == hex(Bytes(s.ticket, s.ticket_size)));
        CHECK_FALSE(ids.next(identity, obfuscated));
        // The age the trace's client claimed: within the ticket's lifetime.
        CHECK(ticket_age_from_obfuscated(obfuscated, nst.ticket_age_add) < std::uint64_t(nst.ticket_lifetime) * 1000);
    }
    SECTION("server: new_session_state from the same secret and nonce") {
        SessionState state;
        REQUIRE(new_session_state(tls_aes_128_gcm_sha256, rms, nst.ticket_nonce, nst.ticket_lifetime, t0, {}, {},
                                  system_rng(), state) == TlsError::ok);
        CHECK(hex(state.psk.view()) == hex(psk_4));
    }
}

TEST_CASE("client side: lifetime, discard, age", "[tls][ticket]") {
    const Buf rms = filler(32, 1), nonce = {7}, ticket_bytes = filler(100, 2);
    NewSessionTicket nst;
    nst.ticket_lifetime = 10;
    nst.ticket_age_add = 0xfffffff0;
    nst.ticket_nonce = nonce;
    nst.ticket = ticket_bytes;
    StoredSession s;
    REQUIRE(store_session(nst, tls_aes_128_gcm_sha256, rms, t0, s) == TlsError::ok);
    CHECK(session_usable(s, t0 + 9999));
    CHECK_FALSE(session_usable(s, t0 + 10000));
    CHECK_FALSE(session_usable(s, t0 - 1));
    // §4.2.11.1: age in ms plus ticket_age_add, modulo 2^32.
    CHECK(obfuscated_ticket_age(s, t0 + 5) == 0xfffffff5u);
    CHECK(obfuscated_ticket_age(s, t0 + 20) == 4u);
    CHECK(ticket_age_from_obfuscated(4, 0xfffffff0) == 20u);

    nst.ticket_lifetime = 604800 * 2;  // "MUST NOT cache tickets for longer than 7 days"
    REQUIRE(store_session(nst, tls_aes_128_gcm_sha256, rms, t0, s) == TlsError::ok);
    CHECK(s.lifetime == max_ticket_lifetime);
    CHECK_FALSE(session_usable(s, t0 + 604800000ull));

    nst.ticket_lifetime = 0;  // "discarded immediately"
    REQUIRE(store_session(nst, tls_aes_128_gcm_sha256, rms, t0, s) == TlsError::ok);
    CHECK(s.ticket_size == 0);
    CHECK(s.psk.size() == 0);
    CHECK_FALSE(session_usable(s, t0));

    nst.ticket_lifetime = 10;
    const Buf big(max_stored_ticket_size + 1, 0x55);
    nst.ticket = big;
    CHECK(store_session(nst, tls_aes_128_gcm_sha256, rms, t0, s) == TlsError::buffer_too_small);
    CHECK(s.ticket_size == 0);
    nst.ticket = ticket_bytes;
    CHECK(store_session(nst, tls_aes_256_gcm_sha384, rms, t0, s) == TlsError::api_misuse);  // 32-octet secret, SHA-384
}

TEST_CASE("server side: seal and open", "[tls][ticket]") {
    const Rng rng = system_rng();
    for (const AeadOps* aead : {&aes_128_gcm_ops, &aes_256_gcm_ops, &chacha20_poly1305_ops}) {
        const TicketKey k1 = make_key(*aead, 0x10, 1);
        const TicketKeys keys{&k1, nullptr};
        SessionState state;
        fill_state(state, t0);
        std::uint8_t ticket[max_ticket_size];
        std::size_t n = 0;
        REQUIRE(seal_ticket(keys, state, rng, ticket, n) == TlsError::ok);
        CHECK(n == ticket_overhead + 1 + 2 + 8 + 4 + 4 + 4 + 33 + 3 + 7);
        CHECK(hex(Bytes(ticket, 16)) == hex(Bytes(k1.name, 16)));
        SessionState opened;
        bool previous = true;
        REQUIRE(open_ticket(keys, Bytes(ticket, n), t0 + 1000, opened, previous) == TlsError::ok);
        CHECK_FALSE(previous);
        check_same(state, opened);

        // Two sealings of one state differ (fresh nonce) and both open.
        std::uint8_t again[max_ticket_size];
        std::size_t m = 0;
        REQUIRE(seal_ticket(keys, state, rng, again, m) == TlsError::ok);
        CHECK(hex(Bytes(again, m)) != hex(Bytes(ticket, n)));
        REQUIRE(open_ticket(keys, Bytes(again, m), t0, opened, previous) == TlsError::ok);

        SECTION("every single-bit flip is refused cleanly") {
            for (std::size_t i = 0; i < n * 8; i++) {
                ticket[i / 8] ^= std::uint8_t(1u << (i % 8));
                SessionState o;
                const TlsError e = open_ticket(keys, Bytes(ticket, n), t0, o, previous);
                CHECK(e == (i / 8 < 16 ? TlsError::ticket_unknown_key : TlsError::ticket_invalid));
                CHECK(o.psk.size() == 0);
                ticket[i / 8] ^= std::uint8_t(1u << (i % 8));
            }
            SessionState o;
            for (std::size_t len : {std::size_t(0), std::size_t(15), std::size_t(16), ticket_overhead, n - 1})
                CHECK(open_ticket(keys, Bytes(ticket, len), t0, o, previous) != TlsError::ok);
            Buf longer(ticket, ticket + n);
            longer.push_back(0);
            CHECK(open_ticket(keys, longer, t0, o, previous) == TlsError::ticket_invalid);
        }
        SECTION("wrong key name, same name with another key") {
            const TicketKey other_name = make_key(*aead, 0x20, 1);
            const TicketKeys k_other{&other_name, nullptr};
            SessionState o;
            CHECK(open_ticket(k_other, Bytes(ticket, n), t0, o, previous) == TlsError::ticket_unknown_key);
            const TicketKey same_name = make_key(*aead, 0x10, 2);
            const TicketKeys k_same{&same_name, nullptr};
            CHECK(open_ticket(k_same, Bytes(ticket, n), t0, o, previous) == TlsError::ticket_invalid);
            CHECK(o.psk.size() == 0);
            CHECK(open_ticket(TicketKeys{}, Bytes(ticket, n), t0, o, previous) == TlsError::ticket_unknown_key);
        }
        SECTION("lifetime") {
            SessionState o;
            CHECK(open_ticket(keys, Bytes(ticket, n), t0 + 7200 * 1000 - 1, o, previous) == TlsError::ok);
            CHECK(open_ticket(keys, Bytes(ticket, n), t0 + 7200 * 1000, o, previous) == TlsError::ticket_expired);
            CHECK(o.psk.size() == 0);
            CHECK(open_ticket(keys, Bytes(ticket, n), t0 - 1, o, previous) == TlsError::ticket_expired);
        }
        SECTION("rotation: the previous key still opens, a retired one does not") {
            const TicketKey k2 = make_key(*aead, 0x30, 3), k3 = make_key(*aead, 0x40, 4);
            SessionState o;
            REQUIRE(open_ticket(TicketKeys{&k2, &k1}, Bytes(ticket, n), t0, o, previous) == TlsError::ok);
            CHECK(previous);
            check_same(state, o);
            CHECK(open_ticket(TicketKeys{&k3, &k2}, Bytes(ticket, n), t0, o, previous) == TlsError::ticket_unknown_key);
            CHECK(o.psk.size() == 0);  // a failed open leaves no secret behind
            // Re-issued under the current key, it opens without the previous one.
            REQUIRE(open_ticket(TicketKeys{&k2, &k1}, Bytes(ticket, n), t0, o, previous) == TlsError::ok);
            REQUIRE(seal_ticket(TicketKeys{&k2, &k1}, o, rng, again, m) == TlsError::ok);
            CHECK(hex(Bytes(again, 16)) == hex(Bytes(k2.name, 16)));
            REQUIRE(open_ticket(TicketKeys{&k2, nullptr}, Bytes(again, m), t0, o, previous) == TlsError::ok);
            CHECK_FALSE(previous);
        }
    }
}

TEST_CASE("server side: limits and failures", "[tls][ticket]") {
    const Rng rng = system_rng();
    const TicketKey k = make_key(aes_256_gcm_ops, 1, 1);
    const TicketKeys keys{&k, nullptr};
    const Buf rms48 = filler(48, 3), rms32 = filler(32, 3), nonce = {1};
    const Buf alpn_max(255, 'a'), sni_max(255, 'b'), too_long(256, 'c');
    SessionState s;
    CHECK(new_session_state(tls_aes_128_gcm_sha256, rms32, nonce, 604801, t0, {}, {}, rng, s) == TlsError::api_misuse);
    CHECK(new_session_state(tls_aes_128_gcm_sha256, rms32, nonce, 60, t0, too_long, {}, rng, s) == TlsError::api_misuse);
    CHECK(new_session_state(tls_aes_128_gcm_sha256, rms48, nonce, 60, t0, {}, {}, rng, s) == TlsError::api_misuse);
    const Rng broken{failing_fill, nullptr};
    CHECK(new_session_state(tls_aes_128_gcm_sha256, rms32, nonce, 60, t0, {}, {}, broken, s) == TlsError::crypto_failure);

    // The largest state: SHA-384 PSK, 255-octet ALPN and name: exactly max_ticket_size.
    REQUIRE(new_session_state(tls_aes_256_gcm_sha384, rms48, nonce, 604800, t0, alpn_max, sni_max, rng, s) ==
            TlsError::ok);
    std::uint8_t ticket[max_ticket_size];
    std::size_t n = 0;
    REQUIRE(seal_ticket(keys, s, rng, ticket, n) == TlsError::ok);
    CHECK(n == max_ticket_size);
    SessionState o;
    bool previous = false;
    REQUIRE(open_ticket(keys, Bytes(ticket, n), t0 + 604800000ull - 1, o, previous) == TlsError::ok);
    check_same(s, o);

    CHECK(seal_ticket(keys, s, rng, MutBytes(ticket, n - 1), n) == TlsError::buffer_too_small);
    CHECK(seal_ticket(TicketKeys{}, s, rng, ticket, n) == TlsError::api_misuse);
    std::fill(ticket, ticket + sizeof ticket, 0xee);
    CHECK(seal_ticket(keys, s, broken, ticket, n) == TlsError::crypto_failure);
    CHECK(ticket[20] == 0);  // no partial output left behind
    SessionState empty;  // no PSK: nothing to resume
    CHECK(seal_ticket(keys, empty, rng, ticket, n) == TlsError::api_misuse);
}
