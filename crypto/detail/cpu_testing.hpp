// SPDX-License-Identifier: Apache-2.0
// Internal (not installed): the test hook of crypto/cpu.hpp, for the test suites and
// `padlock vectors --backend`, kept out of the public header.
#pragma once

#include <cstdint>

#include "crypto/cpu.hpp"

namespace padlock::cpu {

#if defined(PADLOCK_ACCEL_X86)
// Cap features() at `allowed` (all ones lifts the cap). Call it only while no other thread uses
// the library; objects keyed earlier keep the backend they chose.
void restrict_for_testing(std::uint32_t allowed);
#else
inline void restrict_for_testing(std::uint32_t) {}
#endif

// Runs f with the library capped at portable, then restores the cap it had (tests that compare a
// backend with the portable code).
template <class F>
void as_portable(F f) {
    const std::uint32_t cap = features();
    restrict_for_testing(0);
    f();
    restrict_for_testing(cap);
}

}  // namespace padlock::cpu
