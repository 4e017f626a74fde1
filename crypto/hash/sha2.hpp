// SPDX-License-Identifier: Apache-2.0
// SHA-224, SHA-256, SHA-384 and SHA-512 (FIPS 180-4 §5-§6): streaming contexts and one-shot helpers.
// SHA-224 is SHA-256 with other initial values and a truncated output (§6.3); SHA-384 likewise of
// SHA-512 (§6.5). None of these functions branch on the data: hashing runs in time that depends
// only on the total length, so they are safe on secrets (keys, shared secrets, passwords).
// Dispatch (crypto/cpu.hpp): every call that compresses (update, final, hash) picks the compression
// function from cpu::features(): SHA-256/224 use SHA-NI where the CPU has it; SHA-384/512 use AVX2
// + BMI2 where the CPU has them (crypto/hash/sha512_avx2.cpp); else the portable code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/common.hpp"

namespace padlock {

namespace detail {

// Working state of SHA-224/256: the chaining value H (§6.2), a partial block, and the length so far.
struct Sha256State {
    std::uint32_t h[8];
    std::uint8_t block[64];
    std::uint64_t bytes;     // message length in bytes (the padding needs it in bits, §5.1.1)
    std::size_t used;        // bytes waiting in `block`, always < 64
};
// Working state of SHA-384/512 (§6.4).
struct Sha512State {
    std::uint64_t h[8];
    std::uint8_t block[128];
    std::uint64_t bytes;     // messages of 2^64 bytes or more are not supported (§5.1.2 allows 2^128 bits)
    std::size_t used;        // bytes waiting in `block`, always < 128
};

void sha224_init(Sha256State& s);
void sha256_init(Sha256State& s);
void sha256_update(Sha256State& s, Bytes data);
// Pads (§5.1.1), writes the first out_len (<= 32) bytes of H big-endian, then wipes the state.
void sha256_finish(Sha256State& s, std::uint8_t* out, std::size_t out_len);

void sha384_init(Sha512State& s);
void sha512_init(Sha512State& s);
void sha512_update(Sha512State& s, Bytes data);
// Pads (§5.1.2), writes the first out_len (<= 64) bytes of H big-endian, then wipes the state.
void sha512_finish(Sha512State& s, std::uint8_t* out, std::size_t out_len);

// The backend the next call would use for a block size of 64 (SHA-224/256) or 128 (SHA-384/512):
// "portable" or "shani" (64), "portable" or "avx2" (128). For tests and the benchmark.
const char* sha2_backend_name(std::size_t block_size);

}  // namespace detail

// SHA-256 (FIPS 180-4 §6.2). Usage: construct, update() any number of times, final().
class Sha256 {
public:
    static constexpr std::size_t digest_size = 32, block_size = 64;
    Sha256();                                   // ready to use
    ~Sha256();                                  // wipes the state (it may hold secret input)
    Sha256(const Sha256&) = default;            // copying a keyed state is how HMAC reuses it
    Sha256& operator=(const Sha256&) = default;
    void update(Bytes data);
    // Writes the digest, then wipes and re-initialises the state.
    void final(std::span<std::uint8_t, digest_size> out);
    static void hash(Bytes data, std::span<std::uint8_t, digest_size> out);
private:
    detail::Sha256State s_;
};

// SHA-224 (FIPS 180-4 §6.3).
class Sha224 {
public:
    static constexpr std::size_t digest_size = 28, block_size = 64;
    Sha224();
    ~Sha224();
    Sha224(const Sha224&) = default;
    Sha224& operator=(const Sha224&) = default;
    void update(Bytes data);
    void final(std::span<std::uint8_t, digest_size> out);
    static void hash(Bytes data, std::span<std::uint8_t, digest_size> out);
private:
    detail::Sha256State s_;
};

// SHA-512 (FIPS 180-4 §6.4).
class Sha512 {
public:
    static constexpr std::size_t digest_size = 64, block_size = 128;
    Sha512();
    ~Sha512();
    Sha512(const Sha512&) = default;
    Sha512& operator=(const Sha512&) = default;
    void update(Bytes data);
    void final(std::span<std::uint8_t, digest_size> out);
    static void hash(Bytes data, std::span<std::uint8_t, digest_size> out);
private:
    detail::Sha512State s_;
};

// SHA-384 (FIPS 180-4 §6.5).
class Sha384 {
public:
    static constexpr std::size_t digest_size = 48, block_size = 128;
    Sha384();
    ~Sha384();
    Sha384(const Sha384&) = default;
    Sha384& operator=(const Sha384&) = default;
    void update(Bytes data);
    void final(std::span<std::uint8_t, digest_size> out);
    static void hash(Bytes data, std::span<std::uint8_t, digest_size> out);
private:
    detail::Sha512State s_;
};

}  // namespace padlock
