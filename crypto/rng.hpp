// SPDX-License-Identifier: Apache-2.0
// The randomness interface. Library code never reads an entropy source itself: callers pass an
// `Rng`, a function pointer plus its context, so firmware can plug in its own TRNG/DRBG.
// `system_rng()` is the default for hosted platforms (Linux getrandom(2)).
#pragma once

#include "crypto/common.hpp"

namespace padlock {

struct Rng {
    // Fills `out` entirely with unpredictable bytes, or returns an error (never partial output).
    CryptoError (*fill)(void* ctx, MutBytes out) = nullptr;
    void* ctx = nullptr;

    CryptoError operator()(MutBytes out) const { return fill ? fill(ctx, out) : CryptoError::rng_failure; }
};

// getrandom(2)-backed generator. Returns an Rng whose calls fail with rng_failure on platforms
// without getrandom.
Rng system_rng();

}  // namespace padlock
