// SPDX-License-Identifier: Apache-2.0
// The TLS 1.3 connection engine (RFC 8446 §2 protocol overview, §4 handshake, §5 records, §6
// alerts), sans-IO: the caller feeds the bytes it received (feed), takes the bytes to send
// (pending_output / consume_output), and reads events (handshake complete, application data, key
// update, close_notify, alert received). It never touches the network, the clock or an entropy
// source: randomness comes through the caller's Rng, time through Config::time. All memory is the
// caller's ConnectionMemory (tls/config.hpp); nothing is allocated.
//
// The shared core (tls/engine.cpp: record framing, handshake reassembly, alerts, post-handshake
// messages, application data) calls one role's state machine through a member pointer set by
// start_client (tls/client.cpp) or start_server (tls/server.cpp), so an image that only starts
// clients links no server code.
//
// Failure is sticky (STYLE.md item 3): the first error wins; the engine queues the alert §6 names
// for it (tls/alert.hpp alert_for), delivers no more data, and every later call returns the error.
//
// One ConnectionMemory serves one connection (its record layer keeps that connection's keys and
// sticky error); a new connection takes a freshly constructed one.
//
//   ConnectionMemory<> mem;            // or ConnectionMemory<2048, 4096> with record_size_limit 2048
//   Connection conn(mem);
//   conn.start_client(config, rng);
//   loop: send conn.pending_output(), conn.consume_output(n);
//         conn.feed(received, consumed, event) until consumed == received.size(), acting on events.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/common.hpp"
#include "crypto/rng.hpp"
#include "tls/alert.hpp"
#include "tls/certificate.hpp"
#include "tls/config.hpp"
#include "tls/key_schedule.hpp"
#include "tls/key_share.hpp"
#include "tls/messages.hpp"
#include "tls/record.hpp"
#include "tls/transcript.hpp"

namespace padlock::tls {

inline constexpr std::uint16_t tls13_version = 0x0304;  // §4.2.1
inline constexpr std::uint16_t tls12_version = 0x0303;  // legacy_version, legacy_record_version

// What feed() reports after the bytes it consumed. At most one per call: the call returns as soon
// as one happens, so the caller acts on it (e.g. reads application_data()) before feeding more.
enum class Event : std::uint8_t {
    none,
    handshake_complete,  // both Finished exchanged (as far as this side knows): application data may flow
    application_data,    // application_data() holds the plaintext of one record
    early_data,          // server: application_data() holds one record of the client's 0-RTT data
                         // (§4.2.10; it may be a replay, §8, E.5: act only on what is safe to repeat)
    key_update,          // the peer updated its sending keys (§4.6.3); a requested reply was queued
    close_notify,        // §6.1: the peer closed its direction; call close() to answer
    alert_received,      // §6: the peer sent a fatal alert (peer_alert()); the connection is over
};

// One state per expected message (appendix A), plus the ends.
enum class State : std::uint8_t {
    idle,
    client_wait_server_hello,          // sent ClientHello (A.1 WAIT_SH)
    client_wait_encrypted_extensions,  // A.1 WAIT_EE
    client_wait_certificate_request,   // A.1 WAIT_CERT_CR
    client_wait_certificate,           // A.1 WAIT_CERT (after a CertificateRequest)
    client_wait_certificate_verify,    // A.1 WAIT_CV
    client_wait_finished,              // A.1 WAIT_FINISHED
    server_wait_client_hello,          // A.2 START / RECVD_CH (and after a HelloRetryRequest)
    server_wait_end_of_early_data,     // A.2 WAIT_EOED (0-RTT accepted)
    server_wait_client_certificate,    // A.2 WAIT_CERT
    server_wait_client_certificate_verify,  // A.2 WAIT_CV
    server_wait_client_finished,       // A.2 WAIT_FINISHED
    connected,                         // A.1/A.2 CONNECTED
    closed,                            // close_notify received or sent, or a fatal alert received
    failed,                            // an error; the alert is queued
};

const char* state_name(State s);
const char* event_name(Event e);

// The views of one ConnectionMemory the engine works in.
struct ConnectionBuffers {
    MutBytes incoming, outgoing, handshake_in, handshake_out;
    std::size_t record_size_limit = 0;  // the memory's RecordSizeLimit
    RecordLayer* records = nullptr;
    KeySchedule* key_schedule = nullptr;
    Transcript* transcript = nullptr;
    PeerChain* peer_chain = nullptr;
};

class Connection {
public:
    template <std::size_t L, std::size_t H>
    explicit Connection(ConnectionMemory<L, H>& m)
        : Connection(ConnectionBuffers{m.incoming, m.outgoing, m.handshake_in, m.handshake_out, L, &m.records,
                                       &m.key_schedule, &m.transcript, &m.peer_chain}) {}
    explicit Connection(const ConnectionBuffers& buffers);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Begin as a client (queues the ClientHello) or as a server (waits for one). `config` and the
    // Rng's context must outlive the connection. api_misuse for a config the engine cannot run
    // (no suite or group, record_size_limit over the memory's, a server without chain and key).
    TlsError start_client(const Config& config, const Rng& rng);
    TlsError start_server(const Config& config, const Rng& rng);

