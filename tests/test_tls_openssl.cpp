// SPDX-License-Identifier: Apache-2.0
// The TLS 1.3 engine against OpenSSL over loopback TCP (OpenSSL is the oracle; only tests use it):
// our client against `openssl s_server -rev` (every suite and group, an RSA and an ECDSA server,
// with OpenSSL demanding a client certificate), and our server against `openssl s_client` verifying
// our chain and host name. The engine stays sans-IO: the socket loop is here.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "tests/temp_files.hpp"
#include "tests/test_tls_engine_harness.hpp"
#include "tls/cookie.hpp"

using namespace padlock;
using namespace padlock::tls;
using namespace padlock::test;

namespace {

// The PKI's files as OpenSSL reads them.
void write_pki(const TempDir& dir, EnginePki& p) {
    write_file(dir.file("ca.der"), p.pki.ca.certificate());
    write_file(dir.file("server.der"), p.pki.server.certificate());
    write_file(dir.file("server.key"), p.pki.server.private_key_pkcs8());
    write_file(dir.file("client.der"), p.pki.client.certificate());
    write_file(dir.file("client.key"), p.pki.client.private_key_pkcs8());
    REQUIRE(std::system(("openssl x509 -inform DER -in '" + dir.file("ca.der") + "' -out '" + dir.file("ca.pem") + "'").c_str()) == 0);
}

int free_port() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    close(fd);
    return ntohs(a.sin_port);
}

// Starts a shell command in the background; returns its pid (read back from a pid file).
pid_t spawn(const TempDir& dir, const std::string& command) {
    const std::string pidfile = dir.file("pid");
    REQUIRE(std::system(("(" + command + ") > '" + dir.file("out") + "' 2>&1 & echo $! > '" + pidfile + "'").c_str()) == 0);
    return pid_t(std::atoi(read_file(pidfile).c_str()));
}

int connect_retry(int port) {
    for (int i = 0; i < 100; i++) {
        const int fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(std::uint16_t(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) return fd;
        close(fd);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL("could not connect to openssl s_server");
    return -1;
}

// Moves bytes between the socket and the engine until `done` or 10 seconds pass.
void drive(int fd, Connection& c, Seen& seen, const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done() && std::chrono::steady_clock::now() < deadline) {
        for (Bytes out = c.pending_output(); !out.empty(); out = c.pending_output()) {
            const ssize_t n = ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
            if (n <= 0) return;
            REQUIRE(c.consume_output(std::size_t(n)) == TlsError::ok);
        }
        if (done()) break;
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 100) <= 0) continue;
        std::uint8_t buf[8192];
        const ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return;
        for (std::size_t at = 0; at < std::size_t(n);) {
            std::size_t used = 0;
            Event e = Event::none;
            const TlsError err = c.feed(Bytes(buf + at, std::size_t(n) - at), used, e);
            if (err != TlsError::ok) {
                seen.error = err;
                for (Bytes out = c.pending_output(); !out.empty(); out = c.pending_output()) {  // the alert
                    if (::send(fd, out.data(), out.size(), MSG_NOSIGNAL) <= 0) break;
                    (void)c.consume_output(out.size());
                }
                return;
            }
            at += used;
            if (e != Event::none) seen.events.push_back(e);
            if (e == Event::application_data) {
                const Bytes d = c.application_data();
                seen.received.insert(seen.received.end(), d.begin(), d.end());
            }
            if (used == 0) break;
        }
    }
}

const char* openssl_suite(const CipherSuite* s) {
    return s == &tls_aes_128_gcm_sha256   ? "TLS_AES_128_GCM_SHA256"
           : s == &tls_aes_256_gcm_sha384 ? "TLS_AES_256_GCM_SHA384"
                                          : "TLS_CHACHA20_POLY1305_SHA256";
}

}  // namespace

