// SPDX-License-Identifier: Apache-2.0
// X.509 validity times (RFC 5280 §4.1.2.5): UTCTime YYMMDDHHMMSSZ (§4.1.2.5.1, years 1950-2049)
// and GeneralizedTime YYYYMMDDHHMMSSZ (§4.1.2.5.2), both in UTC with seconds and no fractions.
#pragma once

#include <cstddef>
#include <cstdint>

#include "asn1/der.hpp"
#include "asn1/error.hpp"

namespace padlock::asn1 {

struct Time {
    int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
};

// Reads the RFC 5280 Time CHOICE (certificate validity, CRL thisUpdate/nextUpdate): UTCTime or
// GeneralizedTime; bad_time for any form RFC 5280 does not allow (missing Z or seconds, fractional
// seconds, offsets, month 13, 30 February, 24:00:00, ...). A GeneralizedTime in 1950-2049, which
// §4.1.2.5 tells CAs to write as UTCTime, is accepted (trusted roots carry it); the caller can tell
// by the tag. What read_time accepts, write_time (UTCTime) or write_generalized_time
// (GeneralizedTime) writes back unchanged.
Asn1Error read_time(Reader& r, Time& out);

// Reads a GeneralizedTime element of any year 0000-9999 in the same profile (§4.1.2.5.2: Z,
// seconds, no fractions), for fields that are GeneralizedTime whatever the year (the CRL
// invalidityDate, RFC 5280 §5.3.2; OCSP's producedAt / thisUpdate, RFC 6960 §4.2.1).
// bad_tag for a UTCTime.
Asn1Error read_generalized_time(Reader& r, Time& out);

// Seconds since 1970-01-01T00:00:00Z (negative before); ordering two Times compares these.
std::int64_t to_unix_seconds(const Time& t);

// The inverse of to_unix_seconds, for years 0001-9999 (what write_time can encode); bad_argument
// outside that range.
Asn1Error from_unix_seconds(std::int64_t seconds, Time& out);

// Writes UTCTime for 1950-2049 and GeneralizedTime otherwise (RFC 5280 §4.1.2.5).
// bad_argument for years outside 0-9999 or an invalid date.
Asn1Error write_time(Writer& w, const Time& t);

// Writes GeneralizedTime whatever the year (the counterpart of read_generalized_time).
Asn1Error write_generalized_time(Writer& w, const Time& t);

}  // namespace padlock::asn1
