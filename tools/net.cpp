// SPDX-License-Identifier: Apache-2.0
// Sockets, files, the clock and the key log for `padlock client` / `padlock server` (tools/net.hpp).
// The engine stays sans-IO: this file owns every read(2), write(2), poll(2) and getaddrinfo(3).
#include "tools/net.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>

#include "asn1/pem.hpp"
#include "crypto/ct.hpp"
#include "crypto/rng.hpp"
#include "tools/x509_describe.hpp"
#include "x509/errors.hpp"

namespace padlock::tools::net {

volatile int stop_requested = 0;

namespace {

void on_stop(int) { stop_requested = 1; }

Bytes bytes(const std::string& s) { return Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()); }

std::string read_text(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw NetError{"cannot open " + path};
    return std::string(std::istreambuf_iterator<char>(f), {});
}

void set_nonblocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

// Every PEM block of a file, with its label.
std::vector<std::pair<std::string, std::vector<std::uint8_t>>> pem_blocks(const std::string& path) {
    const std::string text = read_text(path);
    std::vector<std::pair<std::string, std::vector<std::uint8_t>>> out;
    std::vector<std::uint8_t> der(text.size());
    std::size_t pos = 0;
    for (;;) {
        asn1::PemBlock block;
        const asn1::Asn1Error e = asn1::pem_decode_next(bytes(text), pos, block, MutBytes(der.data(), der.size()));
        if (e == asn1::Asn1Error::pem_not_found) break;
        if (e != asn1::Asn1Error::ok) throw NetError{path + ": PEM block " + std::to_string(out.size()) + ": " + asn1::error_name(e)};
        out.emplace_back(std::string(block.label.begin(), block.label.end()),
                         std::vector<std::uint8_t>(der.begin(), der.begin() + std::ptrdiff_t(block.der_len)));
    }
    secure_zero(der.data(), der.size());  // may hold a private key
    return out;
}

}  // namespace

void install_stop_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: a blocked poll returns EINTR
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    signal(SIGPIPE, SIG_IGN);
}

void split_host_port(const std::string& text, std::string& host, std::string& port) {
    if (!text.empty() && text[0] == '[') {
        const auto close = text.find(']');
        if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
            throw NetError{"'" + text + "' is not [IPv6]:PORT"};
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string::npos || text.find(':') != colon) throw NetError{"'" + text + "' is not HOST:PORT"};
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
    }
    if (host.empty() || port.empty()) throw NetError{"'" + text + "' is not HOST:PORT"};
}

int tcp_connect(const std::string& host, const std::string& port, int timeout_ms) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    if (const int e = getaddrinfo(host.c_str(), port.c_str(), &hints, &list); e != 0)
        throw NetError{host + ":" + port + ": " + gai_strerror(e)};
    std::string last = "no address";
    for (addrinfo* a = list; a; a = a->ai_next) {
        const int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) continue;
        set_nonblocking(fd);
        int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
        if (rc != 0 && errno == EINPROGRESS) {
            pollfd p{fd, POLLOUT, 0};
            rc = poll(&p, 1, timeout_ms);
            if (rc == 1) {
                int err = 0;
                socklen_t len = sizeof err;
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
                rc = err == 0 ? 0 : -1;
                errno = err;
            } else {
                errno = rc == 0 ? ETIMEDOUT : errno;
                rc = -1;
            }
        }
        if (rc == 0) {
            freeaddrinfo(list);
            const int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            return fd;
        }
        last = std::strerror(errno);
        ::close(fd);
    }
    freeaddrinfo(list);
    throw NetError{"connect to " + host + ":" + port + ": " + last};
}

int tcp_listen(const std::string& addr, const std::string& port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    addrinfo* list = nullptr;
    if (const int e = getaddrinfo(addr.c_str(), port.c_str(), &hints, &list); e != 0)
        throw NetError{addr + ":" + port + ": " + gai_strerror(e)};
    std::string last = "no address";
    for (addrinfo* a = list; a; a = a->ai_next) {
        const int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) continue;
        const int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 && listen(fd, 16) == 0) {
            freeaddrinfo(list);
            return fd;
        }
        last = std::strerror(errno);
        ::close(fd);
    }
    freeaddrinfo(list);
    throw NetError{"listen on " + addr + ":" + port + ": " + last};
}

int local_port(int fd) {
    sockaddr_storage s{};
    socklen_t len = sizeof s;
    getsockname(fd, reinterpret_cast<sockaddr*>(&s), &len);
    if (s.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&s)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in*>(&s)->sin_port);
}

