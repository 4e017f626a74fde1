// SPDX-License-Identifier: Apache-2.0
// TLS 1.3 record layer (RFC 8446 §5): every protected record of the RFC 8448 traces in
// vectors/rfc8448/ sealed with the trace's keys to the trace's bytes and opened back to its
// plaintext, by the client's and the server's record layers; then the rejections (bit flips, sizes,
// all-zero inner plaintext, content types), RFC 8449 limits, sequence numbers, KeyUpdate in both
// directions and the §5.5 AES-GCM record limit; the alert of each error (§6); the memory budget.
#include <catch2/catch.hpp>

#include <cstdio>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "crypto/symmetric/gcm.hpp"
#include "tests/support.hpp"
#include "tls/alert.hpp"
#include "tls/config.hpp"
#include "tls/record.hpp"

using namespace padlock;
using namespace padlock::test;
using namespace padlock::tls;
using nlohmann::json;

namespace {

const CipherSuite& suite = tls_aes_128_gcm_sha256;

struct RecordCounts {
    int sealed = 0, plaintext = 0;
};

// "derive write traffic keys for handshake data" -> "handshake data"
std::string phase_of(const std::string& action) {
    const std::string marker = "traffic keys for ";
    auto at = action.find(marker);
    REQUIRE(at != std::string::npos);
    std::string rest = action.substr(at + marker.size());
    auto paren = rest.find(" (same as");
    return paren == std::string::npos ? rest : rest.substr(0, paren);
}

ContentType type_named(const std::string& action) {
    if (action.find("send handshake record") == 0) return ContentType::handshake;
    if (action.find("send application_data record") == 0) return ContentType::application_data;
    if (action.find("send alert record") == 0) return ContentType::alert;
    FAIL("unknown record kind in \"" << action << "\"");
    return ContentType::invalid;
}

RecordCounts replay(const std::string& file) {
    const json doc = load_kat("rfc8448/" + file);
    INFO(doc["source"].get<std::string>());
    // Every printed key derivation names a traffic secret (PRK); a side's write keys for a phase are
    // the other side's read keys, which the trace prints under either heading.
    std::map<std::string, Buf> secret_of;  // "<writer> <phase>" -> traffic secret
    for (const auto& step : doc["steps"]) {
        const std::string action = step["action"];
        if (action.find("traffic keys for") == std::string::npos || step["fields"].empty()) continue;
        const std::string actor = step["actor"];
        const bool write = action.find("derive write") == 0;
        const std::string writer = write ? actor : (actor == "client" ? "server" : "client");
        secret_of[writer + " " + phase_of(action)] = unhex(step["fields"]["PRK"]);
    }
    std::map<std::string, RecordLayer> layer;  // each side's record layer
    RecordCounts count;
    for (const auto& step : doc["steps"]) {
        const std::string actor = step["actor"], action = step["action"];
        const std::string other = actor == "client" ? "server" : "client";
        INFO("step {" << actor << "} " << action);
        if (action.find("derive write traffic keys for") == 0) {
            auto it = secret_of.find(actor + " " + phase_of(action));
            REQUIRE(it != secret_of.end());
            REQUIRE(layer[actor].write.install(suite, it->second) == TlsError::ok);
            REQUIRE(layer[other].read.install(suite, it->second) == TlsError::ok);
            continue;
        }
        if (action.find("send ") != 0 || action.find(" record") == std::string::npos) continue;
        if (action.find("change_cipher_spec") != std::string::npos) continue;  // §7 compat only
        const Buf payload = unhex(step["fields"]["payload"]);
        const Buf complete = unhex(step["fields"]["complete record"]);
        const ContentType type = type_named(action);
        REQUIRE(complete.size() >= record_header_size);
        if (complete[0] != std::uint8_t(ContentType::application_data)) {
            // An unprotected record (ClientHello, ServerHello): the header frames the payload.
            RecordHeader h;
            REQUIRE(parse_record_header(std::span<const std::uint8_t, 5>(complete.data(), 5), h) == TlsError::ok);
            CHECK(h.type == type);
            CHECK(h.length == payload.size());
            CHECK(hex(Bytes(complete).subspan(5)) == hex(payload));
            count.plaintext++;
            continue;
        }
        // Seal with this side's write keys: the trace's bytes.
        Buf buf(record_buffer_size(max_inner_plaintext_size));
        std::copy(payload.begin(), payload.end(), buf.begin() + 5);
        std::size_t n = 0;
        REQUIRE(layer[actor].seal(type, buf, payload.size(), 0, n) == TlsError::ok);
        CHECK(hex(Bytes(buf).first(n)) == hex(complete));
        // Open with the other side's read keys: the trace's plaintext.
        Buf in = complete;
        ContentType got_type;
        MutBytes content;
        REQUIRE(layer[other].open(in, got_type, content) == TlsError::ok);
        CHECK(got_type == type);
        CHECK(hex(content) == hex(payload));
        count.sealed++;
    }
    return count;
}

// A side keyed with RFC 8448 §3's server application traffic secret, and its peer.
const char* server_ap_secret = "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643";

struct Pair {
    RecordLayer sender, receiver;
    Pair() {
        REQUIRE(sender.write.install(suite, unhex(server_ap_secret)) == TlsError::ok);
        REQUIRE(receiver.read.install(suite, unhex(server_ap_secret)) == TlsError::ok);
        REQUIRE(sender.read.install(suite, unhex(server_ap_secret)) == TlsError::ok);   // for the reverse path
        REQUIRE(receiver.write.install(suite, unhex(server_ap_secret)) == TlsError::ok);
    }
};

Buf seal_record(RecordLayer& layer, ContentType type, const Buf& content, std::size_t padding = 0) {
    Buf buf(record_header_size + content.size() + 1 + padding + tag_size);
    std::copy(content.begin(), content.end(), buf.begin() + 5);
    std::size_t n = 0;
    REQUIRE(layer.seal(type, buf, content.size(), padding, n) == TlsError::ok);
    REQUIRE(n == buf.size());
    return buf;
}

// Builds a record around an arbitrary TLSInnerPlaintext with AES-GCM directly (not through the record
// layer): the §5.2/§5.3 construction spelled out, for inner plaintexts the record layer never makes.
Buf craft_record(const Buf& inner, std::uint64_t sequence, std::uint8_t outer_type = 23) {
    TrafficKeys keys;
    REQUIRE(traffic_keys(suite, unhex(server_ap_secret), keys) == TlsError::ok);
    AesGcm gcm;
    REQUIRE(gcm.init(keys.key.view()) == CryptoError::ok);
    Buf nonce(keys.iv.view().begin(), keys.iv.view().end());
    for (int i = 0; i < 8; i++) nonce[11 - i] ^= std::uint8_t(sequence >> (8 * i));
    const std::size_t length = inner.size() + 16;
    Buf rec = {outer_type, 3, 3, std::uint8_t(length >> 8), std::uint8_t(length)};
    Buf ct(inner.size()), tag(16);
    REQUIRE(gcm.seal(nonce, Bytes(rec), inner, ct, fixed<16>(tag)) == CryptoError::ok);
    rec.insert(rec.end(), ct.begin(), ct.end());
    rec.insert(rec.end(), tag.begin(), tag.end());
    return rec;
}

TlsError open_record(RecordLayer& layer, Buf rec, ContentType& type, Buf& content) {
    MutBytes view;
    TlsError err = layer.open(rec, type, view);
    content.assign(view.begin(), view.end());
    return err;
}

}  // namespace

