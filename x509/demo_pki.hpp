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
#include "x509/errors.hpp"

namespace padlock::x509 {

struct TestPkiOptions {
    std::string_view server_name = "localhost";   // the server's dNSName (and its subject CN)
    bool server_loopback_ips = true;               // also iPAddress 127.0.0.1 and ::1
    std::string_view client_name = "padlock demo client";  // the client's subject CN
    std::string_view organization = "padlock demo";        // O of all three subjects
    std::int64_t not_before_offset = -3600;        // notBefore = now + this (room for clock skew)
    std::int64_t lifetime = 30 * 86400;            // notAfter = now + this
};

// Room for one certificate and one PKCS#8 key (ECDSA P-256 needs about 600 and 140 bytes).
inline constexpr std::size_t test_cert_capacity = 1024;
inline constexpr std::size_t test_key_capacity = 160;
inline constexpr std::size_t test_spki_capacity = 96;

// One certificate and its key. Everything is DER in the fixed arrays; the accessors give views.
struct TestIdentity {
    std::uint8_t cert[test_cert_capacity] = {};
    std::size_t cert_len = 0;
    std::uint8_t spki_der[test_spki_capacity] = {};
    std::size_t spki_len = 0;
    std::uint8_t p256_private[32] = {};               // the ECDSA scalar (secret)
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

// Generates three P-256 key pairs from `rng` (FIPS 186-5 A.2.2) and issues, at `now` (seconds since
// 1970 UTC), with random 16-octet serials and ECDSA-with-SHA-256 signatures (RFC 6979, hedged):
//   CA:     subject CN "padlock demo CA", self-signed, basicConstraints cA pathLen 0,
//           keyUsage keyCertSign + cRLSign;
//   server: CN and dNSName options.server_name (plus 127.0.0.1 and ::1 when asked),
//           keyUsage digitalSignature, extKeyUsage serverAuth;
//   client: CN options.client_name, keyUsage digitalSignature, extKeyUsage clientAuth;
// all with subject and authority key identifiers. Errors: rng_failure, bad_certificate_spec (a
// name the certificate cannot carry, validity outside 0001-9999), signing_failed. On error `out`
// holds zeros.
Error make_test_pki(const Rng& rng, std::int64_t now, const TestPkiOptions& options, TestPki& out);

}  // namespace padlock::x509
