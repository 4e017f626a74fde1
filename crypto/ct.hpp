// SPDX-License-Identifier: Apache-2.0
// Constant-time building blocks: masks, selects, comparison, and a wipe the compiler cannot elide.
// A "mask" is all-ones (true) or all-zero (false); code that handles secrets combines masks with
// & | ^ instead of branching on secret values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "crypto/common.hpp"

namespace padlock::ct {

// Hides a value from the optimiser so mask arithmetic is not turned back into a branch.
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
    return T(T(0) - T(T(x | T(T(0) - x)) >> (sizeof(T) * 8 - 1)));
}
// ~ promotes a narrow T to int, so the result is cast back (as everywhere in this header).
template <class T> inline T mask_zero(T x) { return T(~mask_nonzero(x)); }
template <class T> inline T mask_eq(T a, T b) { return mask_zero(T(a ^ b)); }
// All-ones if a < b (unsigned). Constant time.
template <class T>
inline T mask_lt(T a, T b) {
    static_assert(std::is_unsigned_v<T>);
    // The borrow out of a - b, computed bitwise (Hacker's Delight §2-13), then spread to a mask.
    a = barrier(a);
    T borrow = T((~a & b) | (~(a ^ b) & T(a - b)));
    return T(T(0) - T(borrow >> (sizeof(T) * 8 - 1)));
}
// mask ? a : b, for an all-ones/all-zero mask.
template <class T> inline T select(T mask, T a, T b) { return T(b ^ (mask & (a ^ b))); }

// Conditionally copies src into dst when mask is all-ones (byte mask).
inline void cmov(std::uint8_t* dst, const std::uint8_t* src, std::size_t n, std::uint8_t mask) {
    for (std::size_t i = 0; i < n; i++) dst[i] = select(mask, src[i], dst[i]);
}

// True iff a and b hold the same n bytes. Runs in time that depends only on n.
inline bool equal(const std::uint8_t* a, const std::uint8_t* b, std::size_t n) {
    std::uint8_t diff = 0;
    for (std::size_t i = 0; i < n; i++) diff |= std::uint8_t(a[i] ^ b[i]);
    return mask_zero(diff) != 0;
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

}  // namespace padlock