TEST_CASE("RFC 8448 §3: every record, sealed and opened by both sides", "[tls][record]") {
    RecordCounts c = replay("simple_1rtt.json");
    CHECK(c.plaintext == 2);  // ClientHello, ServerHello
    CHECK(c.sealed == 7);     // server hs flight, client Finished, NST, 2 application data, 2 alerts
}

TEST_CASE("RFC 8448 §4: 0-RTT data and EndOfEarlyData under the early keys, then the rest", "[tls][record]") {
    RecordCounts c = replay("resumed_0rtt.json");
    CHECK(c.plaintext == 2);
    CHECK(c.sealed == 8);     // early data, server flight, EndOfEarlyData, client Finished, 2 data, 2 alerts
}

TEST_CASE("RFC 8448 §5: records after a HelloRetryRequest", "[tls][record]") {
    RecordCounts c = replay("hello_retry_request.json");
    CHECK(c.plaintext == 4);  // ClientHello1, HRR, ClientHello2, ServerHello
    CHECK(c.sealed == 4);     // server flight, client Finished, 2 alerts
}

TEST_CASE("RFC 8448 §6: records with client authentication", "[tls][record]") {
    RecordCounts c = replay("client_auth.json");
    CHECK(c.plaintext == 2);
    CHECK(c.sealed == 4);     // server flight, client Certificate+CertificateVerify+Finished, 2 alerts
}

