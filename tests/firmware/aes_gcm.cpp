// SPDX-License-Identifier: Apache-2.0
// Firmware-shaped program: AES-128-GCM alone (the TLS_AES_128_GCM_SHA256 record protection, RFC 8446
// §5.2), checked against Test Case 4 of the GCM specification (McGrew and Viega, Appendix B).
#include "crypto/symmetric/gcm.hpp"
#include "tests/firmware/firmware.hpp"

using namespace padlock;
using firmware::Hex;

namespace {

constexpr Hex key("feffe9928665731c6d6a8f9467308308");
constexpr Hex iv("cafebabefacedbaddecaf888");
constexpr Hex aad("feedfacedeadbeeffeedfacedeadbeefabaddad2");
constexpr Hex plaintext("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                        "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
constexpr Hex ciphertext("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                         "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091");
constexpr Hex tag("5bc94fbc3221a5db94fae95ae7121a47");

AesGcm gcm;  // caller-owned context (this program's .bss, not the library's)
std::uint8_t text[plaintext.size];

bool init() { return gcm.init(key.bytes) == CryptoError::ok; }

bool seal() {
    std::uint8_t out_tag[16];
    return gcm.seal(iv.bytes, aad.bytes, plaintext.bytes, text, out_tag) == CryptoError::ok &&
           firmware::same(text, ciphertext.bytes, sizeof text) && firmware::same(out_tag, tag.bytes, 16);
}

bool open() {  // in place, over the ciphertext seal left in `text`
    return gcm.open(iv.bytes, aad.bytes, text, tag.bytes, text) == CryptoError::ok &&
           firmware::same(text, plaintext.bytes, sizeof text);
}

bool open_forged() {  // one flipped tag bit: rejected, and the output is wiped
    std::uint8_t forged[16];
    for (int i = 0; i < 16; i++) forged[i] = tag.bytes[i];
    forged[15] ^= 1;
    std::uint8_t out[ciphertext.size];
    if (gcm.open(iv.bytes, aad.bytes, ciphertext.bytes, forged, out) != CryptoError::auth_failed) return false;
    for (std::uint8_t b : out)
        if (b != 0) return false;
    return true;
}

}  // namespace

int firmware::run_aes_gcm() {
    return firmware::check("aes-gcm-init", init) | firmware::check("aes-gcm-seal", seal) |
           firmware::check("aes-gcm-open", open) | firmware::check("aes-gcm-open-forged", open_forged);
}

#ifndef FIRMWARE_TLS_CLIENT
int main() { return firmware::run_aes_gcm(); }
#endif
