// SPDX-License-Identifier: Apache-2.0
// crypto/ct.hpp: every mask helper at every unsigned width, checked exhaustively for 8 and 16 bits
// and on edge values for 32 and 64 bits against plain C++ comparisons.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

#include "crypto/ct.hpp"

using namespace padlock;

namespace {

template <class T>
void check_pair(T a, T b) {
    const T ones = std::numeric_limits<T>::max();
    INFO("a=" << std::uint64_t(a) << " b=" << std::uint64_t(b));
    REQUIRE(ct::mask_nonzero(a) == (a != 0 ? ones : T(0)));
    REQUIRE(ct::mask_zero(a) == (a == 0 ? ones : T(0)));
    REQUIRE(ct::mask_eq(a, b) == (a == b ? ones : T(0)));
    REQUIRE(ct::mask_lt(a, b) == (a < b ? ones : T(0)));
    REQUIRE(ct::select(ct::mask_lt(a, b), a, b) == (a < b ? a : b));
}

template <class T>
void check_edges() {
    const T max = std::numeric_limits<T>::max();
    const T values[] = {0, 1, 2, 3, T(max / 2), T(max / 2 + 1), T(max - 1), max, T(0x5a5a5a5a5a5a5a5aULL)};
    for (T a : values)
        for (T b : values) check_pair(a, b);
}

}  // namespace

TEST_CASE("ct masks: exhaustive over 8-bit pairs, edges at 16/32/64 bits") {
    for (unsigned a = 0; a < 256; a++)
        for (unsigned b = 0; b < 256; b++) check_pair(std::uint8_t(a), std::uint8_t(b));
    for (unsigned a = 0; a < 65536; a += 257) check_pair(std::uint16_t(a), std::uint16_t(65535 - a));
    check_edges<std::uint16_t>();
    check_edges<std::uint32_t>();
    check_edges<std::uint64_t>();
}

TEST_CASE("ct::equal compares every byte; cmov copies only under an all-ones mask") {
    std::uint8_t a[33], b[33];
    for (int i = 0; i < 33; i++) a[i] = b[i] = std::uint8_t(i * 7);
    REQUIRE(ct::equal(a, b, sizeof a));
    REQUIRE(ct::equal(Bytes(a), Bytes(b)));
    REQUIRE_FALSE(ct::equal(Bytes(a, 32), Bytes(b)));  // different lengths
    for (int i = 0; i < 33; i++)
        for (int bit = 0; bit < 8; bit++) {
            b[i] ^= std::uint8_t(1 << bit);
            REQUIRE_FALSE(ct::equal(a, b, sizeof a));
            b[i] ^= std::uint8_t(1 << bit);
        }
    std::uint8_t dst[4] = {1, 2, 3, 4};
    const std::uint8_t src[4] = {9, 9, 9, 9};
    ct::cmov(dst, src, 4, 0x00);
    REQUIRE((dst[0] == 1 && dst[3] == 4));
    ct::cmov(dst, src, 4, 0xff);
    REQUIRE((dst[0] == 9 && dst[3] == 9));
}

TEST_CASE("secure_zero clears the whole object") {
    std::uint64_t words[5] = {~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL};
    secure_zero(words);
    for (auto w : words) REQUIRE(w == 0);
}
