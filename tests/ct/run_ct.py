#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Runs one mode of ct_harness under valgrind memcheck and judges it:
#   - an API mode passes only with exit status 0, "ERROR SUMMARY: 0 errors" and the harness's own
#     closing line (so it ran every call); any secret-dependent branch or address fails it;
#   - a leak-* mode passes only if memcheck FAILS the run (--error-exitcode) with the expected
#     error in the deliberately leaky function: the check that the harness can still catch a leak.
# Usage: run_ct.py VALGRIND HARNESS MODE
import subprocess
import sys

valgrind, harness, mode = sys.argv[1:4]
# The leak each leaky mode must produce, and the function it must be reported in.
expected_leaks = {
    "leak-branch": ("Conditional jump or move depends on uninitialised value", "leaky_branch"),
    "leak-index": ("Use of uninitialised value of size", "leaky_index"),
}
cmd = [valgrind, "--tool=memcheck", "--error-exitcode=1", "--track-origins=yes", "--num-callers=40",
       "--exit-on-first-error=no", harness, mode]
try:
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
except FileNotFoundError:
    print(f"run_ct.py: {valgrind} not found: install valgrind (setup.sh does)")
    sys.exit(1)
log = run.stderr
finished = f"ct-harness: {mode}: done" in run.stdout
sys.stdout.write(run.stdout)

if mode in expected_leaks:
    kind, where = expected_leaks[mode]
    # One memcheck error report: a "==pid== <kind>" line followed by its stack, up to a blank line.
    reports = log.split("\n==")
    caught = [r for r in log.split("\n\n") if kind in r and where in r]
    if run.returncode == 1 and finished and caught:
        print(f"run_ct.py: {mode}: memcheck caught the deliberate leak in {where}, as it must")
        sys.exit(0)
    sys.stderr.write(log)
    print(f"run_ct.py: {mode}: memcheck did NOT catch the deliberate leak in {where} "
          f"(exit {run.returncode}, finished={finished}): the harness cannot be trusted")
    sys.exit(1)

if run.returncode == 0 and finished and "ERROR SUMMARY: 0 errors" in log:
    print(f"run_ct.py: {mode}: no secret-dependent branch or address")
    sys.exit(0)
sys.stderr.write(log)
print(f"run_ct.py: {mode}: FAILED (exit {run.returncode}, finished={finished})")
sys.exit(1)
