// SPDX-License-Identifier: Apache-2.0
// Firmware-shaped program: the cryptography of a minimal TLS 1.3 client in one image: the cipher suite
// TLS_AES_128_GCM_SHA256 (RFC 8446 §9.1), an X25519 key share and ecdsa_secp256r1_sha256 signature
// verification, through the checks of the four single-primitive programs built together.
#include "tests/firmware/firmware.hpp"

int main() {
    return firmware::run_x25519() | firmware::run_sha256() | firmware::run_aes_gcm() | firmware::run_ecdsa_verify();
}
