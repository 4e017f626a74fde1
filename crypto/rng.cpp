// SPDX-License-Identifier: Apache-2.0
// Default random source: Linux getrandom(2), which blocks only until the kernel pool is seeded.
#include "crypto/rng.hpp"
#include "crypto/ct.hpp"

#if defined(__linux__)
#include <sys/random.h>
#include <cerrno>
#endif

namespace padlock {

static CryptoError getrandom_fill(void*, MutBytes out) {
#if defined(__linux__)
    std::size_t done = 0;
    while (done < out.size()) {
        ssize_t n = getrandom(out.data() + done, out.size() - done, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            secure_zero(out.data(), out.size());
            return CryptoError::rng_failure;
        }
        done += std::size_t(n);
    }
    return CryptoError::ok;
#else
    (void)out;
    return CryptoError::rng_failure;
#endif
}

Rng system_rng() { return Rng{getrandom_fill, nullptr}; }

}  // namespace padlock
