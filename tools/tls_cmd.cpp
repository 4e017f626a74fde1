// SPDX-License-Identifier: Apache-2.0
// `padlock client HOST:PORT` (like `openssl s_client`: the handshake summary, the verified chain or
// why it was refused, then stdin to the server and the server's data to stdout) and
// `padlock server` (like `openssl s_server`: one connection after another, a small page for an
// HTTP GET, an echo otherwise). The sockets and the loop are in tools/net.cpp.
#include "tools/tls_cmd.hpp"

#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/net.hpp"
#include "crypto/ct.hpp"
#include "tools/x509_describe.hpp"

namespace padlock::tools {
namespace {

using json = nlohmann::ordered_json;
using net::NetError;

// Exit statuses (documented in both commands' --help).
constexpr int exit_ok = 0;
constexpr int exit_tls = 1;         // the handshake failed (alert, protocol error, timeout) or the
                                    // connection ended badly (an error, or TCP EOF without close_notify)
constexpr int exit_usage = 2;       // a usage or input error (options, files)
constexpr int exit_certificate = 3; // the peer's certificate was refused (the reason is printed)
constexpr int exit_connect = 4;     // could not resolve, connect, bind or listen

const char* exit_text =
    "Exit status: 0 success; 1 the handshake failed (an alert, a protocol error, a timeout) or the\n"
    "connection ended with an error or without close_notify; 2 a usage or input error; 3 the peer's\n"
    "certificate was refused (the reason is printed: expired, name mismatch, unknown issuer, ...);\n"
    "4 could not resolve, connect, bind or listen.\n";

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= s.size() && !s.empty()) {
        const auto comma = s.find(',', start);
        out.push_back(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

bool is_certificate_error(tls::TlsError e) {
    const std::string n = tls::error_name(e);
    return n.rfind("certificate_", 0) == 0;
}

// What was negotiated, as one JSON object.
json summary(const tls::Connection& c, const std::string& sni) {
    json j;
    j["version"] = c.version() == tls::tls13_version ? "TLSv1.3" : "none";
    j["cipher_suite"] = c.cipher_suite() ? c.cipher_suite()->name : "none";
    j["group"] = c.key_share_group() ? c.key_share_group()->name : "none";
    j["hello_retry_request"] = c.hello_retry_request();
    j["peer_signature_scheme"] = net::scheme_text(c.peer_signature_scheme());
    j["signature_scheme"] = net::scheme_text(c.signature_scheme());
    const Bytes alpn = c.alpn();
    j["alpn"] = alpn.empty() ? json(nullptr) : json(std::string(alpn.begin(), alpn.end()));
    if (!sni.empty()) j["server_name"] = sni;
    j["peer_authenticated"] = c.peer_authenticated();
    j["resumed"] = c.resumed();
    json chain = json::array();
    const tls::PeerChain& pc = c.peer_chain();
    if (pc.count > 0) {
        for (std::size_t i = 0; i < pc.path.length; i++)
            chain.push_back({{"subject", name_text(pc.path.path[i]->subject)}, {"issuer", name_text(pc.path.path[i]->issuer)}});
    }
    j["verified_chain"] = chain;
    return j;
}

void print_summary(const json& j, bool as_json) {
    if (as_json) {
        std::cerr << j.dump() << "\n";
        return;
    }
    std::string text;
    text += "Protocol: " + j["version"].get<std::string>() + "\n";
    text += "Cipher suite: " + j["cipher_suite"].get<std::string>() + "\n";
    text += "Group: " + j["group"].get<std::string>() + (j["hello_retry_request"].get<bool>() ? " (after HelloRetryRequest)" : "") + "\n";
    text += "Peer signature scheme: " + j["peer_signature_scheme"].get<std::string>() + "\n";
    if (j["signature_scheme"] != "none") text += "Our signature scheme: " + j["signature_scheme"].get<std::string>() + "\n";
    text += "ALPN: " + (j["alpn"].is_null() ? std::string("none") : j["alpn"].get<std::string>()) + "\n";
    if (j.contains("server_name")) text += "Server name: " + j["server_name"].get<std::string>() + "\n";
    if (j.contains("error")) text += "Error: " + j["error"].get<std::string>() + "\n";
    if (j.contains("verification")) text += "Verification: " + j["verification"].get<std::string>() + "\n";
    if (!j["verified_chain"].empty()) {
        text += "Verified chain:\n";
        int i = 0;
        for (const auto& c : j["verified_chain"])
            text += "  " + std::to_string(i++) + " s: " + c["subject"].get<std::string>() + "\n    i: " + c["issuer"].get<std::string>() + "\n";
    }
    std::cerr << text << std::flush;
}

void write_stdout(const std::string& data) {
    std::size_t at = 0;
    while (at < data.size()) {
        const ssize_t n = ::write(1, data.data() + at, data.size() - at);
        if (n <= 0) return;
        at += std::size_t(n);
    }
}

// Bytes a peer sent (a host name), shown as text: printable ASCII kept, anything else as \xNN.
std::string printable(Bytes b) {
    std::string out;
    for (std::uint8_t c : b) {
        if (c > 0x20 && c < 0x7f && c != '\\') {
            out += char(c);
        } else {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        }
    }
    return out;
}

// One line per KeyUpdate (§4.6.3) sent or received, on stderr: JSON with --json.
void report_key_update(const std::string& who, bool as_json, bool sent, bool requested) {
    if (as_json) {
        json j;
        if (!who.empty()) j["peer"] = who;
        j["event"] = sent ? "key_update_sent" : "key_update_received";
        if (sent) j["update_requested"] = requested;
        std::cerr << j.dump() << std::endl;
    } else {
        std::cerr << who << (who.empty() ? "" : ": ") << (sent ? "KeyUpdate sent" : "KeyUpdate received")
                  << (sent && requested ? " (update_requested)" : "") << std::endl;
    }
}

// ---- client ------------------------------------------------------------------------------------------

struct ClientOptions {
    std::string target, ca = "/etc/ssl/certs/ca-certificates.crt", host, alpn, cert, key, keylog;
    std::vector<std::string> crl;
    double timeout = 10;
    std::size_t key_update_every = 0;
    bool as_json = false, resume = false, no_commands = false;
};

// openssl s_client's connected commands (openssl-s_client(1)): a line of stdin that is only "K"
// sends a KeyUpdate asking for the server's, "k" one that does not; every other byte is data,
// in order (the data before the line goes under the old key).
class StdinCommands {
public:
    explicit StdinCommands(bool on) : on_(on) {}
    void take(const char* p, std::size_t n, net::Session& s) {
        if (!on_) return s.write(std::string(p, n));
        std::string data;
        for (std::size_t i = 0; i < n; i++) {
            const char c = p[i];
            if (!held_.empty()) {
                if (c == '\n') {
                    s.write(data);
                    data.clear();
                    s.key_update(held_[0] == 'K');
                    held_.clear();
                    line_start_ = true;
                    continue;
                }
                if (c == '\r' && held_.size() == 1) {
                    held_ += c;
                    continue;
                }
                data += held_;  // not a command line after all
                held_.clear();
            } else if (line_start_ && (c == 'K' || c == 'k')) {
                held_ = c;
                continue;
            }
            data += c;
            line_start_ = c == '\n';
        }
        s.write(data);
    }
    void end(net::Session& s) {  // stdin's EOF: a held "K" without its newline was data
        s.write(held_);
        held_.clear();
    }

private:
    bool on_;
    bool line_start_ = true;
    std::string held_;  // "K" or "k" (and "\r") at a line start, until the line's end shows which
};

int run_client(const ClientOptions& o) {
    std::string host, port;
    net::split_host_port(o.target, host, port);
    net::EngineConfig ec;
    net::init_config(ec, split_list(o.alpn));
    net::Anchors anchors;
    net::load_anchors(o.ca, anchors);
    ec.config.trust_anchors = anchors.store->anchors();
    net::Crls crls;
    net::load_crls(o.crl, crls);
    net::use_crls(crls, ec.config);
    ec.server_name = o.host.empty() ? host : o.host;
    ec.config.server_name = ec.server_name;
    net::Credentials creds;
    if (!o.cert.empty() || !o.key.empty()) {
        if (o.cert.empty() || o.key.empty()) throw NetError{"--cert and --key go together"};
        net::load_credentials(o.cert, o.key, creds);
        ec.config.certificate_chain = creds.chain;
        ec.config.signing_key = &creds.key;
    }
    net::KeyLogFile keylog(net::keylog_path(o.keylog));
    ec.config.key_log = keylog.hook();
    net::install_stop_handlers();

    const int timeout_ms = int(o.timeout * 1000);
    // --resume: a first connection only to receive a ticket (§4.6.1), then the real one offers it.
    auto stored = std::make_unique<tls::StoredSession>();
    if (o.resume) {
        ec.config.new_session = stored.get();
        try {
            net::Session first(net::tcp_connect(host, port, timeout_ms), timeout_ms);
            if (first.conn().start_client(ec.config, system_rng()) != tls::TlsError::ok) return exit_usage;
            if (!first.handshake()) {
                std::cerr << "padlock client: first connection (for a ticket): " << first.why() << "\n";
                return is_certificate_error(first.conn().error()) ? exit_certificate : exit_tls;
            }
            bool unused = false;
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
            while (stored->ticket_size == 0 && std::chrono::steady_clock::now() < deadline && first.step(-1, unused)) {
            }
            first.close();
        } catch (const NetError& e) {
            std::cerr << "padlock client: " << e.message << "\n";
            return exit_connect;
        }
        ec.config.new_session = nullptr;
        if (stored->ticket_size == 0) {
            std::cerr << "padlock client: the server sent no ticket; connecting without resumption\n";
        } else {
            ec.config.resume = stored.get();
        }
        ec.config.time = net::now_seconds();
    }
    int fd = -1;
    try {
        fd = net::tcp_connect(host, port, timeout_ms);
    } catch (const NetError& e) {
        std::cerr << "padlock client: " << e.message << "\n";
        return exit_connect;
    }
    net::Session s(fd, timeout_ms);
    if (s.conn().start_client(ec.config, system_rng()) != tls::TlsError::ok) {
        std::cerr << "padlock client: the engine refused the configuration\n";
        return exit_usage;
    }
    const bool ok = s.handshake();
    json j = summary(s.conn(), ec.server_name);
    if (!ok) {
        j["error"] = s.why();
        const tls::TlsError e = s.conn().error();
        const bool cert = is_certificate_error(e);
        if (cert) j["verification"] = net::chain_failure(s.conn(), ec.server_name, ec.config.time);
        print_summary(j, o.as_json);
        return cert ? exit_certificate : exit_tls;
    }
    j["verification"] = s.conn().resumed() ? "ok (resumed: the certificate was verified when the ticket was issued)" : "ok";
    print_summary(j, o.as_json);

    // Relay: stdin to the server, the server's data to stdout, until close_notify (or EOF).
    s.key_update_every = o.key_update_every;
    s.on_key_update = [&o](bool sent, bool requested) { report_key_update("", o.as_json, sent, requested); };
    StdinCommands commands(!o.no_commands);
    bool stdin_open = true;
    int status = exit_ok;
    for (;;) {
        if (!s.received.empty()) {  // (the first may have come with the handshake's last flight)
            write_stdout(s.received);
            s.received.clear();
        }
        bool stdin_ready = false;
        const bool more = s.step(stdin_open && s.queued() < (1u << 20) ? 0 : -1, stdin_ready);
        if (!s.received.empty()) {
            write_stdout(s.received);
            s.received.clear();
        }
        if (!more) {
            if (s.eof) {
                std::cerr << "padlock client: the server closed the TCP connection without close_notify\n";
                status = exit_tls;
            } else if (!s.peer_closed) {
                std::cerr << "padlock client: " << s.why() << "\n";
                status = exit_tls;
            }
            break;
        }
        if (s.peer_closed) break;
        if (stdin_ready) {
            char buf[16384];
            const ssize_t n = ::read(0, buf, sizeof buf);
            if (n > 0) {
                commands.take(buf, std::size_t(n), s);
            } else {
                stdin_open = false;
                commands.end(s);
                s.close(false);  // our direction ends; the server's data still comes (§6.1)
            }
        }
    }
    if (s.peer_closed && !s.eof) s.close();
    return status;
}

// ---- server ------------------------------------------------------------------------------------------

struct ServerOptions {
    std::string cert, key, port = "4433", bind = "127.0.0.1", client_ca, alpn, keylog;
    std::vector<std::string> crl;
    double timeout = 10;
    std::size_t key_update_every = 0;
    bool once = false, as_json = false;
};

std::string html_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '&') out += "&amp;";
        else out += c;
    }
    return out;
}

