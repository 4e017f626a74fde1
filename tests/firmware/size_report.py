#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Size report of the firmware-shaped programs (tests/firmware/): per program, the flash and static RAM
# that libpadlock.a contributed, read from the GNU ld map file written beside each image (every input
# section the link kept, with the archive member it came from), and the stack its checks used,
# measured on the image itself under qemu-arm by stack painting (firmware.hpp).
# Fails when a figure exceeds budget.json, when a check fails, when an image contains heap,
# exception or thread-safe-static machinery, or a symbol that budget.json lists as "absent" for it
# (an algorithm the program does not use).
#
# Usage: size_report.py --budget budget.json --nm NM --run-with QEMU IMAGE.elf...  (beside each, IMAGE.map)
import argparse
import json
import os
import re
import subprocess
import sys

FLASH = (".isr_vector", ".text", ".rodata", ".ARM.exidx", ".ARM.extab")
# Symbols whose presence means the image brought a heap, C++ exceptions or static-init guards.
FORBIDDEN = re.compile(r"^(malloc|free|calloc|realloc|_sbrk|_malloc_r|_free_r|__cxa_guard_acquire|__cxa_throw|"
                       r"__cxa_allocate_exception|__gxx_personality_v0|_Unwind_\w+|__cxa_begin_catch|"
                       r"operator new|operator delete)")


def sections(map_path):
    """Yields (output section, input section, size, origin) for every input section kept in the link."""
    with open(map_path) as f:
        lines = f.read().split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("Linker script and memory map"))
    output = None
    pending = None  # an input section name whose address and size are on the next line
    for line in lines[start + 1:]:
        m = re.match(r"^(\.\S+)(?:\s+0x[0-9a-f]+\s+0x[0-9a-f]+.*)?$", line)
        if m:
            output = m.group(1)
            pending = None
            continue
        m = re.match(r"^ (\S+)\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S.*)$", line)
        if m and m.group(1) != "*fill*":
            yield output, m.group(1), int(m.group(2), 16), m.group(3)
            pending = None
            continue
        m = re.match(r"^ (\.\S+)$", line)
        if m:
            pending = m.group(1)
            continue
        m = re.match(r"^\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S.*)$", line)
        if m and pending:
            yield output, pending, int(m.group(1), 16), m.group(2)
        pending = None


def footprint(map_path):
    """Library flash and static RAM in bytes, and the rest of the image's flash (program and C runtime)."""
    lib_flash = lib_ram = other_flash = 0
    for output, _name, size, origin in sections(map_path):
        in_flash = output in FLASH or output == ".data"
        in_ram = output in (".data", ".bss")
        if "libpadlock" in origin:
            lib_flash += size if in_flash else 0
            lib_ram += size if in_ram else 0
        elif in_flash:
            other_flash += size
    return lib_flash, lib_ram, other_flash


def run(runner, image):
    r = subprocess.run([runner, image], capture_output=True, text=True, timeout=300)
    stacks = {}
    for line in r.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "stack":
            stacks[parts[1]] = int(parts[2])
    failed = [line for line in r.stdout.splitlines() if line.startswith("FAILED")]
    return r.returncode, stacks, failed, r.stdout + r.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--budget", required=True)
    ap.add_argument("--nm", required=True)
    ap.add_argument("--run-with", required=True)
    ap.add_argument("images", nargs="+")
    args = ap.parse_args()
    budget = json.load(open(args.budget))
    problems = []
    rows = []
    for image in args.images:
        name = os.path.basename(image).removeprefix("fw_").removesuffix(".elf")
        lib_flash, lib_ram, other_flash = footprint(os.path.splitext(image)[0] + ".map")
        status, stacks, failed, output = run(args.run_with, image)
        if status != 0 or failed or not stacks:
            problems.append(f"{name}: checks failed (exit status {status}):\n{output}")
        syms = subprocess.run([args.nm, "-C", image], capture_output=True, text=True, check=True).stdout
        want = budget.get(name, {})
        for line in syms.splitlines():
            sym = line.split(maxsplit=2)[-1]
            if FORBIDDEN.match(sym):
                problems.append(f"{name}: links {sym}")
            for unwanted in want.get("absent", []):
                if unwanted in sym:
                    problems.append(f"{name}: links {sym}, although it does not use {unwanted}")
        stack = max(stacks.values(), default=0)
        rows.append((name, lib_flash, lib_ram, stack, other_flash, stacks))
        if not want:
            problems.append(f"{name}: no entry in {args.budget}")
            continue
        for what, got in (("flash", lib_flash), ("ram", lib_ram), ("stack", stack)):
            if got > want[what]:
                problems.append(f"{name}: {what} {got} bytes, over the budget of {want[what]}")

    print(f"{'program':<14} {'flash':>7} {'static RAM':>10} {'stack':>6}   (libpadlock.a only; "
          f"program and C runtime: flash)")
    for name, flash, ram, stack, other, _ in rows:
        print(f"{name:<14} {flash:>7} {ram:>10} {stack:>6}   {other}")
    print("stack per check:")
    for name, *_, stacks in rows:
        print("  " + name + ": " + ", ".join(f"{k} {v}" for k, v in stacks.items()))
    for p in problems:
        print("FAIL: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
