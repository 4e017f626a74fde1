// SPDX-License-Identifier: Apache-2.0
// SHA-384 (FIPS 180-4) as a TLS 1.3 suite hash: TLS_AES_256_GCM_SHA384.
#include "tls/hash_ops.hpp"

namespace padlock::tls {
const HashOps sha384_ops = detail::HashFunctions<Sha384>::ops;
}  // namespace padlock::tls
