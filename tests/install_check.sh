#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs the build (headers and libpadlock.a, `meson install --tags devel`) into a temporary
# DESTDIR, then compiles a program that includes every installed header, using only the installed
# include directory (so a public header that includes an internal detail/ header, or a header the
# install rules forgot, fails here), links it against the installed libpadlock.a alone, and runs it:
# SHA-256("abc") must be FIPS 180-2 appendix B.1's digest.
# Usage: install_check.sh BUILD_DIR CXX...
set -eu
build=$1; shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
meson install -C "$build" --no-rebuild --quiet --tags devel --destdir "$tmp/root" >/dev/null
inc=$(find "$tmp/root" -type d -path '*/include/padlock' | head -n 1)
lib=$(find "$tmp/root" -name libpadlock.a | head -n 1)
[ -n "$inc" ] && [ -n "$lib" ] || { echo "install_check: no include/padlock or libpadlock.a installed"; exit 1; }
[ -f "$inc/crypto/config.hpp" ] || { echo "install_check: crypto/config.hpp not installed"; exit 1; }
if find "$inc" -path '*/detail/*' | grep -q .; then
    echo "install_check: internal detail/ headers were installed"; exit 1
fi
prog="$tmp/prog.cpp"
(cd "$inc" && find . -name '*.hpp' | sort | sed 's|^\./\(.*\)|#include "\1"|') > "$prog"
cat >> "$prog" <<'CPP'
#include <cstdio>
#include <cstring>
int main() {
    static const unsigned char abc[] = {'a', 'b', 'c'};
    static const unsigned char want[32] = {
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
        0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
    std::uint8_t got[32];
    padlock::Sha256::hash(padlock::Bytes(abc, 3), got);
    if (std::memcmp(got, want, 32) != 0) { std::puts("install_check: wrong SHA-256"); return 1; }
    return 0;
}
CPP
"$@" -std=c++20 -fno-exceptions -fno-rtti -I"$inc" "$prog" "$lib" -o "$tmp/prog"
"$tmp/prog"
echo "install_check: $(grep -c '^#include "' "$prog") headers compiled from $inc, linked with $lib"
