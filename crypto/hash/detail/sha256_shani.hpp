// SPDX-License-Identifier: Apache-2.0
// SHA-256 compression with the x86 SHA extensions (crypto/hash/sha256_shani.cpp), internal to
// crypto/hash/sha2.cpp's dispatch. Only compiled with PADLOCK_ACCEL_X86 (accel=auto on x86-64).
#pragma once

#include <cstddef>
#include <cstdint>

namespace padlock::sha2_x86 {
// §6.2.2 over `count` consecutive 64-byte blocks; needs cpu::sha_ni | ssse3 | sse41. No branch or
// index depends on the data.
void compress256_shani(std::uint32_t state[8], const std::uint8_t* blocks, std::size_t count);
}  // namespace padlock::sha2_x86
