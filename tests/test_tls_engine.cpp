// SPDX-License-Identifier: Apache-2.0
// The TLS 1.3 engine (tls/engine.hpp, client.cpp, server.cpp) against itself in memory: every suite x
// group x server key type, HelloRetryRequest, mutual authentication with and without a client
// certificate, ALPN, record_size_limit 2048 in a small ConnectionMemory, KeyUpdate both ways,
// application data both ways, close_notify, and the key log.
#include <cstring>
#include <map>

#include "crypto/hash/hash.hpp"
#include "tests/test_tls_engine_harness.hpp"

using namespace padlock;
using namespace padlock::tls;
using namespace padlock::test;

namespace {

struct Pair {
    Endpoint<> client, server;
    Seen at_client, at_server;
};

void handshake(Pair& p, Configs& c) {
    c.bind();
    REQUIRE(p.client.conn.start_client(c.client, system_rng()) == TlsError::ok);
    REQUIRE(p.server.conn.start_server(c.server, system_rng()) == TlsError::ok);
    pump(p.client.conn, p.server.conn, p.at_client, p.at_server);
    INFO("client error " << tls_error_name(p.at_client.error) << ", server error " << tls_error_name(p.at_server.error));
    REQUIRE(p.at_client.error == TlsError::ok);
    REQUIRE(p.at_server.error == TlsError::ok);
    REQUIRE(p.client.conn.handshake_done());
    REQUIRE(p.server.conn.handshake_done());
    CHECK(p.at_client.has(Event::handshake_complete));
    CHECK(p.at_server.has(Event::handshake_complete));
    CHECK(p.client.conn.state() == State::connected);
    CHECK(p.server.conn.state() == State::connected);
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

}  // namespace

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
    std::printf("per-connection memory: ConnectionMemory<> %zu bytes, ConnectionMemory<2048, 4096> %zu bytes\n",
                sizeof(ConnectionMemory<>), sizeof(ConnectionMemory<2048, 4096>));
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
