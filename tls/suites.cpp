// SPDX-License-Identifier: Apache-2.0
// The three TLS 1.3 cipher suites padlock implements (RFC 8446 §B.4). Each descriptor is its own
// data section; one that the program does not name is dropped with its hash and AEAD (--gc-sections).
#include "tls/suite.hpp"

namespace padlock::tls {

const CipherSuite tls_aes_128_gcm_sha256{0x1301, "TLS_AES_128_GCM_SHA256", &sha256_ops, &aes_128_gcm_ops};
const CipherSuite tls_aes_256_gcm_sha384{0x1302, "TLS_AES_256_GCM_SHA384", &sha384_ops, &aes_256_gcm_ops};
const CipherSuite tls_chacha20_poly1305_sha256{0x1303, "TLS_CHACHA20_POLY1305_SHA256", &sha256_ops,
                                               &chacha20_poly1305_ops};

}  // namespace padlock::tls