TEST_CASE("every single-bit flip of a record is rejected and releases no plaintext", "[tls][record]") {
    Pair p;
    const Buf content = filler(50, 1);
    const Buf rec = seal_record(p.sender, ContentType::application_data, content);
    int flips = 0;
    for (std::size_t i = 0; i < rec.size(); i++) {
        for (int bit = 0; bit < 8; bit++) {
            RecordLayer fresh;
            REQUIRE(fresh.read.install(suite, unhex(server_ap_secret)) == TlsError::ok);
            Buf bad = rec;
            bad[i] ^= std::uint8_t(1 << bit);
            ContentType type;
            MutBytes out;
            TlsError err = fresh.open(bad, type, out);
            INFO("byte " << i << " bit " << bit << ": " << error_name(err));
            CHECK(err != TlsError::ok);
            CHECK(out.empty());
            if (i == 0) {
                CHECK(err != TlsError::bad_record_mac);  // outer type no longer 23 (or not a type)
            } else if (i == 3 || i == 4) {
                CHECK(err != TlsError::bad_record_mac);  // the length no longer frames the record
            } else {
                CHECK(err == TlsError::bad_record_mac);
                CHECK(alert_for(err) == AlertDescription::bad_record_mac);
                // The ciphertext was replaced by zeros, not by unauthenticated plaintext.
                bool zero = true;
                for (std::size_t j = 5; j < bad.size() - 16; j++) zero = zero && bad[j] == 0;
                CHECK(zero);
            }
            flips++;
        }
    }
    CHECK(flips == int(rec.size()) * 8);
}

TEST_CASE("a failure is sticky: the genuine record is refused after a forgery", "[tls][record]") {
    Pair p;
    const Buf rec = seal_record(p.sender, ContentType::application_data, filler(20, 2));
    Buf bad = rec;
    bad[10] ^= 1;
    ContentType type;
    Buf out;
    CHECK(open_record(p.receiver, bad, type, out) == TlsError::bad_record_mac);
    CHECK(open_record(p.receiver, rec, type, out) == TlsError::bad_record_mac);
    CHECK(p.receiver.error() == TlsError::bad_record_mac);
    CHECK(out.empty());
}

