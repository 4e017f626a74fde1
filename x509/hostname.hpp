// SPDX-License-Identifier: Apache-2.0
// Service identity verification (RFC 9525, which obsoletes RFC 6125) for TLS servers: a DNS name
// against the certificate's subjectAltName dNSName entries, an IPv4/IPv6 address against its
// iPAddress entries. The subject's common name is never used (RFC 9525 §6.3: no CN-ID fallback).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "x509/certificate.hpp"

namespace padlock::x509 {

// Checks `reference` (the name or address the client meant to reach, e.g. "www.example.com",
// "192.0.2.1", "2001:db8::1") against cert's subjectAltName (RFC 9525 §6.1-§6.4):
//   - an IPv4 dotted quad or an IPv6 text address (RFC 4291 §2.2) is compared with iPAddress
//     entries only, octet for octet (§6.4); never with a dNSName, never by wildcard;
//   - anything else must be a valid DNS name (LDH labels of 1-63 octets, at most 253 octets, one
//     trailing dot allowed) and is compared with dNSName entries only (§6.3): ASCII case-insensitive,
//     so A-labels ("xn--...") compare as the ASCII they are; no U-label conversion is done.
//   - a wildcard matches only as the whole left-most label ("*.example.com"), stands for exactly
//     one non-empty label, and only when at least two labels follow it: "*.com" style names that
//     would cover a top-level domain never match. There is no Public Suffix List, so "*.co.uk" is
//     not caught by this rule.
// ok, bad_reference_identifier, no_subject_alt_name or hostname_mismatch.
X509Error verify_hostname(const Certificate& cert, std::string_view reference);

// The building blocks, for tests and for callers with names from elsewhere.
// One presented dNSName against one reference DNS name, by the rules above.
[[nodiscard]] bool dns_name_matches(Bytes presented, std::string_view reference);
// Parses an IPv4 (4 octets) or IPv6 (16 octets) text address; false if `text` is neither. IPv4
// parts are decimal 0-255 without leading zeros (so "010.0.0.1", octal to inet_aton, is refused).
[[nodiscard]] bool parse_ip_address(std::string_view text, std::span<std::uint8_t, 16> out, std::size_t& length);

}  // namespace padlock::x509
