// SPDX-License-Identifier: Apache-2.0
// TLS 1.3 alerts (RFC 8446 §6) and the TLS layer's error values: each value names one reason, cites
// the section that makes it an error, and maps to exactly one AlertDescription (alert_for).
#pragma once

#include <cstdint>

namespace padlock::tls {

// RFC 8446 §6: every AlertDescription value (tls/names.hpp alert_name gives each its name).
enum class AlertDescription : std::uint8_t {
    close_notify = 0,
    unexpected_message = 10,
    bad_record_mac = 20,
    record_overflow = 22,
    illegal_parameter = 47,
    decode_error = 50,
    internal_error = 80,
    missing_extension = 109,
    unsupported_extension = 110,
    // Handshake authentication (tls/signature, tls/certificate, §4.4.2, §4.4.3, §6.2).
    handshake_failure = 40,
    bad_certificate = 42,
    unsupported_certificate = 43,
    certificate_revoked = 44,
    certificate_expired = 45,
    certificate_unknown = 46,
    unknown_ca = 48,
    decrypt_error = 51,
    certificate_required = 116,
    // Handshake negotiation (tls/client.cpp, tls/server.cpp).
    protocol_version = 70,
    user_canceled = 90,
    no_application_protocol = 120,  // RFC 7301 §3.2
    // The rest of the §6 list (padlock never sends them; a peer may).
    access_denied = 49,
    insufficient_security = 71,
    inappropriate_fallback = 86,
    unrecognized_name = 112,
    bad_certificate_status_response = 113,
    unknown_psk_identity = 115,
};

// One value per reason. New values go at the end, each with its section and its alert in alert_for.
enum class [[nodiscard]] TlsError : std::uint8_t {
    ok = 0,
    record_too_long,             // §5.2: TLSCiphertext.length > 2^14 + 256
    record_over_limit,           // RFC 8449 §4: protected record longer than the limit we advertised
    plaintext_too_long,          // §5.1, §5.4: TLSInnerPlaintext longer than 2^14 + 1 (or our limit)
    bad_record_mac,              // §5.2: AEAD decryption failed (no plaintext is released)
    missing_content_type,        // §5.4: TLSInnerPlaintext is all zeros (no non-zero content type)
    unexpected_content_type,     // §5: a content type this layer does not accept (§5.2 outer type 23)
    sequence_number_exhausted,   // §5.3: the 64-bit sequence number would wrap
    key_update_malformed,        // §4.6.3: KeyUpdate body is not exactly one byte
    key_update_bad_request,      // §4.6.3: request_update neither 0 nor 1
    record_size_limit_invalid,   // RFC 8449 §4: record_size_limit below 64
    api_misuse,                  // the caller broke a documented precondition (STYLE.md item 1)
    buffer_too_small,            // a caller buffer cannot hold the result
    crypto_failure,              // a primitive reported an error it should not (e.g. key length)
    key_update_required,         // §5.5, §4.6.3: a KeyUpdate must be sent before more records
    handshake_malformed,         // §4, §3.4: a handshake message or field length does not match its contents
    handshake_unknown_type,      // §4: a msg_type this codec does not know (or one that is never received, e.g. message_hash)
    legacy_compression_invalid,  // §4.1.2, §4.1.3: legacy_compression_method(s) not exactly the single value 0
    extension_duplicate,         // §4.2: more than one extension of the same type in one block
    extension_forbidden,         // §4.2: a known extension in a message the §4.2 table does not allow it in
    extension_unsupported,       // §4.2: an unknown extension in a message answering ours (SH, HRR, EE, Certificate)
    psk_not_last,                // §4.2.11: pre_shared_key is not the last extension of the ClientHello
    psk_binder_count_mismatch,   // §4.2.11: the counts of PSK identities and binders differ
    certificate_request_no_sigalgs,// §4.3.2: CertificateRequest without signature_algorithms
    // --- tls/signature (§4.2.3, §4.4.3) ---
    signature_scheme_forbidden,  // §4.4.3: a scheme not allowed in CertificateVerify (rsa_pkcs1_*, SHA-1, unknown) or not offered
    signature_scheme_key_mismatch,// §4.4.3, §4.2.3: the scheme cannot be made by the certificate's key (type, curve)
    signature_invalid,           // §4.4.3: "If the verification fails, ... MUST terminate ... decrypt_error"
    no_common_signature_scheme,  // §4.4.3, §4.2.3: our key can make none of the peer's signature_algorithms
    // --- tls/certificate (§4.4.2, §6.2) ---
    certificate_context_mismatch,// §4.4.2: certificate_request_context not empty (server) / not the CertificateRequest's (client)
                                 // §4.3.2: a CertificateRequest in the handshake with a non-empty context
    certificate_empty,           // §4.4.2.4: a server sent an empty certificate_list ("MUST abort ... decode_error")
    certificate_missing,         // §4.4.2.4: a client sent no certificate where the server requires one
    certificate_chain_too_long,  // more entries than max_peer_certificates (a fixed bound keeps scratch heap-free)
    certificate_corrupt,         // §6.2 bad_certificate: an entry does not parse, a signature does not verify, wrong name
    certificate_unsupported,     // §6.2 unsupported_certificate: a key or signature algorithm padlock does not verify
    certificate_expired,         // §6.2 certificate_expired: "has expired or is not currently valid"
    certificate_untrusted,       // §6.2 unknown_ca: no path to a trust anchor (unknown or untrusted issuer)
    certificate_rejected,        // §6.2 certificate_unknown: any other path failure (constraints, usage, budgets)
    certificate_key_usage,       // §4.4.2.2: the end-entity keyUsage lacks digitalSignature (unsupported_certificate)
    certificate_revoked,         // §6.2 certificate_revoked: "A certificate was revoked by its signer" (a CRL says so)
    // --- tls/psk (§4.2.11) ---
    psk_binder_invalid,          // §4.2.11.2: a binder that does not verify: "MUST abort ... decrypt_error"
    psk_identity_invalid,        // §4.2.11: selected_identity or a binder index outside the list
    // --- tls/ticket (§4.6.1); the server ignores such a PSK (§4.2.11: full handshake), nothing is sent ---
    ticket_unknown_key,          // §4.6.1: the ticket's key name is neither the current nor the previous key
    ticket_invalid,              // §4.6.1: the ticket does not authenticate or its contents do not parse
    ticket_expired,              // §4.6.1: older than its ticket_lifetime (at most 7 days), or issued in the future
    // --- tls/cookie (§4.2.2) ---
    cookie_invalid,              // §4.2.2: the cookie does not authenticate or does not parse
    cookie_expired,              // §4.2.2: older than the server's cookie lifetime
    // --- the handshake engine (tls/engine.cpp, tls/client.cpp, tls/server.cpp) ---
    unexpected_message,          // §4, appendix A: a message (or record type) not expected in this state
    key_share_invalid,           // §4.2.8.2, §7.4.2: a key_exchange of the wrong form, off the curve, or x25519 all-zero;
                                 // §4.2.8: client shares with a repeated group, one not in supported_groups, or out of order
    finished_invalid,            // §4.4.4: "MUST terminate the connection with a decrypt_error alert"
    protocol_version_unsupported,// §4.2.1, appendix D: the peer does not do TLS 1.3 (only older versions)
    downgrade_detected,          // §4.1.3: a TLS 1.2-or-older ServerHello with the downgrade sentinel
    server_hello_invalid,        // §4.1.3: session id not echoed, suite/group/version not offered
    hello_retry_invalid,         // §4.1.4: a second HRR, an HRR that would not change the ClientHello, or
                                 // a group not offered / already sent; or a ServerHello that disagrees with it
    extension_missing,           // §9.2: a mandatory-to-use extension is absent (key_share, supported_groups, ...)
    extension_unsolicited,       // §4.2: an extension in a reply that we did not offer (unsupported_extension)
    no_common_cipher_suite,      // §4.1.1: no suite of ours in the ClientHello (handshake_failure)
    no_common_group,             // §4.1.1: no group of ours in supported_groups (handshake_failure)
    no_application_protocol,     // RFC 7301 §3.2: the client's ALPN list has none of ours
    handshake_too_large,         // a handshake message longer than the connection's handshake buffer
    handshake_spans_key_change,  // §5.1: "Handshake messages MUST NOT span key changes"
    end_of_early_data_refused,   // §4.5: EndOfEarlyData where no 0-RTT was accepted (or not in its place)
    early_data_too_large,        // §4.2.10: more 0-RTT application data than max_early_data_size
    change_cipher_spec_invalid,  // §5: a change_cipher_spec that is not the single byte 1, or out of its window
    alert_malformed,             // §6: an alert record that is not exactly level + description
    peer_alert,                  // §6: the peer sent a fatal alert (nothing is sent back)
    peer_closed,                 // §6.1: the peer sent close_notify; no more data is read
};

// §6: the alert an endpoint sends for each error. Errors of our own making (misuse, buffers) are
// internal_error (§6.2: "an internal error unrelated to the peer").
constexpr AlertDescription alert_for(TlsError e) {
    switch (e) {
    case TlsError::ok: return AlertDescription::close_notify;  // not an error; never sent for it
    case TlsError::record_too_long: return AlertDescription::record_overflow;
    case TlsError::record_over_limit: return AlertDescription::record_overflow;
    case TlsError::plaintext_too_long: return AlertDescription::record_overflow;
    case TlsError::bad_record_mac: return AlertDescription::bad_record_mac;
    case TlsError::missing_content_type: return AlertDescription::unexpected_message;
    case TlsError::unexpected_content_type: return AlertDescription::unexpected_message;
    case TlsError::sequence_number_exhausted: return AlertDescription::internal_error;
    case TlsError::key_update_malformed: return AlertDescription::decode_error;
    case TlsError::key_update_bad_request: return AlertDescription::illegal_parameter;
    case TlsError::record_size_limit_invalid: return AlertDescription::illegal_parameter;
    case TlsError::api_misuse: return AlertDescription::internal_error;
    case TlsError::buffer_too_small: return AlertDescription::internal_error;
    case TlsError::crypto_failure: return AlertDescription::internal_error;
    case TlsError::key_update_required: return AlertDescription::internal_error;
    case TlsError::handshake_malformed: return AlertDescription::decode_error;
    case TlsError::handshake_unknown_type: return AlertDescription::unexpected_message;
    case TlsError::end_of_early_data_refused: return AlertDescription::unexpected_message;
    case TlsError::early_data_too_large: return AlertDescription::unexpected_message;  // §4.2.10 SHOULD
    case TlsError::legacy_compression_invalid: return AlertDescription::illegal_parameter;
    case TlsError::extension_duplicate: return AlertDescription::illegal_parameter;
    case TlsError::extension_forbidden: return AlertDescription::illegal_parameter;
    case TlsError::extension_unsupported: return AlertDescription::unsupported_extension;
    case TlsError::psk_not_last: return AlertDescription::illegal_parameter;
    case TlsError::psk_binder_count_mismatch: return AlertDescription::illegal_parameter;
    case TlsError::certificate_request_no_sigalgs: return AlertDescription::missing_extension;
    case TlsError::signature_scheme_forbidden: return AlertDescription::illegal_parameter;
    case TlsError::signature_scheme_key_mismatch: return AlertDescription::illegal_parameter;
    case TlsError::signature_invalid: return AlertDescription::decrypt_error;
    case TlsError::no_common_signature_scheme: return AlertDescription::handshake_failure;
    case TlsError::certificate_context_mismatch: return AlertDescription::illegal_parameter;
    case TlsError::certificate_empty: return AlertDescription::decode_error;
    case TlsError::certificate_missing: return AlertDescription::certificate_required;
    case TlsError::certificate_chain_too_long: return AlertDescription::certificate_unknown;
    case TlsError::certificate_corrupt: return AlertDescription::bad_certificate;
    case TlsError::certificate_unsupported: return AlertDescription::unsupported_certificate;
    case TlsError::certificate_expired: return AlertDescription::certificate_expired;
    case TlsError::certificate_untrusted: return AlertDescription::unknown_ca;
    case TlsError::certificate_rejected: return AlertDescription::certificate_unknown;
    case TlsError::certificate_key_usage: return AlertDescription::unsupported_certificate;
    case TlsError::certificate_revoked: return AlertDescription::certificate_revoked;
    case TlsError::psk_binder_invalid: return AlertDescription::decrypt_error;
    case TlsError::psk_identity_invalid: return AlertDescription::illegal_parameter;
    case TlsError::ticket_unknown_key: return AlertDescription::illegal_parameter;
    case TlsError::ticket_invalid: return AlertDescription::illegal_parameter;
    case TlsError::ticket_expired: return AlertDescription::illegal_parameter;
    case TlsError::cookie_invalid: return AlertDescription::illegal_parameter;
    case TlsError::cookie_expired: return AlertDescription::illegal_parameter;
    case TlsError::unexpected_message: return AlertDescription::unexpected_message;
    case TlsError::key_share_invalid: return AlertDescription::illegal_parameter;
    case TlsError::finished_invalid: return AlertDescription::decrypt_error;
    case TlsError::protocol_version_unsupported: return AlertDescription::protocol_version;
    case TlsError::downgrade_detected: return AlertDescription::illegal_parameter;
    case TlsError::server_hello_invalid: return AlertDescription::illegal_parameter;
    case TlsError::hello_retry_invalid: return AlertDescription::illegal_parameter;
    case TlsError::extension_missing: return AlertDescription::missing_extension;
    case TlsError::extension_unsolicited: return AlertDescription::unsupported_extension;
    case TlsError::no_common_cipher_suite: return AlertDescription::handshake_failure;
    case TlsError::no_common_group: return AlertDescription::handshake_failure;
    case TlsError::no_application_protocol: return AlertDescription::no_application_protocol;
    case TlsError::handshake_too_large: return AlertDescription::decode_error;
    case TlsError::handshake_spans_key_change: return AlertDescription::unexpected_message;
    case TlsError::change_cipher_spec_invalid: return AlertDescription::unexpected_message;
    case TlsError::alert_malformed: return AlertDescription::decode_error;
    case TlsError::peer_alert: return AlertDescription::internal_error;  // never sent: the peer ended it
    case TlsError::peer_closed: return AlertDescription::internal_error;  // never sent: the peer ended it
    }
    return AlertDescription::internal_error;
}

constexpr const char* error_name(TlsError e) {
    switch (e) {
    case TlsError::ok: return "ok";
    case TlsError::record_too_long: return "record_too_long";
    case TlsError::record_over_limit: return "record_over_limit";
    case TlsError::plaintext_too_long: return "plaintext_too_long";
    case TlsError::bad_record_mac: return "bad_record_mac";
    case TlsError::missing_content_type: return "missing_content_type";
    case TlsError::unexpected_content_type: return "unexpected_content_type";
    case TlsError::sequence_number_exhausted: return "sequence_number_exhausted";
    case TlsError::key_update_malformed: return "key_update_malformed";
    case TlsError::key_update_bad_request: return "key_update_bad_request";
    case TlsError::record_size_limit_invalid: return "record_size_limit_invalid";
    case TlsError::api_misuse: return "api_misuse";
    case TlsError::buffer_too_small: return "buffer_too_small";
    case TlsError::crypto_failure: return "crypto_failure";
    case TlsError::key_update_required: return "key_update_required";
    case TlsError::handshake_malformed: return "handshake_malformed";
    case TlsError::handshake_unknown_type: return "handshake_unknown_type";
    case TlsError::end_of_early_data_refused: return "end_of_early_data_refused";
    case TlsError::early_data_too_large: return "early_data_too_large";
    case TlsError::legacy_compression_invalid: return "legacy_compression_invalid";
    case TlsError::extension_duplicate: return "extension_duplicate";
    case TlsError::extension_forbidden: return "extension_forbidden";
    case TlsError::extension_unsupported: return "extension_unsupported";
    case TlsError::psk_not_last: return "psk_not_last";
    case TlsError::psk_binder_count_mismatch: return "psk_binder_count_mismatch";
    case TlsError::certificate_request_no_sigalgs: return "certificate_request_no_sigalgs";
    case TlsError::signature_scheme_forbidden: return "signature_scheme_forbidden";
    case TlsError::signature_scheme_key_mismatch: return "signature_scheme_key_mismatch";
    case TlsError::signature_invalid: return "signature_invalid";
    case TlsError::no_common_signature_scheme: return "no_common_signature_scheme";
    case TlsError::certificate_context_mismatch: return "certificate_context_mismatch";
    case TlsError::certificate_empty: return "certificate_empty";
    case TlsError::certificate_missing: return "certificate_missing";
    case TlsError::certificate_chain_too_long: return "certificate_chain_too_long";
    case TlsError::certificate_corrupt: return "certificate_corrupt";
    case TlsError::certificate_unsupported: return "certificate_unsupported";
    case TlsError::certificate_expired: return "certificate_expired";
    case TlsError::certificate_untrusted: return "certificate_untrusted";
    case TlsError::certificate_rejected: return "certificate_rejected";
    case TlsError::certificate_key_usage: return "certificate_key_usage";
    case TlsError::certificate_revoked: return "certificate_revoked";
    case TlsError::psk_binder_invalid: return "psk_binder_invalid";
    case TlsError::psk_identity_invalid: return "psk_identity_invalid";
    case TlsError::ticket_unknown_key: return "ticket_unknown_key";
    case TlsError::ticket_invalid: return "ticket_invalid";
    case TlsError::ticket_expired: return "ticket_expired";
    case TlsError::cookie_invalid: return "cookie_invalid";
    case TlsError::cookie_expired: return "cookie_expired";
    case TlsError::unexpected_message: return "unexpected_message";
    case TlsError::key_share_invalid: return "key_share_invalid";
    case TlsError::finished_invalid: return "finished_invalid";
    case TlsError::protocol_version_unsupported: return "protocol_version_unsupported";
    case TlsError::downgrade_detected: return "downgrade_detected";
    case TlsError::server_hello_invalid: return "server_hello_invalid";
    case TlsError::hello_retry_invalid: return "hello_retry_invalid";
    case TlsError::extension_missing: return "extension_missing";
    case TlsError::extension_unsolicited: return "extension_unsolicited";
    case TlsError::no_common_cipher_suite: return "no_common_cipher_suite";
    case TlsError::no_common_group: return "no_common_group";
    case TlsError::no_application_protocol: return "no_application_protocol";
    case TlsError::handshake_too_large: return "handshake_too_large";
    case TlsError::handshake_spans_key_change: return "handshake_spans_key_change";
    case TlsError::change_cipher_spec_invalid: return "change_cipher_spec_invalid";
    case TlsError::alert_malformed: return "alert_malformed";
    case TlsError::peer_alert: return "peer_alert";
    case TlsError::peer_closed: return "peer_closed";
    }
    return "unknown";
}

// The last value, so tests can walk every error.
inline constexpr TlsError last_tls_error = TlsError::peer_closed;

}  // namespace padlock::tls
