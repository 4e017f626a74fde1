// SPDX-License-Identifier: Apache-2.0
// Constant-time building blocks: masks, selects, comparison, and a wipe the compiler cannot elide.
// A "mask" is all-ones (true) or all-zero (false); code that handles secrets combines masks with
// & | ^ instead of branching on secret values.
// Every mask leaves its helper through ct::barrier, and select() passes its mask through it again:
// an optimiser that can prove a value is 0 or all-ones turns `b ^ (mask & (a ^ b))` back into a
// branch or into a cmov between two addresses followed by one load (clang 14 -O2 did both), a
// secret-dependent branch or address. Hiding the inputs alone is not enough; the results must be
// opaque too. tests/ct checks this with valgrind on g++ and clang builds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "crypto/common.hpp"

namespace padlock::ct {

// Hides a value from the optimiser so mask arithmetic is not turned back into a branch: after it the
// compiler knows nothing of the value's range (it costs no instruction, only a register).
template <class T>
inline T barrier(T v) {
#if defined(__GNUC__) || defined(__clang__)
    __asm__("" : "+r"(v));
#endif
    return v;
}

// All-ones if x != 0, else zero. Constant time.
template <class T>
inline T mask_nonzero(T x) {
    static_assert(std::is_unsigned_v<T>);
    x = barrier(x);
    // (x | -x) has its top bit set exactly when x != 0. Each step is cast back to T: for types
    // narrower than int (uint8_t), promotion would otherwise make -x an int and break the mask.
    return barrier(T(T(0) - T(T(x | T(T(0) - x)) >> (sizeof(T) * 8 - 1))));
}
// ~ promotes a narrow T to int, so the result is cast back (as everywhere in this header).
template <class T> inline T mask_zero(T x) { return barrier(T(~mask_nonzero(x))); }
template <class T> inline T mask_eq(T a, T b) { return mask_zero(T(a ^ b)); }
// All-ones if a < b (unsigned). Constant time.
template <class T>
inline T mask_lt(T a, T b) {
    static_assert(std::is_unsigned_v<T>);
    // The borrow out of a - b, computed bitwise (Hacker's Delight §2-13), then spread to a mask.
    a = barrier(a);
    T borrow = T((~a & b) | (~(a ^ b) & T(a - b)));
    return barrier(T(T(0) - T(borrow >> (sizeof(T) * 8 - 1))));
}
// mask ? a : b, for an all-ones/all-zero mask. The mask goes through the barrier here as well, so
// a mask made by plain arithmetic (0 - bit) at the call site is as safe as one from the helpers:
// both a and b are always read, and the result is computed from both.
template <class T>
inline T select(T mask, T a, T b) {
    mask = barrier(mask);
    return T(b ^ (mask & (a ^ b)));
}

// Conditionally copies src into dst when mask is all-ones (byte mask).
inline void cmov(std::uint8_t* dst, const std::uint8_t* src, std::size_t n, std::uint8_t mask) {
    mask = barrier(mask);
    for (std::size_t i = 0; i < n; i++) dst[i] = std::uint8_t(dst[i] ^ (mask & (src[i] ^ dst[i])));
}

// Declares n bytes at p public although they were computed from secrets, where the caller's
// comment says why that is sound (a rejection-sampling verdict whose rejected candidates are
// discarded; a blinded value independent of the secret). In the library it does nothing (ct.cpp);
// the secret-taint harness (tests/ct) links its own definition, which tells valgrind memcheck to
// stop tracking the bytes. Outputs of an API are never declassified here: the harness does that
// at the API boundary, so every internal use is a named, reviewed exception.
void declassify(const void* p, std::size_t n);
template <class T>
inline void declassify(const T& obj) { declassify(&obj, sizeof obj); }

// All-ones if a and b hold the same n bytes, else zero. Runs in time that depends only on n.
inline std::uint8_t equal_mask(const std::uint8_t* a, const std::uint8_t* b, std::size_t n) {
    std::uint8_t diff = 0;
    for (std::size_t i = 0; i < n; i++) diff |= std::uint8_t(a[i] ^ b[i]);
    return mask_zero(diff);
}
// True iff a and b hold the same n bytes. Runs in time that depends only on n; the caller then
// branches on the answer, so use equal_mask where even the answer is secret.
inline bool equal(const std::uint8_t* a, const std::uint8_t* b, std::size_t n) { return equal_mask(a, b, n) != 0; }

// Keeps n bytes where mask is all-ones and zeroes them where it is zero (releasing or withholding
// an output without a branch).
inline void keep_if(std::uint8_t* p, std::size_t n, std::uint8_t mask) {
    mask = barrier(mask);
    for (std::size_t i = 0; i < n; i++) p[i] = std::uint8_t(p[i] & mask);
}
inline bool equal(Bytes a, Bytes b) { return a.size() == b.size() && equal(a.data(), b.data(), a.size()); }

}  // namespace padlock::ct

namespace padlock {

// Overwrites n bytes with zeros in a way the compiler must keep. With GCC and Clang, an empty asm
// statement that may read the memory follows a plain memset, so the stores cannot be dropped and
// the memset stays as fast as the compiler can make it; elsewhere, byte-wise volatile stores.
inline void secure_zero(void* p, std::size_t n) {
#if defined(__GNUC__) || defined(__clang__)
    if (n == 0) return;  // p may then be null, which memset does not allow
    std::memset(p, 0, n);
    __asm__ __volatile__("" : : "r"(p) : "memory");
#else
    volatile std::uint8_t* v = static_cast<volatile std::uint8_t*>(p);
    for (std::size_t i = 0; i < n; i++) v[i] = 0;
#endif
}
template <class T>
inline void secure_zero(T& obj) { secure_zero(&obj, sizeof obj); }

// Zeroes about N bytes of stack just below the caller's frame: where the functions it called kept
// their locals and, above all, the registers they spilled (an unrolled Montgomery product spills
// limbs of the secret prime), which no wipe of a named variable reaches. Call it after the calls
// that handled secrets; it needs that much free stack, which those calls had just used.
template <std::size_t N>
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline))
#endif
void secure_zero_stack() {
    std::uint8_t area[N];
    secure_zero(area, N);
}

}  // namespace padlock