    // ---- Input. Consumes a prefix of `in` (consumed) up to and including the record that raised
    // `event`; call again with the rest. Returns the connection's error (sticky) when it failed.
    TlsError feed(Bytes in, std::size_t& consumed, Event& event);
    // After Event::application_data: the record's plaintext, valid until the next feed.
    Bytes application_data() const { return app_data_; }

    // ---- Output. The bytes waiting to be sent (records, in order), and how many the caller sent.
    // consume_output(0) or more than pending is api_misuse (not sticky).
    Bytes pending_output() const;
    TlsError consume_output(std::size_t n);

    // ---- Application. Seals as much of `data` as the send queue holds into application_data
    // records (accepted says how much; call again after draining). Only once connected.
    TlsError send(Bytes data, std::size_t& accepted);
    // §4.6.3: queues a KeyUpdate (update_requested when request_peer) and moves to the next write key.
    TlsError update_keys(bool request_peer);
    // §6.1: queues close_notify; nothing more is sent.
    TlsError close();

    // ---- What was negotiated (for tools: version, suite, group, schemes, ALPN, the peer chain).
    State state() const { return state_; }
    Role role() const { return role_; }
    bool handshake_done() const { return handshake_done_; }
    TlsError error() const { return error_; }
    // The alert we sent for error() (valid when alert_was_sent()), and the one the peer sent.
    bool alert_was_sent() const { return alert_sent_flag_; }
    AlertDescription alert_sent() const { return alert_sent_; }
    bool peer_alert_received() const { return peer_alert_flag_; }
    AlertDescription peer_alert() const { return peer_alert_; }
    std::uint16_t version() const { return suite_ ? tls13_version : 0; }
    const CipherSuite* cipher_suite() const { return suite_; }
    const KeyShareGroup* key_share_group() const { return group_; }
    bool hello_retry_request() const { return hello_retry_; }        // an HRR was sent / received
    std::uint16_t peer_signature_scheme() const { return peer_scheme_; }  // its CertificateVerify
    std::uint16_t signature_scheme() const { return our_scheme_; }        // ours (0: none sent)
    Bytes alpn() const { return Bytes(alpn_, alpn_len_); }             // empty: none negotiated
    // Server: the host_name the client sent (RFC 6066 §3 server_name; empty when it sent none or
    // one longer than max_server_name_size, tls/ticket.hpp). Not validated: show it escaped. Empty on a client.
    Bytes server_name() const { return Bytes(server_name_, server_name_len_); }
    std::size_t peer_record_size_limit() const { return peer_record_size_limit_; }  // 0: not sent
    // The peer's verified chain (count 0 when none was sent or accepted); chain.x509 says why one
    // was refused.
    const PeerChain& peer_chain() const { return *b_.peer_chain; }
    bool peer_authenticated() const { return peer_authenticated_; }
    // §4.2.11: the handshake resumed a session with a PSK (psk_dhe_ke): no certificates were sent.
    bool resumed() const { return psk_accepted_; }
    // Client: whether the server accepted the Config::early_data we sent (§4.2.10). Server: whether
    // we accepted the client's 0-RTT data (Config::max_early_data_size).
    bool early_data_accepted() const { return early_accepted_; }

private:
    // ---- shared core (tls/engine.cpp)
    TlsError fail(TlsError e);
    TlsError process_record(Bytes header, MutBytes fragment_record, Event& event);
    TlsError on_handshake_content(Bytes content, Event& event);
    TlsError on_post_handshake(const Handshake& msg, Event& event);
    TlsError on_alert(Bytes content, Event& event);
    // Our handshake messages: a writer over the free part of handshake_out; end_message hashes the
    // new message into the transcript (unless told not to) and keeps it for flush_handshake.
    ByteWriter message_writer();
    TlsError end_message(ByteWriter& w, bool hash = true);
    // Cuts handshake_out into records under the current write key (plaintext before one is
    // installed) into the send queue, then empties handshake_out.
    TlsError flush_handshake(std::uint16_t plaintext_record_version = tls12_version, bool keep = false);
    TlsError queue_plaintext_record(ContentType type, Bytes content, std::uint16_t record_version);
    TlsError queue_protected_record(ContentType type, Bytes content);
    TlsError queue_change_cipher_spec();
    // The transcript hash so far into out (Hash.length octets).
    TlsError transcript_hash(std::uint8_t (&out)[max_hash_size]);
    // §4.4.4 verify_data for base_key over the transcript so far; checks or writes a Finished.
    TlsError verify_finished(Bytes base_key, Bytes verify_data);
    TlsError write_finished_message(Bytes base_key);
    // §7.1: the application traffic secrets (after the server Finished is in the transcript).
    TlsError derive_application_secrets();
    // Encoded u16 list of our signature schemes (for signature_algorithms and verification).
    Bytes offered_schemes() const { return Bytes(offered_schemes_, offered_schemes_len_); }
    TlsError start_common(const Config& config, const Rng& rng, Role role);
    void mark_handshake_done(Event& event);

