// SPDX-License-Identifier: Apache-2.0
// TLS 1.3 key schedule (RFC 8446 §7), transcript hash (§4.4.1), Finished keys (§4.4.4), PSK binders
// (§4.2.11.2) and the resumption PSK (§4.6.1) against the RFC 8448 traces in vectors/rfc8448/
// (§3 simple 1-RTT, §4 resumed 0-RTT, §5 HelloRetryRequest, §6 client authentication). The trace is
// walked in order as data; every step that carries values is recomputed, each by the side that
// performs it, and each "(same as ...)" step is recomputed by the other side against the first
// side's values, so both the client's and the server's schedule are checked.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/ec/p256.hpp"
#include "crypto/ec/x25519.hpp"
#include "tests/support.hpp"
#include "tls/config.hpp"
#include "tls/key_schedule.hpp"
#include "tls/transcript.hpp"

using namespace padlock;
using namespace padlock::test;
using namespace padlock::tls;
using nlohmann::json;

namespace {

const CipherSuite& suite = tls_aes_128_gcm_sha256;  // every RFC 8448 trace
const HashOps& sha256 = *suite.hash;

std::string strip_same_as(const std::string& action) {
    auto at = action.find(" (same as");
    return at == std::string::npos ? action : action.substr(0, at);
}

std::string quoted(const std::string& action) {
    auto a = action.find('"'), b = action.rfind('"');
    REQUIRE(a != std::string::npos);
    REQUIRE(b > a);
    return action.substr(a + 1, b - a - 1);
}

Buf digest_of(const HashOps& hash, Bytes data) {
    Transcript t;
    t.start(hash);
    REQUIRE(t.update(data) == TlsError::ok);
    Buf out(hash.size);
    REQUIRE(t.current(out) == TlsError::ok);
    return out;
}

std::string hkdf_label_hex(std::size_t length, const std::string& label, Bytes context) {
    std::uint8_t buf[max_hkdf_label_size];
    std::size_t n = 0;
    REQUIRE(build_hkdf_label(length, label, context, buf, n) == TlsError::ok);
    return hex(Bytes(buf, n));
}

// HelloRetryRequest is a ServerHello whose random is SHA-256("HelloRetryRequest") (§4.1.3).
bool is_hello_retry_request(const Buf& server_hello) {
    const std::string hrr_random = "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c";
    return server_hello.size() >= 38 && hex(Bytes(server_hello.data() + 6, 32)) == hrr_random;
}

struct Seen {
    json fields;
    Buf transcript_hash;  // Transcript-Hash of the messages so far when the step was printed
};

struct Side {
    KeySchedule ks;
    std::map<std::string, Seen> seen;  // by action without "(same as ...)"
    Buf private_key, public_key;
    bool p256 = false;
    Buf resumption_master_secret;
};

struct WalkCounts {
    int secrets = 0, derived = 0, traffic_keys = 0, finished = 0, binders = 0, messages = 0, ecdhe = 0,
        psk = 0;
};

// Walks one trace. Returns the counts of checked steps so the caller can require that the trace
// exercised what it should.
WalkCounts walk(const std::string& file, std::map<std::string, Buf>* outputs = nullptr) {
    const json doc = load_kat("rfc8448/" + file);
    INFO(doc["source"].get<std::string>());
    REQUIRE(doc["cipher_suite"] == "TLS_AES_128_GCM_SHA256");
    std::map<std::string, Side> sides;
    sides["client"].ks.start(sha256);
    sides["server"].ks.start(sha256);
    Transcript transcript;
    transcript.start(sha256);
    std::set<std::string> traffic_secrets;  // hex of every traffic secret derived so far
    WalkCounts count;
    const Buf empty_hash = digest_of(sha256, {});

    for (const auto& step : doc["steps"]) {
        const std::string actor = step["actor"], action = step["action"];
        const std::string other = actor == "client" ? "server" : "client";
        const std::string act = strip_same_as(action);
        INFO("step {" << actor << "} " << action);
        Side& me = sides[actor];

        if (act.rfind("send ", 0) == 0) continue;  // records: tests/test_tls_record.cpp

        json f;
        Buf at_hash(sha256.size);
        if (!step["fields"].empty()) {
            f = step["fields"];
            if (act.rfind("construct a ", 0) == 0) {
                const std::string name = act.substr(12, act.find(' ', 12) - 12);
                Buf msg = unhex(f[name]);
                if (name != "NewSessionTicket") {  // post-handshake messages are not hashed (§4.4.1)
                    if (name == "ServerHello" && is_hello_retry_request(msg))
                        REQUIRE(transcript.replace_with_message_hash() == TlsError::ok);
                    REQUIRE(transcript.update(msg) == TlsError::ok);
                    count.messages++;
                }
                if (name == "ClientHello") me.seen["ClientHello"] = Seen{f, {}};
                continue;
            }
            REQUIRE(transcript.current(at_hash) == TlsError::ok);
            me.seen[act] = Seen{f, at_hash};
        } else {
            // "derive read traffic keys ... (same as <other side's> write keys)": the same secret and
            // keys under another heading; tests/test_tls_record.cpp uses them.
            if (act.find("traffic keys") != std::string::npos) continue;
            auto it = sides[other].seen.find(act);
            REQUIRE(it != sides[other].seen.end());
            f = it->second.fields;
            at_hash = it->second.transcript_hash;
        }

        if (act.find("create an ephemeral") == 0) {
            me.private_key = unhex(f["private key"]);
            me.public_key = unhex(f["public key"]);
            me.p256 = act.find("P-256") != std::string::npos;
            if (me.p256) {
                std::uint8_t pub[65];
                REQUIRE(p256_public_from_private(fixed<32>(me.private_key), pub) == CryptoError::ok);
                CHECK(hex(pub) == hex(me.public_key));
            } else {
                std::uint8_t pub[32];
                x25519_base(fixed<32>(me.private_key), pub);
                CHECK(hex(pub) == hex(me.public_key));
            }
        } else if (act == "extract secret \"early\"") {
            REQUIRE(me.ks.derive_early_secret(unhex(f["IKM"])) == TlsError::ok);
            CHECK(f["salt"] == "zero");
            CHECK(hex(me.ks.current_secret()) == f["secret"].get<std::string>());
            if (f["IKM"] != std::string(64, '0')) count.psk++;
            count.secrets++;
        } else if (act == "extract secret \"handshake\"") {
            // The (EC)DHE shared secret, computed from this side's private key and the peer's share.
            const Side& peer = sides[other];
            std::uint8_t shared[32];
            if (me.p256) {
                Buf point = peer.public_key;
                REQUIRE(p256_ecdh(fixed<32>(me.private_key), point, shared) == CryptoError::ok);
            } else {
                REQUIRE(x25519(fixed<32>(me.private_key), fixed<32>(peer.public_key), shared) == CryptoError::ok);
            }
            CHECK(hex(shared) == f["IKM"].get<std::string>());
            count.ecdhe++;
            REQUIRE(me.ks.derive_handshake_secret(shared) == TlsError::ok);
            CHECK(hex(me.ks.current_secret()) == f["secret"].get<std::string>());
            count.secrets++;
        } else if (act == "extract secret \"master\"") {
            CHECK(f["IKM"] == std::string(64, '0'));
            REQUIRE(me.ks.derive_master_secret() == TlsError::ok);
            CHECK(hex(me.ks.current_secret()) == f["secret"].get<std::string>());
            count.secrets++;
        } else if (act.find("derive secret for ") == 0) {  // "... for handshake/master \"tls13 derived\""
            CHECK(quoted(act) == "tls13 derived");
            CHECK(hex(me.ks.current_secret()) == f["PRK"].get<std::string>());
            CHECK(f["hash"] == hex(empty_hash));
            Secret out;
            REQUIRE(derive_secret(sha256, unhex(f["PRK"]), label::derived, unhex(f["hash"]), out) == TlsError::ok);
            CHECK(hex(out.view()) == f["expanded"].get<std::string>());
            CHECK(hkdf_label_hex(32, "derived", empty_hash) == f["info"].get<std::string>());
            count.derived++;
        } else if (act.find("derive secret \"tls13 ") == 0) {
            const std::string name = quoted(act).substr(6);
            CHECK(hex(at_hash) == f["hash"].get<std::string>());  // our transcript at this point
            CHECK(hex(me.ks.current_secret()) == f["PRK"].get<std::string>());
            CHECK(hkdf_label_hex(32, name, unhex(f["hash"])) == f["info"].get<std::string>());
            const Buf h = unhex(f["hash"]);
            Secret out;
            TlsError err = TlsError::api_misuse;
            if (name == "c e traffic") err = me.ks.derive_client_early_traffic_secret(h, out);
            else if (name == "e exp master") err = me.ks.derive_early_exporter_master_secret(h, out);
            else if (name == "c hs traffic") err = me.ks.derive_client_handshake_traffic_secret(h, out);
            else if (name == "s hs traffic") err = me.ks.derive_server_handshake_traffic_secret(h, out);
            else if (name == "c ap traffic") err = me.ks.derive_client_application_traffic_secret_0(h, out);
            else if (name == "s ap traffic") err = me.ks.derive_server_application_traffic_secret_0(h, out);
            else if (name == "exp master") err = me.ks.derive_exporter_master_secret(h, out);
            else if (name == "res master") err = me.ks.derive_resumption_master_secret(h, out);
            else FAIL("unknown Derive-Secret label " << name);
            REQUIRE(err == TlsError::ok);
            CHECK(hex(out.view()) == f["expanded"].get<std::string>());
            if (name.find("traffic") != std::string::npos) traffic_secrets.insert(hex(out.view()));
            if (name == "res master") {
                me.resumption_master_secret = Buf(out.view().begin(), out.view().end());
                CHECK(me.ks.stage() == KeySchedule::Stage::done);
                CHECK(me.ks.current_secret().empty());  // the Master Secret is wiped
            }
            if (outputs) (*outputs)[actor + " " + name] = Buf(out.view().begin(), out.view().end());
            count.secrets++;
        } else if (act == "calculate finished \"tls13 finished\"") {
            CHECK(traffic_secrets.count(f["PRK"]) == 1);  // BaseKey is a handshake traffic secret
            CHECK(hkdf_label_hex(32, "finished", {}) == f["info"].get<std::string>());
            Secret key, verify;
            REQUIRE(finished_key(sha256, unhex(f["PRK"]), key) == TlsError::ok);
            CHECK(hex(key.view()) == f["expanded"].get<std::string>());
            REQUIRE(finished_verify_data(sha256, key.view(), at_hash, verify) == TlsError::ok);
            CHECK(hex(verify.view()) == f["finished"].get<std::string>());
            count.finished++;
        } else if (act == "calculate PSK binder") {
            // §4.2.11.2: the binder is a Finished MAC over the ClientHello up to the binders list, with
            // binder_key = Derive-Secret(Early Secret, "res binder", "") as its BaseKey.
            const Buf prefix = unhex(f["ClientHello prefix"]);
            Transcript partial;
            partial.start(sha256);
            REQUIRE(partial.update(prefix) == TlsError::ok);
            Buf binder_hash(32);
            REQUIRE(partial.current(binder_hash) == TlsError::ok);
            CHECK(hex(binder_hash) == f["binder hash"].get<std::string>());
            Secret binder_key, key, binder;
            REQUIRE(me.ks.derive_binder_key(true, binder_key) == TlsError::ok);
            CHECK(hex(binder_key.view()) == f["PRK"].get<std::string>());
            REQUIRE(finished_key(sha256, binder_key.view(), key) == TlsError::ok);
            CHECK(hex(key.view()) == f["expanded"].get<std::string>());
            REQUIRE(finished_verify_data(sha256, key.view(), binder_hash, binder) == TlsError::ok);
            CHECK(hex(binder.view()) == f["finished"].get<std::string>());
            // The trace prints the ClientHello up to the binders; the client appends
            // PskBinderEntry list <33> = 00 21, 20, binder to it (and to the transcript) and sends
            // that, as the next record's payload shows.
            const Buf binders = unhex("002120" + hex(binder.view()));
            if (!step["fields"].empty()) {
                CHECK(me.seen["ClientHello"].fields["ClientHello"] == hex(prefix));
                REQUIRE(transcript.update(binders) == TlsError::ok);
                std::string sent;
                for (const auto& s : doc["steps"])
                    if (sent.empty() && s["actor"] == "client" && s["action"] == "send handshake record")
                        sent = s["fields"]["payload"];
                CHECK(sent == hex(prefix) + hex(binders));
            }
            count.binders++;
        } else if (act == "generate resumption secret \"tls13 resumption\"") {
            CHECK(hex(me.resumption_master_secret) == f["PRK"].get<std::string>());
            CHECK(hkdf_label_hex(32, "resumption", unhex(f["hash"])) == f["info"].get<std::string>());
            Secret psk;
            REQUIRE(resumption_psk(sha256, unhex(f["PRK"]), unhex(f["hash"]), psk) == TlsError::ok);
            CHECK(hex(psk.view()) == f["expanded"].get<std::string>());
            if (outputs) (*outputs)[actor + " resumption psk"] = Buf(psk.view().begin(), psk.view().end());
            count.psk++;
        } else if (act.find("derive ") == 0 && act.find("traffic keys") != std::string::npos) {
            CHECK(traffic_secrets.count(f["PRK"]) == 1);
            CHECK(hkdf_label_hex(16, "key", {}) == f["key info"].get<std::string>());
            CHECK(hkdf_label_hex(12, "iv", {}) == f["iv info"].get<std::string>());
            TrafficKeys keys;
            REQUIRE(traffic_keys(suite, unhex(f["PRK"]), keys) == TlsError::ok);
            CHECK(hex(keys.key.view()) == f["key expanded"].get<std::string>());
            CHECK(hex(keys.iv.view()) == f["iv expanded"].get<std::string>());
            count.traffic_keys++;
        } else {
            FAIL("a trace step this walker does not know");
        }
    }
    return count;
}

}  // namespace

