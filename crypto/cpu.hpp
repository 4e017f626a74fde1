// SPDX-License-Identifier: Apache-2.0
// The one place that asks the CPU what it can do (Intel SDM vol. 2A, CPUID; XGETBV for the register
// state the OS saves), and the one dispatch idiom every accelerated primitive uses (GUIDE.md).
//
// The idiom: each primitive with backends has a `Backend` struct of function pointers, one `constexpr`
// table per implementation, and a `select_backend()` that picks a table from cpu::features(). A keyed
// object (AesGcm) picks in init() and keeps the pointer; an unkeyed function (SHA-2) picks on each
// call, which costs one load and a few compares. Each primitive's header says which calls dispatch.
//
// With the Meson option accel=none, or on a target other than x86-64, PADLOCK_ACCEL_X86 is not
// defined: features() is the constant 0, no backend is compiled, and the portable code is all there is.
#pragma once

#include <cstdint>

#include "crypto/config.hpp"  // PADLOCK_ACCEL_X86

namespace padlock::cpu {

// Instruction-set extensions a backend may use. A bit is set only if the CPU has the instructions
// and the OS saves the registers they use (XCR0: SSE+AVX state for the VEX ones, plus the opmask
// and ZMM state for the EVEX ones).
enum Feature : std::uint32_t {
    ssse3 = 1u << 0,
    sse41 = 1u << 1,
    aesni = 1u << 2,
    pclmulqdq = 1u << 3,
    sha_ni = 1u << 4,
    avx2 = 1u << 5,
    bmi2 = 1u << 6,  // BMI2 and BMI1 together
    adx = 1u << 7,
    avx512 = 1u << 8,  // AVX-512 F + BW + VL (with the OS saving ZMM and opmask state)
    vaes = 1u << 9,    // VAES, with AVX2 (256-bit forms) or AVX-512 (512-bit forms)
    vpclmulqdq = 1u << 10,
    avx512ifma = 1u << 11,
};

// A backend, as the tests and `padlock vectors --backend` name it: the features it may use. Forcing
// one caps every primitive at those features, so each primitive runs its best code within them
// (a primitive with nothing for that set runs portable).
struct Named {
    const char* name;
    std::uint32_t features;
};
// Only names with code behind them are listed (a cap that ran the same code as another would be
// a test counted twice).
inline constexpr Named backends[] = {
    {"portable", 0},
    {"aesni", ssse3 | sse41 | aesni | pclmulqdq},  // AES-GCM with AES-NI + PCLMULQDQ, 128-bit
    {"shani", ssse3 | sse41 | sha_ni},             // SHA-256 with the SHA extensions
    {"bmi2", bmi2},  // 64-bit MULX arithmetic: P-256 field and scalar, X25519
    {"avx2", avx2 | bmi2},                          // ChaCha20 eight blocks a pass; SHA-512 schedule
    // VAES + VPCLMULQDQ GCM on 256-bit registers (a CPU with VAES but no AVX-512, e.g. Zen 3)
    {"vaes256", ssse3 | sse41 | aesni | pclmulqdq | avx2 | vaes | vpclmulqdq},
    // VAES + VPCLMULQDQ GCM on 512-bit registers; ChaCha20 sixteen blocks a pass; the SHA-512
    // schedule with VPRORQ/VPTERNLOGQ
    {"avx512", ssse3 | sse41 | aesni | pclmulqdq | avx2 | bmi2 | adx | avx512 | vaes | vpclmulqdq},
    // All of avx512, plus the 52-bit multiply-add (IFMA): Poly1305 eight blocks a pass, the X25519
    // ladder four-way, and RSA's Montgomery arithmetic in radix 2^52 (both CRT halves side by side)
    {"ifma", ssse3 | sse41 | aesni | pclmulqdq | avx2 | bmi2 | adx | avx512 | vaes | vpclmulqdq | avx512ifma},
};

#if defined(PADLOCK_ACCEL_X86)
// The features of this CPU (detected once, on first use), capped by the test hook
// restrict_for_testing (crypto/detail/cpu_testing.hpp).
std::uint32_t features();
// The features of this CPU, ignoring any cap.
std::uint32_t detected();
#else
constexpr std::uint32_t features() { return 0; }
constexpr std::uint32_t detected() { return 0; }
#endif

inline bool has(std::uint32_t wanted) { return (features() & wanted) == wanted; }

// Whether this CPU can run a named backend (all of its features are detected).
inline bool supported(const Named& b) { return (detected() & b.features) == b.features; }

}  // namespace padlock::cpu
