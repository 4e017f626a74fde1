// SPDX-License-Identifier: Apache-2.0
// The shared core of the TLS 1.3 engine: record framing in and out (RFC 8446 §5.1, §5.2), the dummy
// change_cipher_spec window (§5, appendix D.4), handshake message reassembly (§4, §5.1 "MUST NOT
// span key changes"), alerts (§6), Finished computation (§4.4.4), the application traffic secrets
// (§7.1), the post-handshake messages (§4.6.1 NewSessionTicket ignored, §4.6.3 KeyUpdate) and
// application data. The role state machines are tls/client.cpp and tls/server.cpp.
#include "tls/engine.hpp"

#include <algorithm>
#include <cstring>

#include "crypto/ct.hpp"

namespace padlock::tls {

const char* state_name(State s) {
    switch (s) {
    case State::idle: return "idle";
    case State::client_wait_server_hello: return "client_wait_server_hello";
    case State::client_wait_encrypted_extensions: return "client_wait_encrypted_extensions";
    case State::client_wait_certificate_request: return "client_wait_certificate_request";
    case State::client_wait_certificate: return "client_wait_certificate";
    case State::client_wait_certificate_verify: return "client_wait_certificate_verify";
    case State::client_wait_finished: return "client_wait_finished";
    case State::server_wait_client_hello: return "server_wait_client_hello";
    case State::server_wait_end_of_early_data: return "server_wait_end_of_early_data";
    case State::server_wait_client_certificate: return "server_wait_client_certificate";
    case State::server_wait_client_certificate_verify: return "server_wait_client_certificate_verify";
    case State::server_wait_client_finished: return "server_wait_client_finished";
    case State::connected: return "connected";
    case State::closed: return "closed";
    case State::failed: return "failed";
    }
    return "unknown";
}

const char* event_name(Event e) {
    switch (e) {
    case Event::none: return "none";
    case Event::handshake_complete: return "handshake_complete";
    case Event::application_data: return "application_data";
    case Event::early_data: return "early_data";
    case Event::key_update: return "key_update";
    case Event::close_notify: return "close_notify";
    case Event::alert_received: return "alert_received";
    }
    return "unknown";
}

Connection::Connection(const ConnectionBuffers& buffers) : b_(buffers) {}

Connection::~Connection() {
    secure_zero(share_private_, sizeof share_private_);
}

// ---- Starting: what both roles check in the configuration.

TlsError Connection::start_common(const Config& config, const Rng& rng, Role role) {
    if (state_ != State::idle) return TlsError::api_misuse;
    if (config.cipher_suites.empty() || config.groups.empty() || config.signature_schemes.empty() ||
        (config.signature_verifier == nullptr && (role == Role::client || config.request_client_certificate)) ||
        config.record_size_limit < min_record_size_limit || config.record_size_limit > b_.record_size_limit ||
        config.alpn.size() > 16)
        return TlsError::api_misuse;
    for (const std::string_view& name : config.alpn)
        if (name.empty() || name.size() > 255) return TlsError::api_misuse;  // RFC 7301 §3.1
    config_ = &config;
    rng_ = rng;
    role_ = role;
    // What we send in signature_algorithms: announced_signature_schemes when given, which must
    // name every scheme we enable.
    const std::span<const std::uint16_t> offered =
        config.announced_signature_schemes.empty() ? config.signature_schemes : config.announced_signature_schemes;
    for (std::uint16_t code : config.signature_schemes)
        if (std::find(offered.begin(), offered.end(), code) == offered.end()) return TlsError::api_misuse;
    ByteWriter w(MutBytes(offered_schemes_, sizeof offered_schemes_));
    for (std::uint16_t code : offered) w.add_u16(code);
    if (!w.finish(offered_schemes_len_)) return TlsError::api_misuse;
    // RFC 8449 §4: we accept protected records up to our own limit; until the peer announces its
    // limit we send full-size records (capped by our memory, see send()).
    TlsError err = b_.records->set_record_size_limits(config.record_size_limit, max_inner_plaintext_size);
    if (err != TlsError::ok) return err;
    b_.peer_chain->count = 0;
    return TlsError::ok;
}

void Connection::mark_handshake_done(Event& event) {
    // §7.1: resumption_master_secret over ClientHello .. client Finished, the key schedule's last
    // step, which wipes the Master Secret; kept for this connection's tickets (§4.6.1).
    std::uint8_t hash[max_hash_size];
    if (transcript_hash(hash) == TlsError::ok)
        (void)b_.key_schedule->derive_resumption_master_secret(Bytes(hash, suite_->hash->size), resumption_secret_);
    psk_.wipe();
    handshake_done_ = true;
    state_ = State::connected;
    ccs_accepted_ = false;  // §5: only "before the peer's Finished message has been received"
    event = Event::handshake_complete;
    client_handshake_secret_.wipe();
    server_handshake_secret_.wipe();
    client_application_secret_.wipe();
    server_application_secret_.wipe();
    secure_zero(share_private_, sizeof share_private_);
}

// ---- Failure (§6): the first error wins; its alert is queued, under the write key if there is one.

TlsError Connection::fail(TlsError e) {
    if (error_ != TlsError::ok) return error_;
    error_ = e;
    state_ = State::failed;
    app_data_ = {};
    client_handshake_secret_.wipe();
    server_handshake_secret_.wipe();
    client_application_secret_.wipe();
    server_application_secret_.wipe();
    secure_zero(share_private_, sizeof share_private_);
    if (e == TlsError::peer_alert || e == TlsError::peer_closed) return e;
    // §6: enum { warning(1), fatal(2) } AlertLevel; every error alert is fatal.
    const std::uint8_t alert[2] = {2, std::uint8_t(alert_for(e))};
    TlsError sent = b_.records->write.keyed() ? queue_protected_record(ContentType::alert, Bytes(alert, 2))
                                              : queue_plaintext_record(ContentType::alert, Bytes(alert, 2), tls12_version);
    if (sent == TlsError::ok) {
        alert_sent_flag_ = true;
        alert_sent_ = alert_for(e);
    }
    return e;
}

// ---- Input.

TlsError Connection::feed(Bytes in, std::size_t& consumed, Event& event) {
    consumed = 0;
    event = Event::none;
    app_data_ = {};
    if (error_ != TlsError::ok) return error_;
    if (state_ == State::idle) return TlsError::api_misuse;
    if (close_received_) return TlsError::peer_closed;
    while (consumed < in.size()) {
        // §5.1: a record is a 5-octet header and `length` octets of fragment. Gather one in `incoming`.
        std::size_t need = record_header_size;
        if (in_len_ >= record_header_size)
            need += (std::size_t(b_.incoming[3]) << 8) | b_.incoming[4];
        const std::size_t take = std::min(need - in_len_, in.size() - consumed);
        std::memcpy(b_.incoming.data() + in_len_, in.data() + consumed, take);
        in_len_ += take;
        consumed += take;
        if (in_len_ < need) continue;
        if (need == record_header_size) {
            RecordHeader header;
            TlsError err = parse_record_header(b_.incoming.first<record_header_size>(), header);
            if (err != TlsError::ok) return fail(err);
            // RFC 8449 §4: nothing larger than our buffer (our limit + header + tag) is legal for us.
            if (record_header_size + header.length > b_.incoming.size()) return fail(TlsError::record_over_limit);
            if (header.length > 0) continue;
        }
        const std::size_t record_size = in_len_;
        in_len_ = 0;
        TlsError err = process_record(b_.incoming.first(record_header_size),
                                      b_.incoming.first(record_size), event);
        if (err != TlsError::ok) return fail(err);
        if (event != Event::none) return TlsError::ok;
    }
    return TlsError::ok;
}

TlsError Connection::process_record(Bytes header, MutBytes record, Event& event) {
    const auto outer = ContentType(header[0]);
    MutBytes fragment = record.subspan(record_header_size);
    // §5: "An implementation may receive an unencrypted record of type change_cipher_spec consisting
    // of the single byte value 0x01 at any time after the first ClientHello message has been sent or
    // received and before the peer's Finished message has been received and MUST simply drop it".
    if (outer == ContentType::change_cipher_spec) {
        if (!ccs_accepted_ || fragment.size() != 1 || fragment[0] != 1) return TlsError::change_cipher_spec_invalid;
        // §5.1: nor between the records of one handshake message ("MUST NOT be interleaved").
        return hs_in_pos_ == hs_in_len_ ? TlsError::ok : TlsError::unexpected_message;
    }
    ContentType type = outer;
    MutBytes content = fragment;
    if (b_.records->read.keyed()) {
        if (skip_early_data_) {
            // §4.2.10: a server that refuses 0-RTT "skip[s] past early data by attempting to deprotect
            // received records using the handshake traffic key, discarding records which fail
            // deprotection (up to the configured max_early_data_size)" — ours is one full record's worth.
            TlsError err = b_.records->read.open(record, b_.records->receive_limit(), type, content);
            if (err == TlsError::bad_record_mac && early_data_skipped_ + fragment.size() <= max_ciphertext_size * 4) {
                early_data_skipped_ += fragment.size();
                return TlsError::ok;
            }
            if (err != TlsError::ok) return err;
            skip_early_data_ = false;  // the first record that opens ends the early data
        } else {
            TlsError err = b_.records->open(record, type, content);
            if (err != TlsError::ok) return err;
        }
    } else if (outer == ContentType::application_data) {
        // Protected records before we have a key: 0-RTT data we refused (after a HelloRetryRequest,
        // §4.2.10) may be skipped; anything else is out of place.
        if (skip_early_data_ && early_data_skipped_ + fragment.size() <= max_ciphertext_size * 4) {
            early_data_skipped_ += fragment.size();
            return TlsError::ok;
        }
        return TlsError::unexpected_message;
    }
    // §5.1: "Handshake messages MUST NOT be interleaved with other record types": while part of a
    // message is buffered, only handshake records may come.
    if (type != ContentType::handshake && hs_in_pos_ != hs_in_len_) return TlsError::unexpected_message;
    switch (type) {
    case ContentType::alert: return on_alert(content, event);
    case ContentType::handshake: return on_handshake_content(content, event);
    case ContentType::application_data:
        // §4.2.10: a server that took 0-RTT reads it under the early key until EndOfEarlyData, at most
        // max_early_data_size octets of it ("SHOULD abort the handshake with an unexpected_message").
        if (state_ == State::server_wait_end_of_early_data) {
            if (content.size() > early_data_left_) return TlsError::early_data_too_large;
            early_data_left_ -= std::uint32_t(content.size());
            app_data_ = content;
            event = Event::early_data;
            return TlsError::ok;
        }
        // §2: application data only after the handshake; §6.1: none after close_notify.
        if (!handshake_done_) return TlsError::unexpected_message;
        app_data_ = content;
        event = Event::application_data;
        return TlsError::ok;
    default: return TlsError::unexpected_message;
    }
}

TlsError Connection::on_alert(Bytes content, Event& event) {
    // §6: struct { AlertLevel level; AlertDescription description; } Alert; (one per record)
    if (content.size() != 2) return TlsError::alert_malformed;
    const auto description = AlertDescription(content[1]);
    if (description == AlertDescription::close_notify) {
        close_received_ = true;  // §6.1: the peer sends nothing more; we may still send
        if (close_sent_) state_ = State::closed;
        event = Event::close_notify;
        return TlsError::ok;
    }
    if (description == AlertDescription::user_canceled) return TlsError::ok;  // §6.1: a warning; close follows
    // §6: "All the alerts listed in Section 6.2 MUST be sent with AlertLevel=fatal and MUST be
    // treated as error alerts when received regardless of the AlertLevel in the message."
    peer_alert_flag_ = true;
    peer_alert_ = description;
    error_ = TlsError::peer_alert;
    state_ = State::closed;
    event = Event::alert_received;
    return TlsError::ok;
}

TlsError Connection::on_handshake_content(Bytes content, Event& event) {
    // §5.1: "Implementations MUST NOT send zero-length fragments of Handshake types".
    if (content.empty()) return TlsError::unexpected_message;
    if (content.size() > b_.handshake_in.size() - hs_in_len_) return TlsError::handshake_too_large;
    std::memcpy(b_.handshake_in.data() + hs_in_len_, content.data(), content.size());
    hs_in_len_ += content.size();
    while (hs_in_pos_ < hs_in_len_) {
        const Bytes pending = b_.handshake_in.subspan(hs_in_pos_, hs_in_len_ - hs_in_pos_);
        if (pending.size() >= handshake_header_size) {
            const std::size_t length = (std::size_t(pending[1]) << 16) | (std::size_t(pending[2]) << 8) | pending[3];
            if (handshake_header_size + length > b_.handshake_in.size() - hs_in_base_)
                return TlsError::handshake_too_large;
        }
        Handshake msg;
        std::size_t used = 0;
        TlsError err = split_handshake(pending, msg, used);
        if (err != TlsError::ok) return err;
        if (used == 0) break;  // the rest of the message is in a later record
        const Bytes raw = pending.first(used);
        hs_in_pos_ += used;
        if (config_->trace.message != nullptr) config_->trace.message(config_->trace.context, false, raw);
        read_key_changed_ = false;
        err = handshake_done_ ? on_post_handshake(msg, event) : (this->*on_handshake_)(msg, raw, event);
        if (err != TlsError::ok) return err;
        // §5.1: a message that changes the read key must end its record (the Finished handlers check
        // it first, before the handshake completes).
        if (read_key_changed_ && hs_in_pos_ != hs_in_len_) return TlsError::handshake_spans_key_change;
    }
    // Compact: processed messages after the kept prefix go; a partial message moves down.
    if (hs_in_pos_ == hs_in_len_) {
        hs_in_pos_ = hs_in_len_ = hs_in_base_;
    } else if (hs_in_pos_ > hs_in_base_) {
        const std::size_t left = hs_in_len_ - hs_in_pos_;
        std::memmove(b_.handshake_in.data() + hs_in_base_, b_.handshake_in.data() + hs_in_pos_, left);
        hs_in_pos_ = hs_in_base_;
        hs_in_len_ = hs_in_base_ + left;
    }
    return TlsError::ok;
}

// §4.6: after the handshake only NewSessionTicket (to a client) and KeyUpdate (both ways) may come;
// padlock never sends post_handshake_auth, so a CertificateRequest is unexpected too.
TlsError Connection::on_post_handshake(const Handshake& msg, Event& event) {
    switch (msg.type) {
    case HandshakeType::key_update: {
        TlsError err = b_.records->receive_key_update(msg.body);  // §4.6.3, §7.2: next read key
        if (err != TlsError::ok) return err;
        read_key_changed_ = true;
        event = Event::key_update;
        // §4.6.3: "If the request_update field is set to "update_requested", then the receiver MUST
        // send a KeyUpdate of its own with request_update set to "update_not_requested" prior to
        // sending its next Application Data record." We queue it at once (unless we closed).
        if (b_.records->key_update_pending() && !close_sent_) return update_keys(false);
        return TlsError::ok;
    }
    case HandshakeType::new_session_ticket: {
        if (role_ != Role::client) return TlsError::unexpected_message;
        // §4.6.1: checked; kept in the caller's StoredSession when it gave one, else dropped.
        NewSessionTicket ticket;
        TlsError err = parse_new_session_ticket(msg.body, ticket);
        if (err != TlsError::ok || config_->new_session == nullptr) return err;
        return store_session(ticket, *suite_, resumption_secret_.view(), std::uint64_t(config_->time) * 1000,
                             *config_->new_session);
    }
    default: return TlsError::unexpected_message;
    }
}

// ---- Output.

Bytes Connection::pending_output() const {
    return Bytes(b_.outgoing.data() + out_pos_, out_len_ - out_pos_);
}

TlsError Connection::consume_output(std::size_t n) {
    if (n == 0 || n > out_len_ - out_pos_) return TlsError::api_misuse;
    out_pos_ += n;
    if (out_pos_ == out_len_) out_pos_ = out_len_ = 0;
    return TlsError::ok;
}

namespace {
// Moves the unsent bytes of a send queue to its start, so new records have the most room.
void compact(MutBytes queue, std::size_t& pos, std::size_t& len) {
    if (pos == 0) return;
    std::memmove(queue.data(), queue.data() + pos, len - pos);
    len -= pos;
    pos = 0;
}
}  // namespace

TlsError Connection::queue_plaintext_record(ContentType type, Bytes content, std::uint16_t record_version) {
    compact(b_.outgoing, out_pos_, out_len_);
    if (content.size() > max_plaintext_size) return TlsError::api_misuse;
    if (record_header_size + content.size() > b_.outgoing.size() - out_len_) return TlsError::buffer_too_small;
    std::uint8_t* r = b_.outgoing.data() + out_len_;
    // §5.1 TLSPlaintext: type, legacy_record_version, length, fragment.
    r[0] = std::uint8_t(type);
    r[1] = std::uint8_t(record_version >> 8);
    r[2] = std::uint8_t(record_version);
    r[3] = std::uint8_t(content.size() >> 8);
    r[4] = std::uint8_t(content.size());
    std::memcpy(r + record_header_size, content.data(), content.size());
    out_len_ += record_header_size + content.size();
    return TlsError::ok;
}

TlsError Connection::queue_protected_record(ContentType type, Bytes content) {
    compact(b_.outgoing, out_pos_, out_len_);
    const std::size_t room = b_.outgoing.size() - out_len_;
    if (record_header_size + content.size() + 1 + tag_size > room) return TlsError::buffer_too_small;
    MutBytes record = b_.outgoing.subspan(out_len_);
    std::memmove(record.data() + record_header_size, content.data(), content.size());
    std::size_t n = 0;
    // Alerts go through the one direction's protection directly: they must still be sent when the
    // record layer has failed (e.g. bad_record_mac, which it keeps as its sticky error).
    TlsError err = type == ContentType::alert
                       ? b_.records->write.seal(type, record, content.size(), 0, b_.records->send_limit(), n)
                       : b_.records->seal(type, record, content.size(), 0, n);
    if (err != TlsError::ok) return err;
    out_len_ += n;
    return TlsError::ok;
}

TlsError Connection::queue_change_cipher_spec() {
    // Appendix D.4: the dummy change_cipher_spec record, 14 03 03 00 01 01, at most once.
    if (ccs_sent_) return TlsError::ok;
    ccs_sent_ = true;
    const std::uint8_t one = 1;
    return queue_plaintext_record(ContentType::change_cipher_spec, Bytes(&one, 1), tls12_version);
}

ByteWriter Connection::message_writer() { return ByteWriter(b_.handshake_out.subspan(hs_out_len_)); }

TlsError Connection::end_message(ByteWriter& w, bool hash) {
    std::size_t n = 0;
    if (!w.finish(n)) return TlsError::buffer_too_small;
    if (config_->trace.message != nullptr)
        config_->trace.message(config_->trace.context, true, b_.handshake_out.subspan(hs_out_len_, n));
    if (hash) {
        TlsError err = b_.transcript->update(b_.handshake_out.subspan(hs_out_len_, n));
        if (err != TlsError::ok) return err;
    }
    hs_out_len_ += n;
    return TlsError::ok;
}

TlsError Connection::flush_handshake(std::uint16_t plaintext_record_version, bool keep) {
    const bool protect = b_.records->write.keyed();
    // RFC 8449 §4: protected records carry at most the peer's limit (content + type byte); we also
    // stay within our own record size so the peer's limit and our memory both hold.
    const std::size_t chunk = protect ? std::min(b_.records->send_limit(), b_.record_size_limit) - 1 : max_plaintext_size;
    for (std::size_t at = 0; at < hs_out_len_;) {
        const std::size_t n = std::min(chunk, hs_out_len_ - at);
        const Bytes piece = b_.handshake_out.subspan(at, n);
        TlsError err = protect ? queue_protected_record(ContentType::handshake, piece)
                               : queue_plaintext_record(ContentType::handshake, piece, plaintext_record_version);
        if (err != TlsError::ok) return err;
        at += n;
    }
    if (!keep) hs_out_len_ = 0;
    return TlsError::ok;
}

// ---- Key schedule steps shared by both roles.

TlsError Connection::transcript_hash(std::uint8_t (&out)[max_hash_size]) {
    return b_.transcript->current(MutBytes(out, suite_->hash->size));
}

TlsError Connection::verify_finished(Bytes base_key, Bytes verify_data) {
    // §4.4.4: verify_data = HMAC(finished_key, Transcript-Hash(Handshake Context, Certificate*,
    // CertificateVerify*)); "Recipients of Finished messages MUST verify that the contents are
    // correct and if incorrect MUST terminate the connection with a "decrypt_error" alert."
    std::uint8_t hash[max_hash_size];
    TlsError err = transcript_hash(hash);
    if (err != TlsError::ok) return err;
    Secret key, expected;
    err = finished_key(*suite_->hash, base_key, key);
    if (err == TlsError::ok)
        err = finished_verify_data(*suite_->hash, key.view(), Bytes(hash, suite_->hash->size), expected);
    if (err != TlsError::ok) return err;
    if (!ct::equal(expected.view(), verify_data)) return TlsError::finished_invalid;  // constant time
    return TlsError::ok;
}

TlsError Connection::write_finished_message(Bytes base_key) {
    std::uint8_t hash[max_hash_size];
    TlsError err = transcript_hash(hash);
    if (err != TlsError::ok) return err;
    Secret key, verify_data;
    err = finished_key(*suite_->hash, base_key, key);
    if (err == TlsError::ok)
        err = finished_verify_data(*suite_->hash, key.view(), Bytes(hash, suite_->hash->size), verify_data);
    if (err != TlsError::ok) return err;
    ByteWriter w = message_writer();
    auto m = begin_handshake(w, HandshakeType::finished);
    write_finished(w, verify_data.view());
    end_handshake(w, m);
    return end_message(w);
}

TlsError Connection::derive_application_secrets() {
    // §7.1: Master Secret, then the traffic secrets over ClientHello..server Finished.
    std::uint8_t hash[max_hash_size];
    TlsError err = transcript_hash(hash);
    if (err != TlsError::ok) return err;
    const Bytes th(hash, suite_->hash->size);
    KeySchedule& ks = *b_.key_schedule;
    if ((err = ks.derive_master_secret()) != TlsError::ok) return err;
    if ((err = ks.derive_client_application_traffic_secret_0(th, client_application_secret_)) != TlsError::ok) return err;
    if ((err = ks.derive_server_application_traffic_secret_0(th, server_application_secret_)) != TlsError::ok) return err;
    Secret exporter;  // derived for the key log (EXPORTER_SECRET); padlock has no exporter API yet
    return ks.derive_exporter_master_secret(th, exporter);
}

// ---- Application data, key update, close.

TlsError Connection::send(Bytes data, std::size_t& accepted) {
    accepted = 0;
    if (error_ != TlsError::ok) return error_;
    if (!handshake_done_ || close_sent_) return TlsError::api_misuse;
    const std::size_t chunk = std::min(b_.records->send_limit(), b_.record_size_limit) - 1;
    while (accepted < data.size()) {
        // §5.5: the AES-GCM limit (or an owed §4.6.3 reply) asks for a KeyUpdate first.
        if (b_.records->key_update_pending()) {
            TlsError err = update_keys(false);
            if (err == TlsError::buffer_too_small) break;
            if (err != TlsError::ok) return fail(err);
        }
        const std::size_t n = std::min(chunk, data.size() - accepted);
        compact(b_.outgoing, out_pos_, out_len_);
        if (record_header_size + n + 1 + tag_size > b_.outgoing.size() - out_len_) break;  // drain first
        TlsError err = queue_protected_record(ContentType::application_data, data.subspan(accepted, n));
        if (err != TlsError::ok) return fail(err);
        accepted += n;
    }
    return TlsError::ok;
}

TlsError Connection::update_keys(bool request_peer) {
    if (error_ != TlsError::ok) return error_;
    if (!handshake_done_ || close_sent_) return TlsError::api_misuse;
    compact(b_.outgoing, out_pos_, out_len_);
    std::size_t n = 0;
    TlsError err = b_.records->send_key_update(request_peer, b_.outgoing.subspan(out_len_), n);
    if (err == TlsError::buffer_too_small) return err;
    if (err != TlsError::ok) return fail(err);
    out_len_ += n;
    return TlsError::ok;
}

TlsError Connection::close() {
    if (error_ != TlsError::ok) return error_;
    if (state_ == State::idle) return TlsError::api_misuse;
    if (close_sent_) return TlsError::ok;
    const std::uint8_t alert[2] = {1, 0};  // §6.1 close_notify (warning level, as sent in practice)
    TlsError err = b_.records->write.keyed() ? queue_protected_record(ContentType::alert, Bytes(alert, 2))
                                             : queue_plaintext_record(ContentType::alert, Bytes(alert, 2), tls12_version);
    if (err != TlsError::ok) return err;
    close_sent_ = true;
    if (close_received_ || !handshake_done_) state_ = State::closed;
    return TlsError::ok;
}

}  // namespace padlock::tls
