// SPDX-License-Identifier: Apache-2.0
// Replaces every form of the global operator new/delete with a counting one, so a test can show that
// a library call allocates nothing (GUIDE.md: no heap). Include it in exactly one translation unit of
// a test program: it defines the operators.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

// Counts every heap allocation of the program, so a test can show that parsing makes none.
// (GCC's -Wmismatched-new-delete sees the malloc/free pair through inlining; it is the pair.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
static std::atomic<std::size_t> g_allocations{0};
void* operator new(std::size_t n) {
    g_allocations++;
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    g_allocations++;
    return std::malloc(n ? n : 1);
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
