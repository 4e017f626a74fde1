// SPDX-License-Identifier: Apache-2.0
// `padlock demo` (tools/demo_cmd.hpp): a client and a server in one process, over memory, with every
// step told. The engine reports its handshake messages through Config::trace and its secrets through
// Config::key_log (the NSS key-log labels plus, for teaching, KeyLog::stage's §7.1 stage secrets);
// this file only formats what they report. It is the one place in padlock that prints secrets.
#include "tools/demo_cmd.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/rng.hpp"
#include "tls/engine.hpp"
#include "tools/net.hpp"
#include "tools/x509_describe.hpp"
#include "x509/demo_pki.hpp"

namespace padlock::tools {
namespace {

using json = nlohmann::ordered_json;
using namespace padlock::tls;

// ---- Names ------------------------------------------------------------------------------------

const char* message_name(std::uint8_t type, bool hrr) {
    switch (HandshakeType(type)) {
    case HandshakeType::client_hello: return "ClientHello";
    case HandshakeType::server_hello: return hrr ? "HelloRetryRequest" : "ServerHello";
    case HandshakeType::new_session_ticket: return "NewSessionTicket";
    case HandshakeType::encrypted_extensions: return "EncryptedExtensions";
    case HandshakeType::certificate: return "Certificate";
    case HandshakeType::certificate_request: return "CertificateRequest";
    case HandshakeType::certificate_verify: return "CertificateVerify";
    case HandshakeType::finished: return "Finished";
    case HandshakeType::key_update: return "KeyUpdate";
    default: return "handshake message";
    }
}

std::string scheme_name(std::uint16_t code) { return net::scheme_text(code); }
std::string suite_name(std::uint16_t code) { return net::name_or_hex(cipher_suite_name(code), code); }
std::string group_name(std::uint16_t code) { return net::name_or_hex(tls::group_name(code), code); }

const CipherSuite* const every_suite[] = {&tls_aes_128_gcm_sha256, &tls_aes_256_gcm_sha384,
                                          &tls_chacha20_poly1305_sha256};
const KeyShareGroup* const every_group[] = {&x25519_group, &secp256r1_group, &secp384r1_group};
const std::uint16_t schemes[] = {scheme::ecdsa_secp256r1_sha256, scheme::rsa_pss_rsae_sha256,
                                 scheme::rsa_pss_rsae_sha384, scheme::rsa_pss_rsae_sha512};

std::string u16_names(Bytes list, std::string (*name)(std::uint16_t)) {
    std::string out;
    U16List l{ByteReader(list)};
    for (std::uint16_t v; l.next(v);) out += (out.empty() ? "" : ", ") + name(v);
    return out;
}
std::string extension_names(Bytes block) {
    std::string out;
    ExtensionList l{ByteReader(block)};
    Bytes body;
    for (std::uint16_t type; l.next(type, body);) {
        const char* n = type == ext::server_name ? "server_name"
                      : type == ext::supported_groups ? "supported_groups"
                      : type == ext::signature_algorithms ? "signature_algorithms"
                      : type == ext::alpn ? "application_layer_protocol_negotiation"
                      : type == ext::record_size_limit ? "record_size_limit"
                      : type == ext::supported_versions ? "supported_versions"
                      : type == ext::key_share ? "key_share"
                      : type == ext::psk_key_exchange_modes ? "psk_key_exchange_modes"
                      : type == ext::cookie ? "cookie"
                      : type == ext::signature_algorithms_cert ? "signature_algorithms_cert"
                      : type == ext::pre_shared_key ? "pre_shared_key"
                      : nullptr;
        out += out.empty() ? "" : ", ";
        out += n ? n : std::to_string(type);
    }
    return out.empty() ? "(none)" : out;
}
std::string text(Bytes b) { return std::string(reinterpret_cast<const char*>(b.data()), b.size()); }

// ---- The narrator: text for people (colour on a terminal unless --plain), or one JSON document --

struct Narrator {
    bool color = false, as_json = false;
    json doc = json::object();
    json* section_steps = nullptr;

