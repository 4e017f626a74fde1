// SPDX-License-Identifier: Apache-2.0
// The TLS 1.3 client state machine (RFC 8446 §2, §4, appendix A.1), top to bottom:
//
//   ClientHello (§4.1.2)                      -> WAIT_SH
//   ServerHello (§4.1.3) or HelloRetryRequest (§4.1.4, once: a second ClientHello)
//   {EncryptedExtensions} (§4.3.1)            -> WAIT_CERT_CR
//   {CertificateRequest} (§4.3.2, optional)   -> WAIT_CERT
//   {Certificate} (§4.4.2)                    -> WAIT_CV
//   {CertificateVerify} (§4.4.3)              -> WAIT_FINISHED
//   {Finished} (§4.4.4)
//   our second flight: [change_cipher_spec] [{Certificate} {CertificateVerify}] {Finished} -> CONNECTED
//
// {} marks messages protected with the handshake traffic keys (§7.1). With a stored session the
// ClientHello also offers its ticket as a PSK (psk_dhe_ke, §4.2.9, §4.2.11); if the server takes it,
// EncryptedExtensions is followed directly by the Finished (§2.2). After the handshake a
// NewSessionTicket is kept in the caller's StoredSession (tls/engine.cpp). With Config::early_data
// one record of 0-RTT data follows the ClientHello (§4.2.10), and EndOfEarlyData (§4.5) our second
// flight when the server took it.
#include <algorithm>
#include <cstring>

#include "crypto/ct.hpp"
#include "tls/engine.hpp"
#include "tls/cookie.hpp"  // write_message_hash (§4.4.1)
#include "tls/psk.hpp"

