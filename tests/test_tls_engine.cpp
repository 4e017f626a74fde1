// SPDX-License-Identifier: Apache-2.0
// The TLS 1.3 engine (tls/engine.hpp, client.cpp, server.cpp) against itself in memory: every suite x
// group x server key type, HelloRetryRequest (stateful, and stateless with ClientHello2 on the same
// or a fresh connection), mutual authentication with and without a client
// certificate, ALPN, record_size_limit 2048 in a small ConnectionMemory, KeyUpdate both ways,
// application data both ways, close_notify, and the key log.
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "crypto/hash/hash.hpp"
#include "crypto/hash/sha2.hpp"
#include "crypto/rsa/rsa.hpp"
#include "tests/rfc8448_trace.hpp"
#include "tests/test_tls_engine_harness.hpp"
#include "tls/cookie.hpp"

using namespace padlock;
using namespace padlock::tls;
using namespace padlock::test;

namespace {

struct Pair {
    Endpoint<> client, server;
    Seen at_client, at_server;
};

// Both ends finished the handshake cleanly, and the key schedule ran to its end.
void check_connected(Pair& p) {
    INFO("client error " << error_name(p.at_client.error) << ", server error " << error_name(p.at_server.error));
    REQUIRE(p.at_client.error == TlsError::ok);
    REQUIRE(p.at_server.error == TlsError::ok);
    REQUIRE(p.client.conn.handshake_done());
    REQUIRE(p.server.conn.handshake_done());
    CHECK(p.at_client.has(Event::handshake_complete));
    CHECK(p.at_server.has(Event::handshake_complete));
    CHECK(p.client.conn.state() == State::connected);
    CHECK(p.server.conn.state() == State::connected);
    // §7.1: the key schedule ran to its end, so no stage secret is left behind.
    CHECK(p.client.memory->key_schedule.stage() == KeySchedule::Stage::done);
    CHECK(p.server.memory->key_schedule.stage() == KeySchedule::Stage::done);
    CHECK(p.client.memory->key_schedule.current_secret().empty());
}

void handshake(Pair& p, Configs& c) {
    c.bind();
    REQUIRE(p.client.conn.start_client(c.client, system_rng()) == TlsError::ok);
    REQUIRE(p.server.conn.start_server(c.server, system_rng()) == TlsError::ok);
    pump(p.client.conn, p.server.conn, p.at_client, p.at_server);
    check_connected(p);
}

// §4.2.2 a stateless HelloRetryRequest across two server connections: the first (its own memory,
// destroyed afterwards) answers ClientHello1 with a HelloRetryRequest; a fresh one started with the
// same Config takes the client's change_cipher_spec and ClientHello2 and finishes the handshake.
void stateless_handshake(Pair& p, Configs& c) {
    c.bind();
    REQUIRE(c.server.cookie_sealer != nullptr);
    REQUIRE(p.client.conn.start_client(c.client, system_rng()) == TlsError::ok);
    {
        Endpoint<> first;
        Seen at_first;
        REQUIRE(first.conn.start_server(c.server, system_rng()) == TlsError::ok);
        REQUIRE(deliver(p.client.conn, first.conn, at_first));  // ClientHello1
        REQUIRE(at_first.error == TlsError::ok);
        REQUIRE(first.conn.hello_retry_request());
        REQUIRE(deliver(first.conn, p.client.conn, p.at_client));  // HelloRetryRequest [change_cipher_spec]
        REQUIRE(p.at_client.error == TlsError::ok);
        CHECK(first.conn.pending_output().empty());
    }
    REQUIRE(p.server.conn.start_server(c.server, system_rng()) == TlsError::ok);
    pump(p.client.conn, p.server.conn, p.at_client, p.at_server);
    check_connected(p);
    CHECK(p.client.conn.hello_retry_request());
    CHECK(p.server.conn.hello_retry_request());
}

// The cookie key a stateless server owns (tls/cookie.hpp), and the sealer made from it.
const CookieSealer& test_cookie_sealer() {
    static const CookieKey key = [] {
        CookieKey k;
        k.aead = &aes_128_gcm_ops;
        for (std::size_t i = 0; i < sizeof k.key; i++) k.key[i] = std::uint8_t(0xc0 + i);
        return k;
    }();
    static const CookieAead aead{&key, {}, 30000};
    static const CookieSealer sealer = cookie_aead_sealer(aead);
    return sealer;
}

// Application data both ways, hashed at both ends.
void exchange(Pair& p, std::size_t size) {
    const Buf a = filler(size, 1), b = filler(size + 7, 2);
    p.at_server.received.clear();
    p.at_client.received.clear();
    send_all(p.client.conn, p.server.conn, p.at_server, a);
    send_all(p.server.conn, p.client.conn, p.at_client, b);
    CHECK(p.at_server.received.size() == a.size());
    CHECK(p.at_server.received == a);
    CHECK(p.at_client.received == b);
}

// ---- RFC 8448: (the trace's RSA key and PSS salt come from tests/rfc8448_trace.hpp) an Rng
// that hands out the trace's random values in the order the engine asks for them.


// Hands out `script` in order, each call exactly one entry of the requested size, then system
// randomness (the RSA blinding factor, which does not change the signature).
struct ScriptedRng {
    std::vector<Buf> script;
    std::size_t next = 0;
    bool mismatch = false;
    static CryptoError fill(void* ctx, MutBytes out) {
        auto& s = *static_cast<ScriptedRng*>(ctx);
        if (s.next < s.script.size()) {
            const Buf& b = s.script[s.next++];
            if (b.size() != out.size()) {
                s.mismatch = true;
                return CryptoError::rng_failure;
            }
            std::copy(b.begin(), b.end(), out.begin());
            return CryptoError::ok;
        }
        return system_rng()(out);
    }
    Rng rng() { return Rng{fill, this}; }
};

struct KeyLogSecrets {
    std::map<std::string, std::string> hex_by_label;
    static void write(void* ctx, const char* label, Bytes, Bytes secret) {
        static_cast<KeyLogSecrets*>(ctx)->hex_by_label[label] = hex(secret);
    }
};

}  // namespace

// RFC 8448 as client: not byte for byte, by choice. A ClientHello is hashed into every secret after
// it, so one octet off changes every later record, and each trace's client offers what padlock
// cannot do (its ClientHellos in vectors/rfc8448): signature_algorithms 0603 (ecdsa_secp521r1_sha512:
// no P-521), 0203 and 0201 (SHA-1), 0402/0502/0602/0202 (DSA, appendix B.3.1.3 obsolete); groups
// secp521r1 and ffdhe2048..8192 (§3, §4, §6); renegotiation_info (RFC 5746, TLS 1.2 only) in all;
// session_ticket (RFC 5077, TLS 1.2) in §3; padding (RFC 7685) in §4 and §5's second ClientHello;
// and psk_key_exchange_modes without a PSK. Padlock does not advertise what it cannot do, so its
// ClientHello differs. §6 as server fails on the same ground: its server's CertificateRequest lists
// those signature_algorithms (0603, 0203, 0201, the DSA codes) as acceptable for the client's
// CertificateVerify, and padlock's lists only the schemes it verifies. The client's secrets and records are checked instead through the key
// schedule and the record layer (test_tls_key_schedule.cpp, test_tls_record.cpp), and the client
// against real servers (test_tls_openssl.cpp).

namespace {

// The server of every RFC 8448 trace: its certificate (out of the trace's Certificate message), its
// RSA key, and the configuration the traces share (TLS_AES_128_GCM_SHA256, rsa_pss_rsae_sha256, the
// groups its EncryptedExtensions announces, §4.2.7). `group` is the one it takes.
struct Rfc8448Server {
    Buf cert;
    padlock::RsaPrivateKey key;
    SigningKey signing;
    Bytes chain[1];
    KeyLogSecrets log;
    Config config;
    const KeyShareGroup* groups[1];

