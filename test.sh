#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The whole test suite, run in four builds: the normal one (g++), an ASan+UBSan one (clang), one
# cross-compiled for 32-bit big-endian PowerPC (tests/cross/powerpc-linux-gnu.ini) that runs under
# qemu-ppc, and one for 32-bit Arm in Thumb-2 built for size (tests/cross/arm-linux-gnueabihf.ini)
# that runs under qemu-arm. Each runs every test: the Catch2 programs, every Wycheproof file through
# `padlock vectors`, the coreutils SHA-2 cross-check, the command-line checks and the footprint check
# (the Arm build all but RSA's, which has no size-selected code and takes minutes under qemu at -Os;
# the PowerPC build runs it on 32-bit limbs).
# Then the Cortex-M4 firmware build (tests/cross/cortex-m4.ini): the library and the firmware-shaped
# programs of tests/firmware/, their known answers under qemu-arm, and their size against a budget.
# The constant-time suite (tests/ct, valgrind memcheck on poisoned secrets) runs in the g++ build
# with the rest, and on its own in a g++ build forced onto 32-bit limbs (build-limb32) and a clang
# -O2 build (build-clang). Ends with one line: "N passed, N failed, N skipped" (skipped: a test that
# reported itself not run, such as an accelerated backend this CPU lacks).
set -u
cd "$(dirname "$0")"
# The fresh-clone check below rebuilds the tool in another directory: ccache (setup.sh) serves it
# from this build's objects when it does not hash the directory into its keys.
export CCACHE_NOHASHDIR=1
./setup.sh || { echo "0 passed, 1 failed"; exit 1; }
ninja -C build || { echo "0 passed, 1 failed"; exit 1; }
if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        g++-powerpc-linux-gnu qemu-user gnutls-bin \
        g++-arm-linux-gnueabihf gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib \
        >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
fi
if ! command -v powerpc-linux-gnu-g++ >/dev/null || ! command -v qemu-ppc >/dev/null; then
    echo "test.sh: the PowerPC build needs g++-powerpc-linux-gnu and qemu-user (run as root to install)"
    echo "0 passed, 1 failed"
    exit 1
fi
if [ ! -d build-asan ]; then
    CXX=clang++ meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false \
        -Dcpp_args=-fno-sanitize-recover=all -Dcpp_link_args=-fno-sanitize-recover=all >/dev/null
fi
# --- Fuzzing (tests/fuzz, docs/fuzzing.md) ---
# build-asan also builds the libFuzzer harnesses; its meson test replays their regression inputs
# and runs each for a few seconds from its seed corpus (suite fuzz). The library itself is not
# coverage-instrumented here (that keeps unused code alive, failing the footprint test, and slows
# the other tests); long runs use the separate build described in docs/fuzzing.md. The reconfigure
# lets a build-asan made before the option existed learn it.
{ meson setup --reconfigure build-asan && meson configure build-asan -Dfuzz=true; } >/dev/null \
    || { echo "0 passed, 1 failed"; exit 1; }
# --- end of fuzzing ---
ninja -C build-asan || { echo "0 passed, 1 failed"; exit 1; }
# The 32-bit-limb arithmetic on this host: the PowerPC and Arm builds below run the whole suite on it
# (neither target has unsigned __int128), so here it is built for the constant-time suite only.
[ -d build-limb32 ] || meson setup build-limb32 -Dlimb32=true >/dev/null
ninja -C build-limb32 tests/ct/ct_harness || { echo "0 passed, 1 failed"; exit 1; }
if [ ! -d build-ppc ]; then
    meson setup build-ppc --cross-file tests/cross/powerpc-linux-gnu.ini -Dopenssl_bench=disabled \
        >/dev/null
fi
ninja -C build-ppc || { echo "0 passed, 1 failed"; exit 1; }
# --- Constant time under clang -O2 -----------------------------------------------------------------
# clang is the compiler that turned masked selects into branches and address selects, so the ct
# suite also runs on its -O2 code. -gdwarf-4: valgrind 3.19 cannot read clang 14's DWARF 5.
if [ ! -d build-clang ]; then
    CXX=clang++ meson setup build-clang -Dbuildtype=debugoptimized -Dcpp_args=-gdwarf-4 >/dev/null
fi
ninja -C build-clang tests/ct/ct_harness || { echo "0 passed, 1 failed"; exit 1; }
# -----------------------------------------------------------------------------------------------------