std::string page(const json& j) {
    std::string rows;
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (it.key() == "verified_chain") continue;
        rows += "<tr><th>" + html_escape(it.key()) + "</th><td>" +
                html_escape(it.value().is_string() ? it.value().get<std::string>() : it.value().dump()) + "</td></tr>\n";
    }
    for (const auto& c : j["verified_chain"])
        rows += "<tr><th>client certificate</th><td>" + html_escape(c["subject"].get<std::string>()) + "</td></tr>\n";
    const std::string body = "<!DOCTYPE html>\n<html><head><title>padlock server</title></head><body>\n"
                             "<h1>padlock server</h1>\n<p>This connection negotiated:</p>\n<table>\n" + rows +
                             "</table>\n</body></html>\n";
    return "HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
}

// One connection: handshake, then a page for an HTTP GET or an echo, until close_notify.
void serve_one(int fd, const std::string& peer, const tls::Config& config, const ServerOptions& o) {
    const bool as_json = o.as_json;
    net::Session s(fd, int(o.timeout * 1000));
    s.pause_reads_when_backlogged = true;
    s.key_update_every = o.key_update_every;
    s.on_key_update = [&](bool sent, bool requested) { report_key_update(peer, as_json, sent, requested); };
    if (s.conn().start_server(config, system_rng()) != tls::TlsError::ok) {
        std::cerr << peer << ": the engine refused the configuration\n";
        return;
    }
    if (!s.handshake()) {
        json j = summary(s.conn(), printable(s.conn().server_name()));
        j["peer"] = peer;
        j["error"] = s.why();
        if (is_certificate_error(s.conn().error()))
            j["verification"] = net::chain_failure(s.conn(), "", config.time);
        print_summary(j, as_json);
        return;
    }
    json j = summary(s.conn(), printable(s.conn().server_name()));
    j["peer"] = peer;
    print_summary(j, as_json);
    enum class Mode { unknown, http, echo } mode = Mode::unknown;
    std::string request;
    bool unused = false;
    for (bool more = true;; more = s.step(-1, unused)) {  // first: data that came with the client's Finished
        if (!s.received.empty()) {
            if (mode == Mode::unknown) {
                request += s.received;
                s.received.clear();
                const bool http = request.rfind("GET ", 0) == 0 || request.rfind("HEAD ", 0) == 0;
                if (http) {
                    mode = Mode::http;
                } else if (request.size() >= 5 || (std::string("GET ").rfind(request, 0) != 0 &&
                                                    std::string("HEAD ").rfind(request, 0) != 0)) {
                    mode = Mode::echo;
                    s.write(request);
                }
            } else if (mode == Mode::http) {
                request += s.received;
                s.received.clear();
            } else {
                s.write(s.received);
                s.received.clear();
            }
            if (mode == Mode::http && (request.find("\r\n\r\n") != std::string::npos ||
                                       request.find("\n\n") != std::string::npos || request.size() > 16384)) {
                s.write(page(j));
                s.close();
                std::cerr << peer << ": answered " << request.substr(0, request.find_first_of("\r\n")) << "\n";
                return;
            }
        }
        if (!more) {
            if (!s.peer_closed || s.eof) std::cerr << peer << ": " << s.why() << "\n";
            break;
        }
        if (s.peer_closed) break;
    }
    if (s.peer_closed && !s.eof) s.close();  // echoes still queued go first
}

