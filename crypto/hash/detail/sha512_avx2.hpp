// SPDX-License-Identifier: Apache-2.0
// SHA-384/512 compression with AVX2 and BMI2 (crypto/hash/sha512_avx2.cpp) and with AVX-512VL
// rotates in the schedule (crypto/hash/sha512_avx512.cpp), internal to
// crypto/hash/sha2.cpp's dispatch. Only compiled with PADLOCK_ACCEL_X86 (accel=auto on x86-64).
#pragma once

#include <cstddef>
#include <cstdint>

namespace padlock::sha2_x86 {
// §6.4.2 over `count` consecutive 128-byte blocks; needs cpu::avx2 | bmi2. No branch or index
// depends on the data.
void compress512_avx2(std::uint64_t state[8], const std::uint8_t* blocks, std::size_t count);
// The same with VPRORQ/VPTERNLOGQ for σ0, σ1; needs cpu::avx2 | bmi2 | avx512.
void compress512_avx512(std::uint64_t state[8], const std::uint8_t* blocks, std::size_t count);
}  // namespace padlock::sha2_x86