# --- Arm: 32-bit Linux in Thumb-2 at -Os (the suite under qemu-arm), and Cortex-M4 firmware ---------
if ! command -v arm-linux-gnueabihf-g++ >/dev/null || ! command -v arm-none-eabi-g++ >/dev/null ||
   ! command -v qemu-arm >/dev/null; then
    echo "test.sh: the Arm builds need g++-arm-linux-gnueabihf, gcc-arm-none-eabi, libnewlib-arm-none-eabi,"
    echo "libstdc++-arm-none-eabi-newlib and qemu-user (run as root to install)"
    echo "0 passed, 1 failed"
    exit 1
fi
if [ ! -d build-arm ]; then
    meson setup build-arm --cross-file tests/cross/arm-linux-gnueabihf.ini -Dopenssl_bench=disabled \
        >/dev/null
fi
# Only what the Arm run below uses (its tests, the tool and the footprint program).
arm_tests="ct bytes aes chacha hash aead asn1 x25519 p256 p384 tls_key_schedule tls_record tls_messages"
ninja -C build-arm padlock tests/firmware_subset $(for t in $arm_tests; do printf 'tests/test_%s ' "$t"; done) \
    || { echo "0 passed, 1 failed"; exit 1; }
[ -d build-m4 ] || meson setup build-m4 --cross-file tests/cross/cortex-m4.ini >/dev/null
ninja -C build-m4 || { echo "0 passed, 1 failed"; exit 1; }
# ---------------------------------------------------------------------------------------------------
status=0
# Checks that are not meson tests write one line each here: "<name> OK" or "<name> FAIL".
extra=$(mktemp)
trap 'rm -f "$extra"' EXIT

# README command (1), word for word, in a fresh clone with nothing beside it: proves that neither
# the build nor `padlock vectors` needs anything outside the repository.
fresh=$(mktemp -d)
readme_cmd=$(awk '/^```/{n++; next} n==1{print; exit}' README.md)
if git clone -q . "$fresh/padlock" && (cd "$fresh/padlock" && sh -c "$readme_cmd") >"$fresh/log" 2>&1; then
    echo "fresh-clone OK" >>"$extra"
else
    tail -n 20 "$fresh/log"; echo "fresh-clone FAIL" >>"$extra"; status=1
fi
rm -rf "$fresh"

meson test -C build --print-errorlogs || status=1
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 meson test -C build-asan --print-errorlogs || status=1
meson test -C build-limb32 --suite ct --no-rebuild --print-errorlogs || status=1
meson test -C build-ppc --print-errorlogs || status=1
meson test -C build-clang --suite ct --no-rebuild --print-errorlogs || status=1
meson test -C build-arm --no-rebuild --print-errorlogs $arm_tests sha2-coreutils cli footprint || status=1
meson test -C build-arm --no-rebuild --print-errorlogs --logbase wycheproof-no-rsa wycheproof --test-args "aes_gcm_test.json \
    chacha20_poly1305_test.json hmac_sha256_test.json hmac_sha384_test.json hmac_sha512_test.json \
    hkdf_sha256_test.json hkdf_sha384_test.json hkdf_sha512_test.json x25519_test.json x25519_asn_test.json \
    x25519_pem_test.json ecdh_secp256r1_test.json ecdh_secp256r1_ecpoint_test.json ecdsa_secp256r1_sha256_test.json \
    ecdsa_secp256r1_sha256_p1363_test.json ecdsa_secp256r1_sha512_test.json ecdsa_secp384r1_sha384_test.json \
    ecdsa_secp384r1_sha384_p1363_test.json" || status=1
meson test -C build-m4 --print-errorlogs || status=1
python3 - "$extra" build/meson-logs/testlog.json build-asan/meson-logs/testlog.json \
    build-limb32/meson-logs/testlog.json build-ppc/meson-logs/testlog.json \
    build-clang/meson-logs/testlog.json build-arm/meson-logs/testlog.json \
    build-arm/meson-logs/wycheproof-no-rsa.json build-m4/meson-logs/testlog.json <<'PY'
import json, sys
passed = failed = skipped = 0
for line in open(sys.argv[1]):
    name, result = line.split()
    passed += result == "OK"
    failed += result != "OK"
# SKIP is a test that reported itself "not run" (exit 77): a backend this CPU lacks. It is counted
# apart, never as passed.
for path in sys.argv[2:]:
    for line in open(path):
        result = json.loads(line)["result"]
        passed += result == "OK"
        skipped += result == "SKIP"
        failed += result not in ("OK", "SKIP")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
