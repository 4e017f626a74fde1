// SPDX-License-Identifier: Apache-2.0
// ChaCha20 key stream on many blocks at once for x86-64 (crypto/symmetric/chacha20_x86.cpp): AVX2 (8 blocks per
// pass) and AVX-512 (16 blocks per pass). Internal to the dispatch of crypto/symmetric/chacha20.cpp and
// chacha20_poly1305.cpp; compiled only with PADLOCK_ACCEL_X86 (accel=auto on x86-64).
#pragma once

#include <cstddef>
#include <cstdint>

namespace padlock::chacha20_x86 {
// RFC 8439 §2.4 over the whole passes that fit in n bytes: out = (in XOR key stream from block
// state[12]) AND keep (0xff or 0, on every byte: see chacha20_xor_keep); state[12] is advanced past the blocks used and the number of bytes done is returned (the
// caller finishes the rest). in == out is allowed. Constant time.
std::size_t xor_avx2(std::uint32_t state[16], const std::uint8_t* in, std::uint8_t* out, std::size_t n,
                     std::uint8_t keep);
std::size_t xor_avx512(std::uint32_t state[16], const std::uint8_t* in, std::uint8_t* out, std::size_t n,
                       std::uint8_t keep);

// The eight key-stream blocks for block counters counters[0..7] (any eight, not necessarily
// consecutive), in that order, into out. Constant time.
void keystream_avx2(const std::uint32_t state[16], const std::uint32_t counters[8], std::uint8_t out[512]);

}  // namespace padlock::chacha20_x86