    // ---- client (tls/client.cpp)
    TlsError client_on_handshake(const Handshake& msg, Bytes raw, Event& event);
    // binder_prefix: after an HRR, message_hash(ClientHello1) || HelloRetryRequest (§4.2.11.2).
    TlsError client_send_hello(std::uint16_t retry_group, Bytes cookie, Bytes binder_prefix1 = {},
                               Bytes binder_prefix2 = {});
    const CipherSuite* client_psk_suite() const;
    TlsError client_send_early_data(const CipherSuite& psk_suite);
    TlsError client_on_server_hello(const Handshake& msg, Bytes raw);
    TlsError client_on_hello_retry_request(const ServerHello& hrr, Bytes raw);
    TlsError client_on_encrypted_extensions(const Handshake& msg, Bytes raw);
    TlsError client_on_certificate_request(const Handshake& msg, Bytes raw);
    TlsError client_on_certificate(const Handshake& msg, Bytes raw);
    TlsError client_on_certificate_verify(const Handshake& msg, Bytes raw);
    TlsError client_on_finished(const Handshake& msg, Bytes raw, Event& event);

    // ---- server (tls/server.cpp)
    TlsError server_on_handshake(const Handshake& msg, Bytes raw, Event& event);
    TlsError server_on_client_hello(const Handshake& msg, Bytes raw);
    TlsError server_hash_client_hello(const ClientHello& ch, Bytes raw, bool try_psk);
    bool server_takes_early_data(const ClientHello& ch, const SessionState& session, std::uint32_t obfuscated_age,
                                 Bytes binder) const;
    TlsError server_on_end_of_early_data(const Handshake& msg, Bytes raw);
    TlsError server_send_new_session_ticket();
    TlsError server_write_certificate_and_verify();
    TlsError server_send_hello_retry_request(const ClientHello& ch, std::uint16_t group);
    TlsError server_restore_from_cookie(const ClientHello& ch, Bytes body, const CipherSuite& suite);
    TlsError server_send_flight(const ClientHello& ch, Bytes client_share);
    TlsError server_on_certificate(const Handshake& msg, Bytes raw);
    TlsError server_on_certificate_verify(const Handshake& msg, Bytes raw);
    TlsError server_on_finished(const Handshake& msg, Bytes raw, Event& event);

