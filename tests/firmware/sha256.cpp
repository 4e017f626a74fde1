// SPDX-License-Identifier: Apache-2.0
// Firmware-shaped program: SHA-256, HMAC-SHA-256 and HKDF-SHA-256 through the single-hash templates,
// what the TLS 1.3 key schedule needs (RFC 8446 §7.1: transcript hash, HKDF-Extract, HKDF-Expand-Label),
// checked against FIPS 180-4's "abc" example, RFC 4231 test case 1 and RFC 5869 test case 1.
#include "crypto/hash/hkdf.hpp"
#include "crypto/hash/hmac.hpp"
#include "crypto/hash/sha2.hpp"
#include "tests/firmware/firmware.hpp"

using namespace padlock;
using firmware::Hex;

namespace {

bool sha256_abc() {
    const std::uint8_t abc[3] = {'a', 'b', 'c'};
    constexpr Hex digest("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    std::uint8_t out[32];
    Sha256 h;  // streaming, as the transcript hash is used
    h.update(Bytes(abc, 1));
    h.update(Bytes(abc + 1, 2));
    h.final(out);
    return firmware::same(out, digest.bytes, 32);
}

bool hmac_rfc4231() {
    constexpr Hex key("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    constexpr Hex data("4869205468657265");  // "Hi There"
    constexpr Hex mac("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    std::uint8_t out[32];
    hmac<Sha256>(key.bytes, data.bytes, out);
    return firmware::same(out, mac.bytes, 32);
}

bool hkdf_rfc5869() {
    constexpr Hex ikm("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    constexpr Hex salt("000102030405060708090a0b0c");
    constexpr Hex info("f0f1f2f3f4f5f6f7f8f9");
    constexpr Hex prk("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
    constexpr Hex okm("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    std::uint8_t out_prk[32], out_okm[okm.size];
    hkdf_extract<Sha256>(salt.bytes, ikm.bytes, out_prk);
    return firmware::same(out_prk, prk.bytes, 32) && hkdf_expand<Sha256>(out_prk, info.bytes, out_okm) == CryptoError::ok &&
           firmware::same(out_okm, okm.bytes, okm.size);
}

}  // namespace

int firmware::run_sha256() {
    return firmware::check("sha256", sha256_abc) | firmware::check("hmac-sha256", hmac_rfc4231) |
           firmware::check("hkdf-sha256", hkdf_rfc5869);
}

#ifndef FIRMWARE_TLS_CLIENT
int main() { return firmware::run_sha256(); }
#endif
