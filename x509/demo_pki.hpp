// SPDX-License-Identifier: Apache-2.0
// A throw-away PKI made with padlock's own code, for `padlock demo`, `padlock x509 new` and the
// engine tests: a self-signed CA, a server certificate (serverAuth, its name in subjectAltName) and
// a client certificate (clientAuth), all issued by the CA, each with its private key. Demo only:
// the keys come from the caller's Rng and live in the caller's TestPki.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "crypto/common.hpp"
#include "crypto/rng.hpp"
#include "crypto/rsa/rsa.hpp"
#include "x509/errors.hpp"

namespace padlock::x509 {

// The key of one identity; its certificates are signed with ecdsa-with-SHA256 or, by an RSA
// issuer, sha256WithRSAEncryption (RFC 8446 §4.2.3 allows PKCS#1 v1.5 in certificates).
enum class TestKeyType : std::uint8_t { ecdsa_p256, rsa_2048 };

struct TestPkiOptions {
    std::string_view server_name = "localhost";   // the server's dNSName (and its subject CN)
    bool server_loopback_ips = true;               // also iPAddress 127.0.0.1 and ::1
    std::string_view client_name = "padlock demo client";  // the client's subject CN
    std::string_view organization = "padlock demo";        // O of all three subjects
    std::int64_t not_before_offset = -3600;        // notBefore = now + this (room for clock skew)
    std::int64_t lifetime = 30 * 86400;            // notAfter = now + this
    TestKeyType ca_key = TestKeyType::ecdsa_p256;
    TestKeyType server_key = TestKeyType::ecdsa_p256;
    TestKeyType client_key = TestKeyType::ecdsa_p256;
};

// Room for one certificate and one PKCS#8 key: ECDSA P-256 needs about 600 and 140 bytes, RSA-2048
// about 1000 (an RSA key signed by an RSA CA) and 1220; an RSA-2048 SPKI is 294 bytes.
inline constexpr std::size_t test_cert_capacity = 1536;
inline constexpr std::size_t test_key_capacity = 1280;
inline constexpr std::size_t test_spki_capacity = 320;

// One certificate and its key. Everything is DER in the fixed arrays; the accessors give views.
struct TestIdentity {
    TestKeyType key_type = TestKeyType::ecdsa_p256;
    std::uint8_t cert[test_cert_capacity] = {};
    std::size_t cert_len = 0;
    std::uint8_t spki_der[test_spki_capacity] = {};
    std::size_t spki_len = 0;
    std::uint8_t p256_private[32] = {};               // ecdsa_p256: the scalar (secret)
    RsaKeyMaterial rsa;                               // rsa_2048: n, e, d, p, q, dp, dq, qinv (secret)
    std::uint8_t pkcs8[test_key_capacity] = {};       // the same key as PKCS#8 DER (secret)
    std::size_t pkcs8_len = 0;

    Bytes certificate() const { return Bytes(cert, cert_len); }
    Bytes spki() const { return Bytes(spki_der, spki_len); }
    Bytes private_key_pkcs8() const { return Bytes(pkcs8, pkcs8_len); }
};

// The three identities. Not copyable (keys do not spread); wiped on destruction.
struct TestPki {
    TestIdentity ca, server, client;
    TestPki() = default;
    TestPki(const TestPki&) = delete;
    TestPki& operator=(const TestPki&) = delete;
    ~TestPki();
};

// Generates the three key pairs from `rng` (P-256: FIPS 186-5 A.2.2; RSA-2048: crypto/rsa.hpp
// rsa_generate_key, about a second each) and issues, at `now` (seconds since 1970 UTC), with random
// 16-octet serials and SHA-256 signatures (ECDSA per RFC 6979, hedged; RSA PKCS#1 v1.5):
//   CA:     subject CN "padlock demo CA", self-signed, basicConstraints cA pathLen 0,
//           keyUsage keyCertSign + cRLSign;
//   server: CN and dNSName options.server_name (plus 127.0.0.1 and ::1 when asked),
//           keyUsage digitalSignature, extKeyUsage serverAuth;
//   client: CN options.client_name, keyUsage digitalSignature, extKeyUsage clientAuth;
// all with subject and authority key identifiers. Errors: rng_failure, bad_certificate_spec (a
// name the certificate cannot carry, validity outside 0001-9999), signing_failed. On error `out`
// holds zeros.
X509Error make_test_pki(const Rng& rng, std::int64_t now, const TestPkiOptions& options, TestPki& out);

}  // namespace padlock::x509