int run_server(const ServerOptions& o) {
    net::EngineConfig ec;
    net::init_config(ec, split_list(o.alpn));
    net::Credentials creds;
    net::load_credentials(o.cert, o.key, creds);
    ec.config.certificate_chain = creds.chain;
    ec.config.signing_key = &creds.key;
    net::Anchors anchors;
    if (!o.client_ca.empty()) {
        net::load_anchors(o.client_ca, anchors);
        ec.config.trust_anchors = anchors.store->anchors();
        ec.config.request_client_certificate = true;
        ec.config.require_client_certificate = true;
    }
    net::Crls crls;
    net::load_crls(o.crl, crls);
    net::use_crls(crls, ec.config);
    net::KeyLogFile keylog(net::keylog_path(o.keylog));
    ec.config.key_log = keylog.hook();
    // A fresh ticket key per run (§4.6.1): tickets resume only with this process.
    auto ticket_key = std::make_unique<tls::TicketKey>();
    ticket_key->aead = &tls::aes_256_gcm_ops;
    if (system_rng()(MutBytes(ticket_key->name, sizeof ticket_key->name)) != CryptoError::ok ||
        system_rng()(MutBytes(ticket_key->key, sizeof ticket_key->key)) != CryptoError::ok)
        throw NetError{"getrandom failed"};
    tls::TicketKeys ticket_keys{ticket_key.get(), nullptr};
    ec.config.ticket_keys = &ticket_keys;
    net::install_stop_handlers();
    int listener = -1;
    try {
        listener = net::tcp_listen(o.bind, o.port);
    } catch (const NetError& e) {
        std::cerr << "padlock server: " << e.message << "\n";
        return exit_connect;
    }
    std::cerr << "padlock server: listening on " << o.bind << " port " << net::local_port(listener) << std::endl;
    while (!net::stop_requested) {
        std::string peer;
        const int fd = net::accept_one(listener, peer);
        if (fd < 0) break;
        ec.config.time = net::now_seconds();
        serve_one(fd, peer, ec.config, o);
        if (o.once) break;
    }
    ::close(listener);
    secure_zero(*ticket_key);
    std::cerr << "padlock server: stopped\n";
    return exit_ok;
}

}  // namespace