int accept_one(int listener, std::string& peer) {
    while (!stop_requested) {
        pollfd p{listener, POLLIN, 0};
        const int rc = poll(&p, 1, 500);
        if (rc <= 0) continue;
        sockaddr_storage s{};
        socklen_t len = sizeof s;
        const int fd = accept4(listener, reinterpret_cast<sockaddr*>(&s), &len, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0) continue;
        char host[NI_MAXHOST] = "?", serv[NI_MAXSERV] = "?";
        getnameinfo(reinterpret_cast<sockaddr*>(&s), len, host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV);
        peer = std::string(host) + ":" + serv;
        const int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        return fd;
    }
    return -1;
}

// ---- credentials -----------------------------------------------------------------------------------

void load_credentials(const std::string& cert_path, const std::string& key_path, Credentials& out) {
    for (auto& [label, der] : pem_blocks(cert_path))
        if (label == "CERTIFICATE") out.ders.push_back(std::move(der));
    if (out.ders.empty()) throw NetError{cert_path + ": no CERTIFICATE block"};
    for (const auto& d : out.ders) out.chain.emplace_back(d.data(), d.size());
    auto blocks = pem_blocks(key_path);
    bool loaded = false;
    for (auto& [label, der] : blocks) {
        if (label != "PRIVATE KEY" && label != "EC PRIVATE KEY" && label != "RSA PRIVATE KEY") continue;
        const Bytes d(der.data(), der.size());
        out.ec = std::make_unique<tls::EcdsaP256Key>();
        if (label != "RSA PRIVATE KEY" && tls::load_ecdsa_p256_key(d, *out.ec) == tls::TlsError::ok) {
            out.key = tls::signing_key_ecdsa_p256(*out.ec);
            out.key_type = "ecdsa_p256";
            loaded = true;
        } else {
            out.ec.reset();
            out.rsa = std::make_unique<RsaPrivateKey>();
            asn1::KeyType type{};
            if (label != "EC PRIVATE KEY" && tls::load_rsa_key(d, *out.rsa, type) == tls::TlsError::ok) {
                out.key = tls::signing_key_rsa(*out.rsa, type);
                out.key_type = "rsa";
                loaded = true;
            }
        }
        secure_zero(der.data(), der.size());
        if (loaded) break;
        throw NetError{key_path + ": not a P-256 or RSA private key padlock can load"};
    }
    for (auto& b : blocks) secure_zero(b.second.data(), b.second.size());
    if (!loaded) throw NetError{key_path + ": no PRIVATE KEY block"};
}

void load_crls(const std::vector<std::string>& paths, Crls& out) {
    for (const auto& path : paths) {
        const std::size_t before = out.ders.size();
        for (auto& [label, der] : pem_blocks(path))
            if (label == "X509 CRL") out.ders.push_back(std::move(der));
        if (out.ders.size() == before) throw NetError{path + ": no PEM X509 CRL block"};
    }
    out.crls.resize(out.ders.size());  // views into ders, which no longer grows
    for (std::size_t i = 0; i < out.ders.size(); i++) {
        const x509::X509Error e = x509::parse_crl(Bytes(out.ders[i]), out.crls[i]);
        if (e != x509::X509Error::ok) throw NetError{"CRL " + std::to_string(i) + ": " + x509::error_name(e)};
    }
}

void use_crls(const Crls& crls, tls::Config& config) {
    config.crls = crls.crls;
    config.revocation = crls.crls.empty() ? x509::RevocationPolicy::where_available : x509::RevocationPolicy::require;
}

void load_anchors(const std::string& path, Anchors& s) {
    s.text = read_text(path);
    std::size_t blocks = 0;
    for (std::size_t at = 0; (at = s.text.find("-----BEGIN ", at)) != std::string::npos; at++) blocks++;
    if (blocks == 0) throw NetError{path + ": no PEM CERTIFICATE block (a CA bundle is PEM)"};
    s.der.resize(s.text.size());
    s.index.resize(blocks);
    s.store = std::make_unique<x509::TrustStore>(MutBytes(s.der.data(), s.der.size()), s.index);
    const x509::Result r = s.store->add_pem_bundle(bytes(s.text));
    if (!r.ok()) throw NetError{path + ": block " + std::to_string(r.index) + ": " + x509::error_name(r.error)};
}

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// ---- key log -----------------------------------------------------------------------------------------