    Rfc8448Server(const std::string& trace, const KeyShareGroup& group, std::span<const std::uint16_t> announced) {
        // Certificate: type(1) len(3) context(1 = empty) list-len(3) cert-len(3) cert ...
        const Buf cert_msg = trace_message(trace, "server", "Certificate");
        const std::size_t cert_len = (std::size_t(cert_msg[8]) << 16) | (std::size_t(cert_msg[9]) << 8) | cert_msg[10];
        cert.assign(cert_msg.begin() + 11, cert_msg.begin() + 11 + long(cert_len));
        auto f = rfc8448_rsa_key();
        REQUIRE(key.load({f["modulus"], f["public_exponent"], f["private_exponent"], f["prime1"], f["prime2"],
                          f["exponent1"], f["exponent2"], f["coefficient"]}) == CryptoError::ok);
        signing = signing_key_rsa(key);
        chain[0] = cert;
        groups[0] = &group;
        static const CipherSuite* const suites[] = {&tls_aes_128_gcm_sha256};
        static const std::uint16_t schemes[] = {scheme::rsa_pss_rsae_sha256};
        config.cipher_suites = suites;
        config.groups = groups;
        config.signature_schemes = schemes;
        config.announced_groups = announced;
        config.certificate_chain = chain;
        config.signing_key = &signing;
        config.key_log = {&KeyLogSecrets::write, &log};
    }
    Rfc8448Server(const Rfc8448Server&) = delete;
    Rfc8448Server& operator=(const Rfc8448Server&) = delete;
};
// What §3's and §4's server announces in EncryptedExtensions.
const std::uint16_t announced_3[] = {0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104};

// The NSS key-log labels and the RFC 8448 trace's names for the same secrets.
const std::pair<const char*, const char*> secret_labels[] = {
    {"CLIENT_HANDSHAKE_TRAFFIC_SECRET", "derive secret \"tls13 c hs traffic\""},
    {"SERVER_HANDSHAKE_TRAFFIC_SECRET", "derive secret \"tls13 s hs traffic\""},
    {"CLIENT_TRAFFIC_SECRET_0", "derive secret \"tls13 c ap traffic\""},
    {"SERVER_TRAFFIC_SECRET_0", "derive secret \"tls13 s ap traffic\""},
    {"EXPORTER_SECRET", "derive secret \"tls13 exp master\""},
};
// Every secret of `labels` the key log saw is the trace's.
void check_secrets(KeyLogSecrets& log, const std::string& trace, std::span<const std::pair<const char*, const char*>> labels) {
    for (const auto& [label, name] : labels) {
        INFO(label);
        CHECK(log.hex_by_label[label] == hex(trace_field(trace, "server", name, "expanded")));
    }
}

}  // namespace

TEST_CASE("RFC 8448 §3 simple 1-RTT: the engine as server, byte for byte", "[tls][engine][rfc8448]") {
    const std::string t = "simple_1rtt.json";
    const Buf sh = trace_message(t, "server", "ServerHello");
    const Buf cv_msg = trace_message(t, "server", "CertificateVerify");
    Rfc8448Server srv(t, x25519_group, announced_3);
    const Config& config = srv.config;
    KeyLogSecrets& log = srv.log;

    // The server draws, in order: its Random (§4.1.3), its x25519 private key, the PSS salt.
    ScriptedRng rng;
    rng.script = {Buf(sh.begin() + 6, sh.begin() + 38),
                  trace_field(t, "server", "create an ephemeral x25519 key pair", "private key"),
                  recover_pss_salt_sha256(srv.key.public_key(), Bytes(cv_msg).subspan(8))};

    Endpoint<> server;
    REQUIRE(server.conn.start_server(config, rng.rng()) == TlsError::ok);
    auto feed_record = [&](const Buf& record, Event expect) {
        std::size_t used = 0;
        Event e = Event::none;
        REQUIRE(server.conn.feed(record, used, e) == TlsError::ok);
        CHECK(used == record.size());
        CHECK(e == expect);
    };
    auto take = [&] {
        const Bytes out = server.conn.pending_output();
        Buf b(out.begin(), out.end());
        if (!b.empty()) REQUIRE(server.conn.consume_output(b.size()) == TlsError::ok);
        return b;
    };

    feed_record(trace_field(t, "client", "send handshake record", "complete record", 0), Event::none);
    CHECK_FALSE(rng.mismatch);
    CHECK(rng.next == 3);
    const Buf flight = take();
    const Buf want_sh = trace_field(t, "server", "send handshake record", "complete record", 0);
    const Buf want_flight = trace_field(t, "server", "send handshake record", "complete record", 1);
    REQUIRE(flight.size() == want_sh.size() + want_flight.size());
    CHECK(hex(Bytes(flight).first(want_sh.size())) == hex(want_sh));       // ServerHello record
    CHECK(hex(Bytes(flight).subspan(want_sh.size())) == hex(want_flight));  // {EE Certificate CV Finished}

    // Every secret the key log saw is the trace's.
    check_secrets(log, t, secret_labels);

    // The client's Finished completes the handshake; its application data opens to the trace's payload.
    feed_record(trace_field(t, "client", "send handshake record", "complete record", 1), Event::handshake_complete);
    REQUIRE(server.conn.handshake_done());
    feed_record(trace_field(t, "client", "send application_data record", "complete record"), Event::application_data);
    CHECK(hex(server.conn.application_data()) == hex(trace_field(t, "client", "send application_data record", "payload")));

    // The trace's server sent a NewSessionTicket first. Its ticket is that server's own octets (a
    // Config::ticket_sealer could hand them out) but the message also advertises 0-RTT (early_data,
    // max_early_data_size 1024), which padlock never does, and uses a two-octet ticket_nonce: it
    // cannot come out byte for byte, so this server has no tickets. Skip its sequence number; then
    // our application data and close_notify records are the trace's.
    server.memory->records.write.set_sequence(1);
    const Buf payload = trace_field(t, "server", "send application_data record", "payload");
    std::size_t accepted = 0;
    REQUIRE(server.conn.send(payload, accepted) == TlsError::ok);
    CHECK(accepted == payload.size());
    CHECK(hex(take()) == hex(trace_field(t, "server", "send application_data record", "complete record")));
    REQUIRE(server.conn.close() == TlsError::ok);
    CHECK(hex(take()) == hex(trace_field(t, "server", "send alert record", "complete record")));
    // And the client's close_notify.
    feed_record(trace_field(t, "client", "send alert record", "complete record"), Event::close_notify);
    CHECK(server.conn.state() == State::closed);
}

// RFC 8448 §5's server is stateless in the sense of §4.2.2: its HelloRetryRequest carries a
// 114-octet cookie in that server's own format. This sealer stands for that server through
// Config::cookie_sealer: it "seals" by handing out the trace's cookie octets, and opens exactly those
// octets back into the state the cookie must hold, computed here from the trace (Hash(ClientHello1),
// TLS_AES_128_GCM_SHA256, secp256r1), not from the engine.
struct TraceCookieSealer {
    Buf cookie;
    CookieState state;
    int sealed = 0;
    CookieState asked;  // what the engine asked to seal
    static TlsError seal(const void* ctx, const CookieState& st, const Rng&, MutBytes out, std::size_t& written) {
        auto& t = *const_cast<TraceCookieSealer*>(static_cast<const TraceCookieSealer*>(ctx));
        t.sealed++;
        t.asked = st;
        if (out.size() < t.cookie.size()) return TlsError::buffer_too_small;
        std::copy(t.cookie.begin(), t.cookie.end(), out.begin());
        written = t.cookie.size();
        return TlsError::ok;
    }
    static TlsError open(const void* ctx, Bytes cookie, std::uint64_t, CookieState& out) {
        const auto& t = *static_cast<const TraceCookieSealer*>(ctx);
        if (cookie.size() != t.cookie.size() || !std::equal(cookie.begin(), cookie.end(), t.cookie.begin()))
            return TlsError::cookie_invalid;
        out = t.state;
        return TlsError::ok;
    }
};