TEST_CASE("openssl s_server against our client: every suite x group, ECDSA and RSA servers, mTLS", "[tls][engine][openssl]") {
    for (int key = 0; key < 2; key++) {
        EnginePki& pki = key == 0 ? ecdsa_pki() : rsa_pki();
        TempDir dir;
        write_pki(dir, pki);
        for (const CipherSuite* suite : all_suites)
            for (const KeyShareGroup* group : all_groups) {
                const bool mtls = suite == &tls_aes_256_gcm_sha384;
                INFO(suite->name << " " << group->name << (key ? " RSA" : " ECDSA") << (mtls ? " mTLS" : ""));
                const int port = free_port();
                const std::string cmd = "exec openssl s_server -accept 127.0.0.1:" + std::to_string(port) +
                                        " -naccept 1 -tls1_3 -rev -cert '" + dir.file("server.der") +
                                        "' -certform DER -key '" + dir.file("server.key") + "' -keyform DER" +
                                        " -ciphersuites " + openssl_suite(suite) + " -groups " +
                                        (group == &x25519_group ? "X25519" : group == &secp256r1_group ? "P-256" : "P-384") +
                                        (mtls ? " -Verify 1 -CAfile '" + dir.file("ca.pem") + "'" : "");
                const pid_t pid = spawn(dir, cmd);
                const int fd = connect_retry(port);
                Configs c(pki);
                c.client_suites = {suite};
                c.client_groups = {group};
                c.bind();
                Endpoint<> client;
                Seen seen;
                REQUIRE(client.conn.start_client(c.client, system_rng()) == TlsError::ok);
                drive(fd, client.conn, seen, [&] { return client.conn.handshake_done() || seen.error != TlsError::ok; });
                REQUIRE(seen.error == TlsError::ok);
                REQUIRE(client.conn.handshake_done());
                CHECK(client.conn.cipher_suite() == suite);
                CHECK(client.conn.key_share_group() == group);
                CHECK(client.conn.peer_authenticated());
                const std::string line = "padlock engine\n";
                std::size_t accepted = 0;
                REQUIRE(client.conn.send(Bytes(reinterpret_cast<const std::uint8_t*>(line.data()), line.size()), accepted) == TlsError::ok);
                drive(fd, client.conn, seen, [&] { return seen.received.size() >= line.size() || seen.error != TlsError::ok; });
                CHECK(seen.error == TlsError::ok);
                CHECK(std::string(seen.received.begin(), seen.received.end()) == "enigne kcoldap\n");
                REQUIRE(client.conn.close() == TlsError::ok);
                drive(fd, client.conn, seen, [&] { return client.conn.pending_output().empty(); });
                close(fd);
                kill(pid, SIGTERM);
                const std::string out = read_file(dir.file("out"));
                INFO(out);
                CHECK(out.find("Ciphersuite: " + std::string(openssl_suite(suite))) != std::string::npos);
                if (mtls) CHECK(out.find("CN = padlock demo client") != std::string::npos);
            }
    }
}

namespace {

// One `openssl s_client` (with `extra` arguments) against our server (its Config changed by
// `configure`): the chain and host name verified, a line each way, close_notify. Returns the server's
// connection state through `check`.
void serve_s_client(EnginePki& pki, const std::string& extra, const std::function<void(Configs&)>& configure,
                    const std::function<void(const Connection&)>& check) {
    TempDir dir;
    write_pki(dir, pki);
    const int listener = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(listen(listener, 1) == 0);
    socklen_t len = sizeof a;
    REQUIRE(getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    const int port = ntohs(a.sin_port);
    const pid_t pid = spawn(dir, "(printf 'hello from openssl\\n'; sleep 3) | exec openssl s_client -connect 127.0.0.1:" +
                                     std::to_string(port) + " -tls1_3 -servername localhost -verify_hostname localhost" +
                                     " -verify_return_error -CAfile '" + dir.file("ca.pem") + "'" + extra);
    pollfd p{listener, POLLIN, 0};
    REQUIRE(poll(&p, 1, 10000) == 1);
    const int fd = accept(listener, nullptr, nullptr);
    REQUIRE(fd >= 0);
    Configs c(pki);
    configure(c);
    c.bind();
    Endpoint<> server;
    Seen seen;
    REQUIRE(server.conn.start_server(c.server, system_rng()) == TlsError::ok);
    const std::string hello = "hello from openssl\n";
    drive(fd, server.conn, seen, [&] { return seen.received.size() >= hello.size() || seen.error != TlsError::ok; });
    REQUIRE(seen.error == TlsError::ok);
    CHECK(std::string(seen.received.begin(), seen.received.end()) == hello);
    check(server.conn);
    const std::string reply = "hello from padlock\n";
    std::size_t accepted = 0;
    REQUIRE(server.conn.send(Bytes(reinterpret_cast<const std::uint8_t*>(reply.data()), reply.size()), accepted) == TlsError::ok);
    REQUIRE(server.conn.close() == TlsError::ok);
    drive(fd, server.conn, seen, [&] { return server.conn.pending_output().empty(); });
    std::string out;
    for (int i = 0; i < 100 && out.find(reply) == std::string::npos; i++) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        out = read_file(dir.file("out"));
    }
    close(fd);
    close(listener);
    kill(pid, SIGTERM);
    INFO(out);
    CHECK(out.find("Verification: OK") != std::string::npos);
    CHECK(out.find("Verified peername: localhost") != std::string::npos);
    CHECK(out.find(reply) != std::string::npos);
    CHECK(out.find("TLSv1.3") != std::string::npos);
}

}  // namespace

