// SPDX-License-Identifier: Apache-2.0
// AES-GCM backends for x86-64 (crypto/symmetric/gcm_x86.cpp): AES-NI + PCLMULQDQ on 128-bit registers, and
// VAES + VPCLMULQDQ on 512-bit AVX-512 registers. Internal to crypto/symmetric/gcm.cpp, which selects one in
// AesGcm::init from cpu::features(). Only compiled with PADLOCK_ACCEL_X86 (accel=auto on x86-64).
#pragma once

#include <cstdint>

#include "crypto/common.hpp"
#include "crypto/symmetric/gcm.hpp"

#if defined(PADLOCK_ACCEL_X86)
namespace padlock {

// One x86 implementation of the whole of SP 800-38D §7.1/§7.2 for the checked arguments (lengths and
// aliasing already validated by AesGcm). Constant time: AES-NI and carry-less multiply instructions
// only, every branch and index on lengths.
struct AesGcm::X86Backend {
    const char* name;
    // FIPS 197 §5.2 KeyExpansion and H, H^2, ..., H^16 (SP 800-38D §7.1 step 1) into k.
    void (*init)(X86Key& k, Bytes key);
    void (*seal)(const X86Key& k, Bytes iv, Bytes aad, const std::uint8_t* in, std::uint8_t* out, std::size_t n,
                 std::uint8_t tag[16]);
    // §7.2 in two passes, as the portable code does: the expected tag first (GHASH of the
    // ciphertext), and only after the caller has compared it in constant time, the decryption.
    void (*tag_of_ciphertext)(const X86Key& k, Bytes iv, Bytes aad, Bytes ciphertext, std::uint8_t tag[16]);
    void (*decrypt)(const X86Key& k, Bytes iv, const std::uint8_t* in, std::uint8_t* out, std::size_t n);
};

namespace gcm_x86 {
extern const AesGcm::X86Backend aesni;   // needs cpu::aesni | pclmulqdq | ssse3 | sse41
extern const AesGcm::X86Backend vaes512; // needs also cpu::avx512 | vaes | vpclmulqdq | avx2
}  // namespace gcm_x86

}  // namespace padlock
#endif
