#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Cross-checks `padlock hash` against coreutils' sha256sum/sha384sum/sha512sum (an independent
# implementation) on every length 0..1000 and on a few multi-megabyte inputs. A cross-built padlock
# runs through $MESON_EXE_WRAPPER (qemu), which meson test sets only in a cross build.
set -eu
padlock=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -c 3000000 /dev/urandom > "$tmp/pool"
n=0
while [ $n -le 1000 ]; do head -c $n "$tmp/pool" > "$tmp/in$n"; n=$((n + 1)); done
for n in 1048576 2097151 3000000; do head -c $n "$tmp/pool" > "$tmp/in$n"; done
cd "$tmp"
files=$(ls in*)
fail=0
for alg in sha256 sha384 sha512; do
    ${alg}sum $files > want.txt
    ${MESON_EXE_WRAPPER:-} "$padlock" hash --alg $alg $files > got.txt
    if ! cmp -s want.txt got.txt; then
        echo "MISMATCH for $alg:"; diff want.txt got.txt | head -n 10; fail=1
    else
        echo "$alg matches coreutils on $(wc -l < want.txt) inputs"
    fi
done
exit $fail
