// SPDX-License-Identifier: Apache-2.0
// TLS 1.3 alerts (RFC 8446 §6) and the TLS layer's error values: each value names one reason, cites
// the section that makes it an error, and maps to exactly one AlertDescription (alert_for).
#pragma once

#include <cstdint>

namespace padlock::tls {

// RFC 8446 §6 (the values of the AlertDescription enum the record and key-schedule floors send).
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
    end_of_early_data_refused,   // §4.5: EndOfEarlyData is sent only after accepted 0-RTT, which padlock never accepts
    legacy_compression_invalid,  // §4.1.2, §4.1.3: legacy_compression_method(s) not exactly the single value 0
    extension_duplicate,         // §4.2: more than one extension of the same type in one block
    extension_forbidden,         // §4.2: a known extension in a message the §4.2 table does not allow it in
    extension_unsupported,       // §4.2: an unknown extension in a message answering ours (SH, HRR, EE, Certificate)
    psk_not_last,                // §4.2.11: pre_shared_key is not the last extension of the ClientHello
    psk_binder_count_mismatch,   // §4.2.11: the counts of PSK identities and binders differ
    certificate_request_no_sigalgs,// §4.3.2: CertificateRequest without signature_algorithms
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
    case TlsError::legacy_compression_invalid: return AlertDescription::illegal_parameter;
    case TlsError::extension_duplicate: return AlertDescription::illegal_parameter;
    case TlsError::extension_forbidden: return AlertDescription::illegal_parameter;
    case TlsError::extension_unsupported: return AlertDescription::unsupported_extension;
    case TlsError::psk_not_last: return AlertDescription::illegal_parameter;
    case TlsError::psk_binder_count_mismatch: return AlertDescription::illegal_parameter;
    case TlsError::certificate_request_no_sigalgs: return AlertDescription::missing_extension;
    }
    return AlertDescription::internal_error;
}

constexpr const char* tls_error_name(TlsError e) {
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
    case TlsError::legacy_compression_invalid: return "legacy_compression_invalid";
    case TlsError::extension_duplicate: return "extension_duplicate";
    case TlsError::extension_forbidden: return "extension_forbidden";
    case TlsError::extension_unsupported: return "extension_unsupported";
    case TlsError::psk_not_last: return "psk_not_last";
    case TlsError::psk_binder_count_mismatch: return "psk_binder_count_mismatch";
    case TlsError::certificate_request_no_sigalgs: return "certificate_request_no_sigalgs";
    }
    return "unknown";
}

// The last value, so tests can walk every error.
inline constexpr TlsError last_tls_error = TlsError::certificate_request_no_sigalgs;

}  // namespace padlock::tls