TEST_CASE("RFC 8448 §3 simple 1-RTT: every secret, as client and as server", "[tls][key_schedule]") {
    std::map<std::string, Buf> out;
    WalkCounts c = walk("simple_1rtt.json", &out);
    // Both sides: early, handshake, master; 5 Derive-Secrets server-side, 5 + res master client-side...
    CHECK(c.secrets == 2 * 3 + 2 * 6);
    CHECK(c.derived == 2 * 2);
    CHECK(c.finished == 4);          // server Finished, client Finished, each by both sides
    CHECK(c.psk == 2);               // resumption PSK, by both sides
    CHECK(c.ecdhe == 2);
    CHECK(c.messages == 7);          // CH SH EE Cert CV SF CF
    CHECK(c.traffic_keys == 4);       // the printed ones; "same as" key steps are for the record test
}

TEST_CASE("RFC 8448 §4 resumed 0-RTT: PSK early secret, binder, early traffic, both sides", "[tls][key_schedule]") {
    WalkCounts c = walk("resumed_0rtt.json");
    CHECK(c.binders == 2);
    CHECK(c.psk == 2);               // the early secret from a PSK, on both sides
    CHECK(c.secrets == 2 * 3 + 2 * 8);
    CHECK(c.messages == 6);          // CH SH EE SF EndOfEarlyData CF
}

