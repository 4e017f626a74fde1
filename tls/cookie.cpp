// SPDX-License-Identifier: Apache-2.0
// The stateless HelloRetryRequest cookie (RFC 8446 §4.2.2) and the §4.4.1 transcript restart from it.
// The cookie is sealed like a ticket (ticket.hpp seal_server_state), under the cookie key.
#include "tls/cookie.hpp"

#include "tls/ticket.hpp"

namespace padlock::tls {

namespace {

constexpr std::uint8_t cookie_state_version = 2;
constexpr std::size_t max_cookie_state_size = 1 + 2 + 2 + 8 + 1 + 2 * max_hash_size;
static_assert(max_cookie_size == iv_size + max_cookie_state_size + tag_size);

bool valid_hash_size(std::size_t n) { return n == 32 || n == 48; }  // SHA-256, SHA-384 (§B.4)

}  // namespace

TlsError seal_cookie(const CookieKey& key, const CookieState& state, Bytes peer_binding, const Rng& rng,
                     MutBytes out, std::size_t& written) {
    if (key.aead == nullptr || !valid_hash_size(state.hash_size)) return TlsError::api_misuse;
    // version || cipher_suite || selected_group || issue_time_ms || Hash(ClientHello1)<32..48> ||
    // the invariants' hash (as long)
    std::uint8_t plain[max_cookie_state_size];
    ByteWriter w(plain);
    w.add_u8(cookie_state_version);
    w.add_u16(state.cipher_suite);
    w.add_u16(state.selected_group);
    w.add_u32(std::uint32_t(state.issue_time_ms >> 32));
    w.add_u32(std::uint32_t(state.issue_time_ms));
    auto h = w.begin_prefixed(1);
    w.add_bytes(Bytes(state.client_hello1_hash, state.hash_size));
    w.end_prefixed(h);
    w.add_bytes(Bytes(state.client_hello1_invariants, state.hash_size));
    std::size_t n = 0;
    if (!w.finish(n)) return TlsError::api_misuse;
    return seal_server_state(*key.aead, Bytes(key.key, key.aead->key_size), peer_binding, Bytes(plain, n), rng, out,
                             written);
}

TlsError open_cookie(const CookieKey& key, Bytes cookie, Bytes peer_binding, std::uint64_t now_ms,
                     std::uint64_t max_age_ms, CookieState& out) {
    if (key.aead == nullptr) return TlsError::api_misuse;
    if (cookie.size() < iv_size + tag_size + 1 || cookie.size() > max_cookie_size) return TlsError::cookie_invalid;
    std::uint8_t plain[max_cookie_state_size];
    const MutBytes p(plain, cookie.size() - iv_size - tag_size);
    if (!open_server_state(*key.aead, Bytes(key.key, key.aead->key_size), peer_binding, cookie, p))
        return TlsError::cookie_invalid;
    ByteReader r(p), hash;
    std::uint8_t version = 0;
    std::uint32_t hi = 0, lo = 0;
    CookieState s;
    if (!r.read_u8(version) || version != cookie_state_version || !r.read_u16(s.cipher_suite) ||
        !r.read_u16(s.selected_group) || !r.read_u32(hi) || !r.read_u32(lo) || !r.read_u8_prefixed(hash) ||
        !valid_hash_size(hash.remaining()) || r.remaining() != hash.remaining())
        return TlsError::cookie_invalid;
    s.issue_time_ms = std::uint64_t(hi) << 32 | lo;
    s.hash_size = hash.remaining();
    for (std::size_t i = 0; i < s.hash_size; i++) s.client_hello1_hash[i] = hash.rest()[i];
    for (std::size_t i = 0; i < s.hash_size; i++) s.client_hello1_invariants[i] = r.rest()[i];
    // A cookie older than the server allows (it limits how long a first flight can be replayed into
    // a second one), or from the future, is not used.
    if (now_ms != 0 && (now_ms < s.issue_time_ms || now_ms - s.issue_time_ms > max_age_ms))
        return TlsError::cookie_expired;
    out = s;
    return TlsError::ok;
}

namespace {

TlsError aead_seal(const void* context, const CookieState& state, const Rng& rng, MutBytes out, std::size_t& written) {
    const auto& a = *static_cast<const CookieAead*>(context);
    if (a.key == nullptr) return TlsError::api_misuse;
    return seal_cookie(*a.key, state, a.peer_binding, rng, out, written);
}

TlsError aead_open(const void* context, Bytes cookie, std::uint64_t now_ms, CookieState& out) {
    const auto& a = *static_cast<const CookieAead*>(context);
    if (a.key == nullptr) return TlsError::api_misuse;
    return open_cookie(*a.key, cookie, a.peer_binding, now_ms, a.max_age_ms, out);
}

static_assert(max_cookie_size <= max_hrr_cookie_size);

}  // namespace

CookieSealer cookie_aead_sealer(const CookieAead& aead) { return CookieSealer{aead_seal, aead_open, &aead}; }

// §4.4.1: "the value of ClientHello1 is replaced with a special synthetic handshake message of
// handshake type "message_hash" containing Hash(ClientHello1)":
//   Transcript-Hash(ClientHello1, HelloRetryRequest, ... Mn) =
//       Hash(message_hash ||        /* Handshake type */
//            00 00 Hash.length  ||  /* Handshake message length (bytes) */
//            Hash(ClientHello1) ||  /* Hash of ClientHello1 */
//            HelloRetryRequest  || ... || Mn)
TlsError write_message_hash(Bytes client_hello1_hash, MutBytes out, std::size_t& written) {
    if (!valid_hash_size(client_hello1_hash.size())) return TlsError::api_misuse;
    ByteWriter w(out);
    w.add_u8(std::uint8_t(HandshakeType::message_hash));
    w.add_u24(std::uint32_t(client_hello1_hash.size()));
    w.add_bytes(client_hello1_hash);
    return w.finish(written) ? TlsError::ok : TlsError::buffer_too_small;
}

TlsError start_transcript_from_cookie(const CookieState& state, const HashOps& hash, Transcript& transcript) {
    if (hash.size != state.hash_size) return TlsError::api_misuse;
    std::uint8_t message[max_message_hash_size];
    std::size_t n = 0;
    if (const TlsError e = write_message_hash(Bytes(state.client_hello1_hash, state.hash_size), message, n);
        e != TlsError::ok)
        return e;
    transcript.start(hash);
    return transcript.update(Bytes(message, n));
}

}  // namespace padlock::tls
