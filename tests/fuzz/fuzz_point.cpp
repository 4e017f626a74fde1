// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness for P-256 point decoding (crypto/ec/p256.hpp, SEC 1 §2.3.4) and ECDH on the
// decoded point. Properties: an accepted uncompressed input decodes to itself; an accepted
// compressed input compresses back to itself; both encodings of a point decode alike; ECDH takes
// a peer point exactly when decoding does, and gives the same secret for either encoding.
#include <cstdint>
#include <cstring>

#include "crypto/ec/p256.hpp"
#include "tests/fuzz/fuzz.hpp"

using padlock::Bytes;
using padlock::CryptoError;
using padlock::fuzz::equal;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    padlock::fuzz::Input in(data, size);
    const auto priv = in.fixed<32>();
    const Bytes encoded = in.rest();

    std::uint8_t point[65], compressed[33];
    const CryptoError decoded = padlock::p256_decode_point(encoded, point);
    FUZZ_CHECK(decoded == CryptoError::ok || decoded == CryptoError::invalid_point);
    const CryptoError compressed_ok = padlock::p256_compress_point(encoded, compressed);
    FUZZ_CHECK(compressed_ok == decoded);

    std::uint8_t shared[32], shared_again[32];
    const CryptoError dh = padlock::p256_ecdh(priv, encoded, shared);
    if (dh == CryptoError::invalid_scalar) return 0;
    FUZZ_CHECK(dh == decoded);
    if (decoded != CryptoError::ok) return 0;

    FUZZ_CHECK(point[0] == 0x04);
    if (encoded.size() == 65) FUZZ_CHECK(equal(Bytes(point, 65), encoded));
    if (encoded.size() == 33) FUZZ_CHECK(equal(Bytes(compressed, 33), encoded));
    std::uint8_t point_again[65];
    FUZZ_CHECK(padlock::p256_decode_point(Bytes(compressed, 33), point_again) == CryptoError::ok);
    FUZZ_CHECK(std::memcmp(point, point_again, 65) == 0);
    FUZZ_CHECK(compressed[0] == (0x02 | (point[64] & 1)));
    FUZZ_CHECK(std::memcmp(compressed + 1, point + 1, 32) == 0);

    const Bytes other = encoded.size() == 65 ? Bytes(compressed, 33) : Bytes(point, 65);
    FUZZ_CHECK(padlock::p256_ecdh(priv, other, shared_again) == CryptoError::ok);
    FUZZ_CHECK(std::memcmp(shared, shared_again, 32) == 0);
    return 0;
}
