// SPDX-License-Identifier: Apache-2.0
// The TLS 1.3 engine's negative table: malformed, out-of-order, forged, truncated and oversized
// input, each with the exact alert RFC 8446 names for it (§6.2 and the section cited per case), and
// no application data delivered. Forged protected messages are made by a man in the middle that
// knows the handshake traffic secrets from the key log (tls/key_schedule.hpp KeyLog), so it can
// open the real flight, change one message and seal it again.
#include <algorithm>
#include <cstring>
#include <map>

#include "tests/test_tls_engine_harness.hpp"
#include "tls/cookie.hpp"

using namespace padlock;
using namespace padlock::tls;
using namespace padlock::test;

namespace {

struct SecretLog {
    std::map<std::string, Buf> secrets;
    static void write(void* ctx, const char* label, Bytes, Bytes secret) {
        static_cast<SecretLog*>(ctx)->secrets[label] = Buf(secret.begin(), secret.end());
    }
};

struct Run {
    Configs configs{ecdsa_pki()};
    Endpoint<> client, server;
    Seen at_client, at_server;
    SecretLog log;
    Run() { configs.server.key_log = {&SecretLog::write, &log}; }
    void start() {
        configs.bind();
        REQUIRE(client.conn.start_client(configs.client, system_rng()) == TlsError::ok);
        REQUIRE(server.conn.start_server(configs.server, system_rng()) == TlsError::ok);
    }
};

// Feeds raw bytes to a connection, recording events and the first error.
Seen feed_all(Connection& to, const Buf& bytes) {
    Seen seen;
    feed_bytes(to, bytes, seen);
    return seen;
}

struct Record {
    std::uint8_t type;
    Buf fragment;
};
std::vector<Record> split_records(const Buf& bytes) {
    std::vector<Record> out;
    for (std::size_t at = 0; at + 5 <= bytes.size();) {
        const std::size_t len = (std::size_t(bytes[at + 3]) << 8) | bytes[at + 4];
        REQUIRE(at + 5 + len <= bytes.size());
        out.push_back({bytes[at], Buf(bytes.begin() + long(at + 5), bytes.begin() + long(at + 5 + len))});
        at += 5 + len;
    }
    return out;
}
Buf plaintext_record(std::uint8_t type, const Buf& fragment) {
    Buf r(5 + fragment.size());
    r[0] = type;
    r[1] = r[2] = 3;
    r[3] = std::uint8_t(fragment.size() >> 8);
    r[4] = std::uint8_t(fragment.size());
    std::copy(fragment.begin(), fragment.end(), r.begin() + 5);
    return r;
}
// One handshake message: type, u24 length, body.
Buf handshake_message(std::uint8_t type, const Buf& body) {
    Buf m(4 + body.size());
    m[0] = type;
    m[1] = std::uint8_t(body.size() >> 16);
    m[2] = std::uint8_t(body.size() >> 8);
    m[3] = std::uint8_t(body.size());
    std::copy(body.begin(), body.end(), m.begin() + 4);
    return m;
}
std::vector<Buf> split_messages(const Buf& bytes) {
    std::vector<Buf> out;
    for (std::size_t at = 0; at + 4 <= bytes.size();) {
        const std::size_t len = (std::size_t(bytes[at + 1]) << 16) | (std::size_t(bytes[at + 2]) << 8) | bytes[at + 3];
        out.emplace_back(bytes.begin() + long(at), bytes.begin() + long(at + 4 + len));
        at += 4 + len;
    }
    return out;
}

// The man in the middle: opens the protected handshake records of `flight` with `secret`, lets
// `edit` change the list of handshake messages, and seals them again (from sequence 0) as one
// record. Plaintext records (ServerHello, change_cipher_spec) pass unchanged.
Buf rewrite_flight(const Buf& flight, const Buf& secret, const std::function<void(std::vector<Buf>&)>& edit) {
    REQUIRE_FALSE(secret.empty());
    RecordProtection open_with, seal_with;
    REQUIRE(open_with.install(tls_aes_128_gcm_sha256, secret) == TlsError::ok);
    REQUIRE(seal_with.install(tls_aes_128_gcm_sha256, secret) == TlsError::ok);
    Buf out, handshake;
    for (const Record& r : split_records(flight)) {
        if (r.type != 23) {
            const Buf p = plaintext_record(r.type, r.fragment);
            out.insert(out.end(), p.begin(), p.end());
            continue;
        }
        Buf rec = plaintext_record(23, r.fragment);
        ContentType type;
        MutBytes content;
        REQUIRE(open_with.open(rec, max_inner_plaintext_size, type, content) == TlsError::ok);
        REQUIRE(type == ContentType::handshake);
        handshake.insert(handshake.end(), content.begin(), content.end());
    }
    std::vector<Buf> messages = split_messages(handshake);
    edit(messages);
    Buf content;
    for (const Buf& m : messages) content.insert(content.end(), m.begin(), m.end());
    Buf rec(5 + content.size() + 1 + 16);
    std::copy(content.begin(), content.end(), rec.begin() + 5);
    std::size_t n = 0;
    REQUIRE(seal_with.seal(ContentType::handshake, rec, content.size(), 0, max_inner_plaintext_size, n) == TlsError::ok);
    rec.resize(n);
    out.insert(out.end(), rec.begin(), rec.end());
    return out;
}

// A Certificate message whose first CertificateEntry (with no extensions) gains an extension of
// `type` with a short body: context, certificate_list<0..2^24-1>, entry: cert_data<1..2^24-1>, extensions.
Buf with_entry_extension(const Buf& message, std::uint16_t type) {
    auto u24 = [](const Buf& b, std::size_t at) { return (std::size_t(b[at]) << 16) | (std::size_t(b[at + 1]) << 8) | b[at + 2]; };
    auto put24 = [](Buf& b, std::size_t at, std::size_t v) {
        b[at] = std::uint8_t(v >> 16), b[at + 1] = std::uint8_t(v >> 8), b[at + 2] = std::uint8_t(v);
    };
    Buf m = message;
    const std::size_t list_at = 4 + 1 + m.at(4);
    const std::size_t ext_at = list_at + 3 + 3 + u24(m, list_at + 3);
    REQUIRE(m.at(ext_at) == 0);
    REQUIRE(m.at(ext_at + 1) == 0);
    const Buf added = {std::uint8_t(type >> 8), std::uint8_t(type), 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x30};
    m[ext_at + 1] = std::uint8_t(added.size());
    m.insert(m.begin() + long(ext_at + 2), added.begin(), added.end());
    put24(m, list_at, u24(m, list_at) + added.size());
    put24(m, 1, m.size() - 4);
    return m;
}

// The configuration of these runs uses one suite so the man in the middle knows it.
void one_suite(Run& r) {
    r.configs.client_suites = {&tls_aes_128_gcm_sha256};
    r.configs.server_suites = {&tls_aes_128_gcm_sha256};
}

// Asserts that `c` failed with `error`, sent `alert`, and delivered no data.
void check_failed(Connection& c, const Seen& seen, TlsError error, AlertDescription alert) {
    INFO("error " << error_name(seen.error) << ", expected " << error_name(error));
    CHECK(seen.error == error);
    CHECK(c.error() == error);
    CHECK(c.state() == State::failed);
    CHECK(c.alert_was_sent());
    CHECK(int(c.alert_sent()) == int(alert));
    CHECK(seen.received.empty());
    CHECK_FALSE(c.handshake_done());
    // The alert is the last record queued: level fatal (2) and the description.
    const Buf out = take_output(c);
    REQUIRE(out.size() >= 7);
    const auto records = split_records(out);
    REQUIRE_FALSE(records.empty());
    if (records.back().type == 21) {  // plaintext alert
        REQUIRE(records.back().fragment.size() == 2);
        CHECK(records.back().fragment[0] == 2);
        CHECK(records.back().fragment[1] == std::uint8_t(alert));
    }
    // Sticky: everything after fails the same way.
    std::size_t used = 0;
    Event e = Event::none;
    CHECK(c.feed(Bytes(out), used, e) == error);
    CHECK(used == 0);
}

// A hand-made ClientHello. `exts` is the raw extension block contents.
Buf client_hello(const Buf& exts, const Buf& suites = {0x13, 0x01}, const Buf& session_id = {}) {
    Buf body = {0x03, 0x03};
    for (int i = 0; i < 32; i++) body.push_back(std::uint8_t(i));
    body.push_back(std::uint8_t(session_id.size()));
    body.insert(body.end(), session_id.begin(), session_id.end());
    body.push_back(0);
    body.push_back(std::uint8_t(suites.size()));
    body.insert(body.end(), suites.begin(), suites.end());
    body.insert(body.end(), {1, 0});  // compression: null
    body.push_back(std::uint8_t(exts.size() >> 8));
    body.push_back(std::uint8_t(exts.size()));
    body.insert(body.end(), exts.begin(), exts.end());
    return handshake_message(1, body);
}
Buf xt(std::uint16_t type, const Buf& body) {
    Buf e(4 + body.size());
    e[0] = std::uint8_t(type >> 8);
    e[1] = std::uint8_t(type);
    e[2] = std::uint8_t(body.size() >> 8);
    e[3] = std::uint8_t(body.size());
    std::copy(body.begin(), body.end(), e.begin() + 4);
    return e;
}
Buf cat(std::initializer_list<Buf> parts) {
    Buf out;
    for (const Buf& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}
// The extensions of a valid TLS 1.3 ClientHello (x25519 share of 32 bytes of 9s).
Buf good_extensions() {
    Buf share = {0x00, 0x24, 0x00, 0x1d, 0x00, 0x20};
    for (int i = 0; i < 32; i++) share.push_back(9);
    return cat({xt(0x002b, {0x02, 0x03, 0x04}), xt(0x000a, {0x00, 0x02, 0x00, 0x1d}),
                xt(0x000d, {0x00, 0x02, 0x04, 0x03}), xt(0x0033, share)});
}
// A KeyShareEntry (§4.2.8): group, u16 length, key_exchange.
Buf share_entry(std::uint16_t group, const Buf& key_exchange) {
    Buf e = {std::uint8_t(group >> 8), std::uint8_t(group), std::uint8_t(key_exchange.size() >> 8),
             std::uint8_t(key_exchange.size())};
    e.insert(e.end(), key_exchange.begin(), key_exchange.end());
    return e;
}
// A ClientHello key_share extension holding `entries` (client_shares<0..2^16-1>).
Buf key_share_ext(const Buf& entries) {
    return xt(0x0033, cat({{std::uint8_t(entries.size() >> 8), std::uint8_t(entries.size())}, entries}));
}
// A ClientHello pre_shared_key (§4.2.11): `identities` identities of 4 octets, binders of the sizes given.
Buf psk_ext(int identities, std::initializer_list<std::size_t> binder_sizes) {
    Buf ids, binders;
    for (int i = 0; i < identities; i++) ids.insert(ids.end(), {0, 4, 1, 2, 3, std::uint8_t(i), 0, 0, 0, 0});
    for (std::size_t n : binder_sizes) {
        binders.push_back(std::uint8_t(n));
        binders.insert(binders.end(), n, 0x42);
    }
    return xt(0x0029, cat({{std::uint8_t(ids.size() >> 8), std::uint8_t(ids.size())}, ids,
                           {std::uint8_t(binders.size() >> 8), std::uint8_t(binders.size())}, binders}));
}
// SEC 2 §2.4.2 / SP 800-186 §3.2.1.3: the P-256 generator, a valid secp256r1 share.
const Buf& p256_generator() {
    static const Buf g = unhex(
        "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
        "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5");
    return g;
}

}  // namespace

TEST_CASE("negative: the hand-made ClientHello is accepted (the table's baseline)", "[tls][negative]") {
    Run r;
    r.start();
    const Seen s = feed_all(r.server.conn, plaintext_record(22, client_hello(good_extensions())));
    CHECK(s.error == TlsError::ok);
    CHECK(r.server.conn.state() == State::server_wait_client_finished);
}

// Found by fuzz_tls_server: a server_name list whose one entry has an unknown NameType gives no
// host_name, which the server copied from a null view. RFC 6066 §3 defines only host_name(0); the
// entry is skipped and the handshake goes on without a name.
TEST_CASE("negative: a server_name list without a host_name leaves server_name() empty", "[tls][negative][server]") {
    Run r;
    r.start();
    const Buf sni = {0x00, 0x0c, 0x20, 0x00, 0x09, 'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't'};
    const Seen s = feed_all(r.server.conn, plaintext_record(22, client_hello(cat({xt(0x0000, sni), good_extensions()}))));
    CHECK(s.error == TlsError::ok);
    CHECK(r.server.conn.state() == State::server_wait_client_finished);
    CHECK(r.server.conn.server_name().empty());
}

TEST_CASE("negative: ClientHello faults at the server", "[tls][negative][server]") {
    struct Case {
        const char* name;
        Buf record;
        TlsError error;
        AlertDescription alert;
    };
    const Buf good = good_extensions();
    Buf truncated = client_hello(good);
    truncated.resize(truncated.size() - 3);
    truncated[3] = std::uint8_t(truncated[3] - 3);  // a consistent header, a body cut short
    Buf lying = client_hello(good);
    lying[3] = std::uint8_t(lying[3] + 1);           // the header claims one octet more than comes
    lying.push_back(0);
    const std::vector<Case> cases = {
        // §4.2: "There MUST NOT be more than one extension of the same type in a given extension block."
        {"duplicate extension", plaintext_record(22, client_hello(cat({good, xt(0x002b, {0x02, 0x03, 0x04})}))),
         TlsError::extension_duplicate, AlertDescription::illegal_parameter},
        // §4.2.1 / appendix D: a TLS 1.2-only client (no supported_versions).
        {"TLS 1.2-only client", plaintext_record(22, client_hello(cat({xt(0x000a, {0x00, 0x02, 0x00, 0x1d}),
                                                                         xt(0x000d, {0x00, 0x02, 0x04, 0x03})}))),
         TlsError::protocol_version_unsupported, AlertDescription::protocol_version},
        {"supported_versions without 1.3", plaintext_record(22, client_hello(cat({xt(0x002b, {0x04, 0x03, 0x03, 0x03, 0x02}),
                                                                                   xt(0x000a, {0x00, 0x02, 0x00, 0x1d})}))),
         TlsError::protocol_version_unsupported, AlertDescription::protocol_version},
        // §4.1.1: no suite in common.
        {"no common suite", plaintext_record(22, client_hello(good, {0x13, 0x04})), TlsError::no_common_cipher_suite,
         AlertDescription::handshake_failure},
        // §9.2: key_share missing.
        {"key_share missing", plaintext_record(22, client_hello(cat({xt(0x002b, {0x02, 0x03, 0x04}),
                                                                       xt(0x000a, {0x00, 0x02, 0x00, 0x1d}),
                                                                       xt(0x000d, {0x00, 0x02, 0x04, 0x03})}))),
         TlsError::extension_missing, AlertDescription::missing_extension},
        // §4.1.2: legacy_compression_methods must be the single null method.
        {"compression", [] {
             Buf ch = client_hello(good_extensions());
             ch[4 + 2 + 32 + 1 + 2 + 2 + 1] = 1;  // the one method: not null
             return plaintext_record(22, ch);
         }(),
         TlsError::legacy_compression_invalid, AlertDescription::illegal_parameter},
        // §4: a body shorter than its fields (decode_error).
        {"truncated ClientHello", plaintext_record(22, truncated), TlsError::handshake_malformed,
         AlertDescription::decode_error},
        {"length lie", plaintext_record(22, lying), TlsError::handshake_malformed, AlertDescription::decode_error},
        // A message longer than the connection can hold.
        {"oversized message", plaintext_record(22, {1, 0x10, 0x00, 0x00, 3, 3}), TlsError::handshake_too_large,
         AlertDescription::decode_error},
        // §5.2: a record longer than 2^14 + 256.
        {"oversized record", Buf{23, 3, 3, 0x41, 0x01}, TlsError::record_too_long, AlertDescription::record_overflow},
        // §5.1: a plaintext record longer than 2^14.
        {"oversized plaintext record", Buf{22, 3, 3, 0x40, 0x01}, TlsError::plaintext_too_long,
         AlertDescription::record_overflow},
        // §4: out of order: a Finished first.
        {"Finished first", plaintext_record(22, handshake_message(20, Buf(32, 0))), TlsError::unexpected_message,
         AlertDescription::unexpected_message},
        // §4: an unknown handshake type.
        {"unknown handshake type", plaintext_record(22, handshake_message(99, {})), TlsError::handshake_unknown_type,
         AlertDescription::unexpected_message},
        // §5: application data before the handshake; an unknown record type.
        {"early application data", plaintext_record(23, {1, 2, 3}), TlsError::unexpected_message,
         AlertDescription::unexpected_message},
        {"unknown record type", plaintext_record(24, {1}), TlsError::unexpected_content_type,
         AlertDescription::unexpected_message},
        // §5: a change_cipher_spec before any ClientHello, or not the single byte 1.
        {"change_cipher_spec first", plaintext_record(20, {1}), TlsError::change_cipher_spec_invalid,
         AlertDescription::unexpected_message},
        // §5.1: zero-length handshake fragment.
        {"empty handshake record", plaintext_record(22, {}), TlsError::unexpected_message,
         AlertDescription::unexpected_message},
        // §6: an alert of three octets, or none.
        {"malformed alert", plaintext_record(21, {2, 10, 0}), TlsError::alert_malformed, AlertDescription::decode_error},
        {"empty alert record", plaintext_record(21, {}), TlsError::alert_malformed, AlertDescription::decode_error},
        // §4.2.9: "If clients offer "pre_shared_key" without a "psk_key_exchange_modes" extension,
        // servers MUST abort the handshake" (§9.2: missing_extension).
        {"pre_shared_key without psk_key_exchange_modes", plaintext_record(22, client_hello(cat({good, psk_ext(1, {32})}))),
         TlsError::extension_missing, AlertDescription::missing_extension},
        // §4.2.11: "The "pre_shared_key" extension MUST be the last extension in the ClientHello
        // ... Servers MUST check that it is the last extension and otherwise fail the handshake
        // with an "illegal_parameter" alert."
        {"pre_shared_key not last", plaintext_record(22, client_hello(cat({good, psk_ext(1, {32}), xt(0x002d, {1, 1})}))),
         TlsError::psk_not_last, AlertDescription::illegal_parameter},
        // §4.2.11: identities and binders pair up; a binder is PskBinderEntry<32..255>.
        {"two binders for one identity", plaintext_record(22, client_hello(cat({good, xt(0x002d, {1, 1}), psk_ext(1, {32, 32})}))),
         TlsError::psk_binder_count_mismatch, AlertDescription::illegal_parameter},
        {"a binder of 31 octets", plaintext_record(22, client_hello(cat({good, xt(0x002d, {1, 1}), psk_ext(1, {31})}))),
         TlsError::handshake_malformed, AlertDescription::decode_error},
        // §4.2.8: "Clients MUST NOT offer multiple KeyShareEntry values for the same group", nor one
        // for a group not in supported_groups, and they come in its order (servers MAY check:
        // illegal_parameter).
        {"two x25519 shares", plaintext_record(22, client_hello(cat({xt(0x002b, {0x02, 0x03, 0x04}), xt(0x000a, {0x00, 0x02, 0x00, 0x1d}),
                                                                       xt(0x000d, {0x00, 0x02, 0x04, 0x03}),
                                                                       key_share_ext(cat({share_entry(0x1d, Buf(32, 9)), share_entry(0x1d, Buf(32, 9))}))}))),
         TlsError::key_share_invalid, AlertDescription::illegal_parameter},
        {"a share for a group not in supported_groups", plaintext_record(22, client_hello(cat({xt(0x002b, {0x02, 0x03, 0x04}), xt(0x000a, {0x00, 0x02, 0x00, 0x17}),
                                                                                            xt(0x000d, {0x00, 0x02, 0x04, 0x03}),
                                                                                            key_share_ext(share_entry(0x1d, Buf(32, 9)))}))),
         TlsError::key_share_invalid, AlertDescription::illegal_parameter},
        {"shares out of supported_groups order", plaintext_record(22, client_hello(cat({xt(0x002b, {0x02, 0x03, 0x04}), xt(0x000a, {0x00, 0x04, 0x00, 0x1d, 0x00, 0x17}),
                                                                                      xt(0x000d, {0x00, 0x02, 0x04, 0x03}),
                                                                                      key_share_ext(cat({share_entry(0x17, p256_generator()), share_entry(0x1d, Buf(32, 9))}))}))),
         TlsError::key_share_invalid, AlertDescription::illegal_parameter},
        // §4.2: a known extension the table does not allow in a ClientHello (oid_filters: CR only).
        {"oid_filters in a ClientHello", plaintext_record(22, client_hello(cat({good, xt(0x0030, {0, 0})}))),
         TlsError::extension_forbidden, AlertDescription::illegal_parameter},
        // §4.2.2: a cookie this (stateful) server never sent.
        {"a cookie in ClientHello1", plaintext_record(22, client_hello(cat({good, xt(0x002c, {0, 1, 7})}))),
         TlsError::hello_retry_invalid, AlertDescription::illegal_parameter},
        // §9.2: signature_algorithms and supported_groups are mandatory with certificates and (EC)DHE.
        {"signature_algorithms missing", plaintext_record(22, client_hello(cat({xt(0x002b, {0x02, 0x03, 0x04}), xt(0x000a, {0x00, 0x02, 0x00, 0x1d}),
                                                                                  key_share_ext(share_entry(0x1d, Buf(32, 9)))}))),
         TlsError::extension_missing, AlertDescription::missing_extension},
        {"supported_groups missing", plaintext_record(22, client_hello(cat({xt(0x002b, {0x02, 0x03, 0x04}), xt(0x000d, {0x00, 0x02, 0x04, 0x03}),
                                                                              key_share_ext(share_entry(0x1d, Buf(32, 9)))}))),
         TlsError::extension_missing, AlertDescription::missing_extension},
        // §5.1: the ClientHello changes the server's read key, so nothing may follow it in its record.
        {"ClientHello and a Finished in one record", plaintext_record(22, cat({client_hello(good), handshake_message(20, Buf(32, 0))})),
         TlsError::handshake_spans_key_change, AlertDescription::unexpected_message},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        Run r;
        r.start();
        const Seen s = feed_all(r.server.conn, c.record);
        check_failed(r.server.conn, s, c.error, c.alert);
    }
    SECTION("a change_cipher_spec that is not the byte 1 (appendix D.4: 02, empty, 01 01), after the ClientHello") {
        for (const Buf& ccs : {Buf{2}, Buf{}, Buf{1, 1}}) {
            INFO(hex(ccs));
            Run r;
            r.start();
            REQUIRE(feed_all(r.server.conn, plaintext_record(22, client_hello(good_extensions()))).error == TlsError::ok);
            take_output(r.server.conn);
            CHECK(feed_all(r.server.conn, plaintext_record(20, {1})).error == TlsError::ok);  // the dummy: dropped
            const Seen s = feed_all(r.server.conn, plaintext_record(20, ccs));
            check_failed(r.server.conn, s, TlsError::change_cipher_spec_invalid, AlertDescription::unexpected_message);
        }
    }
    SECTION("a peer's fatal alert ends the connection without an answer") {
        Run r;
        r.start();
        const Seen s = feed_all(r.server.conn, plaintext_record(21, {2, 40}));
        CHECK(s.error == TlsError::ok);
        CHECK(s.has(Event::alert_received));
        CHECK(r.server.conn.peer_alert() == AlertDescription::handshake_failure);
        CHECK(r.server.conn.error() == TlsError::peer_alert);
        CHECK_FALSE(r.server.conn.alert_was_sent());
        CHECK(r.server.conn.pending_output().empty());
    }
}

TEST_CASE("negative: ServerHello faults at the client", "[tls][negative][client]") {
    // A real ServerHello from our server, then changed in its (unauthenticated, plaintext) fields.
    auto server_hello_of = [](Run& r) {
        r.start();
        REQUIRE(feed_all(r.server.conn, take_output(r.client.conn)).error == TlsError::ok);
        const auto records = split_records(take_output(r.server.conn));
        REQUIRE(records.at(0).type == 22);
        return records.at(0).fragment;
    };
    SECTION("legacy_session_id_echo differs (§4.1.3): illegal_parameter") {
        Run r;
        Buf sh = server_hello_of(r);
        sh[4 + 2 + 32 + 1] ^= 1;  // first octet of the echoed 32-octet session id
        const Seen s = feed_all(r.client.conn, plaintext_record(22, sh));
        check_failed(r.client.conn, s, TlsError::server_hello_invalid, AlertDescription::illegal_parameter);
    }
    SECTION("a cipher suite not offered (§4.1.3): illegal_parameter") {
        Run r;
        one_suite(r);
        Buf sh = server_hello_of(r);
        sh[4 + 2 + 32 + 1 + 32 + 1] = 0x03;  // 13 01 -> 13 03
        const Seen s = feed_all(r.client.conn, plaintext_record(22, sh));
        check_failed(r.client.conn, s, TlsError::server_hello_invalid, AlertDescription::illegal_parameter);
    }
    SECTION("a TLS 1.2 or 1.1 ServerHello (§4.2.1): protocol_version; with the sentinel (§4.1.3): illegal_parameter") {
        // The sentinel ends in 01 for TLS 1.2, 00 for TLS 1.1 or below; -1: no sentinel.
        for (int sentinel_end : {-1, 1, 0}) {
            const bool sentinel = sentinel_end >= 0;
            Run r;
            r.start();
            take_output(r.client.conn);
            Buf body = {0x03, std::uint8_t(sentinel_end == 0 ? 0x02 : 0x03)};
            for (int i = 0; i < 24; i++) body.push_back(std::uint8_t(i));
            const Buf tail = sentinel ? Buf{0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, std::uint8_t(sentinel_end)} : Buf(8, 7);
            body.insert(body.end(), tail.begin(), tail.end());
            body.push_back(0);                     // session id
            body.insert(body.end(), {0xc0, 0x2f});  // a TLS 1.2 suite
            body.push_back(0);
            body.insert(body.end(), {0x00, 0x05, 0xff, 0x01, 0x00, 0x01, 0x00});  // renegotiation_info
            const Seen s = feed_all(r.client.conn, plaintext_record(22, handshake_message(2, body)));
            check_failed(r.client.conn, s, sentinel ? TlsError::downgrade_detected : TlsError::protocol_version_unsupported,
                         sentinel ? AlertDescription::illegal_parameter : AlertDescription::protocol_version);
        }
    }
    SECTION("a second HelloRetryRequest (§4.1.4): unexpected_message") {
        Run r;
        r.configs.client_groups = {&x25519_group, &secp256r1_group};
        r.configs.server_groups = {&secp256r1_group};
        Buf hrr = server_hello_of(r);
        REQUIRE(feed_all(r.client.conn, plaintext_record(22, hrr)).error == TlsError::ok);
        take_output(r.client.conn);
        const Seen s = feed_all(r.client.conn, plaintext_record(22, hrr));
        check_failed(r.client.conn, s, TlsError::unexpected_message, AlertDescription::unexpected_message);
    }
    SECTION("a tampered server key share: the keys differ, bad_record_mac") {
        Run r;
        Buf flight;
        r.start();
        REQUIRE(feed_all(r.server.conn, take_output(r.client.conn)).error == TlsError::ok);
        flight = take_output(r.server.conn);
        // The x25519 key_exchange is the last 32 octets before supported_versions (00 2b 00 02 03 04).
        const auto records = split_records(flight);
        std::size_t sh_len = 5 + records[0].fragment.size();
        flight[sh_len - 6 - 5] ^= 0x40;
        const Seen s = feed_all(r.client.conn, flight);
        check_failed(r.client.conn, s, TlsError::bad_record_mac, AlertDescription::bad_record_mac);
    }
}

TEST_CASE("negative: forged protected server messages", "[tls][negative][client]") {
    struct Case {
        const char* name;
        std::function<void(std::vector<Buf>&)> edit;
        TlsError error;
        AlertDescription alert;
    };
    const std::vector<Case> cases = {
        {"no change (the man in the middle is transparent)", [](std::vector<Buf>&) {}, TlsError::ok,
         AlertDescription::close_notify},
        // §4.4.4: a Finished that does not verify: decrypt_error.
        {"bad Finished", [](std::vector<Buf>& m) { m.back().back() ^= 1; }, TlsError::finished_invalid,
         AlertDescription::decrypt_error},
        // §4.4.3: a CertificateVerify signature that does not verify: decrypt_error.
        {"bad CertificateVerify", [](std::vector<Buf>& m) { m[m.size() - 2].back() ^= 1; }, TlsError::signature_invalid,
         AlertDescription::decrypt_error},
        // Appendix A.1: Certificate where EncryptedExtensions belongs.
        {"EncryptedExtensions missing", [](std::vector<Buf>& m) { m.erase(m.begin()); }, TlsError::unexpected_message,
         AlertDescription::unexpected_message},
        {"Certificate missing", [](std::vector<Buf>& m) { m.erase(m.begin() + 1); }, TlsError::unexpected_message,
         AlertDescription::unexpected_message},
        {"Finished before CertificateVerify", [](std::vector<Buf>& m) { std::swap(m[2], m[3]); },
         TlsError::unexpected_message, AlertDescription::unexpected_message},
        // §4.3.1 / §4.2: EE with an extension it may not carry (key_share): illegal_parameter.
        {"EncryptedExtensions with key_share", [](std::vector<Buf>& m) {
             m[0] = handshake_message(8, {0x00, 0x06, 0x00, 0x33, 0x00, 0x02, 0x00, 0x1d});
         },
         TlsError::extension_forbidden, AlertDescription::illegal_parameter},
        // §4.2: an extension we did not offer (early_data): unsupported_extension.
        {"EncryptedExtensions with early_data", [](std::vector<Buf>& m) {
             m[0] = handshake_message(8, {0x00, 0x04, 0x00, 0x2a, 0x00, 0x00});
         },
         TlsError::extension_unsolicited, AlertDescription::unsupported_extension},
        // §4.3.1: a duplicate extension in EncryptedExtensions.
        {"EncryptedExtensions duplicate", [](std::vector<Buf>& m) {
             m[0] = handshake_message(8, {0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
         },
         TlsError::extension_duplicate, AlertDescription::illegal_parameter},
        // §4.4.2.4: an empty server Certificate: decode_error.
        {"empty server Certificate", [](std::vector<Buf>& m) { m[1] = handshake_message(11, {0, 0, 0, 0}); },
         TlsError::certificate_empty, AlertDescription::decode_error},
        // §4.4.2: a non-empty certificate_request_context from a server: illegal_parameter.
        {"Certificate with a context", [](std::vector<Buf>& m) {
             Buf body(m[1].begin() + 4, m[1].end());
             body[0] = 1;
             body.insert(body.begin() + 1, 7);
             m[1] = handshake_message(11, body);
         },
         TlsError::certificate_context_mismatch, AlertDescription::illegal_parameter},
        // §4.4.2: a garbled certificate: bad_certificate.
        {"garbled certificate", [](std::vector<Buf>& m) { m[1][4 + 1 + 3 + 3 + 1] ^= 0xff; }, TlsError::certificate_corrupt,
         AlertDescription::bad_certificate},
        // Truncated Finished (§4.4.4 verify_data is Hash.length octets): decode_error.
        {"short Finished", [](std::vector<Buf>& m) {
             m.back() = handshake_message(20, Buf(m.back().begin() + 4, m.back().end() - 1));
         },
         TlsError::handshake_malformed, AlertDescription::decode_error},
        // §4.6.1 NewSessionTicket during the handshake.
        {"NewSessionTicket in the handshake", [](std::vector<Buf>& m) {
             m.insert(m.begin() + 1, handshake_message(4, {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0}));
         },
         TlsError::unexpected_message, AlertDescription::unexpected_message},
        // §4.6.3 KeyUpdate during the handshake.
        {"KeyUpdate in the handshake", [](std::vector<Buf>& m) { m.insert(m.begin() + 1, handshake_message(24, {0})); },
         TlsError::unexpected_message, AlertDescription::unexpected_message},
        // §4.2: "Implementations MUST NOT send extension responses if the remote endpoint did not
        // send the corresponding extension requests ... MUST abort the handshake with an
        // "unsupported_extension" alert": EE answers the client never asked for.
        {"EncryptedExtensions with heartbeat", [](std::vector<Buf>& m) {
             m[0] = handshake_message(8, {0x00, 0x05, 0x00, 0x0f, 0x00, 0x01, 0x01});
         },
         TlsError::extension_unsolicited, AlertDescription::unsupported_extension},
        {"EncryptedExtensions with max_fragment_length", [](std::vector<Buf>& m) {
             m[0] = handshake_message(8, {0x00, 0x05, 0x00, 0x01, 0x00, 0x01, 0x01});
         },
         TlsError::extension_unsolicited, AlertDescription::unsupported_extension},
        {"EncryptedExtensions with an unknown extension", [](std::vector<Buf>& m) {
             m[0] = handshake_message(8, {0x00, 0x04, 0xfa, 0xfa, 0x00, 0x00});
         },
         TlsError::extension_unsupported, AlertDescription::unsupported_extension},
        // RFC 7301 §3.2 / §4.2: an ALPN answer to a client that offered none.
        {"EncryptedExtensions with ALPN not offered", [](std::vector<Buf>& m) {
             m[0] = handshake_message(8, {0x00, 0x09, 0x00, 0x10, 0x00, 0x05, 0x00, 0x03, 0x02, 'h', '2'});
         },
         TlsError::extension_unsolicited, AlertDescription::unsupported_extension},
        // RFC 8449 §4: a record_size_limit below 64 is illegal_parameter.
        {"EncryptedExtensions with record_size_limit 63", [](std::vector<Buf>& m) {
             m[0] = handshake_message(8, {0x00, 0x06, 0x00, 0x1c, 0x00, 0x02, 0x00, 0x3f});
         },
         TlsError::record_size_limit_invalid, AlertDescription::illegal_parameter},
        // §4.2: a known extension not for EE (supported_versions): illegal_parameter.
        {"EncryptedExtensions with supported_versions", [](std::vector<Buf>& m) {
             m[0] = handshake_message(8, {0x00, 0x06, 0x00, 0x2b, 0x00, 0x02, 0x03, 0x04});
         },
         TlsError::extension_forbidden, AlertDescription::illegal_parameter},
        // §4.3.2: the context "SHALL be zero length unless used for the post-handshake authentication".
        {"CertificateRequest with a context", [](std::vector<Buf>& m) {
             m.insert(m.begin() + 1, handshake_message(13, {1, 7, 0, 8, 0, 13, 0, 4, 0, 2, 4, 3}));
         },
         TlsError::certificate_context_mismatch, AlertDescription::illegal_parameter},
        // §4.3.2: "The "signature_algorithms" extension MUST be specified" (missing_extension).
        {"CertificateRequest without signature_algorithms", [](std::vector<Buf>& m) {
             m.insert(m.begin() + 1, handshake_message(13, {0, 0, 0}));
         },
         TlsError::certificate_request_no_sigalgs, AlertDescription::missing_extension},
        // §4.4.2: status_request / signed_certificate_timestamp in a CertificateEntry answer a request
        // the client did not make (§4.2: unsupported_extension).
        {"Certificate entry with status_request", [](std::vector<Buf>& m) { m[1] = with_entry_extension(m[1], 0x0005); },
         TlsError::extension_unsolicited, AlertDescription::unsupported_extension},
        {"Certificate entry with signed_certificate_timestamp", [](std::vector<Buf>& m) { m[1] = with_entry_extension(m[1], 0x0012); },
         TlsError::extension_unsolicited, AlertDescription::unsupported_extension},
        // §4.4.3: "The receiver ... MUST ... verify that the signature algorithm is one it offered"
        // (signature_algorithms; rsa_pkcs1_* never in CertificateVerify): illegal_parameter.
        {"CertificateVerify with rsa_pkcs1_sha256", [](std::vector<Buf>& m) { m[2][4] = 0x04, m[2][5] = 0x01; },
         TlsError::signature_scheme_forbidden, AlertDescription::illegal_parameter},
        {"CertificateVerify with a scheme not offered (ecdsa_secp384r1_sha384)", [](std::vector<Buf>& m) { m[2][4] = 0x05, m[2][5] = 0x03; },
         TlsError::signature_scheme_forbidden, AlertDescription::illegal_parameter},
        // §5.1: the server's Finished changes the client's read key: nothing after it in its record.
        {"Finished and a KeyUpdate in one record", [](std::vector<Buf>& m) { m.push_back(handshake_message(24, {0})); },
         TlsError::handshake_spans_key_change, AlertDescription::unexpected_message},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        Run r;
        one_suite(r);
        r.start();
        REQUIRE(feed_all(r.server.conn, take_output(r.client.conn)).error == TlsError::ok);
        const Buf flight = rewrite_flight(take_output(r.server.conn), r.log.secrets["SERVER_HANDSHAKE_TRAFFIC_SECRET"], c.edit);
        const Seen s = feed_all(r.client.conn, flight);
        if (c.error == TlsError::ok) {
            CHECK(s.error == TlsError::ok);
            CHECK(r.client.conn.handshake_done());
            continue;
        }
        check_failed(r.client.conn, s, c.error, c.alert);
    }
}

TEST_CASE("negative: forged protected client messages", "[tls][negative][server]") {
    struct Case {
        const char* name;
        std::function<void(std::vector<Buf>&)> edit;
        TlsError error;
        AlertDescription alert;
    };
    const std::vector<Case> cases = {
        {"no change", [](std::vector<Buf>&) {}, TlsError::ok, AlertDescription::close_notify},
        {"bad client Finished", [](std::vector<Buf>& m) { m.back()[4] ^= 0x80; }, TlsError::finished_invalid,
         AlertDescription::decrypt_error},
        {"bad client CertificateVerify", [](std::vector<Buf>& m) { m[1].back() ^= 1; }, TlsError::signature_invalid,
         AlertDescription::decrypt_error},
        {"Finished without the requested Certificate", [](std::vector<Buf>& m) { m.erase(m.begin(), m.begin() + 2); },
         TlsError::unexpected_message, AlertDescription::unexpected_message},
        {"client Certificate with a wrong context", [](std::vector<Buf>& m) {
             Buf body(m[0].begin() + 4, m[0].end());
             body[0] = 1;
             body.insert(body.begin() + 1, 7);
             m[0] = handshake_message(11, body);
         },
         TlsError::certificate_context_mismatch, AlertDescription::illegal_parameter},
        // §4.4.2 / §4.2: an entry extension the server's CertificateRequest did not ask for.
        {"client Certificate entry with status_request", [](std::vector<Buf>& m) { m[0] = with_entry_extension(m[0], 0x0005); },
         TlsError::extension_unsolicited, AlertDescription::unsupported_extension},
        // §4.4.3: a scheme the CertificateRequest's signature_algorithms did not offer.
        {"client CertificateVerify with rsa_pkcs1_sha256", [](std::vector<Buf>& m) { m[1][4] = 0x04, m[1][5] = 0x01; },
         TlsError::signature_scheme_forbidden, AlertDescription::illegal_parameter},
        // §5.1: the client's Finished changes the server's read key: nothing after it in its record.
        {"Finished and a KeyUpdate in one record", [](std::vector<Buf>& m) { m.push_back(handshake_message(24, {0})); },
         TlsError::handshake_spans_key_change, AlertDescription::unexpected_message},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        Run r;
        one_suite(r);
        r.configs.server.request_client_certificate = true;
        r.configs.server.require_client_certificate = true;
        r.configs.client.middlebox_compatibility = false;
        r.configs.client.key_log = {&SecretLog::write, &r.log};
        r.start();
        REQUIRE(feed_all(r.server.conn, take_output(r.client.conn)).error == TlsError::ok);
        REQUIRE(feed_all(r.client.conn, take_output(r.server.conn)).error == TlsError::ok);
        REQUIRE(r.client.conn.handshake_done());
        const Buf flight = rewrite_flight(take_output(r.client.conn), r.log.secrets["CLIENT_HANDSHAKE_TRAFFIC_SECRET"], c.edit);
        const Seen s = feed_all(r.server.conn, flight);
        if (c.error == TlsError::ok) {
            CHECK(s.error == TlsError::ok);
            CHECK(r.server.conn.handshake_done());
            continue;
        }
        check_failed(r.server.conn, s, c.error, c.alert);
    }
}

TEST_CASE("negative: tampered records after the handshake", "[tls][negative]") {
    Run r;
    r.start();
    pump(r.client.conn, r.server.conn, r.at_client, r.at_server);
    REQUIRE(r.client.conn.handshake_done());
    REQUIRE(r.server.conn.handshake_done());
    std::size_t accepted = 0;
    REQUIRE(r.client.conn.send(Bytes(filler(100, 1)), accepted) == TlsError::ok);
    Buf record = take_output(r.client.conn);
    record[20] ^= 1;
    // §5.2: "If the decryption fails, the receiver MUST terminate the connection with a bad_record_mac alert."
    const Seen s = feed_all(r.server.conn, record);
    CHECK(s.error == TlsError::bad_record_mac);
    CHECK(r.server.conn.alert_sent() == AlertDescription::bad_record_mac);
    CHECK(s.received.empty());
    // The alert is protected (the server has write keys) and the client reads it.
    const Seen at_client = feed_all(r.client.conn, take_output(r.server.conn));
    CHECK(at_client.has(Event::alert_received));
    CHECK(r.client.conn.peer_alert() == AlertDescription::bad_record_mac);
    // A plaintext handshake record after the keys are in place: unexpected_message.
    Run r2;
    r2.start();
    pump(r2.client.conn, r2.server.conn, r2.at_client, r2.at_server);
    const Seen s2 = feed_all(r2.client.conn, plaintext_record(22, handshake_message(24, {0})));
    CHECK(s2.error == TlsError::unexpected_content_type);
    CHECK(r2.client.conn.alert_sent() == AlertDescription::unexpected_message);
}

TEST_CASE("negative: wrong host name and untrusted server", "[tls][negative][certificate]") {
    SECTION("wrong host name: bad_certificate (RFC 6125 §6.6.4)") {
        Run r;
        r.configs.client.server_name = "example.com";
        r.start();
        pump(r.client.conn, r.server.conn, r.at_client, r.at_server);
        CHECK(r.at_client.error == TlsError::certificate_corrupt);
        CHECK(r.client.conn.alert_sent() == AlertDescription::bad_certificate);
        CHECK(std::string(x509::error_name(r.client.conn.peer_chain().x509.error)) == "hostname_mismatch");
        CHECK(r.server.conn.peer_alert() == AlertDescription::bad_certificate);
        CHECK_FALSE(r.client.conn.handshake_done());
    }
    SECTION("a server chain to another CA (same-named CAs: the signature fails, bad_certificate)") {
        // The same names as the server's CA (the default organization), another key.
        static EnginePki same_names(x509::TestKeyType::ecdsa_p256);
        Run r;
        r.configs.client.trust_anchors = same_names.anchor;
        r.start();
        pump(r.client.conn, r.server.conn, r.at_client, r.at_server);
        CHECK(r.at_client.error == TlsError::certificate_corrupt);
        CHECK(r.client.conn.alert_sent() == AlertDescription::bad_certificate);
    }
    SECTION("a server chain to another CA: unknown_ca") {
        static EnginePki other(x509::TestKeyType::ecdsa_p256, "another organization");
        Run r;
        r.configs.client.trust_anchors = other.anchor;
        r.start();
        pump(r.client.conn, r.server.conn, r.at_client, r.at_server);
        INFO(error_name(r.at_client.error) << " " << x509::error_name(r.client.conn.peer_chain().x509.error));
        CHECK(r.at_client.error == TlsError::certificate_untrusted);
        CHECK(r.client.conn.alert_sent() == AlertDescription::unknown_ca);
    }
    SECTION("an expired server certificate: certificate_expired") {
        Run r;
        r.configs.client.time = pki_now + 365 * 86400;
        r.start();
        pump(r.client.conn, r.server.conn, r.at_client, r.at_server);
        CHECK(r.at_client.error == TlsError::certificate_expired);
        CHECK(r.client.conn.alert_sent() == AlertDescription::certificate_expired);
    }
}

TEST_CASE("negative: 0-RTT is refused by skipping the early records (§4.2.10)", "[tls][negative][server]") {
    // A ClientHello offering early_data, then records the server cannot open (0-RTT data under keys
    // it never derives): skipped, not an error, up to a limit; then bad_record_mac.
    Run r;
    r.start();
    REQUIRE(feed_all(r.server.conn, plaintext_record(22, client_hello(cat({good_extensions(), xt(0x002a, {})})))).error ==
            TlsError::ok);
    const Buf flight = take_output(r.server.conn);
    // The server did not accept: no early_data in its EncryptedExtensions (it is protected, but the
    // state says it waits for the client's Finished, not EndOfEarlyData).
    CHECK(r.server.conn.state() == State::server_wait_client_finished);
    const Buf early = plaintext_record(23, filler(1000, 4));
    for (int i = 0; i < 10; i++) {
        const Seen s = feed_all(r.server.conn, early);
        CHECK(s.error == TlsError::ok);
        CHECK(s.received.empty());
    }
    // More than the budget (4 full records' worth): the next one is an error.
    Seen s;
    for (int i = 0; i < 100 && s.error == TlsError::ok; i++) s = feed_all(r.server.conn, plaintext_record(23, filler(16000, 5)));
    check_failed(r.server.conn, s, TlsError::bad_record_mac, AlertDescription::bad_record_mac);
    // Without early_data in the ClientHello, the first undecryptable record is an error at once.
    Run r2;
    r2.start();
    REQUIRE(feed_all(r2.server.conn, plaintext_record(22, client_hello(good_extensions()))).error == TlsError::ok);
    take_output(r2.server.conn);
    const Seen s2 = feed_all(r2.server.conn, early);
    check_failed(r2.server.conn, s2, TlsError::bad_record_mac, AlertDescription::bad_record_mac);
}

TEST_CASE("negative: EndOfEarlyData where no 0-RTT was taken (§4.5)", "[tls][negative][server]") {
    // As the first message, and after a ClientHello whose early_data the server did not take.
    Run r;
    r.start();
    check_failed(r.server.conn, feed_all(r.server.conn, plaintext_record(22, Buf{5, 0, 0, 0})),
                 TlsError::end_of_early_data_refused, AlertDescription::unexpected_message);
    // To a client, from a server: never expected.
    Run r2;
    r2.start();
    take_output(r2.client.conn);
    check_failed(r2.client.conn, feed_all(r2.client.conn, plaintext_record(22, Buf{5, 0, 0, 0})),
                 TlsError::unexpected_message, AlertDescription::unexpected_message);
}

TEST_CASE("negative: a handshake message interleaved with an alert (§5.1)", "[tls][negative]") {
    Run r;
    r.start();
    const Buf ch = client_hello(good_extensions());
    // Half the ClientHello, then an alert record, then the rest.
    const Buf first(ch.begin(), ch.begin() + 20);
    REQUIRE(feed_all(r.server.conn, plaintext_record(22, first)).error == TlsError::ok);
    const Seen s = feed_all(r.server.conn, plaintext_record(21, {1, 0}));
    check_failed(r.server.conn, s, TlsError::unexpected_message, AlertDescription::unexpected_message);
}

TEST_CASE("negative: random corruption of every flight ends in a clean error, never data", "[tls][negative][fuzz]") {
    // Each flight of a real handshake, one byte changed at a time at many positions: the receiver
    // either fails with an alert or (for bytes no one authenticates or reads, e.g. a legacy
    // record version) carries on; it never crashes, and never delivers application data.
    std::uint64_t state = 0x9e3779b97f4a7c15ull;
    auto next = [&] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    for (int flight = 0; flight < 3; flight++)
        for (int trial = 0; trial < 40; trial++) {
            Run r;
            r.configs.server.request_client_certificate = true;
            r.start();
            Connection* from = &r.client.conn;
            Connection* to = &r.server.conn;
            Buf bytes;
            for (int f = 0; f <= flight; f++) {
                bytes = take_output(*from);
                if (f < flight) {
                    REQUIRE(feed_all(*to, bytes).error == TlsError::ok);
                    std::swap(from, to);
                }
            }
            REQUIRE_FALSE(bytes.empty());
            const std::size_t at = next() % bytes.size();
            bytes[at] ^= std::uint8_t(1 + next() % 255);
            const Seen s = feed_all(*to, bytes);
            INFO("flight " << flight << " byte " << at);
            CHECK(s.received.empty());
            if (s.error != TlsError::ok) {
                CHECK(to->state() == State::failed);
                CHECK(to->alert_was_sent());
            }
        }
}

TEST_CASE("negative: post-handshake messages (§4.6)", "[tls][negative]") {
    // Sealed by a man in the middle under the client's application traffic secret (from the key
    // log) as the client's first application record, and fed to the server.
    struct Case {
        const char* name;
        Buf content;
        ContentType type;
        TlsError error;
        AlertDescription alert;
    };
    const std::vector<Case> cases = {
        {"KeyUpdate with request 2", handshake_message(24, {2}), ContentType::handshake, TlsError::key_update_bad_request,
         AlertDescription::illegal_parameter},
        {"KeyUpdate of two octets", handshake_message(24, {0, 0}), ContentType::handshake, TlsError::key_update_malformed,
         AlertDescription::decode_error},
        {"NewSessionTicket from a client", handshake_message(4, {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0}),
         ContentType::handshake, TlsError::unexpected_message, AlertDescription::unexpected_message},
        {"a second ClientHello", client_hello(good_extensions()), ContentType::handshake, TlsError::unexpected_message,
         AlertDescription::unexpected_message},
        {"CertificateRequest (no post_handshake_auth)", handshake_message(13, {0, 0, 8, 0, 13, 0, 4, 0, 2, 4, 3}),
         ContentType::handshake, TlsError::unexpected_message, AlertDescription::unexpected_message},
        {"Finished again", handshake_message(20, Buf(32, 0)), ContentType::handshake, TlsError::unexpected_message,
         AlertDescription::unexpected_message},
        {"KeyUpdate followed by more in the same record",
         cat({handshake_message(24, {0}), handshake_message(24, {0})}), ContentType::handshake,
         TlsError::handshake_spans_key_change, AlertDescription::unexpected_message},
        {"an alert of one octet", Buf{2}, ContentType::alert, TlsError::alert_malformed, AlertDescription::decode_error},
        // §5.1: "Implementations MUST NOT send zero-length fragments of Handshake types"; an alert is
        // exactly two octets (§6).
        {"an empty handshake record", Buf{}, ContentType::handshake, TlsError::unexpected_message,
         AlertDescription::unexpected_message},
        {"an empty alert record", Buf{}, ContentType::alert, TlsError::alert_malformed, AlertDescription::decode_error},
        // §4.6.3: request_update other than 0 or 1: illegal_parameter.
        {"KeyUpdate with request 255", handshake_message(24, {255}), ContentType::handshake, TlsError::key_update_bad_request,
         AlertDescription::illegal_parameter},
        // §4: a ServerHello (to a server) after the handshake.
        {"a ServerHello after the handshake", handshake_message(2, Buf(40, 0)), ContentType::handshake,
         TlsError::unexpected_message, AlertDescription::unexpected_message},
        {"a good KeyUpdate (baseline)", handshake_message(24, {1}), ContentType::handshake, TlsError::ok,
         AlertDescription::close_notify},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        Run r;
        one_suite(r);
        r.configs.client.key_log = {&SecretLog::write, &r.log};
        r.start();
        pump(r.client.conn, r.server.conn, r.at_client, r.at_server);
        REQUIRE(r.server.conn.handshake_done());
        RecordProtection seal_with;
        REQUIRE(seal_with.install(tls_aes_128_gcm_sha256, r.log.secrets["CLIENT_TRAFFIC_SECRET_0"]) == TlsError::ok);
        Buf rec(5 + c.content.size() + 1 + 16);
        std::copy(c.content.begin(), c.content.end(), rec.begin() + 5);
        std::size_t n = 0;
        REQUIRE(seal_with.seal(c.type, rec, c.content.size(), 0, max_inner_plaintext_size, n) == TlsError::ok);
        rec.resize(n);
        const Seen s = feed_all(r.server.conn, rec);
        if (c.error == TlsError::ok) {
            CHECK(s.error == TlsError::ok);
            CHECK(s.has(Event::key_update));
            CHECK_FALSE(r.server.conn.pending_output().empty());  // the answer to update_requested
            continue;
        }
        INFO("got " << error_name(s.error));
        CHECK(s.error == c.error);
        CHECK(r.server.conn.alert_sent() == c.alert);
        CHECK(r.server.conn.state() == State::failed);
    }
    SECTION("a change_cipher_spec after the peer's Finished (§5): unexpected_message") {
        Run r;
        r.start();
        pump(r.client.conn, r.server.conn, r.at_client, r.at_server);
        REQUIRE(r.server.conn.handshake_done());
        const Seen s = feed_all(r.server.conn, plaintext_record(20, {1}));
        CHECK(s.error == TlsError::change_cipher_spec_invalid);
        CHECK(r.server.conn.alert_sent() == AlertDescription::unexpected_message);
    }
    SECTION("a warning alert other than close_notify is an error alert (§6), and no data after it is read") {
        Run r;
        one_suite(r);
        r.configs.client.key_log = {&SecretLog::write, &r.log};
        r.start();
        pump(r.client.conn, r.server.conn, r.at_client, r.at_server);
        RecordProtection seal_with;
        REQUIRE(seal_with.install(tls_aes_128_gcm_sha256, r.log.secrets["CLIENT_TRAFFIC_SECRET_0"]) == TlsError::ok);
        Buf both;
        const Buf contents[2] = {Buf{1, 40}, filler(20, 3)};  // warning(1) handshake_failure, then data
        const ContentType types[2] = {ContentType::alert, ContentType::application_data};
        for (int i = 0; i < 2; i++) {
            Buf rec(5 + contents[i].size() + 1 + 16);
            std::copy(contents[i].begin(), contents[i].end(), rec.begin() + 5);
            std::size_t n = 0;
            REQUIRE(seal_with.seal(types[i], rec, contents[i].size(), 0, max_inner_plaintext_size, n) == TlsError::ok);
            both.insert(both.end(), rec.begin(), rec.begin() + long(n));
        }
        const Seen s = feed_all(r.server.conn, both);
        CHECK(s.has(Event::alert_received));
        CHECK(s.received.empty());
        CHECK(r.server.conn.peer_alert() == AlertDescription::handshake_failure);
        std::size_t used = 0;
        Event e = Event::none;
        CHECK(r.server.conn.feed(Bytes(both), used, e) == TlsError::peer_alert);
        CHECK(used == 0);
        CHECK(r.server.conn.application_data().empty());
    }
    SECTION("application data after close_notify is not read") {
        Run r;
        r.start();
        pump(r.client.conn, r.server.conn, r.at_client, r.at_server);
        REQUIRE(r.client.conn.close() == TlsError::ok);
        const Buf close = take_output(r.client.conn);
        const Seen s = feed_all(r.server.conn, close);
        CHECK(s.has(Event::close_notify));
        std::size_t used = 0;
        Event e = Event::none;
        CHECK(r.server.conn.feed(Bytes(close), used, e) == TlsError::peer_closed);
        CHECK(used == 0);
    }
}

TEST_CASE("negative: a PSK binder that does not verify (§4.2.11.2): decrypt_error", "[tls][negative][resumption]") {
    static TicketKey key;
    key.aead = &aes_128_gcm_ops;
    key.name[0] = 1;
    static const TicketKeys keys{&key, nullptr};
    StoredSession session;
    {
        Run r;
        r.configs.server.ticket_keys = &keys;
        r.configs.client.new_session = &session;
        r.start();
        pump(r.client.conn, r.server.conn, r.at_client, r.at_server);
        std::size_t accepted = 0;
        REQUIRE(r.server.conn.send(Bytes(filler(10, 1)), accepted) == TlsError::ok);
        pump(r.client.conn, r.server.conn, r.at_client, r.at_server);
        REQUIRE(session.ticket_size > 0);
    }
    Run r;
    r.configs.server.ticket_keys = &keys;
    r.configs.client.resume = &session;
    r.start();
    Buf ch = take_output(r.client.conn);
    SECTION("the binder changed") {
        ch.back() ^= 1;  // the binder is the last octets of the ClientHello
        const Seen s = feed_all(r.server.conn, ch);
        check_failed(r.server.conn, s, TlsError::psk_binder_invalid, AlertDescription::decrypt_error);
    }
    SECTION("at the client: a selected_identity out of range (§4.2.11): illegal_parameter") {
        REQUIRE(feed_all(r.server.conn, ch).error == TlsError::ok);
        Buf flight = take_output(r.server.conn);
        // The ServerHello's pre_shared_key: 00 29, length 2, selected_identity 0 -> 1.
        const Buf sh = split_records(flight).at(0).fragment;
        const Buf psk = {0x00, 0x29, 0x00, 0x02, 0x00, 0x00};
        const auto it = std::search(sh.begin(), sh.end(), psk.begin(), psk.end());
        REQUIRE(it != sh.end());
        flight[5 + std::size_t(it - sh.begin()) + 5] = 1;
        const Seen s = feed_all(r.client.conn, flight);
        check_failed(r.client.conn, s, TlsError::psk_identity_invalid, AlertDescription::illegal_parameter);
    }
}

// ---- §4.2.2 stateless HelloRetryRequest: what ClientHello2 may get wrong about its cookie.

namespace {

CookieKey cookie_key(std::uint8_t seed) {
    CookieKey k;
    k.aead = &aes_128_gcm_ops;
    for (std::size_t i = 0; i < sizeof k.key; i++) k.key[i] = std::uint8_t(seed + 5 * i);
    return k;
}

// padlock's AEAD cookies, except that seal may misstate the suite or the group (a cookie that is
// really ours, whose contents disagree with ClientHello2).
struct LyingSealer {
    CookieKey key = cookie_key(1);
    std::uint16_t suite = 0, group = 0;  // 0: the truth
    static TlsError seal(const void* ctx, const CookieState& state, const Rng& rng, MutBytes out, std::size_t& written) {
        const auto& t = *static_cast<const LyingSealer*>(ctx);
        CookieState s = state;
        if (t.suite != 0) s.cipher_suite = t.suite;
        if (t.group != 0) s.selected_group = t.group;
        return seal_cookie(t.key, s, {}, rng, out, written);
    }
    static TlsError open(const void* ctx, Bytes cookie, std::uint64_t now_ms, CookieState& out) {
        return open_cookie(static_cast<const LyingSealer*>(ctx)->key, cookie, {}, now_ms, 30000, out);
    }
    CookieSealer sealer() const { return CookieSealer{seal, open, this}; }
};

// Where the cookie's octets are in a flight that starts with the HelloRetryRequest record:
// record header, handshake header, version, random, session id, suite, compression, extensions.
std::pair<std::size_t, std::size_t> hrr_cookie(const Buf& flight) {
    std::size_t at = 5 + 4 + 2 + 32;
    at += 1 + flight.at(at);
    at += 2 + 1 + 2;
    while (at + 4 <= flight.size()) {
        const std::size_t type = (std::size_t(flight[at]) << 8) | flight[at + 1];
        const std::size_t len = (std::size_t(flight[at + 2]) << 8) | flight[at + 3];
        if (type == 0x002c) return {at + 6, len - 2};
        at += 4 + len;
    }
    FAIL("no cookie in the HelloRetryRequest");
    return {};
}

// The client's ClientHello2 record without its cookie extension (lengths fixed up).
Buf without_cookie(const Buf& record) {
    Buf m(record.begin() + 5, record.end());
    std::size_t at = 4 + 2 + 32;
    at += 1 + m.at(at);
    at += 2 + ((std::size_t(m[at]) << 8) | m[at + 1]);
    at += 1 + m[at];
    const std::size_t block = at;
    for (at += 2; at + 4 <= m.size();) {
        const std::size_t type = (std::size_t(m[at]) << 8) | m[at + 1];
        const std::size_t len = (std::size_t(m[at + 2]) << 8) | m[at + 3];
        if (type == 0x002c) {
            m.erase(m.begin() + long(at), m.begin() + long(at + 4 + len));
            const std::size_t block_len = ((std::size_t(m[block]) << 8) | m[block + 1]) - 4 - len;
            m[block] = std::uint8_t(block_len >> 8);
            m[block + 1] = std::uint8_t(block_len);
            const std::size_t body = m.size() - 4;
            m[1] = std::uint8_t(body >> 16);
            m[2] = std::uint8_t(body >> 8);
            m[3] = std::uint8_t(body);
            return plaintext_record(22, m);
        }
        at += 4 + len;
    }
    FAIL("no cookie in the ClientHello");
    return {};
}

// A run whose server is stateless: the client offers x25519 (its share) and secp384r1, the server
// wants secp384r1. ClientHello1 goes to r.server; its HelloRetryRequest (through `to_client`) to the
// client; the client's answer (change_cipher_spec, ClientHello2) is returned as records.
std::vector<Buf> stateless_retry(Run& r, const std::function<void(Buf&)>& to_client = {}) {
    r.configs.client_groups = {&x25519_group, &secp384r1_group};
    r.configs.server_groups = {&secp384r1_group, &secp256r1_group};
    r.start();
    REQUIRE(feed_all(r.server.conn, take_output(r.client.conn)).error == TlsError::ok);
    REQUIRE(r.server.conn.hello_retry_request());
    Buf hrr = take_output(r.server.conn);
    if (to_client) to_client(hrr);
    REQUIRE(feed_all(r.client.conn, hrr).error == TlsError::ok);
    std::vector<Buf> out;
    for (const Record& rec : split_records(take_output(r.client.conn))) out.push_back(plaintext_record(rec.type, rec.fragment));
    REQUIRE(out.size() == 2);  // compatibility mode: change_cipher_spec, then ClientHello2
    REQUIRE(out[0][0] == 20);
    return out;
}

Buf joined(const std::vector<Buf>& records) {
    Buf all;
    for (const Buf& r : records) all.insert(all.end(), r.begin(), r.end());
    return all;
}

}  // namespace

TEST_CASE("negative: stateless HelloRetryRequest cookies (§4.2.2, §4.1.4)", "[tls][negative][server][stateless]") {
    const CookieKey key = cookie_key(1), other_key = cookie_key(2);
    const CookieAead aead{&key, {}, 30000}, other_aead{&other_key, {}, 30000};
    const CookieSealer sealer = cookie_aead_sealer(aead), other_sealer = cookie_aead_sealer(other_aead);
    // A server connection that has never seen this client, with the run's Config (or another).
    auto fresh_server = [](const Config& config) {
        auto e = std::make_unique<Endpoint<>>();
        REQUIRE(e->conn.start_server(config, system_rng()) == TlsError::ok);
        return e;
    };

    SECTION("baseline: ClientHello2 completes on the same connection and on a fresh one") {
        for (bool fresh : {false, true}) {
            Run r;
            r.configs.server.cookie_sealer = &sealer;
            const std::vector<Buf> ch2 = stateless_retry(r);
            std::unique_ptr<Endpoint<>> other = fresh ? fresh_server(r.configs.server) : nullptr;
            Connection& server = fresh ? other->conn : r.server.conn;
            const Seen s = feed_all(server, joined(ch2));
            CHECK(s.error == TlsError::ok);
            CHECK(server.state() == State::server_wait_client_finished);
            CHECK(server.key_share_group() == &secp384r1_group);
        }
    }
    SECTION("a tampered cookie (one octet changed on the way to the client): illegal_parameter") {
        for (bool fresh : {false, true}) {
            Run r;
            r.configs.server.cookie_sealer = &sealer;
            const std::vector<Buf> ch2 = stateless_retry(r, [](Buf& hrr) {
                const auto [at, len] = hrr_cookie(hrr);
                hrr.at(at + len / 2) ^= 0x10;
            });
            std::unique_ptr<Endpoint<>> other = fresh ? fresh_server(r.configs.server) : nullptr;
            Connection& server = fresh ? other->conn : r.server.conn;
            check_failed(server, feed_all(server, joined(ch2)), TlsError::cookie_invalid, AlertDescription::illegal_parameter);
        }
    }
    SECTION("a cookie from another server (another cookie key): illegal_parameter") {
        Run r;
        r.configs.server.cookie_sealer = &sealer;
        const std::vector<Buf> ch2 = stateless_retry(r);
        Config other = r.configs.server;
        other.cookie_sealer = &other_sealer;
        auto server = fresh_server(other);
        check_failed(server->conn, feed_all(server->conn, joined(ch2)), TlsError::cookie_invalid,
                     AlertDescription::illegal_parameter);
    }
    SECTION("a stale cookie (ClientHello2 replayed after the cookie's 30 s): illegal_parameter") {
        Run r;
        r.configs.server.cookie_sealer = &sealer;
        const std::vector<Buf> ch2 = stateless_retry(r);
        Config later = r.configs.server;
        later.time += 31;
        auto server = fresh_server(later);
        check_failed(server->conn, feed_all(server->conn, joined(ch2)), TlsError::cookie_expired,
                     AlertDescription::illegal_parameter);
        // Within its age it is taken (a replay the cookie cannot tell apart: §8 of RFC 8446 is about
        // 0-RTT, which padlock refuses; this ClientHello2 still needs the client's keys to finish).
        Config soon = r.configs.server;
        soon.time += 29;
        auto again = fresh_server(soon);
        CHECK(feed_all(again->conn, joined(ch2)).error == TlsError::ok);
    }
    SECTION("a cookie for another suite than ClientHello2 selects: illegal_parameter") {
        LyingSealer lying;
        lying.suite = 0x1303;  // TLS_CHACHA20_POLY1305_SHA256: the same hash, so only the suite differs
        const CookieSealer s = lying.sealer();
        for (bool fresh : {false, true}) {
            Run r;
            r.configs.server.cookie_sealer = &s;
            const std::vector<Buf> ch2 = stateless_retry(r);
            std::unique_ptr<Endpoint<>> other = fresh ? fresh_server(r.configs.server) : nullptr;
            Connection& server = fresh ? other->conn : r.server.conn;
            check_failed(server, feed_all(server, joined(ch2)), TlsError::hello_retry_invalid,
                         AlertDescription::illegal_parameter);
        }
    }
    SECTION("a cookie for another group than ClientHello2's share, or one the server lacks: illegal_parameter") {
        // secp256r1, which the server has (the share is secp384r1's); x448, which it does not have.
        for (const std::uint16_t group : {std::uint16_t(0x0017), std::uint16_t(0x001e)}) {
            INFO("cookie's group " << group);
            LyingSealer lying;
            lying.group = group;
            const CookieSealer s = lying.sealer();
            Run r;
            r.configs.server.cookie_sealer = &s;
            const std::vector<Buf> ch2 = stateless_retry(r);
            auto server = fresh_server(r.configs.server);
            check_failed(server->conn, feed_all(server->conn, joined(ch2)), TlsError::hello_retry_invalid,
                         AlertDescription::illegal_parameter);
        }
    }
    SECTION("ClientHello2 without the cookie") {
        Run r;
        r.configs.server.cookie_sealer = &sealer;
        const std::vector<Buf> ch2 = stateless_retry(r);
        const Buf no_cookie = without_cookie(ch2[1]);
        // On the connection that sent the HelloRetryRequest: illegal_parameter (§4.1.4, §4.2.2).
        check_failed(r.server.conn, feed_all(r.server.conn, cat({ch2[0], no_cookie})), TlsError::hello_retry_invalid,
                     AlertDescription::illegal_parameter);
        // A fresh connection cannot tell it from a ClientHello1: it has a share for the group the
        // server wants, so the handshake goes on (as a first ClientHello, no retry).
        auto server = fresh_server(r.configs.server);
        CHECK(feed_all(server->conn, cat({ch2[0], no_cookie})).error == TlsError::ok);
        CHECK(server->conn.state() == State::server_wait_client_finished);
        CHECK_FALSE(server->conn.hello_retry_request());
    }
    SECTION("a stateless cookie at a stateful server (no sealer): illegal_parameter") {
        Run r;
        r.configs.server.cookie_sealer = &sealer;
        const std::vector<Buf> ch2 = stateless_retry(r);
        Config stateful = r.configs.server;
        stateful.cookie_sealer = nullptr;
        auto server = fresh_server(stateful);
        check_failed(server->conn, feed_all(server->conn, ch2[1]), TlsError::hello_retry_invalid,
                     AlertDescription::illegal_parameter);
        // And its change_cipher_spec first is out of place there (§5: before any ClientHello).
        auto strict = fresh_server(stateful);
        check_failed(strict->conn, feed_all(strict->conn, ch2[0]), TlsError::change_cipher_spec_invalid,
                     AlertDescription::unexpected_message);
    }
}

TEST_CASE("negative: secp384r1 key shares that are not a valid uncompressed point (§4.2.8.2)", "[tls][negative]") {
    // SP 800-186 §3.2.1.4: the P-384 generator, a valid point to start from.
    const Buf g = unhex(
        "04aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7"
        "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f");
    auto hello_with_share = [](const Buf& key_exchange) {
        Buf entry = {0x00, 0x18, std::uint8_t(key_exchange.size() >> 8), std::uint8_t(key_exchange.size())};
        entry.insert(entry.end(), key_exchange.begin(), key_exchange.end());
        Buf list = {std::uint8_t(entry.size() >> 8), std::uint8_t(entry.size())};
        list.insert(list.end(), entry.begin(), entry.end());
        return plaintext_record(22, client_hello(cat({xt(0x002b, {0x02, 0x03, 0x04}), xt(0x000a, {0x00, 0x02, 0x00, 0x18}),
                                                      xt(0x000d, {0x00, 0x02, 0x04, 0x03}), xt(0x0033, list)})));
    };
    auto server_for_p384 = [] {
        auto r = std::make_unique<Run>();
        r->configs.server_groups = {&secp384r1_group};
        r->start();
        return r;
    };
    {
        auto r = server_for_p384();
        CHECK(feed_all(r->server.conn, hello_with_share(g)).error == TlsError::ok);  // the baseline
        CHECK(r->server.conn.key_share_group() == &secp384r1_group);
    }
    Buf off_curve = g;
    off_curve[96] ^= 1;
    Buf compressed(g.begin(), g.begin() + 49);
    compressed[0] = 0x03;  // gy is odd
    const Buf cases[] = {off_curve, compressed, Buf(g.begin(), g.end() - 1), Buf(32, 9), Buf(g.begin() + 1, g.end())};
    for (const Buf& share : cases) {
        INFO(hex(share));
        auto r = server_for_p384();
        check_failed(r->server.conn, feed_all(r->server.conn, hello_with_share(share)), TlsError::key_share_invalid,
                     AlertDescription::illegal_parameter);
    }
    SECTION("at the client: the server's share off the curve") {
        Run r;
        r.configs.client_groups = {&secp384r1_group};
        r.configs.server_groups = {&secp384r1_group};
        r.start();
        REQUIRE(feed_all(r.server.conn, take_output(r.client.conn)).error == TlsError::ok);
        Buf flight = take_output(r.server.conn);
        // The point's last octet is just before supported_versions (00 2b 00 02 03 04).
        const std::size_t sh_len = 5 + split_records(flight)[0].fragment.size();
        flight[sh_len - 6 - 1] ^= 1;
        check_failed(r.client.conn, feed_all(r.client.conn, flight), TlsError::key_share_invalid,
                     AlertDescription::illegal_parameter);
    }
}

// ---- §4.1.3, §4.1.4, §4.2: hand-made ServerHellos and HelloRetryRequests at the client.

namespace {

// A ServerHello answering `client_hello_record` (its legacy_session_id echoed); with `hrr` the
// §4.1.3 special random makes it a HelloRetryRequest.
Buf server_hello(const Buf& client_hello_record, std::uint16_t suite, const Buf& exts, bool hrr = false,
                 std::uint16_t legacy_version = 0x0303) {
    const std::size_t sid_at = 5 + 4 + 2 + 32;
    Buf body = {std::uint8_t(legacy_version >> 8), std::uint8_t(legacy_version)};
    if (hrr) body.insert(body.end(), hello_retry_request_random, hello_retry_request_random + random_size);
    else body.insert(body.end(), random_size, 0x5a);
    body.insert(body.end(), client_hello_record.begin() + long(sid_at),
                client_hello_record.begin() + long(sid_at + 1 + client_hello_record.at(sid_at)));
    body.insert(body.end(), {std::uint8_t(suite >> 8), std::uint8_t(suite), 0});
    body.insert(body.end(), {std::uint8_t(exts.size() >> 8), std::uint8_t(exts.size())});
    body.insert(body.end(), exts.begin(), exts.end());
    return plaintext_record(22, handshake_message(2, body));
}
const Buf sv13 = xt(0x002b, {0x03, 0x04});
Buf hrr_group(std::uint16_t group) { return xt(0x0033, {std::uint8_t(group >> 8), std::uint8_t(group)}); }
Buf server_share(std::uint16_t group, const Buf& kx) { return xt(0x0033, share_entry(group, kx)); }

}  // namespace

TEST_CASE("negative: hand-made ServerHello and HelloRetryRequest faults at the client", "[tls][negative][client]") {
    // The client offers all three suites and x25519, secp256r1, secp384r1 (in that order), with an
    // x25519 share.
    struct Case {
        const char* name;
        std::uint16_t suite;
        Buf exts;
        bool hrr;
        std::uint16_t legacy_version;
        TlsError error;
        AlertDescription alert;
    };
    const Buf x25519_kx(32, 9);
    const std::vector<Case> cases = {
        // §4.1.4: "Clients MUST abort the handshake with an "illegal_parameter" alert if the
        // HelloRetryRequest would not result in any change in the ClientHello."
        {"HelloRetryRequest that changes nothing", 0x1301, sv13, true, 0x0303, TlsError::hello_retry_invalid,
         AlertDescription::illegal_parameter},
        // §4.2.8: selected_group "MUST correspond to a group which was provided in the
        // "supported_groups" extension ... and MUST NOT correspond to a group which was provided in
        // the "key_share" extension": illegal_parameter.
        {"HelloRetryRequest for the group already shared", 0x1301, cat({hrr_group(0x1d), sv13}), true, 0x0303,
         TlsError::hello_retry_invalid, AlertDescription::illegal_parameter},
        {"HelloRetryRequest for a group not offered (x448)", 0x1301, cat({hrr_group(0x1e), sv13}), true, 0x0303,
         TlsError::hello_retry_invalid, AlertDescription::illegal_parameter},
        // §4.1.4: "a HelloRetryRequest ... containing any extensions not offered" -> unsupported_extension;
        // a known one not for HRR (§4.2 table) -> illegal_parameter.
        {"HelloRetryRequest with an unknown extension", 0x1301, cat({hrr_group(0x17), xt(0xfafa, {}), sv13}), true, 0x0303,
         TlsError::extension_unsupported, AlertDescription::unsupported_extension},
        {"HelloRetryRequest with supported_groups", 0x1301, cat({hrr_group(0x17), xt(0x000a, {0, 2, 0, 0x17}), sv13}), true,
         0x0303, TlsError::extension_forbidden, AlertDescription::illegal_parameter},
        // §4.1.4: "a HelloRetryRequest ... with a cipher suite not offered": illegal_parameter.
        {"HelloRetryRequest with a suite not offered", 0x1304, cat({hrr_group(0x17), sv13}), true, 0x0303,
         TlsError::server_hello_invalid, AlertDescription::illegal_parameter},
        // §4.2.1: a selected_version not offered (0x0303): illegal_parameter; §4.1.3 legacy_version 0x0303.
        {"ServerHello selecting 0x0303 in supported_versions", 0x1301, cat({server_share(0x1d, x25519_kx), xt(0x002b, {3, 3})}),
         false, 0x0303, TlsError::server_hello_invalid, AlertDescription::illegal_parameter},
        {"ServerHello with legacy_version 0x0304", 0x1301, cat({server_share(0x1d, x25519_kx), sv13}), false, 0x0304,
         TlsError::server_hello_invalid, AlertDescription::illegal_parameter},
        // §4.2 table: cookie and early_data are not ServerHello extensions (illegal_parameter).
        {"ServerHello with a cookie", 0x1301, cat({server_share(0x1d, x25519_kx), xt(0x002c, {0, 1, 7}), sv13}), false, 0x0303,
         TlsError::extension_forbidden, AlertDescription::illegal_parameter},
        {"ServerHello with early_data", 0x1301, cat({server_share(0x1d, x25519_kx), xt(0x002a, {}), sv13}), false, 0x0303,
         TlsError::extension_forbidden, AlertDescription::illegal_parameter},
        // §4.2: answers the client did not ask for: unsupported_extension.
        {"ServerHello with pre_shared_key not offered", 0x1301, cat({xt(0x0029, {0, 0}), server_share(0x1d, x25519_kx), sv13}),
         false, 0x0303, TlsError::extension_unsolicited, AlertDescription::unsupported_extension},
        {"ServerHello with an unknown extension", 0x1301, cat({server_share(0x1d, x25519_kx), xt(0xfafa, {}), sv13}), false,
         0x0303, TlsError::extension_unsupported, AlertDescription::unsupported_extension},
        {"ServerHello with supported_versions twice", 0x1301, cat({server_share(0x1d, x25519_kx), sv13, sv13}), false, 0x0303,
         TlsError::extension_duplicate, AlertDescription::illegal_parameter},
        // §4.2.8: the server's share "MUST be in the same group as the KeyShareEntry value offered
        // by the client that the server has selected".
        {"ServerHello with a secp256r1 share (the client shared x25519)", 0x1301,
         cat({server_share(0x17, p256_generator()), sv13}), false, 0x0303, TlsError::server_hello_invalid,
         AlertDescription::illegal_parameter},
        // §9.2, §4.2.9: no PSK, so (EC)DHE: key_share is mandatory.
        {"ServerHello without key_share", 0x1301, sv13, false, 0x0303, TlsError::extension_missing,
         AlertDescription::missing_extension},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        Run r;
        r.start();
        const Buf ch = take_output(r.client.conn);
        const Seen s = feed_all(r.client.conn, server_hello(ch, c.suite, c.exts, c.hrr, c.legacy_version));
        check_failed(r.client.conn, s, c.error, c.alert);
    }
    SECTION("baseline: a hand-made HelloRetryRequest for secp256r1 is answered") {
        Run r;
        r.start();
        const Buf ch = take_output(r.client.conn);
        CHECK(feed_all(r.client.conn, server_hello(ch, 0x1301, cat({hrr_group(0x17), sv13}), true)).error == TlsError::ok);
        CHECK(r.client.conn.state() == State::client_wait_server_hello);
        CHECK_FALSE(take_output(r.client.conn).empty());  // change_cipher_spec, ClientHello2
    }
    SECTION("a ServerHello whose suite differs from the HelloRetryRequest's (§4.1.4): illegal_parameter") {
        Run r;
        r.start();
        const Buf ch = take_output(r.client.conn);
        REQUIRE(feed_all(r.client.conn, server_hello(ch, 0x1301, cat({hrr_group(0x17), sv13}), true)).error == TlsError::ok);
        take_output(r.client.conn);
        const Seen s = feed_all(r.client.conn, server_hello(ch, 0x1302, cat({server_share(0x17, p256_generator()), sv13})));
        check_failed(r.client.conn, s, TlsError::hello_retry_invalid, AlertDescription::illegal_parameter);
    }
    SECTION("a change_cipher_spec between the two records of a ServerHello (§5.1): unexpected_message") {
        Run r;
        r.start();
        REQUIRE(feed_all(r.server.conn, take_output(r.client.conn)).error == TlsError::ok);
        const Buf sh = split_records(take_output(r.server.conn)).at(0).fragment;
        const Buf first(sh.begin(), sh.begin() + 10);
        REQUIRE(feed_all(r.client.conn, plaintext_record(22, first)).error == TlsError::ok);
        const Seen s = feed_all(r.client.conn, plaintext_record(20, {1}));
        check_failed(r.client.conn, s, TlsError::unexpected_message, AlertDescription::unexpected_message);
    }
    SECTION("the ServerHello and more in one record (§5.1 key change): unexpected_message") {
        Run r;
        r.start();
        REQUIRE(feed_all(r.server.conn, take_output(r.client.conn)).error == TlsError::ok);
        const Buf sh = split_records(take_output(r.server.conn)).at(0).fragment;
        const Seen s = feed_all(r.client.conn, plaintext_record(22, cat({sh, handshake_message(8, {0, 0})})));
        check_failed(r.client.conn, s, TlsError::handshake_spans_key_change, AlertDescription::unexpected_message);
    }
}

// ---- §4.1.2, §4.1.4: a server's checks of ClientHello2, stateful and stateless.

TEST_CASE("negative: a ClientHello2 that changed what the HelloRetryRequest did not ask for", "[tls][negative][server][hrr]") {
    // ClientHello1 offers x25519 and secp256r1 with an x25519 share; the server has only secp256r1.
    const Buf common = cat({xt(0x002b, {0x02, 0x03, 0x04}), xt(0x000a, {0x00, 0x04, 0x00, 0x1d, 0x00, 0x17}),
                            xt(0x000d, {0x00, 0x02, 0x04, 0x03})});
    const Buf ch1 = plaintext_record(22, client_hello(cat({common, key_share_ext(share_entry(0x1d, Buf(32, 9)))})));
    struct Case {
        const char* name;
        std::function<Buf(const Buf& cookie)> ch2;
        TlsError error;
        TlsError stateless_error = TlsError::ok;  // when a stateless server's differs
    };
    auto cookie_ext = [](const Buf& cookie) {
        return xt(0x002c, cat({{std::uint8_t(cookie.size() >> 8), std::uint8_t(cookie.size())}, cookie}));
    };
    const Buf p256_share = key_share_ext(share_entry(0x17, p256_generator()));
    const std::vector<Case> cases = {
        {"baseline: the share asked for and the cookie",
         [&](const Buf& k) { return client_hello(cat({common, p256_share, cookie_ext(k)})); }, TlsError::ok},
        // §4.1.2: "the client MUST send the same ClientHello without modification, except" the
        // share, early_data removed, the cookie, pre_shared_key and padding.
        {"another legacy_session_id",
         [&](const Buf& k) { return client_hello(cat({common, p256_share, cookie_ext(k)}), {0x13, 0x01}, Buf(32, 3)); },
         TlsError::hello_retry_invalid},
        {"another random",
         [&](const Buf& k) {
             Buf m = client_hello(cat({common, p256_share, cookie_ext(k)}));
             m[4 + 2] ^= 1;
             return m;
         },
         TlsError::hello_retry_invalid},
        // §4.1.4: the suite of the HelloRetryRequest.
        {"another cipher suite",
         [&](const Buf& k) { return client_hello(cat({common, p256_share, cookie_ext(k)}), {0x13, 0x02}); },
         TlsError::hello_retry_invalid},
        // §4.1.2: "Early data is not permitted after a HelloRetryRequest."
        {"early_data kept",
         [&](const Buf& k) { return client_hello(cat({common, p256_share, cookie_ext(k), xt(0x002a, {})})); },
         TlsError::hello_retry_invalid},
        // §4.1.4, §4.2.8: the share must be for the group the HelloRetryRequest named.
        {"the x25519 share again",
         [&](const Buf& k) { return client_hello(cat({common, key_share_ext(share_entry(0x1d, Buf(32, 9))), cookie_ext(k)})); },
         TlsError::hello_retry_invalid},
        {"another signature_algorithms",
         [&](const Buf& k) {
             return client_hello(cat({xt(0x002b, {0x02, 0x03, 0x04}), xt(0x000a, {0x00, 0x04, 0x00, 0x1d, 0x00, 0x17}),
                                      xt(0x000d, {0x00, 0x04, 0x04, 0x03, 0x08, 0x04}), p256_share, cookie_ext(k)}));
         },
         TlsError::hello_retry_invalid},
        {"an extension added (ALPN)",
         [&](const Buf& k) { return client_hello(cat({common, p256_share, cookie_ext(k), xt(0x0010, {0, 3, 2, 'h', '2'})})); },
         TlsError::hello_retry_invalid},
        // §4.1.2: "Optionally adding, removing, or changing the length of the "padding" extension".
        {"padding added (allowed)",
         [&](const Buf& k) { return client_hello(cat({common, p256_share, cookie_ext(k), xt(0x0015, Buf(7, 0))})); },
         TlsError::ok},
        // §4.2.2: the cookie comes back unchanged.
        {"no cookie", [&](const Buf&) { return client_hello(cat({common, p256_share})); }, TlsError::hello_retry_invalid},
        {"a changed cookie",
         [&](const Buf& k) {
             Buf changed = k;
             changed.back() ^= 1;
             return client_hello(cat({common, p256_share, cookie_ext(changed)}));
         },
         TlsError::hello_retry_invalid, TlsError::cookie_invalid},
    };
    // The stateful server compares ClientHello2 with what it kept; the stateless one (§4.2.2) with
    // what its cookie carries (CookieState::client_hello1_invariants).
    const CookieKey key = cookie_key(3);
    const CookieAead aead{&key, {}, 30000};
    const CookieSealer sealer = cookie_aead_sealer(aead);
    for (bool stateless : {false, true})
    for (const Case& c : cases) {
        INFO(c.name << (stateless ? ", stateless" : ", stateful"));
        const TlsError error = stateless && c.stateless_error != TlsError::ok ? c.stateless_error : c.error;
        Run r;
        r.configs.server_groups = {&secp256r1_group};
        if (stateless) r.configs.server.cookie_sealer = &sealer;
        r.start();
        REQUIRE(feed_all(r.server.conn, ch1).error == TlsError::ok);
        REQUIRE(r.server.conn.hello_retry_request());
        const Buf hrr = take_output(r.server.conn);
        const auto [at, len] = hrr_cookie(hrr);
        const Buf cookie(hrr.begin() + long(at), hrr.begin() + long(at + len));
        const Seen s = feed_all(r.server.conn, plaintext_record(22, c.ch2(cookie)));
        if (error == TlsError::ok) {
            CHECK(s.error == TlsError::ok);
            CHECK(r.server.conn.state() == State::server_wait_client_finished);
            continue;
        }
        check_failed(r.server.conn, s, error, AlertDescription::illegal_parameter);
    }
}

TEST_CASE("negative: post-handshake messages to the client (§4.6)", "[tls][negative][client]") {
    // Sealed by a man in the middle under the server's application traffic secret as the server's
    // first application record (the server has no ticket keys, so it sent none), fed to the client.
    struct Case {
        const char* name;
        Buf content;
        TlsError error;
        AlertDescription alert;
    };
    const std::vector<Case> cases = {
        {"a good NewSessionTicket (baseline)", handshake_message(4, {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0}), TlsError::ok,
         AlertDescription::close_notify},
        // §4.6.1: opaque ticket<1..2^16-1>; a body cut short: decode_error.
        {"NewSessionTicket with an empty ticket", handshake_message(4, {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
         TlsError::handshake_malformed, AlertDescription::decode_error},
        {"NewSessionTicket cut short", handshake_message(4, {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1}),
         TlsError::handshake_malformed, AlertDescription::decode_error},
        // §4.2 table: NewSessionTicket carries only early_data (and unknown ones, ignored); key_share: illegal_parameter.
        {"NewSessionTicket with key_share", handshake_message(4, {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 6, 0, 0x33, 0, 2, 0, 0x1d}),
         TlsError::extension_forbidden, AlertDescription::illegal_parameter},
        // §4.6.2: post_handshake_auth was not offered: a CertificateRequest is unexpected_message.
        {"CertificateRequest (no post_handshake_auth)", handshake_message(13, {1, 1, 0, 8, 0, 13, 0, 4, 0, 2, 4, 3}),
         TlsError::unexpected_message, AlertDescription::unexpected_message},
        {"KeyUpdate with request 2", handshake_message(24, {2}), TlsError::key_update_bad_request,
         AlertDescription::illegal_parameter},
        {"EncryptedExtensions again", handshake_message(8, {0, 0}), TlsError::unexpected_message,
         AlertDescription::unexpected_message},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        Run r;
        one_suite(r);
        r.start();
        pump(r.client.conn, r.server.conn, r.at_client, r.at_server);
        REQUIRE(r.client.conn.handshake_done());
        RecordProtection seal_with;
        REQUIRE(seal_with.install(tls_aes_128_gcm_sha256, r.log.secrets["SERVER_TRAFFIC_SECRET_0"]) == TlsError::ok);
        Buf rec(5 + c.content.size() + 1 + 16);
        std::copy(c.content.begin(), c.content.end(), rec.begin() + 5);
        std::size_t n = 0;
        REQUIRE(seal_with.seal(ContentType::handshake, rec, c.content.size(), 0, max_inner_plaintext_size, n) == TlsError::ok);
        rec.resize(n);
        const Seen s = feed_all(r.client.conn, rec);
        INFO("got " << error_name(s.error));
        CHECK(s.error == c.error);
        CHECK(s.received.empty());
        if (c.error == TlsError::ok) {
            CHECK(r.client.conn.state() == State::connected);
            continue;
        }
        CHECK(r.client.conn.alert_sent() == c.alert);
        CHECK(r.client.conn.state() == State::failed);
    }
}
