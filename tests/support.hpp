// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the Catch2 unit tests: hex in and out, fixed-size byte views, property-test filler
// and the loader for the known-answer files under vectors/ (PADLOCK_KAT_DIR, from tests/meson.build).
#pragma once

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/common.hpp"
#include "crypto/hash/hash.hpp"

#ifndef PADLOCK_KAT_DIR
#error "PADLOCK_KAT_DIR (absolute path of vectors/) comes from tests/meson.build"
#endif

namespace padlock::test {

using Buf = std::vector<std::uint8_t>;

// Hex digits to bytes. Spaces are skipped so long encodings can be grouped ("3006 0201 05").
// Malformed test data (an odd count or a non-hex character) fails the test instead of being
// truncated. A JSON string converts to std::string implicitly; a non-string throws.
inline Buf unhex(const std::string& h) {
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string digits;
    for (char c : h)
        if (c != ' ') digits += c;
    bool well_formed = digits.size() % 2 == 0;
    for (char c : digits) well_formed = well_formed && nibble(c) >= 0;
    INFO("hex input \"" << h << "\"");
    REQUIRE(well_formed);
    Buf out(digits.size() / 2);
    for (std::size_t i = 0; i < out.size(); i++)
        out[i] = std::uint8_t((nibble(digits[2 * i]) << 4) | nibble(digits[2 * i + 1]));
    return out;
}

// Lower-case hex. Tests compare hex(got) == hex(want) so a failure prints both values readably.
inline std::string hex(Bytes b) {
    static const char digits[] = "0123456789abcdef";
    std::string s;
    s.reserve(2 * b.size());
    for (std::uint8_t x : b) {
        s += digits[x >> 4];
        s += digits[x & 15];
    }
    return s;
}

// The characters of s as bytes; the view lives only as long as s.
inline Bytes text(std::string_view s) {
    return Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

// A fixed-extent view for the APIs that take std::span<const std::uint8_t, N> (GUIDE.md: fixed sizes in
// the type); a buffer of the wrong size fails the test. A non-const buffer gives a writable view.
template <std::size_t N>
std::span<const std::uint8_t, N> fixed(const Buf& b) {
    REQUIRE(b.size() == N);
    return std::span<const std::uint8_t, N>(b.data(), N);
}
template <std::size_t N>
std::span<std::uint8_t, N> fixed(Buf& b) {
    REQUIRE(b.size() == N);
    return std::span<std::uint8_t, N>(b.data(), N);
}

// Deterministic filler for property tests: the values do not matter, only that they vary. (Inputs
// that a vector file was computed from keep their own recipe next to the test that reads the file.)
inline Buf filler(std::size_t n, std::uint8_t seed) {
    Buf b(n);
    for (std::size_t i = 0; i < n; i++) b[i] = std::uint8_t(seed + i * 131 + (i >> 8));
    return b;
}

// Absolute path of a file under vectors/, e.g. kat_path("asn1/multi.pem").
inline std::string kat_path(const std::string& relative_path) {
    return std::string(PADLOCK_KAT_DIR) + "/" + relative_path;
}

// Parses a JSON file under vectors/. Keep the result in a local: a range-for over
// load_kat(...)["x"] would iterate a destroyed temporary (C++20 does not extend its lifetime).
inline nlohmann::json load_kat(const std::string& relative_path) {
    std::ifstream in(kat_path(relative_path));
    INFO("known-answer file " << kat_path(relative_path));
    REQUIRE(in.good());
    return nlohmann::json::parse(in);
}

// The vector files' hash names ("sha256"); an unknown name fails the test.
inline HashAlg hash_alg_named(const std::string& name) {
    if (name == "sha1") return HashAlg::sha1;
    if (name == "sha224") return HashAlg::sha224;
    if (name == "sha256") return HashAlg::sha256;
    if (name == "sha384") return HashAlg::sha384;
    if (name == "sha512") return HashAlg::sha512;
    FAIL("unknown hash name \"" << name << "\"");
    return HashAlg::sha256;
}

}  // namespace padlock::test