TEST_CASE("RFC 8448 §5 HelloRetryRequest: the engine as a stateless server, byte for byte", "[tls][engine][rfc8448][stateless]") {
    const std::string t = "hello_retry_request.json";
    const Buf ch1 = trace_message(t, "client", "ClientHello", 0);
    const Buf hrr = trace_message(t, "server", "ServerHello", 0);
    const Buf sh = trace_message(t, "server", "ServerHello", 1);
    const Buf cv_msg = trace_message(t, "server", "CertificateVerify");

    // The trace's HelloRetryRequest: ... extensions: key_share (00 33 00 02 00 17), then cookie
    // (00 2c, length, cookie<...>), then supported_versions. Its cookie octets:
    const std::size_t cookie_at = 4 + 2 + 32 + 1 + 2 + 1 + 2 + 6 + 4;
    REQUIRE(hex(Bytes(hrr).subspan(cookie_at - 10, 10)) == "0033000200170" "02c0074");
    const std::size_t cookie_len = (std::size_t(hrr[cookie_at]) << 8) | hrr[cookie_at + 1];
    TraceCookieSealer sealer;
    sealer.cookie.assign(hrr.begin() + long(cookie_at + 2), hrr.begin() + long(cookie_at + 2 + cookie_len));
    REQUIRE(sealer.cookie.size() == 114);
    sealer.state.cipher_suite = 0x1301;
    sealer.state.selected_group = 0x0017;
    sealer.state.hash_size = 32;
    const Buf ch1_hash = transcript_hash_of(HashAlg::sha256, {ch1});
    std::copy(ch1_hash.begin(), ch1_hash.end(), sealer.state.client_hello1_hash);
    const CookieSealer cookie_sealer{TraceCookieSealer::seal, TraceCookieSealer::open, &sealer};

    static const std::uint16_t announced[] = {0x0017, 0x0018, 0x001d};  // the trace's EncryptedExtensions
    Rfc8448Server srv(t, secp256r1_group, announced);  // ClientHello1 has x25519 only
    Config& config = srv.config;
    KeyLogSecrets& log = srv.log;
    config.cookie_sealer = &cookie_sealer;

    auto feed_record = [](Connection& c, const Buf& record, Event expect) {
        std::size_t used = 0;
        Event e = Event::none;
        REQUIRE(c.feed(record, used, e) == TlsError::ok);
        CHECK(used == record.size());
        CHECK(e == expect);
    };
    auto take = [](Connection& c) {
        const Bytes out = c.pending_output();
        Buf b(out.begin(), out.end());
        if (!b.empty()) REQUIRE(c.consume_output(b.size()) == TlsError::ok);
        return b;
    };

    // ClientHello1 -> the HelloRetryRequest record, byte for byte, from a server that draws no
    // randomness for it and keeps nothing afterwards (its memory is dropped).
    {
        ScriptedRng none;
        Endpoint<> first;
        REQUIRE(first.conn.start_server(config, none.rng()) == TlsError::ok);
        feed_record(first.conn, trace_field(t, "client", "send handshake record", "complete record", 0), Event::none);
        CHECK(hex(take(first.conn)) == hex(trace_field(t, "server", "send handshake record", "complete record", 0)));
        CHECK(none.next == 0);
        CHECK(sealer.sealed == 1);
        CHECK(sealer.asked.cipher_suite == 0x1301);
        CHECK(sealer.asked.selected_group == 0x0017);
        CHECK(hex(Bytes(sealer.asked.client_hello1_hash, sealer.asked.hash_size)) == hex(ch1_hash));
    }

    // ClientHello2 on a fresh connection: the server draws its Random, its P-256 private key (then 32
    // octets of projective blinding, which do not change the key), and the PSS salt.
    ScriptedRng rng;
    rng.script = {Buf(sh.begin() + 6, sh.begin() + 38),
                  trace_field(t, "server", "create an ephemeral P-256 key pair", "private key"), filler(32, 3),
                  recover_pss_salt_sha256(srv.key.public_key(), Bytes(cv_msg).subspan(8))};
    Endpoint<> server;
    REQUIRE(server.conn.start_server(config, rng.rng()) == TlsError::ok);
    feed_record(server.conn, trace_field(t, "client", "send handshake record", "complete record", 1), Event::none);
    CHECK_FALSE(rng.mismatch);
    CHECK(rng.next == 4);
    CHECK(server.conn.hello_retry_request());
    CHECK(server.conn.key_share_group() == &secp256r1_group);
    const Buf flight = take(server.conn);
    const Buf want_sh = trace_field(t, "server", "send handshake record", "complete record", 1);
    const Buf want_flight = trace_field(t, "server", "send handshake record", "complete record", 2);
    REQUIRE(flight.size() == want_sh.size() + want_flight.size());
    CHECK(hex(Bytes(flight).first(want_sh.size())) == hex(want_sh));       // ServerHello record
    CHECK(hex(Bytes(flight).subspan(want_sh.size())) == hex(want_flight));  // {EE Certificate CV Finished}

    check_secrets(log, t, secret_labels);

    // The client's Finished, then both close_notify records (§5 sends no application data).
    feed_record(server.conn, trace_field(t, "client", "send handshake record", "complete record", 2), Event::handshake_complete);
    REQUIRE(server.conn.handshake_done());
    REQUIRE(server.conn.close() == TlsError::ok);
    CHECK(hex(take(server.conn)) == hex(trace_field(t, "server", "send alert record", "complete record")));
    feed_record(server.conn, trace_field(t, "client", "send alert record", "complete record"), Event::close_notify);
    CHECK(server.conn.state() == State::closed);
}

// RFC 8448 §4's ticket is §3's server's opaque octets. This sealer stands for that server through
// Config::ticket_sealer: it opens exactly those octets into the session §3 established (its PSK
// derived here from §3's resumption_master_secret, §4.6.1), and seals nothing.
struct TraceTicketSealer {
    Buf ticket;
    Buf psk;
    static TlsError seal(const void*, const SessionState&, const Rng&, MutBytes, std::size_t&) { return TlsError::api_misuse; }
    static TlsError open(const void* ctx, Bytes ticket, std::uint64_t, SessionState& out) {
        const auto& t = *static_cast<const TraceTicketSealer*>(ctx);
        if (ticket.size() != t.ticket.size() || !std::equal(ticket.begin(), ticket.end(), t.ticket.begin()))
            return TlsError::ticket_invalid;
        out.cipher_suite = 0x1301;
        out.lifetime = 30;  // §3's NewSessionTicket: ticket_lifetime 30 s, ticket_age_add 0x933d0932
        out.age_add = 0x933d0932;
        return out.psk.assign(t.psk);
    }
};