KeyLogFile::KeyLogFile(const std::string& path) {
    if (path.empty()) return;
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) throw NetError{"key log " + path + ": " + std::strerror(errno)};
    f_ = fdopen(fd, "a");
}
KeyLogFile::~KeyLogFile() {
    if (f_) std::fclose(f_);
}
tls::KeyLog KeyLogFile::hook() {
    tls::KeyLog log;
    if (f_) {
        log.write = &KeyLogFile::write;
        log.context = this;
    }
    return log;
}
void KeyLogFile::write(void* self, const char* label, Bytes client_random, Bytes secret) {
    auto* k = static_cast<KeyLogFile*>(self);
    char line[256];
    std::size_t n = 0;
    if (tls::format_key_log_line(label, client_random, secret,
                                 MutBytes(reinterpret_cast<std::uint8_t*>(line), sizeof line), n) != tls::TlsError::ok)
        return;
    std::fwrite(line, 1, n, k->f_);
    std::fflush(k->f_);
    secure_zero(line, sizeof line);
}
std::string keylog_path(const std::string& option) {
    if (!option.empty()) return option;
    const char* env = std::getenv("SSLKEYLOGFILE");
    return env ? env : "";
}

// ---- configuration -----------------------------------------------------------------------------------

namespace {
const tls::CipherSuite* const suites[] = {&tls::tls_aes_128_gcm_sha256, &tls::tls_aes_256_gcm_sha384,
                                          &tls::tls_chacha20_poly1305_sha256};
const tls::KeyShareGroup* const groups[] = {&tls::x25519_group, &tls::secp256r1_group, &tls::secp384r1_group};
const std::uint16_t schemes[] = {tls::scheme::ecdsa_secp256r1_sha256, tls::scheme::rsa_pss_rsae_sha256,
                                 tls::scheme::rsa_pss_rsae_sha384, tls::scheme::rsa_pss_rsae_sha512,
                                 tls::scheme::rsa_pss_pss_sha256, tls::scheme::rsa_pss_pss_sha384,
                                 tls::scheme::rsa_pss_pss_sha512};
// Certificates may also be signed with PKCS#1 v1.5 (§4.2.3) and ECDSA P-384 (most public CAs).
const std::uint16_t cert_schemes[] = {tls::scheme::ecdsa_secp256r1_sha256, tls::scheme::ecdsa_secp384r1_sha384,
                                      tls::scheme::rsa_pss_rsae_sha256,    tls::scheme::rsa_pss_rsae_sha384,
                                      tls::scheme::rsa_pss_rsae_sha512,    tls::scheme::rsa_pkcs1_sha256,
                                      tls::scheme::rsa_pkcs1_sha384,       tls::scheme::rsa_pkcs1_sha512};
}  // namespace

void init_config(EngineConfig& c, const std::vector<std::string>& alpn) {
    c.config.cipher_suites = suites;
    c.config.groups = groups;
    c.config.signature_schemes = schemes;
    c.config.signature_schemes_cert = cert_schemes;
    c.config.signature_verifier = asn1::verify_signature;  // every algorithm padlock verifies
    c.alpn_names = alpn;
    c.alpn.clear();
    for (const auto& a : c.alpn_names) {
        if (a.empty() || a.size() > 255) throw NetError{"--alpn: a protocol name is 1 to 255 bytes"};
        c.alpn.emplace_back(a);
    }
    c.config.alpn = c.alpn;
    c.config.time = now_seconds();
}

// ---- the socket loop ---------------------------------------------------------------------------------

Session::Session(int fd, int timeout_ms)
    : fd_(fd), timeout_ms_(timeout_ms), memory_(std::make_unique<tls::ConnectionMemory<>>()),
      conn_(std::make_unique<tls::Connection>(*memory_)) {}

Session::~Session() {
    conn_.reset();
    if (memory_) secure_zero(memory_.get(), sizeof *memory_);
    if (fd_ >= 0) ::close(fd_);
}

std::string Session::why() const {
    if (!failure_.empty()) return failure_;
    if (conn_->peer_alert_received()) return "the peer sent alert " + alert_text(conn_->peer_alert());
    if (conn_->error() != tls::TlsError::ok) {
        std::string s = tls::error_name(conn_->error());
        if (conn_->alert_was_sent()) s += " (we sent alert " + alert_text(conn_->alert_sent()) + ")";
        return s;
    }
    if (timed_out) return "timed out";
    if (eof) return "the peer closed the TCP connection";
    if (peer_closed) return "the peer sent close_notify";
    return "closed";
}

// Sends what the engine queued, as much as the socket takes now. False on a socket error.
bool Session::send_pending() {
    for (Bytes out = conn_->pending_output(); !out.empty(); out = conn_->pending_output()) {
        const ssize_t n = ::send(fd_, out.data(), out.size(), MSG_NOSIGNAL);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return true;
        if (n <= 0) {
            failure_ = std::string("send: ") + std::strerror(errno);
            return false;
        }
        (void)conn_->consume_output(std::size_t(n));
    }
    return true;
}

