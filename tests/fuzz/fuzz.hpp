// SPDX-License-Identifier: Apache-2.0
// Shared by the libFuzzer harnesses in tests/fuzz: cutting one fuzzer input into fields (the
// layout tests/fuzz/make_corpus.py writes the seeds in), and failing loudly when a property breaks.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>

#include "crypto/common.hpp"

namespace padlock::fuzz {

// A broken property is a crash: libFuzzer saves the input and the short run fails.
[[noreturn]] inline void fail(const char* what, const char* file, int line) {
    std::fprintf(stderr, "fuzz property violated: %s (%s:%d)\n", what, file, line);
    std::abort();
}
#define FUZZ_CHECK(cond) ((cond) ? (void)0 : ::padlock::fuzz::fail(#cond, __FILE__, __LINE__))

// Reads fields off the front of the input. A field is a 2-byte big-endian length and that many
// bytes (fewer if the input ends first); byte() and fixed<N>() read raw bytes, zero past the end.
// Every input is usable, so mutations never fall off a parsing cliff.
class Input {
public:
    Input(const std::uint8_t* data, std::size_t size) : rest_(data, size) {}

    std::uint8_t byte() {
        if (rest_.empty()) return 0;
        const std::uint8_t b = rest_[0];
        rest_ = rest_.subspan(1);
        return b;
    }
    Bytes field() {
        std::size_t n = std::size_t(byte()) << 8;
        n |= byte();
        if (n > rest_.size()) n = rest_.size();
        const Bytes f = rest_.first(n);
        rest_ = rest_.subspan(n);
        return f;
    }
    template <std::size_t N>
    std::array<std::uint8_t, N> fixed() {
        std::array<std::uint8_t, N> out{};
        const std::size_t n = rest_.size() < N ? rest_.size() : N;
        if (n != 0) std::memcpy(out.data(), rest_.data(), n);
        rest_ = rest_.subspan(n);
        return out;
    }
    Bytes rest() const { return rest_; }

private:
    Bytes rest_;
};

inline bool equal(Bytes a, Bytes b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

}  // namespace padlock::fuzz