TEST_CASE("record sizes: §5.1 and §5.2 limits, RFC 8449 both ways", "[tls][record]") {
    RecordHeader h;
    auto header = [](std::uint8_t type, std::size_t length) {
        return Buf{type, 3, 3, std::uint8_t(length >> 8), std::uint8_t(length)};
    };
    auto parse = [&](const Buf& b) { return parse_record_header(std::span<const std::uint8_t, 5>(b.data(), 5), h); };
    CHECK(parse(header(23, 16384 + 256)) == TlsError::ok);
    CHECK(parse(header(23, 16384 + 257)) == TlsError::record_too_long);
    CHECK(parse(header(22, 16384)) == TlsError::ok);
    CHECK(parse(header(22, 16385)) == TlsError::plaintext_too_long);
    CHECK(parse(header(21, 16385)) == TlsError::plaintext_too_long);
    CHECK(alert_for(TlsError::record_too_long) == AlertDescription::record_overflow);
    CHECK(alert_for(TlsError::plaintext_too_long) == AlertDescription::record_overflow);
    CHECK(parse(header(24, 10)) == TlsError::unexpected_content_type);
    CHECK(parse(header(0, 10)) == TlsError::unexpected_content_type);

    // A full-size record: 2^14 bytes of content + type + tag.
    {
        Pair p;
        const Buf rec = seal_record(p.sender, ContentType::application_data, filler(16384, 3));
        CHECK(rec.size() == 5 + 16384 + 1 + 16);
        ContentType type;
        Buf out;
        CHECK(open_record(p.receiver, rec, type, out) == TlsError::ok);
        CHECK(out.size() == 16384);
        // One more byte does not fit in a TLSInnerPlaintext (§5.4) and is refused when sealing.
        Buf buf(5 + 16385 + 1 + 16);
        std::size_t n;
        CHECK(p.sender.write.seal(ContentType::application_data, buf, 16385, 0, max_inner_plaintext_size, n) ==
              TlsError::api_misuse);
    }
    // A record whose inner plaintext exceeds 2^14 + 1 (content padded beyond the limit), built by hand.
    {
        RecordLayer r;
        REQUIRE(r.read.install(suite, unhex(server_ap_secret)) == TlsError::ok);
        Buf inner = filler(16384, 4);
        inner.push_back(23);
        inner.push_back(0);  // one byte of padding too many
        ContentType type;
        Buf out;
        CHECK(open_record(r, craft_record(inner, 0), type, out) == TlsError::record_over_limit);
        CHECK(alert_for(r.error()) == AlertDescription::record_overflow);
    }
    // RFC 8449: we advertised 2048, the peer advertised 1024.
    {
        Pair p;
        REQUIRE(p.receiver.set_record_size_limits(2048, 1024) == TlsError::ok);
        REQUIRE(p.sender.set_record_size_limits(1024, 2048) == TlsError::ok);
        ContentType type;
        Buf out;
        CHECK(open_record(p.receiver, seal_record(p.sender, ContentType::application_data, filler(2047, 5)),
                          type, out) == TlsError::ok);
        CHECK(out.size() == 2047);
        // Our own sends stay under the peer's 1024.
        Buf buf(5 + 2048 + 16);
        std::size_t n;
        CHECK(p.receiver.seal(ContentType::application_data, buf, 1024, 0, n) == TlsError::api_misuse);
        CHECK(p.receiver.seal(ContentType::application_data, buf, 1023, 0, n) == TlsError::ok);
        CHECK(p.receiver.seal(ContentType::application_data, buf, 1000, 23, n) == TlsError::ok);
        CHECK(p.receiver.seal(ContentType::application_data, buf, 1000, 24, n) == TlsError::api_misuse);
        // A peer record over what we advertised: record_overflow.
        RecordLayer big;
        REQUIRE(big.write.install(suite, unhex(server_ap_secret)) == TlsError::ok);
        big.write.set_sequence(p.receiver.read.sequence());
        CHECK(open_record(p.receiver, seal_record(big, ContentType::application_data, filler(2048, 6)), type, out) ==
              TlsError::record_over_limit);
    }
    RecordLayer r;
    CHECK(r.set_record_size_limits(63, 2048) == TlsError::record_size_limit_invalid);
    CHECK(alert_for(TlsError::record_size_limit_invalid) == AlertDescription::illegal_parameter);
    RecordLayer clamp;
    REQUIRE(clamp.set_record_size_limits(1 << 15, 1 << 15) == TlsError::ok);
    CHECK(clamp.receive_limit() == max_inner_plaintext_size);
    CHECK(clamp.send_limit() == max_inner_plaintext_size);
}

