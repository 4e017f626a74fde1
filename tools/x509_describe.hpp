// SPDX-License-Identifier: Apache-2.0
// What `padlock x509 show` prints about a certificate: every field of RFC 5280 §4.1 and every
// extension of §4.2 decoded, as JSON (for machines) and as indented text (for people).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "x509/certificate.hpp"

namespace padlock::tools {

// A Name in RFC 4514 attribute syntax, in the certificate's RDN order (most significant first,
// as `openssl x509 -nameopt ...` without reversal): "C=US, O=Example, CN=Root"; the attributes of
// a multi-valued RDN joined by " + ".
std::string name_text(const x509::Name& name);
std::string time_text(const asn1::Time& t);  // ISO 8601 "2026-12-02T07:42:43Z"
std::string hex(Bytes b);                     // lowercase, no separators
std::string sha256_fingerprint(Bytes der);    // lowercase hex of SHA-256(der)

nlohmann::ordered_json describe_certificate(const x509::Certificate& cert);
// The same, as the indented text `show` prints (one "key: value" a line).
std::string describe_text(const nlohmann::ordered_json& description);

}  // namespace padlock::tools
