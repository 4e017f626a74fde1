// SPDX-License-Identifier: Apache-2.0
#include "tools/bench.hpp"

#include <cstdio>

namespace padlock::bench {

int run(const Options&) {
    std::fprintf(stderr, "padlock bench: not written yet\n");
    return 1;
}

}  // namespace padlock::bench
