// SPDX-License-Identifier: Apache-2.0
// The TLS 1.3 engine (tls/engine.hpp, client.cpp, server.cpp) against itself in memory: every suite x
// group x server key type, HelloRetryRequest (stateful, and stateless with ClientHello2 on the same
// or a fresh connection), mutual authentication with and without a client
// certificate, ALPN, record_size_limit 2048 in a small ConnectionMemory, KeyUpdate both ways,
// application data both ways, close_notify, and the key log.
#include <cstring>
#include <fstream>
#include <map>
#include <set>
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

// RFC 8448 as server here (§3, §4 with its 0-RTT data, §5 stateless, §6), as client below: every
// trace byte for byte in both roles.

namespace {

// The first certificate (DER) out of a trace's Certificate message from `actor`:
// type(1) len(3) context(1 = empty) list-len(3) cert-len(3) cert ...
Buf trace_certificate(const std::string& trace, const char* actor = "server") {
    const Buf m = trace_message(trace, actor, "Certificate");
    const std::size_t len = (std::size_t(m[8]) << 16) | (std::size_t(m[9]) << 8) | m[10];
    return Buf(m.begin() + 11, m.begin() + 11 + long(len));
}

// RFC 8448 §6 does not show its private keys, and its signatures (ECDSA; RSA-PSS with a random salt)
// cannot be made again without them. This SigningKey stands for the trace's signer through
// SigningKey::sign (as a hardware key store would): it hands out the trace's CertificateVerify
// signature only when that signature verifies, under the trace certificate's key, over exactly the
// content the engine asks to sign (§4.4.3); anything else fails the handshake.
struct TraceSigner {
    Buf der;
    x509::Certificate cert;
    std::uint16_t code = 0;
    Buf signature;
    Role role;
    int signed_count = 0;
    SigningKey key;
    TraceSigner(const std::string& trace, const char* actor, asn1::KeyType type)
        : der(trace_certificate(trace, actor)), role(std::string(actor) == "server" ? Role::server : Role::client) {
        REQUIRE(x509::parse_certificate(der, cert) == x509::X509Error::ok);
        // CertificateVerify: type(1) len(3) algorithm(2) signature<2>.
        const Buf m = trace_message(trace, actor, "CertificateVerify");
        code = std::uint16_t(m[4] << 8 | m[5]);
        signature.assign(m.begin() + 8, m.end());
        REQUIRE(signature.size() == std::size_t(m[6] << 8 | m[7]));
        key = SigningKey{type, this, sign, type == asn1::KeyType::ec_p256 ? 0 : 8 * signature.size()};
    }
    TraceSigner(const TraceSigner&) = delete;
    TraceSigner& operator=(const TraceSigner&) = delete;
    static TlsError sign(const void* self, std::uint16_t code, Bytes content, const Rng&, MutBytes out, std::size_t& written) {
        auto& t = *const_cast<TraceSigner*>(static_cast<const TraceSigner*>(self));
        const std::uint8_t offered[2] = {std::uint8_t(code >> 8), std::uint8_t(code)};
        // The content ends with the transcript hash (SHA-256 in §6's suite).
        if (code != t.code || content.size() < 32 ||
            verify_certificate_verify(t.cert.public_key, code, Bytes(offered, 2), t.role, content.last(32), t.signature) !=
                TlsError::ok)
            return TlsError::crypto_failure;
        if (out.size() < t.signature.size()) return TlsError::buffer_too_small;
        std::copy(t.signature.begin(), t.signature.end(), out.begin());
        written = t.signature.size();
        t.signed_count++;
        return TlsError::ok;
    }
};

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
        cert = trace_certificate(trace);
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

// RFC 8448's server seals its tickets in its own format. This sealer stands for that server through
// Config::ticket_sealer: it "seals" by handing out §3's ticket octets (keeping the state the engine
// asked to seal), and opens exactly those octets into the state §3's NewSessionTicket describes:
// TLS_AES_128_GCM_SHA256, ticket_lifetime 30 s, ticket_age_add 0x933d0932, max_early_data_size 1024,
// the PSK computed here from the trace's resumption_master_secret, not from the engine.
struct TraceTicketSealer {
    Buf ticket;
    Buf psk;
    int sealed = 0;
    Buf sealed_psk;  // the PSK of the state the engine asked to seal
    std::uint32_t sealed_age_add = 0, sealed_max_early_data = 0;
    static TlsError seal(const void* ctx, const SessionState& st, const Rng&, MutBytes out, std::size_t& written) {
        auto& t = *const_cast<TraceTicketSealer*>(static_cast<const TraceTicketSealer*>(ctx));
        t.sealed++;
        t.sealed_psk.assign(st.psk.view().begin(), st.psk.view().end());
        t.sealed_age_add = st.age_add;
        t.sealed_max_early_data = st.max_early_data_size;
        if (out.size() < t.ticket.size()) return TlsError::buffer_too_small;
        std::copy(t.ticket.begin(), t.ticket.end(), out.begin());
        written = t.ticket.size();
        return TlsError::ok;
    }
    static TlsError open(const void* ctx, Bytes ticket, std::uint64_t now_ms, SessionState& out) {
        const auto& t = *static_cast<const TraceTicketSealer*>(ctx);
        if (ticket.size() != t.ticket.size() || !std::equal(ticket.begin(), ticket.end(), t.ticket.begin()))
            return TlsError::ticket_invalid;
        out.cipher_suite = 0x1301;
        out.lifetime = 30;
        out.age_add = 0x933d0932;
        out.max_early_data_size = 1024;
        out.issue_time_ms = now_ms;  // §4's client says the ticket is 5 ms old: within the §8.3 window
        return out.psk.assign(t.psk);
    }
    // §3's ticket, and the PSK §3's resumption_master_secret gives for its ticket_nonce 00 00.
    TraceTicketSealer() {
        const std::string t3 = "simple_1rtt.json";
        const Buf nst = trace_message(t3, "server", "NewSessionTicket");
        // NewSessionTicket: type(1) len(3) lifetime(4) age_add(4) ticket_nonce<1> = 02 00 00, ticket<2>.
        REQUIRE(hex(Bytes(nst).subspan(4, 11)) == "0000001e933d0932" "020000");
        const std::size_t ticket_len = (std::size_t(nst[15]) << 8) | nst[16];
        ticket.assign(nst.begin() + 17, nst.begin() + 17 + long(ticket_len));
        Secret s;
        REQUIRE(resumption_psk(sha256_ops, trace_field(t3, "client", "derive secret \"tls13 res master\"", "expanded"),
                               Buf{0x00, 0x00}, s) == TlsError::ok);
        psk.assign(s.view().begin(), s.view().end());
    }
};

// §8.2 ClientHello recording for the tests: the binders seen.
struct ReplayStore {
    std::set<Buf> binders;
    static bool first_use(void* ctx, Bytes binder) {
        return static_cast<ReplayStore*>(ctx)->binders.insert(Buf(binder.begin(), binder.end())).second;
    }
};

TEST_CASE("RFC 8448 §3 simple 1-RTT: the engine as server, byte for byte", "[tls][engine][rfc8448]") {
    const std::string t = "simple_1rtt.json";
    const Buf sh = trace_message(t, "server", "ServerHello");
    const Buf cv_msg = trace_message(t, "server", "CertificateVerify");
    Rfc8448Server srv(t, x25519_group, announced_3);
    Config& config = srv.config;
    KeyLogSecrets& log = srv.log;
    // Its tickets: the trace's ticket octets (TraceTicketSealer), a 30 s lifetime, 0-RTT allowed.
    TraceTicketSealer sealer;
    const TicketSealer ticket_sealer{TraceTicketSealer::seal, TraceTicketSealer::open, &sealer};
    ReplayStore replay;
    config.ticket_sealer = &ticket_sealer;
    config.ticket_lifetime = 30;
    config.max_early_data_size = 1024;
    config.early_data_replay = {ReplayStore::first_use, &replay};

    // The server draws, in order: its Random (§4.1.3), its x25519 private key, the PSS salt (then
    // the RSA blinding, from system randomness); later the NewSessionTicket's ticket_age_add.
    ScriptedRng rng;
    rng.script = {Buf(sh.begin() + 6, sh.begin() + 38),
                  trace_field(t, "server", "create an ephemeral x25519 key pair", "private key"),
                  recover_pss_salt_sha256(srv.key.public_key(), Bytes(cv_msg).subspan(8))};

    Endpoint<> server;
    REQUIRE(server.conn.start_server(config, rng.rng()) == TlsError::ok);
    feed_one(server.conn, trace_field(t, "client", "send handshake record", "complete record", 0), Event::none);
    CHECK_FALSE(rng.mismatch);
    CHECK(rng.next == 3);
    const Buf flight = take_output(server.conn);
    const Buf want_sh = trace_field(t, "server", "send handshake record", "complete record", 0);
    const Buf want_flight = trace_field(t, "server", "send handshake record", "complete record", 1);
    REQUIRE(flight.size() == want_sh.size() + want_flight.size());
    CHECK(hex(Bytes(flight).first(want_sh.size())) == hex(want_sh));       // ServerHello record
    CHECK(hex(Bytes(flight).subspan(want_sh.size())) == hex(want_flight));  // {EE Certificate CV Finished}

    // Every secret the key log saw is the trace's.
    check_secrets(log, t, secret_labels);

    // The client's Finished completes the handshake, and the server sends its NewSessionTicket: the
    // trace's record, for the PSK the trace's resumption_master_secret gives (the sealer saw it).
    rng.script.push_back(Buf{0x93, 0x3d, 0x09, 0x32});  // ticket_age_add
    rng.next = 3;
    feed_one(server.conn, trace_field(t, "client", "send handshake record", "complete record", 1), Event::handshake_complete);
    REQUIRE(server.conn.handshake_done());
    CHECK(rng.next == 4);
    CHECK(hex(take_output(server.conn)) == hex(trace_field(t, "server", "send handshake record", "complete record", 2)));
    CHECK(sealer.sealed == 1);
    CHECK(hex(sealer.sealed_psk) == hex(sealer.psk));
    CHECK(sealer.sealed_age_add == 0x933d0932);
    CHECK(sealer.sealed_max_early_data == 1024);
    CHECK(log.hex_by_label.size() == 5);  // the key log has no line for the resumption secret

    // The client's application data opens to the trace's payload; ours and our close_notify are the trace's.
    feed_one(server.conn, trace_field(t, "client", "send application_data record", "complete record"), Event::application_data);
    CHECK(hex(server.conn.application_data()) == hex(trace_field(t, "client", "send application_data record", "payload")));
    const Buf payload = trace_field(t, "server", "send application_data record", "payload");
    std::size_t accepted = 0;
    REQUIRE(server.conn.send(payload, accepted) == TlsError::ok);
    CHECK(accepted == payload.size());
    CHECK(hex(take_output(server.conn)) == hex(trace_field(t, "server", "send application_data record", "complete record")));
    REQUIRE(server.conn.close() == TlsError::ok);
    CHECK(hex(take_output(server.conn)) == hex(trace_field(t, "server", "send alert record", "complete record")));
    // And the client's close_notify.
    feed_one(server.conn, trace_field(t, "client", "send alert record", "complete record"), Event::close_notify);
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

    // ClientHello1 -> the HelloRetryRequest record, byte for byte, from a server that draws no
    // randomness for it and keeps nothing afterwards (its memory is dropped).
    {
        ScriptedRng none;
        Endpoint<> first;
        REQUIRE(first.conn.start_server(config, none.rng()) == TlsError::ok);
        feed_one(first.conn, trace_field(t, "client", "send handshake record", "complete record", 0), Event::none);
        CHECK(hex(take_output(first.conn)) == hex(trace_field(t, "server", "send handshake record", "complete record", 0)));
        CHECK(none.next == 0);
        CHECK(sealer.sealed == 1);
        CHECK(sealer.asked.cipher_suite == 0x1301);
        CHECK(sealer.asked.selected_group == 0x0017);
        CHECK(hex(Bytes(sealer.asked.client_hello1_hash, sealer.asked.hash_size)) == hex(ch1_hash));
        // What ClientHello2 must repeat: kept as the engine asked (a sealer's job).
        std::copy(std::begin(sealer.asked.client_hello1_invariants), std::end(sealer.asked.client_hello1_invariants),
                  sealer.state.client_hello1_invariants);
    }

    // ClientHello2 on a fresh connection: the server draws its Random, its P-256 private key (then 32
    // octets of projective blinding, which do not change the key), and the PSS salt.
    ScriptedRng rng;
    rng.script = {Buf(sh.begin() + 6, sh.begin() + 38),
                  trace_field(t, "server", "create an ephemeral P-256 key pair", "private key"), filler(32, 3),
                  recover_pss_salt_sha256(srv.key.public_key(), Bytes(cv_msg).subspan(8))};
    Endpoint<> server;
    REQUIRE(server.conn.start_server(config, rng.rng()) == TlsError::ok);
    feed_one(server.conn, trace_field(t, "client", "send handshake record", "complete record", 1), Event::none);
    CHECK_FALSE(rng.mismatch);
    CHECK(rng.next == 4);
    CHECK(server.conn.hello_retry_request());
    CHECK(server.conn.key_share_group() == &secp256r1_group);
    const Buf flight = take_output(server.conn);
    const Buf want_sh = trace_field(t, "server", "send handshake record", "complete record", 1);
    const Buf want_flight = trace_field(t, "server", "send handshake record", "complete record", 2);
    REQUIRE(flight.size() == want_sh.size() + want_flight.size());
    CHECK(hex(Bytes(flight).first(want_sh.size())) == hex(want_sh));       // ServerHello record
    CHECK(hex(Bytes(flight).subspan(want_sh.size())) == hex(want_flight));  // {EE Certificate CV Finished}

    check_secrets(log, t, secret_labels);

    // The client's Finished, then both close_notify records (§5 sends no application data).
    feed_one(server.conn, trace_field(t, "client", "send handshake record", "complete record", 2), Event::handshake_complete);
    REQUIRE(server.conn.handshake_done());
    REQUIRE(server.conn.close() == TlsError::ok);
    CHECK(hex(take_output(server.conn)) == hex(trace_field(t, "server", "send alert record", "complete record")));
    feed_one(server.conn, trace_field(t, "client", "send alert record", "complete record"), Event::close_notify);
    CHECK(server.conn.state() == State::closed);
}

// RFC 8448 §4's ticket is §3's server's opaque octets. This sealer stands for that server through
// Config::ticket_sealer: it opens exactly those octets into the session §3 established (its PSK
// derived here from §3's resumption_master_secret, §4.6.1), and seals nothing.

// RFC 8448 §4 as server: §3's ticket resumed (psk_dhe_ke) with 0-RTT data, which this server takes
// (Config::max_early_data_size, an anti-replay store). Every record and secret is the trace's: the
// ServerHello, {EncryptedExtensions (with early_data) Finished}, the client's early data opened
// under the client_early_traffic_secret, its EndOfEarlyData and Finished, then data and close.
TEST_CASE("RFC 8448 §4 resumed 0-RTT handshake: the engine as server, byte for byte", "[tls][engine][rfc8448][resumption]") {
    const std::string t = "resumed_0rtt.json", t3 = "simple_1rtt.json";
    const Buf sh = trace_message(t, "server", "ServerHello");
    TraceTicketSealer sealer;
    // §4's Early Secret is HKDF-Extract(0, that PSK).
    CHECK(hex(sealer.psk) == hex(trace_field(t, "client", "extract secret \"early\"", "IKM")));
    const TicketSealer ticket_sealer{TraceTicketSealer::seal, TraceTicketSealer::open, &sealer};
    ReplayStore replay;

    // §3's server: its certificate and RSA key (a resumed handshake uses neither, but a server has
    // them); the trace's server sends no NewSessionTicket on this connection.
    Rfc8448Server srv(t3, x25519_group, announced_3);
    Config& config = srv.config;
    KeyLogSecrets& log = srv.log;
    config.ticket_sealer = &ticket_sealer;
    config.send_session_ticket = false;
    config.max_early_data_size = 1024;
    config.early_data_replay = {ReplayStore::first_use, &replay};

    // The server draws its Random and its x25519 private key.
    ScriptedRng rng;
    rng.script = {Buf(sh.begin() + 6, sh.begin() + 38), trace_field(t, "server", "create an ephemeral x25519 key pair", "private key")};
    Endpoint<> server;
    REQUIRE(server.conn.start_server(config, rng.rng()) == TlsError::ok);
    // The binder verifies (§4.2.11.2; else decrypt_error) and the early data is taken.
    feed_one(server.conn, trace_field(t, "client", "send handshake record", "complete record", 0), Event::none);
    CHECK_FALSE(rng.mismatch);
    CHECK(rng.next == 2);
    CHECK(server.conn.resumed());
    CHECK(server.conn.early_data_accepted());
    CHECK(replay.binders.size() == 1);
    CHECK(server.conn.state() == State::server_wait_end_of_early_data);
    const Buf flight = take_output(server.conn);
    const Buf want_sh = trace_field(t, "server", "send handshake record", "complete record", 0);
    const Buf want_flight = trace_field(t, "server", "send handshake record", "complete record", 1);
    REQUIRE(flight.size() == want_sh.size() + want_flight.size());
    CHECK(hex(Bytes(flight).first(want_sh.size())) == hex(want_sh));       // ServerHello record
    CHECK(hex(Bytes(flight).subspan(want_sh.size())) == hex(want_flight));  // {EncryptedExtensions Finished}
    check_secrets(log, t, secret_labels);
    CHECK(log.hex_by_label["CLIENT_EARLY_TRAFFIC_SECRET"] ==
          hex(trace_field(t, "client", "derive secret \"tls13 c e traffic\"", "expanded")));

    // The client's 0-RTT record, under the early key: Event::early_data with the trace's payload.
    feed_one(server.conn, trace_field(t, "client", "send application_data record", "complete record", 0), Event::early_data);
    CHECK(hex(server.conn.application_data()) == hex(trace_field(t, "client", "send application_data record", "payload", 0)));
    // EndOfEarlyData (still under the early key, §4.5), then Finished under the handshake key.
    feed_one(server.conn, trace_field(t, "client", "send handshake record", "complete record", 1), Event::none);
    CHECK(server.conn.state() == State::server_wait_client_finished);
    feed_one(server.conn, trace_field(t, "client", "send handshake record", "complete record", 2), Event::handshake_complete);
    REQUIRE(server.conn.handshake_done());
    CHECK(take_output(server.conn).empty());  // no NewSessionTicket (send_session_ticket = false)

    // Application data both ways and the close, the trace's records.
    feed_one(server.conn, trace_field(t, "client", "send application_data record", "complete record", 1), Event::application_data);
    CHECK(hex(server.conn.application_data()) == hex(trace_field(t, "client", "send application_data record", "payload", 1)));
    const Buf payload = trace_field(t, "server", "send application_data record", "payload");
    std::size_t accepted = 0;
    REQUIRE(server.conn.send(payload, accepted) == TlsError::ok);
    CHECK(accepted == payload.size());
    CHECK(hex(take_output(server.conn)) == hex(trace_field(t, "server", "send application_data record", "complete record")));
    feed_one(server.conn, trace_field(t, "client", "send alert record", "complete record"), Event::close_notify);
    REQUIRE(server.conn.close() == TlsError::ok);
    CHECK(hex(take_output(server.conn)) == hex(trace_field(t, "server", "send alert record", "complete record")));
    CHECK(server.conn.state() == State::closed);

    // The same ClientHello again (a replay, §8): resumed, but its early data is not taken.
    Endpoint<> again;
    ScriptedRng rng2;
    rng2.script = rng.script;
    REQUIRE(again.conn.start_server(config, rng2.rng()) == TlsError::ok);
    feed_one(again.conn, trace_field(t, "client", "send handshake record", "complete record", 0), Event::none);
    CHECK(again.conn.resumed());
    CHECK_FALSE(again.conn.early_data_accepted());
    CHECK(again.conn.state() == State::server_wait_client_finished);
    // Its 0-RTT record and EndOfEarlyData are skipped (§4.2.10), not delivered.
    feed_one(again.conn, trace_field(t, "client", "send application_data record", "complete record", 0), Event::none);
    feed_one(again.conn, trace_field(t, "client", "send handshake record", "complete record", 1), Event::none);
}

// ---- RFC 8448 as client. A ClientHello is hashed into every secret after it, so the client must
// send the trace's octet for octet. The traces' client (NSS) offers more than padlock can do: the
// test's Config names those extra codes (Config::announced_groups, announced_signature_schemes),
// the two TLS 1.2 extensions (renegotiation_info, RFC 5746; session_ticket, RFC 5077) as
// Config::extra_extensions, and RFC 7685 padding; padlock still negotiates only what it has. The
// server's certificate (CN=rsa, no subjectAltName: no name would match "server") is trusted by its
// pinned key (Config::pinned_keys, RFC 7671 §5.1).
namespace {

// The trace's ClientHello signature_algorithms (0603, 0203, 0201 and the DSA codes included).
const std::uint16_t trace_client_schemes[] = {0x0403, 0x0503, 0x0603, 0x0203, 0x0804, 0x0805, 0x0806, 0x0401,
                                              0x0501, 0x0601, 0x0201, 0x0402, 0x0502, 0x0602, 0x0202};
const std::uint8_t renegotiation_info_initial[1] = {0};  // RFC 5746 §3.4: an empty renegotiated_connection

struct Rfc8448Client {
    Buf server_cert;
    x509::Certificate parsed;
    Bytes pins[1];
    KeyLogSecrets log;
    StoredSession session;
    Config config;
    std::vector<Config::RawExtension> extras;

