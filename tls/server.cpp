// SPDX-License-Identifier: Apache-2.0
// The TLS 1.3 server state machine (RFC 8446 §2, §4, appendix A.2), top to bottom:
//
//   ClientHello (§4.1.2)  -> select suite (§4.1.1), group (§4.2.7, §4.2.8), signature scheme (§4.2.3),
//                            ALPN (RFC 7301), record_size_limit (RFC 8449)
//     no usable key share -> HelloRetryRequest (§4.1.4) with a cookie (§4.2.2), once; back to START
//   ServerHello (§4.1.3) [change_cipher_spec] {EncryptedExtensions} (§4.3.1)
//     [{CertificateRequest}] (§4.3.2) {Certificate} (§4.4.2) {CertificateVerify} (§4.4.3) {Finished} (§4.4.4)
//   WAIT_EOED: (0-RTT data) (EndOfEarlyData) (§4.5), if we took the client's early data
//   WAIT_CERT: {Certificate} (if requested)  WAIT_CV: {CertificateVerify} (if it was not empty)
//   WAIT_FINISHED: {Finished} -> CONNECTED
//
// Resumption (§4.2.11, psk_dhe_ke only): a ticket of ours with a valid binder replaces the
// certificate messages; any other PSK is ignored (a full handshake). With ticket keys (or the
// caller's ticket sealer) the server sends one NewSessionTicket after the handshake (§4.6.1).
// 0-RTT (§4.2.10) only with Config::max_early_data_size and the caller's anti-replay store (§8):
// an offer we do not take is refused by not answering it, and its early records are skipped. The
// HelloRetryRequest is stateful (a random cookie that only has to come back
// unchanged) unless the Config has a cookie sealer: then it is stateless (§4.2.2), and a
// ClientHello2 restores from its cookie what the first flight chose, on this connection or on a
// fresh one.
#include <algorithm>
#include <cstring>

#include "crypto/ct.hpp"
#include "tls/cookie.hpp"
#include "tls/engine.hpp"
#include "tls/psk.hpp"

