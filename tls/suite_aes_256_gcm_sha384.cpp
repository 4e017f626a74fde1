// SPDX-License-Identifier: Apache-2.0
// The cipher suite TLS_AES_256_GCM_SHA384 (0x1302, RFC 8446 §B.4): AES-256-GCM with SHA-384.
// One file per suite, so a program that does not name this descriptor links neither it nor what only
// it references (also in sanitizer builds, which keep every global of a linked object).
#include "tls/suite.hpp"

namespace padlock::tls {
const CipherSuite tls_aes_256_gcm_sha384{0x1302, "TLS_AES_256_GCM_SHA384", &sha384_ops, &aes_256_gcm_ops};
}  // namespace padlock::tls