TEST_CASE("TLSInnerPlaintext: padding, all zeros, content types (§5.4, §5)", "[tls][record]") {
    ContentType type;
    Buf out;
    SECTION("padding is stripped, whoever added it") {
        Pair p;
        CHECK(open_record(p.receiver, seal_record(p.sender, ContentType::handshake, filler(30, 7), 200), type, out) ==
              TlsError::ok);
        CHECK(type == ContentType::handshake);
        CHECK(hex(out) == hex(filler(30, 7)));
        Buf inner = filler(5, 8);
        for (auto& b : inner) b |= 1;  // no zero inside the content
        inner.push_back(21);
        inner.resize(inner.size() + 40, 0);
        CHECK(open_record(p.receiver, craft_record(inner, 1), type, out) == TlsError::ok);
        CHECK(type == ContentType::alert);
        CHECK(out.size() == 5);
        // Zeros inside the content are content, not padding.
        Buf with_zeros = {0, 0, 5, 0, 23, 0, 0};
        CHECK(open_record(p.receiver, craft_record(with_zeros, 2), type, out) == TlsError::ok);
        CHECK(type == ContentType::application_data);
        CHECK(hex(out) == "00000500");
    }
    SECTION("an inner plaintext of zeros only is unexpected_message") {
        RecordLayer r;
        REQUIRE(r.read.install(suite, unhex(server_ap_secret)) == TlsError::ok);
        CHECK(open_record(r, craft_record(Buf(40, 0), 0), type, out) == TlsError::missing_content_type);
        CHECK(alert_for(r.error()) == AlertDescription::unexpected_message);
        CHECK(out.empty());
        RecordLayer empty;
        REQUIRE(empty.read.install(suite, unhex(server_ap_secret)) == TlsError::ok);
        CHECK(open_record(empty, craft_record(Buf(), 0), type, out) == TlsError::missing_content_type);
    }
    SECTION("a protected change_cipher_spec or an unknown inner type is unexpected_message") {
        for (std::uint8_t t : {std::uint8_t(20), std::uint8_t(24), std::uint8_t(0x63), std::uint8_t(0xff)}) {
            RecordLayer r;
            REQUIRE(r.read.install(suite, unhex(server_ap_secret)) == TlsError::ok);
            Buf rec = craft_record(Buf{1, 2, 3, t}, 0);
            MutBytes view;
            CHECK(r.open(rec, type, view) == TlsError::unexpected_content_type);
            CHECK(alert_for(r.error()) == AlertDescription::unexpected_message);
            CHECK(view.empty());
            CHECK(hex(Bytes(rec).subspan(5, 4)) == "00000000");  // the decrypted bytes were wiped
        }
    }
    SECTION("outer types other than application_data are not opened") {
        for (std::uint8_t t : {std::uint8_t(20), std::uint8_t(21), std::uint8_t(22)}) {
            RecordLayer r;
            REQUIRE(r.read.install(suite, unhex(server_ap_secret)) == TlsError::ok);
            CHECK(open_record(r, craft_record(Buf{1, 23}, 0, t), type, out) == TlsError::unexpected_content_type);
        }
        Pair p;
        Buf buf(64);
        std::size_t n;
        CHECK(p.sender.seal(ContentType::change_cipher_spec, buf, 1, 0, n) == TlsError::api_misuse);
    }
    SECTION("a record shorter than a tag cannot be authenticated") {
        RecordLayer r;
        REQUIRE(r.read.install(suite, unhex(server_ap_secret)) == TlsError::ok);
        Buf shortrec = {23, 3, 3, 0, 15};
        shortrec.resize(5 + 15, 0xaa);
        CHECK(open_record(r, shortrec, type, out) == TlsError::bad_record_mac);
    }
}