// RFC 8448 §4 as server, as far as padlock goes. The trace's server accepts 0-RTT; padlock refuses it
// (§4.2.10) by design, so the exchange is the same only up to the ServerHello: its record, the
// binder the server checks, and the handshake traffic secrets are the trace's byte for byte.
// Not beyond, and exactly why: the trace's EncryptedExtensions carries early_data (00 2a 00 00),
// which padlock's does not, so from EncryptedExtensions on the transcripts differ (the server
// Finished, the application secrets) and the trace's client also sends EndOfEarlyData (§4.5), which a
// server that refused 0-RTT never expects. The test shows each of these, not just says it.
TEST_CASE("RFC 8448 §4 resumed handshake: the engine as server up to where it refuses 0-RTT", "[tls][engine][rfc8448][resumption]") {
    const std::string t = "resumed_0rtt.json", t3 = "simple_1rtt.json";
    const Buf ch_record = trace_field(t, "client", "send handshake record", "complete record", 0);
    const Buf sh = trace_message(t, "server", "ServerHello");
    const Buf trace_ee = trace_message(t, "server", "EncryptedExtensions");
    const Buf nst = trace_message(t3, "server", "NewSessionTicket");
    // NewSessionTicket: type(1) len(3) lifetime(4) age_add(4) ticket_nonce<1> = 02 00 00, ticket<2>.
    REQUIRE(hex(Bytes(nst).subspan(4, 11)) == "0000001e933d0932" "020000");
    const std::size_t ticket_len = (std::size_t(nst[15]) << 8) | nst[16];
    TraceTicketSealer sealer;
    sealer.ticket.assign(nst.begin() + 17, nst.begin() + 17 + long(ticket_len));
    Secret psk;
    REQUIRE(resumption_psk(sha256_ops, trace_field(t3, "client", "derive secret \"tls13 res master\"", "expanded"),
                           Buf{0x00, 0x00}, psk) == TlsError::ok);
    sealer.psk.assign(psk.view().begin(), psk.view().end());
    // §4's Early Secret is HKDF-Extract(0, that PSK).
    CHECK(hex(sealer.psk) == hex(trace_field(t, "client", "extract secret \"early\"", "IKM")));
    const TicketSealer ticket_sealer{TraceTicketSealer::seal, TraceTicketSealer::open, &sealer};

    // §3's server: its certificate and RSA key (a resumed handshake uses neither, but a server has them).
    Rfc8448Server srv(t3, x25519_group, announced_3);
    Config& config = srv.config;
    KeyLogSecrets& log = srv.log;
    config.ticket_sealer = &ticket_sealer;

    // The server draws its Random and its x25519 private key.
    ScriptedRng rng;
    rng.script = {Buf(sh.begin() + 6, sh.begin() + 38), trace_field(t, "server", "create an ephemeral x25519 key pair", "private key")};
    Endpoint<> server;
    REQUIRE(server.conn.start_server(config, rng.rng()) == TlsError::ok);
    auto feed = [&](const Buf& record) {
        std::size_t used = 0;
        Event e = Event::none;
        const TlsError err = server.conn.feed(record, used, e);
        if (err == TlsError::ok) CHECK(used == record.size());
        CHECK(e == Event::none);
        return err;
    };
    REQUIRE(feed(ch_record) == TlsError::ok);  // the binder verified (§4.2.11.2), or this is decrypt_error
    CHECK_FALSE(rng.mismatch);
    CHECK(rng.next == 2);
    CHECK(server.conn.resumed());
    const Bytes out = server.conn.pending_output();
    const Buf flight(out.begin(), out.end());
    REQUIRE(server.conn.consume_output(flight.size()) == TlsError::ok);
    const Buf want_sh = trace_field(t, "server", "send handshake record", "complete record", 0);
    REQUIRE(flight.size() > want_sh.size());
    CHECK(hex(Bytes(flight).first(want_sh.size())) == hex(want_sh));  // the ServerHello record, byte for byte
    check_secrets(log, t, std::span(secret_labels).first(2));  // the handshake secrets

    // Our {EncryptedExtensions Finished}, opened with the (trace's) server handshake traffic secret:
    // the trace's EncryptedExtensions less its early_data extension, then a Finished.
    RecordProtection open_flight;
    REQUIRE(open_flight.install(tls_aes_128_gcm_sha256, unhex(log.hex_by_label["SERVER_HANDSHAKE_TRAFFIC_SECRET"])) == TlsError::ok);
    Buf record(flight.begin() + long(want_sh.size()), flight.end());
    ContentType type;
    MutBytes content;
    REQUIRE(open_flight.open(record, max_inner_plaintext_size, type, content) == TlsError::ok);
    REQUIRE(type == ContentType::handshake);
    REQUIRE(hex(Bytes(trace_ee).last(4)) == "002a0000");
    Buf ee_without_early_data(trace_ee.begin(), trace_ee.end() - 4);
    ee_without_early_data[3] = std::uint8_t(ee_without_early_data[3] - 4);  // handshake length
    ee_without_early_data[5] = std::uint8_t(ee_without_early_data[5] - 4);  // extensions length
    REQUIRE(content.size() == ee_without_early_data.size() + 4 + 32);
    CHECK(hex(content.first(ee_without_early_data.size())) == hex(ee_without_early_data));
    CHECK(hex(content.subspan(ee_without_early_data.size(), 4)) == "14000020");  // Finished, 32 octets
    CHECK(hex(content.last(32)) != hex(trace_field(t, "server", "calculate finished \"tls13 finished\"", "finished")));

    // The trace's client: its 0-RTT record and its EndOfEarlyData (under the early traffic key,
    // which a server that refused 0-RTT never derives) are skipped as early data (§4.2.10); its
    // Finished opens (same client handshake traffic secret) but covers the trace's transcript, not
    // ours: decrypt_error (§4.4.4).
    CHECK(feed(trace_field(t, "client", "send application_data record", "complete record", 0)) == TlsError::ok);
    CHECK(feed(trace_field(t, "client", "send handshake record", "complete record", 1)) == TlsError::ok);
    CHECK(feed(trace_field(t, "client", "send handshake record", "complete record", 2)) == TlsError::finished_invalid);
    CHECK(server.conn.alert_sent() == AlertDescription::decrypt_error);
    CHECK_FALSE(server.conn.handshake_done());
}

TEST_CASE("engine vs engine: every suite x group x server key", "[tls][engine]") {
    for (int key = 0; key < 2; key++) {
        EnginePki& pki = key == 0 ? ecdsa_pki() : rsa_pki();
        for (const CipherSuite* suite : all_suites)
            for (const KeyShareGroup* group : all_groups) {
                INFO(suite->name << " " << group->name << (key == 0 ? " ECDSA P-256" : " RSA-2048"));
                Configs c(pki);
                c.client_suites = {suite};
                c.client_groups = {group};
                c.server_groups = {group};
                Pair p;
                handshake(p, c);
                for (Connection* conn : {&p.client.conn, &p.server.conn}) {
                    CHECK(conn->version() == 0x0304);
                    CHECK(conn->cipher_suite() == suite);
                    CHECK(conn->key_share_group() == group);
                    CHECK_FALSE(conn->hello_retry_request());
                }
                const std::uint16_t expected_scheme = key == 0 ? scheme::ecdsa_secp256r1_sha256 : scheme::rsa_pss_rsae_sha256;
                CHECK(p.client.conn.peer_signature_scheme() == expected_scheme);
                CHECK(p.server.conn.signature_scheme() == expected_scheme);
                CHECK(p.client.conn.peer_authenticated());
                CHECK(p.client.conn.peer_chain().count == 1);
                CHECK_FALSE(p.server.conn.peer_authenticated());
                exchange(p, 40000);
            }
    }
}

