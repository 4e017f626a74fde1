// SPDX-License-Identifier: Apache-2.0
// ChaCha20 stream cipher, RFC 8439 §2.1-2.4: the quarter round, the block function and the
// counter-mode encryption built on it (32-byte key, 96-bit nonce, 32-bit block counter).
// Dispatch (crypto/cpu.hpp): chacha20_xor (and so ChaCha20-Poly1305) picks its backend on each call
// from cpu::features(): AVX-512 (16 blocks a pass), else AVX2 (8), else portable; chacha20_block is
// always portable.
#pragma once

#include <cstdint>
#include <span>

#include "crypto/common.hpp"

namespace padlock {

inline constexpr std::size_t chacha20_key_size = 32;
inline constexpr std::size_t chacha20_nonce_size = 12;
inline constexpr std::size_t chacha20_block_size = 64;

// The quarter round QUARTERROUND(a, b, c, d) on a whole state (RFC 8439 §2.1-2.2), exposed for the
// known-answer tests. Indices must be distinct and below 16.
void chacha20_quarter_round(std::span<std::uint32_t, 16> state, int a, int b, int c, int d);

// The RFC 8439 §2.3 initial state: the constants, the key, the block counter, the nonce. Exposed
// for ChaCha20-Poly1305's AVX2 composition (chacha20_poly1305.cpp).
void chacha20_state(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 12> nonce,
                    std::uint32_t counter, std::uint32_t state[16]);

// The ChaCha20 block function (RFC 8439 §2.3): one 64-byte key-stream block for `counter`.
// Exposed for the known-answer tests and for Poly1305 key generation (§2.6). Constant time.
void chacha20_block(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 12> nonce,
                    std::uint32_t counter, std::span<std::uint8_t, 64> out);

// ChaCha20 encryption (RFC 8439 §2.4): out = in XOR key stream, starting at block `counter`.
// Decryption is the same call. `out` must be at least in.size() bytes; in-place (out.data() ==
// in.data()) is allowed, other overlaps are not. The caller keeps in.size() within the 2^32-block
// counter space (RFC 8439 §2.4: at most 256 GB per nonce). Constant time.
void chacha20_xor(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 12> nonce,
                  std::uint32_t counter, Bytes in, MutBytes out);

// chacha20_xor with every output byte ANDed with keep, 0xff or 0: with 0 out gets zeros. For
// ChaCha20-Poly1305 open, which knows its verdict before it decrypts and so withholds a forged
// text without a second pass over out. Constant time, in keep too.
void chacha20_xor_keep(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 12> nonce,
                       std::uint32_t counter, Bytes in, MutBytes out, std::uint8_t keep);

// The backend chacha20_xor would use now: "portable", "avx2" or "avx512". For tests and the benchmark.
const char* chacha20_backend_name();

}  // namespace padlock