    void section(const std::string& key, const std::string& title) {
        doc[key] = json::array();
        section_steps = &doc[key];
        if (!as_json) std::printf("\n%s== %s ==%s\n", color ? "\033[1;34m" : "", title.c_str(), color ? "\033[0m" : "");
    }
    void say(const std::string& line) {
        section_steps->push_back({{"text", line}});
        if (!as_json) std::printf("%s\n", line.c_str());
    }
    // A message on the wire: direction, name, size, and its fields.
    void message(const std::string& from, const std::string& name, std::size_t size, const json& fields) {
        section_steps->push_back({{"message", name}, {"from", from}, {"bytes", size}, {"fields", fields}});
        if (as_json) return;
        const char* arrow = from == "client" ? "client -> server" : "server -> client";
        std::printf("%s%s  %s%s (%zu bytes)\n", color ? "\033[1m" : "", arrow, name.c_str(), color ? "\033[0m" : "", size);
        for (const auto& [k, v] : fields.items())
            std::printf("      %-22s %s\n", k.c_str(), v.is_string() ? v.get<std::string>().c_str() : v.dump().c_str());
    }
    void secret(const std::string& name, Bytes value) {
        section_steps->push_back({{"secret", name}, {"value", hex(value)}});
        if (!as_json)
            std::printf("    %skey%s  %-34s %s\n", color ? "\033[33m" : "", color ? "\033[0m" : "", name.c_str(),
                        hex(value).c_str());
    }
    void check(const std::string& what, bool ok, const std::string& why) {
        section_steps->push_back({{"check", what}, {"ok", ok}, {"why", why}});
        if (!as_json)
            std::printf("  %s%s%s %s: %s\n", color ? (ok ? "\033[32m" : "\033[31m") : "", ok ? "[ok]" : "[FAIL]",
                        color ? "\033[0m" : "", what.c_str(), why.c_str());
    }
};

// ---- Message fields, as the reader of RFC 8446 §4 would want them ------------------------------

json message_fields(Bytes message, bool& hrr) {
    json f = json::object();
    hrr = false;
    Handshake h;
    std::size_t used = 0;
    if (split_handshake(message, h, used) != TlsError::ok || used == 0) return f;
    switch (h.type) {
    case HandshakeType::client_hello: {
        ClientHello ch;
        if (parse_client_hello(h.body, ch) != TlsError::ok) break;
        const Extensions& e = ch.extensions;
        f["random"] = hex(ch.random);
        f["cipher_suites"] = u16_names(ch.cipher_suites, suite_name);
        f["supported_groups"] = u16_names(e.supported_groups, group_name);
        KeyShareList shares{ByteReader(e.client_shares)};
        std::uint16_t group = 0;
        Bytes key;
        while (shares.next(group, key)) f["key_share " + group_name(group)] = hex(key);
        f["signature_algorithms"] = u16_names(e.signature_algorithms, scheme_name);
        if (!e.server_name.empty()) f["server_name"] = text(e.server_name);
        if (e.has(ext::record_size_limit)) f["record_size_limit"] = e.record_size_limit;
        f["extensions"] = extension_names(e.block);
        break;
    }
    case HandshakeType::server_hello: {
        ServerHello sh;
        if (parse_server_hello(h.body, sh) != TlsError::ok) break;
        hrr = sh.hello_retry_request;
        if (!hrr) f["random"] = hex(sh.random);
        f["cipher_suite"] = suite_name(sh.cipher_suite);
        f["selected_version"] = sh.extensions.selected_version == tls13_version ? "TLS 1.3" : "?";
        if (hrr) {
            f["asks_for_group"] = group_name(sh.extensions.key_share_group);
        } else {
            f["key_share " + group_name(sh.extensions.key_share_group)] = hex(sh.extensions.key_share_key_exchange);
        }
        f["extensions"] = extension_names(sh.extensions.block);
        break;
    }
    case HandshakeType::encrypted_extensions: {
        EncryptedExtensions ee;
        if (parse_encrypted_extensions(h.body, ee) != TlsError::ok) break;
        f["extensions"] = extension_names(ee.extensions.block);
        if (ee.extensions.has(ext::alpn)) f["alpn"] = text(ee.extensions.alpn);
        break;
    }
    case HandshakeType::certificate_request: {
        CertificateRequest cr;
        if (parse_certificate_request(h.body, cr) != TlsError::ok) break;
        f["signature_algorithms"] = u16_names(cr.extensions.signature_algorithms, scheme_name);
        break;
    }
    case HandshakeType::certificate: {
        Certificate c;
        if (parse_certificate(h.body, c) != TlsError::ok) break;
        CertificateEntries entries{ByteReader(c.entries)};
        Bytes der;
        Extensions exts;
        int n = 0;
        while (entries.next(der, exts)) {
            x509::Certificate cert;
            const bool parsed = x509::parse_certificate(der, cert) == x509::X509Error::ok;
            f["certificate " + std::to_string(n++)] =
                parsed ? name_text(cert.subject) + " (issued by " + name_text(cert.issuer) + ", " +
                             std::to_string(der.size()) + " bytes)"
                       : "unparsable";
        }
        if (n == 0) f["certificates"] = "none (an empty Certificate: no client certificate, §4.4.2.4)";
        break;
    }
    case HandshakeType::certificate_verify: {
        CertificateVerify cv;
        if (parse_certificate_verify(h.body, cv) != TlsError::ok) break;
        f["algorithm"] = scheme_name(cv.algorithm);
        f["signature"] = std::to_string(cv.signature.size()) + " bytes over the transcript hash (§4.4.3)";
        break;
    }
    case HandshakeType::finished:
        f["verify_data"] = hex(h.body);
        break;
    case HandshakeType::new_session_ticket: {
        NewSessionTicket t;
        if (parse_new_session_ticket(h.body, t) != TlsError::ok) break;
        f["ticket_lifetime"] = std::to_string(t.ticket_lifetime) + " seconds";
        f["ticket"] = std::to_string(t.ticket.size()) + " bytes (the session state, sealed with the server's ticket key)";
        break;
    }
    case HandshakeType::key_update: {
        KeyUpdate ku;
        if (parse_key_update(h.body, ku) != TlsError::ok) break;
        f["request_update"] = ku.request_update ? "update_requested" : "update_not_requested";
        break;
    }
    default: break;
    }
    return f;
}

// ---- One side of the demo connection ----------------------------------------------------------

struct Side {
    Side(const char* n, Narrator* o) : name(n), out(o) {}
    const char* name;
    Narrator* out;
    std::unique_ptr<ConnectionMemory<>> memory = std::make_unique<ConnectionMemory<>>();
    Connection conn{*memory};
    std::string received;
    bool trace_messages = true;
};

void on_message(void* context, bool sent, Bytes message) {
    auto* side = static_cast<Side*>(context);
    // Each message is told once, as its receiver accepts it whole: the secrets a message lets the
    // client derive then follow the message.
    if (sent || !side->trace_messages) return;
    bool hrr = false;
    const json fields = message_fields(message, hrr);
    side->out->message(std::string(side->name) == "client" ? "server" : "client", message_name(message[0], hrr),
                       message.size(), fields);
}
void on_secret(void* context, const char* label, Bytes, Bytes secret) {
    auto* side = static_cast<Side*>(context);
    if (side->trace_messages && std::string(side->name) == "client") side->out->secret(label, secret);
}
void on_stage(void* context, const char* name, Bytes secret) {
    auto* side = static_cast<Side*>(context);
    if (side->trace_messages && std::string(side->name) == "client") side->out->secret(name, secret);
}

// Moves what `from` queued to `to`; `tamper` may flip a byte of the last record on the way.
// Returns whether bytes moved; records a failure in `err`.
bool deliver(Side& from, Side& to, TlsError& err, Event* last_event = nullptr, bool tamper = false) {
    const Bytes out = from.conn.pending_output();
    if (out.empty()) return false;
    std::vector<std::uint8_t> bytes(out.begin(), out.end());
    (void)from.conn.consume_output(bytes.size());
    if (tamper) bytes[bytes.size() - 1] ^= 0x01;  // the last byte of the AEAD tag
    std::size_t at = 0;
    while (at < bytes.size()) {
        std::size_t used = 0;
        Event event = Event::none;
        err = to.conn.feed(Bytes(bytes.data() + at, bytes.size() - at), used, event);
        if (err != TlsError::ok) return true;
        at += used;
        if (event == Event::application_data) to.received += text(to.conn.application_data());
        if (event != Event::none && last_event) *last_event = event;
        if (used == 0) break;
    }
    return true;
}

// Runs both directions until neither side has anything to send, or one fails.
TlsError pump(Side& client, Side& server) {
    TlsError at_server = TlsError::ok, at_client = TlsError::ok;
    for (int round = 0; round < 64; round++) {
        bool moved = deliver(client, server, at_server);
        if (at_server == TlsError::ok) moved = deliver(server, client, at_client) || moved;
        if (at_server != TlsError::ok) {
            deliver(server, client, at_client);  // the alert the server queued
            return at_server;
        }
        if (at_client != TlsError::ok) {
            deliver(client, server, at_server);
            return at_client;
        }
        if (!moved) return TlsError::ok;
    }
    return TlsError::api_misuse;
}

// ---- The demo ---------------------------------------------------------------------------------

struct Options {
    std::string suite = "TLS_AES_128_GCM_SHA256", group = "x25519", cert = "ecdsa";
    bool plain = false, as_json = false;
};

struct Pki {
    x509::TestPki pki;
    EcdsaP256Key server_ec, client_ec;
    RsaPrivateKey server_rsa;
    SigningKey server_key, client_key;
    x509::Certificate anchor[1];
    Bytes server_chain[1], client_chain[1];
};

void fail(const std::string& why) { throw CLI::RuntimeError("padlock demo: " + why, 1); }

void make_pki(const Options& o, std::int64_t now, Narrator& n, Pki& p) {
    n.section("pki", "1. A throw-away PKI, made by padlock's own code (x509/demo_pki; demo only)");
    x509::TestPkiOptions options;
    options.server_key = o.cert == "rsa" ? x509::TestKeyType::rsa_2048 : x509::TestKeyType::ecdsa_p256;
    if (x509::make_test_pki(system_rng(), now, options, p.pki) != x509::X509Error::ok) fail("could not make the PKI");
    if (o.cert == "rsa") {
        asn1::KeyType type{};
        if (load_rsa_key(p.pki.server.private_key_pkcs8(), p.server_rsa, type) != TlsError::ok) fail("RSA key");
        p.server_key = signing_key_rsa(p.server_rsa, type);
    } else {
        if (load_ecdsa_p256_key(p.pki.server.private_key_pkcs8(), p.server_ec) != TlsError::ok) fail("P-256 key");
        p.server_key = signing_key_ecdsa_p256(p.server_ec);
    }
    if (load_ecdsa_p256_key(p.pki.client.private_key_pkcs8(), p.client_ec) != TlsError::ok) fail("client key");
    p.client_key = signing_key_ecdsa_p256(p.client_ec);
    if (x509::parse_certificate(p.pki.ca.certificate(), p.anchor[0]) != x509::X509Error::ok) fail("CA certificate");
    p.server_chain[0] = p.pki.server.certificate();
    p.client_chain[0] = p.pki.client.certificate();
    for (const auto* id : {&p.pki.ca, &p.pki.server, &p.pki.client}) {
        x509::Certificate c;
        if (x509::parse_certificate(id->certificate(), c) != x509::X509Error::ok) fail("certificate");
        n.say(name_text(c.subject) + ": " + (id->key_type == x509::TestKeyType::rsa_2048 ? "RSA-2048" : "ECDSA P-256") +
              " key, issued by " + name_text(c.issuer) + ", valid " + time_text(c.not_before) + " to " +
              time_text(c.not_after));
    }
    n.say("The client trusts the CA; the server presents its certificate; the client's is used if asked.");
}

std::string describe_error(const Side& s) {
    std::string why = error_name(s.conn.error());
    if (s.conn.alert_was_sent()) why += ", sent alert " + net::alert_text(s.conn.alert_sent());
    if (s.conn.peer_alert_received()) why += ", received alert " + net::alert_text(s.conn.peer_alert());
    const x509::Result& r = s.conn.peer_chain().x509;
    if (!r.ok()) why += " (x509: " + std::string(x509::error_name(r.error)) + " at certificate " + std::to_string(r.index) + ")";
    return why;
}

// A failed handshake, told briefly: who refused, the error and the alert.
void show_failure(Narrator& n, const std::string& what, Pki& p, std::int64_t now, const std::string& host,
                  bool tamper_data) {
    const CipherSuite* const suites[] = {&tls_aes_128_gcm_sha256};
    const KeyShareGroup* const groups[] = {&x25519_group};
    Config cc, sc;
    cc.cipher_suites = sc.cipher_suites = suites;
    cc.groups = sc.groups = groups;
    cc.signature_schemes = sc.signature_schemes = schemes;
    cc.trust_anchors = p.anchor;
    cc.signature_verifier = sc.signature_verifier = asn1::verify_signature;
    cc.server_name = host;
    cc.time = now;
    sc.time = now;
    sc.certificate_chain = p.server_chain;
    sc.signing_key = &p.server_key;
    Side client{"client", &n}, server{"server", &n};
    client.trace_messages = server.trace_messages = false;
    const Rng rng = system_rng();
    if (client.conn.start_client(cc, rng) != TlsError::ok || server.conn.start_server(sc, rng) != TlsError::ok)
        fail("could not start a connection");
    TlsError err = pump(client, server);
    if (tamper_data && err == TlsError::ok) {
        std::size_t accepted = 0;
        const std::string msg = "a record the network will change";
        if (client.conn.send(Bytes(reinterpret_cast<const std::uint8_t*>(msg.data()), msg.size()), accepted) != TlsError::ok)
            fail("send");
        deliver(client, server, err, nullptr, true);
        deliver(server, client, err);
        err = server.conn.error();
    }
    const Side& refuser = server.conn.error() != TlsError::ok && !server.conn.peer_alert_received() ? server : client;
    n.check(what, err != TlsError::ok, err == TlsError::ok ? "it was NOT refused" :
            std::string("refused by the ") + refuser.name + ": " + describe_error(refuser));
    n.section_steps->back()["error"] = error_name(refuser.conn.error());
}

// The mean time of 20 handshakes in memory (client and server both), without trace or key log;
// `resume`: with the client's ticket (cc.resume), else full.
double handshake_ms(Config cc, Config sc, bool resume) {
    Narrator quiet;
    cc.trace = sc.trace = {};
    cc.key_log = sc.key_log = {};
    if (!resume) cc.resume = nullptr;
    const Rng rng = system_rng();
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 20; i++) {
        Side client{"client", &quiet}, server{"server", &quiet};
        if (client.conn.start_client(cc, rng) != TlsError::ok || server.conn.start_server(sc, rng) != TlsError::ok ||
            pump(client, server) != TlsError::ok || client.conn.resumed() != resume)
            fail("a timed handshake failed");
    }
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / 20;
}

void run_demo(const Options& o) {
    Narrator n;
    n.as_json = o.as_json;
    n.color = !o.plain && !o.as_json && isatty(STDOUT_FILENO);
    const std::int64_t now = std::int64_t(std::time(nullptr));
    auto p = std::make_unique<Pki>();
    make_pki(o, now, n, *p);

    const CipherSuite* suite = nullptr;
    for (const CipherSuite* s : every_suite)
        if (o.suite == s->name) suite = s;
    const KeyShareGroup* group = nullptr;
    for (const KeyShareGroup* g : every_group)
        if (o.group == g->name) group = g;
    if (!suite || !group) fail("unknown suite or group");
    const CipherSuite* const suites[] = {suite};
    const KeyShareGroup* const groups[] = {group};
    Side client{"client", &n}, server{"server", &n};
    Config cc, sc;
    cc.cipher_suites = sc.cipher_suites = suites;
    cc.groups = sc.groups = groups;
    cc.signature_schemes = sc.signature_schemes = schemes;
    static const std::string_view alpn[] = {"http/1.1"};
    cc.alpn = sc.alpn = alpn;
    cc.trust_anchors = sc.trust_anchors = p->anchor;
    cc.signature_verifier = sc.signature_verifier = asn1::verify_signature;
    cc.time = sc.time = now;
    cc.server_name = "localhost";
    sc.certificate_chain = p->server_chain;
    sc.signing_key = &p->server_key;
    cc.certificate_chain = p->client_chain;
    cc.signing_key = &p->client_key;
    sc.request_client_certificate = sc.require_client_certificate = true;
    // Resumption (§4.6.1): the server seals its tickets with a key of its own; the client keeps the
    // ticket it receives for the next connection.
    TicketKey ticket_key;
    ticket_key.aead = &aes_256_gcm_ops;
    if (system_rng()(MutBytes(ticket_key.key, 32)) != CryptoError::ok || system_rng()(MutBytes(ticket_key.name, 16)) != CryptoError::ok)
        fail("no randomness");
    const TicketKeys ticket_keys{&ticket_key, nullptr};
    auto session = std::make_unique<StoredSession>();
    sc.ticket_keys = &ticket_keys;
    cc.new_session = session.get();
    cc.trace = {&on_message, &client};
    sc.trace = {&on_message, &server};
    cc.key_log.write = &on_secret;
    cc.key_log.stage = &on_stage;
    cc.key_log.context = &client;

    n.section("handshake", "2. The handshake (RFC 8446 §2), message by message; secrets are shown for the demo only");
    n.say(std::string("The client offers ") + suite->name + " and a key share for " + group->name +
          "; the server will ask for the client's certificate (mutual TLS).");
    const Rng rng = system_rng();
    if (client.conn.start_client(cc, rng) != TlsError::ok || server.conn.start_server(sc, rng) != TlsError::ok)
        fail("could not start the connections");
    if (TlsError err = pump(client, server); err != TlsError::ok || !client.conn.handshake_done() ||
                                             !server.conn.handshake_done())
        fail(std::string("the handshake failed: ") + error_name(err) + " (client: " + describe_error(client) +
             "; server: " + describe_error(server) + ")");
    n.say("Everything after ServerHello travelled encrypted under the handshake traffic keys; the secrets above "
          "come from HKDF over the (EC)DHE shared secret and the transcript hash (§7.1).");

    n.section("negotiated", "3. What was negotiated, and why the client trusts the server");
    n.say(std::string("version TLS 1.3, suite ") + client.conn.cipher_suite()->name + ", group " +
          client.conn.key_share_group()->name + ", server signature " +
          scheme_name(client.conn.peer_signature_scheme()) + ", client signature " +
          scheme_name(client.conn.signature_scheme()) + ", ALPN " + text(client.conn.alpn()));
    const PeerChain& chain = client.conn.peer_chain();
    for (std::size_t i = 0; i < chain.path.length; i++) {
        const x509::Certificate& c = *chain.path.path[i];
        n.check("path[" + std::to_string(i) + "] " + name_text(c.subject), true,
                "signature by " + name_text(c.issuer) + " verifies, valid now (" + time_text(c.not_before) + " to " +
                    time_text(c.not_after) + ")");
    }
    n.check("trust anchor", client.conn.peer_authenticated(), "the path ends at the CA the client trusts (RFC 5280 §6)");
    n.check("host name", client.conn.peer_authenticated(), "\"localhost\" matches the server's subjectAltName (RFC 9525)");
    n.check("key usage", client.conn.peer_authenticated(), "digitalSignature, extKeyUsage serverAuth (RFC 5280 §4.2.1.12)");
    n.check("CertificateVerify", client.conn.peer_authenticated(),
            "the server's key signed the transcript: it holds the private key (§4.4.3)");
    n.check("server Finished", true, "its HMAC over the transcript matches: nothing was altered (§4.4.4)");
    n.check("the server checked the client", server.conn.peer_authenticated(),
            "its certificate chains to the CA, for clientAuth, and its CertificateVerify verifies");

    n.section("data", "4. Application data, a key update, and the close");
    const std::string request = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    const std::string reply = "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\nhello from padlock\r\n";
    std::size_t accepted = 0;
    TlsError err = TlsError::ok;
    auto bytes = [](const std::string& s) { return Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()); };
    if (client.conn.send(bytes(request), accepted) != TlsError::ok || accepted != request.size()) fail("send");
    const std::size_t wire = client.conn.pending_output().size();
    deliver(client, server, err);
    n.say("client -> server  " + std::to_string(request.size()) + " bytes of HTTP in one record of " +
          std::to_string(wire) + " bytes (5 header + data + 1 content type + 16 AEAD tag, §5.2)");
    if (server.received != request) fail("the server did not receive the request");
    if (server.conn.send(bytes(reply), accepted) != TlsError::ok) fail("send");
    deliver(server, client, err);
    n.say("server -> client  " + std::to_string(client.received.size()) + " bytes: \"" +
          client.received.substr(0, client.received.find('\r')) + "\" ...");
    if (client.conn.update_keys(true) != TlsError::ok) fail("key update");
    Event event = Event::none;
    deliver(client, server, err, &event);
    n.say(std::string("the server saw ") + event_name(event) + " and answered with its own KeyUpdate (§4.6.3)");
    deliver(server, client, err, &event);
    client.received.clear();
    if (server.conn.send(bytes(reply), accepted) != TlsError::ok) fail("send");
    deliver(server, client, err);
    n.check("data after the key update", client.received == reply, "both directions use the next traffic secrets");
    if (client.conn.close() != TlsError::ok) fail("close");
    deliver(client, server, err, &event);
    if (server.conn.close() != TlsError::ok) fail("close");
    deliver(server, client, err);
    n.check("close_notify", event == Event::close_notify, "each side closed its direction (§6.1)");