TEST_CASE("sequence numbers: nonce per record, never wrapped (§5.3)", "[tls][record]") {
    Pair p;
    // The crafted record at sequence 5 opens only when the receiver is at 5.
    ContentType type;
    Buf out;
    p.receiver.read.set_sequence(4);
    RecordLayer at4;
    REQUIRE(at4.read.install(suite, unhex(server_ap_secret)) == TlsError::ok);
    at4.read.set_sequence(4);
    CHECK(open_record(at4, craft_record(Buf{9, 23}, 5), type, out) == TlsError::bad_record_mac);
    p.receiver.read.set_sequence(5);
    CHECK(open_record(p.receiver, craft_record(Buf{9, 23}, 5), type, out) == TlsError::ok);
    CHECK(p.receiver.read.sequence() == 6);
    // The last sequence number is never used: wrapping would reuse a nonce.
    RecordProtection w;
    REQUIRE(w.install(tls_chacha20_poly1305_sha256, unhex(server_ap_secret)) == TlsError::ok);
    w.set_sequence(UINT64_MAX - 1);
    Buf buf(64);
    std::size_t n;
    CHECK(w.seal(ContentType::application_data, buf, 3, 0, max_inner_plaintext_size, n) == TlsError::ok);
    CHECK(w.seal(ContentType::application_data, buf, 3, 0, max_inner_plaintext_size, n) ==
          TlsError::sequence_number_exhausted);
    CHECK(alert_for(TlsError::sequence_number_exhausted) == AlertDescription::internal_error);
}

TEST_CASE("KeyUpdate both ways, with update_requested answered (§4.6.3, §7.2)", "[tls][record]") {
    Pair p;  // sender = A, receiver = B
    ContentType type;
    MutBytes content;
    // A asks B to update too.
    Buf buf(64);
    std::size_t n;
    REQUIRE(p.sender.send_key_update(true, buf, n) == TlsError::ok);
    Buf rec(buf.begin(), buf.begin() + std::ptrdiff_t(n));
    CHECK(p.sender.write.sequence() == 0);  // new key, new sequence
    REQUIRE(p.receiver.open(rec, type, content) == TlsError::ok);
    CHECK(type == ContentType::handshake);
    CHECK(hex(content) == "1800000101");  // key_update(24), length 1, update_requested
    REQUIRE(p.receiver.receive_key_update(content.subspan(4)) == TlsError::ok);
    CHECK(p.receiver.key_update_pending());
    // B owes a KeyUpdate before any more data.
    Buf data(64);
    CHECK(p.receiver.seal(ContentType::application_data, data, 3, 0, n) == TlsError::key_update_required);
    CHECK(p.receiver.error() == TlsError::ok);  // not a failure, a to-do
    REQUIRE(p.receiver.send_key_update(false, buf, n) == TlsError::ok);
    CHECK_FALSE(p.receiver.key_update_pending());
    rec.assign(buf.begin(), buf.begin() + std::ptrdiff_t(n));
    REQUIRE(p.sender.open(rec, type, content) == TlsError::ok);
    CHECK(hex(content) == "1800000100");
    REQUIRE(p.sender.receive_key_update(content.subspan(4)) == TlsError::ok);
    CHECK_FALSE(p.sender.key_update_pending());
    // Data flows both ways under the new keys.
    Buf out;
    CHECK(open_record(p.receiver, seal_record(p.sender, ContentType::application_data, filler(10, 1)), type, out) ==
          TlsError::ok);
    CHECK(open_record(p.sender, seal_record(p.receiver, ContentType::application_data, filler(10, 2)), type, out) ==
          TlsError::ok);
    // A reader that missed the update cannot read the new generation.
    RecordLayer stale;
    REQUIRE(stale.read.install(suite, unhex(server_ap_secret)) == TlsError::ok);
    stale.read.set_sequence(0);
    CHECK(open_record(stale, seal_record(p.sender, ContentType::application_data, filler(10, 3)), type, out) ==
          TlsError::bad_record_mac);

    RecordLayer r;
    REQUIRE(r.read.install(suite, unhex(server_ap_secret)) == TlsError::ok);
    CHECK(r.receive_key_update(Buf{2}) == TlsError::key_update_bad_request);
    CHECK(alert_for(TlsError::key_update_bad_request) == AlertDescription::illegal_parameter);
    RecordLayer r2;
    CHECK(r2.receive_key_update(Buf{0, 0}) == TlsError::key_update_malformed);
    CHECK(alert_for(TlsError::key_update_malformed) == AlertDescription::decode_error);
}

