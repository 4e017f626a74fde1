// SPDX-License-Identifier: Apache-2.0
// tls/names.hpp against the RFC 8446 lists, transcribed from the RFC text: §6 AlertDescription,
// §4.2.3 SignatureScheme, §4.2.7 NamedGroup, §B.4 CipherSuite. Every listed value has its name and
// no other value has one.
#include <catch2/catch.hpp>

#include <cstring>
#include <map>
#include <string>
#include <string_view>

#include "tls/key_share.hpp"
#include "tls/names.hpp"
#include "tls/suite.hpp"

using namespace padlock::tls;

namespace {

// RFC 8446 §6, "enum { ... } AlertDescription", in the RFC's order.
const std::map<unsigned, std::string> rfc8446_alerts = {
    {0, "close_notify"},          {10, "unexpected_message"},
    {20, "bad_record_mac"},       {22, "record_overflow"},
    {40, "handshake_failure"},    {42, "bad_certificate"},
    {43, "unsupported_certificate"}, {44, "certificate_revoked"},
    {45, "certificate_expired"},  {46, "certificate_unknown"},
    {47, "illegal_parameter"},    {48, "unknown_ca"},
    {49, "access_denied"},        {50, "decode_error"},
    {51, "decrypt_error"},        {70, "protocol_version"},
    {71, "insufficient_security"}, {80, "internal_error"},
    {86, "inappropriate_fallback"}, {90, "user_canceled"},
    {109, "missing_extension"},   {110, "unsupported_extension"},
    {112, "unrecognized_name"},   {113, "bad_certificate_status_response"},
    {115, "unknown_psk_identity"}, {116, "certificate_required"},
    {120, "no_application_protocol"},
};

// RFC 8446 §4.2.3, "enum { ... } SignatureScheme" (the private-use range has no names).
const std::map<unsigned, std::string> rfc8446_schemes = {
    {0x0401, "rsa_pkcs1_sha256"},       {0x0501, "rsa_pkcs1_sha384"},
    {0x0601, "rsa_pkcs1_sha512"},       {0x0403, "ecdsa_secp256r1_sha256"},
    {0x0503, "ecdsa_secp384r1_sha384"}, {0x0603, "ecdsa_secp521r1_sha512"},
    {0x0804, "rsa_pss_rsae_sha256"},    {0x0805, "rsa_pss_rsae_sha384"},
    {0x0806, "rsa_pss_rsae_sha512"},    {0x0807, "ed25519"},
    {0x0808, "ed448"},                  {0x0809, "rsa_pss_pss_sha256"},
    {0x080a, "rsa_pss_pss_sha384"},     {0x080b, "rsa_pss_pss_sha512"},
    {0x0201, "rsa_pkcs1_sha1"},         {0x0203, "ecdsa_sha1"},
};

// RFC 8446 §4.2.7, "enum { ... } NamedGroup".
const std::map<unsigned, std::string> rfc8446_groups = {
    {0x0017, "secp256r1"}, {0x0018, "secp384r1"}, {0x0019, "secp521r1"}, {0x001D, "x25519"},
    {0x001E, "x448"},      {0x0100, "ffdhe2048"}, {0x0101, "ffdhe3072"}, {0x0102, "ffdhe4096"},
    {0x0103, "ffdhe6144"}, {0x0104, "ffdhe8192"},
};

// RFC 8446 §B.4, the cipher suite table.
const std::map<unsigned, std::string> rfc8446_suites = {
    {0x1301, "TLS_AES_128_GCM_SHA256"},       {0x1302, "TLS_AES_256_GCM_SHA384"},
    {0x1303, "TLS_CHACHA20_POLY1305_SHA256"}, {0x1304, "TLS_AES_128_CCM_SHA256"},
    {0x1305, "TLS_AES_128_CCM_8_SHA256"},
};

template <typename Name>
void check_every_value(unsigned count, const std::map<unsigned, std::string>& rfc, Name name) {
    std::size_t named = 0;
    for (unsigned v = 0; v < count; v++) {
        const char* n = name(v);
        const auto it = rfc.find(v);
        INFO("value " << v);
        if (it == rfc.end()) {
            CHECK(n == nullptr);
        } else {
            REQUIRE(n != nullptr);
            CHECK(std::string(n) == it->second);
            named++;
        }
    }
    CHECK(named == rfc.size());
}

}  // namespace

// The functions are usable in constant expressions (no heap, no table to link).
static_assert(std::string_view(alert_name(AlertDescription::certificate_required)) == "certificate_required");
static_assert(signature_scheme_name(0x0804) != nullptr && group_name(0x0042) == nullptr);

TEST_CASE("every RFC 8446 §6 alert has its RFC name, no other value has one", "[tls][names]") {
    check_every_value(256, rfc8446_alerts, [](unsigned v) { return alert_name(AlertDescription(v)); });
}

TEST_CASE("every RFC 8446 §4.2.3 signature scheme has its RFC name", "[tls][names]") {
    check_every_value(65536, rfc8446_schemes, [](unsigned v) { return signature_scheme_name(std::uint16_t(v)); });
}

TEST_CASE("every RFC 8446 §4.2.7 group has its RFC name", "[tls][names]") {
    check_every_value(65536, rfc8446_groups, [](unsigned v) { return group_name(std::uint16_t(v)); });
}

TEST_CASE("every RFC 8446 §B.4 cipher suite has its RFC name", "[tls][names]") {
    check_every_value(65536, rfc8446_suites, [](unsigned v) { return cipher_suite_name(std::uint16_t(v)); });
}

TEST_CASE("the suite and group descriptors carry the names of their code points", "[tls][names]") {
    for (const CipherSuite* s : {&tls_aes_128_gcm_sha256, &tls_aes_256_gcm_sha384, &tls_chacha20_poly1305_sha256})
        CHECK(std::strcmp(s->name, cipher_suite_name(s->code)) == 0);
    for (const KeyShareGroup* g : {&x25519_group, &secp256r1_group})
        CHECK(std::strcmp(g->name, group_name(g->code)) == 0);
}