    // `certificate_trace`: the trace whose server Certificate is pinned.
    Rfc8448Client(const std::string& certificate_trace, std::span<const KeyShareGroup* const> groups) {
        server_cert = trace_certificate(certificate_trace);
        REQUIRE(x509::parse_certificate(server_cert, parsed) == x509::X509Error::ok);
        pins[0] = parsed.spki;
        static const CipherSuite* const suites[] = {&tls_aes_128_gcm_sha256, &tls_chacha20_poly1305_sha256,
                                                    &tls_aes_256_gcm_sha384};
        static const std::uint16_t schemes[] = {scheme::ecdsa_secp256r1_sha256, scheme::rsa_pss_rsae_sha256};
        config.cipher_suites = suites;
        config.groups = groups;
        config.signature_schemes = schemes;
        config.announced_signature_schemes = trace_client_schemes;
        config.server_name = "server";
        config.signature_verifier = asn1::verify_signature;
        config.pinned_keys = pins;
        config.middlebox_compatibility = false;  // no legacy_session_id, no change_cipher_spec
        config.key_log = {&KeyLogSecrets::write, &log};
        config.new_session = &session;  // keeps tickets, so it sends psk_key_exchange_modes
        extras.push_back({ext::server_name, 0xff01, Bytes(renegotiation_info_initial, 1)});
    }
    Rfc8448Client(const Rfc8448Client&) = delete;
    Rfc8448Client& operator=(const Rfc8448Client&) = delete;
    void bind() { config.extra_extensions = extras; }
};

}  // namespace

TEST_CASE("RFC 8448 §3 simple 1-RTT: the engine as client, byte for byte", "[tls][engine][rfc8448][client]") {
    const std::string t = "simple_1rtt.json";
    const Buf ch = trace_message(t, "client", "ClientHello");
    static const KeyShareGroup* const groups[] = {&x25519_group};
    Rfc8448Client cl(t, groups);
    cl.config.announced_groups = announced_3;
    cl.extras.push_back({ext::supported_groups, 0x0023, Bytes()});  // session_ticket, empty
    cl.bind();

    // The client draws its Random and its x25519 private key.
    ScriptedRng rng;
    rng.script = {Buf(ch.begin() + 6, ch.begin() + 38), trace_field(t, "client", "create an ephemeral x25519 key pair", "private key")};
    Endpoint<> client;
    REQUIRE(client.conn.start_client(cl.config, rng.rng()) == TlsError::ok);
    CHECK_FALSE(rng.mismatch);
    CHECK(rng.next == 2);
    CHECK(hex(take_output(client.conn)) == hex(trace_field(t, "client", "send handshake record", "complete record", 0)));

    // The server's ServerHello and {EE Certificate CV Finished}: our Finished is the trace's.
    feed_one(client.conn, trace_field(t, "server", "send handshake record", "complete record", 0), Event::none);
    feed_one(client.conn, trace_field(t, "server", "send handshake record", "complete record", 1), Event::handshake_complete);
    REQUIRE(client.conn.handshake_done());
    CHECK(hex(take_output(client.conn)) == hex(trace_field(t, "client", "send handshake record", "complete record", 1)));
    check_secrets(cl.log, t, secret_labels);

    // The NewSessionTicket (its early_data extension is allowed there and ignored: we never send
    // 0-RTT) is stored, with the trace's resumption PSK (§4.6.1, ticket_nonce 00 00).
    feed_one(client.conn, trace_field(t, "server", "send handshake record", "complete record", 2), Event::none);
    REQUIRE(cl.session.ticket_size > 0);
    Secret psk;
    REQUIRE(resumption_psk(sha256_ops, trace_field(t, "client", "derive secret \"tls13 res master\"", "expanded"),
                           Buf{0x00, 0x00}, psk) == TlsError::ok);
    CHECK(hex(cl.session.psk.view()) == hex(psk.view()));
    CHECK(cl.session.age_add == 0x933d0932);

    // Application data both ways, then both close_notify records.
    const Buf payload = trace_field(t, "client", "send application_data record", "payload");
    std::size_t accepted = 0;
    REQUIRE(client.conn.send(payload, accepted) == TlsError::ok);
    CHECK(accepted == payload.size());
    CHECK(hex(take_output(client.conn)) == hex(trace_field(t, "client", "send application_data record", "complete record")));
    feed_one(client.conn, trace_field(t, "server", "send application_data record", "complete record"), Event::application_data);
    CHECK(hex(client.conn.application_data()) == hex(trace_field(t, "server", "send application_data record", "payload")));
    REQUIRE(client.conn.close() == TlsError::ok);
    CHECK(hex(take_output(client.conn)) == hex(trace_field(t, "client", "send alert record", "complete record")));
    feed_one(client.conn, trace_field(t, "server", "send alert record", "complete record"), Event::close_notify);
    CHECK(client.conn.state() == State::closed);
}

TEST_CASE("RFC 8448 §5 HelloRetryRequest: the engine as client, byte for byte", "[tls][engine][rfc8448][client][hrr]") {
    const std::string t = "hello_retry_request.json";
    const Buf ch1 = trace_message(t, "client", "ClientHello", 0);
    // ClientHello1 names x25519, secp256r1, secp384r1 with an x25519 share; the server asks for secp256r1.
    static const KeyShareGroup* const groups[] = {&x25519_group, &secp256r1_group, &secp384r1_group};
    Rfc8448Client cl(t, groups);
    cl.config.client_hello_padding = true;  // ClientHello2 is padded to 512 octets (RFC 7685)
    cl.bind();

    // Its Random and x25519 key; after the HelloRetryRequest, its P-256 private key.
    ScriptedRng rng;
    rng.script = {Buf(ch1.begin() + 6, ch1.begin() + 38), trace_field(t, "client", "create an ephemeral x25519 key pair", "private key"),
                  trace_field(t, "client", "create an ephemeral P-256 key pair", "private key")};
    Endpoint<> client;
    REQUIRE(client.conn.start_client(cl.config, rng.rng()) == TlsError::ok);
    CHECK(hex(take_output(client.conn)) == hex(trace_field(t, "client", "send handshake record", "complete record", 0)));
    feed_one(client.conn, trace_field(t, "server", "send handshake record", "complete record", 0), Event::none);  // HRR
    CHECK_FALSE(rng.mismatch);
    CHECK(rng.next == 3);
    CHECK(client.conn.hello_retry_request());
    CHECK(hex(take_output(client.conn)) == hex(trace_field(t, "client", "send handshake record", "complete record", 1)));

    feed_one(client.conn, trace_field(t, "server", "send handshake record", "complete record", 1), Event::none);
    feed_one(client.conn, trace_field(t, "server", "send handshake record", "complete record", 2), Event::handshake_complete);
    CHECK(client.conn.key_share_group() == &secp256r1_group);
    CHECK(hex(take_output(client.conn)) == hex(trace_field(t, "client", "send handshake record", "complete record", 2)));
    check_secrets(cl.log, t, secret_labels);
    REQUIRE(client.conn.close() == TlsError::ok);
    CHECK(hex(take_output(client.conn)) == hex(trace_field(t, "client", "send alert record", "complete record")));
    feed_one(client.conn, trace_field(t, "server", "send alert record", "complete record"), Event::close_notify);
}

// §4 as client: §3's ticket resumed with 0-RTT (Config::early_data): the ClientHello and the early
// application_data record, EndOfEarlyData and Finished, every secret, then data both ways and close.
// The session is the one §3's NewSessionTicket stores (store_session); its age is chosen so that
// the obfuscated_ticket_age comes out as the trace's.
TEST_CASE("RFC 8448 §4 resumed 0-RTT handshake: the engine as client, byte for byte", "[tls][engine][rfc8448][client][resumption]") {
    const std::string t = "resumed_0rtt.json", t3 = "simple_1rtt.json";
    const Buf ch = trace_message(t, "client", "ClientHello");
    const Buf nst_msg = trace_message(t3, "server", "NewSessionTicket");
    NewSessionTicket nst;
    REQUIRE(parse_new_session_ticket(Bytes(nst_msg).subspan(4), nst) == TlsError::ok);
    // The trace's obfuscated_ticket_age: the last 4 octets of the one PskIdentity, where the trace's
    // ClientHello stops (it shows the message up to the binders, §4.2.11.2).
    const std::size_t age_at = ch.size() - 4;
    const std::uint32_t obfuscated = std::uint32_t(ch[age_at]) << 24 | std::uint32_t(ch[age_at + 1]) << 16 |
                                     std::uint32_t(ch[age_at + 2]) << 8 | ch[age_at + 3];
    const std::int64_t now = 1500000000;
    StoredSession resume;
    REQUIRE(store_session(nst, tls_aes_128_gcm_sha256, trace_field(t3, "client", "derive secret \"tls13 res master\"", "expanded"),
                          std::uint64_t(now) * 1000 - (obfuscated - nst.ticket_age_add), resume) == TlsError::ok);
    CHECK(resume.max_early_data_size == 1024);

    static const KeyShareGroup* const groups[] = {&x25519_group};
    Rfc8448Client cl(t3, groups);
    cl.config.announced_groups = announced_3;
    cl.config.resume = &resume;
    cl.config.time = now;
    cl.config.client_hello_padding = true;
    const Buf early = trace_field(t, "client", "send application_data record", "payload", 0);
    cl.config.early_data = early;
    cl.bind();
    ScriptedRng rng;
    rng.script = {Buf(ch.begin() + 6, ch.begin() + 38), trace_field(t, "client", "create an ephemeral x25519 key pair", "private key")};
    Endpoint<> client;
    REQUIRE(client.conn.start_client(cl.config, rng.rng()) == TlsError::ok);
    CHECK_FALSE(rng.mismatch);
    // ClientHello, then the early data record.
    CHECK(hex(take_output(client.conn)) == hex(trace_field(t, "client", "send handshake record", "complete record", 0)) +
                                              hex(trace_field(t, "client", "send application_data record", "complete record", 0)));
    CHECK(cl.log.hex_by_label["CLIENT_EARLY_TRAFFIC_SECRET"] == hex(trace_field(t, "client", "derive secret \"tls13 c e traffic\"", "expanded")));

    feed_one(client.conn, trace_field(t, "server", "send handshake record", "complete record", 0), Event::none);
    feed_one(client.conn, trace_field(t, "server", "send handshake record", "complete record", 1), Event::handshake_complete);
    CHECK(client.conn.resumed());
    CHECK(client.conn.early_data_accepted());
    // EndOfEarlyData (under the early key), then Finished.
    CHECK(hex(take_output(client.conn)) == hex(trace_field(t, "client", "send handshake record", "complete record", 1)) +
                                              hex(trace_field(t, "client", "send handshake record", "complete record", 2)));
    check_secrets(cl.log, t, secret_labels);

    const Buf payload = trace_field(t, "client", "send application_data record", "payload", 1);
    std::size_t accepted = 0;
    REQUIRE(client.conn.send(payload, accepted) == TlsError::ok);
    CHECK(hex(take_output(client.conn)) == hex(trace_field(t, "client", "send application_data record", "complete record", 1)));
    feed_one(client.conn, trace_field(t, "server", "send application_data record", "complete record"), Event::application_data);
    CHECK(hex(client.conn.application_data()) == hex(trace_field(t, "server", "send application_data record", "payload")));
    REQUIRE(client.conn.close() == TlsError::ok);
    CHECK(hex(take_output(client.conn)) == hex(trace_field(t, "client", "send alert record", "complete record")));
    feed_one(client.conn, trace_field(t, "server", "send alert record", "complete record"), Event::close_notify);
}

// RFC 8448 §6 shows neither certificate's private key ("Note that private keys for the
// certificates used this example are not shown"): each side's CertificateVerify comes from a
// TraceSigner, which hands out the trace's signature only if it verifies over what our engine asks
// to sign, so every record still comes out byte for byte. The trace's client certificate (CN=client,
// no subjectAltName) and server certificate are trusted by their pinned keys (RFC 7671 §5.1).
TEST_CASE("RFC 8448 §6 client authentication: the engine as client, byte for byte", "[tls][engine][rfc8448][client][mtls]") {
    const std::string t = "client_auth.json";
    const Buf ch = trace_message(t, "client", "ClientHello");
    static const KeyShareGroup* const groups[] = {&x25519_group};
    Rfc8448Client cl(t, groups);
    TraceSigner signer(t, "client", asn1::KeyType::rsa);
    const Bytes chain[1] = {signer.der};
    cl.config.announced_groups = announced_3;
    cl.config.certificate_chain = chain;
    cl.config.signing_key = &signer.key;
    cl.bind();
    ScriptedRng rng;
    rng.script = {Buf(ch.begin() + 6, ch.begin() + 38), trace_field(t, "client", "create an ephemeral x25519 key pair", "private key")};
    Endpoint<> client;
    REQUIRE(client.conn.start_client(cl.config, rng.rng()) == TlsError::ok);
    CHECK(hex(take_output(client.conn)) == hex(trace_field(t, "client", "send handshake record", "complete record", 0)));
    feed_one(client.conn, trace_field(t, "server", "send handshake record", "complete record", 0), Event::none);
    feed_one(client.conn, trace_field(t, "server", "send handshake record", "complete record", 1), Event::handshake_complete);
    CHECK(client.conn.peer_signature_scheme() == scheme::ecdsa_secp256r1_sha256);  // the trace's, verified
    check_secrets(cl.log, t, secret_labels);
    // {Certificate CertificateVerify Finished}: the trace's record.
    CHECK(hex(take_output(client.conn)) == hex(trace_field(t, "client", "send handshake record", "complete record", 1)));
    CHECK(signer.signed_count == 1);
    CHECK(client.conn.signature_scheme() == scheme::rsa_pss_rsae_sha256);
    REQUIRE(client.conn.close() == TlsError::ok);
    CHECK(hex(take_output(client.conn)) == hex(trace_field(t, "client", "send alert record", "complete record")));
    feed_one(client.conn, trace_field(t, "server", "send alert record", "complete record"), Event::close_notify);
}

// §6 as server: ServerHello and {EncryptedExtensions CertificateRequest Certificate
// CertificateVerify Finished} (the CertificateRequest names the trace's signature_algorithms through
// Config::announced_signature_schemes), then the client's Certificate, its RSA-PSS CertificateVerify
// verified, its Finished, and the close.
TEST_CASE("RFC 8448 §6 client authentication: the engine as server, byte for byte", "[tls][engine][rfc8448][mtls]") {
    const std::string t = "client_auth.json";
    const Buf sh = trace_message(t, "server", "ServerHello");
    TraceSigner signer(t, "server", asn1::KeyType::ec_p256);
    const Bytes chain[1] = {signer.der};
    const Buf client_cert = trace_certificate(t, "client");
    x509::Certificate client_parsed;
    REQUIRE(x509::parse_certificate(client_cert, client_parsed) == x509::X509Error::ok);
    const Bytes pins[1] = {client_parsed.spki};
    static const CipherSuite* const suites[] = {&tls_aes_128_gcm_sha256};
    static const KeyShareGroup* const groups[] = {&x25519_group};
    static const std::uint16_t schemes[] = {scheme::ecdsa_secp256r1_sha256, scheme::rsa_pss_rsae_sha256};
    KeyLogSecrets log;
    Config config;
    config.cipher_suites = suites;
    config.groups = groups;
    config.signature_schemes = schemes;
    config.announced_signature_schemes = trace_client_schemes;  // the trace's CertificateRequest list
    config.announced_groups = announced_3;
    config.certificate_chain = chain;
    config.signing_key = &signer.key;
    config.signature_verifier = asn1::verify_signature;
    config.request_client_certificate = true;
    config.require_client_certificate = true;
    config.pinned_keys = pins;
    config.key_log = {&KeyLogSecrets::write, &log};

    ScriptedRng rng;  // its Random, its x25519 key
    rng.script = {Buf(sh.begin() + 6, sh.begin() + 38), trace_field(t, "server", "create an ephemeral x25519 key pair", "private key")};
    Endpoint<> server;
    REQUIRE(server.conn.start_server(config, rng.rng()) == TlsError::ok);
    feed_one(server.conn, trace_field(t, "client", "send handshake record", "complete record", 0), Event::none);
    CHECK_FALSE(rng.mismatch);
    CHECK(rng.next == 2);
    const Buf flight = take_output(server.conn);
    const Buf want_sh = trace_field(t, "server", "send handshake record", "complete record", 0);
    const Buf want_flight = trace_field(t, "server", "send handshake record", "complete record", 1);
    REQUIRE(flight.size() == want_sh.size() + want_flight.size());
    CHECK(hex(Bytes(flight).first(want_sh.size())) == hex(want_sh));
    CHECK(hex(Bytes(flight).subspan(want_sh.size())) == hex(want_flight));
    CHECK(signer.signed_count == 1);
    check_secrets(log, t, secret_labels);

    feed_one(server.conn, trace_field(t, "client", "send handshake record", "complete record", 1), Event::handshake_complete);
    CHECK(server.conn.peer_authenticated());
    CHECK(server.conn.peer_signature_scheme() == scheme::rsa_pss_rsae_sha256);
    CHECK(take_output(server.conn).empty());  // no tickets configured: no NewSessionTicket
    feed_one(server.conn, trace_field(t, "client", "send alert record", "complete record"), Event::close_notify);
    REQUIRE(server.conn.close() == TlsError::ok);
    CHECK(hex(take_output(server.conn)) == hex(trace_field(t, "server", "send alert record", "complete record")));
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

// §4.2.10 0-RTT offered to padlock's server, which refuses it: the early record is skipped, nothing
// of it is delivered, the handshake completes, and the client learns the data was not taken.
// (padlock's tickets allow no early data, so the stored session is told otherwise here; a server
// that takes 0-RTT is in the RFC 8448 §4 test and test_tls_openssl.cpp.)
TEST_CASE("engine vs engine: 0-RTT refused by the server, with and without compatibility mode and HRR", "[tls][engine][resumption][early]") {
    static const TicketKey key = test_ticket_key(1);
    static const TicketKeys keys{&key, nullptr};
    StoredSession session;
    {
        Configs c(ecdsa_pki());
        c.server.ticket_keys = &keys;
        c.client.new_session = &session;
        Pair p;
        handshake(p, c);
        exchange(p, 10);
        REQUIRE(session.ticket_size > 0);
        CHECK(session.max_early_data_size == 0);  // no Config::max_early_data_size: the ticket allows none
    }
    session.max_early_data_size = 1024;
    const Buf early = filler(300, 7);
    for (bool compatibility : {true, false})
        for (bool retry : {false, true}) {
            INFO("compatibility " << compatibility << ", HelloRetryRequest " << retry);
            Configs c(ecdsa_pki());
            c.server.ticket_keys = &keys;
            c.client.resume = &session;
            c.client.early_data = early;
            c.client.middlebox_compatibility = compatibility;
            if (retry) {
                c.client_groups = {&x25519_group, &secp256r1_group};
                c.server_groups = {&secp256r1_group};
            }
            Pair p;
            handshake(p, c);
            CHECK(p.client.conn.resumed());
            CHECK(p.client.conn.hello_retry_request() == retry);
            CHECK_FALSE(p.client.conn.early_data_accepted());
            CHECK(p.at_server.received.empty());
            CHECK_FALSE(p.at_server.has(Event::application_data));
            exchange(p, 100);  // the caller sends it again as ordinary data
        }
    SECTION("data over the ticket's max_early_data_size is not sent early at all") {
        session.max_early_data_size = 10;
        Configs c(ecdsa_pki());
        c.server.ticket_keys = &keys;
        c.client.resume = &session;
        c.client.early_data = early;
        c.bind();
        Endpoint<> client;
        REQUIRE(client.conn.start_client(c.client, system_rng()) == TlsError::ok);
        const Buf first = take_output(client.conn);
        CHECK(first.size() == 5 + ((std::size_t(first[3]) << 8) | first[4]));  // the ClientHello record alone
    }
}

TEST_CASE("engine vs engine: 0-RTT taken by the server (Config::max_early_data_size, §4.2.10, §8)", "[tls][engine][resumption][early]") {
    static const TicketKey key = test_ticket_key(3);
    static const TicketKeys keys{&key, nullptr};
    ReplayStore replay;
    auto server_takes_0rtt = [&](Configs& c) {
        c.server.ticket_keys = &keys;
        c.server.max_early_data_size = 1024;
        c.server.early_data_replay = {ReplayStore::first_use, &replay};
    };
    StoredSession session;
    {
        Configs c(ecdsa_pki());
        server_takes_0rtt(c);
        c.client.new_session = &session;
        Pair p;
        handshake(p, c);
        REQUIRE(session.ticket_size > 0);
        CHECK(session.max_early_data_size == 1024);  // the ticket's early_data extension
    }
    const Buf early = filler(1024, 7);
    for (bool compatibility : {true, false}) {
        INFO("compatibility " << compatibility);
        Configs c(ecdsa_pki());
        server_takes_0rtt(c);
        c.client.resume = &session;
        c.client.early_data = early;
        c.client.middlebox_compatibility = compatibility;
        Pair p;
        handshake(p, c);
        CHECK(p.server.conn.resumed());
        CHECK(p.client.conn.early_data_accepted());
        CHECK(p.server.conn.early_data_accepted());
        CHECK(p.at_server.early == early);
        CHECK(p.at_server.received.empty());  // early data is not application data
        exchange(p, 100);
    }

    // Each of these falls back to 1-RTT: the early data is skipped, the handshake completes.
    const Buf early_again = filler(300, 8);
    auto refused = [&](Configs& c) {
        c.client.resume = &session;
        c.client.early_data = early_again;
        Pair p;
        handshake(p, c);
        CHECK(p.server.conn.resumed());
        CHECK_FALSE(p.client.conn.early_data_accepted());
        CHECK_FALSE(p.server.conn.early_data_accepted());
        CHECK(p.at_server.early.empty());
        CHECK_FALSE(p.at_server.has(Event::early_data));
        exchange(p, 100);
    };
    SECTION("another suite than the ticket's (same hash: resumed, no 0-RTT)") {
        Configs c(ecdsa_pki());
        server_takes_0rtt(c);
        c.server_suites = {&tls_chacha20_poly1305_sha256, &tls_aes_128_gcm_sha256};  // ChaCha preferred
        refused(c);
    }
    SECTION("another ALPN than the ticket's") {
        Configs c(ecdsa_pki());
        server_takes_0rtt(c);
        c.client_alpn = c.server_alpn = {"h2"};
        refused(c);
    }
    SECTION("a ticket age off by more than early_data_window_ms (§8.3)") {
        Configs c(ecdsa_pki());
        server_takes_0rtt(c);
        c.server.time = pki_now + 11;  // the client's clock says the ticket is new
        refused(c);
    }
    SECTION("the anti-replay store says no") {
        Configs c(ecdsa_pki());
        server_takes_0rtt(c);
        c.server.early_data_replay = {[](void*, Bytes) { return false; }, nullptr};
        refused(c);
    }
    SECTION("the server no longer takes 0-RTT") {
        Configs c(ecdsa_pki());
        c.server.ticket_keys = &keys;
        refused(c);
    }
    SECTION("a replayed ClientHello and its early data: taken once (§8.2)") {
        Configs c(ecdsa_pki());
        server_takes_0rtt(c);
        c.client.resume = &session;
        c.client.early_data = early;
        c.bind();
        Endpoint<> client;
        REQUIRE(client.conn.start_client(c.client, system_rng()) == TlsError::ok);
        const Buf first_flight = take_output(client.conn);  // ClientHello, change_cipher_spec, 0-RTT record
        for (int copy = 0; copy < 2; copy++) {
            INFO("copy " << copy);
            Endpoint<> server;
            REQUIRE(server.conn.start_server(c.server, system_rng()) == TlsError::ok);
            Seen seen;
            feed_bytes(server.conn, first_flight, seen);
            CHECK(seen.error == TlsError::ok);
            CHECK(server.conn.early_data_accepted() == (copy == 0));
            CHECK(seen.early == (copy == 0 ? early : Buf{}));
        }
    }
    SECTION("more early data than the ticket allows: unexpected_message") {
        session.max_early_data_size = 4096;  // the client believes it may send more
        Configs c(ecdsa_pki());
        server_takes_0rtt(c);
        c.client.resume = &session;
        const Buf too_much = filler(1025, 9);
        c.client.early_data = too_much;
        Pair p;
        c.bind();
        REQUIRE(p.client.conn.start_client(c.client, system_rng()) == TlsError::ok);
        REQUIRE(p.server.conn.start_server(c.server, system_rng()) == TlsError::ok);
        pump(p.client.conn, p.server.conn, p.at_client, p.at_server);
        CHECK(p.at_server.error == TlsError::early_data_too_large);
        CHECK(p.server.conn.alert_sent() == AlertDescription::unexpected_message);
        CHECK(p.at_server.early.empty());
        CHECK_FALSE(p.server.conn.handshake_done());
    }
    SECTION("a server that takes 0-RTT needs an anti-replay store and tickets") {
        Configs c(ecdsa_pki());
        c.server.max_early_data_size = 1024;
        c.server.ticket_keys = &keys;
        c.bind();
        Endpoint<> server;
        CHECK(server.conn.start_server(c.server, system_rng()) == TlsError::api_misuse);
        c.server.early_data_replay = {ReplayStore::first_use, &replay};
        c.server.ticket_keys = nullptr;
        Endpoint<> server2;
        CHECK(server2.conn.start_server(c.server, system_rng()) == TlsError::api_misuse);
    }
}

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

// The ClientHello of `config` (its first record's handshake message).
Buf client_hello_of(const Config& config) {
    Endpoint<> e;
    REQUIRE(e.conn.start_client(config, system_rng()) == TlsError::ok);
    const Bytes out = e.conn.pending_output();
    return Buf(out.begin() + 5, out.end());
}

// The extensions of a ClientHello message, in order, as (type, body).
std::vector<std::pair<std::uint16_t, Buf>> hello_extensions(const Buf& ch) {
    std::size_t i = 4 + 2 + 32;
    i += 1 + ch[i];                                      // legacy_session_id
    i += 2 + ((std::size_t(ch[i]) << 8) | ch[i + 1]);    // cipher_suites
    i += 1 + ch[i];                                      // legacy_compression_methods
    i += 2;
    std::vector<std::pair<std::uint16_t, Buf>> out;
    while (i + 4 <= ch.size()) {
        const std::uint16_t type = std::uint16_t((ch[i] << 8) | ch[i + 1]);
        const std::size_t len = (std::size_t(ch[i + 2]) << 8) | ch[i + 3];
        out.push_back({type, Buf(ch.begin() + long(i + 4), ch.begin() + long(i + 4 + len))});
        i += 4 + len;
    }
    CHECK(i == ch.size());
    return out;
}

TEST_CASE("engine: ClientHello shaping (announced lists, extra extensions, RFC 7685 padding)", "[tls][engine]") {
    Configs c(ecdsa_pki());
    c.bind();
    SECTION("extra extensions go where they are asked, and a server ignores them") {
        static const std::uint8_t body[3] = {1, 2, 3};
        const Config::RawExtension x[] = {{0xffff, 0xfe00, Bytes(body, 3)}, {ext::supported_groups, 0x0023, Bytes()},
                                          {ext::record_size_limit, 0xff01, Bytes(body, 1)},
                                          {ext::alpn, 0xfe01, Bytes()}};  // no ALPN sent: after record_size_limit
        c.client.extra_extensions = x;
        const auto exts = hello_extensions(client_hello_of(c.client));
        std::vector<std::uint16_t> types;
        for (const auto& [type, b] : exts) types.push_back(type);
        auto at = [&](std::uint16_t type) { return std::find(types.begin(), types.end(), type) - types.begin(); };
        CHECK(types.front() == 0xfe00);
        CHECK(hex(exts.front().second) == "010203");
        CHECK(at(0x0023) == at(ext::supported_groups) + 1);
        CHECK(at(0xff01) == at(ext::record_size_limit) + 1);
        CHECK(at(0xfe01) == at(0xff01) + 1);
        CHECK(std::count(types.begin(), types.end(), 0xfe01) == 1);
        Pair p;
        handshake(p, c);
    }
    SECTION("announced groups and schemes are sent; what is negotiated is still what is enabled") {
        static const std::uint16_t groups[] = {0x0100, 0x001d, 0x0017, 0x0018, 0x0019};
        static const std::uint16_t schemes[] = {0x0603, 0x0403, 0x0503, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a,
                                                0x080b, 0x0401, 0x0501, 0x0601, 0x0201};
        c.client.announced_groups = groups;
        c.client.announced_signature_schemes = schemes;
        const auto exts = hello_extensions(client_hello_of(c.client));
        for (const auto& [type, b] : exts) {
            if (type == ext::supported_groups) CHECK(hex(b) == "000a01" "00001d001700180019");
            if (type == ext::signature_algorithms) CHECK(hex(b).substr(0, 8) == "001a0603");
        }
        Pair p;
        handshake(p, c);
        CHECK(p.client.conn.key_share_group()->code != 0x0100);
    }
    SECTION("RFC 7685: 256..511 octets grow to 512, shorter ones stay") {
        c.client.client_hello_padding = true;
        CHECK(client_hello_of(c.client).size() < 256);  // nothing to pad
        static const std::string_view names[] = {"a-protocol-name-long-enough-to-push-the-hello-past-256-octets",
                                                 "another-protocol-name-of-some-length", "h2", "http/1.1"};
        c.client_alpn.assign(std::begin(names), std::end(names));
        c.bind();
        const Buf ch = client_hello_of(c.client);
        CHECK(ch.size() == 512);
        CHECK(hello_extensions(ch).back().first == ext::padding);
        c.client.client_hello_padding = false;
        const Buf unpadded = client_hello_of(c.client);
        CHECK(unpadded.size() >= 256);
        CHECK(unpadded.size() < 508);
        Pair p;
        c.client.client_hello_padding = true;
        handshake(p, c);
    }
}

TEST_CASE("engine vs engine: a pinned key (RFC 7671 §5.1) stands in for the path and the name", "[tls][engine][pin]") {
    EnginePki& pki = ecdsa_pki();
    Configs c(pki);
    c.bind();
    x509::Certificate leaf;
    REQUIRE(x509::parse_certificate(pki.server_chain[0], leaf) == x509::X509Error::ok);
    const Bytes pins[1] = {leaf.spki};
    SECTION("the server's key pinned: no anchor, another name, any time") {
        c.client.pinned_keys = pins;
        c.client.trust_anchors = {};
        c.client.server_name = "not-the-name.example";
        c.client.time = 0;
        Pair p;
        handshake(p, c);
        CHECK(p.client.conn.peer_chain().path.length == 1);
    }
    SECTION("another key pinned: unknown_ca, even with the anchor there") {
        x509::Certificate ca;
        REQUIRE(x509::parse_certificate(pki.pki.ca.certificate(), ca) == x509::X509Error::ok);
        const Bytes other[1] = {ca.spki};
        c.client.pinned_keys = other;
        Pair p;
        c.bind();
        REQUIRE(p.client.conn.start_client(c.client, system_rng()) == TlsError::ok);
        REQUIRE(p.server.conn.start_server(c.server, system_rng()) == TlsError::ok);
        pump(p.client.conn, p.server.conn, p.at_client, p.at_server);
        CHECK(p.at_client.error == TlsError::certificate_untrusted);
        CHECK(p.client.conn.alert_sent() == AlertDescription::unknown_ca);
        CHECK(p.at_client.received.empty());
        CHECK_FALSE(p.client.conn.handshake_done());
    }
    SECTION("the server pins the client's key") {
        x509::Certificate client_leaf;
        REQUIRE(x509::parse_certificate(pki.client_chain[0], client_leaf) == x509::X509Error::ok);
        const Bytes client_pins[1] = {client_leaf.spki};
        c.server.pinned_keys = client_pins;
        c.server.trust_anchors = {};
        c.server.request_client_certificate = c.server.require_client_certificate = true;
        Pair p;
        handshake(p, c);
        CHECK(p.server.conn.peer_authenticated());
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
    SECTION("announced lists that leave out what is enabled; extra extensions padlock knows") {
        Config client = c.client, server = c.server;
        static const std::uint16_t other_schemes[] = {0x0603, 0x0201};
        client.announced_signature_schemes = server.announced_signature_schemes = other_schemes;
        CHECK(e.conn.start_client(client, system_rng()) == TlsError::api_misuse);
        Endpoint<> e2;
        CHECK(e2.conn.start_server(server, system_rng()) == TlsError::api_misuse);
        Config groups = c.client;
        static const std::uint16_t ffdhe_only[] = {0x0100};
        groups.announced_groups = ffdhe_only;
        Endpoint<> e3;
        CHECK(e3.conn.start_client(groups, system_rng()) == TlsError::api_misuse);
        for (std::uint16_t known : {ext::padding, ext::early_data, ext::key_share, ext::post_handshake_auth}) {
            Config extra = c.client;
            const Config::RawExtension x[1] = {{0xffff, known, Bytes()}};
            extra.extra_extensions = x;
            Endpoint<> e4;
            CHECK(e4.conn.start_client(extra, system_rng()) == TlsError::api_misuse);
        }
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
