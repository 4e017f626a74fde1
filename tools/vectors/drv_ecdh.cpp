// SPDX-License-Identifier: Apache-2.0
// Wycheproof ECDH drivers for P-256: public keys as SPKI DER (ecdh_test_schema_v1) or as raw SEC 1
// points (ecdh_ecpoint_test_schema_v1). Both run SEC 1 §3.3.1 through p256_ecdh, which validates
// the peer point (on the curve, coordinates below p, not infinity) before using it.
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
#include "crypto/p256.hpp"
#include "tools/vectors/drivers.hpp"

namespace padlock::vectors {

namespace {

Verdict reject(std::string why) { return {false, true, std::move(why)}; }

const char* error_text(Error e) {
    switch (e) {
    case Error::invalid_point: return "invalid public point (SEC 1 §3.2.2.1)";
    case Error::invalid_scalar: return "private key not in [1, n-1]";
    default: return "ecdh failed";
    }
}

// The Wycheproof private key is a big-endian integer of any length (often with a sign octet).
bool private_key(const json& hex_field, std::uint8_t out[32]) {
    auto d = hex(hex_field);
    std::size_t start = 0;
    while (start < d.size() && d[start] == 0) start++;
    if (d.size() - start > 32) return false;
    std::memset(out, 0, 32);
    std::memcpy(out + 32 - (d.size() - start), d.data() + start, d.size() - start);
    return true;
}

Verdict agree(const Case& c, Bytes peer_point) {
    if (c.group.value("curve", "") != "secp256r1") return reject("unsupported curve: rejected");
    std::uint8_t priv[32];
    if (!private_key(c.test["private"], priv)) return reject("private key longer than 32 bytes");
    std::uint8_t shared[32];
    const Error err = p256_ecdh(shared, std::span<const std::uint8_t, 32>(priv, 32), peer_point);
    if (err != Error::ok) return reject(error_text(err));
    const auto expected = hex(c.test["shared"]);
    const bool same = expected.size() == 32 && std::memcmp(expected.data(), shared, 32) == 0;  // public test data
    std::string note;
    if (has_flag(c.test, "CompressedPublic")) note = "compressed point accepted (SEC 1 §2.3.4, RFC 5480 §2.2)";
    return {true, same, note};
}

}  // namespace

Verdict ecdh_case(const Case& c) {
    const auto der = hex(c.test["public"]);
    asn1::Spki spki;
    if (const auto e = asn1::parse_spki(der, spki); e != asn1::Error::ok)
        return reject(std::string("public key SPKI: ") + asn1::error_name(e));
    if (spki.type != asn1::KeyType::ec_p256) return reject("public key is not a P-256 key");
    return agree(c, spki.key);
}

Verdict ecdh_ecpoint_case(const Case& c) {
    const auto point = hex(c.test["public"]);
    return agree(c, point);
}

}  // namespace padlock::vectors