TEST_CASE("RFC 8448 §4 resumes with the PSK §3 derived", "[tls][key_schedule]") {
    std::map<std::string, Buf> out;
    walk("simple_1rtt.json", &out);
    const json resumed = load_kat("rfc8448/resumed_0rtt.json");
    std::string early_ikm;
    for (const auto& s : resumed["steps"])
        if (s["action"] == "extract secret \"early\"" && s["actor"] == "client") early_ikm = s["fields"]["IKM"];
    CHECK(hex(out["client resumption psk"]) == early_ikm);
    CHECK(hex(out["server resumption psk"]) == early_ikm);
}

TEST_CASE("RFC 8448 §5 HelloRetryRequest: transcript with message_hash (§4.4.1)", "[tls][key_schedule]") {
    WalkCounts c = walk("hello_retry_request.json");
    CHECK(c.messages == 9);          // CH1 HRR CH2 SH EE Cert CV SF CF
    CHECK(c.ecdhe == 2);             // P-256 on both sides
    CHECK(c.secrets == 2 * 3 + 2 * 6);
}

TEST_CASE("RFC 8448 §6 client authentication", "[tls][key_schedule]") {
    WalkCounts c = walk("client_auth.json");
    CHECK(c.messages == 10);         // CH SH EE CR Cert CV SF Cert CV CF
    CHECK(c.finished == 4);
    CHECK(c.secrets == 2 * 3 + 2 * 6);
}

