// SPDX-License-Identifier: Apache-2.0
// The cipher suite TLS_CHACHA20_POLY1305_SHA256 (0x1303, RFC 8446 §B.4): ChaCha20-Poly1305 with SHA-256.
// One file per suite, so a program that does not name this descriptor links neither it nor what only
// it references (also in sanitizer builds, which keep every global of a linked object).
#include "tls/suite.hpp"

namespace padlock::tls {
const CipherSuite tls_chacha20_poly1305_sha256{0x1303, "TLS_CHACHA20_POLY1305_SHA256",
                     &sha256_ops, &chacha20_poly1305_ops};
}  // namespace padlock::tls
