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

}  // namespace padlock::cpu
