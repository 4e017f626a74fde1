// SPDX-License-Identifier: Apache-2.0
// What `padlock client` and `padlock server` need around the sans-IO engine (tls/engine.hpp), and
// what the library must never do itself: TCP sockets (getaddrinfo, IPv4/IPv6) with a timeout on
// every operation (poll), a loop that moves a Connection's records over a socket, the credentials
// and trust anchors read from files, the system clock, getrandom(2), and an NSS key-log file.
#pragma once

#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tls/engine.hpp"
#include "tls/names.hpp"
#include "x509/crl.hpp"
#include "x509/trust_store.hpp"

namespace padlock::tools::net {

// A usage or input problem (a file that does not load, an address that does not resolve).
struct NetError {
    std::string message;
};

// ---- Sockets. Every call takes a timeout in milliseconds; a stop flag (SIGINT/SIGTERM) ends waits.
extern volatile int stop_requested;
void install_stop_handlers();  // SIGINT and SIGTERM set stop_requested; SIGPIPE is ignored

// "host:port", "[v6]:port" -> host and port (throws NetError).
void split_host_port(const std::string& text, std::string& host, std::string& port);
// Resolves and connects (each address in turn) within timeout_ms; returns a non-blocking socket.
int tcp_connect(const std::string& host, const std::string& port, int timeout_ms);
// A listening socket bound to addr:port (addr numeric or a name; port "0" picks one).
int tcp_listen(const std::string& addr, const std::string& port);
int local_port(int fd);
// Waits for a connection (or stop_requested); -1 when stopped. The socket returned is non-blocking.
int accept_one(int listener, std::string& peer);

// ---- Files into the engine's configuration.
// A certificate chain (PEM CERTIFICATE blocks, leaf first) and its private key (PEM PKCS#8
// "PRIVATE KEY", SEC1 "EC PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY"; P-256 or RSA).
struct Credentials {
    std::vector<std::vector<std::uint8_t>> ders;
    std::vector<Bytes> chain;
    std::unique_ptr<tls::EcdsaP256Key> ec;
    std::unique_ptr<RsaPrivateKey> rsa;
    tls::SigningKey key;
    std::string key_type;  // "ecdsa_p256" or "rsa"
};
void load_credentials(const std::string& cert_path, const std::string& key_path, Credentials& out);

// CRLs (PEM "X509 CRL" blocks, any number per file) to check the peer's chain against (RFC 5280
// §6.3). With any CRL loaded, revocation is required: a certificate of the path (but the anchor)
// whose issuer has no usable CRL here is refused (as openssl's -crl_check_all).
struct Crls {
    std::vector<std::vector<std::uint8_t>> ders;
    std::vector<x509::Crl> crls;
};
void load_crls(const std::vector<std::string>& paths, Crls& out);
void use_crls(const Crls& crls, tls::Config& config);

// A CA bundle (PEM, any number of CERTIFICATE blocks; or DER) as trust anchors.
struct Anchors {
    std::string text;
    std::vector<std::uint8_t> der;
    std::vector<x509::Certificate> index;
    std::unique_ptr<x509::TrustStore> store;
};
void load_anchors(const std::string& path, Anchors& out);

std::int64_t now_seconds();  // the system clock, seconds since 1970 UTC

// ---- NSS key log (https://firefox-source-docs.mozilla.org/security/nss/legacy/key_log_format/).
// Opened for append; `path` empty means off. The engine calls write() for each secret.
class KeyLogFile {
public:
    explicit KeyLogFile(const std::string& path);
    ~KeyLogFile();
    tls::KeyLog hook();
    bool on() const { return f_ != nullptr; }

private:
    static void write(void* self, const char* label, Bytes client_random, Bytes secret);
    std::FILE* f_ = nullptr;
};
// --keylog FILE wins; else SSLKEYLOGFILE; else off.
std::string keylog_path(const std::string& option);

// ---- Engine configuration shared by client and server: every suite, group and scheme padlock has.
struct EngineConfig {
    std::vector<std::string> alpn_names;
    std::vector<std::string_view> alpn;
    std::string server_name;
    tls::Config config;
};
void init_config(EngineConfig& c, const std::vector<std::string>& alpn);

// ---- One connection: a Connection over a non-blocking socket.
class Session {
public:
    Session(int fd, int timeout_ms);
    ~Session();
    tls::Connection& conn() { return *conn_; }

    // Runs until the handshake completes (true) or fails / times out / the peer goes (false; why()).
    bool handshake();
    // One round: sends what is queued, reads what arrives (into received), and also waits for
    // `extra_fd` to be readable (sets extra_ready). Returns false when the connection is over
    // (error, timeout, close). A timeout is an error only with no progress for timeout_ms.
    bool step(int extra_fd, bool& extra_ready);
    // Queues plaintext (sent by the following steps).
    void write(const std::string& data) { app_out_ += data; }
    // §4.6.3: queues a KeyUpdate (update_requested when request_peer) after the plaintext queued
    // so far: the data before it goes under the old key, the data after under the new one.
    void key_update(bool request_peer) { updates_.push_back({app_out_.size(), request_peer}); }
    bool output_idle() const { return app_out_.empty() && updates_.empty() && conn_->pending_output().empty(); }
    std::size_t queued() const { return app_out_.size(); }
    // Sends the queued plaintext and close_notify, flushes them (bounded by the timeout) and shuts
    // the socket's sending side. With linger_for_eof (the end of the connection, not a half close)
    // it then reads and drops until the peer's EOF, for at most two seconds.
    void close(bool linger_for_eof = true);
    // Flushes what is queued (e.g. the alert after a failure), bounded by the timeout.
    void flush();

    std::string received;     // plaintext the peer sent, not yet taken by the caller
    bool peer_closed = false; // close_notify or EOF
    bool eof = false;         // TCP EOF without close_notify
    bool timed_out = false;
    bool pause_reads_when_backlogged = false;  // a server echoing: stop reading while 32 MiB wait to go
    // A KeyUpdate asking for the peer's after every key_update_every bytes of plaintext sent (0: never).
    std::size_t key_update_every = 0;
    // Called for each KeyUpdate we send (sent, with its update_requested) and each one the peer's
    // arrives (sent false; the engine answers a request with its own, §4.6.3, not reported here).
    std::function<void(bool sent, bool requested)> on_key_update;
    std::string why() const;  // why the connection ended (error, alert, timeout)

private:
    bool send_pending();
    bool seal_queued();
    bool send_key_update(bool request_peer);
    bool feed(const std::uint8_t* data, std::size_t n);
    int fd_;
    int timeout_ms_;
    std::unique_ptr<tls::ConnectionMemory<>> memory_;
    std::unique_ptr<tls::Connection> conn_;
    std::string app_out_;
    struct QueuedUpdate {
        std::size_t at;  // after this many bytes of app_out_
        bool request_peer;
    };
    std::deque<QueuedUpdate> updates_;
    std::size_t sent_since_update_ = 0;
    std::string leftover_;
    std::string failure_;
};

// Names for what was negotiated: the RFC name (tls/names.hpp), or the code in hex when the RFC
// names none; a signature scheme of 0 (none sent) is "none".
std::string name_or_hex(const char* name, std::uint16_t code);
std::string alert_text(tls::AlertDescription a);
std::string scheme_text(std::uint16_t code);
// Why a peer chain was refused, in words ("expired: notAfter ... ", "name mismatch: ...").
std::string chain_failure(const tls::Connection& conn, const std::string& host, std::int64_t time);

}  // namespace padlock::tools::net
