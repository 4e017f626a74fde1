// SPDX-License-Identifier: Apache-2.0
// The least a Cortex-M4 image needs to run the firmware-shaped programs (ARMv7-M Architecture
// Reference Manual §B1.5.3, the vector table): the initial stack pointer and the reset handler, which
// copies .data from flash, zeroes .bss and calls main(). Output and main's status leave through the
// Linux write and exit system calls, so the same image also runs under qemu-arm (user mode, a Thumb-2
// A-profile CPU that executes the ARMv7E-M instructions this code uses); on a board the SVC ends in
// the default handler, which spins. Also here: the stack measurement of firmware.hpp.
#include <cstddef>
#include <cstdint>

#include "tests/firmware/firmware.hpp"

extern "C" {
extern std::uint32_t _sidata[], _sdata[], _edata[], _sbss[], _ebss[], _sstack[], _estack[];
int main();
[[noreturn]] void reset_handler();
[[noreturn]] void start(std::uint32_t loaded);
[[noreturn]] void default_handler();
}

// Entries 0-15: the initial SP, reset, and the system exceptions (NMI, HardFault, ..., SysTick).
using Handler = void (*)();
extern "C" __attribute__((section(".isr_vector"), used)) const Handler vector_table[16] = {
    reinterpret_cast<Handler>(_estack), reset_handler,   default_handler, default_handler,
    default_handler,                    default_handler, default_handler, nullptr,
    nullptr,                            nullptr,         nullptr,         default_handler,
    default_handler,                    nullptr,         default_handler, default_handler,
};

namespace {

// System calls of the Linux Arm EABI: the number in r7, arguments from r0.
[[noreturn]] void exit_status(int status) {
    register int r0 __asm__("r0") = status;
    register int r7 __asm__("r7") = 1;  // __NR_exit
    __asm__ volatile("svc #0" : : "r"(r0), "r"(r7) : "memory");
    for (;;) {}
}

void write_bytes(const char* text, std::size_t n) {
    register int r0 __asm__("r0") = 1;  // standard output
    register const char* r1 __asm__("r1") = text;
    register std::size_t r2 __asm__("r2") = n;
    register int r7 __asm__("r7") = 4;  // __NR_write
    __asm__ volatile("svc #0" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r7) : "memory");
}

}  // namespace

void firmware::write_text(const char* text) {
    std::size_t n = 0;
    while (text[n] != 0) n++;
    write_bytes(text, n);
}

void firmware::write_number(std::size_t n) {
    char digits[12];
    std::size_t i = sizeof digits;
    do digits[--i] = char('0' + n % 10), n /= 10;
    while (n != 0);
    write_bytes(digits + i, sizeof digits - i);
}

// The stack from _sstack up to (almost) this frame is free: paint it, run the call, and find the
// lowest word it changed. Everything between that word and this frame's stack pointer was the call's.
std::size_t firmware::stack_used(bool (*call)(), bool& verdict) {
    constexpr std::uint32_t paint = 0x5A5A'A5A5u;
    std::uint32_t* sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    for (volatile std::uint32_t* p = _sstack; p < sp - 4; p++) *p = paint;
    verdict = call();
    const volatile std::uint32_t* p = _sstack;
    while (p < sp && *p == paint) p++;
    return std::size_t(sp - p) * sizeof *p;
}

// A board comes out of reset with SP = vector_table[0] and .data and .bss still to set up. qemu-arm
// starts the image on a stack of its own, with every segment already loaded at its run address
// (the flash copy of .data is not mapped there): it must not copy. Both continue on our stack.
extern "C" __attribute__((naked)) void reset_handler() {
    __asm__ volatile(
        "ldr r0, =_estack\n"
        "mov r1, sp\n"
        "mov sp, r0\n"
        "subs r0, r1, r0\n"  // r0 = 0 iff the stack pointer was vector_table[0]
        "b start\n");
}

extern "C" void start(std::uint32_t loaded) {
    if (loaded == 0) {
        for (std::uint32_t *src = _sidata, *dst = _sdata; dst < _edata;) *dst++ = *src++;
        for (std::uint32_t* dst = _sbss; dst < _ebss;) *dst++ = 0;
    }
    exit_status(main());
}

extern "C" void default_handler() {
    for (;;) {}
}