    n.section("failures", "5. What failure looks like (each a new connection)");
    show_failure(n, "a wrong host name (the client asks for www.example.com)", *p, now, "www.example.com", false);
    show_failure(n, "an expired certificate (the clocks say 60 days later)", *p, now + 60 * 86400, "localhost", false);
    show_failure(n, "a record changed in transit (one bit of its tag flipped)", *p, now, "localhost", true);

    n.section("resumption", "6. Resumption: the next connection, with the ticket (§2.2, §4.2.11)");
    if (session->ticket_size == 0) fail("the client received no ticket");
    Side client2{"client", &n}, server2{"server", &n};
    cc.resume = session.get();
    cc.new_session = nullptr;
    cc.trace = {&on_message, &client2};
    cc.key_log.context = &client2;
    sc.trace = {&on_message, &server2};
    if (client2.conn.start_client(cc, rng) != TlsError::ok || server2.conn.start_server(sc, rng) != TlsError::ok)
        fail("could not start the resumed connection");
    if (pump(client2, server2) != TlsError::ok || !client2.conn.resumed() || !server2.conn.resumed())
        fail("the resumed handshake failed: client " + describe_error(client2) + "; server " + describe_error(server2));
    n.check("resumed", true,
            "the server opened its ticket and accepted the PSK binder; the (EC)DHE exchange still gives forward "
            "secrecy (psk_dhe_ke), and no Certificate, CertificateRequest or CertificateVerify was sent: no "
            "signature made or checked, no chain validated");
    const double resumed_ms = handshake_ms(cc, sc, true), full_ms = handshake_ms(cc, sc, false);
    char timing[200];
    std::snprintf(timing, sizeof timing,
                  "on this machine, untraced, the mean of 20: %.2f ms for a full handshake, %.2f ms resumed", full_ms,
                  resumed_ms);
    n.say(timing);
    if (o.as_json) std::printf("%s\n", n.doc.dump(2).c_str());
}

}  // namespace

void add_demo_command(CLI::App& app) {
    auto options = std::make_shared<Options>();
    auto* demo = app.add_subcommand("demo", "Run a narrated TLS 1.3 handshake between a padlock client and server in memory");
    demo->add_option("--suite", options->suite, "Cipher suite")
        ->check(CLI::IsMember({"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}));
    demo->add_option("--group", options->group, "Key-share group")->check(CLI::IsMember({"x25519", "secp256r1", "secp384r1"}));
    demo->add_option("--cert", options->cert, "Server certificate key type")->check(CLI::IsMember({"ecdsa", "rsa"}));
    demo->add_flag("--plain", options->plain, "No colour, even on a terminal");
    demo->add_flag("--json", options->as_json, "One JSON document instead of text");
    demo->callback([options] { run_demo(*options); });
}

}  // namespace padlock::tools
