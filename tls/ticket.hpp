// SPDX-License-Identifier: Apache-2.0
// Session tickets (RFC 8446 §4.6.1) for resumption (§2.2, §4.2.11): the server seals the session
// state into the ticket under an AEAD key the caller owns (a key name selects the key, so the
// caller can rotate: a current key seals, the current or the previous one opens); the client keeps
// what it received in a fixed-size StoredSession and offers it with an obfuscated_ticket_age.
// Times are milliseconds since 1970 UTC from the caller's clock (the engine never reads one).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/common.hpp"
#include "crypto/rng.hpp"
#include "tls/alert.hpp"
#include "tls/key_schedule.hpp"
#include "tls/messages.hpp"
#include "tls/suite.hpp"

namespace padlock::tls {

// §4.6.1: "Servers MUST NOT use any value greater than 604800 seconds (7 days)"; clients "MUST NOT
// cache tickets for longer than 7 days, regardless of the ticket_lifetime".
inline constexpr std::uint32_t max_ticket_lifetime = 604800;

// --- server side ----------------------------------------------------------------------------------

// One ticket-protection key. `aead` is the caller's choice of AEAD descriptor (tls/suite.hpp:
// aes_128_gcm_ops, aes_256_gcm_ops or chacha20_poly1305_ops), so only that one is linked. Every
// ticket takes a fresh random 96-bit nonce: keep a key for fewer than 2^32 tickets (NIST SP 800-38D
// §8.3) and rotate it (the ticket lifetime bounds how long the previous key must still open).
struct TicketKey {
    const AeadOps* aead = nullptr;
    std::uint8_t name[16] = {};        // public: names the key inside the ticket
    std::uint8_t key[max_key_size] = {};  // secret: aead->key_size octets used
};
struct TicketKeys {
    const TicketKey* current = nullptr;   // seals, and opens
    const TicketKey* previous = nullptr;  // opens only; may be null
};

// What the ticket carries (§4.6.1: everything the server needs to resume without server state).
inline constexpr std::size_t max_alpn_size = 255;         // RFC 7301 §3.1 ProtocolName<1..2^8-1>
inline constexpr std::size_t max_server_name_size = 255;  // a DNS name is at most 253 octets
struct SessionState {
    std::uint16_t cipher_suite = 0;   // §B.4 code of the suite the PSK belongs to (§4.2.11)
    std::uint64_t issue_time_ms = 0;
    std::uint32_t lifetime = 0;       // seconds, <= max_ticket_lifetime
    std::uint32_t age_add = 0;        // §4.6.1 ticket_age_add
    std::uint32_t max_early_data_size = 0;  // §4.2.10 what the ticket's early_data extension allowed
    Secret psk;                       // §4.6.1 the resumption PSK
    std::uint8_t alpn[max_alpn_size] = {};
    std::size_t alpn_size = 0;        // 0: no ALPN was negotiated
    std::uint8_t server_name[max_server_name_size] = {};
    std::size_t server_name_size = 0; // 0: the client sent no server_name
};

// key_name (16) || nonce (12) || AEAD(state encoding) || tag (16); the key name is the AAD.
// State encoding: version (1) || cipher_suite (2) || issue_time_ms (8) || lifetime (4) ||
// age_add (4) || max_early_data_size (4) || psk<1..48> || alpn<0..255> || server_name<0..255>.
inline constexpr std::size_t ticket_overhead = 16 + iv_size + tag_size;
inline constexpr std::size_t max_ticket_state_size = 1 + 2 + 8 + 4 + 4 + 4 + 1 + max_hash_size + 1 + max_alpn_size +
                                                     1 + max_server_name_size;
inline constexpr std::size_t max_ticket_size = ticket_overhead + max_ticket_state_size;

// §4.6.1 the server's state for a new ticket: PSK = HKDF-Expand-Label(resumption_master_secret,
// "resumption", ticket_nonce, Hash.length) (key_schedule.hpp resumption_psk), ticket_age_add drawn
// from the Rng, the issue time, lifetime (api_misuse above max_ticket_lifetime), ALPN and SNI
// (api_misuse when longer than the fields). crypto_failure when the Rng fails.
TlsError new_session_state(const CipherSuite& suite, Bytes resumption_master_secret, Bytes ticket_nonce,
                           std::uint32_t lifetime, std::uint64_t now_ms, Bytes alpn, Bytes server_name,
                           const Rng& rng, SessionState& out);

// Seals `state` under keys.current into out (ticket_overhead + encoding size octets); api_misuse
// without a current key, buffer_too_small, crypto_failure (Rng or AEAD).
TlsError seal_ticket(const TicketKeys& keys, const SessionState& state, const Rng& rng, MutBytes out,
                     std::size_t& written);

// Opens a ticket from a ClientHello's PskIdentity.identity at time now_ms. Errors (the server then
// ignores this PSK and goes on with a full handshake, §4.2.11; none is sent as an alert):
//   ticket_unknown_key  the key name is neither keys.current's nor keys.previous's
//   ticket_invalid      too short, does not authenticate, or the state does not decode
//   ticket_expired      now_ms past issue_time_ms + lifetime, or before issue_time_ms
// On error `out` holds no secret. `used_previous` says the previous key opened it (re-issue soon).
TlsError open_ticket(const TicketKeys& keys, Bytes ticket, std::uint64_t now_ms, SessionState& out,
                     bool& used_previous);

// The seam between the engine and the ticket format (Config::ticket_sealer), as OpenSSL's and
// rustls's ticketer callbacks: a caller that keeps sessions its own way (a session cache, a hardware
// key store, another server's format) supplies seal and open over its context; Config::ticket_keys
// uses padlock's own (seal_ticket / open_ticket above).
//   seal: a new session's state -> a ticket of 1 .. max_ticket_size octets into out (written).
//   open: a ClientHello's PskIdentity.identity at now_ms -> the state; any error makes the server
//         ignore this PSK (a full handshake, §4.2.11), as open_ticket's do.
struct TicketSealer {
    TlsError (*seal)(const void* context, const SessionState& state, const Rng& rng, MutBytes out,
                     std::size_t& written) = nullptr;
    TlsError (*open)(const void* context, Bytes ticket, std::uint64_t now_ms, SessionState& out) = nullptr;
    const void* context = nullptr;
};

// §4.2.11.1 server side: the client's view of the ticket age, obfuscated_ticket_age - ticket_age_add
// (mod 2^32), in milliseconds, for the §8.3 freshness check of 0-RTT data.
[[nodiscard]] std::uint32_t ticket_age_from_obfuscated(std::uint32_t obfuscated_ticket_age, std::uint32_t age_add);

// The protection tickets and HelloRetryRequest cookies (tls/cookie.hpp) share: nonce (12 octets
// from the Rng) || AEAD(key, nonce, aad, plaintext) || tag (16), written into out
// (iv_size + plaintext.size() + tag_size octets). buffer_too_small, api_misuse (key size is not
// aead.key_size), crypto_failure (Rng or AEAD).
TlsError seal_server_state(const AeadOps& aead, Bytes key, Bytes aad, Bytes plaintext, const Rng& rng,
                           MutBytes out, std::size_t& written);
// Opens it into plaintext (sealed.size() - iv_size - tag_size octets). false, with plaintext zeroed,
// when it is too short, the key size is wrong, or it does not authenticate. Constant time in the
// key and the plaintext (the AEAD's open).
[[nodiscard]] bool open_server_state(const AeadOps& aead, Bytes key, Bytes aad, Bytes sealed, MutBytes plaintext);

// --- client side ----------------------------------------------------------------------------------

// The largest ticket a StoredSession keeps (§4.6.1 allows 2^16-1 octets; a server's sealed state is
// usually a few hundred). A longer ticket is not stored (store_session: buffer_too_small).
inline constexpr std::size_t max_stored_ticket_size = 1024;
struct StoredSession {
    std::uint16_t cipher_suite = 0;    // the PSK may only be used with a suite of this hash (§4.2.11)
    std::uint8_t ticket[max_stored_ticket_size] = {};
    std::size_t ticket_size = 0;
    Secret psk;
    std::uint32_t age_add = 0;
    std::uint64_t received_ms = 0;
    std::uint32_t lifetime = 0;        // seconds, already capped at max_ticket_lifetime
    std::uint32_t max_early_data_size = 0;  // §4.2.10: how much Config::early_data the ticket allows
};

// §4.6.1 client side: stores a parsed NewSessionTicket received on a connection of `suite` whose
// resumption_master_secret is given, received at now_ms. The lifetime is capped at 7 days. ok with
// out.ticket_size == 0 (nothing stored) when ticket_lifetime is 0 ("the ticket should be discarded
// immediately"); buffer_too_small for a ticket over max_stored_ticket_size.
TlsError store_session(const NewSessionTicket& ticket, const CipherSuite& suite, Bytes resumption_master_secret,
                       std::uint64_t now_ms, StoredSession& out);

// Whether the session may still be offered at now_ms (stored, within its lifetime, not in the future).
[[nodiscard]] bool session_usable(const StoredSession& session, std::uint64_t now_ms);

// §4.2.11.1 obfuscated_ticket_age = (milliseconds since the ticket was received) + ticket_age_add,
// mod 2^32.
[[nodiscard]] std::uint32_t obfuscated_ticket_age(const StoredSession& session, std::uint64_t now_ms);

}  // namespace padlock::tls