namespace padlock::tls {

namespace {

// §4.1.3: the last 8 bytes of a TLS 1.2 / TLS 1.1-or-older ServerHello.random of a TLS 1.3 server
// that was asked for an older version: "44 4F 57 4E 47 52 44 01" and "... 00".
bool has_downgrade_sentinel(Bytes random) {
    static const std::uint8_t downgrd[7] = {0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44};
    if (random.size() != random_size) return false;
    const Bytes tail = random.subspan(24);
    return std::memcmp(tail.data(), downgrd, 7) == 0 && (tail[7] == 0 || tail[7] == 1);
}

// §4.1.3, §4.2.1: a ServerHello for TLS 1.2 or older has no supported_versions extension (and may
// have no extension block at all, or extensions TLS 1.3 does not know). Read just enough to tell.
bool server_hello_without_supported_versions(Bytes body, Bytes& random) {
    ByteReader r(body), sid, exts;
    std::uint16_t version = 0, suite = 0;
    std::uint8_t compression = 0;
    if (!r.read_u16(version) || !r.read_bytes(random_size, random) || !r.read_u8_prefixed(sid) ||
        !r.read_u16(suite) || !r.read_u8(compression))
        return false;
    if (r.empty()) return true;
    if (!r.read_u16_prefixed(exts)) return false;
    ExtensionList list{exts};
    std::uint16_t type = 0;
    Bytes ext_body;
    while (list.next(type, ext_body))
        if (type == ext::supported_versions) return false;
    return true;
}

// RFC 6066 §3: "Literal IPv4 and IPv6 addresses are not permitted in "HostName"": such a reference
// identity is checked against the certificate (RFC 9525) but not sent as server_name.
bool is_ip_literal(std::string_view name) {
    bool digits_and_dots = true;
    for (char c : name) {
        if (c == ':') return true;  // only IPv6 text has colons
        digits_and_dots = digits_and_dots && ((c >= '0' && c <= '9') || c == '.');
    }
    return digits_and_dots;
}

const KeyShareGroup* find_group(const Config& config, std::uint16_t code) {
    for (const KeyShareGroup* g : config.groups)
        if (g->code == code) return g;
    return nullptr;
}

const CipherSuite* find_suite(const Config& config, std::uint16_t code) {
    for (const CipherSuite* s : config.cipher_suites)
        if (s->code == code) return s;
    return nullptr;
}

}  // namespace

TlsError Connection::start_client(const Config& config, const Rng& rng) {
    TlsError err = start_common(config, rng, Role::client);
    if (err != TlsError::ok) return err;
    if (config.server_name.empty() || config.server_name.size() > 255) return TlsError::api_misuse;
    // announced_groups names every group we enable; extra_extensions are ones padlock does not
    // know (it would write or judge those itself).
    if (!config.announced_groups.empty())
        for (const KeyShareGroup* g : config.groups)
            if (std::find(config.announced_groups.begin(), config.announced_groups.end(), g->code) == config.announced_groups.end())
                return TlsError::api_misuse;
    for (const Config::RawExtension& x : config.extra_extensions)
        if (known_extension(x.type) || x.body.size() > 0xffff) return TlsError::api_misuse;
    on_handshake_ = &Connection::client_on_handshake;
    // §4.1.2: 32 random octets; appendix D.4: a 32-octet legacy_session_id in compatibility mode.
    if (rng_(MutBytes(client_random_, random_size)) != CryptoError::ok) return TlsError::crypto_failure;
    session_id_len_ = config.middlebox_compatibility ? 32 : 0;
    if (session_id_len_ && rng_(MutBytes(session_id_, session_id_len_)) != CryptoError::ok) return TlsError::crypto_failure;
    err = client_send_hello(0, {});
    if (err != TlsError::ok) return fail(err);
    ccs_accepted_ = true;  // §5: from the first ClientHello on
    state_ = State::client_wait_server_hello;
    return TlsError::ok;
}

// §4.2.11: the cipher suite of the session we may offer: usable now (§4.6.1 lifetime), its suite
// enabled, and after a HelloRetryRequest of the same hash as the suite it chose (§4.1.2: PSKs
// "incompatible with the server's indicated cipher suite" are removed).
const CipherSuite* Connection::client_psk_suite() const {
    const StoredSession* session = config_->resume;
    if (session == nullptr || !session_usable(*session, std::uint64_t(config_->time) * 1000)) return nullptr;
    const CipherSuite* suite = find_suite(*config_, session->cipher_suite);
    if (suite == nullptr || (hello_retry_ && suite->hash != suite_->hash)) return nullptr;
    return suite;
}

// One handler per expected message (appendix A.1); anything else is unexpected_message.
TlsError Connection::client_on_handshake(const Handshake& msg, Bytes raw, Event& event) {
    switch (state_) {
    case State::client_wait_server_hello:
        if (msg.type == HandshakeType::server_hello) return client_on_server_hello(msg, raw);
        break;
    case State::client_wait_encrypted_extensions:
        if (msg.type == HandshakeType::encrypted_extensions) return client_on_encrypted_extensions(msg, raw);
        break;
    case State::client_wait_certificate_request:
        if (msg.type == HandshakeType::certificate_request) return client_on_certificate_request(msg, raw);
        if (msg.type == HandshakeType::certificate) return client_on_certificate(msg, raw);
        break;
    case State::client_wait_certificate:
        if (msg.type == HandshakeType::certificate) return client_on_certificate(msg, raw);
        break;
    case State::client_wait_certificate_verify:
        if (msg.type == HandshakeType::certificate_verify) return client_on_certificate_verify(msg, raw);
        break;
    case State::client_wait_finished:
        if (msg.type == HandshakeType::finished) return client_on_finished(msg, raw, event);
        break;
    default: break;
    }
    return TlsError::unexpected_message;
}

// §4.1.2 ClientHello. retry_group and cookie are set for the second ClientHello (§4.1.4: the same
// message with a key share for the group the HelloRetryRequest named, and its cookie echoed).
TlsError Connection::client_send_hello(std::uint16_t retry_group, Bytes cookie, Bytes binder_prefix1,
                                       Bytes binder_prefix2) {
    const Config& config = *config_;
    // §4.2.8: one key share, for our first group (or the one the server asked for).
    const KeyShareGroup* share_group = retry_group ? find_group(config, retry_group) : config.groups[0];
    if (share_group == nullptr) return TlsError::hello_retry_invalid;
    if (share_group != group_) {
        group_ = share_group;
        TlsError err = group_->generate(rng_, std::span<std::uint8_t, key_share_private_size>(share_private_), share_public_);
        if (err != TlsError::ok) return err;
    }

    std::uint8_t suites[32], groups[64], shares[4 + max_key_share_public_size], alpn[16 * 256];
    std::size_t suites_len = 0, groups_len = 0, shares_len = 0, alpn_len = 0;
    ByteWriter ws(suites);
    for (const CipherSuite* s : config.cipher_suites) ws.add_u16(s->code);
    ByteWriter wg(groups);
    if (config.announced_groups.empty())
        for (const KeyShareGroup* g : config.groups) wg.add_u16(g->code);
    for (std::uint16_t code : config.announced_groups) wg.add_u16(code);
    ByteWriter wk(shares);  // KeyShareEntry: NamedGroup group; opaque key_exchange<1..2^16-1>
    wk.add_u16(group_->code);
    auto k = wk.begin_prefixed(2);
    wk.add_bytes(Bytes(share_public_, group_->public_size));
    wk.end_prefixed(k);
    ByteWriter wa(alpn);  // RFC 7301 §3.1 ProtocolName protocol_name_list<2..2^16-1>
    for (const std::string_view& name : config.alpn) {
        auto n = wa.begin_prefixed(1);
        wa.add_bytes(Bytes(reinterpret_cast<const std::uint8_t*>(name.data()), name.size()));
        wa.end_prefixed(n);
    }
    if (!ws.finish(suites_len) || !wg.finish(groups_len) || !wk.finish(shares_len) || !wa.finish(alpn_len))
        return TlsError::api_misuse;

    static const std::uint8_t tls13_only[2] = {0x03, 0x04};
    ByteWriter w = message_writer();
    auto m = begin_handshake(w, HandshakeType::client_hello);
    write_client_hello_fields(w, RandomView(client_random_, random_size), Bytes(session_id_, session_id_len_),
                              Bytes(suites, suites_len));
    auto e = begin_extensions(w);
    // The caller's extra extensions go right after the one they name (0xffff: first; one we do not
    // send: after record_size_limit).
    std::uint64_t sent = 0;  // the types below 64 written so far (all that padlock writes)
    auto extras_after = [&](std::uint16_t type) {
        if (type < 64) sent |= std::uint64_t(1) << type;
        for (const Config::RawExtension& x : config.extra_extensions)
            if (x.after == type) add_extension_raw(w, x.type, x.body);
    };
    extras_after(0xffff);
    if (!is_ip_literal(config.server_name)) {
        add_server_name(w, Bytes(reinterpret_cast<const std::uint8_t*>(config.server_name.data()), config.server_name.size()));
        extras_after(ext::server_name);
    }
    add_u16_list(w, ext::supported_groups, Bytes(groups, groups_len));            // §4.2.7
    extras_after(ext::supported_groups);
    add_key_share_client(w, Bytes(shares, shares_len));                          // §4.2.8
    extras_after(ext::key_share);
    // §4.2.9, §4.2.11: the ticket of an earlier connection, if usable; §4.2.10: with 0-RTT data in
    // ClientHello1 when its ticket allows that much and it fits one record.
    const CipherSuite* psk_suite = client_psk_suite();
    psk_offered_ = psk_suite != nullptr;
    early_sent_ = psk_offered_ && !hello_retry_ && !config.early_data.empty() &&
                  config.early_data.size() <= config.resume->max_early_data_size &&
                  config.early_data.size() < b_.record_size_limit;
    if (early_sent_) {
        add_early_data(w);
        extras_after(ext::early_data);
    }
    add_supported_versions_client(w, Bytes(tls13_only, 2));                     // §4.2.1
    extras_after(ext::supported_versions);
    add_u16_list(w, ext::signature_algorithms, offered_schemes());               // §4.2.3
    extras_after(ext::signature_algorithms);
    if (!config.signature_schemes_cert.empty()) {
        std::uint8_t cert_schemes[64];
        std::size_t n = 0;
        ByteWriter wc(cert_schemes);
        for (std::uint16_t code : config.signature_schemes_cert) wc.add_u16(code);
        if (!wc.finish(n)) return TlsError::api_misuse;
        add_u16_list(w, ext::signature_algorithms_cert, Bytes(cert_schemes, n));
        extras_after(ext::signature_algorithms_cert);
    }
    if (alpn_len) {
        add_alpn_client(w, Bytes(alpn, alpn_len));
        extras_after(ext::alpn);
    }
    if (!cookie.empty()) {
        add_cookie(w, cookie);                                                  // §4.2.2 echoed
        extras_after(ext::cookie);
    }
    // §4.2.9: psk_dhe_ke with the ticket we offer, and whenever we keep the tickets a server sends
    // (§4.6.1: a server should send none compatible with modes the client did not list).
    if (psk_offered_ || config.new_session != nullptr) {
        static const std::uint8_t psk_dhe_ke[1] = {1};
        add_psk_key_exchange_modes(w, Bytes(psk_dhe_ke, 1));
        extras_after(ext::psk_key_exchange_modes);
    }
    add_record_size_limit(w, std::uint16_t(config.record_size_limit));         // RFC 8449 §4
    extras_after(ext::record_size_limit);
    for (const Config::RawExtension& x : config.extra_extensions)
        if (x.after != 0xffff && (x.after >= 64 || (sent >> x.after & 1) == 0)) add_extension_raw(w, x.type, x.body);
    // §4.2.11: a ticket from an earlier connection; pre_shared_key comes last, its binder filled
    // in below. RFC 7685 padding (if asked for) goes just before it, and counts its octets.
    std::uint8_t identities[2 + max_stored_ticket_size + 4], binders[1 + max_hash_size] = {};
    std::size_t identities_len = 0;
    if (psk_offered_) {
        const StoredSession& session = *config.resume;
        ByteWriter wi(identities);  // PskIdentity: opaque identity<1..2^16-1>; uint32 obfuscated_ticket_age
        auto id = wi.begin_prefixed(2);
        wi.add_bytes(Bytes(session.ticket, session.ticket_size));
        wi.end_prefixed(id);
        wi.add_u32(obfuscated_ticket_age(session, std::uint64_t(config.time) * 1000));
        if (!wi.finish(identities_len)) return TlsError::api_misuse;
        binders[0] = std::uint8_t(psk_suite->hash->size);  // a placeholder PskBinderEntry of the right size
    }
    // pre_shared_key: type, length, identities<2>, binders<2>.
    const std::size_t psk_size = psk_offered_ ? 4 + 2 + identities_len + 2 + 1 + psk_suite->hash->size : 0;
    if (config.client_hello_padding) {
        // RFC 7685 leaves the amount to the client; a ClientHello message (header included) of
        // 256 to 511 octets grows to 512, as common clients do (or just past it when the
        // extension's own 4 octets do not fit).
        const std::size_t length = w.size() + psk_size;
        if (length >= 256 && length < 512) {
            static const std::uint8_t zeros[256] = {};
            add_extension_raw(w, ext::padding, Bytes(zeros, length + 4 <= 512 ? 512 - length - 4 : 1));
        }
    }
    if (psk_offered_) add_pre_shared_key_client(w, Bytes(identities, identities_len), Bytes(binders, 1 + psk_suite->hash->size));
    end_extensions(w, e);
    end_handshake(w, m);
    if (psk_offered_) {
        // §4.2.11.2: binder = HMAC over Transcript-Hash(Truncate(ClientHello)), preceded after an HRR
        // by message_hash(ClientHello1) and the HelloRetryRequest, with the binder key of the PSK.
        std::size_t n = 0, truncated = 0;
        if (!w.finish(n)) return TlsError::buffer_too_small;
        const MutBytes message = b_.handshake_out.subspan(hs_out_len_, n);
        TlsError err = truncated_client_hello_length(message, truncated);
        if (err != TlsError::ok) return err;
        const HashOps& hash = *psk_suite->hash;
        alignas(hash_state_align) std::uint8_t state[hash_state_size];
        std::uint8_t th[max_hash_size];
        hash.start(state);
        hash.update(state, binder_prefix1);
        hash.update(state, binder_prefix2);
        hash.update(state, message.first(truncated));
        hash.digest(state, th);
        hash.destroy(state);
        Secret binder_key, binder;
        err = derive_binder_key(hash, config.resume->psk.view(), PskKind::resumption, binder_key);
        if (err == TlsError::ok) err = compute_binder(hash, binder_key.view(), Bytes(th, hash.size), binder);
        const Bytes list[1] = {binder.view()};
        if (err == TlsError::ok) err = write_binders(list, truncated, message);
        if (err != TlsError::ok) return err;
    }
    // ClientHello1 is hashed once the suite (and so the hash) is known, at the ServerHello; the
    // second one goes into the transcript the HelloRetryRequest started.
    TlsError err = end_message(w, hello_retry_);
    if (err != TlsError::ok) return err;
    // §5.1: legacy_record_version 0x0301 is allowed for the initial ClientHello, 0x0303 otherwise.
    err = flush_handshake(hello_retry_ ? tls12_version : 0x0301, !hello_retry_);
    if (err == TlsError::ok && early_sent_) err = client_send_early_data(*psk_suite);
    return err;
}

// §4.2.10 0-RTT: right after ClientHello1 (still in handshake_out), one application_data record
// under client_early_traffic_secret = Derive-Secret(Early Secret, "c e traffic", ClientHello)
// (§7.1), the Early Secret from the PSK, all with the PSK's suite.
TlsError Connection::client_send_early_data(const CipherSuite& psk_suite) {
    const Config& config = *config_;
    // Appendix D.4: in compatibility mode the dummy change_cipher_spec goes right after the
    // ClientHello when early data follows.
    TlsError err = config.middlebox_compatibility ? queue_change_cipher_spec() : TlsError::ok;
    const HashOps& hash = *psk_suite.hash;
    alignas(hash_state_align) std::uint8_t state[hash_state_size];
    std::uint8_t th[max_hash_size];
    hash.start(state);
    hash.update(state, b_.handshake_out.first(hs_out_len_));
    hash.digest(state, th);
    hash.destroy(state);
    KeySchedule& ks = *b_.key_schedule;
    ks.start(hash);
    if (config.key_log.write || config.key_log.stage) ks.set_key_log(config.key_log, std::span<const std::uint8_t, 32>(client_random_, 32));
    Secret early;
    if (err == TlsError::ok) err = ks.derive_early_secret(config.resume->psk.view());
    if (err == TlsError::ok) err = ks.derive_client_early_traffic_secret(Bytes(th, hash.size), early);
    if (err == TlsError::ok) err = b_.records->write.install(psk_suite, early.view());
    if (err == TlsError::ok) err = queue_protected_record(ContentType::application_data, config.early_data);
    return err;
}

// §4.1.3 ServerHello (and §4.1.4: a ServerHello whose random is the special value is a HelloRetryRequest).
TlsError Connection::client_on_server_hello(const Handshake& msg, Bytes raw) {
    const Config& config = *config_;
    ServerHello sh;
    TlsError err = parse_server_hello(msg.body, sh);
    if (err != TlsError::ok || !sh.extensions.has(ext::supported_versions)) {
        // §4.1.3 / appendix D: a server that picked TLS 1.2 or older. padlock speaks only TLS 1.3,
        // but first: a TLS 1.3 server signals that it was downgraded in the random ("MUST check
        // ... If a match is found, the client MUST abort the handshake with an illegal_parameter").
        Bytes random;
        if (server_hello_without_supported_versions(msg.body, random))
            return has_downgrade_sentinel(random) ? TlsError::downgrade_detected : TlsError::protocol_version_unsupported;
        return err != TlsError::ok ? err : TlsError::protocol_version_unsupported;
    }
    // §4.2.1: "If the "supported_versions" extension in the ServerHello contains a version not
    // offered by the client ..., the client MUST abort the handshake with an illegal_parameter".
    if (sh.extensions.selected_version != tls13_version || sh.legacy_version != tls12_version)
        return TlsError::server_hello_invalid;
    // §4.1.3: legacy_session_id_echo "A client which receives a legacy_session_id_echo field that
    // does not match what it sent in the ClientHello MUST abort the handshake with an illegal_parameter".
    if (!ct::equal(sh.legacy_session_id_echo, Bytes(session_id_, session_id_len_))) return TlsError::server_hello_invalid;
    // §4.1.3: "A client which receives a cipher suite that was not offered MUST abort".
    const CipherSuite* suite = find_suite(config, sh.cipher_suite);
    if (suite == nullptr) return TlsError::server_hello_invalid;
    // §4.1.4: "the client MUST check that the cipher suite supplied in the ServerHello is the same
    // as that in the HelloRetryRequest and otherwise abort the handshake with an illegal_parameter".
    if (hello_retry_ && suite != suite_) return TlsError::hello_retry_invalid;
    if (sh.hello_retry_request) {
        suite_ = suite;
        return client_on_hello_retry_request(sh, raw);
    }
    if (sh.extensions.has(ext::pre_shared_key)) {
        // §4.2.11: "Clients MUST verify that the server's selected_identity is within the range
        // supplied by the client, that the server selected a cipher suite indicating a Hash
        // associated with the PSK". We offer one identity, or none (then it was not requested).
        if (!psk_offered_) return TlsError::extension_unsolicited;
        if (sh.extensions.psk_selected_identity != 0) return TlsError::psk_identity_invalid;
        if (find_suite(config, config.resume->cipher_suite)->hash != suite->hash) return TlsError::server_hello_invalid;
        psk_accepted_ = true;
    }
    // §4.2.8: "If using (EC)DHE key establishment, servers offer exactly one KeyShareEntry in the
    // ServerHello. This value MUST be in the same group as the KeyShareEntry value offered by the client".
    if (!sh.extensions.has(ext::key_share)) return TlsError::extension_missing;
    if (sh.extensions.key_share_group != group_->code) return TlsError::server_hello_invalid;
    std::uint8_t shared[key_share_shared_size];
    err = group_->shared_secret(std::span<const std::uint8_t, key_share_private_size>(share_private_), sh.extensions.key_share_key_exchange, std::span<std::uint8_t, key_share_shared_size>(shared));
    secure_zero(share_private_, sizeof share_private_);
    if (err != TlsError::ok) {
        secure_zero(shared, sizeof shared);
        return err;
    }
    suite_ = suite;

    // §4.4.1: the transcript starts with ClientHello1 (still in handshake_out), unless an HRR
    // started it already.
    Transcript& t = *b_.transcript;
    if (!hello_retry_) {
        t.start(*suite_->hash);
        if ((err = t.update(b_.handshake_out.first(hs_out_len_))) != TlsError::ok) return err;
        hs_out_len_ = 0;
    }
    if ((err = t.update(raw)) != TlsError::ok) return err;

    // §7.1: Early Secret (no PSK) -> Handshake Secret -> the handshake traffic secrets.
    KeySchedule& ks = *b_.key_schedule;
    ks.start(*suite_->hash);
    if (config.key_log.write || config.key_log.stage) ks.set_key_log(config.key_log, std::span<const std::uint8_t, 32>(client_random_, 32));
    std::uint8_t hash[max_hash_size];
    // Early Secret = HKDF-Extract(0, PSK) when the server took our PSK, else of zeros.
    err = ks.derive_early_secret(psk_accepted_ ? config.resume->psk.view() : Bytes{});
    if (err == TlsError::ok) err = ks.derive_handshake_secret(Bytes(shared, group_->shared_size));
    secure_zero(shared, sizeof shared);
    if (err == TlsError::ok) err = transcript_hash(hash);
    const Bytes th(hash, suite_->hash->size);
    if (err == TlsError::ok) err = ks.derive_client_handshake_traffic_secret(th, client_handshake_secret_);
    if (err == TlsError::ok) err = ks.derive_server_handshake_traffic_secret(th, server_handshake_secret_);
    if (err == TlsError::ok) err = b_.records->read.install(*suite_, server_handshake_secret_.view());
    // With 0-RTT we keep writing under the early key until the server's Finished (§4.5).
    if (err == TlsError::ok && !early_sent_) err = b_.records->write.install(*suite_, client_handshake_secret_.view());
    if (err != TlsError::ok) return err;
    read_key_changed_ = true;
    state_ = State::client_wait_encrypted_extensions;
    return TlsError::ok;
}

// §4.1.4 HelloRetryRequest: answer once with a second ClientHello.
TlsError Connection::client_on_hello_retry_request(const ServerHello& hrr, Bytes raw) {
    const Config& config = *config_;
    // §4.1.4: "If a client receives a second HelloRetryRequest in the same connection (i.e., where
    // the ClientHello was itself in response to a HelloRetryRequest), it MUST abort the handshake
    // with an unexpected_message alert."
    if (hello_retry_) return TlsError::unexpected_message;
    const Extensions& e = hrr.extensions;
    // "Clients MUST abort the handshake with an illegal_parameter alert if the HelloRetryRequest
    // would not result in any change in the ClientHello."
    if (!e.has(ext::key_share) && !e.has(ext::cookie)) return TlsError::hello_retry_invalid;
    std::uint16_t retry_group = group_->code;
    if (e.has(ext::key_share)) {
        // §4.2.8: the selected_group "MUST correspond to a group which was provided in the
        // supported_groups extension" and not one we already sent a share for.
        if (find_group(config, e.key_share_group) == nullptr || e.key_share_group == group_->code)
            return TlsError::hello_retry_invalid;
        retry_group = e.key_share_group;
    }
    hello_retry_ = true;
    // §4.1.2: no early data after a HelloRetryRequest; what we sent was not taken, and ClientHello2
    // goes out in plaintext.
    if (early_sent_) {
        b_.records->write.clear();
        early_sent_ = false;
    }
    // §4.4.1: ClientHello1 becomes message_hash(Hash(ClientHello1)), then the HRR follows. The same
    // two messages precede ClientHello2 in its PSK binder's transcript (§4.2.11.2).
    const HashOps& hash = *suite_->hash;
    alignas(hash_state_align) std::uint8_t state[hash_state_size];
    std::uint8_t ch1_hash[max_hash_size], message_hash[max_message_hash_size];
    std::size_t message_hash_len = 0;
    hash.start(state);
    hash.update(state, b_.handshake_out.first(hs_out_len_));
    hash.digest(state, ch1_hash);
    hash.destroy(state);
    TlsError err = write_message_hash(Bytes(ch1_hash, hash.size), message_hash, message_hash_len);
    Transcript& t = *b_.transcript;
    t.start(hash);
    if (err == TlsError::ok) err = t.update(b_.handshake_out.first(hs_out_len_));
    if (err == TlsError::ok) err = t.replace_with_message_hash();
    if (err == TlsError::ok) err = t.update(raw);
    if (err != TlsError::ok) return err;
    hs_out_len_ = 0;
    // Appendix D.4: in compatibility mode the dummy change_cipher_spec goes before the second flight,
    // which here is ClientHello2.
    if (config.middlebox_compatibility && (err = queue_change_cipher_spec()) != TlsError::ok) return err;
    return client_send_hello(retry_group, e.has(ext::cookie) ? e.cookie : Bytes{}, Bytes(message_hash, message_hash_len), raw);
}

// §4.3.1 EncryptedExtensions: the answers to the extensions that do not establish keys.
TlsError Connection::client_on_encrypted_extensions(const Handshake& msg, Bytes raw) {
    const Config& config = *config_;
    EncryptedExtensions ee;
    TlsError err = parse_encrypted_extensions(msg.body, ee);  // §4.2 table: only what EE may carry
    if (err != TlsError::ok) return err;
    const Extensions& e = ee.extensions;
    // §4.2: "Implementations MUST NOT send extension responses if the remote endpoint did not send
    // the corresponding extension requests" -> unsupported_extension. §4.2.10: early_data answers
    // ours, from a server that took our PSK, with the PSK's suite (else illegal_parameter).
    if (e.has(ext::early_data)) {
        if (!early_sent_ || !psk_accepted_) return TlsError::extension_unsolicited;
        if (suite_->code != config.resume->cipher_suite) return TlsError::server_hello_invalid;
        early_accepted_ = true;
    }
    // Nor max_fragment_length, use_srtp, heartbeat or the certificate types (§4.2 table: EE).
    for (std::uint16_t never_offered : {ext::max_fragment_length, ext::use_srtp, ext::heartbeat,
                                        ext::client_certificate_type, ext::server_certificate_type})
        if (e.has(never_offered)) return TlsError::extension_unsolicited;
    if (e.has(ext::server_name) && is_ip_literal(config.server_name)) return TlsError::extension_unsolicited;
    if (e.has(ext::alpn)) {
        if (config.alpn.empty()) return TlsError::extension_unsolicited;
        // RFC 7301 §3.2: the server's choice must be one of ours.
        bool offered = false;
        for (const std::string_view& name : config.alpn)
            offered = offered || (name.size() == e.alpn.size() && std::memcmp(name.data(), e.alpn.data(), name.size()) == 0);
        if (!offered) return TlsError::server_hello_invalid;
        std::copy(e.alpn.begin(), e.alpn.end(), alpn_);
        alpn_len_ = e.alpn.size();
    }
    if (e.has(ext::record_size_limit)) {
        // RFC 8449 §4: the largest protected record's inner plaintext the server accepts.
        peer_record_size_limit_ = e.record_size_limit;
        if ((err = b_.records->set_record_size_limits(config.record_size_limit, e.record_size_limit)) != TlsError::ok)
            return err;
    }
    if ((err = b_.transcript->update(raw)) != TlsError::ok) return err;
    // §2.2: a resumed handshake has no certificates; the Finished follows.
    state_ = psk_accepted_ ? State::client_wait_finished : State::client_wait_certificate_request;
    return TlsError::ok;
}

// §4.3.2 CertificateRequest: the server wants our certificate (mutual authentication).
TlsError Connection::client_on_certificate_request(const Handshake& msg, Bytes raw) {
    const Config& config = *config_;
    CertificateRequest cr;
    TlsError err = parse_certificate_request(msg.body, cr);  // includes: signature_algorithms present
    if (err != TlsError::ok) return err;
    // §4.3.2: certificate_request_context "SHALL be zero length unless used for the post-handshake
    // authentication exchanges" (which padlock does not offer).
    if (!cr.context.empty()) return TlsError::certificate_context_mismatch;
    certificate_requested_ = true;
    // Our scheme among the server's signature_algorithms; if our key can make none, we answer with
    // an empty Certificate (§4.4.2.4) and let the server decide.
    our_scheme_ = 0;
    if (config.signing_key != nullptr && !config.certificate_chain.empty()) {
        std::uint16_t code = 0;
        if (select_signature_scheme(*config.signing_key, config.signature_schemes, cr.extensions.signature_algorithms,
                                    code) == TlsError::ok)
            our_scheme_ = code;
    }
    if ((err = b_.transcript->update(raw)) != TlsError::ok) return err;
    state_ = State::client_wait_certificate;
    return TlsError::ok;
}

// §4.4.2 Certificate: the server's chain, verified to our trust anchors with the server name.
TlsError Connection::client_on_certificate(const Handshake& msg, Bytes raw) {
    const Config& config = *config_;
    Certificate certificate;
    TlsError err = parse_certificate(msg.body, certificate);
    if (err != TlsError::ok) return err;
    PeerCertificatePolicy policy;
    policy.peer = Role::server;
    policy.anchors = config.trust_anchors;
    policy.time = config.time;
    policy.crls = config.crls;
    policy.revocation = config.revocation;
    policy.hostname = config.server_name;
    policy.verify = config.signature_verifier;
    policy.pinned_keys = config.pinned_keys;
    if ((err = verify_peer_certificate(certificate, {}, policy, *b_.peer_chain)) != TlsError::ok) return err;
    // The chain's views point into this message: keep it (and what precedes it) in handshake_in.
    hs_in_base_ = hs_in_pos_;
    peer_sent_certificate_ = true;
    if ((err = b_.transcript->update(raw)) != TlsError::ok) return err;
    state_ = State::client_wait_certificate_verify;
    return TlsError::ok;
}

// §4.4.3 CertificateVerify: the server's signature over Transcript-Hash(ClientHello .. Certificate).
TlsError Connection::client_on_certificate_verify(const Handshake& msg, Bytes raw) {
    CertificateVerify cv;
    TlsError err = parse_certificate_verify(msg.body, cv);
    if (err != TlsError::ok) return err;
    std::uint8_t hash[max_hash_size];
    if ((err = transcript_hash(hash)) != TlsError::ok) return err;
    err = verify_certificate_verify(b_.peer_chain->certs[0].public_key, cv.algorithm, offered_schemes(), Role::server,
                                    Bytes(hash, suite_->hash->size), cv.signature, config_->signature_verifier);
    if (err != TlsError::ok) return err;
    peer_scheme_ = cv.algorithm;
    peer_authenticated_ = true;
    if ((err = b_.transcript->update(raw)) != TlsError::ok) return err;
    state_ = State::client_wait_finished;
    return TlsError::ok;
}

// §4.4.4 the server's Finished; then our second flight and the application traffic keys.
TlsError Connection::client_on_finished(const Handshake& msg, Bytes raw, Event& event) {
    const Config& config = *config_;
    // §5.1: the Finished changes our read key, so it ends its record (hs_in_pos_ is past it).
    if (hs_in_pos_ != hs_in_len_) return TlsError::handshake_spans_key_change;
    Finished finished;
    TlsError err = parse_finished(msg.body, suite_->hash->size, finished);
    if (err == TlsError::ok) err = verify_finished(server_handshake_secret_.view(), finished.verify_data);
    if (err == TlsError::ok) err = b_.transcript->update(raw);
    // §7.1: the application secrets cover ClientHello .. server Finished.
    if (err == TlsError::ok) err = derive_application_secrets();
    if (err == TlsError::ok) err = b_.records->read.install(*suite_, server_application_secret_.view());
    if (err != TlsError::ok) return err;
    read_key_changed_ = true;

    // Appendix D.4: the dummy change_cipher_spec before our encrypted flight (once).
    if (config.middlebox_compatibility && (err = queue_change_cipher_spec()) != TlsError::ok) return err;
    if (early_sent_) {
        // §4.5: EndOfEarlyData, still under the early key, when the server took the early data;
        // then our handshake key for the rest of the flight.
        if (early_accepted_) {
            ByteWriter w = message_writer();
            auto m = begin_handshake(w, HandshakeType::end_of_early_data);
            end_handshake(w, m);
            if ((err = end_message(w)) != TlsError::ok || (err = flush_handshake()) != TlsError::ok) return err;
        }
        if ((err = b_.records->write.install(*suite_, client_handshake_secret_.view())) != TlsError::ok) return err;
    }
    if (certificate_requested_) {
        // §4.4.2: our chain with the request's context, or an empty one (§4.4.2.4) without a usable key.
        ByteWriter w = message_writer();
        auto m = begin_handshake(w, HandshakeType::certificate);
        // §4.4.2: the CertificateRequest's context, which is empty during the handshake (§4.3.2).
        if (our_scheme_ != 0) err = write_certificate(w, {}, config.certificate_chain);
        else err = write_certificate(w, {}, {});
        end_handshake(w, m);
        if (err == TlsError::ok) err = end_message(w);
        if (err != TlsError::ok) return err;
        if (our_scheme_ != 0) {
            // §4.4.3: our signature over Transcript-Hash(ClientHello .. our Certificate).
            std::uint8_t hash[max_hash_size], signature[max_signature_size];
            std::size_t signature_len = 0;
            if ((err = transcript_hash(hash)) != TlsError::ok) return err;
            err = sign_certificate_verify(*config.signing_key, our_scheme_, Role::client, Bytes(hash, suite_->hash->size),
                                          rng_, signature, signature_len);
            if (err != TlsError::ok) return err;
            ByteWriter wv = message_writer();
            auto v = begin_handshake(wv, HandshakeType::certificate_verify);
            write_certificate_verify(wv, our_scheme_, Bytes(signature, signature_len));
            end_handshake(wv, v);
            if ((err = end_message(wv)) != TlsError::ok) return err;
        }
    }
    if ((err = write_finished_message(client_handshake_secret_.view())) != TlsError::ok) return err;
    if ((err = flush_handshake()) != TlsError::ok) return err;
    // §7.1: from here on we send with client_application_traffic_secret_0.
    if ((err = b_.records->write.install(*suite_, client_application_secret_.view())) != TlsError::ok) return err;
    mark_handshake_done(event);
    return TlsError::ok;
}

}  // namespace padlock::tls
