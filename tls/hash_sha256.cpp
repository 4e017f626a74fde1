// SPDX-License-Identifier: Apache-2.0
// SHA-256 (FIPS 180-4) as a TLS 1.3 suite hash: TLS_AES_128_GCM_SHA256, TLS_CHACHA20_POLY1305_SHA256.
#include "tls/hash_ops.hpp"

namespace padlock::tls {
const HashOps sha256_ops = detail::HashFunctions<Sha256>::ops;
}  // namespace padlock::tls
