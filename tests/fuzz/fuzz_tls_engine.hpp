// SPDX-License-Identifier: Apache-2.0
// Shared by fuzz_tls_client.cpp and fuzz_tls_server.cpp: a deterministic demo PKI and Rng (so a
// recorded peer flight stays valid for every run), four pairs of configurations (the input's first
// byte picks one: the default x25519/secp256r1 pair; a stateless server (§4.2.2 cookie sealer) that
// wants secp384r1 from a client sharing x25519; secp384r1 shared at once; a stateful
// HelloRetryRequest to secp384r1), and the feed loop with the properties every input must keep:
//   - a failed feed leaves the connection failed (or closed by a peer alert), and the error sticks;
//   - application data is delivered only after the handshake completed;
//   - nothing crashes, leaks or reads out of bounds (ASan/UBSan in the fuzz build).
// Seeds: run a harness with PADLOCK_FUZZ_WRITE_SEEDS=DIR to record the peer's flights of an
// engine-against-engine handshake made with the same deterministic randomness, one per pair.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz.hpp"
#include "tls/cookie.hpp"
#include "tls/engine.hpp"
#include "x509/demo_pki.hpp"

namespace padlock::fuzz {

using namespace padlock::tls;

inline CryptoError counter_fill(void* ctx, MutBytes out) {
    auto& c = *static_cast<std::uint32_t*>(ctx);
    for (auto& b : out) b = std::uint8_t((c++ * 2654435761u) >> 24);
    return CryptoError::ok;
}

constexpr std::int64_t pki_time = 1700000000;

struct EngineSetup {
    x509::TestPki pki;
    EcdsaP256Key server_ec, client_ec;
    SigningKey server_key, client_key;
    x509::Certificate anchor[1];
    Bytes server_chain[1], client_chain[1];
    const CipherSuite* suites[3] = {&tls_aes_128_gcm_sha256, &tls_chacha20_poly1305_sha256, &tls_aes_256_gcm_sha384};
    const KeyShareGroup* groups[2] = {&x25519_group, &secp256r1_group};
    std::uint16_t schemes[2] = {scheme::ecdsa_secp256r1_sha256, scheme::rsa_pss_rsae_sha256};
    std::string_view alpn[2] = {"h2", "http/1.1"};
    const KeyShareGroup* x25519_then_p384[2] = {&x25519_group, &secp384r1_group};
    const KeyShareGroup* p384_then_x25519[2] = {&secp384r1_group, &x25519_group};
    const KeyShareGroup* p384_only[1] = {&secp384r1_group};
    const KeyShareGroup* p384_then_p256[2] = {&secp384r1_group, &secp256r1_group};
    CookieKey cookie_key;
    CookieAead cookie_aead{&cookie_key, {}, 30000};
    CookieSealer cookie_sealer = cookie_aead_sealer(cookie_aead);
    static constexpr std::size_t pairs = 4;
    Config client[pairs], server[pairs];

