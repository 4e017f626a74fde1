// SPDX-License-Identifier: Apache-2.0
// Distinguished name comparison (RFC 5280 §7.1): RDN by RDN in order, attributes as a set within
// an RDN, values compared after the caseIgnoreMatch preparation that matters for ASCII.
#pragma once

#include "x509/certificate.hpp"

namespace padlock::x509 {

// Two names match (§7.1): same number of RDNs, matching RDNs in the same order; two RDNs match when
// they hold the same number of attributes and each of one has a match in the other; two attributes
// match when their types are equal and their values match:
//   - PrintableString, UTF8String and IA5String values (in any mix of these three types) match when
//     equal after RFC 4518 insignificant space handling (§2.6.1: leading and trailing spaces dropped,
//     inner runs of spaces as one) and ASCII case folding. Bytes >= 0x80 (non-ASCII UTF-8) are
//     compared exactly: there is no Unicode case folding or normalisation (RFC 4518 §2.2-2.4), so
//     two spellings that differ only there do not match (fails closed).
//   - values of any other type (TeletexString, BMPString, UniversalString, non-strings) match only
//     when tag and bytes are identical (binary comparison).
[[nodiscard]] bool names_match(const Name& a, const Name& b);

// §7.1: `name` is within the subtree `base` when it has at least as many RDNs and its leading RDNs
// match base's (for directoryName name constraints, §4.2.1.10).
[[nodiscard]] bool name_within_subtree(const Name& name, const Name& base);

}  // namespace padlock::x509
