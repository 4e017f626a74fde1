// SPDX-License-Identifier: Apache-2.0
// TLS 1.3 handshake message codec (RFC 8446 §4, §4.2; RFC 8449): every handshake message of the
// RFC 8448 traces in vectors/rfc8448/ parses, its fields match the trace, and the builders give back
// its bytes; then the rejections (truncation, length fields off by one, the §4.2 table, duplicate,
// unknown and misplaced extensions) with the exact error and alert of each.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support.hpp"
#include "tls/alert.hpp"
#include "tls/messages.hpp"

using namespace padlock;
using namespace padlock::test;
using namespace padlock::tls;
using nlohmann::json;

namespace {

const char* const traces[] = {"simple_1rtt.json", "resumed_0rtt.json", "hello_retry_request.json",
                              "client_auth.json"};

struct Message {
    std::string trace, actor, name;  // name as the trace prints it ("ServerHello")
    Buf bytes;                       // the whole handshake message, header included
};

// Every "construct a X handshake message" step of a trace. resumed_0rtt's ClientHello there stops
// before its binders (README); the full message is the payload of the next record, used instead.
std::vector<Message> messages_of(const std::string& file) {
    const json doc = load_kat("rfc8448/" + file);
    std::vector<Message> out;
    const auto& steps = doc["steps"];
    for (std::size_t i = 0; i < steps.size(); i++) {
        const std::string action = steps[i]["action"];
        const std::string prefix = "construct a ";
        if (action.find(prefix) != 0) continue;
        const std::string name = action.substr(prefix.size(), action.find(' ', prefix.size()) - prefix.size());
        Buf bytes = unhex(steps[i]["fields"][name]);
        if (file == "resumed_0rtt.json" && name == "ClientHello") {
            std::size_t j = i + 1;
            while (steps[j]["action"] != "send handshake record") j++;
            bytes = unhex(steps[j]["fields"]["payload"]);
        }
        out.push_back({file, steps[i]["actor"], name, bytes});
    }
    return out;
}

std::vector<Message> all_messages() {
    std::vector<Message> all;
    for (const char* t : traces)
        for (auto& m : messages_of(t)) all.push_back(m);
    return all;
}

// A field of the first step of `file` whose action starts with `action` and is done by `actor`.
Buf trace_field(const std::string& file, const std::string& actor, const std::string& action,
                const std::string& field, int nth = 0) {
    const json doc = load_kat("rfc8448/" + file);
    for (const auto& s : doc["steps"])
        if (s["actor"] == actor && std::string(s["action"]).find(action) == 0 && nth-- == 0)
            return unhex(s["fields"][field]);
    FAIL("no step " << actor << " " << action << " in " << file);
    return {};
}

Bytes body_of(const Buf& msg) { return Bytes(msg).subspan(handshake_header_size); }

TlsError parse_body_of(const Handshake& h, std::size_t hash_length);

// Parses a whole message of any type the codec accepts; the error of the first failing step.
TlsError parse_any(Bytes msg, std::size_t hash_length = 32) {
    Handshake h;
    std::size_t used = 0;
    if (const TlsError e = split_handshake(msg, h, used); e != TlsError::ok) return e;
    if (used == 0) return TlsError::handshake_malformed;  // incomplete: counts as malformed here
    // Bytes after the message (its length too small): the body is still parsed, and must fail or be
    // followed by nothing.
    const TlsError e = parse_body_of(h, hash_length);
    return e == TlsError::ok && used != msg.size() ? TlsError::handshake_malformed : e;
}

TlsError parse_body_of(const Handshake& h, std::size_t hash_length) {
    switch (h.type) {
    case HandshakeType::client_hello: { ClientHello m; return parse_client_hello(h.body, m); }
    case HandshakeType::server_hello: { ServerHello m; return parse_server_hello(h.body, m); }
    case HandshakeType::encrypted_extensions: { EncryptedExtensions m; return parse_encrypted_extensions(h.body, m); }
    case HandshakeType::certificate_request: { CertificateRequest m; return parse_certificate_request(h.body, m); }
    case HandshakeType::certificate: { Certificate m; return parse_certificate(h.body, m); }
    case HandshakeType::certificate_verify: { CertificateVerify m; return parse_certificate_verify(h.body, m); }
    case HandshakeType::finished: { Finished m; return parse_finished(h.body, hash_length, m); }
    case HandshakeType::new_session_ticket: { NewSessionTicket m; return parse_new_session_ticket(h.body, m); }
    case HandshakeType::key_update: { KeyUpdate m; return parse_key_update(h.body, m); }
    case HandshakeType::end_of_early_data: return parse_end_of_early_data(h.body);
    default: return TlsError::api_misuse;
    }
}

// Writes a parsed extension block back with the typed builders, in the block's order.
void rewrite_extensions(ByteWriter& w, const Extensions& e, ExtContext ctx) {
    ExtensionList list{ByteReader(e.block)};
    std::uint16_t type = 0;
    Bytes body;
    const auto mark = begin_extensions(w);
    while (list.next(type, body)) {
        switch (type) {
        case ext::server_name: add_server_name(w, e.server_name); break;
        case ext::supported_versions:
            if (ctx == ExtContext::client_hello) add_supported_versions_client(w, e.supported_versions);
            else add_supported_versions_server(w, e.selected_version);
            break;
        case ext::supported_groups: add_u16_list(w, type, e.supported_groups); break;
        case ext::signature_algorithms: add_u16_list(w, type, e.signature_algorithms); break;
        case ext::signature_algorithms_cert: add_u16_list(w, type, e.signature_algorithms_cert); break;
        case ext::key_share:
            if (ctx == ExtContext::client_hello) add_key_share_client(w, e.client_shares);
            else if (ctx == ExtContext::server_hello) add_key_share_server(w, e.key_share_group, e.key_share_key_exchange);
            else add_key_share_hrr(w, e.key_share_group);
            break;
        case ext::alpn:
            if (ctx == ExtContext::client_hello) add_alpn_client(w, e.alpn);
            else add_alpn_server(w, e.alpn);
            break;
        case ext::psk_key_exchange_modes: add_psk_key_exchange_modes(w, e.psk_key_exchange_modes); break;
        case ext::cookie: add_cookie(w, e.cookie); break;
        case ext::record_size_limit: add_record_size_limit(w, e.record_size_limit); break;
        case ext::early_data:
            if (ctx == ExtContext::new_session_ticket) add_early_data_nst(w, e.max_early_data_size);
            else add_early_data(w);
            break;
        case ext::pre_shared_key:
            if (ctx == ExtContext::client_hello) add_pre_shared_key_client(w, e.psk_identities, e.psk_binders);
            else add_pre_shared_key_server(w, e.psk_selected_identity);
            break;
        default: add_extension_raw(w, type, body); break;  // unknown here, or known but kept raw
        }
    }
    end_extensions(w, mark);
}

// Parses one trace message and writes it back with the builders; empty when it has no builder.
Buf rebuild(const Buf& msg) {
    Handshake h;
    std::size_t used = 0;
    REQUIRE(split_handshake(msg, h, used) == TlsError::ok);
    REQUIRE(used == msg.size());
    Buf out(msg.size() + 64);
    ByteWriter w(out);
    const auto m = begin_handshake(w, h.type);
    switch (h.type) {
    case HandshakeType::client_hello: {
        ClientHello ch;
        REQUIRE(parse_client_hello(h.body, ch) == TlsError::ok);
        write_client_hello_fields(w, ch.random.first<random_size>(), ch.legacy_session_id, ch.cipher_suites);
        rewrite_extensions(w, ch.extensions, ExtContext::client_hello);
        break;
    }
    case HandshakeType::server_hello: {
        ServerHello sh;
        REQUIRE(parse_server_hello(h.body, sh) == TlsError::ok);
        write_server_hello_fields(w, sh.random.first<random_size>(), sh.legacy_session_id_echo, sh.cipher_suite);
        rewrite_extensions(w, sh.extensions,
                           sh.hello_retry_request ? ExtContext::hello_retry_request : ExtContext::server_hello);
        break;
    }
    case HandshakeType::encrypted_extensions: {
        EncryptedExtensions ee;
        REQUIRE(parse_encrypted_extensions(h.body, ee) == TlsError::ok);
        rewrite_extensions(w, ee.extensions, ExtContext::encrypted_extensions);
        break;
    }
    case HandshakeType::certificate_request: {
        CertificateRequest cr;
        REQUIRE(parse_certificate_request(h.body, cr) == TlsError::ok);
        write_certificate_request_fields(w, cr.context);
        rewrite_extensions(w, cr.extensions, ExtContext::certificate_request);
        break;
    }
    case HandshakeType::certificate_verify: {
        CertificateVerify cv;
        REQUIRE(parse_certificate_verify(h.body, cv) == TlsError::ok);
        write_certificate_verify(w, cv.algorithm, cv.signature);
        break;
    }
    case HandshakeType::finished: {
        Finished f;
        REQUIRE(parse_finished(h.body, 32, f) == TlsError::ok);
        write_finished(w, f.verify_data);
        break;
    }
    case HandshakeType::new_session_ticket: {
        NewSessionTicket t;
        REQUIRE(parse_new_session_ticket(h.body, t) == TlsError::ok);
        write_new_session_ticket_fields(w, t.ticket_lifetime, t.ticket_age_add, t.ticket_nonce, t.ticket);
        rewrite_extensions(w, t.extensions, ExtContext::new_session_ticket);
        break;
    }
    default: return {};  // Certificate: no builder in this codec yet
    }
    end_handshake(w, m);
    std::size_t n = 0;
    REQUIRE(w.finish(n));
    out.resize(n);
    return out;
}

// ---- Length fields of a message, found by walking RFC 8446's structures independently of the
// codec (test-side), so each can be altered by ±1.
struct LengthField {
    std::size_t at;
    unsigned octets;
};

struct Walker {
    const Buf& m;
    std::size_t pos = 0;
    std::vector<LengthField> fields;
    std::uint32_t get(unsigned n) {
        std::uint32_t v = 0;
        for (unsigned i = 0; i < n; i++) v = (v << 8) | m.at(pos + i);
        pos += n;
        return v;
    }
    // A length prefix: records it, returns the end of its vector.
    std::size_t prefix(unsigned n) {
        fields.push_back({pos, n});
        const std::uint32_t len = get(n);
        return pos + len;
    }
    void skip_vector(unsigned n) { pos = prefix(n); }
    void items(unsigned list_prefix, unsigned item_prefix) {
        const std::size_t end = prefix(list_prefix);
        while (pos < end) skip_vector(item_prefix);
    }
    void extensions(ExtContext ctx) {
        const std::size_t end = prefix(2);
        while (pos < end) {
            const std::uint32_t type = get(2);
            const std::size_t ext_end = prefix(2);
            switch (type) {
            case ext::server_name:
                if (ext_end > pos) {
                    const std::size_t list_end = prefix(2);
                    while (pos < list_end) { get(1); skip_vector(2); }
                }
                break;
            case ext::supported_versions:
                if (ctx == ExtContext::client_hello) skip_vector(1);
                break;
            case ext::supported_groups:
            case ext::signature_algorithms:
            case ext::signature_algorithms_cert:
            case ext::cookie: skip_vector(2); break;
            case ext::psk_key_exchange_modes: skip_vector(1); break;
            case ext::key_share:
                if (ctx == ExtContext::client_hello) {
                    const std::size_t list_end = prefix(2);
                    while (pos < list_end) { get(2); skip_vector(2); }
                } else if (ctx == ExtContext::server_hello) {
                    get(2);
                    skip_vector(2);
                }
                break;
            case ext::pre_shared_key:
                if (ctx == ExtContext::client_hello) {
                    const std::size_t ids_end = prefix(2);
                    while (pos < ids_end) { skip_vector(2); get(4); }
                    items(2, 1);
                }
                break;
            default: break;
            }
            pos = ext_end;
        }
    }
    void walk() {
        const auto type = HandshakeType(get(1));
        prefix(3);
        switch (type) {
        case HandshakeType::client_hello:
            pos += 2 + 32;
            skip_vector(1);
            skip_vector(2);
            skip_vector(1);
            extensions(ExtContext::client_hello);
            break;
        case HandshakeType::server_hello: {
            pos += 2;
            const bool hrr = std::equal(m.begin() + long(pos), m.begin() + long(pos) + 32, hello_retry_request_random);
            pos += 32;
            skip_vector(1);
            pos += 3;
            extensions(hrr ? ExtContext::hello_retry_request : ExtContext::server_hello);
            break;
        }
        case HandshakeType::encrypted_extensions: extensions(ExtContext::encrypted_extensions); break;
        case HandshakeType::certificate_request:
            skip_vector(1);
            extensions(ExtContext::certificate_request);
            break;
        case HandshakeType::certificate: {
            skip_vector(1);
            const std::size_t end = prefix(3);
            while (pos < end) {
                skip_vector(3);
                extensions(ExtContext::certificate);
            }
            break;
        }
        case HandshakeType::certificate_verify:
            pos += 2;
            skip_vector(2);
            break;
        case HandshakeType::finished: pos = m.size(); break;  // verify_data has no length field
        case HandshakeType::new_session_ticket:
            pos += 8;
            skip_vector(1);
            skip_vector(2);
            extensions(ExtContext::new_session_ticket);
            break;
        default: break;
        }
        REQUIRE(pos == m.size());  // the walk itself read the whole message
    }
};

// One extension as a block (inside the block's prefix).
Buf ext_block(std::uint16_t type, const Buf& body) {
    Buf out(4 + body.size());
    ByteWriter w(out);
    add_extension_raw(w, type, body);
    std::size_t n = 0;
    REQUIRE(w.finish(n));
    return out;
}
Buf cat(std::initializer_list<Buf> parts) {
    Buf out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

}  // namespace

TEST_CASE("every handshake message of the RFC 8448 traces parses and rebuilds", "[tls][messages]") {
    const auto all = all_messages();
    REQUIRE(all.size() == 33);  // the trace steps that construct a handshake message
    int rebuilt = 0, empty = 0;
    for (const auto& m : all) {
        INFO(m.trace << " " << m.actor << " " << m.name);
        if (m.name == "EndOfEarlyData") {  // §4.5: struct {} EndOfEarlyData;
            CHECK(parse_any(m.bytes) == TlsError::ok);
            CHECK(hex(m.bytes) == "05000000");
            empty++;
            continue;
        }
        REQUIRE(parse_any(m.bytes) == TlsError::ok);
        const Buf again = rebuild(m.bytes);
        if (again.empty()) {
            CHECK(m.name == "Certificate");
            continue;
        }
        CHECK(hex(again) == hex(m.bytes));
        rebuilt++;
    }
    CHECK(empty == 1);
    CHECK(rebuilt == 33 - 1 - 4);  // all but EndOfEarlyData and the four Certificates
}

TEST_CASE("split_handshake cuts each record payload into the trace's messages", "[tls][messages]") {
    for (const char* t : traces) {
        const json doc = load_kat(std::string("rfc8448/") + t);
        std::vector<Buf> expected;
        for (auto& m : messages_of(t)) expected.push_back(m.bytes);
        std::size_t next = 0;
        for (const auto& s : doc["steps"]) {
            if (s["action"] != "send handshake record") continue;
            const Buf payload = unhex(s["fields"]["payload"]);
            Bytes rest(payload);
            while (!rest.empty()) {
                INFO(t << " message " << next);
                Handshake h;
                std::size_t used = 0;
                const TlsError e = split_handshake(rest, h, used);
                REQUIRE(next < expected.size());
                REQUIRE(e == TlsError::ok);
                REQUIRE(used > 0);
                CHECK(std::uint8_t(h.type) == expected[next][0]);
                CHECK(h.body.size() + 4 == used);
                CHECK(hex(rest.first(used)) == hex(expected[next]));
                rest = rest.subspan(used);
                next++;
            }
        }
        CHECK(next == expected.size());
    }
}

TEST_CASE("RFC 8448 §3 simple 1-RTT: the fields the trace shows", "[tls][messages]") {
    const std::string t = "simple_1rtt.json";
    const Buf ch_msg = trace_field(t, "client", "construct a ClientHello", "ClientHello");
    ClientHello ch;
    REQUIRE(parse_client_hello(body_of(ch_msg), ch) == TlsError::ok);
    CHECK(ch.legacy_version == 0x0303);
    CHECK(hex(ch.random) == "6660261ff947cea49cce6cfad687f457cf1b14531ba14131a0e8f309a1d0b9c4");
    CHECK(ch.legacy_session_id.empty());
    CHECK(hex(ch.cipher_suites) == "130113031302");
    const Extensions& e = ch.extensions;
    CHECK(std::string(e.server_name.begin(), e.server_name.end()) == "server");
    CHECK(hex(e.supported_versions) == "0304");
    CHECK(hex(e.supported_groups) == "001d00170018001901000101010201030104");
    CHECK(hex(e.psk_key_exchange_modes) == "01");
    CHECK(e.record_size_limit == 0x4001);
    CHECK(!e.has(ext::pre_shared_key));
    CHECK(hex(e.signature_algorithms) == "040305030603020308040805080604010501060102010402050206020202");
    KeyShareList shares{ByteReader(e.client_shares)};
    std::uint16_t group = 0;
    Bytes kx;
    REQUIRE(shares.next(group, kx));
    CHECK(group == 0x001d);
    CHECK(hex(kx) == hex(trace_field(t, "client", "create an ephemeral x25519", "public key")));
    CHECK(!shares.next(group, kx));

    ServerHello sh;
    const Buf sh_msg = trace_field(t, "server", "construct a ServerHello", "ServerHello");
    REQUIRE(parse_server_hello(body_of(sh_msg), sh) == TlsError::ok);
    CHECK(!sh.hello_retry_request);
    CHECK(sh.cipher_suite == 0x1301);  // TLS_AES_128_GCM_SHA256
    CHECK(sh.extensions.selected_version == 0x0304);
    CHECK(sh.extensions.key_share_group == 0x001d);
    CHECK(hex(sh.extensions.key_share_key_exchange) ==
          hex(trace_field(t, "server", "create an ephemeral x25519", "public key")));

    EncryptedExtensions ee;
    const Buf ee_msg = trace_field(t, "server", "construct a EncryptedExtensions", "EncryptedExtensions");
    REQUIRE(parse_encrypted_extensions(body_of(ee_msg), ee) == TlsError::ok);
    CHECK(ee.extensions.has(ext::server_name));
    CHECK(ee.extensions.server_name.empty());
    CHECK(ee.extensions.record_size_limit == 0x4001);
    CHECK(hex(ee.extensions.supported_groups) == "001d00170018001901000101010201030104");

    Certificate cert;
    const Buf cert_msg = trace_field(t, "server", "construct a Certificate", "Certificate");
    REQUIRE(parse_certificate(body_of(cert_msg), cert) == TlsError::ok);
    CHECK(cert.context.empty());
    CertificateEntries entries{ByteReader(cert.entries)};
    Bytes der;
    Extensions entry_ext;
    REQUIRE(entries.next(der, entry_ext));
    CHECK(der.size() == 0x1b0);
    CHECK(hex(der.first(4)) == "308201ac");  // a DER SEQUENCE of 0x1ac octets
    CHECK(entry_ext.block.empty());
    CHECK(!entries.next(der, entry_ext));

    CertificateVerify cv;
    const Buf cv_msg = trace_field(t, "server", "construct a CertificateVerify", "CertificateVerify");
    REQUIRE(parse_certificate_verify(body_of(cv_msg), cv) == TlsError::ok);
    CHECK(cv.algorithm == 0x0804);  // rsa_pss_rsae_sha256
    CHECK(cv.signature.size() == 128);

    Finished fin;
    const Buf fin_msg = trace_field(t, "server", "construct a Finished", "Finished");
    REQUIRE(parse_finished(body_of(fin_msg), 32, fin) == TlsError::ok);
    CHECK(hex(fin.verify_data) == hex(trace_field(t, "server", "calculate finished", "finished")));

    NewSessionTicket nst;
    const Buf nst_msg = trace_field(t, "server", "construct a NewSessionTicket", "NewSessionTicket");
    REQUIRE(parse_new_session_ticket(body_of(nst_msg), nst) == TlsError::ok);
    CHECK(nst.ticket_lifetime == 30);
    CHECK(nst.ticket_age_add == 0x933d0932);
    CHECK(hex(nst.ticket_nonce) == "0000");
    CHECK(nst.ticket.size() == 0xb2);
    CHECK(nst.extensions.has(ext::early_data));
    CHECK(nst.extensions.max_early_data_size == 0x400);
}

TEST_CASE("RFC 8448 §4 resumed 0-RTT: PSK identity, binders offset, selected identity", "[tls][messages]") {
    const std::string t = "resumed_0rtt.json";
    NewSessionTicket nst;
    const Buf nst_msg = trace_field("simple_1rtt.json", "server", "construct a NewSessionTicket", "NewSessionTicket");
    REQUIRE(parse_new_session_ticket(body_of(nst_msg), nst) == TlsError::ok);

    const Buf partial = trace_field(t, "client", "construct a ClientHello", "ClientHello");
    const Buf full = trace_field(t, "client", "send handshake record", "payload");
    ClientHello ch;
    REQUIRE(parse_client_hello(body_of(full), ch) == TlsError::ok);
    const Extensions& e = ch.extensions;
    CHECK(e.has(ext::early_data));
    CHECK(hex(e.psk_key_exchange_modes) == "01");
    PskIdentityList ids{ByteReader(e.psk_identities)};
    Bytes identity;
    std::uint32_t age = 0;
    REQUIRE(ids.next(identity, age));
    CHECK(hex(identity) == hex(nst.ticket));  // the ticket of §3 is the identity of §4
    CHECK(!ids.next(identity, age));
    OpaqueList binders{ByteReader(e.psk_binders), 1};
    Bytes binder;
    REQUIRE(binders.next(binder));
    CHECK(binder.size() == 32);
    CHECK(!binders.next(binder));
    // The trace's "construct" value is the message up to its binders (§4.2.11.2).
    REQUIRE(handshake_header_size + ch.binders_offset == partial.size());
    CHECK(hex(Bytes(full).first(partial.size())) == hex(partial));

    ServerHello sh;
    const Buf sh_msg = trace_field(t, "server", "construct a ServerHello", "ServerHello");
    REQUIRE(parse_server_hello(body_of(sh_msg), sh) == TlsError::ok);
    CHECK(sh.extensions.has(ext::pre_shared_key));
    CHECK(sh.extensions.psk_selected_identity == 0);
    EncryptedExtensions ee;
    const Buf ee_msg = trace_field(t, "server", "construct a EncryptedExtensions", "EncryptedExtensions");
    REQUIRE(parse_encrypted_extensions(body_of(ee_msg), ee) == TlsError::ok);
    CHECK(ee.extensions.has(ext::early_data));
}

TEST_CASE("RFC 8448 §5 HelloRetryRequest: special Random, selected_group, cookie", "[tls][messages]") {
    const std::string t = "hello_retry_request.json";
    ServerHello hrr;
    const Buf hrr_msg = trace_field(t, "server", "construct a ServerHello", "ServerHello");
    REQUIRE(parse_server_hello(body_of(hrr_msg), hrr) == TlsError::ok);
    CHECK(hrr.hello_retry_request);
    CHECK(hrr.cipher_suite == 0x1301);
    CHECK(hrr.extensions.key_share_group == 0x0017);  // secp256r1
    CHECK(hrr.extensions.selected_version == 0x0304);
    CHECK(hrr.extensions.cookie.size() == 0x72);

    ClientHello ch2;
    const Buf ch2_msg = trace_field(t, "client", "construct a ClientHello", "ClientHello", 1);
    REQUIRE(parse_client_hello(body_of(ch2_msg), ch2) == TlsError::ok);
    CHECK(hex(ch2.extensions.cookie) == hex(hrr.extensions.cookie));
    KeyShareList shares{ByteReader(ch2.extensions.client_shares)};
    std::uint16_t group = 0;
    Bytes kx;
    REQUIRE(shares.next(group, kx));
    CHECK(group == 0x0017);
    CHECK(hex(kx) == hex(trace_field(t, "client", "create an ephemeral P-256", "public key")));

    ServerHello sh;
    const Buf sh_msg = trace_field(t, "server", "construct a ServerHello", "ServerHello", 1);
    REQUIRE(parse_server_hello(body_of(sh_msg), sh) == TlsError::ok);
    CHECK(!sh.hello_retry_request);
    CHECK(sh.extensions.key_share_group == 0x0017);
    CHECK(hex(sh.extensions.key_share_key_exchange) ==
          hex(trace_field(t, "server", "create an ephemeral P-256", "public key")));
}

TEST_CASE("RFC 8448 §6 client authentication: CertificateRequest", "[tls][messages]") {
    CertificateRequest cr;
    const Buf cr_msg = trace_field("client_auth.json", "server", "construct a CertificateRequest", "CertificateRequest");
    REQUIRE(parse_certificate_request(body_of(cr_msg), cr) == TlsError::ok);
    CHECK(cr.context.empty());
    CHECK(hex(cr.extensions.signature_algorithms) == "040305030603020308040805080604010501060102010402050206020202");
    Certificate client_cert;
    const Buf cert_msg = trace_field("client_auth.json", "client", "construct a Certificate", "Certificate");
    REQUIRE(parse_certificate(body_of(cert_msg), client_cert) == TlsError::ok);
    CertificateEntries entries{ByteReader(client_cert.entries)};
    Bytes der;
    Extensions x;
    REQUIRE(entries.next(der, x));
    CHECK(der.size() == 0x1b6);
}

TEST_CASE("truncation at every offset is handshake_malformed", "[tls][messages]") {
    int cases = 0;
    for (const auto& m : all_messages()) {
        if (m.name == "EndOfEarlyData") continue;
        INFO(m.trace << " " << m.name);
        const Bytes body = body_of(m.bytes);
        for (std::size_t n = 0; n < m.bytes.size(); n++) {
            Handshake h;
            std::size_t used = 1;
            // The framing reports an incomplete message (wait for more), never a short body.
            CHECK(split_handshake(Bytes(m.bytes).first(n), h, used) == TlsError::ok);
            CHECK(used == 0);
        }
        for (std::size_t n = 0; n < body.size(); n++) {
            INFO("body cut to " << n << " of " << body.size());
            Buf cut(m.bytes.begin(), m.bytes.begin() + long(4 + n));
            cut[1] = std::uint8_t(n >> 16), cut[2] = std::uint8_t(n >> 8), cut[3] = std::uint8_t(n);
            CHECK(parse_any(cut) == TlsError::handshake_malformed);
            cases++;
        }
    }
    CHECK(cases > 4000);  // about 4900 cuts over the 32 messages
}

TEST_CASE("every length field off by one is rejected", "[tls][messages]") {
    int fields = 0, malformed = 0;
    std::map<std::string, int> other;
    for (const auto& m : all_messages()) {
        if (m.name == "EndOfEarlyData") continue;
        INFO(m.trace << " " << m.name);
        Walker w{m.bytes, 0, {}};
        w.walk();
        REQUIRE(!w.fields.empty());
        for (const auto& f : w.fields) {
            std::uint32_t v = 0;
            for (unsigned i = 0; i < f.octets; i++) v = (v << 8) | m.bytes[f.at + i];
            for (int delta : {-1, +1}) {
                const std::uint32_t nv = std::uint32_t(std::int64_t(v) + delta) & ((1u << (8 * f.octets)) - 1);
                Buf bad = m.bytes;
                for (unsigned i = 0; i < f.octets; i++) bad[f.at + i] = std::uint8_t(nv >> (8 * (f.octets - 1 - i)));
                INFO("length field at " << f.at << " (" << f.octets << " octets) " << v << " -> " << nv);
                const TlsError e = parse_any(bad);
                CHECK(e != TlsError::ok);
                // A shifted read can land on other valid-looking data: then the error names what the
                // shifted bytes are (e.g. a repeated extension type); every one is a peer error.
                const AlertDescription a = alert_for(e);
                CHECK((a == AlertDescription::decode_error || a == AlertDescription::illegal_parameter ||
                       a == AlertDescription::unsupported_extension));
                if (e == TlsError::handshake_malformed) malformed++;
                else other[error_name(e)]++;
                fields++;
            }
        }
    }
    for (const auto& [name, n] : other) WARN(name << ": " << n);
    CHECK(fields > 400);  // 219 length fields in the 32 messages, each -1 and +1
    CHECK(malformed > fields * 9 / 10);
}

TEST_CASE("the §4.2 table: each known extension in each message", "[tls][messages]") {
    // RFC 8446 §4.2's table (CH, SH, HRR, EE, CR, CT, NST), and RFC 8449 §4 for record_size_limit.
    struct Row {
        std::uint16_t type;
        const char* where;
    };
    const Row table[] = {
        {0, "CH EE"}, {1, "CH EE"}, {5, "CH CR CT"}, {10, "CH EE"}, {13, "CH CR"}, {14, "CH EE"},
        {15, "CH EE"}, {16, "CH EE"}, {18, "CH CR CT"}, {19, "CH EE"}, {20, "CH EE"}, {21, "CH"},
        {28, "CH EE"}, {41, "CH SH"}, {42, "CH EE NST"}, {43, "CH SH HRR"}, {44, "CH HRR"}, {45, "CH"},
        {47, "CH CR"}, {48, "CR"}, {49, "CH"}, {50, "CH CR"}, {51, "CH SH HRR"},
    };
    const std::pair<const char*, ExtContext> contexts[] = {
        {"CH", ExtContext::client_hello}, {"SH", ExtContext::server_hello},
        {"HRR", ExtContext::hello_retry_request}, {"EE", ExtContext::encrypted_extensions},
        {"CR", ExtContext::certificate_request}, {"CT", ExtContext::certificate},
        {"NST", ExtContext::new_session_ticket},
    };
    int forbidden = 0;
    for (const auto& row : table) {
        for (const auto& [name, ctx] : contexts) {
            const std::string where = std::string(" ") + row.where + " ";
            const bool allowed = where.find(std::string(" ") + name + " ") != std::string::npos;
            INFO("extension " << row.type << " in " << name);
            // An empty body: fine for some, a decode error for others, but never a table error if allowed.
            Extensions e;
            const TlsError got = parse_extensions(ext_block(row.type, {}), ctx, e);
            if (allowed) {
                CHECK((got == TlsError::ok || got == TlsError::handshake_malformed));
            } else {
                CHECK(got == TlsError::extension_forbidden);
                CHECK(alert_for(got) == AlertDescription::illegal_parameter);
                forbidden++;
            }
        }
    }
    CHECK(forbidden == 23 * 7 - 47);  // 47 cells of the table are filled
}

TEST_CASE("unknown, duplicate and misplaced extensions", "[tls][messages]") {
    const Buf unknown = ext_block(0xfa5a, {1, 2, 3});
    Extensions e;
    SECTION("unknown: ignored where §4.2, §4.3.2, §4.6.1 say so, unsupported_extension in answers") {
        CHECK(parse_extensions(unknown, ExtContext::client_hello, e) == TlsError::ok);
        CHECK(e.present == 0);
        CHECK(parse_extensions(unknown, ExtContext::certificate_request, e) == TlsError::ok);
        CHECK(parse_extensions(unknown, ExtContext::new_session_ticket, e) == TlsError::ok);
        for (ExtContext c : {ExtContext::server_hello, ExtContext::hello_retry_request,
                             ExtContext::encrypted_extensions, ExtContext::certificate}) {
            CHECK(parse_extensions(unknown, c, e) == TlsError::extension_unsupported);
        }
        CHECK(alert_for(TlsError::extension_unsupported) == AlertDescription::unsupported_extension);
    }
    SECTION("duplicates, known and unknown") {
        const Buf sv = ext_block(ext::supported_versions, {0x03, 0x04});
        CHECK(parse_extensions(cat({sv, sv}), ExtContext::server_hello, e) == TlsError::extension_duplicate);
        CHECK(parse_extensions(cat({unknown, ext_block(ext::padding, {}), unknown}), ExtContext::client_hello, e) ==
              TlsError::extension_duplicate);
        CHECK(alert_for(TlsError::extension_duplicate) == AlertDescription::illegal_parameter);
    }
    SECTION("pre_shared_key must be last in ClientHello") {
        const Buf full = trace_field("resumed_0rtt.json", "client", "send handshake record", "payload");
        ClientHello ch;
        REQUIRE(parse_client_hello(body_of(full), ch) == TlsError::ok);
        // Move an unknown extension after pre_shared_key: the same message otherwise.
        Buf out(full.size() + 16);
        ByteWriter w(out);
        const auto m = begin_handshake(w, HandshakeType::client_hello);
        write_client_hello_fields(w, ch.random.first<random_size>(), ch.legacy_session_id, ch.cipher_suites);
        const auto x = begin_extensions(w);
        w.add_bytes(ch.extensions.block);
        w.add_bytes(unknown);
        end_extensions(w, x);
        end_handshake(w, m);
        std::size_t n = 0;
        REQUIRE(w.finish(n));
        out.resize(n);
        CHECK(parse_any(out) == TlsError::psk_not_last);
        CHECK(alert_for(TlsError::psk_not_last) == AlertDescription::illegal_parameter);
        // pre_shared_key in ServerHello need not be last (the rule is the ClientHello's).
        const Buf sh = cat({ext_block(ext::pre_shared_key, {0, 0}), ext_block(ext::supported_versions, {3, 4})});
        CHECK(parse_extensions(sh, ExtContext::server_hello, e) == TlsError::ok);
    }
    SECTION("PSK identities and binders differ in number") {
        Buf binder(33, 0x20);
        binder[0] = 32;
        Buf body = {0, 7, 0, 1, 'x', 0, 0, 0, 0, 0, 66};
        body.insert(body.end(), binder.begin(), binder.end());
        body.insert(body.end(), binder.begin(), binder.end());
        CHECK(parse_extensions(ext_block(ext::pre_shared_key, body), ExtContext::client_hello, e) ==
              TlsError::psk_binder_count_mismatch);
        body[10] = 33;  // one binder only: a valid offer
        body.resize(11 + 33);
        CHECK(parse_extensions(ext_block(ext::pre_shared_key, body), ExtContext::client_hello, e) == TlsError::ok);
        CHECK(e.has(ext::pre_shared_key));
    }
    SECTION("record_size_limit below 64 (RFC 8449 §4)") {
        CHECK(parse_extensions(ext_block(ext::record_size_limit, {0, 63}), ExtContext::encrypted_extensions, e) ==
              TlsError::record_size_limit_invalid);
        CHECK(parse_extensions(ext_block(ext::record_size_limit, {0, 64}), ExtContext::encrypted_extensions, e) ==
              TlsError::ok);
        CHECK(e.record_size_limit == 64);
    }
}

TEST_CASE("message-level rejections", "[tls][messages]") {
    const std::string t = "simple_1rtt.json";
    SECTION("legacy compression (§4.1.2, §4.1.3)") {
        Buf ch = trace_field(t, "client", "construct a ClientHello", "ClientHello");
        // ClientHello: 4 + 2 + 32 + 1 (empty session id) + 2 + 6 (suites) = 47, then 01 00.
        REQUIRE(ch[4 + 43] == 1);
        ch[4 + 44] = 1;
        CHECK(parse_any(ch) == TlsError::legacy_compression_invalid);
        Buf sh = trace_field(t, "server", "construct a ServerHello", "ServerHello");
        REQUIRE(sh[4 + 2 + 32 + 1 + 2] == 0);
        sh[4 + 2 + 32 + 1 + 2] = 1;
        CHECK(parse_any(sh) == TlsError::legacy_compression_invalid);
        CHECK(alert_for(TlsError::legacy_compression_invalid) == AlertDescription::illegal_parameter);
    }
    SECTION("CertificateRequest without signature_algorithms (§4.3.2)") {
        CHECK(parse_any(Buf{13, 0, 0, 3, 0, 0, 0}) == TlsError::certificate_request_no_sigalgs);
        CHECK(alert_for(TlsError::certificate_request_no_sigalgs) == AlertDescription::missing_extension);
    }
    SECTION("framing: unknown types and EndOfEarlyData") {
        Handshake h;
        std::size_t used = 0;
        for (std::uint8_t type : {0, 3, 6, 254, 255}) {
            const Buf m = {type, 0, 0, 0};
            CHECK(split_handshake(m, h, used) == TlsError::handshake_unknown_type);
        }
        CHECK(split_handshake(Buf{5, 0, 0, 0}, h, used) == TlsError::ok);
        CHECK(parse_end_of_early_data(Buf{0}) == TlsError::handshake_malformed);  // §4.5: empty
        CHECK(alert_for(TlsError::handshake_unknown_type) == AlertDescription::unexpected_message);
        CHECK(alert_for(TlsError::end_of_early_data_refused) == AlertDescription::unexpected_message);
        CHECK(alert_for(TlsError::handshake_malformed) == AlertDescription::decode_error);
    }
    SECTION("KeyUpdate (§4.6.3)") {
        KeyUpdate k;
        CHECK(parse_any(Buf{24, 0, 0, 1, 0}) == TlsError::ok);
        CHECK(parse_key_update(Buf{1}, k) == TlsError::ok);
        CHECK(k.request_update == 1);
        CHECK(parse_any(Buf{24, 0, 0, 1, 2}) == TlsError::key_update_bad_request);
        CHECK(parse_any(Buf{24, 0, 0, 0}) == TlsError::key_update_malformed);
        CHECK(parse_any(Buf{24, 0, 0, 2, 0, 0}) == TlsError::key_update_malformed);
        Buf out(8);
        ByteWriter w(out);
        const auto m = begin_handshake(w, HandshakeType::key_update);
        write_key_update(w, 0);
        end_handshake(w, m);
        std::size_t n = 0;
        REQUIRE(w.finish(n));
        CHECK(hex(Bytes(out).first(n)) == "1800000100");
    }
    SECTION("Finished of the wrong length (§4.4.4)") {
        const Buf fin = trace_field(t, "server", "construct a Finished", "Finished");
        CHECK(parse_any(fin, 48) == TlsError::handshake_malformed);
        CHECK(parse_any(fin, 32) == TlsError::ok);
    }
    SECTION("a builder that runs out of room fails") {
        const Buf ch = trace_field(t, "client", "construct a ClientHello", "ClientHello");
        ClientHello p;
        REQUIRE(parse_client_hello(body_of(ch), p) == TlsError::ok);
        Buf out(ch.size() - 1);
        ByteWriter w(out);
        const auto m = begin_handshake(w, HandshakeType::client_hello);
        write_client_hello_fields(w, p.random.first<random_size>(), p.legacy_session_id, p.cipher_suites);
        rewrite_extensions(w, p.extensions, ExtContext::client_hello);
        end_handshake(w, m);
        std::size_t n = 0;
        CHECK(!w.finish(n));
    }
}
