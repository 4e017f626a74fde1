// SPDX-License-Identifier: Apache-2.0
// Errors of the asn1 layer: one value per reason a DER, PEM or key encoding is refused, each with
// the clause that forbids it (X.690 = ITU-T X.690 (02/2021), BER/DER encoding rules).
#pragma once

#include <cstdint>

namespace padlock::asn1 {

enum class [[nodiscard]] Asn1Error : std::uint8_t {
    ok = 0,
    // --- DER element framing (X.690 §8.1, §10.1) ---
    truncated,                 // input ends inside a tag, length or contents (§8.1.1)
    trailing_data,             // bytes left where the structure must end (§8.1.1: one element)
    bad_tag,                   // an element with a different tag than the structure requires
    high_tag_number,           // tag number >= 31 (§8.1.2.4); never needed by PKIX, refused
    indefinite_length,         // length octet 0x80 (§8.1.3.6); DER requires definite form (§10.1)
    non_minimal_length,        // long form where short fits, or leading zero length octet (§10.1)
    length_too_long,           // more than 4 length octets, or 0xFF (reserved, §8.1.3.5 c)
    // --- primitive types ---
    empty_integer,             // INTEGER with no content octets (§8.3.1)
    non_minimal_integer,       // first 9 bits all 0 or all 1 (§8.3.2)
    negative_integer,          // a negative INTEGER where only positive values make sense
    integer_too_large,         // INTEGER larger than the caller's machine integer
    bad_bit_string_padding,    // unused bits > 7, unused bits with no content (§8.6.2.2-3), or nonzero padding bits (§11.2.1)
    bit_string_not_octet_aligned,  // key BIT STRING with unused bits (RFC 5280 §4.1 subjectPublicKey)
    bad_boolean,               // BOOLEAN not one octet (§8.2.1) or not 0x00/0xFF (§11.1)
    bad_null,                  // NULL with content (§8.8.2)
    bad_oid,                   // empty OID, subidentifier with leading 0x80 (§8.19.2) or cut short
    bad_string,                // character not allowed in PrintableString/IA5String, or bad UTF-8
    bad_time,                  // not YYMMDDHHMMSSZ / YYYYMMDDHHMMSSZ or not a real date (RFC 5280 §4.1.2.5)
    // --- key encodings ---
    unknown_algorithm,         // AlgorithmIdentifier OID we do not know (RFC 5280 §4.1.1.2)
    bad_parameters,            // algorithm parameters present/absent against the spec (RFC 3279, 5480, 8410)
    bad_version,               // version field not the one the structure allows
    unsupported_curve,         // namedCurve we do not implement (RFC 5480 §2.1.1.1)
    bad_key,                   // key material of the wrong size or form for its algorithm
    // --- PEM (RFC 7468) ---
    pem_not_found,             // no further -----BEGIN ...----- line in the text
    bad_pem,                   // malformed boundary, label mismatch, bad base64 or headers (RFC 7468 §2-3)
    // --- writer / caller ---
    buffer_too_small,          // caller's output buffer cannot hold the result (STYLE.md §5)
    bad_argument,              // a writer was given something it cannot encode (e.g. unbalanced nesting)
};

// A short name for the error, for diagnostics ("non_minimal_length").
const char* error_name(Asn1Error e);

}  // namespace padlock::asn1
