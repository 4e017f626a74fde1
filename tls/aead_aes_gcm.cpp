// SPDX-License-Identifier: Apache-2.0
// AES-128-GCM and AES-256-GCM (NIST SP 800-38D) as TLS 1.3 record AEADs (RFC 8446 §5.2, §B.4).
#include "tls/aead_ops.hpp"

namespace padlock::tls {

// RFC 8446 §5.5: "For AES-GCM, up to 2^24.5 full-size records (about 24 million) may be encrypted on
// a given connection while keeping a safety margin of approximately 2^-57". floor(2^24.5) = 23726566.
constexpr std::uint64_t gcm_record_limit = 23726566;

const AeadOps aes_128_gcm_ops = detail::AeadFunctions<AesGcm>::ops(16, gcm_record_limit);
const AeadOps aes_256_gcm_ops = detail::AeadFunctions<AesGcm>::ops(32, gcm_record_limit);

}  // namespace padlock::tls