TEST_CASE("engine vs engine: HelloRetryRequest when the client's share does not fit", "[tls][engine][hrr]") {
    for (bool compat : {true, false}) {
        Configs c(ecdsa_pki());
        c.client_groups = {&x25519_group, &secp256r1_group};  // share for x25519 only
        c.server_groups = {&secp256r1_group};                 // the server wants P-256
        c.client.middlebox_compatibility = compat;
        Pair p;
        handshake(p, c);
        CHECK(p.client.conn.hello_retry_request());
        CHECK(p.server.conn.hello_retry_request());
        CHECK(p.client.conn.key_share_group() == &secp256r1_group);
        CHECK(p.server.conn.key_share_group() == &secp256r1_group);
        exchange(p, 100);
    }
}

TEST_CASE("engine vs engine: HelloRetryRequest to and from secp384r1, every suite", "[tls][engine][hrr]") {
    // (share sent, group the server wants): to P-384 from each of the others, and from P-384 away.
    const std::pair<const KeyShareGroup*, const KeyShareGroup*> moves[] = {
        {&x25519_group, &secp384r1_group}, {&secp256r1_group, &secp384r1_group}, {&secp384r1_group, &x25519_group}};
    for (const CipherSuite* suite : all_suites)
        for (const auto& [first, wanted] : moves) {
            INFO(suite->name << ": " << first->name << " -> " << wanted->name);
            Configs c(ecdsa_pki());
            c.client_suites = {suite};
            c.client_groups = {first, wanted};
            c.server_groups = {wanted};
            Pair p;
            handshake(p, c);
            CHECK(p.client.conn.hello_retry_request());
            CHECK(p.server.conn.hello_retry_request());
            CHECK(p.client.conn.cipher_suite() == suite);
            CHECK(p.client.conn.key_share_group() == wanted);
            CHECK(p.server.conn.key_share_group() == wanted);
            exchange(p, 1000);
        }
}

TEST_CASE("engine vs engine: stateless HelloRetryRequest (§4.2.2), every suite", "[tls][engine][hrr][stateless]") {
    for (const CipherSuite* suite : all_suites)
        for (bool compat : {true, false})
            for (bool fresh : {false, true}) {
                INFO(suite->name << (compat ? " compat" : "") << (fresh ? ", ClientHello2 on a fresh connection" : ""));
                Configs c(ecdsa_pki());
                c.client_suites = {suite};
                c.client_groups = {&x25519_group, &secp384r1_group};  // share for x25519 only
                c.server_groups = {&secp384r1_group};
                c.client.middlebox_compatibility = compat;
                c.server.cookie_sealer = &test_cookie_sealer();
                Pair p;
                if (fresh) {
                    stateless_handshake(p, c);
                } else {
                    handshake(p, c);
                    CHECK(p.server.conn.hello_retry_request());
                }
                CHECK(p.client.conn.cipher_suite() == suite);
                CHECK(p.server.conn.cipher_suite() == suite);
                CHECK(p.client.conn.key_share_group() == &secp384r1_group);
                CHECK(p.server.conn.key_share_group() == &secp384r1_group);
                CHECK(p.client.conn.peer_authenticated());
                exchange(p, 1000);
            }
}

TEST_CASE("engine vs engine: stateless HelloRetryRequest with mutual authentication and ALPN", "[tls][engine][hrr][stateless]") {
    Configs c(ecdsa_pki());
    c.client_groups = {&x25519_group, &secp256r1_group};
    c.server_groups = {&secp256r1_group};
    c.server.request_client_certificate = c.server.require_client_certificate = true;
    c.client_alpn = {"h2", "http/1.1"};
    c.server_alpn = {"http/1.1"};
    c.server.cookie_sealer = &test_cookie_sealer();
    Pair p;
    stateless_handshake(p, c);
    CHECK(p.server.conn.peer_authenticated());
    CHECK(std::string(p.client.conn.alpn().begin(), p.client.conn.alpn().end()) == "http/1.1");
    CHECK(std::string(p.server.conn.alpn().begin(), p.server.conn.alpn().end()) == "http/1.1");
    exchange(p, 100);
}

TEST_CASE("engine vs engine: no common group, suite or version ends with the RFC's alert", "[tls][engine]") {
    SECTION("no common group: handshake_failure") {
        Configs c(ecdsa_pki());
        c.client_groups = {&x25519_group};
        c.server_groups = {&secp256r1_group};
        Pair p;
        c.bind();
        REQUIRE(p.client.conn.start_client(c.client, system_rng()) == TlsError::ok);
        REQUIRE(p.server.conn.start_server(c.server, system_rng()) == TlsError::ok);
        pump(p.client.conn, p.server.conn, p.at_client, p.at_server);
        CHECK(p.at_server.error == TlsError::no_common_group);
        CHECK(p.server.conn.alert_sent() == AlertDescription::handshake_failure);
        CHECK(p.at_client.has(Event::alert_received));
        CHECK(p.client.conn.peer_alert() == AlertDescription::handshake_failure);
    }
    SECTION("no common suite: handshake_failure") {
        Configs c(ecdsa_pki());
        c.client_suites = {&tls_aes_128_gcm_sha256};
        c.server_suites = {&tls_chacha20_poly1305_sha256};
        Pair p;
        c.bind();
        REQUIRE(p.client.conn.start_client(c.client, system_rng()) == TlsError::ok);
        REQUIRE(p.server.conn.start_server(c.server, system_rng()) == TlsError::ok);
        pump(p.client.conn, p.server.conn, p.at_client, p.at_server);
        CHECK(p.at_server.error == TlsError::no_common_cipher_suite);
        CHECK(p.client.conn.peer_alert() == AlertDescription::handshake_failure);
    }
}

TEST_CASE("engine vs engine: mutual authentication", "[tls][engine][mtls]") {
    SECTION("client with a certificate") {
        Configs c(ecdsa_pki());
        c.server.request_client_certificate = true;
        c.server.require_client_certificate = true;
        Pair p;
        handshake(p, c);
        CHECK(p.server.conn.peer_authenticated());
        CHECK(p.server.conn.peer_chain().count == 1);
        CHECK(p.server.conn.peer_signature_scheme() == scheme::ecdsa_secp256r1_sha256);
        CHECK(p.client.conn.signature_scheme() == scheme::ecdsa_secp256r1_sha256);
        exchange(p, 1000);
    }
    SECTION("client without a certificate, server accepts") {
        Configs c(ecdsa_pki());
        c.client_certificate(ecdsa_pki(), false);
        c.server.request_client_certificate = true;
        c.server.require_client_certificate = false;
        Pair p;
        handshake(p, c);
        CHECK_FALSE(p.server.conn.peer_authenticated());
        CHECK(p.server.conn.peer_chain().count == 0);
        exchange(p, 1000);
    }
    SECTION("client without a certificate, server requires one: certificate_required") {
        Configs c(ecdsa_pki());
        c.client_certificate(ecdsa_pki(), false);
        c.server.request_client_certificate = true;
        c.server.require_client_certificate = true;
        Pair p;
        c.bind();
        REQUIRE(p.client.conn.start_client(c.client, system_rng()) == TlsError::ok);
        REQUIRE(p.server.conn.start_server(c.server, system_rng()) == TlsError::ok);
        pump(p.client.conn, p.server.conn, p.at_client, p.at_server);
        CHECK(p.at_server.error == TlsError::certificate_missing);
        CHECK(p.server.conn.alert_sent() == AlertDescription::certificate_required);
        // The client finished its side; it learns of the refusal from the alert.
        CHECK(p.client.conn.peer_alert() == AlertDescription::certificate_required);
        CHECK(p.at_server.received.empty());
    }
}

