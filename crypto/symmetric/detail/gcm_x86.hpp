// SPDX-License-Identifier: Apache-2.0
// AES-GCM backends for x86-64 (crypto/symmetric/gcm_x86.cpp): AES-NI + PCLMULQDQ on 128-bit registers,
// VAES + VPCLMULQDQ on 256-bit AVX2 registers (CPUs with VAES but no AVX-512, e.g. Zen 3), and on
// 512-bit AVX-512 registers. Internal to crypto/symmetric/gcm.cpp, which selects one in AesGcm::init
// from cpu::features(). Only compiled with PADLOCK_ACCEL_X86 (accel=auto on x86-64).
#pragma once

#include "crypto/symmetric/detail/gcm_backend.hpp"

#if defined(PADLOCK_ACCEL_X86)
namespace padlock::gcm_x86 {
extern const AesGcm::Backend aesni;    // needs cpu::aesni | pclmulqdq | ssse3 | sse41
extern const AesGcm::Backend vaes256;  // needs also cpu::avx2 | vaes | vpclmulqdq
extern const AesGcm::Backend vaes512;  // needs also cpu::avx512
}  // namespace padlock::gcm_x86
#endif
