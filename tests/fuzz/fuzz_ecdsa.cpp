// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness for ECDSA P-256 verification (crypto/ec/ecdsa.hpp) with the DER Ecdsa-Sig-Value
// decoding (asn1/keys.hpp), with attacker-chosen keys, digests and signatures. Two modes:
//   any input:  public key, digest and DER signature straight from the fuzzer. An accepted DER
//               signature re-encodes to exactly its input (strict DER), and the P1363 form of the
//               same (r, s) gets the same verdict.
//   tampered:   a key pair from a fuzzer-chosen scalar signs a fuzzer-chosen digest, then the
//               fuzzer flips bits in signature || digest || public key. Any accept must be of the
//               same point, a digest equal modulo n, and (r, s) or (r, n - s) (FIPS 186-5 §6.4.2
//               accepts both): anything else is a forgery.
#include <array>
#include <cstdint>
#include <vector>

#include "asn1/keys.hpp"
#include "crypto/ec/ecdsa.hpp"
#include "crypto/ec/p256.hpp"
#include "tests/fuzz/fuzz.hpp"

using padlock::Bytes;
using padlock::CryptoError;
using padlock::HashAlg;
using padlock::fuzz::equal;
namespace asn1 = padlock::asn1;

namespace {

using U256 = std::array<std::uint8_t, 32>;

// The order n of the P-256 base point (SP 800-186 §3.2.1.3).
constexpr U256 order = {0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                        0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51};

// A big-endian magnitude of at most 32 significant octets as a 256-bit value; false if larger.
bool to_u256(Bytes m, U256& out) {
    while (!m.empty() && m[0] == 0) m = m.subspan(1);
    if (m.size() > 32) return false;
    out = {};
    for (std::size_t i = 0; i < m.size(); i++) out[32 - m.size() + i] = m[i];
    return true;
}

// a - b, 256 bits, wrapping.
U256 sub(const U256& a, const U256& b) {
    U256 d{};
    int borrow = 0;
    for (int i = 31; i >= 0; i--) {
        const int v = int(a[i]) - int(b[i]) - borrow;
        d[i] = std::uint8_t(v & 0xFF);
        borrow = v < 0;
    }
    return d;
}

CryptoError verify_der(Bytes pub, Bytes digest, Bytes der) {
    Bytes r, s;
    if (asn1::parse_ecdsa_signature(der, r, s) != asn1::Asn1Error::ok) return CryptoError::invalid_signature;
    return padlock::ecdsa_p256_verify_digest(pub, digest, r, s);
}

void any_input(padlock::fuzz::Input& in) {
    const Bytes pub = in.field();
    const Bytes digest = in.field();
    const Bytes der = in.rest();
    Bytes r, s;
    if (asn1::parse_ecdsa_signature(der, r, s) != asn1::Asn1Error::ok) return;
    const CryptoError verdict = padlock::ecdsa_p256_verify_digest(pub, digest, r, s);
    FUZZ_CHECK(verdict == CryptoError::ok || verdict == CryptoError::invalid_signature || verdict == CryptoError::invalid_point);
    if (verdict == CryptoError::ok) {
        std::vector<std::uint8_t> again(der.size() + 8);
        std::size_t len = 0;
        FUZZ_CHECK(asn1::write_ecdsa_signature(r, s, again, len) == asn1::Asn1Error::ok);
        FUZZ_CHECK(equal(Bytes(again.data(), len), der));
    }
    U256 r256, s256;
    if (to_u256(r, r256) && to_u256(s, s256)) {
        std::uint8_t p1363[64];
        std::memcpy(p1363, r256.data(), 32);
        std::memcpy(p1363 + 32, s256.data(), 32);
        FUZZ_CHECK(padlock::ecdsa_p256_verify_digest_p1363(pub, digest, Bytes(p1363, 64)) == verdict);
    }
}

void tampered(padlock::fuzz::Input& in, bool compressed) {
    const U256 priv = in.fixed<32>();
    const U256 digest = in.fixed<32>();
    std::uint8_t pub[65];
    if (padlock::p256_public_from_private(priv, pub) != CryptoError::ok) return;
    std::uint8_t raw[64];
    FUZZ_CHECK(padlock::ecdsa_p256_sign_digest(priv, HashAlg::sha256, digest, raw) == CryptoError::ok);
    std::uint8_t der[72];
    std::size_t der_len = 0;
    FUZZ_CHECK(asn1::write_ecdsa_signature(Bytes(raw, 32), Bytes(raw + 32, 32), der, der_len) == asn1::Asn1Error::ok);
    std::uint8_t pub_compressed[33];
    FUZZ_CHECK(padlock::p256_compress_point(Bytes(pub, 65), pub_compressed) == CryptoError::ok);
    const Bytes pub_sent = compressed ? Bytes(pub_compressed, 33) : Bytes(pub, 65);
    FUZZ_CHECK(verify_der(pub_sent, digest, Bytes(der, der_len)) == CryptoError::ok);

    // The area the fuzzer may flip bits in: signature || digest || public key.
    std::vector<std::uint8_t> area;
    area.insert(area.end(), der, der + der_len);
    area.insert(area.end(), digest.begin(), digest.end());
    area.insert(area.end(), pub_sent.begin(), pub_sent.end());
    while (in.rest().size() >= 2) {
        const std::size_t at = in.byte() % area.size();
        area[at] ^= in.byte();
    }
    const Bytes sig2(area.data(), der_len), digest2(area.data() + der_len, 32),
        pub2(area.data() + der_len + 32, pub_sent.size());
    if (verify_der(pub2, digest2, sig2) != CryptoError::ok) return;

    std::uint8_t point[65], point2[65];
    FUZZ_CHECK(padlock::p256_decode_point(pub_sent, point) == CryptoError::ok);
    FUZZ_CHECK(padlock::p256_decode_point(pub2, point2) == CryptoError::ok);
    FUZZ_CHECK(std::memcmp(point, point2, 65) == 0);
    U256 d2;
    FUZZ_CHECK(to_u256(digest2, d2));
    FUZZ_CHECK(d2 == digest || sub(d2, digest) == order || sub(digest, d2) == order);
    Bytes r, s;
    FUZZ_CHECK(asn1::parse_ecdsa_signature(sig2, r, s) == asn1::Asn1Error::ok);
    U256 r2, s2, r0, s0;
    FUZZ_CHECK(to_u256(r, r2) && to_u256(s, s2));
    FUZZ_CHECK(to_u256(Bytes(raw, 32), r0) && to_u256(Bytes(raw + 32, 32), s0));
    FUZZ_CHECK(r2 == r0 && (s2 == s0 || s2 == sub(order, s0)));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    padlock::fuzz::Input in(data, size);
    const std::uint8_t mode = in.byte();
    if (mode & 1) tampered(in, (mode & 2) != 0);
    else any_input(in);
    return 0;
}
