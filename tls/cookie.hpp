// SPDX-License-Identifier: Apache-2.0
// The stateless HelloRetryRequest cookie (RFC 8446 §4.2.2): a server that sends a HelloRetryRequest
// without keeping state puts Hash(ClientHello1), the chosen group and suite into the cookie under a
// key it owns, and rebuilds its transcript from the cookie when ClientHello2 echoes it, starting
// with the §4.4.1 message_hash construct in place of ClientHello1. The engine reaches the cookie's
// format only through a CookieSealer (Config::cookie_sealer): padlock's own (cookie_aead_sealer,
// below) or the caller's, as OpenSSL's and rustls's cookie and ticket callbacks allow.
// Times are milliseconds since 1970 UTC from the caller's clock.
#pragma once

#include <cstddef>
#include <cstdint>

#include "crypto/common.hpp"
#include "crypto/rng.hpp"
#include "tls/alert.hpp"
#include "tls/messages.hpp"
#include "tls/suite.hpp"
#include "tls/transcript.hpp"

namespace padlock::tls {

// The server's cookie key; `aead` is the caller's choice of descriptor (tls/suite.hpp), so only that
// one is linked. Each cookie takes a fresh random 96-bit nonce (fewer than 2^32 cookies per key).
struct CookieKey {
    const AeadOps* aead = nullptr;
    std::uint8_t key[max_key_size] = {};  // secret: aead->key_size octets used
};

// What the server needs from the first flight to answer ClientHello2 (§4.1.4, §4.2.2, §4.4.1).
struct CookieState {
    std::uint16_t cipher_suite = 0;    // the suite the HelloRetryRequest selected
    std::uint16_t selected_group = 0;  // §4.2.8 the HelloRetryRequest key_share's selected_group
    std::uint64_t issue_time_ms = 0;
    std::uint8_t client_hello1_hash[max_hash_size] = {};  // Hash(ClientHello1) with the suite's hash
    // §4.1.2: the same hash over what ClientHello2 must repeat of ClientHello1 (all of it but the
    // key_share, early_data, cookie, pre_shared_key, psk_key_exchange_modes and padding extensions),
    // which it is checked against.
    std::uint8_t client_hello1_invariants[max_hash_size] = {};
    std::size_t hash_size = 0;
};

// nonce (12) || AEAD(version (1) || cipher_suite (2) || selected_group (2) || issue_time_ms (8) ||
// hash<32..48> || invariants (hash_size)) || tag (16). The AAD is `peer_binding`: anything the caller wants the cookie tied to
// (the client's address, say), or empty. §4.2.2 cookie<1..2^16-1>: far below its ceiling.
inline constexpr std::size_t max_cookie_size = iv_size + 1 + 2 + 2 + 8 + 1 + 2 * max_hash_size + tag_size;

// Seals `state` into out (at most max_cookie_size octets): api_misuse for a key without an AEAD or a
// hash_size that is not 32 or 48, buffer_too_small, crypto_failure (Rng or AEAD).
TlsError seal_cookie(const CookieKey& key, const CookieState& state, Bytes peer_binding, const Rng& rng,
                     MutBytes out, std::size_t& written);

// Opens the cookie a ClientHello2 echoes (Extensions::cookie). cookie_invalid when it does not
// authenticate (wrong key, other peer_binding, any modified octet) or does not decode;
// cookie_expired when now_ms is past issue_time_ms + max_age_ms or before issue_time_ms. now_ms 0
// means the caller has no clock: the age is not checked.
TlsError open_cookie(const CookieKey& key, Bytes cookie, Bytes peer_binding, std::uint64_t now_ms,
                     std::uint64_t max_age_ms, CookieState& out);

// How a stateless server (Config::cookie_sealer) turns its CookieState into the HelloRetryRequest's
// cookie and back: function pointers over the caller's context, like Rng.
//   seal: state -> at most max_hrr_cookie_size octets into out (written). crypto_failure,
//         buffer_too_small or api_misuse end the handshake with internal_error.
//   open: the cookie ClientHello2 echoes -> state, at now_ms (0: no clock). cookie_invalid for
//         anything not sealed by this sealer, cookie_expired for one too old (both illegal_parameter).
inline constexpr std::size_t max_hrr_cookie_size = 256;
struct CookieSealer {
    TlsError (*seal)(const void* context, const CookieState& state, const Rng& rng, MutBytes out,
                     std::size_t& written) = nullptr;
    TlsError (*open)(const void* context, Bytes cookie, std::uint64_t now_ms, CookieState& out) = nullptr;
    const void* context = nullptr;
};

// padlock's cookie format (seal_cookie / open_cookie) under `key`, tied to `peer_binding`, refused
// after max_age_ms. The CookieAead must outlive the sealer made from it.
struct CookieAead {
    const CookieKey* key = nullptr;
    Bytes peer_binding;
    std::uint64_t max_age_ms = 30000;
};
CookieSealer cookie_aead_sealer(const CookieAead& aead);

// §4.4.1 the synthetic handshake message that replaces ClientHello1 in the transcript:
//   message_hash (254) || 00 00 Hash.length || Hash(ClientHello1).
inline constexpr std::size_t max_message_hash_size = handshake_header_size + max_hash_size;
TlsError write_message_hash(Bytes client_hello1_hash, MutBytes out, std::size_t& written);

// Starts `transcript` over `hash` (whose size must be state.hash_size) with the message_hash of the
// cookie's ClientHello1; the server then hashes the HelloRetryRequest it sent (rebuilt from the
// cookie and the suite and group: the same bytes) and ClientHello2. api_misuse on a size mismatch.
TlsError start_transcript_from_cookie(const CookieState& state, const HashOps& hash, Transcript& transcript);

}  // namespace padlock::tls