    EngineSetup() {
        std::uint32_t counter = 1;
        const Rng rng{counter_fill, &counter};
        if (x509::make_test_pki(rng, pki_time, {}, pki) != x509::X509Error::ok) std::abort();
        if (load_ecdsa_p256_key(pki.server.private_key_pkcs8(), server_ec) != TlsError::ok) std::abort();
        if (load_ecdsa_p256_key(pki.client.private_key_pkcs8(), client_ec) != TlsError::ok) std::abort();
        server_key = signing_key_ecdsa_p256(server_ec);
        client_key = signing_key_ecdsa_p256(client_ec);
        if (x509::parse_certificate(pki.ca.certificate(), anchor[0]) != x509::X509Error::ok) std::abort();
        server_chain[0] = pki.server.certificate();
        client_chain[0] = pki.client.certificate();
        cookie_key.aead = &aes_128_gcm_ops;
        for (std::size_t k = 0; k < pairs; k++) {
            for (Config* c : {&client[k], &server[k]}) {
                c->cipher_suites = suites;
                c->groups = groups;
                c->signature_schemes = schemes;
                c->alpn = alpn;
                c->trust_anchors = anchor;
                c->signature_verifier = asn1::verify_signature;
                c->time = pki_time;
            }
            client[k].server_name = "localhost";
            client[k].certificate_chain = client_chain;
            client[k].signing_key = &client_key;
            server[k].certificate_chain = server_chain;
            server[k].signing_key = &server_key;
            server[k].request_client_certificate = true;
        }
        client[1].groups = x25519_then_p384;  // pair 1: stateless HelloRetryRequest to secp384r1
        server[1].groups = p384_only;
        server[1].cookie_sealer = &cookie_sealer;
        client[2].groups = p384_then_x25519;  // pair 2: a secp384r1 share at once
        server[2].groups = p384_then_x25519;
        client[3].groups = x25519_then_p384;  // pair 3: stateful HelloRetryRequest to secp384r1
        server[3].groups = p384_then_p256;
    }
};

inline EngineSetup& engine_setup() {
    static EngineSetup s;
    return s;
}

// The pair of configurations the input's first byte picks.
inline std::size_t pair_of(Bytes input) { return input.empty() ? 0 : input[0] % EngineSetup::pairs; }

// Feeds `input` (after the pair byte and a byte that sets the chunk size) to `conn`, checking the
// properties.
inline void feed_checked(Connection& conn, Bytes input) {
    if (input.size() < 2) return;
    input = input.subspan(1);
    const std::size_t chunk = std::size_t(input[0]) * 8 + 1;
    input = input.subspan(1);
    for (std::size_t at = 0; at < input.size();) {
        const Bytes piece = input.subspan(at, std::min(chunk, input.size() - at));
        std::size_t fed = 0;
        while (fed < piece.size()) {
            std::size_t used = 0;
            Event e = Event::none;
            const TlsError err = conn.feed(piece.subspan(fed), used, e);
            if (err != TlsError::ok) {
                FUZZ_CHECK(conn.state() == State::failed || conn.state() == State::closed || err == TlsError::peer_closed);
                std::size_t again = 0;
                FUZZ_CHECK(conn.feed(piece, again, e) == err && again == 0);
                return;
            }
            if (e == Event::application_data) FUZZ_CHECK(conn.handshake_done());
            fed += used;
            if (used == 0) break;
            const Bytes out = conn.pending_output();
            if (!out.empty()) FUZZ_CHECK(conn.consume_output(out.size()) == TlsError::ok);
        }
        at += piece.size();
    }
    if (std::getenv("PADLOCK_FUZZ_VERBOSE"))
        std::fprintf(stderr, "state %s, error %s\n", state_name(conn.state()), error_name(conn.error()));
}

// Records the peer's bytes of a deterministic handshake with pair k (seed corpus), as k ff || flight.
inline void write_seed(const char* dir, bool record_server_side, std::size_t k) {
    EngineSetup& s = engine_setup();
    auto cm = std::make_unique<ConnectionMemory<>>(), sm = std::make_unique<ConnectionMemory<>>();
    Connection client(*cm), server(*sm);
    std::uint32_t cc = 7, sc = 9;
    if (client.start_client(s.client[k], Rng{counter_fill, &cc}) != TlsError::ok) std::abort();
    if (server.start_server(s.server[k], Rng{counter_fill, &sc}) != TlsError::ok) std::abort();
    std::vector<std::uint8_t> to_client, to_server;
    for (int round = 0; round < 8; round++) {
        for (int dir_ = 0; dir_ < 2; dir_++) {
            Connection& from = dir_ == 0 ? client : server;
            Connection& to = dir_ == 0 ? server : client;
            const Bytes out = from.pending_output();
            std::vector<std::uint8_t> bytes(out.begin(), out.end());
            if (bytes.empty()) continue;
            (void)from.consume_output(bytes.size());
            auto& log = dir_ == 0 ? to_server : to_client;
            log.insert(log.end(), bytes.begin(), bytes.end());
            for (std::size_t at = 0; at < bytes.size();) {
                std::size_t used = 0;
                Event e;
                if (to.feed(Bytes(bytes).subspan(at), used, e) != TlsError::ok || used == 0) break;
                at += used;
            }
        }
    }
    const auto& seed = record_server_side ? to_server : to_client;
    const std::string path = std::string(dir) + "/handshake" + (k ? "-" + std::to_string(k) : "");
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) std::abort();
    std::fputc(int(k), f);
    std::fputc(255, f);  // chunk size 2041: whole records at a time
    std::fwrite(seed.data(), 1, seed.size(), f);
    std::fclose(f);
    std::fprintf(stderr, "wrote %s (%zu bytes; handshake %s)\n", path.c_str(), seed.size(),
                 client.handshake_done() && server.handshake_done() ? "complete" : "INCOMPLETE");
}

inline void write_seeds(const char* dir, bool record_server_side) {
    for (std::size_t k = 0; k < EngineSetup::pairs; k++) write_seed(dir, record_server_side, k);
}

}  // namespace padlock::fuzz
