#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The short run of one libFuzzer harness in the test suite: replay every regression input (each
# once failed), then fuzz for SECONDS from a temporary copy of the seed corpus, so the corpus in
# the repository stays as committed. Any crash, leak, timeout or broken property fails the test;
# libFuzzer then writes the input to ./fuzz-artifacts/<harness>-crash-<sha1> in the build tree.
# usage: short_run.sh HARNESS CORPUS_DIR REGRESSION_DIR SECONDS
set -eu
exe=$1 corpus=$2 regressions=$3 seconds=$4
name=$(basename "$exe")
[ -d "$corpus" ] && [ -n "$(ls -A "$corpus")" ] || { echo "no seed corpus in $corpus"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/corpus" fuzz-artifacts
cp "$corpus"/* "$tmp/corpus/"
if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
    echo "replaying $(ls "$regressions" | wc -l) regression inputs"
    "$exe" "$regressions"/*
fi
"$exe" -max_total_time="$seconds" -timeout=60 -print_final_stats=1 \
    -artifact_prefix="fuzz-artifacts/$name-" "$tmp/corpus"