TEST_CASE("AES-GCM: a key update is due after 2^24.5 records (§5.5); ChaCha20 has no such limit", "[tls][record]") {
    Pair p;
    const std::uint64_t limit = 23726566;  // floor(2^24.5)
    p.sender.write.set_sequence(limit - 2);
    p.receiver.read.set_sequence(limit - 2);
    ContentType type;
    Buf out;
    CHECK_FALSE(p.sender.key_update_pending());
    CHECK(open_record(p.receiver, seal_record(p.sender, ContentType::application_data, filler(5, 1)), type, out) ==
          TlsError::ok);
    CHECK(p.sender.key_update_pending());  // one record left under this key: the KeyUpdate's
    Buf buf(64);
    std::size_t n;
    CHECK(p.sender.seal(ContentType::application_data, buf, 3, 0, n) == TlsError::key_update_required);
    REQUIRE(p.sender.send_key_update(false, buf, n) == TlsError::ok);
    CHECK_FALSE(p.sender.key_update_pending());
    MutBytes content;
    Buf rec(buf.begin(), buf.begin() + std::ptrdiff_t(n));
    REQUIRE(p.receiver.open(rec, type, content) == TlsError::ok);
    REQUIRE(p.receiver.receive_key_update(content.subspan(4)) == TlsError::ok);
    CHECK(open_record(p.receiver, seal_record(p.sender, ContentType::application_data, filler(5, 2)), type, out) ==
          TlsError::ok);
    // The record protection itself refuses to go past the limit.
    RecordProtection w;
    REQUIRE(w.install(suite, unhex(server_ap_secret)) == TlsError::ok);
    w.set_sequence(limit);
    CHECK(w.seal(ContentType::application_data, buf, 3, 0, max_inner_plaintext_size, n) == TlsError::key_update_required);

    RecordLayer chacha;
    REQUIRE(chacha.write.install(tls_chacha20_poly1305_sha256, unhex(server_ap_secret)) == TlsError::ok);
    chacha.write.set_sequence(limit * 4);
    CHECK_FALSE(chacha.key_update_pending());
}

TEST_CASE("every TLS error maps to one alert (§6)", "[tls][alert]") {
    int count = 0;
    for (int v = 0; v <= int(last_tls_error); v++) {
        const auto e = TlsError(v);
        INFO(error_name(e));
        CHECK(std::string(error_name(e)) != "unknown");
        const AlertDescription a = alert_for(e);
        CHECK((a == AlertDescription::close_notify) == (e == TlsError::ok));
        count++;
    }
    // 15 of the record floor, 9 of the handshake codec (tls/messages.cpp), 22 of the handshake
    // pieces (tls/signature, certificate, psk, ticket, cookie), 20 of the engine (client, server).
    CHECK(count == 66);
    CHECK(alert_for(TlsError::bad_record_mac) == AlertDescription::bad_record_mac);
    CHECK(int(AlertDescription::record_overflow) == 22);
    CHECK(int(AlertDescription::unexpected_message) == 10);
    CHECK(int(AlertDescription::bad_record_mac) == 20);
}

