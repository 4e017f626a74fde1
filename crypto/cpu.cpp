// SPDX-License-Identifier: Apache-2.0
// x86-64 feature detection: CPUID leaves 1 and 7 (Intel SDM vol. 2A, "CPUID"), and XGETBV of XCR0
// (SDM vol. 1 §13.3) to learn which register state the OS saves. Compiled only with accel=auto on
// x86-64 (crypto/meson.build).
#include "crypto/detail/cpu_testing.hpp"

#include <atomic>

#include <cpuid.h>

namespace padlock::cpu {
namespace {

std::uint64_t xgetbv0() {
    std::uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (std::uint64_t(hi) << 32) | lo;
}

std::uint32_t probe() {
    unsigned a, b, c, d;
    if (__get_cpuid(1, &a, &b, &c, &d) == 0) return 0;
    std::uint32_t f = 0;
    const unsigned c1 = c;
    if (c1 & (1u << 9)) f |= ssse3;
    if (c1 & (1u << 19)) f |= sse41;
    if (c1 & (1u << 25)) f |= aesni;
    if (c1 & (1u << 1)) f |= pclmulqdq;
    // XMM/YMM state (XCR0 bits 1, 2) must be enabled by the OS for AVX; opmask and ZMM state
    // (bits 5, 6, 7) for AVX-512. OSXSAVE (leaf 1 ECX bit 27) says XGETBV may be executed.
    const bool osxsave = (c1 & (1u << 27)) != 0;
    const std::uint64_t xcr0 = osxsave ? xgetbv0() : 0;
    const bool avx_state = (xcr0 & 0x6) == 0x6 && (c1 & (1u << 28)) != 0;
    const bool zmm_state = avx_state && (xcr0 & 0xe0) == 0xe0;
    if (__get_cpuid_max(0, nullptr) < 7) return f;
    __cpuid_count(7, 0, a, b, c, d);
    if (b & (1u << 29)) f |= sha_ni;
    if ((b & (1u << 8)) && (b & (1u << 3))) f |= bmi2;  // with BMI1 (ANDN), which every BMI2 CPU has
    if (b & (1u << 19)) f |= adx;
    if (avx_state && (b & (1u << 5))) f |= avx2;
    // AVX-512 F (EBX 16), BW (EBX 30), VL (EBX 31).
    const unsigned f_bw_vl = (1u << 16) | (1u << 30) | (1u << 31);
    if (zmm_state && (b & f_bw_vl) == f_bw_vl) f |= avx512;
    if ((f & avx512) && (b & (1u << 21))) f |= avx512ifma;
    if (avx_state && (c & (1u << 9))) f |= vaes;
    if (avx_state && (c & (1u << 10))) f |= vpclmulqdq;
    return f;
}

constexpr std::uint32_t unknown = 1u << 31;  // never a feature bit
std::atomic<std::uint32_t> detected_features{unknown};
std::atomic<std::uint32_t> allowed_features{~0u};

}  // namespace

std::uint32_t detected() {
    std::uint32_t f = detected_features.load(std::memory_order_relaxed);
    if (f == unknown) {  // racing first callers compute the same value
        f = probe();
        detected_features.store(f, std::memory_order_relaxed);
    }
    return f;
}

std::uint32_t features() { return detected() & allowed_features.load(std::memory_order_relaxed); }

void restrict_for_testing(std::uint32_t allowed) { allowed_features.store(allowed, std::memory_order_relaxed); }

}  // namespace padlock::cpu