    ConnectionBuffers b_;
    const Config* config_ = nullptr;
    Rng rng_{};
    Role role_ = Role::client;
    State state_ = State::idle;
    TlsError (Connection::*on_handshake_)(const Handshake&, Bytes, Event&) = nullptr;

    // Input: bytes of the current record in `incoming`; received handshake bytes in handshake_in
    // ([0, hs_in_base_) kept: the peer's Certificate; [hs_in_pos_, hs_in_len_) not yet processed).
    std::size_t in_len_ = 0;
    std::size_t hs_in_base_ = 0, hs_in_pos_ = 0, hs_in_len_ = 0;
    bool read_key_changed_ = false;  // set by a handler that installed a new read key
    Bytes app_data_;
    // Output: handshake_out [0, hs_out_len_); the send queue outgoing [out_pos_, out_len_).
    std::size_t hs_out_len_ = 0;
    std::size_t out_pos_ = 0, out_len_ = 0;

    TlsError error_ = TlsError::ok;
    bool alert_sent_flag_ = false, peer_alert_flag_ = false;
    AlertDescription alert_sent_ = AlertDescription::close_notify, peer_alert_ = AlertDescription::close_notify;
    bool handshake_done_ = false, close_sent_ = false, close_received_ = false;
    bool ccs_accepted_ = false;  // §5: a dummy change_cipher_spec may arrive now
    bool ccs_sent_ = false;

    // Negotiated.
    const CipherSuite* suite_ = nullptr;
    const KeyShareGroup* group_ = nullptr;
    bool hello_retry_ = false;
    std::uint16_t our_scheme_ = 0, peer_scheme_ = 0;
    std::uint8_t alpn_[255] = {};
    std::size_t alpn_len_ = 0;
    std::uint8_t server_name_[max_server_name_size] = {};  // server: the client's host_name
    std::uint8_t server_name_len_ = 0;
    std::size_t peer_record_size_limit_ = 0;
    bool peer_authenticated_ = false;
    bool certificate_requested_ = false;  // client: the server sent a CertificateRequest; server: we did
    bool peer_sent_certificate_ = false;
    bool skip_early_data_ = false;        // server: the ClientHello offered 0-RTT, which we refuse (§4.2.10)
    std::size_t early_data_skipped_ = 0;
    std::uint32_t early_data_left_ = 0;   // server: how much more 0-RTT data we take (max_early_data_size)

    // Handshake state.
    std::uint8_t client_random_[random_size] = {};
    std::uint8_t session_id_[32] = {};
    std::size_t session_id_len_ = 0;
    std::uint8_t share_private_[key_share_private_size] = {};  // secret
    std::uint8_t share_public_[max_key_share_public_size] = {};
    std::uint8_t cookie_[32] = {};  // server: a stateful HRR cookie (Config::cookie_sealer makes stateless ones)
    std::uint8_t client_hello1_digest_[max_hash_size] = {};  // server, HRR: what ClientHello2 repeats (§4.1.2)
    std::uint8_t offered_schemes_[64] = {};
    std::size_t offered_schemes_len_ = 0;
    Secret client_handshake_secret_, server_handshake_secret_;
    Secret client_application_secret_, server_application_secret_;  // until installed
    // §4.2.11 resumption: offered (client) / accepted (both), the PSK, and the
    // resumption_master_secret (for the tickets of this connection, §4.6.1).
    bool psk_offered_ = false, psk_accepted_ = false;
    bool early_sent_ = false;      // client: Config::early_data went out (§4.2.10)
    bool early_accepted_ = false;  // both: the server took the 0-RTT data
    Secret psk_, resumption_secret_;
};

}  // namespace padlock::tls
