// SPDX-License-Identifier: Apache-2.0
// The registry names of the TLS 1.3 code points a tool or a log shows: AlertDescription (RFC 8446
// §6), SignatureScheme (§4.2.3), NamedGroup (§4.2.7) and CipherSuite (§B.4), spelled as the RFC
// spells them. Each returns a string literal, or nullptr for a value the RFC does not define (the
// caller chooses how to show it, e.g. as hex). Header-only and constexpr: nothing is linked unless
// it is called, and no table references an algorithm's code.
#pragma once

#include <cstdint>

#include "tls/alert.hpp"

namespace padlock::tls {

// §6 AlertDescription.
constexpr const char* alert_name(AlertDescription a) {
    using A = AlertDescription;
    switch (a) {
    case A::close_notify: return "close_notify";
    case A::unexpected_message: return "unexpected_message";
    case A::bad_record_mac: return "bad_record_mac";
    case A::record_overflow: return "record_overflow";
    case A::handshake_failure: return "handshake_failure";
    case A::bad_certificate: return "bad_certificate";
    case A::unsupported_certificate: return "unsupported_certificate";
    case A::certificate_revoked: return "certificate_revoked";
    case A::certificate_expired: return "certificate_expired";
    case A::certificate_unknown: return "certificate_unknown";
    case A::illegal_parameter: return "illegal_parameter";
    case A::unknown_ca: return "unknown_ca";
    case A::access_denied: return "access_denied";
    case A::decode_error: return "decode_error";
    case A::decrypt_error: return "decrypt_error";
    case A::protocol_version: return "protocol_version";
    case A::insufficient_security: return "insufficient_security";
    case A::internal_error: return "internal_error";
    case A::inappropriate_fallback: return "inappropriate_fallback";
    case A::user_canceled: return "user_canceled";
    case A::missing_extension: return "missing_extension";
    case A::unsupported_extension: return "unsupported_extension";
    case A::unrecognized_name: return "unrecognized_name";
    case A::bad_certificate_status_response: return "bad_certificate_status_response";
    case A::unknown_psk_identity: return "unknown_psk_identity";
    case A::certificate_required: return "certificate_required";
    case A::no_application_protocol: return "no_application_protocol";
    }
    return nullptr;
}

// §4.2.3 SignatureScheme (including the legacy SHA-1 schemes, which TLS 1.3 only names).
constexpr const char* signature_scheme_name(std::uint16_t code) {
    switch (code) {
    case 0x0401: return "rsa_pkcs1_sha256";
    case 0x0501: return "rsa_pkcs1_sha384";
    case 0x0601: return "rsa_pkcs1_sha512";
    case 0x0403: return "ecdsa_secp256r1_sha256";
    case 0x0503: return "ecdsa_secp384r1_sha384";
    case 0x0603: return "ecdsa_secp521r1_sha512";
    case 0x0804: return "rsa_pss_rsae_sha256";
    case 0x0805: return "rsa_pss_rsae_sha384";
    case 0x0806: return "rsa_pss_rsae_sha512";
    case 0x0807: return "ed25519";
    case 0x0808: return "ed448";
    case 0x0809: return "rsa_pss_pss_sha256";
    case 0x080a: return "rsa_pss_pss_sha384";
    case 0x080b: return "rsa_pss_pss_sha512";
    case 0x0201: return "rsa_pkcs1_sha1";
    case 0x0203: return "ecdsa_sha1";
    }
    return nullptr;
}

// §4.2.7 NamedGroup.
constexpr const char* group_name(std::uint16_t code) {
    switch (code) {
    case 0x0017: return "secp256r1";
    case 0x0018: return "secp384r1";
    case 0x0019: return "secp521r1";
    case 0x001d: return "x25519";
    case 0x001e: return "x448";
    case 0x0100: return "ffdhe2048";
    case 0x0101: return "ffdhe3072";
    case 0x0102: return "ffdhe4096";
    case 0x0103: return "ffdhe6144";
    case 0x0104: return "ffdhe8192";
    }
    return nullptr;
}

// §B.4 CipherSuite.
constexpr const char* cipher_suite_name(std::uint16_t code) {
    switch (code) {
    case 0x1301: return "TLS_AES_128_GCM_SHA256";
    case 0x1302: return "TLS_AES_256_GCM_SHA384";
    case 0x1303: return "TLS_CHACHA20_POLY1305_SHA256";
    case 0x1304: return "TLS_AES_128_CCM_SHA256";
    case 0x1305: return "TLS_AES_128_CCM_8_SHA256";
    }
    return nullptr;
}

}  // namespace padlock::tls
