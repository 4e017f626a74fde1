// SPDX-License-Identifier: Apache-2.0
// Firmware-shaped program: ECDSA P-256 verification alone (the server's CertificateVerify and a
// certificate chain's signatures, RFC 8446 §4.4.3), checked against RFC 6979 §A.2.5 (SHA-256,
// message "sample"); the digest is SHA-256("sample"), so no hash is linked here.
#include "crypto/ec/ecdsa.hpp"
#include "tests/firmware/firmware.hpp"

using namespace padlock;
using firmware::Hex;

namespace {

constexpr Hex pub("04"
                  "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
                  "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299");
constexpr Hex digest("af2bdbe1aa9b6ec1e2ade1d694f41fc71a831d0268e9891562113d8a62add1bf");
constexpr Hex signature("efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
                        "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8");

bool verify() { return ecdsa_p256_verify_digest_p1363(pub.bytes, digest.bytes, signature.bytes) == CryptoError::ok; }

bool verify_forged() {  // one flipped bit of s
    std::uint8_t forged[64];
    for (int i = 0; i < 64; i++) forged[i] = signature.bytes[i];
    forged[63] ^= 1;
    return ecdsa_p256_verify_digest_p1363(pub.bytes, digest.bytes, forged) == CryptoError::invalid_signature;
}

}  // namespace

int firmware::run_ecdsa_verify() {
    return firmware::check("ecdsa-p256-verify", verify) | firmware::check("ecdsa-p256-verify-forged", verify_forged);
}

#ifndef FIRMWARE_TLS_CLIENT
int main() { return firmware::run_ecdsa_verify(); }
#endif