TEST_CASE("message_hash substitution is Hash(254 00 00 20 || Hash(ClientHello1))", "[tls][transcript]") {
    // §4.4.1 spelled out by hand, independent of replace_with_message_hash.
    const Buf ch1 = filler(300, 7), hrr = filler(90, 9);
    Buf synthetic = {254, 0, 0, 32};
    Buf h1 = digest_of(sha256, ch1);
    synthetic.insert(synthetic.end(), h1.begin(), h1.end());
    synthetic.insert(synthetic.end(), hrr.begin(), hrr.end());
    Transcript t;
    t.start(sha256);
    REQUIRE(t.update(Bytes(ch1).first(100)) == TlsError::ok);  // in pieces
    REQUIRE(t.update(Bytes(ch1).subspan(100)) == TlsError::ok);
    REQUIRE(t.replace_with_message_hash() == TlsError::ok);
    REQUIRE(t.update(hrr) == TlsError::ok);
    Buf got(32);
    REQUIRE(t.current(got) == TlsError::ok);
    CHECK(hex(got) == hex(digest_of(sha256, synthetic)));
    // current() does not disturb the running hash.
    Buf again(32);
    REQUIRE(t.current(again) == TlsError::ok);
    CHECK(hex(again) == hex(got));
    Buf wrong_size(31);
    CHECK(t.current(wrong_size) == TlsError::buffer_too_small);
    Transcript unstarted;
    CHECK(unstarted.update(hrr) == TlsError::api_misuse);
}

