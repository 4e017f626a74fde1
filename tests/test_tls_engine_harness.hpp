// SPDX-License-Identifier: Apache-2.0
// Shared by tests/test_tls_engine.cpp and tests/test_tls_negative.cpp: throw-away PKIs (x509/demo_pki),
// engine configurations, and an in-memory pipe that moves records between two Connections.
#pragma once

#include <ctime>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tests/support.hpp"
#include "tls/engine.hpp"
#include "x509/demo_pki.hpp"

namespace padlock::test {

using namespace padlock::tls;

inline const std::int64_t pki_now = std::int64_t(std::time(nullptr));

// One demo PKI (CA, server "localhost", client) with the keys loaded for signing.
struct EnginePki {
    x509::TestPki pki;
    EcdsaP256Key server_ec, client_ec;
    padlock::RsaPrivateKey server_rsa;
    SigningKey server_key, client_key;
    x509::Certificate anchor[1];
    Bytes server_chain[1], client_chain[1];

    explicit EnginePki(x509::TestKeyType server_type, std::string_view organization = "padlock demo") {
        x509::TestPkiOptions options;
        options.server_key = server_type;
        options.organization = organization;
        REQUIRE(x509::make_test_pki(system_rng(), pki_now, options, pki) == x509::X509Error::ok);
        if (server_type == x509::TestKeyType::rsa_2048) {
            asn1::KeyType type{};
            REQUIRE(load_rsa_key(pki.server.private_key_pkcs8(), server_rsa, type) == TlsError::ok);
            server_key = signing_key_rsa(server_rsa, type);
        } else {
            REQUIRE(load_ecdsa_p256_key(pki.server.private_key_pkcs8(), server_ec) == TlsError::ok);
            server_key = signing_key_ecdsa_p256(server_ec);
        }
        REQUIRE(load_ecdsa_p256_key(pki.client.private_key_pkcs8(), client_ec) == TlsError::ok);
        client_key = signing_key_ecdsa_p256(client_ec);
        REQUIRE(x509::parse_certificate(pki.ca.certificate(), anchor[0]) == x509::X509Error::ok);
        server_chain[0] = pki.server.certificate();
        client_chain[0] = pki.client.certificate();
    }
};

inline EnginePki& ecdsa_pki() {
    static EnginePki p(x509::TestKeyType::ecdsa_p256);
    return p;
}
inline EnginePki& rsa_pki() {
    static EnginePki p(x509::TestKeyType::rsa_2048);
    return p;
}

inline const CipherSuite* const all_suites[] = {&tls_aes_128_gcm_sha256, &tls_aes_256_gcm_sha384,
                                                &tls_chacha20_poly1305_sha256};
inline const KeyShareGroup* const all_groups[] = {&x25519_group, &secp256r1_group, &secp384r1_group};
inline const std::uint16_t all_schemes[] = {scheme::ecdsa_secp256r1_sha256, scheme::rsa_pss_rsae_sha256,
                                            scheme::rsa_pss_rsae_sha384, scheme::rsa_pss_rsae_sha512};

// A client and a server configuration over one PKI, each with its own lists (so a test can narrow them).
struct Configs {
    std::vector<const CipherSuite*> client_suites{std::begin(all_suites), std::end(all_suites)},
        server_suites{std::begin(all_suites), std::end(all_suites)};
    std::vector<const KeyShareGroup*> client_groups{std::begin(all_groups), std::end(all_groups)},
        server_groups{std::begin(all_groups), std::end(all_groups)};
    std::vector<std::uint16_t> schemes{std::begin(all_schemes), std::end(all_schemes)};
    std::vector<std::string_view> client_alpn, server_alpn;
    Config client, server;

