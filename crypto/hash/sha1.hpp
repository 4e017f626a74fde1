// SPDX-License-Identifier: Apache-2.0
// SHA-1 (FIPS 180-4 §6.1). WEAK: collisions are practical (SHAttered, 2017). It exists only to
// verify legacy signatures and for HKDF/HMAC test vectors; never use it for anything new.
// Runs in time that depends only on the message length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/common.hpp"

namespace padlock {

namespace detail {

// Working state of SHA-1: the chaining value H (§6.1), a partial block, and the length so far.
struct Sha1State {
    std::uint32_t h[5];
    std::uint8_t block[64];
    std::uint64_t bytes;     // message length in bytes
    std::size_t used;        // bytes waiting in `block`, always < 64
};

void sha1_init(Sha1State& s);
void sha1_update(Sha1State& s, Bytes data);
// Pads (§5.1.1), writes the first out_len (<= 20) bytes of H big-endian, then wipes the state.
void sha1_finish(Sha1State& s, std::uint8_t* out, std::size_t out_len);

}  // namespace detail

// SHA-1 — weak, legacy signature verification only (see above).
class Sha1 {
public:
    static constexpr std::size_t digest_size = 20, block_size = 64;
    Sha1();                                     // ready to use
    ~Sha1();                                    // wipes the state
    Sha1(const Sha1&) = default;
    Sha1& operator=(const Sha1&) = default;
    void update(Bytes data);
    // Writes the digest, then wipes and re-initialises the state.
    void final(std::span<std::uint8_t, digest_size> out);
    static void hash(Bytes data, std::span<std::uint8_t, digest_size> out);
private:
    detail::Sha1State s_;
};

}  // namespace padlock