TEST_CASE("KeySchedule refuses steps out of stage and wipes each stage", "[tls][key_schedule]") {
    KeySchedule ks;
    Secret out;
    const Buf h(32, 0x11);
    CHECK(ks.derive_early_secret({}) == TlsError::api_misuse);  // not started
    ks.start(sha256);
    CHECK(ks.derive_handshake_secret(h) == TlsError::api_misuse);
    CHECK(ks.derive_master_secret() == TlsError::api_misuse);
    REQUIRE(ks.derive_early_secret({}) == TlsError::ok);
    // An empty PSK is Hash.length zeros (§7.1): RFC 8448 §3's early secret.
    CHECK(hex(ks.current_secret()) == "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a");
    CHECK(ks.derive_early_secret({}) == TlsError::api_misuse);
    CHECK(ks.derive_client_handshake_traffic_secret(h, out) == TlsError::api_misuse);
    CHECK(ks.derive_client_early_traffic_secret(Buf(31), out) == TlsError::api_misuse);  // wrong hash size
    REQUIRE(ks.derive_handshake_secret(h) == TlsError::ok);
    CHECK(ks.derive_client_early_traffic_secret(h, out) == TlsError::api_misuse);  // Early Secret is gone
    CHECK(ks.derive_binder_key(true, out) == TlsError::api_misuse);
    REQUIRE(ks.derive_master_secret() == TlsError::ok);
    CHECK(ks.derive_server_handshake_traffic_secret(h, out) == TlsError::api_misuse);
    REQUIRE(ks.derive_resumption_master_secret(h, out) == TlsError::ok);
    CHECK(ks.current_secret().empty());
    CHECK(ks.derive_exporter_master_secret(h, out) == TlsError::api_misuse);
}