TEST_CASE("openssl s_server with P-384 only against our client: its HelloRetryRequest to secp384r1", "[tls][engine][openssl][hrr]") {
    // Our first share is x25519; s_server (-groups P-384) asks for a secp384r1 one (§4.1.4).
    EnginePki& pki = ecdsa_pki();
    TempDir dir;
    write_pki(dir, pki);
    const int port = free_port();
    const pid_t pid = spawn(dir, "exec openssl s_server -accept 127.0.0.1:" + std::to_string(port) +
                                     " -naccept 1 -tls1_3 -rev -groups P-384 -cert '" + dir.file("server.der") +
                                     "' -certform DER -key '" + dir.file("server.key") + "' -keyform DER");
    const int fd = connect_retry(port);
    Configs c(pki);
    c.client_groups = {&x25519_group, &secp384r1_group};
    std::vector<Buf> hellos;  // our ClientHellos as sent (Config::trace)
    c.client.trace = {[](void* ctx, bool sent, Bytes m) {
                          if (sent && m[0] == 1) static_cast<std::vector<Buf>*>(ctx)->emplace_back(m.begin(), m.end());
                      },
                      &hellos};
    c.bind();
    Endpoint<> client;
    Seen seen;
    REQUIRE(client.conn.start_client(c.client, system_rng()) == TlsError::ok);
    drive(fd, client.conn, seen, [&] { return client.conn.handshake_done() || seen.error != TlsError::ok; });
    INFO(error_name(seen.error));
    REQUIRE(seen.error == TlsError::ok);
    REQUIRE(client.conn.handshake_done());
    CHECK(client.conn.hello_retry_request());
    REQUIRE(hellos.size() == 2);
    ClientHello ch2;
    REQUIRE(parse_client_hello(Bytes(hellos[1]).subspan(4), ch2) == TlsError::ok);
    // ClientHello2's one share: secp384r1 (group 00 18, a 97-octet point).
    CHECK(hex(ch2.extensions.client_shares).substr(0, 8) == "00180061");
    CHECK(ch2.extensions.client_shares.size() == 4 + 97);
    CHECK(client.conn.key_share_group() == &secp384r1_group);
    const std::string line = "retry\n";
    std::size_t accepted = 0;
    REQUIRE(client.conn.send(Bytes(reinterpret_cast<const std::uint8_t*>(line.data()), line.size()), accepted) == TlsError::ok);
    drive(fd, client.conn, seen, [&] { return seen.received.size() >= line.size() || seen.error != TlsError::ok; });
    CHECK(std::string(seen.received.begin(), seen.received.end()) == "yrter\n");
    REQUIRE(client.conn.close() == TlsError::ok);
    drive(fd, client.conn, seen, [&] { return client.conn.pending_output().empty(); });
    close(fd);
    kill(pid, SIGTERM);
}

TEST_CASE("openssl s_client against our server: chain and host name verified", "[tls][engine][openssl]") {
    for (int key = 0; key < 2; key++) {
        INFO((key ? "RSA" : "ECDSA"));
        serve_s_client(key == 0 ? ecdsa_pki() : rsa_pki(), "", [](Configs&) {}, [](const Connection&) {});
    }
}

TEST_CASE("openssl s_client against our stateful server: HelloRetryRequest to secp384r1 (§4.1.4)", "[tls][engine][openssl][hrr]") {
    // s_client's ClientHello2 must pass the server's §4.1.2 check (the same ClientHello but for the
    // share and the cookie).
    serve_s_client(
        ecdsa_pki(), " -groups X25519:P-384", [](Configs& c) { c.server_groups = {&secp384r1_group}; },
        [](const Connection& server) {
            CHECK(server.hello_retry_request());
            CHECK(server.key_share_group() == &secp384r1_group);
        });
}