    explicit Configs(EnginePki& p) {
        client.trust_anchors = p.anchor;
        client.signature_verifier = server.signature_verifier = asn1::verify_signature;
        client.time = pki_now;
        client.server_name = "localhost";
        server.certificate_chain = p.server_chain;
        server.signing_key = &p.server_key;
        server.trust_anchors = p.anchor;
        server.time = pki_now;
        client_certificate(p, true);
    }
    void client_certificate(EnginePki& p, bool have) {
        client.certificate_chain = have ? std::span<const Bytes>(p.client_chain) : std::span<const Bytes>();
        client.signing_key = have ? &p.client_key : nullptr;
    }
    // Points the spans at the vectors (call after changing them).
    void bind() {
        client.cipher_suites = client_suites;
        server.cipher_suites = server_suites;
        client.groups = client_groups;
        server.groups = server_groups;
        client.signature_schemes = schemes;
        server.signature_schemes = schemes;
        client.alpn = client_alpn;
        server.alpn = server_alpn;
    }
};

// One end of a connection with its own memory (on the heap: this is a test) and what it saw.
template <std::size_t L = max_inner_plaintext_size, std::size_t H = 16384>
struct Endpoint {
    std::unique_ptr<ConnectionMemory<L, H>> memory = std::make_unique<ConnectionMemory<L, H>>();
    Connection conn{*memory};
};

struct Seen {
    std::vector<Event> events;
    Buf received;
    Buf early;  // a server's Event::early_data (0-RTT)
    TlsError error = TlsError::ok;
    std::size_t records_in = 0;
    bool has(Event e) const {
        for (Event x : events)
            if (x == e) return true;
        return false;
    }
};

// Feeds `bytes` to `to`, recording in `seen` its events, the data it delivered and its error.
inline void feed_bytes(Connection& to, Bytes bytes, Seen& seen) {
    std::size_t at = 0;
    while (at < bytes.size()) {
        std::size_t used = 0;
        Event event = Event::none;
        const TlsError err = to.feed(bytes.subspan(at), used, event);
        at += used;
        if (err != TlsError::ok) {
            seen.error = err;
            break;
        }
        if (event != Event::none) seen.events.push_back(event);
        if (event == Event::application_data || event == Event::early_data) {
            Buf& into = event == Event::early_data ? seen.early : seen.received;
            const Bytes d = to.application_data();
            into.insert(into.end(), d.begin(), d.end());
        }
        if (used == 0) break;
    }
}

// Delivers everything `from` has queued to `to` (a hook may rewrite the bytes on the way).
// Returns whether anything moved.
using Tamper = std::function<void(Buf&)>;
inline bool deliver(Connection& from, Connection& to, Seen& seen, const Tamper& tamper = {}) {
    const Bytes out = from.pending_output();
    if (out.empty()) return false;
    Buf bytes(out.begin(), out.end());
    REQUIRE(from.consume_output(out.size()) == TlsError::ok);
    if (tamper) tamper(bytes);
    feed_bytes(to, bytes, seen);
    return true;
}

// Runs both directions until neither side has anything to send.
inline void pump(Connection& client, Connection& server, Seen& at_client, Seen& at_server,
                 const Tamper& to_server = {}, const Tamper& to_client = {}) {
    for (int round = 0; round < 64; round++) {
        bool moved = deliver(client, server, at_server, to_server);
        moved = deliver(server, client, at_client, to_client) || moved;
        if (!moved) return;
    }
    FAIL("the connection did not settle");
}

// Sends `data` from one side to the other in as many send/deliver rounds as it takes.
inline void send_all(Connection& from, Connection& to, Seen& seen, Bytes data) {
    std::size_t sent = 0;
    for (int guard = 0; sent < data.size() && guard < 100000; guard++) {
        std::size_t accepted = 0;
        REQUIRE(from.send(data.subspan(sent), accepted) == TlsError::ok);
        sent += accepted;
        deliver(from, to, seen);
    }
    REQUIRE(sent == data.size());
}

// Feeds one whole record: all of it taken, no error, and the one event expected.
inline void feed_one(Connection& c, const Buf& record, Event expect) {
    std::size_t used = 0;
    Event e = Event::none;
    REQUIRE(c.feed(record, used, e) == TlsError::ok);
    CHECK(used == record.size());
    CHECK(e == expect);
}

// Everything the connection has to send, taken out of it.
inline Buf take_output(Connection& c) {
    const Bytes out = c.pending_output();
    Buf b(out.begin(), out.end());
    if (!b.empty()) REQUIRE(c.consume_output(b.size()) == TlsError::ok);
    return b;
}

}  // namespace padlock::test