TEST_CASE("key log: NSS labels and values of RFC 8448 §3, off by default", "[tls][key_schedule]") {
    struct Line {
        std::string label, random, secret;
    };
    std::vector<Line> lines;
    KeyLog log;
    log.context = &lines;
    log.write = [](void* ctx, const char* label, Bytes random, Bytes secret) {
        static_cast<std::vector<Line>*>(ctx)->push_back({label, hex(random), hex(secret)});
    };
    const json doc = load_kat("rfc8448/simple_1rtt.json");
    std::map<std::string, std::string> f;  // action -> expanded/secret/...
    std::string client_hello, shared;
    for (const auto& s : doc["steps"]) {
        if (s["actor"] != "server" && s["action"] != "construct a ClientHello handshake message") continue;
        if (s["action"] == "construct a ClientHello handshake message") client_hello = s["fields"]["ClientHello"];
        if (s["action"] == "extract secret \"handshake\"") shared = s["fields"]["IKM"];
        if (s["fields"].contains("expanded")) f[s["action"]] = s["fields"]["expanded"];
        if (s["fields"].contains("hash")) f[s["action"].get<std::string>() + " hash"] = s["fields"]["hash"];
    }
    const Buf ch = unhex(client_hello);
    const Buf random(ch.begin() + 6, ch.begin() + 38);  // ClientHello.random (§4.1.2)

    KeySchedule ks;
    ks.start(sha256);
    Secret s;
    REQUIRE(ks.derive_early_secret({}) == TlsError::ok);
    REQUIRE(ks.derive_handshake_secret(unhex(shared)) == TlsError::ok);
    REQUIRE(ks.derive_client_handshake_traffic_secret(unhex(f["derive secret \"tls13 c hs traffic\" hash"]), s) == TlsError::ok);
    CHECK(lines.empty());  // no callback set: nothing logged
    ks.set_key_log(log, fixed<32>(random));
    REQUIRE(ks.derive_server_handshake_traffic_secret(unhex(f["derive secret \"tls13 s hs traffic\" hash"]), s) == TlsError::ok);
    REQUIRE(ks.derive_master_secret() == TlsError::ok);
    const Buf h = unhex(f["derive secret \"tls13 c ap traffic\" hash"]);
    REQUIRE(ks.derive_client_application_traffic_secret_0(h, s) == TlsError::ok);
    REQUIRE(ks.derive_server_application_traffic_secret_0(h, s) == TlsError::ok);
    REQUIRE(ks.derive_exporter_master_secret(h, s) == TlsError::ok);
    REQUIRE(lines.size() == 4);
    CHECK(lines[0].label == "SERVER_HANDSHAKE_TRAFFIC_SECRET");
    CHECK(lines[0].secret == f["derive secret \"tls13 s hs traffic\""]);
    CHECK(lines[1].label == "CLIENT_TRAFFIC_SECRET_0");
    CHECK(lines[1].secret == f["derive secret \"tls13 c ap traffic\""]);
    CHECK(lines[2].label == "SERVER_TRAFFIC_SECRET_0");
    CHECK(lines[2].secret == f["derive secret \"tls13 s ap traffic\""]);
    CHECK(lines[3].label == "EXPORTER_SECRET");
    CHECK(lines[3].secret == f["derive secret \"tls13 exp master\""]);
    for (const auto& l : lines) CHECK(l.random == hex(random));

    char buf[200];
    std::size_t n = 0;
    const Buf secret = unhex(lines[1].secret);
    REQUIRE(format_key_log_line("CLIENT_TRAFFIC_SECRET_0", random, secret,
                                MutBytes(reinterpret_cast<std::uint8_t*>(buf), sizeof buf), n) == TlsError::ok);
    CHECK(std::string(buf, n) == "CLIENT_TRAFFIC_SECRET_0 " + hex(random) + " " + lines[1].secret + "\n");
    CHECK(format_key_log_line("X", random, secret, MutBytes(reinterpret_cast<std::uint8_t*>(buf), 60), n) ==
          TlsError::buffer_too_small);
}

TEST_CASE("Secret and KeyUpdate: next_application_traffic_secret replaces in place", "[tls][key_schedule]") {
    // §7.2 against HKDF-Expand-Label spelled out with the generic function.
    Secret s;
    const Buf start = filler(32, 3);
    REQUIRE(s.assign(start) == TlsError::ok);
    Buf want(32);
    REQUIRE(hkdf_expand_label(sha256, start, "traffic upd", {}, want) == TlsError::ok);
    REQUIRE(next_application_traffic_secret(sha256, s) == TlsError::ok);
    CHECK(hex(s.view()) == hex(want));
    CHECK(s.assign(Buf(49)) == TlsError::api_misuse);
    Secret short_one;
    REQUIRE(short_one.assign(Buf(20)) == TlsError::ok);
    CHECK(next_application_traffic_secret(sha256, short_one) == TlsError::api_misuse);
    std::uint8_t buf[max_hkdf_label_size];
    std::size_t n = 0;
    CHECK(build_hkdf_label(32, std::string(250, 'a'), {}, buf, n) == TlsError::api_misuse);  // > 255 with prefix
    CHECK(build_hkdf_label(32, "key", {}, MutBytes(buf, 10), n) == TlsError::buffer_too_small);
}