TEST_CASE("openssl s_client against our stateless server: HelloRetryRequest to secp384r1 (§4.2.2)", "[tls][engine][openssl][stateless]") {
    // s_client sends a share for its first group (X25519) only; the server wants P-384 and answers
    // with a stateless HelloRetryRequest, whose cookie s_client echoes.
    static const CookieKey key = [] {
        CookieKey k;
        k.aead = &chacha20_poly1305_ops;
        for (std::size_t i = 0; i < sizeof k.key; i++) k.key[i] = std::uint8_t(i * 3 + 7);
        return k;
    }();
    static const CookieAead aead{&key, {}, 30000};
    static const CookieSealer sealer = cookie_aead_sealer(aead);
    serve_s_client(
        ecdsa_pki(), " -groups X25519:P-384",
        [](Configs& c) {
            c.server_groups = {&secp384r1_group};
            c.server.cookie_sealer = &sealer;
        },
        [](const Connection& server) {
            CHECK(server.hello_retry_request());
            CHECK(server.key_share_group() == &secp384r1_group);
        });
}

TEST_CASE("openssl s_server resumes our client's session (§4.6.1, §4.2.11)", "[tls][engine][openssl][resumption]") {
    EnginePki& pki = ecdsa_pki();
    TempDir dir;
    write_pki(dir, pki);
    const int port = free_port();
    // Two connections to one s_server (-naccept 2): the second offers the ticket of the first.
    const pid_t pid = spawn(dir, "exec openssl s_server -accept 127.0.0.1:" + std::to_string(port) +
                                     " -naccept 2 -tls1_3 -rev -cert '" + dir.file("server.der") +
                                     "' -certform DER -key '" + dir.file("server.key") + "' -keyform DER");
    StoredSession session;
    bool resumed[2] = {false, false};
    for (int i = 0; i < 2; i++) {
        const int fd = connect_retry(port);
        Configs c(pki);
        if (i == 0) c.client.new_session = &session;
        else c.client.resume = &session;
        c.bind();
        Endpoint<> client;
        Seen seen;
        REQUIRE(client.conn.start_client(c.client, system_rng()) == TlsError::ok);
        drive(fd, client.conn, seen, [&] { return client.conn.handshake_done() || seen.error != TlsError::ok; });
        REQUIRE(seen.error == TlsError::ok);
        const std::string line = "resume\n";
        std::size_t accepted = 0;
        REQUIRE(client.conn.send(Bytes(reinterpret_cast<const std::uint8_t*>(line.data()), line.size()), accepted) == TlsError::ok);
        drive(fd, client.conn, seen, [&] { return seen.received.size() >= line.size() || seen.error != TlsError::ok; });
        CHECK(std::string(seen.received.begin(), seen.received.end()) == "emuser\n");
        resumed[i] = client.conn.resumed();
        REQUIRE(client.conn.close() == TlsError::ok);
        drive(fd, client.conn, seen, [&] { return client.conn.pending_output().empty(); });
        close(fd);
        if (i == 0) REQUIRE(session.ticket_size > 0);  // OpenSSL's NewSessionTicket came before the echo
    }
    kill(pid, SIGTERM);
    const std::string out = read_file(dir.file("out"));
    INFO(out);
    CHECK_FALSE(resumed[0]);
    // OpenSSL selects our PSK only after its binder verifies (§4.2.11.2); resumed() says its
    // ServerHello carried pre_shared_key. Its log shows the client's signature_algorithms only for
    // the full handshake.
    CHECK(resumed[1]);
    const std::size_t first = out.find("Signature Algorithms");
    CHECK(first != std::string::npos);
    CHECK(out.find("Signature Algorithms", first + 1) == std::string::npos);
}