TEST_CASE("memory budget: one connection's size, full and with record_size_limit 2048", "[tls][config]") {
    using Full = ConnectionMemory<>;
    using Small = ConnectionMemory<2048>;
    std::printf("per-connection memory: %zu bytes (record_size_limit 16385), %zu bytes (2048); "
                "record buffers 2 x %zu / 2 x %zu, RecordLayer %zu, KeySchedule %zu, Transcript %zu\n",
                sizeof(Full), sizeof(Small), Full::record_buffer, Small::record_buffer, sizeof(RecordLayer),
                sizeof(KeySchedule), sizeof(Transcript));
    // The two differ by the incoming record buffer and the send queue (tls/config.hpp), up to the
    // object's alignment padding.
    const std::size_t diff = sizeof(Full) - sizeof(Small),
                      buffers = (16406 - 2069) + (Full::send_queue - Small::send_queue);
    CHECK(diff + alignof(Full) >= buffers);
    CHECK(diff <= buffers + alignof(Full));
    // The same record layer runs in the small object's buffers.
    static Small conn;
    REQUIRE(conn.records.write.install(suite, unhex(server_ap_secret)) == TlsError::ok);
    REQUIRE(conn.records.read.install(suite, unhex(server_ap_secret)) == TlsError::ok);
    REQUIRE(conn.records.set_record_size_limits(2048, 2048) == TlsError::ok);
    const Buf content = filler(2047, 9);
    std::copy(content.begin(), content.end(), conn.outgoing + 5);
    std::size_t n = 0;
    REQUIRE(conn.records.seal(ContentType::application_data, conn.outgoing, 2047, 0, n) == TlsError::ok);
    CHECK(n == Small::record_buffer);
    std::copy(conn.outgoing, conn.outgoing + n, conn.incoming);
    ContentType type;
    MutBytes out;
    REQUIRE(conn.records.open(MutBytes(conn.incoming, n), type, out) == TlsError::ok);
    CHECK(hex(out) == hex(content));
}

TEST_CASE("AES-256-GCM and ChaCha20-Poly1305 records against OpenSSL, before and after a key update", "[tls][record]") {
    // vectors/rfc8448/openssl_cross_check.json: records sealed by OpenSSL's AEADs (see the script).
    const json doc = load_kat("rfc8448/openssl_cross_check.json");
    int records = 0;
    for (const auto& v : doc["suites"]) {
        INFO(v["suite"].get<std::string>());
        const CipherSuite& s = v["suite"] == "TLS_AES_256_GCM_SHA384" ? tls_aes_256_gcm_sha384
                                                                      : tls_chacha20_poly1305_sha256;
        const auto& secrets = v["secrets"];
        RecordLayer writer, reader;
        for (const auto& rk : v["record_keys"]) {
            const std::string name = rk["traffic_secret"];
            if (name == "client_application_traffic_secret_1") {
                // Reached by KeyUpdate (§7.2) from generation 0, not installed directly.
                const Buf gen0 = unhex(secrets["client_application_traffic_secret_0"]);
                REQUIRE(writer.write.install(s, gen0) == TlsError::ok);
                REQUIRE(reader.read.install(s, gen0) == TlsError::ok);
                REQUIRE(writer.write.update_traffic_secret() == TlsError::ok);
                REQUIRE(reader.receive_key_update(Buf{0}) == TlsError::ok);
            } else {
                REQUIRE(writer.write.install(s, unhex(secrets[name])) == TlsError::ok);
                REQUIRE(reader.read.install(s, unhex(secrets[name])) == TlsError::ok);
            }
            for (const auto& r : rk["records"]) {
                const Buf content = unhex(r["content"]);
                const std::size_t padding = r["padding"];
                REQUIRE(writer.write.sequence() == r["sequence"].get<std::uint64_t>());
                Buf buf = seal_record(writer, ContentType(r["type"].get<int>()), content, padding);
                CHECK(hex(buf) == r["record"].get<std::string>());
                ContentType type;
                Buf out;
                REQUIRE(open_record(reader, unhex(r["record"]), type, out) == TlsError::ok);
                CHECK(int(type) == r["type"].get<int>());
                CHECK(hex(out) == hex(content));
                records++;
            }
        }
    }
    CHECK(records == 12);
}