TEST_CASE("engine vs engine: an IP address as the reference identity is not sent as server_name", "[tls][engine]") {
    for (const char* ip : {"127.0.0.1", "::1"}) {
        INFO(ip);
        Configs c(ecdsa_pki());
        c.client.server_name = ip;  // the demo server certificate has iPAddress 127.0.0.1 and ::1
        Pair p;
        c.bind();
        REQUIRE(p.client.conn.start_client(c.client, system_rng()) == TlsError::ok);
        // RFC 6066 §3: no server_name extension (type 00 00) in the ClientHello's extensions.
        const Bytes ch = p.client.conn.pending_output();
        ClientHello parsed;
        REQUIRE(parse_client_hello(ch.subspan(5 + 4, ch.size() - 9), parsed) == TlsError::ok);
        CHECK_FALSE(parsed.extensions.has(ext::server_name));
        REQUIRE(p.server.conn.start_server(c.server, system_rng()) == TlsError::ok);
        pump(p.client.conn, p.server.conn, p.at_client, p.at_server);
        CHECK(p.at_client.error == TlsError::ok);
        CHECK(p.client.conn.handshake_done());
        CHECK(p.client.conn.peer_authenticated());
        CHECK(p.server.conn.server_name().empty());  // none was sent
    }
}

TEST_CASE("engine vs engine: the server sees the client's server_name (RFC 6066 §3)", "[tls][engine]") {
    Configs c(ecdsa_pki());
    Pair p;
    handshake(p, c);
    const Bytes name = p.server.conn.server_name();
    CHECK(std::string(name.begin(), name.end()) == "localhost");
    CHECK(p.client.conn.server_name().empty());  // a server-side accessor
}

namespace {
TicketKey test_ticket_key(std::uint8_t seed) {
    TicketKey k;
    k.aead = &aes_256_gcm_ops;
    for (std::size_t i = 0; i < sizeof k.name; i++) k.name[i] = std::uint8_t(seed + i);
    for (std::size_t i = 0; i < sizeof k.key; i++) k.key[i] = std::uint8_t(seed * 7 + i);
    return k;
}
}  // namespace

TEST_CASE("engine vs engine: resumption with a ticket (§4.6.1, §4.2.11 psk_dhe_ke)", "[tls][engine][resumption]") {
    static const TicketKey key = test_ticket_key(1), other_key = test_ticket_key(2);
    static const TicketKeys keys{&key, nullptr}, other_keys{&other_key, nullptr};
    for (const CipherSuite* suite : all_suites) {
        INFO(suite->name);
        StoredSession session;
        {
            Configs c(ecdsa_pki());
            c.client_suites = {suite};
            c.server.ticket_keys = &keys;
            c.client.new_session = &session;
            Pair p;
            handshake(p, c);
            CHECK_FALSE(p.client.conn.resumed());
            exchange(p, 100);  // the ticket arrives with the server's first records
            REQUIRE(session.ticket_size > 0);
            CHECK(session.cipher_suite == suite->code);
        }
        SECTION("the ticket resumes: no certificates, same keys on both sides") {
            Configs c(ecdsa_pki());
            c.client_suites = {suite};
            c.server.ticket_keys = &keys;
            c.server.request_client_certificate = true;  // §4.3.2: not with a PSK
            c.client.resume = &session;
            Pair p;
            handshake(p, c);
            CHECK(p.client.conn.resumed());
            CHECK(p.server.conn.resumed());
            CHECK(p.client.conn.peer_chain().count == 0);
            CHECK(p.server.conn.peer_chain().count == 0);
            CHECK(p.server.conn.signature_scheme() == 0);
            exchange(p, 1000);
        }
        SECTION("after a HelloRetryRequest (binder over message_hash and the HRR)") {
            Configs c(ecdsa_pki());
            c.client_suites = {suite};
            c.client_groups = {&x25519_group, &secp256r1_group};
            c.server_groups = {&secp256r1_group};
            c.server.ticket_keys = &keys;
            c.client.resume = &session;
            Pair p;
            handshake(p, c);
            CHECK(p.client.conn.hello_retry_request());
            CHECK(p.client.conn.resumed());
            CHECK(p.server.conn.resumed());
            exchange(p, 100);
        }
        SECTION("after a stateless HelloRetryRequest, ClientHello2 on a fresh connection") {
            Configs c(ecdsa_pki());
            c.client_suites = {suite};
            c.client_groups = {&x25519_group, &secp384r1_group};
            c.server_groups = {&secp384r1_group};
            c.server.ticket_keys = &keys;
            c.server.cookie_sealer = &test_cookie_sealer();
            c.client.resume = &session;
            Pair p;
            stateless_handshake(p, c);
            CHECK(p.client.conn.resumed());
            CHECK(p.server.conn.resumed());
            exchange(p, 100);
        }
        SECTION("a server with other ticket keys ignores it: a full handshake") {
            Configs c(ecdsa_pki());
            c.client_suites = {suite};
            c.server.ticket_keys = &other_keys;
            c.client.resume = &session;
            Pair p;
            handshake(p, c);
            CHECK_FALSE(p.client.conn.resumed());
            CHECK_FALSE(p.server.conn.resumed());
            CHECK(p.client.conn.peer_authenticated());
        }
        SECTION("an expired ticket is not offered") {
            Configs c(ecdsa_pki());
            c.client_suites = {suite};
            c.server.ticket_keys = &keys;
            c.client.resume = &session;
            c.client.time = pki_now + 8 * 86400;
            c.server.time = pki_now;
            Pair p;
            handshake(p, c);
            CHECK_FALSE(p.client.conn.resumed());
        }
    }
}

// A caller's own ticket format through Config::ticket_sealer: a session cache that keeps the states
// and hands out their index as a 4-octet ticket.
struct SessionCache {
    struct Entry {
        std::uint16_t cipher_suite;
        Buf psk;
    };
    std::vector<Entry> sessions;
    int opened = 0;
    static TlsError seal(const void* ctx, const SessionState& state, const Rng&, MutBytes out, std::size_t& written) {
        auto& c = *const_cast<SessionCache*>(static_cast<const SessionCache*>(ctx));
        if (out.size() < 4) return TlsError::buffer_too_small;
        const std::uint32_t id = std::uint32_t(c.sessions.size());
        c.sessions.push_back({state.cipher_suite, Buf(state.psk.view().begin(), state.psk.view().end())});
        for (int i = 0; i < 4; i++) out[std::size_t(i)] = std::uint8_t(id >> (24 - 8 * i));
        written = 4;
        return TlsError::ok;
    }
    static TlsError open(const void* ctx, Bytes ticket, std::uint64_t, SessionState& out) {
        auto& c = *const_cast<SessionCache*>(static_cast<const SessionCache*>(ctx));
        if (ticket.size() != 4) return TlsError::ticket_invalid;
        const std::uint32_t id = std::uint32_t(ticket[0]) << 24 | std::uint32_t(ticket[1]) << 16 |
                                 std::uint32_t(ticket[2]) << 8 | ticket[3];
        if (id >= c.sessions.size()) return TlsError::ticket_unknown_key;
        c.opened++;
        out.cipher_suite = c.sessions[id].cipher_suite;
        return out.psk.assign(c.sessions[id].psk);
    }
};

