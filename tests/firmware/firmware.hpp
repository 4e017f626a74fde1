// SPDX-License-Identifier: Apache-2.0
// What the firmware-shaped programs share: known answers written as hex, a report on standard output
// (startup.cpp), and the stack a call uses, measured by painting: the free stack below the caller is
// filled with a pattern, the call runs, and the lowest word no longer holding the pattern shows how
// deep it went.
#pragma once

#include <cstddef>
#include <cstdint>

namespace firmware {

// Through the Linux write system call (startup.cpp): qemu-arm shows it, a board drops it.
void write_text(const char* text);
void write_number(std::size_t n);

// Runs `call` (a separate function, so nothing of it is inlined into the caller's frame), stores
// what it returned in `verdict`, and returns the bytes of stack it used.
std::size_t stack_used(bool (*call)(), bool& verdict);

// A known answer from its hex spelling, decoded at compile time.
template <std::size_t N>
struct Hex {
    static_assert(N % 2 == 1, "an even number of hex digits");
    static constexpr std::size_t size = N / 2;
    std::uint8_t bytes[size];
    consteval Hex(const char (&hex)[N]) : bytes{} {
        for (std::size_t i = 0; i < size; i++) bytes[i] = std::uint8_t(digit(hex[2 * i]) << 4 | digit(hex[2 * i + 1]));
    }
    static consteval int digit(char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }
};

// Test data is public: an ordinary comparison.
inline bool same(const std::uint8_t* a, const std::uint8_t* b, std::size_t n) {
    for (std::size_t i = 0; i < n; i++)
        if (a[i] != b[i]) return false;
    return true;
}

// Runs one check and prints "stack NAME BYTES" (read by tests/firmware/size_report.py) and
// "ok NAME" or "FAILED NAME"; returns 1 on failure, for main's exit status.
inline int check(const char* name, bool (*call)()) {
    bool ok = false;
    const std::size_t used = stack_used(call, ok);
    write_text("stack ");
    write_text(name);
    write_text(" ");
    write_number(used);
    write_text(ok ? "\nok " : "\nFAILED ");
    write_text(name);
    write_text("\n");
    return ok ? 0 : 1;
}

}  // namespace firmware

namespace firmware {
// The checks of each program (aes_gcm.cpp, sha256.cpp, x25519.cpp, ecdsa_verify.cpp); each returns
// nonzero on failure. tls_client.cpp runs all four in one image.
int run_aes_gcm();
int run_sha256();
int run_x25519();
int run_ecdsa_verify();
}  // namespace firmware