// §4.2.10 0-RTT: the second connection sends Config::early_data with the first one's ticket, and
// `s_server -early_data` (which prints what it reads early, then the rest) takes it. Its standard
// input stays open (it stops at its end), and it ends after the two connections (-naccept 2).
TEST_CASE("openssl s_server takes our client's 0-RTT data (§4.2.10)", "[tls][engine][openssl][resumption][early]") {
    EnginePki& pki = ecdsa_pki();
    TempDir dir;
    write_pki(dir, pki);
    const int port = free_port();
    const pid_t pid = spawn(dir, "sleep 30 | openssl s_server -accept 127.0.0.1:" + std::to_string(port) +
                                     " -naccept 2 -tls1_3 -early_data -cert '" + dir.file("server.der") +
                                     "' -certform DER -key '" + dir.file("server.key") + "' -keyform DER");
    StoredSession session;
    const std::string early = "early-0rtt-payload\n", later = "after-the-handshake\n";
    bool accepted_early[2] = {false, false};
    for (int i = 0; i < 2; i++) {
        const int fd = connect_retry(port);
        Configs c(pki);
        if (i == 0) c.client.new_session = &session;
        else c.client.resume = &session;
        c.client.early_data = Bytes(reinterpret_cast<const std::uint8_t*>(early.data()), early.size());
        c.bind();
        Endpoint<> client;
        Seen seen;
        REQUIRE(client.conn.start_client(c.client, system_rng()) == TlsError::ok);
        drive(fd, client.conn, seen, [&] {
            return (client.conn.handshake_done() && (i == 1 || session.ticket_size > 0)) || seen.error != TlsError::ok;
        });
        REQUIRE(seen.error == TlsError::ok);
        accepted_early[i] = client.conn.early_data_accepted();
        std::size_t accepted = 0;
        REQUIRE(client.conn.send(Bytes(reinterpret_cast<const std::uint8_t*>(later.data()), later.size()), accepted) == TlsError::ok);
        REQUIRE(client.conn.close() == TlsError::ok);
        drive(fd, client.conn, seen, [&] { return client.conn.pending_output().empty(); });
        close(fd);
        if (i == 0) {
            REQUIRE(session.ticket_size > 0);
            CHECK(session.max_early_data_size >= early.size());
        }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    kill(pid, SIGTERM);
    const std::string out = read_file(dir.file("out"));
    INFO(out);
    CHECK_FALSE(accepted_early[0]);  // no ticket yet: nothing was sent early
    CHECK(accepted_early[1]);
    // It reports on stderr and prints the data on stdout, so the two interleave in any order.
    CHECK(out.find("Early data received:") != std::string::npos);
    CHECK(out.find(early) != std::string::npos);  // only the second connection sent it
    CHECK(out.find("Reused session-id") != std::string::npos);
}

TEST_CASE("openssl s_client resumes a session with our server's ticket (§4.6.1, §4.2.11)", "[tls][engine][openssl][resumption]") {
    static TicketKey key;
    key.aead = &aes_128_gcm_ops;
    for (std::size_t i = 0; i < sizeof key.key; i++) key.key[i] = std::uint8_t(i * 5 + 1);
    static const TicketKeys keys{&key, nullptr};
    EnginePki& pki = ecdsa_pki();
    TempDir dir;
    write_pki(dir, pki);
    bool resumed[2] = {false, false};
    std::string outs[2];
    for (int i = 0; i < 2; i++) {
        const int listener = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        REQUIRE(listen(listener, 1) == 0);
        socklen_t len = sizeof a;
        REQUIRE(getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len) == 0);
        const std::string sess = (i == 0 ? " -sess_out '" : " -sess_in '") + dir.file("session.pem") + "'";
        const pid_t pid = spawn(dir, "(printf 'hi\\n'; sleep 2) | exec openssl s_client -connect 127.0.0.1:" +
                                         std::to_string(ntohs(a.sin_port)) + " -tls1_3 -servername localhost" +
                                         " -CAfile '" + dir.file("ca.pem") + "'" + sess);
        pollfd p{listener, POLLIN, 0};
        REQUIRE(poll(&p, 1, 10000) == 1);
        const int fd = accept(listener, nullptr, nullptr);
        Configs c(pki);
        c.server.ticket_keys = &keys;
        c.bind();
        Endpoint<> server;
        Seen seen;
        REQUIRE(server.conn.start_server(c.server, system_rng()) == TlsError::ok);
        drive(fd, server.conn, seen, [&] { return seen.received.size() >= 3 || seen.error != TlsError::ok; });
        CHECK(seen.error == TlsError::ok);
        resumed[i] = server.conn.resumed();
        REQUIRE(server.conn.close() == TlsError::ok);
        drive(fd, server.conn, seen, [&] { return server.conn.pending_output().empty(); });
        for (int w = 0; w < 60 && read_file(dir.file("out")).find("Reused") == std::string::npos &&
                        read_file(dir.file("out")).find("New, TLSv1.3") == std::string::npos; w++)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        std::this_thread::sleep_for(std::chrono::milliseconds(200));  // -sess_out is written at exit
        kill(pid, SIGTERM);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        outs[i] = read_file(dir.file("out"));
        close(fd);
        close(listener);
    }
    INFO(outs[0] << "\n----\n" << outs[1]);
    CHECK_FALSE(resumed[0]);
    CHECK(resumed[1]);
    CHECK(outs[1].find("Reused, TLSv1.3") != std::string::npos);
}
