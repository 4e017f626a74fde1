// SPDX-License-Identifier: Apache-2.0
// PEM textual encoding (RFC 7468): "-----BEGIN label-----", base64 lines (RFC 4648 §4),
// "-----END label-----". Decoding is strict base64 with line breaks and trailing blanks allowed;
// text outside the boundaries is ignored (RFC 7468 §2), so several blocks can share one file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "asn1/error.hpp"
#include "crypto/common.hpp"

namespace padlock::asn1 {

struct PemBlock {
    Bytes label;               // e.g. "PUBLIC KEY"; a view into the text
    std::size_t der_len = 0;   // bytes written to der_out
};

// Finds the next block at or after `pos`, decodes it into `der_out` and moves `pos` past its END
// line. pem_not_found when no BEGIN line is left; on any error `pos` and `block` are unchanged
// and whatever was already decoded into der_out is wiped (no partial output). The base64 alphabet
// is mapped in constant time (no table, no branch on a character's value); line structure and
// errors are public. Wipe der_out after use when it holds a private key.
Asn1Error pem_decode_next(Bytes text, std::size_t& pos, PemBlock& block, MutBytes der_out);

// Writes "-----BEGIN label-----\n", base64 in 64-column lines, "-----END label-----\n"
// (RFC 7468 §2 generators). The base64 mapping is constant time, as in decoding.
// bad_argument for a label outside the RFC 7468 §3 grammar (e.g. "A--B", " A", "A-"), which
// pem_decode_next would refuse; buffer_too_small when out is shorter than pem_encoded_size.
Asn1Error pem_encode(Bytes label, Bytes der, MutBytes out, std::size_t& length);

// Bytes needed by pem_encode for a label and DER of these sizes.
constexpr std::size_t pem_encoded_size(std::size_t label_len, std::size_t der_len) {
    const std::size_t b64 = (der_len + 2) / 3 * 4;
    const std::size_t lines = (b64 + 63) / 64;
    // "-----BEGIN " label "-----\n", the base64 with one "\n" per line, "-----END " label "-----\n".
    return (11 + label_len + 6) + b64 + lines + (9 + label_len + 6);
}

}  // namespace padlock::asn1
