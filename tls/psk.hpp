// SPDX-License-Identifier: Apache-2.0
// TLS 1.3 pre-shared-key binders (RFC 8446 §4.2.11.2): where the ClientHello is truncated for them,
// computing a binder with the binder key of an external or a resumption PSK (§7.1), verifying a
// received one in constant time, and writing the real binders over a ClientHello's placeholders.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/common.hpp"
#include "tls/alert.hpp"
#include "tls/key_schedule.hpp"
#include "tls/messages.hpp"
#include "tls/suite.hpp"

namespace padlock::tls {

// §7.1: which binder key a PSK uses: "ext binder" for a PSK provisioned outside TLS, "res binder"
// for one from a NewSessionTicket (§4.6.1).
enum class PskKind : std::uint8_t { external, resumption };

// §4.2.11.2 Truncate(ClientHello1): the ClientHello message (4-octet header included) "up to and
// including the PreSharedKeyExtension.identities field", i.e. without the binders list and its
// u16 length. Takes the whole handshake message as sent, parses it (messages.hpp), and sets
// `length` to 4 + ClientHello::binders_offset. handshake_malformed (and the other parse errors)
// for a ClientHello that does not parse; api_misuse without a pre_shared_key extension.
TlsError truncated_client_hello_length(Bytes client_hello_message, std::size_t& length);

// §7.1 binder_key = Derive-Secret(HKDF-Extract(0, PSK), "ext binder" | "res binder", ""), computed
// on its own (the engine's KeySchedule::derive_binder_key gives the same from its Early Secret).
TlsError derive_binder_key(const HashOps& hash, Bytes psk, PskKind kind, Secret& out);

// §4.2.11.2: binder = HMAC(finished_key(binder_key), Transcript-Hash(Truncate(ClientHello1))), the
// Finished computation of §4.4.4 with the binder key as BaseKey. `transcript_hash` is the hash of
// the truncated ClientHello, preceded, after a HelloRetryRequest, by the message_hash of
// ClientHello1 and the HelloRetryRequest (§4.2.11.2 "the transcript ... includes ...").
TlsError compute_binder(const HashOps& hash, Bytes binder_key, Bytes transcript_hash, Secret& out);

// §4.2.11.2 server side: recomputes the binder and compares it with `received` in constant time
// (a binder is a MAC: no early exit on the first differing octet). psk_binder_invalid when it
// differs, including in length ("MUST abort the handshake ... decrypt_error").
TlsError verify_binder(const HashOps& hash, Bytes binder_key, Bytes transcript_hash, Bytes received);

// The index-th binder of a ClientHello's binders list (Extensions::psk_binders, u8-prefixed
// entries); psk_identity_invalid when the list has no such entry.
TlsError binder_at(Bytes psk_binders, std::size_t index, Bytes& out);

// Client side: the ClientHello was written with placeholder binders of the right lengths
// (messages.hpp add_pre_shared_key_client, last in the message); once the binders are computed
// over Truncate(ClientHello1) (message[0 .. truncated_length)), this writes them in place.
// api_misuse when the placeholders after truncated_length are not exactly a u16-prefixed list of
// binders of these lengths.
TlsError write_binders(std::span<const Bytes> binders, std::size_t truncated_length, MutBytes client_hello_message);

}  // namespace padlock::tls