TEST_CASE("engine vs engine: resumption with the caller's ticket sealer (Config::ticket_sealer)", "[tls][engine][resumption]") {
    SessionCache cache;
    const TicketSealer sealer{SessionCache::seal, SessionCache::open, &cache};
    StoredSession session;
    {
        Configs c(ecdsa_pki());
        c.server.ticket_sealer = &sealer;
        c.client.new_session = &session;
        Pair p;
        handshake(p, c);
        exchange(p, 100);
        REQUIRE(cache.sessions.size() == 1);
        REQUIRE(session.ticket_size == 4);  // the cache's ticket, as the client stored it
    }
    Configs c(ecdsa_pki());
    c.server.ticket_sealer = &sealer;
    c.client.resume = &session;
    Pair p;
    handshake(p, c);
    CHECK(cache.opened == 1);
    CHECK(p.client.conn.resumed());
    CHECK(p.server.conn.resumed());
    exchange(p, 100);
    // A ticket the cache does not know: ignored (§4.2.11), a full handshake.
    session.ticket[3] = 9;
    Configs c2(ecdsa_pki());
    c2.server.ticket_sealer = &sealer;
    c2.client.resume = &session;
    Pair p2;
    handshake(p2, c2);
    CHECK_FALSE(p2.server.conn.resumed());
    CHECK(p2.client.conn.peer_authenticated());
}

TEST_CASE("engine vs engine: ALPN", "[tls][engine][alpn]") {
    SECTION("the server's first choice the client offers") {
        Configs c(ecdsa_pki());
        c.client_alpn = {"http/1.1", "h2"};
        c.server_alpn = {"h2", "http/1.1"};
        Pair p;
        handshake(p, c);
        CHECK(std::string(p.client.conn.alpn().begin(), p.client.conn.alpn().end()) == "h2");
        CHECK(std::string(p.server.conn.alpn().begin(), p.server.conn.alpn().end()) == "h2");
    }
    SECTION("no overlap: no_application_protocol") {
        Configs c(ecdsa_pki());
        c.client_alpn = {"http/1.1"};
        c.server_alpn = {"h2"};
        Pair p;
        c.bind();
        REQUIRE(p.client.conn.start_client(c.client, system_rng()) == TlsError::ok);
        REQUIRE(p.server.conn.start_server(c.server, system_rng()) == TlsError::ok);
        pump(p.client.conn, p.server.conn, p.at_client, p.at_server);
        CHECK(p.at_server.error == TlsError::no_application_protocol);
        CHECK(p.client.conn.peer_alert() == AlertDescription::no_application_protocol);
        CHECK(int(AlertDescription::no_application_protocol) == 120);  // RFC 7301 §3.2
    }
    SECTION("client without ALPN: none negotiated") {
        Configs c(ecdsa_pki());
        c.server_alpn = {"h2"};
        Pair p;
        handshake(p, c);
        CHECK(p.client.conn.alpn().empty());
        CHECK(p.server.conn.alpn().empty());
    }
}

TEST_CASE("engine vs engine: record_size_limit 2048 in ConnectionMemory<2048, 4096>", "[tls][engine][rsl]") {
    Configs c(ecdsa_pki());
    c.client.record_size_limit = 2048;
    c.server.record_size_limit = 2048;
    c.bind();
    Endpoint<2048, 4096> client, server;
    Seen at_client, at_server;
    REQUIRE(client.conn.start_client(c.client, system_rng()) == TlsError::ok);
    REQUIRE(server.conn.start_server(c.server, system_rng()) == TlsError::ok);
    pump(client.conn, server.conn, at_client, at_server);
    REQUIRE(at_client.error == TlsError::ok);
    REQUIRE(at_server.error == TlsError::ok);
    REQUIRE(client.conn.handshake_done());
    REQUIRE(server.conn.handshake_done());
    CHECK(client.conn.peer_record_size_limit() == 2048);
    CHECK(server.conn.peer_record_size_limit() == 2048);
    // Every record either side sends is at most 5 + 2048 + 16 octets.
    const Buf data = filler(20000, 5);
    std::size_t sent = 0, largest = 0;
    while (sent < data.size()) {
        std::size_t accepted = 0;
        REQUIRE(client.conn.send(Bytes(data).subspan(sent), accepted) == TlsError::ok);
        sent += accepted;
        Bytes out = client.conn.pending_output();
        for (std::size_t at = 0; at + 5 <= out.size();) {
            const std::size_t len = (std::size_t(out[at + 3]) << 8) | out[at + 4];
            largest = std::max(largest, 5 + len);
            at += 5 + len;
        }
        deliver(client.conn, server.conn, at_server);
    }
    CHECK(largest == 5 + 2048 + 16);
    CHECK(at_server.received == data);
    std::printf("per-connection memory: ConnectionMemory<> %zu bytes, ConnectionMemory<2048, 4096> %zu bytes, "
                "Connection %zu bytes\n",
                sizeof(ConnectionMemory<>), sizeof(ConnectionMemory<2048, 4096>), sizeof(Connection));
}

TEST_CASE("engine vs engine: a client limit of 2048 against a full-size server", "[tls][engine][rsl]") {
    Configs c(ecdsa_pki());
    c.client.record_size_limit = 2048;
    c.bind();
    Endpoint<2048, 4096> client;
    Endpoint<> server;
    Seen at_client, at_server;
    REQUIRE(client.conn.start_client(c.client, system_rng()) == TlsError::ok);
    REQUIRE(server.conn.start_server(c.server, system_rng()) == TlsError::ok);
    pump(client.conn, server.conn, at_client, at_server);
    REQUIRE(client.conn.handshake_done());
    CHECK(server.conn.peer_record_size_limit() == 2048);
    CHECK(client.conn.peer_record_size_limit() == 16385);
    const Buf data = filler(10000, 6);
    send_all(server.conn, client.conn, at_client, data);
    CHECK(at_client.received == data);
}

TEST_CASE("engine vs engine: 16 MiB each way, hashed at both ends", "[tls][engine][large]") {
    Configs c(ecdsa_pki());
    c.client_suites = {&tls_aes_128_gcm_sha256};
    Pair p;
    handshake(p, c);
    const std::size_t total = std::size_t(16) << 20;
    // Generated in chunks and hashed as sent; the receiver hashes what arrives.
    for (int direction = 0; direction < 2; direction++) {
        Connection& from = direction == 0 ? p.client.conn : p.server.conn;
        Connection& to = direction == 0 ? p.server.conn : p.client.conn;
        Seen& seen = direction == 0 ? p.at_server : p.at_client;
        Sha256 sent_hash, received_hash;
        std::size_t received = 0;
        Buf chunk(1 << 16);
        for (std::size_t done = 0; done < total; done += chunk.size()) {
            for (std::size_t i = 0; i < chunk.size(); i++) chunk[i] = std::uint8_t((done + i) * 2654435761u >> 24);
            sent_hash.update(chunk);
            seen.received.clear();
            send_all(from, to, seen, chunk);
            received_hash.update(seen.received);
            received += seen.received.size();
        }
        CHECK(received == total);
        std::uint8_t a[32], b[32];
        sent_hash.final(a);
        received_hash.final(b);
        CHECK(hex(Bytes(a, 32)) == hex(Bytes(b, 32)));
        CHECK(seen.error == TlsError::ok);
    }
}

TEST_CASE("engine vs engine: KeyUpdate both ways", "[tls][engine][keyupdate]") {
    Configs c(ecdsa_pki());
    Pair p;
    handshake(p, c);
    exchange(p, 100);
    const std::uint64_t client_write_seq = p.client.memory->records.write.sequence();
    // The client updates and asks the server to update too (§4.6.3 update_requested).
    REQUIRE(p.client.conn.update_keys(true) == TlsError::ok);
    deliver(p.client.conn, p.server.conn, p.at_server);
    CHECK(p.at_server.has(Event::key_update));
    CHECK(p.client.memory->records.write.sequence() == 0);  // a new key starts at 0 (§5.3)
    CHECK(client_write_seq > 0);
    // The server's answer (update_not_requested) is queued already.
    REQUIRE_FALSE(p.server.conn.pending_output().empty());
    deliver(p.server.conn, p.client.conn, p.at_client);
    CHECK(p.at_client.has(Event::key_update));
    CHECK_FALSE(p.client.conn.pending_output().size() > 0);  // not requested: no reply
    exchange(p, 5000);
    // Server-initiated, without a request.
    REQUIRE(p.server.conn.update_keys(false) == TlsError::ok);
    exchange(p, 100);
    CHECK(p.at_client.error == TlsError::ok);
    CHECK(p.at_server.error == TlsError::ok);
}

