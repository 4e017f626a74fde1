// SPDX-License-Identifier: Apache-2.0
// Wycheproof ECDH drivers for P-256 and P-384: public keys as SPKI DER (ecdh_test_schema_v1) or as
// raw SEC 1 points (ecdh_ecpoint_test_schema_v1). Both run SEC 1 §3.3.1 through p256_ecdh or
// p384_ecdh, which validate the peer point (on the curve, coordinates below p, not infinity) before
// using it.
//
// Decisions for the "acceptable" cases:
//   CompressedPublic: accepted; SEC 1 §2.3.4 defines 02/03 || X and RFC 5480 §2.2 allows it in
//     SPKI. (TLS 1.3 peers must send the uncompressed form, RFC 8446 §4.2.8.2; the TLS layer checks.)
//   UnnamedCurve / explicit curve parameters (ModifiedGenerator, ModifiedCofactor, ...): rejected;
//     RFC 5480 §2.1.1 lets PKIX use namedCurve only, and asn1::parse_spki refuses the rest.
//   InvalidAsn (BER variants of a valid SPKI): rejected by the strict DER parser.
#include <cstring>
#include <string>
#include <vector>

#include "asn1/keys.hpp"
#include "crypto/ec/p256.hpp"
#include "crypto/ec/p384.hpp"
#include "tools/vectors/drivers.hpp"

namespace padlock::vectors {

namespace {

Verdict reject(std::string why) { return {false, true, std::move(why)}; }

const char* error_text(CryptoError e) {
    switch (e) {
    case CryptoError::invalid_point: return "invalid public point (SEC 1 §3.2.2.1)";
    case CryptoError::invalid_scalar: return "private key not in [1, n-1]";
    default: return "ecdh failed";
    }
}

// The Wycheproof private key is a big-endian integer of any length (often with a sign octet),
// written into `size` bytes.
bool private_key(const json& hex_field, std::uint8_t* out, std::size_t size) {
    auto d = hex(hex_field);
    std::size_t start = 0;
    while (start < d.size() && d[start] == 0) start++;
    if (d.size() - start > size) return false;
    std::memset(out, 0, size);
    std::memcpy(out + size - (d.size() - start), d.data() + start, d.size() - start);
    return true;
}

Verdict agree(const Case& c, Bytes peer_point) {
    const std::string curve = c.group.value("curve", "");
    if (curve != "secp256r1" && curve != "secp384r1") return reject("unsupported curve: rejected");
    const std::size_t size = curve == "secp384r1" ? p384_scalar_size : p256_scalar_size;
    std::uint8_t priv[48], shared[48];
    if (!private_key(c.test["private"], priv, size)) return reject("private key longer than the curve's size");
    CryptoError err;
    if (size == p384_scalar_size)
        err = p384_ecdh(std::span<const std::uint8_t, 48>(priv, 48), peer_point, std::span<std::uint8_t, 48>(shared, 48));
    else
        err = p256_ecdh(std::span<const std::uint8_t, 32>(priv, 32), peer_point, std::span<std::uint8_t, 32>(shared, 32));
    if (err != CryptoError::ok) return reject(error_text(err));
    const auto expected = hex(c.test["shared"]);
    const bool same = expected.size() == size && std::memcmp(expected.data(), shared, size) == 0;  // public test data
    std::string note;
    if (has_flag(c.test, "CompressedPublic")) note = "compressed point accepted (SEC 1 §2.3.4, RFC 5480 §2.2)";
    return {true, same, note};
}

}  // namespace

Verdict ecdh_case(const Case& c) {
    const auto der = hex(c.test["public"]);
    asn1::Spki spki;
    if (const auto e = asn1::parse_spki(der, spki); e != asn1::Asn1Error::ok)
        return reject(std::string("public key SPKI: ") + asn1::error_name(e));
    const auto want = c.group.value("curve", "") == "secp384r1" ? asn1::KeyType::ec_p384 : asn1::KeyType::ec_p256;
    if (spki.type != want) return reject("public key is not on the group's curve");
    return agree(c, spki.key);
}

Verdict ecdh_ecpoint_case(const Case& c) {
    const auto point = hex(c.test["public"]);
    return agree(c, point);
}

}  // namespace padlock::vectors