TEST_CASE("SHA-384 and ChaCha20 suites: the whole schedule against OpenSSL's TLS13-KDF", "[tls][key_schedule]") {
    // vectors/rfc8448/openssl_cross_check.json: computed by OpenSSL (see the script beside it).
    const json doc = load_kat("rfc8448/openssl_cross_check.json");
    REQUIRE(doc["suites"].size() == 2);
    for (const auto& v : doc["suites"]) {
        INFO(v["suite"].get<std::string>());
        const CipherSuite& s = v["suite"] == "TLS_AES_256_GCM_SHA384" ? tls_aes_256_gcm_sha384
                                                                      : tls_chacha20_poly1305_sha256;
        REQUIRE(std::string(s.name) == v["suite"].get<std::string>());
        const HashOps& hash = *s.hash;
        const auto& m = v["messages"];
        const auto& want = v["secrets"];
        std::map<std::string, Buf> h;
        Transcript t;
        t.start(hash);
        auto snap = [&](const char* name) {
            Buf d(hash.size);
            REQUIRE(t.current(d) == TlsError::ok);
            h[name] = d;
            CHECK(hex(d) == v["transcript_hashes"][name].get<std::string>());
        };
        snap("empty");
        REQUIRE(t.update(unhex(m["client_hello"])) == TlsError::ok);
        snap("ch");
        REQUIRE(t.update(unhex(m["server_hello"])) == TlsError::ok);
        snap("ch_sh");
        REQUIRE(t.update(unhex(m["server_flight"])) == TlsError::ok);
        snap("ch_sf");
        REQUIRE(t.update(unhex(m["client_finished"])) == TlsError::ok);
        snap("ch_cf");

        KeySchedule ks;
        ks.start(hash);
        Secret out;
        auto check = [&](TlsError err, const char* name) {
            INFO(name);
            REQUIRE(err == TlsError::ok);
            CHECK(hex(out.view()) == want[name].get<std::string>());
        };
        REQUIRE(ks.derive_early_secret(unhex(v["psk"])) == TlsError::ok);
        CHECK(hex(ks.current_secret()) == want["early_secret"].get<std::string>());
        check(ks.derive_binder_key(true, out), "binder_key");
        check(ks.derive_client_early_traffic_secret(h["ch"], out), "client_early_traffic_secret");
        check(ks.derive_early_exporter_master_secret(h["ch"], out), "early_exporter_master_secret");
        REQUIRE(ks.derive_handshake_secret(unhex(v["shared_secret"])) == TlsError::ok);
        CHECK(hex(ks.current_secret()) == want["handshake_secret"].get<std::string>());
        check(ks.derive_client_handshake_traffic_secret(h["ch_sh"], out), "client_handshake_traffic_secret");
        Secret finished, verify;
        REQUIRE(finished_key(hash, out.view(), finished) == TlsError::ok);
        CHECK(hex(finished.view()) == want["client_finished_key"].get<std::string>());
        REQUIRE(finished_verify_data(hash, finished.view(), h["ch_sf"], verify) == TlsError::ok);
        CHECK(hex(verify.view()) == want["client_verify_data"].get<std::string>());
        check(ks.derive_server_handshake_traffic_secret(h["ch_sh"], out), "server_handshake_traffic_secret");
        REQUIRE(ks.derive_master_secret() == TlsError::ok);
        CHECK(hex(ks.current_secret()) == want["master_secret"].get<std::string>());
        check(ks.derive_server_application_traffic_secret_0(h["ch_sf"], out), "server_application_traffic_secret_0");
        check(ks.derive_exporter_master_secret(h["ch_sf"], out), "exporter_master_secret");
        check(ks.derive_client_application_traffic_secret_0(h["ch_sf"], out), "client_application_traffic_secret_0");
        REQUIRE(next_application_traffic_secret(hash, out) == TlsError::ok);
        CHECK(hex(out.view()) == want["client_application_traffic_secret_1"].get<std::string>());
        check(ks.derive_resumption_master_secret(h["ch_cf"], out), "resumption_master_secret");
        Secret psk;
        REQUIRE(resumption_psk(hash, out.view(), unhex(want["ticket_nonce"]), psk) == TlsError::ok);
        CHECK(hex(psk.view()) == want["resumption_psk"].get<std::string>());
        for (const auto& rk : v["record_keys"]) {
            TrafficKeys keys;
            REQUIRE(traffic_keys(s, unhex(want[rk["traffic_secret"].get<std::string>()]), keys) == TlsError::ok);
            CHECK(hex(keys.key.view()) == rk["key"].get<std::string>());
            CHECK(hex(keys.iv.view()) == rk["iv"].get<std::string>());
        }
    }
}