void add_tls_commands(CLI::App& app, int& exit_status) {
    auto guarded = [&exit_status](auto run) {
        return [&exit_status, run]() {
            try {
                exit_status = run();
            } catch (const NetError& e) {
                std::cerr << "padlock: " << e.message << "\n";
                exit_status = exit_usage;
            }
        };
    };

    static ClientOptions c;
    auto* client = app.add_subcommand("client", "Connect with TLS 1.3 (like openssl s_client): show what was negotiated, then relay stdin/stdout");
    client->add_option("target", c.target, "HOST:PORT or [IPv6]:PORT")->required();
    client->add_option("--ca", c.ca, "Trust anchors (PEM bundle)")->capture_default_str();
    client->add_option("--crl", c.crl, "CRLs (PEM) the server's chain is checked against; with any, every certificate but the anchor needs one (repeatable)")->allow_extra_args(false);
    client->add_option("--host", c.host, "Name to send (SNI) and to verify (default: HOST)");
    client->add_option("--alpn", c.alpn, "ALPN protocols to offer, comma-separated, in preference order");
    client->add_option("--cert", c.cert, "Client certificate chain (PEM, leaf first), sent when the server asks");
    client->add_option("--key", c.key, "Its private key (PEM; P-256 or RSA)");
    client->add_option("--keylog", c.keylog, "Append NSS key-log lines to FILE (default: $SSLKEYLOGFILE, else off)");
    client->add_option("--timeout", c.timeout, "Seconds without progress before giving up")->capture_default_str();
    client->add_flag("--json", c.as_json, "The handshake summary as one JSON object");
    client->add_option("--key-update-every", c.key_update_every,
                       "Send a KeyUpdate (update_requested) after every BYTES of data sent (0: never)")->capture_default_str();
    client->add_flag("--no-commands", c.no_commands, "Send a \"K\" or \"k\" line of stdin as data, not as a KeyUpdate command");
    client->add_flag("--resume", c.resume, "Connect once for a session ticket, then again offering it (like s_client -reconnect)");
    client->footer(std::string("The handshake summary (or why it failed) goes to stderr; stdout carries only the server's data.\n"
                               "Offers every suite (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305) and group (x25519 first,\n"
                               "secp256r1, secp384r1); stdin EOF sends close_notify, and the client ends at the server's close_notify.\n"
                               "--resume: the summary's \"resumed\" says whether the server took the ticket (psk_dhe_ke).\n"
                               "Commands, as in openssl s_client: a stdin line holding only K sends a KeyUpdate asking for the\n"
                               "server's (update_requested), k one that does not. Each KeyUpdate sent or received prints a\n"
                               "line on stderr (\"KeyUpdate sent (update_requested)\", \"KeyUpdate received\"; with --json\n"
                               "{\"event\":\"key_update_sent\",\"update_requested\":true} / {\"event\":\"key_update_received\"}).\n") +
                   exit_text);
    client->callback(guarded([] { return run_client(c); }));

    static ServerOptions s;
    auto* server = app.add_subcommand("server", "Serve TLS 1.3 (like openssl s_server): an HTTP GET gets a page of what was negotiated, other data is echoed");
    server->add_option("--cert", s.cert, "Certificate chain (PEM, leaf first)")->required();
    server->add_option("--key", s.key, "Its private key (PEM; P-256 or RSA)")->required();
    server->add_option("--port", s.port, "TCP port (0: any free one, printed on stderr)")->capture_default_str();
    server->add_option("--bind", s.bind, "Address to listen on")->capture_default_str();
    server->add_option("--crl", s.crl, "CRLs (PEM) client chains are checked against, as padlock client --crl (repeatable)")->allow_extra_args(false);
    server->add_option("--client-ca", s.client_ca, "Request a client certificate and require it to verify against these anchors (PEM)");
    server->add_option("--alpn", s.alpn, "ALPN protocols to accept, comma-separated, in preference order");
    server->add_option("--keylog", s.keylog, "Append NSS key-log lines to FILE (default: $SSLKEYLOGFILE, else off)");
    server->add_option("--timeout", s.timeout, "Seconds without progress before a connection is dropped")->capture_default_str();
    server->add_option("--key-update-every", s.key_update_every,
                       "Send a KeyUpdate (update_requested) after every BYTES of data sent (0: never)")->capture_default_str();
    server->add_flag("--once", s.once, "Serve one connection, then exit");
    server->add_flag("--json", s.as_json, "Each connection's summary as one JSON object a line (stderr)");
    server->footer(std::string("Connections are served one after another (no concurrency); a failed handshake ends only that\n"
                               "connection. Each connection's summary goes to stderr. SIGINT/SIGTERM stop the server.\n"
                               "Each handshake is followed by one session ticket (psk_dhe_ke resumption; the ticket key is\n"
                               "random per run). Every read and write is under --timeout. The summary and the page show the\n"
                               "server_name the client sent (SNI; bytes outside printable ASCII as \\xNN). Each KeyUpdate sent\n"
                               "or received prints a line (--json: {\"peer\":...,\"event\":\"key_update_received\"}); a\n"
                               "client's update_requested is answered with one of ours (RFC 8446 §4.6.3).\n") +
                   exit_text);
    server->callback(guarded([] { return run_server(s); }));
}

}  // namespace padlock::tools