bool Session::send_key_update(bool request_peer) {
    if (conn_->update_keys(request_peer) != tls::TlsError::ok) return false;
    sent_since_update_ = 0;
    if (on_key_update) on_key_update(true, request_peer);
    return true;
}

// Seals queued plaintext into records, as much as the send queue holds, stopping at each queued
// KeyUpdate's place in the stream (and every key_update_every bytes) to send it. False on an error.
bool Session::seal_queued() {
    if (conn_->state() != tls::State::connected) return true;
    for (;;) {
        while (!updates_.empty() && updates_.front().at == 0) {
            if (!send_key_update(updates_.front().request_peer)) return false;
            updates_.pop_front();
        }
        if (app_out_.empty()) return true;
        std::size_t n = app_out_.size();
        if (!updates_.empty()) n = std::min(n, updates_.front().at);
        if (key_update_every) n = std::min(n, key_update_every - sent_since_update_);
        std::size_t accepted = 0;
        if (conn_->send(Bytes(reinterpret_cast<const std::uint8_t*>(app_out_.data()), n), accepted) != tls::TlsError::ok)
            return false;
        app_out_.erase(0, accepted);
        for (QueuedUpdate& u : updates_) u.at -= accepted;
        sent_since_update_ += accepted;
        if (key_update_every && sent_since_update_ == key_update_every && !send_key_update(true)) return false;
        if (accepted < n || accepted == 0) return true;  // the send queue is full
    }
}

// Feeds received bytes; plaintext goes to `received`. False when the connection is over.
bool Session::feed(const std::uint8_t* data, std::size_t n) {
    std::string all;
    if (!leftover_.empty()) {
        all = leftover_ + std::string(reinterpret_cast<const char*>(data), n);
        leftover_.clear();
        data = reinterpret_cast<const std::uint8_t*>(all.data());
        n = all.size();
    }
    for (std::size_t at = 0; at < n;) {
        std::size_t used = 0;
        tls::Event e = tls::Event::none;
        const tls::TlsError err = conn_->feed(Bytes(data + at, n - at), used, e);
        if (err != tls::TlsError::ok) return false;
        at += used;
        if (e == tls::Event::application_data) {
            const Bytes d = conn_->application_data();
            received.append(reinterpret_cast<const char*>(d.data()), d.size());
        } else if (e == tls::Event::key_update) {
            if (on_key_update) on_key_update(false, false);
        } else if (e == tls::Event::close_notify) {
            peer_closed = true;
        } else if (e == tls::Event::alert_received) {
            return false;
        }
        if (used == 0 && e == tls::Event::none) {
            leftover_.assign(reinterpret_cast<const char*>(data + at), n - at);
            break;
        }
    }
    return true;
}

bool Session::step(int extra_fd, bool& extra_ready) {
    extra_ready = false;
    if (stop_requested) {
        failure_ = "stopped by a signal";
        return false;
    }
    // Plaintext into records, as much as the send queue holds, and records onto the socket, until
    // the plaintext is gone or the socket is full (then POLLOUT below waits for room).
    for (;;) {
        if (!seal_queued() || !send_pending()) return false;
        if ((app_out_.empty() && updates_.empty()) || !conn_->pending_output().empty() ||
            conn_->state() != tls::State::connected)
            break;
    }
    const bool want_out = !conn_->pending_output().empty();
    // Back-pressure: no more reading while a megabyte waits to be taken by the caller, or (an echo)
    // while 32 MiB wait to be sent. Reading goes on well past a small backlog because some peers
    // (openssl s_client) do not read while they have data to write: two such ends would deadlock.
    const bool want_in = received.size() < (1u << 20) && (!pause_reads_when_backlogged || app_out_.size() < (32u << 20));
    pollfd p[2] = {{fd_, short((want_in ? POLLIN : 0) | (want_out ? POLLOUT : 0)), 0}, {extra_fd, POLLIN, 0}};
    const int count = extra_fd >= 0 ? 2 : 1;
    const int rc = poll(p, nfds_t(count), timeout_ms_);
    if (rc < 0) {
        if (errno == EINTR) return !stop_requested || (failure_ = "stopped by a signal", false);
        failure_ = std::string("poll: ") + std::strerror(errno);
        return false;
    }
    if (rc == 0) {
        timed_out = true;
        failure_ = "timed out after " + std::to_string(timeout_ms_ / 1000.0).substr(0, 4) + " s without progress";
        return false;
    }
    if (count == 2 && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) extra_ready = true;
    if (p[0].revents & POLLOUT)
        if (!send_pending()) return false;
    if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
        std::uint8_t buf[32768];
        const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
        if (n <= 0) {
            eof = true;
            peer_closed = true;
            if (n < 0) failure_ = std::string("recv: ") + std::strerror(errno);
            return false;
        }
        if (!feed(buf, std::size_t(n))) {
            flush();  // the alert
            return false;
        }
    }
    return true;
}

