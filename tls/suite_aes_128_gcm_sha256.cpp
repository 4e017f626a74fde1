// SPDX-License-Identifier: Apache-2.0
// The cipher suite TLS_AES_128_GCM_SHA256 (0x1301, RFC 8446 §B.4): AES-128-GCM with SHA-256.
// One file per suite, so a program that does not name this descriptor links neither it nor what only
// it references (also in sanitizer builds, which keep every global of a linked object).
#include "tls/suite.hpp"

namespace padlock::tls {
const CipherSuite tls_aes_128_gcm_sha256{0x1301, "TLS_AES_128_GCM_SHA256", &sha256_ops, &aes_128_gcm_ops};
}  // namespace padlock::tls