TEST_CASE("engine vs engine: the §5.5 AES-GCM record limit triggers a KeyUpdate", "[tls][engine][keyupdate]") {
    Configs c(ecdsa_pki());
    c.client_suites = {&tls_aes_128_gcm_sha256};
    Pair p;
    handshake(p, c);
    // §5.5: at most 2^24.5 full-size records per AES-GCM key. Move the client's write key to its
    // last record: the engine sends a KeyUpdate under it, then the data under the next key.
    const std::uint64_t limit = aes_128_gcm_ops.record_limit;
    CHECK(limit == 23726566);  // floor(2^24.5)
    p.client.memory->records.write.set_sequence(limit - 1);
    p.server.memory->records.read.set_sequence(limit - 1);  // as if that many records had come
    REQUIRE(p.client.memory->records.key_update_pending());
    const Buf data = filler(3000, 8);
    send_all(p.client.conn, p.server.conn, p.at_server, data);
    CHECK(p.at_server.has(Event::key_update));
    CHECK(p.at_server.received == data);
    CHECK(p.client.memory->records.write.sequence() == 1);  // one record under the new key
    CHECK(p.at_server.error == TlsError::ok);
}

TEST_CASE("engine vs engine: close_notify", "[tls][engine][close]") {
    Configs c(ecdsa_pki());
    Pair p;
    handshake(p, c);
    exchange(p, 10);
    REQUIRE(p.client.conn.close() == TlsError::ok);
    std::size_t accepted = 0;
    CHECK(p.client.conn.send(Bytes(filler(5, 1)), accepted) == TlsError::api_misuse);
    deliver(p.client.conn, p.server.conn, p.at_server);
    CHECK(p.at_server.has(Event::close_notify));
    // The server may still send, then closes too.
    send_all(p.server.conn, p.client.conn, p.at_client, filler(50, 3));
    REQUIRE(p.server.conn.close() == TlsError::ok);
    deliver(p.server.conn, p.client.conn, p.at_client);
    CHECK(p.at_client.has(Event::close_notify));
    CHECK(p.client.conn.state() == State::closed);
    CHECK(p.server.conn.state() == State::closed);
}

TEST_CASE("engine vs engine: the key log has the five NSS lines, and both sides agree", "[tls][engine][keylog]") {
    struct Log {
        std::map<std::string, std::string> lines;
        static void write(void* ctx, const char* label, Bytes random, Bytes secret) {
            std::uint8_t line[400];
            std::size_t n = 0;
            REQUIRE(format_key_log_line(label, random, secret, line, n) == TlsError::ok);
            static_cast<Log*>(ctx)->lines[label] = std::string(reinterpret_cast<char*>(line), n);
        }
    } client_log, server_log;
    Configs c(ecdsa_pki());
    c.client.key_log = {&Log::write, &client_log};
    c.server.key_log = {&Log::write, &server_log};
    Pair p;
    handshake(p, c);
    for (const char* label : {key_log_label::client_handshake_traffic, key_log_label::server_handshake_traffic,
                              key_log_label::client_traffic_0, key_log_label::server_traffic_0, key_log_label::exporter}) {
        INFO(label);
        REQUIRE(client_log.lines.count(label) == 1);
        CHECK(client_log.lines[label] == server_log.lines[label]);
        CHECK(client_log.lines[label].rfind(std::string(label) + " ", 0) == 0);
    }
}

TEST_CASE("engine: records split at any point still make a handshake", "[tls][engine]") {
    Configs c(ecdsa_pki());
    c.bind();
    for (std::size_t piece : {1u, 3u, 7u, 100u}) {
        Pair p;
        REQUIRE(p.client.conn.start_client(c.client, system_rng()) == TlsError::ok);
        REQUIRE(p.server.conn.start_server(c.server, system_rng()) == TlsError::ok);
        // Feed each side's bytes to the other `piece` octets at a time.
        auto dribble = [&](Connection& from, Connection& to, Seen& seen) {
            Bytes out = from.pending_output();
            if (out.empty()) return false;
            Buf bytes(out.begin(), out.end());
            REQUIRE(from.consume_output(bytes.size()) == TlsError::ok);
            for (std::size_t at = 0; at < bytes.size();) {
                const std::size_t n = std::min(piece, bytes.size() - at);
                std::size_t fed = 0;
                while (fed < n) {
                    std::size_t used = 0;
                    Event e = Event::none;
                    REQUIRE(to.feed(Bytes(bytes).subspan(at + fed, n - fed), used, e) == TlsError::ok);
                    if (e != Event::none) seen.events.push_back(e);
                    fed += used;
                }
                at += n;
            }
            return true;
        };
        for (int round = 0; round < 10; round++) {
            bool moved = dribble(p.client.conn, p.server.conn, p.at_server);
            moved = dribble(p.server.conn, p.client.conn, p.at_client) || moved;
            if (!moved) break;
        }
        INFO("piece " << piece);
        CHECK(p.client.conn.handshake_done());
        CHECK(p.server.conn.handshake_done());
    }
}

TEST_CASE("engine: configuration and API misuse", "[tls][engine]") {
    Configs c(ecdsa_pki());
    c.bind();
    Endpoint<> e;
    SECTION("record_size_limit above the memory's") {
        Endpoint<2048, 4096> small;
        CHECK(small.conn.start_client(c.client, system_rng()) == TlsError::api_misuse);
    }
    SECTION("server without a certificate") {
        Config s = c.server;
        s.certificate_chain = {};
        CHECK(e.conn.start_server(s, system_rng()) == TlsError::api_misuse);
    }
    SECTION("no signature verifier: a client, or a server that asks for client certificates") {
        Config client = c.client, server = c.server;
        client.signature_verifier = server.signature_verifier = nullptr;
        CHECK(e.conn.start_client(client, system_rng()) == TlsError::api_misuse);
        Endpoint<> e2;
        server.request_client_certificate = true;
        CHECK(e2.conn.start_server(server, system_rng()) == TlsError::api_misuse);
        Endpoint<> e3;
        server.request_client_certificate = false;  // it never verifies a signature: none needed
        CHECK(e3.conn.start_server(server, system_rng()) == TlsError::ok);
    }
    SECTION("client without a server name") {
        Config s = c.client;
        s.server_name = {};
        CHECK(e.conn.start_client(s, system_rng()) == TlsError::api_misuse);
    }
    SECTION("ack of nothing or too much, send before the handshake") {
        REQUIRE(e.conn.start_client(c.client, system_rng()) == TlsError::ok);
        const std::size_t pending = e.conn.pending_output().size();
        CHECK(pending > 0);
        CHECK(e.conn.consume_output(0) == TlsError::api_misuse);
        CHECK(e.conn.consume_output(pending + 1) == TlsError::api_misuse);
        std::size_t accepted = 0;
        CHECK(e.conn.send(Bytes(filler(3, 1)), accepted) == TlsError::api_misuse);
        CHECK(e.conn.error() == TlsError::ok);  // not sticky
        CHECK(e.conn.start_client(c.client, system_rng()) == TlsError::api_misuse);  // started already
    }
}
