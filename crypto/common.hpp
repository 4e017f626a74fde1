// SPDX-License-Identifier: Apache-2.0
// Shared vocabulary of the crypto layer: byte views and the error enum every primitive returns.
// Library rule (GUIDE.md): no heap, no exceptions; failures are values of `Error`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace padlock {

using Bytes = std::span<const std::uint8_t>;   // read-only view into caller memory
using MutBytes = std::span<std::uint8_t>;      // writable view into caller memory

// One error enum for the crypto layer. `ok` is zero so `if (err != Error::ok)` reads naturally.
// New values go at the end, each with a one-line meaning.
enum class [[nodiscard]] Error : std::uint8_t {
    ok = 0,
    bad_key_length,          // key of a size the algorithm does not take
    bad_nonce_length,        // nonce/IV of a size the algorithm does not take
    bad_tag_length,          // tag size unsupported or input shorter than the tag
    bad_input_length,        // input of an impossible length (e.g. not a block multiple)
    buffer_too_small,        // caller's output buffer cannot hold the result
    output_too_long,         // requested output exceeds the algorithm's limit (e.g. HKDF 255*HashLen)
    auth_failed,             // AEAD tag or MAC mismatch; no plaintext is released
    invalid_point,           // public point not on the curve, wrong encoding, or of small order
    invalid_scalar,          // private scalar out of range (zero, >= n)
    all_zero_shared_secret,  // X25519 result is all zero (RFC 7748 §6.1, RFC 8446 §7.4.2)
    invalid_signature,       // signature does not verify or is malformed
    invalid_key,             // key material inconsistent (e.g. RSA p*q != n, even modulus)
    unsupported_key_size,    // key size outside the supported range
    unsupported_hash,        // hash algorithm not available for this operation
    message_too_long,        // message representative too long for the modulus
    encoding_error,          // EMSA encoding impossible (e.g. emLen too small for hash + salt)
    rng_failure,             // the random source failed
    fault_detected,          // internal consistency check failed (e.g. RSA-CRT result re-check)
};

// The enumerator's name, for logs and reports.
constexpr const char* error_name(Error e) {
    switch (e) {
    case Error::ok: return "ok";
    case Error::bad_key_length: return "bad_key_length";
    case Error::bad_nonce_length: return "bad_nonce_length";
    case Error::bad_tag_length: return "bad_tag_length";
    case Error::bad_input_length: return "bad_input_length";
    case Error::buffer_too_small: return "buffer_too_small";
    case Error::output_too_long: return "output_too_long";
    case Error::auth_failed: return "auth_failed";
    case Error::invalid_point: return "invalid_point";
    case Error::invalid_scalar: return "invalid_scalar";
    case Error::all_zero_shared_secret: return "all_zero_shared_secret";
    case Error::invalid_signature: return "invalid_signature";
    case Error::invalid_key: return "invalid_key";
    case Error::unsupported_key_size: return "unsupported_key_size";
    case Error::unsupported_hash: return "unsupported_hash";
    case Error::message_too_long: return "message_too_long";
    case Error::encoding_error: return "encoding_error";
    case Error::rng_failure: return "rng_failure";
    case Error::fault_detected: return "fault_detected";
    }
    return "unknown";
}

}  // namespace padlock
