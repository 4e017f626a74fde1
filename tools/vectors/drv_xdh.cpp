// SPDX-License-Identifier: Apache-2.0
// Wycheproof X25519 drivers: raw keys (xdh_comp_schema_v1), SPKI / PKCS#8 DER
// (xdh_asn_comp_schema_v1) and PEM (xdh_pem_comp_schema_v1). Each decodes the keys its way and
// then runs the same agreement: RFC 7748 §5 X25519, rejecting an all-zero result (§6.1).
//
// Decisions for the "acceptable" cases:
//   ZeroSharedSecret (low-order / small public keys): rejected, as TLS 1.3 requires (RFC 8446 §7.4.2).
//   NonCanonicalPublic (u >= p): accepted, u reduced mod p as RFC 7748 §5 says and §7 recommends.
//   Twist: accepted; X25519 is defined for every u (RFC 7748 §5) and the result is checked exactly.
#include <cstring>
#include <string>
#include <vector>

#include "asn1/keys.hpp"
#include "asn1/pem.hpp"
#include "crypto/ec/x25519.hpp"
#include "tools/vectors/drivers.hpp"

namespace padlock::vectors {

namespace {

Verdict reject(std::string why) { return {false, true, std::move(why)}; }

// What we decided for an acceptable case that we accepted, named by its flags.
std::string acceptance_note(const json& test) {
    std::string note;
    if (has_flag(test, "NonCanonicalPublic")) note += "non-canonical u reduced mod p (RFC 7748 §5); ";
    if (has_flag(test, "Twist")) note += "twist point: X25519 is defined for all u (RFC 7748 §5); ";
    return note.empty() ? note : note.substr(0, note.size() - 2);
}

// The common step of the three schemas: a 32-byte private scalar and a 32-byte peer u.
Verdict agree(const Case& c, Bytes priv, Bytes pub) {
    if (c.group.value("curve", "") != "curve25519") return reject("unsupported curve: rejected");
    if (priv.size() != 32) return reject("private key is not 32 bytes");
    if (pub.size() != 32) return reject("public key is not 32 bytes");
    std::uint8_t shared[32];
    const CryptoError err = x25519(std::span<const std::uint8_t, 32>(priv.data(), 32), std::span<const std::uint8_t, 32>(pub.data(), 32),
                             std::span<std::uint8_t, 32>(shared));
    if (err == CryptoError::all_zero_shared_secret)
        return reject("all-zero shared secret rejected (RFC 7748 §6.1, RFC 8446 §7.4.2)");
    if (err != CryptoError::ok) return reject("x25519 failed");
    const auto expected = hex(c.test["shared"]);
    const bool same = expected.size() == 32 && std::memcmp(expected.data(), shared, 32) == 0;  // public test data
    return {true, same, acceptance_note(c.test)};
}

std::string asn1_note(const char* what, asn1::Asn1Error e) {
    return std::string(what) + ": " + asn1::error_name(e);
}

// SPKI (RFC 8410 §4) and PKCS#8 (RFC 8410 §7) DER, both required to name X25519.
Verdict agree_der(const Case& c, Bytes priv_der, Bytes pub_der) {
    asn1::Pkcs8 priv;
    if (const auto e = asn1::parse_pkcs8(priv_der, priv); e != asn1::Asn1Error::ok) return reject(asn1_note("private key", e));
    if (priv.type != asn1::KeyType::x25519) return reject("private key is not an X25519 key");
    asn1::Spki pub;
    if (const auto e = asn1::parse_spki(pub_der, pub); e != asn1::Asn1Error::ok) return reject(asn1_note("public key", e));
    if (pub.type != asn1::KeyType::x25519) return reject("public key is not an X25519 key");
    return agree(c, priv.private_key, pub.key);
}

Bytes as_bytes(const std::string& s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

// Decodes the first PEM block of `text` into `der`, which must carry `label`.
asn1::Asn1Error pem_to_der(const std::string& text, const char* label, std::vector<std::uint8_t>& der) {
    der.assign(text.size(), 0);  // base64 never expands
    std::size_t pos = 0;
    asn1::PemBlock block;
    if (const auto e = asn1::pem_decode_next(as_bytes(text), pos, block, der); e != asn1::Asn1Error::ok) return e;
    const std::size_t n = std::strlen(label);
    if (block.label.size() != n || std::memcmp(block.label.data(), label, n) != 0) return asn1::Asn1Error::bad_pem;
    der.resize(block.der_len);
    return asn1::Asn1Error::ok;
}

}  // namespace

Verdict xdh_case(const Case& c) {
    const auto priv = hex(c.test["private"]), pub = hex(c.test["public"]);
    return agree(c, priv, pub);
}

Verdict xdh_asn_case(const Case& c) {
    const auto priv = hex(c.test["private"]), pub = hex(c.test["public"]);
    return agree_der(c, priv, pub);
}

Verdict xdh_pem_case(const Case& c) {
    std::vector<std::uint8_t> priv, pub;
    if (const auto e = pem_to_der(c.test["private"].get<std::string>(), "PRIVATE KEY", priv); e != asn1::Asn1Error::ok)
        return reject(asn1_note("private key PEM", e));
    if (const auto e = pem_to_der(c.test["public"].get<std::string>(), "PUBLIC KEY", pub); e != asn1::Asn1Error::ok)
        return reject(asn1_note("public key PEM", e));
    return agree_der(c, priv, pub);
}

}  // namespace padlock::vectors
