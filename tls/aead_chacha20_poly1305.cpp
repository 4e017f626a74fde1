// SPDX-License-Identifier: Apache-2.0
// ChaCha20-Poly1305 (RFC 8439) as a TLS 1.3 record AEAD (RFC 8446 §5.2, §B.4).
#include "tls/aead_ops.hpp"

namespace padlock::tls {

// RFC 8446 §5.5 sets no ChaCha20-Poly1305 record limit below the 2^64 sequence numbers (RFC 8439
// §2.8 allows 2^64 nonces per key); the sequence-number wrap check (§5.3) is the only bound.
const AeadOps chacha20_poly1305_ops = detail::AeadFunctions<ChaCha20Poly1305>::ops(32, UINT64_MAX);

}  // namespace padlock::tls
