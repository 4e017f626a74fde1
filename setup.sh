#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian packages padlock builds with, then configures build/ and builds the padlock tool.
# Meson compiles through ccache when it is installed: test.sh's fresh-clone check rebuilds the tool
# from the cache.
set -eu
cd "$(dirname "$0")"
if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        g++ clang libclang-rt-14-dev meson ninja-build pkg-config catch2 nlohmann-json3-dev \
        libcli11-dev libssl-dev openssl ca-certificates coreutils python3 valgrind ccache >/dev/null
fi
[ -d build ] || meson setup build >/dev/null
# Only the tool: the README's first command runs it; ./test.sh builds the rest.
ninja -C build padlock