bool Session::handshake() {
    bool unused = false;
    while (!conn_->handshake_done()) {
        if (!step(-1, unused)) {
            flush();
            return false;
        }
        if (peer_closed) return false;
    }
    return true;
}

void Session::flush() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms_);
    while (!conn_->pending_output().empty() && std::chrono::steady_clock::now() < deadline) {
        if (!send_pending()) return;
        if (conn_->pending_output().empty()) return;
        pollfd p{fd_, POLLOUT, 0};
        if (poll(&p, 1, 100) < 0 && errno != EINTR) return;
    }
}

void Session::close(bool linger_for_eof) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms_);
    // The plaintext still queued goes first (written out only: nothing is read any more).
    while ((!app_out_.empty() || !updates_.empty()) && conn_->state() == tls::State::connected &&
           std::chrono::steady_clock::now() < deadline) {
        if (!seal_queued()) return;
        flush();
        if (!conn_->pending_output().empty()) return;  // the peer stopped reading
    }
    if (conn_->handshake_done()) (void)conn_->close();
    flush();
    ::shutdown(fd_, SHUT_WR);
    if (!linger_for_eof) return;
    // Read (and drop) until the peer's EOF, for at most two seconds: closing a socket with unread
    // bytes sends a TCP reset, which can destroy data the peer has not read yet.
    const auto linger = std::chrono::steady_clock::now() + std::chrono::milliseconds(std::min(timeout_ms_, 2000));
    while (std::chrono::steady_clock::now() < linger) {
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, 100) < 0 && errno != EINTR) return;
        if (!(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
        std::uint8_t buf[4096];
        const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return;
    }
}

// ---- names -------------------------------------------------------------------------------------------

std::string name_or_hex(const char* name, std::uint16_t code) {
    if (name) return name;
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%04x", code);
    return buf;
}

std::string alert_text(tls::AlertDescription a) { return name_or_hex(tls::alert_name(a), std::uint16_t(a)); }

std::string scheme_text(std::uint16_t code) { return code == 0 ? "none" : name_or_hex(tls::signature_scheme_name(code), code); }

std::string chain_failure(const tls::Connection& conn, const std::string& host, std::int64_t time) {
    const tls::PeerChain& chain = conn.peer_chain();
    const x509::Result r = chain.x509;
    using E = x509::X509Error;
    if (r.ok()) return tls::error_name(conn.error());
    const x509::Certificate* c = nullptr;
    if (r.index < x509::max_path_depth && chain.path.best_path[r.index]) c = chain.path.best_path[r.index];
    // Appended piece by piece: g++ 12 at -O3 warns (-Wrestrict, a false positive) on the
    // `" (..." + std::string` form for 32-bit targets.
    std::string who;
    if (c) {
        who = " (certificate ";
        who += std::to_string(r.index);
        who += ": ";
        who += name_text(c->subject);
        who += ")";
    }
    const std::time_t tt = std::time_t(time);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char at[32];
    std::strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    std::string text;
    switch (r.error) {
    case E::certificate_expired: text = c ? "expired: notAfter " + time_text(c->not_after) + " is before " + at : "expired"; break;
    case E::certificate_not_yet_valid: text = c ? "not yet valid: notBefore " + time_text(c->not_before) + " is after " + at : "not yet valid"; break;
    case E::unknown_issuer: text = c ? "unknown issuer: no trusted certificate has the subject \"" + name_text(c->issuer) + "\"" : "unknown issuer"; break;
    case E::untrusted_self_signed: text = "self-signed, and not in the trust store"; break;
    case E::hostname_mismatch: text = "name mismatch: " + host + " is not among the certificate's subjectAltName"; break;
    case E::no_subject_alt_name: text = "name mismatch: the certificate has no subjectAltName"; break;
    case E::bad_signature: text = "bad signature: it does not verify with its issuer's key"; break;
    case E::certificate_revoked: text = "revoked"; break;
    case E::ext_key_usage_mismatch: text = "extended key usage: the purpose is not allowed"; break;
    default: text = x509::error_name(r.error);
    }
    return text + who + " [" + x509::error_name(r.error) + "]";
}

}  // namespace padlock::tools::net
