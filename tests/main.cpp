// SPDX-License-Identifier: Apache-2.0
// Catch2 (v2) entry point shared by every test program. `--backend NAME` (first argument) caps the
// library at one accelerated backend (crypto/cpu.hpp) before any test runs, so the same tests run
// once per backend. A backend this CPU lacks is reported as not run (exit 77, which meson counts as
// SKIP), never as passed; an unknown name is an error.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstring>

#include "crypto/detail/cpu_testing.hpp"

int main(int argc, char** argv) {
    if (argc >= 3 && std::strcmp(argv[1], "--backend") == 0) {
        const padlock::cpu::Named* chosen = nullptr;
        for (const auto& b : padlock::cpu::backends)
            if (std::strcmp(b.name, argv[2]) == 0) chosen = &b;
        if (chosen == nullptr) {
            std::fprintf(stderr, "unknown backend '%s'\n", argv[2]);
            return 2;
        }
        if (!padlock::cpu::supported(*chosen)) {
            std::printf("backend %s: not run (this CPU or build lacks its instructions)\n", chosen->name);
            return 77;
        }
        padlock::cpu::restrict_for_testing(chosen->features);
        std::printf("backend %s\n", chosen->name);
        argv[2] = argv[0];
        argc -= 2;
        argv += 2;
    }
    return Catch::Session().run(argc, argv);
}
