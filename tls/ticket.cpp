// SPDX-License-Identifier: Apache-2.0
// Session tickets (RFC 8446 §4.6.1): the server's sealed session state, the client's stored
// session, and the ticket age both ways (§4.2.11.1).
#include "tls/ticket.hpp"

#include "crypto/ct.hpp"

namespace padlock::tls {

// ---- AEAD protection of server state (tickets here, cookies in cookie.cpp) ----------------------

namespace {

// One keyed AEAD in local storage, wiped when it goes out of scope.
class KeyedAead {
public:
    KeyedAead(const AeadOps& aead, Bytes key) : aead_(aead) {
        keyed_ = key.size() == aead.key_size && aead.init(state_, key) == CryptoError::ok;
    }
    ~KeyedAead() {
        if (keyed_) aead_.destroy(state_);
        secure_zero(state_);
    }
    KeyedAead(const KeyedAead&) = delete;
    KeyedAead& operator=(const KeyedAead&) = delete;
    [[nodiscard]] bool keyed() const { return keyed_; }
    const void* state() const { return state_; }

private:
    const AeadOps& aead_;
    bool keyed_ = false;
    alignas(aead_state_align) std::uint8_t state_[aead_state_size] = {};
};

}  // namespace

TlsError seal_server_state(const AeadOps& aead, Bytes key, Bytes aad, Bytes plaintext, const Rng& rng,
                           MutBytes out, std::size_t& written) {
    if (key.size() != aead.key_size) return TlsError::api_misuse;
    const std::size_t total = iv_size + plaintext.size() + tag_size;
    if (out.size() < total) return TlsError::buffer_too_small;
    const KeyedAead keyed(aead, key);
    if (!keyed.keyed()) return TlsError::crypto_failure;
    // A fresh random 96-bit nonce per sealing (NIST SP 800-38D §8.2.2: at most 2^32 per key).
    const std::span<std::uint8_t, iv_size> nonce(out.data(), iv_size);
    const MutBytes ciphertext = out.subspan(iv_size, plaintext.size());
    const std::span<std::uint8_t, tag_size> tag(out.data() + iv_size + plaintext.size(), tag_size);
    if (rng(nonce) != CryptoError::ok || aead.seal(keyed.state(), nonce, aad, plaintext, ciphertext, tag) != CryptoError::ok) {
        secure_zero(out.data(), total);  // no partial output
        return TlsError::crypto_failure;
    }
    written = total;
    return TlsError::ok;
}

bool open_server_state(const AeadOps& aead, Bytes key, Bytes aad, Bytes sealed, MutBytes plaintext) {
    if (sealed.size() < iv_size + tag_size || plaintext.size() != sealed.size() - iv_size - tag_size) return false;
    const KeyedAead keyed(aead, key);
    if (!keyed.keyed()) return false;
    const std::span<const std::uint8_t, iv_size> nonce(sealed.data(), iv_size);
    const Bytes ciphertext = sealed.subspan(iv_size, plaintext.size());
    const Bytes tag = sealed.last(tag_size);
    // The AEAD zeroes plaintext when the tag does not match.
    return aead.open(keyed.state(), nonce, aad, ciphertext, tag, plaintext) == CryptoError::ok;
}

// ---- §4.6.1 server side ---------------------------------------------------------------------------

TlsError new_session_state(const CipherSuite& suite, Bytes resumption_master_secret, Bytes ticket_nonce,
                           std::uint32_t lifetime, std::uint64_t now_ms, Bytes alpn, Bytes server_name,
                           const Rng& rng, SessionState& out) {
    out.psk.wipe();
    // "Servers MUST NOT use any value greater than 604800 seconds (7 days)."
    if (lifetime > max_ticket_lifetime || alpn.size() > max_alpn_size || server_name.size() > max_server_name_size ||
        resumption_master_secret.size() != suite.hash->size)
        return TlsError::api_misuse;
    // "ticket_age_add: A securely generated, random 32-bit value ... The server MUST generate a fresh
    // value for each ticket it sends."
    std::uint8_t age_add[4];
    if (rng(MutBytes(age_add, 4)) != CryptoError::ok) return TlsError::crypto_failure;
    // "PSK = HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length)"
    if (const TlsError e = resumption_psk(*suite.hash, resumption_master_secret, ticket_nonce, out.psk);
        e != TlsError::ok)
        return e;
    out.cipher_suite = suite.code;
    out.issue_time_ms = now_ms;
    out.lifetime = lifetime;
    out.age_add = std::uint32_t(age_add[0]) << 24 | std::uint32_t(age_add[1]) << 16 | std::uint32_t(age_add[2]) << 8 |
                  age_add[3];
    for (std::size_t i = 0; i < alpn.size(); i++) out.alpn[i] = alpn[i];
    out.alpn_size = alpn.size();
    for (std::size_t i = 0; i < server_name.size(); i++) out.server_name[i] = server_name[i];
    out.server_name_size = server_name.size();
    return TlsError::ok;
}

namespace {

constexpr std::uint8_t ticket_state_version = 2;  // 2: with max_early_data_size

// The state encoding (ticket.hpp): version || suite || issue time || lifetime || age_add ||
// max_early_data_size || psk<1..48>
// || alpn<0..255> || server_name<0..255>.
bool encode_state(const SessionState& s, MutBytes out, std::size_t& length) {
    if (s.psk.size() == 0 || s.lifetime > max_ticket_lifetime || s.alpn_size > max_alpn_size ||
        s.server_name_size > max_server_name_size)
        return false;
    ByteWriter w(out);
    w.add_u8(ticket_state_version);
    w.add_u16(s.cipher_suite);
    w.add_u32(std::uint32_t(s.issue_time_ms >> 32));
    w.add_u32(std::uint32_t(s.issue_time_ms));
    w.add_u32(s.lifetime);
    w.add_u32(s.age_add);
    w.add_u32(s.max_early_data_size);
    auto psk = w.begin_prefixed(1);
    w.add_bytes(s.psk.view());
    w.end_prefixed(psk);
    auto alpn = w.begin_prefixed(1);
    w.add_bytes(Bytes(s.alpn, s.alpn_size));
    w.end_prefixed(alpn);
    auto sni = w.begin_prefixed(1);
    w.add_bytes(Bytes(s.server_name, s.server_name_size));
    w.end_prefixed(sni);
    return w.finish(length);
}

bool decode_state(Bytes in, SessionState& s) {
    ByteReader r(in), psk, alpn, sni;
    std::uint8_t version = 0;
    std::uint32_t hi = 0, lo = 0;
    if (!r.read_u8(version) || version != ticket_state_version || !r.read_u16(s.cipher_suite) || !r.read_u32(hi) ||
        !r.read_u32(lo) || !r.read_u32(s.lifetime) || !r.read_u32(s.age_add) || !r.read_u32(s.max_early_data_size) || !r.read_u8_prefixed(psk) ||
        !r.read_u8_prefixed(alpn) || !r.read_u8_prefixed(sni) || !r.done())
        return false;
    if (psk.empty() || psk.remaining() > max_hash_size || s.lifetime > max_ticket_lifetime) return false;
    s.issue_time_ms = std::uint64_t(hi) << 32 | lo;
    if (s.psk.assign(psk.rest()) != TlsError::ok) return false;
    for (std::size_t i = 0; i < alpn.remaining(); i++) s.alpn[i] = alpn.rest()[i];
    s.alpn_size = alpn.remaining();
    for (std::size_t i = 0; i < sni.remaining(); i++) s.server_name[i] = sni.rest()[i];
    s.server_name_size = sni.remaining();
    return true;
}

bool key_name_is(const TicketKey* key, Bytes name) {  // the key name is public
    if (key == nullptr || key->aead == nullptr) return false;
    for (std::size_t i = 0; i < sizeof key->name; i++)
        if (key->name[i] != name[i]) return false;
    return true;
}

// Whether now_ms lies in [start, start + lifetime seconds).
bool within_lifetime(std::uint64_t start_ms, std::uint32_t lifetime, std::uint64_t now_ms) {
    return now_ms >= start_ms && now_ms - start_ms < std::uint64_t(lifetime) * 1000;
}

}  // namespace

TlsError seal_ticket(const TicketKeys& keys, const SessionState& state, const Rng& rng, MutBytes out,
                     std::size_t& written) {
    const TicketKey* key = keys.current;
    if (key == nullptr || key->aead == nullptr) return TlsError::api_misuse;
    std::uint8_t plain[max_ticket_state_size];
    std::size_t n = 0;
    if (!encode_state(state, plain, n)) {
        secure_zero(plain);
        return TlsError::api_misuse;
    }
    if (out.size() < sizeof key->name + iv_size + n + tag_size) {
        secure_zero(plain);
        return TlsError::buffer_too_small;
    }
    // key_name || nonce || ciphertext || tag, with the key name authenticated as the AAD.
    const Bytes name(key->name, sizeof key->name);
    std::size_t sealed = 0;
    const TlsError e = seal_server_state(*key->aead, Bytes(key->key, key->aead->key_size), name, Bytes(plain, n), rng,
                                         out.subspan(name.size()), sealed);
    secure_zero(plain);
    if (e != TlsError::ok) return e;
    for (std::size_t i = 0; i < name.size(); i++) out[i] = name[i];
    written = name.size() + sealed;
    return TlsError::ok;
}

TlsError open_ticket(const TicketKeys& keys, Bytes ticket, std::uint64_t now_ms, SessionState& out,
                     bool& used_previous) {
    out.psk.wipe();
    constexpr std::size_t name_size = sizeof TicketKey::name;
    if (ticket.size() < ticket_overhead + 1 || ticket.size() > max_ticket_size) return TlsError::ticket_invalid;
    const Bytes name = ticket.first(name_size);
    const bool previous = !key_name_is(keys.current, name) && key_name_is(keys.previous, name);
    const TicketKey* key = key_name_is(keys.current, name) ? keys.current : previous ? keys.previous : nullptr;
    if (key == nullptr) return TlsError::ticket_unknown_key;

    std::uint8_t plain[max_ticket_state_size];
    const MutBytes p(plain, ticket.size() - ticket_overhead);
    const bool opened =
        open_server_state(*key->aead, Bytes(key->key, key->aead->key_size), name, ticket.subspan(name_size), p);
    const bool decoded = opened && decode_state(p, out);
    secure_zero(plain);
    if (!decoded) {
        out.psk.wipe();
        return TlsError::ticket_invalid;
    }
    // §4.6.1: "Servers MAY treat a ticket as valid for a shorter period of time than what is stated
    // in the ticket_lifetime"; never longer. A ticket from the future (a clock set back) is refused too.
    if (!within_lifetime(out.issue_time_ms, out.lifetime, now_ms)) {
        out.psk.wipe();
        return TlsError::ticket_expired;
    }
    used_previous = previous;
    return TlsError::ok;
}

std::uint32_t ticket_age_from_obfuscated(std::uint32_t obfuscated_ticket_age, std::uint32_t age_add) {
    return obfuscated_ticket_age - age_add;  // §4.2.11.1: "modulo 2^32"
}

// ---- §4.6.1 client side ---------------------------------------------------------------------------

TlsError store_session(const NewSessionTicket& ticket, const CipherSuite& suite, Bytes resumption_master_secret,
                       std::uint64_t now_ms, StoredSession& out) {
    out.ticket_size = 0;
    out.psk.wipe();
    // "The value of zero indicates that the ticket should be discarded immediately."
    if (ticket.ticket_lifetime == 0) return TlsError::ok;
    if (ticket.ticket.size() > max_stored_ticket_size) return TlsError::buffer_too_small;
    if (resumption_master_secret.size() != suite.hash->size) return TlsError::api_misuse;
    if (const TlsError e = resumption_psk(*suite.hash, resumption_master_secret, ticket.ticket_nonce, out.psk);
        e != TlsError::ok)
        return e;
    for (std::size_t i = 0; i < ticket.ticket.size(); i++) out.ticket[i] = ticket.ticket[i];
    out.ticket_size = ticket.ticket.size();
    out.cipher_suite = suite.code;
    out.age_add = ticket.ticket_age_add;
    out.received_ms = now_ms;
    // "Clients MUST NOT cache tickets for longer than 7 days, regardless of the ticket_lifetime".
    out.lifetime = ticket.ticket_lifetime < max_ticket_lifetime ? ticket.ticket_lifetime : max_ticket_lifetime;
    out.max_early_data_size = ticket.extensions.has(ext::early_data) ? ticket.extensions.max_early_data_size : 0;
    return TlsError::ok;
}

bool session_usable(const StoredSession& session, std::uint64_t now_ms) {
    return session.ticket_size > 0 && within_lifetime(session.received_ms, session.lifetime, now_ms);
}

std::uint32_t obfuscated_ticket_age(const StoredSession& session, std::uint64_t now_ms) {
    // §4.2.11.1: "the time since the client learned about the server configuration that it is using,
    // in milliseconds ... added to the ticket_age_add value ... modulo 2^32".
    return std::uint32_t(now_ms - session.received_ms) + session.age_add;
}

}  // namespace padlock::tls