namespace padlock::tls {

namespace {

bool u16_list_contains(Bytes list, std::uint16_t value) {
    U16List l{ByteReader(list)};
    std::uint16_t v = 0;
    while (l.next(v))
        if (v == value) return true;
    return false;
}

// §4.2.8: "Clients MUST NOT offer multiple KeyShareEntry values for the same group. Clients MUST
// NOT offer any KeyShareEntry values for groups not listed in the client's "supported_groups"
// extension", and the shares "MUST appear in the same order"; servers "MAY check for violations of
// these rules and abort the handshake with an "illegal_parameter" alert". padlock checks: each
// share's group stands later in supported_groups than the one before it.
TlsError check_client_shares(Bytes client_shares, Bytes supported_groups) {
    KeyShareList shares{ByteReader(client_shares)};
    std::uint16_t g = 0;
    Bytes kx;
    std::size_t next = 0;  // the first position in supported_groups the next share may use
    while (shares.next(g, kx)) {
        U16List groups{ByteReader(supported_groups)};
        std::size_t at = 0;
        bool listed = false;
        for (std::uint16_t v = 0; !listed && groups.next(v);) {
            if (v == g) listed = true;
            else at++;
        }
        if (!listed || at < next) return TlsError::key_share_invalid;
        next = at + 1;
    }
    return TlsError::ok;
}

// §4.2.8: the client's share for `group`, if it sent one (at most one: check_client_shares).
bool find_client_share(Bytes client_shares, std::uint16_t group, Bytes& key_exchange) {
    KeyShareList shares{ByteReader(client_shares)};
    std::uint16_t g = 0;
    Bytes kx;
    while (shares.next(g, kx))
        if (g == group) {
            key_exchange = kx;
            return true;
        }
    return false;
}

// §4.1.2: the parts of a ClientHello that the second one must repeat, hashed with the suite's hash:
// all but the extensions a HelloRetryRequest lets the client change (key_share, early_data removed,
// cookie, pre_shared_key with psk_key_exchange_modes, padding). Public data.
void hash_client_hello_invariants(const HashOps& hash, Bytes body, const ClientHello& ch, std::uint8_t* out) {
    alignas(hash_state_align) std::uint8_t state[hash_state_size];
    hash.start(state);
    hash.update(state, body.first(body.size() - 2 - ch.extensions.block.size()));  // the fields before the extensions
    ExtensionList list{ByteReader(ch.extensions.block)};
    std::uint16_t type = 0;
    Bytes ext_body;
    while (list.next(type, ext_body)) {
        if (type == ext::key_share || type == ext::early_data || type == ext::cookie || type == ext::pre_shared_key ||
            type == ext::psk_key_exchange_modes || type == ext::padding)
            continue;
        const std::uint8_t header[4] = {std::uint8_t(type >> 8), std::uint8_t(type), std::uint8_t(ext_body.size() >> 8),
                                        std::uint8_t(ext_body.size())};
        hash.update(state, Bytes(header, 4));
        hash.update(state, ext_body);
    }
    hash.digest(state, out);
    hash.destroy(state);
}

// §4.1.4 HelloRetryRequest: a ServerHello with the special random, the session id echoed, the suite,
// and the extensions in the order RFC 8448 §5 shows: key_share (the group we want, §4.2.8), cookie
// (§4.2.2), supported_versions (§4.2.1).
void write_hello_retry_request(ByteWriter& w, Bytes legacy_session_id, std::uint16_t suite, std::uint16_t group,
                               Bytes cookie) {
    auto m = begin_handshake(w, HandshakeType::server_hello);
    write_server_hello_fields(w, RandomView(hello_retry_request_random, random_size), legacy_session_id, suite);
    auto e = begin_extensions(w);
    add_key_share_hrr(w, group);
    add_cookie(w, cookie);
    add_supported_versions_server(w, tls13_version);
    end_extensions(w, e);
    end_handshake(w, m);
}

// §4.6.1 the server's tickets: the caller's sealer, or padlock's format under the ticket keys.
bool issues_tickets(const Config& config) { return config.ticket_sealer != nullptr || config.ticket_keys != nullptr; }

TlsError open_session_ticket(const Config& config, Bytes identity, SessionState& session) {
    const std::uint64_t now_ms = std::uint64_t(config.time) * 1000;
    if (config.ticket_sealer != nullptr)
        return config.ticket_sealer->open(config.ticket_sealer->context, identity, now_ms, session);
    bool previous_key = false;
    return open_ticket(*config.ticket_keys, identity, now_ms, session, previous_key);
}

TlsError seal_session_ticket(const Config& config, const SessionState& session, const Rng& rng,
                             std::span<std::uint8_t, max_ticket_size> out, std::size_t& written) {
    TlsError err = config.ticket_sealer != nullptr
                       ? config.ticket_sealer->seal(config.ticket_sealer->context, session, rng, out, written)
                       : seal_ticket(*config.ticket_keys, session, rng, out, written);
    if (err == TlsError::ok && (written == 0 || written > out.size())) err = TlsError::api_misuse;  // ticket<1..2^16-1>
    return err;
}

// RFC 7301 §3.2: the first of our protocol names that the client's protocol_name_list holds.
bool select_alpn(std::span<const std::string_view> ours, Bytes offered_list, Bytes& chosen) {
    for (const std::string_view& name : ours) {
        OpaqueList offered{ByteReader(offered_list), 1};
        Bytes n;
        while (offered.next(n))
            if (n.size() == name.size() && std::memcmp(n.data(), name.data(), n.size()) == 0) {
                chosen = n;
                return true;
            }
    }
    return false;
}

}  // namespace

TlsError Connection::start_server(const Config& config, const Rng& rng) {
    TlsError err = start_common(config, rng, Role::server);
    if (err != TlsError::ok) return err;
    if (config.certificate_chain.empty() || config.signing_key == nullptr) return TlsError::api_misuse;
    // §8: no 0-RTT without an anti-replay store (and tickets to resume).
    if (config.max_early_data_size > 0 && (config.early_data_replay.first_use == nullptr || !issues_tickets(config)))
        return TlsError::api_misuse;
    on_handshake_ = &Connection::server_on_handshake;
    state_ = State::server_wait_client_hello;
    // §5, appendix D.4: a client in compatibility mode sends change_cipher_spec before ClientHello2.
    // A stateless server may meet ClientHello2 first on this connection and cannot tell that record
    // from one before a ClientHello1, so it drops both (the record carries nothing).
    if (config.cookie_sealer != nullptr) ccs_accepted_ = true;
    return TlsError::ok;
}

// One handler per expected message (appendix A.2); anything else is unexpected_message.
TlsError Connection::server_on_handshake(const Handshake& msg, Bytes raw, Event& event) {
    switch (state_) {
    case State::server_wait_client_hello:
        if (msg.type == HandshakeType::client_hello) return server_on_client_hello(msg, raw);
        break;
    case State::server_wait_end_of_early_data:
        if (msg.type == HandshakeType::end_of_early_data) return server_on_end_of_early_data(msg, raw);
        break;
    case State::server_wait_client_certificate:
        if (msg.type == HandshakeType::certificate) return server_on_certificate(msg, raw);
        break;
    case State::server_wait_client_certificate_verify:
        if (msg.type == HandshakeType::certificate_verify) return server_on_certificate_verify(msg, raw);
        break;
    case State::server_wait_client_finished:
        if (msg.type == HandshakeType::finished) return server_on_finished(msg, raw, event);
        break;
    default: break;
    }
    // §4.5: EndOfEarlyData only ends 0-RTT data we took.
    return msg.type == HandshakeType::end_of_early_data ? TlsError::end_of_early_data_refused
                                                        : TlsError::unexpected_message;
}

// §4.1.2 ClientHello: negotiate, then answer with a HelloRetryRequest or our whole flight.
TlsError Connection::server_on_client_hello(const Handshake& msg, Bytes raw) {
    const Config& config = *config_;
    ClientHello ch;
    TlsError err = parse_client_hello(msg.body, ch);
    if (err != TlsError::ok) return err;
    const Extensions& e = ch.extensions;
    ccs_accepted_ = true;  // §5: from the first ClientHello on

    // §4.2.1: "If this extension is not present, servers which are compliant with this
    // specification and which also support TLS 1.2 MUST negotiate TLS 1.2 or prior" — padlock has
    // no TLS 1.2, so a client without TLS 1.3 gets protocol_version (appendix D.2).
    if (!e.has(ext::supported_versions) || !u16_list_contains(e.supported_versions, tls13_version))
        return TlsError::protocol_version_unsupported;

    // §4.1.1: the cipher suite, in our order of preference.
    const CipherSuite* suite = nullptr;
    for (const CipherSuite* s : config.cipher_suites)
        if (suite == nullptr && u16_list_contains(ch.cipher_suites, s->code)) suite = s;
    if (suite == nullptr) return TlsError::no_common_cipher_suite;

    // §9.2: a ClientHello for (EC)DHE carries supported_groups and key_share (missing_extension);
    // and signature_algorithms for certificate authentication.
    if (!e.has(ext::supported_groups) || !e.has(ext::key_share) || !e.has(ext::signature_algorithms))
        return TlsError::extension_missing;
    // §4.2.9: "If clients offer "pre_shared_key" without a "psk_key_exchange_modes" extension,
    // servers MUST abort the handshake" (missing_extension, §9.2).
    if (e.has(ext::pre_shared_key) && !e.has(ext::psk_key_exchange_modes)) return TlsError::extension_missing;
    if ((err = check_client_shares(e.client_shares, e.supported_groups)) != TlsError::ok) return err;

    if (e.has(ext::cookie) && config.cookie_sealer != nullptr) {
        // §4.2.2 stateless: ClientHello2; its cookie says what the first flight chose.
        if ((err = server_restore_from_cookie(ch, msg.body, *suite)) != TlsError::ok) return err;
    } else if (hello_retry_) {
        // §4.2.2: ClientHello2 echoes our cookie unchanged (a stateless server's ClientHello2 without
        // a cookie ends here too); §4.1.2: it repeats the rest of ClientHello1 (so the suite, §4.1.4)
        // but for what the HelloRetryRequest lets it change.
        if (!e.has(ext::cookie) || !ct::equal(e.cookie, Bytes(cookie_, sizeof cookie_))) return TlsError::hello_retry_invalid;
        std::uint8_t digest[max_hash_size];
        hash_client_hello_invariants(*suite_->hash, msg.body, ch, digest);
        if (!ct::equal(Bytes(digest, suite_->hash->size), Bytes(client_hello1_digest_, suite_->hash->size)))
            return TlsError::hello_retry_invalid;
    } else if (e.has(ext::cookie)) {
        return TlsError::hello_retry_invalid;  // §4.2.2: a cookie we never sent
    }
    // §4.1.2: ClientHello2 removes early_data: "Early data is not permitted after a HelloRetryRequest."
    if (hello_retry_ && e.has(ext::early_data)) return TlsError::hello_retry_invalid;

    // §4.2.8: the first of our groups the client sent a share for; else the first of our groups it
    // supports, asked for with a HelloRetryRequest.
    const KeyShareGroup* chosen = nullptr;
    Bytes client_share;
    for (const KeyShareGroup* g : config.groups)
        if (chosen == nullptr && find_client_share(e.client_shares, g->code, client_share)) chosen = g;
    // §4.1.4: after our HelloRetryRequest, the share must be for the group it named.
    if (hello_retry_ && chosen != nullptr && chosen != group_) return TlsError::hello_retry_invalid;
    const KeyShareGroup* retry = nullptr;
    if (chosen == nullptr) {
        // §4.1.4: after one HelloRetryRequest the client must have sent the share we asked for.
        if (hello_retry_) return TlsError::hello_retry_invalid;
        for (const KeyShareGroup* g : config.groups)
            if (retry == nullptr && u16_list_contains(e.supported_groups, g->code)) retry = g;
        if (retry == nullptr) return TlsError::no_common_group;
    }

    // RFC 7301 §3.2: the first of our protocols the client offers; none in common is fatal.
    alpn_len_ = 0;
    if (!config.alpn.empty() && e.has(ext::alpn)) {
        Bytes chosen_alpn;
        if (!select_alpn(config.alpn, e.alpn, chosen_alpn)) return TlsError::no_application_protocol;
        std::copy(chosen_alpn.begin(), chosen_alpn.end(), alpn_);
        alpn_len_ = chosen_alpn.size();
    }

    // RFC 6066 §3: the host_name the client asked for, for server_name(). A name longer than any
    // DNS name can be is not kept (the accessor stays empty); it does not end the handshake.
    server_name_len_ = 0;
    if (e.has(ext::server_name) && e.server_name.size() <= max_server_name_size) {
        std::copy(e.server_name.begin(), e.server_name.end(), server_name_);
        server_name_len_ = std::uint8_t(e.server_name.size());
    }

    // RFC 8449 §4: the client's limit applies to the records we protect for it.
    if (e.has(ext::record_size_limit)) {
        peer_record_size_limit_ = e.record_size_limit;
        if ((err = b_.records->set_record_size_limits(config.record_size_limit, e.record_size_limit)) != TlsError::ok)
            return err;
    }
    std::memcpy(client_random_, ch.random.data(), random_size);
    std::copy(ch.legacy_session_id.begin(), ch.legacy_session_id.end(), session_id_);
    session_id_len_ = ch.legacy_session_id.size();
    suite_ = suite;
    if (!hello_retry_) b_.transcript->start(*suite_->hash);
    if ((err = server_hash_client_hello(ch, raw, retry == nullptr)) != TlsError::ok) return err;
    // §4.2.10: early data we do not take is skipped.
    skip_early_data_ = e.has(ext::early_data) && !early_accepted_;
    // §4.2.3, §4.4.3: our CertificateVerify scheme among the client's signature_algorithms (a
    // resumed handshake sends no CertificateVerify).
    if (!psk_accepted_ && (err = select_signature_scheme(*config.signing_key, config.signature_schemes,
                                                         e.signature_algorithms, our_scheme_)) != TlsError::ok)
        return err;
    if (retry != nullptr) {
        hash_client_hello_invariants(*suite_->hash, msg.body, ch, client_hello1_digest_);  // kept, or in the cookie
        return server_send_hello_retry_request(ch, retry->code);
    }
    group_ = chosen;
    return server_send_flight(ch, client_share);
}

// §4.2.11: a ticket of ours offered with psk_dhe_ke (§4.2.9) is taken when its binder verifies;
// any other PSK is ignored (a full handshake). The ClientHello goes into the transcript in two
// pieces, so the transcript up to its binders gives the binders' hash (§4.2.11.2; after an HRR the
// transcript already holds message_hash(ClientHello1) and the HRR, as the binder needs).
TlsError Connection::server_hash_client_hello(const ClientHello& ch, Bytes raw, bool try_psk) {
    const Config& config = *config_;
    const Extensions& e = ch.extensions;
    Transcript& t = *b_.transcript;
    psk_accepted_ = false;
    bool psk_dhe_ke = false;
    for (std::uint8_t mode : e.psk_key_exchange_modes) psk_dhe_ke = psk_dhe_ke || mode == 1;
    if (!try_psk || !issues_tickets(config) || !e.has(ext::pre_shared_key) ||
        !e.has(ext::psk_key_exchange_modes) || !psk_dhe_ke)
        return t.update(raw);
    PskIdentityList identities{ByteReader(e.psk_identities)};
    Bytes identity;
    std::uint32_t obfuscated_age = 0;
    SessionState session;
    const CipherSuite* session_suite = nullptr;
    if (identities.next(identity, obfuscated_age) && open_session_ticket(config, identity, session) == TlsError::ok)
        for (const CipherSuite* s : config.cipher_suites)
            if (s->code == session.cipher_suite) session_suite = s;
    // §4.2.11: the PSK's hash must be the chosen suite's.
    if (session_suite == nullptr || session_suite->hash != suite_->hash) return t.update(raw);
    std::size_t truncated = 0;
    std::uint8_t hash[max_hash_size];
    TlsError err = truncated_client_hello_length(raw, truncated);
    if (err == TlsError::ok) err = t.update(raw.first(truncated));
    if (err == TlsError::ok) err = t.current(MutBytes(hash, suite_->hash->size));
    if (err == TlsError::ok) err = t.update(raw.subspan(truncated));
    if (err != TlsError::ok) return err;
    Secret binder_key;
    Bytes binder;
    err = derive_binder_key(*suite_->hash, session.psk.view(), PskKind::resumption, binder_key);
    if (err == TlsError::ok) err = binder_at(e.psk_binders, 0, binder);
    // §4.2.11.2: "If ... the binder does not validate, the server MUST abort the handshake" (decrypt_error).
    if (err == TlsError::ok) err = verify_binder(*suite_->hash, binder_key.view(), Bytes(hash, suite_->hash->size), binder);
    if (err != TlsError::ok) return err;
    psk_accepted_ = true;
    early_accepted_ = server_takes_early_data(ch, session, obfuscated_age, binder);
    if (early_accepted_) early_data_left_ = std::min(session.max_early_data_size, config.max_early_data_size);
    return psk_.assign(session.psk.view());
}

// §4.2.10: whether we take the 0-RTT data of a ClientHello whose first PSK (`session`) we accepted.
// "the server MUST verify that the following values are the same as those associated with the
// selected PSK: the TLS version number, the selected cipher suite, the selected ALPN protocol, if
// any"; no early data after a HelloRetryRequest (§4.1.2); the ticket age within the window (§8.3);
// and the anti-replay store last, so only ClientHellos we would take are recorded (§8.2).
bool Connection::server_takes_early_data(const ClientHello& ch, const SessionState& session,
                                         std::uint32_t obfuscated_age, Bytes binder) const {
    const Config& config = *config_;
    const Bytes chosen_alpn = alpn();
    if (!ch.extensions.has(ext::early_data) || hello_retry_ || config.max_early_data_size == 0 ||
        session.max_early_data_size == 0 || session.cipher_suite != suite_->code ||
        !std::equal(chosen_alpn.begin(), chosen_alpn.end(), session.alpn, session.alpn + session.alpn_size))
        return false;
    const std::int64_t ours = std::int64_t(config.time) * 1000 - std::int64_t(session.issue_time_ms);
    const std::int64_t theirs = ticket_age_from_obfuscated(obfuscated_age, session.age_add);
    if (ours - theirs > config.early_data_window_ms || theirs - ours > config.early_data_window_ms) return false;
    return config.early_data_replay.first_use(config.early_data_replay.context, binder);
}

// §4.1.4 HelloRetryRequest: the suite, the group we want a share for, and a cookie (§4.2.2): random
// and kept (stateful), or sealed by the Config's cookie sealer over Hash(ClientHello1), the suite and
// the group (stateless: server_restore_from_cookie takes it back).
TlsError Connection::server_send_hello_retry_request(const ClientHello& ch, std::uint16_t group_code) {
    const Config& config = *config_;
    hello_retry_ = true;
    for (const KeyShareGroup* g : config.groups)
        if (g->code == group_code) group_ = g;
    Transcript& t = *b_.transcript;
    std::uint8_t cookie[max_hrr_cookie_size];
    std::size_t cookie_len = 0;
    TlsError err = TlsError::ok;
    if (config.cookie_sealer != nullptr) {
        CookieState state;
        state.cipher_suite = suite_->code;
        state.selected_group = group_code;
        state.issue_time_ms = std::uint64_t(config.time) * 1000;
        state.hash_size = suite_->hash->size;
        // The transcript so far is ClientHello1 alone: its hash is Hash(ClientHello1).
        if ((err = t.current(MutBytes(state.client_hello1_hash, state.hash_size))) != TlsError::ok) return err;
        std::memcpy(state.client_hello1_invariants, client_hello1_digest_, state.hash_size);
        const CookieSealer& sealer = *config.cookie_sealer;
        if ((err = sealer.seal(sealer.context, state, rng_, MutBytes(cookie, sizeof cookie), cookie_len)) != TlsError::ok)
            return err;
        if (cookie_len == 0 || cookie_len > sizeof cookie) return TlsError::api_misuse;  // §4.2.2 cookie<1..2^16-1>
    } else {
        if (rng_(MutBytes(cookie_, sizeof cookie_)) != CryptoError::ok) return TlsError::crypto_failure;
        std::memcpy(cookie, cookie_, sizeof cookie_);
        cookie_len = sizeof cookie_;
    }
    // §4.4.1: ClientHello1 is replaced by message_hash(Hash(ClientHello1)) before the HRR is hashed.
    if ((err = t.replace_with_message_hash()) != TlsError::ok) return err;
    ByteWriter w = message_writer();
    write_hello_retry_request(w, ch.legacy_session_id, suite_->code, group_code, Bytes(cookie, cookie_len));
    if ((err = end_message(w)) != TlsError::ok) return err;
    if ((err = flush_handshake()) != TlsError::ok) return err;
    // Appendix D.4: in compatibility mode (a non-empty legacy_session_id) the dummy
    // change_cipher_spec follows our first handshake message.
    if (session_id_len_ > 0 && (err = queue_change_cipher_spec()) != TlsError::ok) return err;
    state_ = State::server_wait_client_hello;
    return TlsError::ok;
}

// §4.2.2 the second half of a stateless HelloRetryRequest: the cookie (sealed by our sealer, not
// expired) gives back the suite, the group and Hash(ClientHello1). The suite chosen again from
// ClientHello2 must be the cookie's (§4.1.4), its group one of ours; the caller then checks that the
// share is for that group. The transcript restarts as message_hash(ClientHello1) || HelloRetryRequest,
// the HRR rebuilt from what determines it: the session id ClientHello2 repeats (§4.1.2), the suite,
// the group and the cookie it echoes. ClientHello1's random is not in the cookie, so it is not compared.
TlsError Connection::server_restore_from_cookie(const ClientHello& ch, Bytes body, const CipherSuite& suite) {
    const Config& config = *config_;
    const CookieSealer& sealer = *config.cookie_sealer;
    CookieState state;
    TlsError err = sealer.open(sealer.context, ch.extensions.cookie, std::uint64_t(config.time) * 1000, state);
    if (err != TlsError::ok) return err;  // cookie_invalid, cookie_expired
    const KeyShareGroup* group = nullptr;
    for (const KeyShareGroup* g : config.groups)
        if (g->code == state.selected_group) group = g;
    if (state.cipher_suite != suite.code || state.hash_size != suite.hash->size || group == nullptr)
        return TlsError::hello_retry_invalid;
    // §4.1.2: ClientHello2 repeats ClientHello1 but for what the HelloRetryRequest lets it change.
    std::uint8_t digest[max_hash_size];
    hash_client_hello_invariants(*suite.hash, body, ch, digest);
    if (!ct::equal(Bytes(digest, state.hash_size), Bytes(state.client_hello1_invariants, state.hash_size)))
        return TlsError::hello_retry_invalid;
    suite_ = &suite;
    group_ = group;
    hello_retry_ = true;
    // Appendix D.4: in compatibility mode our change_cipher_spec went out with the HelloRetryRequest.
    if (!ch.legacy_session_id.empty()) ccs_sent_ = true;
    if ((err = start_transcript_from_cookie(state, *suite.hash, *b_.transcript)) != TlsError::ok) return err;
    ByteWriter w = message_writer();
    write_hello_retry_request(w, ch.legacy_session_id, suite.code, group->code, ch.extensions.cookie);
    std::size_t n = 0;
    if (!w.finish(n)) return TlsError::buffer_too_small;
    return b_.transcript->update(b_.handshake_out.subspan(hs_out_len_, n));
}

// ServerHello, then everything up to our Finished, and the keys for each part (§7.1).
TlsError Connection::server_send_flight(const ClientHello& ch, Bytes client_share) {
    const Config& config = *config_;
    // §7.1: Early Secret = HKDF-Extract(0, PSK or zeros); with 0-RTT taken, the client's early
    // traffic secret over the ClientHello (the transcript so far) is our read key until EndOfEarlyData.
    KeySchedule& ks = *b_.key_schedule;
    std::uint8_t hash[max_hash_size];
    ks.start(*suite_->hash);
    if (config.key_log.write || config.key_log.stage) ks.set_key_log(config.key_log, std::span<const std::uint8_t, 32>(client_random_, 32));
    TlsError err = ks.derive_early_secret(psk_accepted_ ? psk_.view() : Bytes{});
    if (err == TlsError::ok && early_accepted_) {
        Secret early;
        err = transcript_hash(hash);
        if (err == TlsError::ok) err = ks.derive_client_early_traffic_secret(Bytes(hash, suite_->hash->size), early);
        if (err == TlsError::ok) err = b_.records->read.install(*suite_, early.view());
    }
    if (err != TlsError::ok) return err;

    // §4.1.3 ServerHello: random, our key share (§4.2.8), supported_versions (§4.2.1).
    std::uint8_t random[random_size], shared[key_share_shared_size];
    if (rng_(MutBytes(random, random_size)) != CryptoError::ok) return TlsError::crypto_failure;
    err = group_->generate(rng_, std::span<std::uint8_t, key_share_private_size>(share_private_), share_public_);
    if (err != TlsError::ok) return err;
    err = group_->shared_secret(std::span<const std::uint8_t, key_share_private_size>(share_private_), client_share, std::span<std::uint8_t, key_share_shared_size>(shared));
    secure_zero(share_private_, sizeof share_private_);
    if (err != TlsError::ok) {
        secure_zero(shared, sizeof shared);
        return err;
    }
    ByteWriter w = message_writer();
    auto m = begin_handshake(w, HandshakeType::server_hello);
    write_server_hello_fields(w, RandomView(random, random_size), ch.legacy_session_id, suite_->code);
    auto e = begin_extensions(w);
    // In the order RFC 8448 §3 and §4 show: pre_shared_key (§4.2.11 selected_identity) when resuming,
    // key_share, supported_versions.
    if (psk_accepted_) add_pre_shared_key_server(w, 0);
    add_key_share_server(w, group_->code, Bytes(share_public_, group_->public_size));
    add_supported_versions_server(w, tls13_version);
    end_extensions(w, e);
    end_handshake(w, m);
    if ((err = end_message(w)) == TlsError::ok) err = flush_handshake();
    if (err == TlsError::ok && session_id_len_ > 0) err = queue_change_cipher_spec();  // appendix D.4
    if (err != TlsError::ok) {
        secure_zero(shared, sizeof shared);
        return err;
    }

    // §7.1: Handshake Secret -> handshake traffic secrets (the client's is our read key after
    // EndOfEarlyData when we took 0-RTT data).
    err = ks.derive_handshake_secret(Bytes(shared, group_->shared_size));
    secure_zero(shared, sizeof shared);
    if (err == TlsError::ok) err = transcript_hash(hash);
    const Bytes th(hash, suite_->hash->size);
    if (err == TlsError::ok) err = ks.derive_client_handshake_traffic_secret(th, client_handshake_secret_);
    if (err == TlsError::ok) err = ks.derive_server_handshake_traffic_secret(th, server_handshake_secret_);
    if (err == TlsError::ok) err = b_.records->write.install(*suite_, server_handshake_secret_.view());
    if (err == TlsError::ok && !early_accepted_) err = b_.records->read.install(*suite_, client_handshake_secret_.view());
    if (err != TlsError::ok) return err;
    read_key_changed_ = true;

    // §4.3.1 EncryptedExtensions: our groups (§4.2.7), and the answers to record_size_limit,
    // server_name, ALPN and early_data (§4.2.10: we take the 0-RTT data).
    std::uint8_t announced[64];
    std::size_t announced_len = 0;
    ByteWriter wa(announced);
    for (std::uint16_t code : config.announced_groups) wa.add_u16(code);
    if (!wa.finish(announced_len)) return TlsError::api_misuse;
    w = message_writer();
    m = begin_handshake(w, HandshakeType::encrypted_extensions);
    e = begin_extensions(w);
    if (announced_len) add_u16_list(w, ext::supported_groups, Bytes(announced, announced_len));
    if (ch.extensions.has(ext::record_size_limit)) add_record_size_limit(w, std::uint16_t(config.record_size_limit));
    if (ch.extensions.has(ext::server_name)) add_server_name(w, {});  // RFC 6066 §3: empty acknowledgement
    if (alpn_len_) add_alpn_server(w, Bytes(alpn_, alpn_len_));
    if (early_accepted_) add_early_data(w);
    end_extensions(w, e);
    end_handshake(w, m);
    if ((err = end_message(w)) != TlsError::ok) return err;

    // §4.3.2 CertificateRequest: an empty context and the schemes we accept (never when resuming:
    // "Servers which are authenticating with a PSK MUST NOT send the CertificateRequest message").
    if (config.request_client_certificate && !psk_accepted_) {
        w = message_writer();
        m = begin_handshake(w, HandshakeType::certificate_request);
        write_certificate_request_fields(w, {});
        e = begin_extensions(w);
        add_u16_list(w, ext::signature_algorithms, offered_schemes());
        end_extensions(w, e);
        end_handshake(w, m);
        if ((err = end_message(w)) != TlsError::ok) return err;
        certificate_requested_ = true;
    }

    // §4.4.2 Certificate (empty context), §4.4.3 CertificateVerify (not when resuming), §4.4.4 Finished.
    if (!psk_accepted_ && (err = server_write_certificate_and_verify()) != TlsError::ok) return err;
    if ((err = write_finished_message(server_handshake_secret_.view())) != TlsError::ok) return err;
    if ((err = flush_handshake()) != TlsError::ok) return err;

    // §7.1: application secrets over ClientHello .. server Finished; we send with ours at once.
    if ((err = derive_application_secrets()) != TlsError::ok) return err;
    if ((err = b_.records->write.install(*suite_, server_application_secret_.view())) != TlsError::ok) return err;
    state_ = early_accepted_           ? State::server_wait_end_of_early_data
             : certificate_requested_ ? State::server_wait_client_certificate
                                      : State::server_wait_client_finished;
    return TlsError::ok;
}

// §4.5 EndOfEarlyData, the last record under the early key: the client's handshake traffic secret
// protects what follows.
TlsError Connection::server_on_end_of_early_data(const Handshake& msg, Bytes raw) {
    if (hs_in_pos_ != hs_in_len_) return TlsError::handshake_spans_key_change;  // §5.1
    TlsError err = parse_end_of_early_data(msg.body);
    if (err == TlsError::ok) err = b_.transcript->update(raw);
    if (err == TlsError::ok) err = b_.records->read.install(*suite_, client_handshake_secret_.view());
    if (err != TlsError::ok) return err;
    read_key_changed_ = true;
    state_ = State::server_wait_client_finished;
    return TlsError::ok;
}

TlsError Connection::server_write_certificate_and_verify() {
    const Config& config = *config_;
    ByteWriter w = message_writer();
    auto m = begin_handshake(w, HandshakeType::certificate);
    TlsError err = write_certificate(w, {}, config.certificate_chain);
    end_handshake(w, m);
    if (err == TlsError::ok) err = end_message(w);
    if (err != TlsError::ok) return err;
    std::uint8_t hash[max_hash_size], signature[max_signature_size];
    std::size_t signature_len = 0;
    if ((err = transcript_hash(hash)) != TlsError::ok) return err;
    err = sign_certificate_verify(*config.signing_key, our_scheme_, Role::server, Bytes(hash, suite_->hash->size), rng_,
                                  signature, signature_len);
    if (err != TlsError::ok) return err;
    w = message_writer();
    m = begin_handshake(w, HandshakeType::certificate_verify);
    write_certificate_verify(w, our_scheme_, Bytes(signature, signature_len));
    end_handshake(w, m);
    return end_message(w);
}

// §4.4.2 the client's Certificate (answering our CertificateRequest: its context, empty).
TlsError Connection::server_on_certificate(const Handshake& msg, Bytes raw) {
    const Config& config = *config_;
    Certificate certificate;
    TlsError err = parse_certificate(msg.body, certificate);
    if (err != TlsError::ok) return err;
    PeerCertificatePolicy policy;
    policy.peer = Role::client;
    policy.anchors = config.trust_anchors;
    policy.time = config.time;
    policy.crls = config.crls;
    policy.revocation = config.revocation;
    policy.require_client_certificate = config.require_client_certificate;  // §4.4.2.4
    policy.verify = config.signature_verifier;
    policy.pinned_keys = config.pinned_keys;
    if ((err = verify_peer_certificate(certificate, {}, policy, *b_.peer_chain)) != TlsError::ok) return err;
    if ((err = b_.transcript->update(raw)) != TlsError::ok) return err;
    if (b_.peer_chain->count == 0) {
        state_ = State::server_wait_client_finished;  // an empty Certificate: no CertificateVerify
        return TlsError::ok;
    }
    hs_in_base_ = hs_in_pos_;  // keep the message the chain's views point into
    peer_sent_certificate_ = true;
    state_ = State::server_wait_client_certificate_verify;
    return TlsError::ok;
}

// §4.4.3 the client's CertificateVerify over Transcript-Hash(ClientHello .. client Certificate).
TlsError Connection::server_on_certificate_verify(const Handshake& msg, Bytes raw) {
    CertificateVerify cv;
    TlsError err = parse_certificate_verify(msg.body, cv);
    if (err != TlsError::ok) return err;
    std::uint8_t hash[max_hash_size];
    if ((err = transcript_hash(hash)) != TlsError::ok) return err;
    err = verify_certificate_verify(b_.peer_chain->certs[0].public_key, cv.algorithm, offered_schemes(), Role::client,
                                    Bytes(hash, suite_->hash->size), cv.signature, config_->signature_verifier);
    if (err != TlsError::ok) return err;
    peer_scheme_ = cv.algorithm;
    peer_authenticated_ = true;
    if ((err = b_.transcript->update(raw)) != TlsError::ok) return err;
    state_ = State::server_wait_client_finished;
    return TlsError::ok;
}

// §4.4.4 the client's Finished: the handshake is complete.
TlsError Connection::server_on_finished(const Handshake& msg, Bytes raw, Event& event) {
    // §5.1: the Finished changes our read key, so it ends its record (hs_in_pos_ is past it).
    if (hs_in_pos_ != hs_in_len_) return TlsError::handshake_spans_key_change;
    Finished finished;
    TlsError err = parse_finished(msg.body, suite_->hash->size, finished);
    if (err == TlsError::ok) err = verify_finished(client_handshake_secret_.view(), finished.verify_data);
    if (err == TlsError::ok) err = b_.transcript->update(raw);
    if (err == TlsError::ok) err = b_.records->read.install(*suite_, client_application_secret_.view());
    if (err != TlsError::ok) return err;
    read_key_changed_ = true;
    skip_early_data_ = false;
    mark_handshake_done(event);
    return issues_tickets(*config_) && config_->send_session_ticket ? server_send_new_session_ticket() : TlsError::ok;
}

// §4.6.1 NewSessionTicket: one ticket per connection, our sealed session state, for the PSK
// HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length). Not part of
// the transcript.
TlsError Connection::server_send_new_session_ticket() {
    const Config& config = *config_;
    static const std::uint8_t nonce[2] = {0, 0};  // one ticket per connection: a fixed nonce (as RFC 8448 §3)
    SessionState session;
    std::uint8_t ticket[max_ticket_size];
    std::size_t ticket_len = 0;
    TlsError err = new_session_state(*suite_, resumption_secret_.view(), Bytes(nonce, 2), config.ticket_lifetime,
                                     std::uint64_t(config.time) * 1000, alpn(), {}, rng_, session);
    session.max_early_data_size = config.max_early_data_size;
    if (err == TlsError::ok) err = seal_session_ticket(config, session, rng_, ticket, ticket_len);
    if (err != TlsError::ok) return fail(err);
    ByteWriter w = message_writer();
    auto m = begin_handshake(w, HandshakeType::new_session_ticket);
    write_new_session_ticket_fields(w, session.lifetime, session.age_add, Bytes(nonce, 2), Bytes(ticket, ticket_len));
    auto e = begin_extensions(w);
    if (config.max_early_data_size > 0) add_early_data_nst(w, config.max_early_data_size);  // §4.2.10
    end_extensions(w, e);
    end_handshake(w, m);
    if ((err = end_message(w, false)) == TlsError::ok) err = flush_handshake();
    return err == TlsError::ok ? err : fail(err);
}

}  // namespace padlock::tls
