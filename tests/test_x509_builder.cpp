// SPDX-License-Identifier: Apache-2.0
// Certificates built by x509/builder.hpp and the throw-away PKI of x509/demo_pki.hpp. Our own parser
// and path validator read them back, and the openssl command line is the independent judge: `openssl
// verify` accepts the chains (with purpose and host name), `openssl x509 -text` shows the fields
// asked for, `openssl pkey` loads the private keys, and `openssl dgst -verify` accepts a signature
// made with a generated key. Encodings with one right answer (times, keyUsage bits) are checked
// against the bytes X.690 / RFC 5280 prescribe, and civil dates against the C library's gmtime_r.
// gmtime_r is the oracle for dates to 9999, so time_t must be 64 bits on 32-bit targets too (the
// PowerPC build): glibc's _TIME_BITS, which needs _FILE_OFFSET_BITS=64 (Meson passes it).
#define _TIME_BITS 64
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "asn1/keys.hpp"
#include "asn1/pem.hpp"
#include "asn1/time.hpp"
#include "crypto/ec/ecdsa.hpp"
#include "crypto/hash/hash.hpp"
#include "crypto/ec/p256.hpp"
#include "crypto/rsa/rsa.hpp"
#include "tests/support.hpp"
#include "tests/temp_files.hpp"
#include "x509/builder.hpp"
#include "x509/certificate.hpp"
#include "x509/demo_pki.hpp"
#include "x509/hostname.hpp"
#include "x509/path.hpp"

namespace x = padlock::x509;
using padlock::Bytes;
using padlock::test::Buf;
using padlock::test::hex;
using padlock::test::unhex;
using padlock::test::contains;
using padlock::test::run;
using padlock::test::Run;
using padlock::test::TempDir;
using padlock::test::write_file;

namespace {

// A reproducible generator for the tests: SHA-256(seed || counter) blocks. A failing run can be
// replayed; what the bytes are does not matter to any assertion.
struct TestRng {
    std::uint8_t seed = 0;
    std::uint64_t counter = 0;
    static padlock::CryptoError fill(void* ctx, padlock::MutBytes out) {
        auto& self = *static_cast<TestRng*>(ctx);
        for (std::size_t i = 0; i < out.size(); i += 32) {
            std::uint8_t in[9] = {self.seed};
            for (int b = 0; b < 8; b++) in[1 + b] = std::uint8_t(self.counter >> (8 * b));
            self.counter++;
            std::uint8_t block[32];
            if (padlock::CryptoError e = padlock::hash(padlock::HashAlg::sha256, in, block); e != padlock::CryptoError::ok) return e;
            for (std::size_t j = 0; j < 32 && i + j < out.size(); j++) out[i + j] = block[j];
        }
        return padlock::CryptoError::ok;
    }
    padlock::Rng rng() { return {&TestRng::fill, this}; }
};

padlock::CryptoError failing_fill(void*, padlock::MutBytes) { return padlock::CryptoError::rng_failure; }

constexpr std::int64_t now = 1764633600;  // 2025-12-02T00:00:00Z

x::Certificate parse(Bytes der) {
    x::Certificate c;
    REQUIRE(x::error_name(x::parse_certificate(der, c)) == std::string("ok"));
    return c;
}

x::Result validate(const x::Certificate& leaf, const x::Certificate& anchor, x::Purpose purpose,
                   std::string_view host, std::int64_t at = now) {
    x::PathInput in;
    in.leaf = &leaf;
    in.anchors = std::span<const x::Certificate>(&anchor, 1);
    in.time = at;
    in.purpose = purpose;
    in.hostname = host;
    x::PathScratch scratch;
    return x::build_path(in, scratch);
}

// --- the openssl side: files in a fresh temporary directory, commands with their output ---

std::string pem(const char* label, Bytes der) {
    std::string out(padlock::asn1::pem_encoded_size(std::strlen(label), der.size()), '\0');
    std::size_t n = 0;
    REQUIRE(padlock::asn1::pem_encode(padlock::test::text(label), der,
                                      padlock::MutBytes(reinterpret_cast<std::uint8_t*>(out.data()), out.size()),
                                      n) == padlock::asn1::Asn1Error::ok);
    out.resize(n);
    return out;
}

void write_pem(const std::string& path, const char* label, Bytes der) {
    const std::string p = pem(label, der);
    write_file(path, padlock::test::text(p));
}

Run openssl_verify(const TempDir& dir, const std::string& extra, const std::string& leaf) {
    return run("openssl verify -attime " + std::to_string(now) + " -CAfile '" + dir.file("ca.pem") + "' " + extra +
               " '" + dir.file(leaf) + "'");
}

// A TestPki made once per test with a seeded generator.
struct Pki {
    TestRng gen;
    x::TestPki pki;
    explicit Pki(std::uint8_t seed, const x::TestPkiOptions& options = {}) {
        gen.seed = seed;
        const padlock::Rng rng = gen.rng();
        REQUIRE(x::error_name(x::make_test_pki(rng, now, options, pki)) == std::string("ok"));
    }
};

}  // namespace

TEST_CASE("from_unix_seconds agrees with gmtime_r and to_unix_seconds", "[x509][builder][time]") {
    struct Known { std::int64_t t; int y, mo, d, h, mi, s; };
    // Dates whose Unix time is fixed by definition or easily recomputed: the epoch, a leap day, the
    // first second of 2050 (where RFC 5280 §4.1.2.5 switches to GeneralizedTime), the last of 9999.
    for (const Known k : {Known{0, 1970, 1, 1, 0, 0, 0}, Known{951782400, 2000, 2, 29, 0, 0, 0},
                          Known{2524607999, 2049, 12, 31, 23, 59, 59}, Known{2524608000, 2050, 1, 1, 0, 0, 0},
                          Known{253402300799, 9999, 12, 31, 23, 59, 59}, Known{-62135596800, 1, 1, 1, 0, 0, 0}}) {
        padlock::asn1::Time t;
        REQUIRE(padlock::asn1::from_unix_seconds(k.t, t) == padlock::asn1::Asn1Error::ok);
        CHECK(t.year == k.y);
        CHECK(t.month == k.mo);
        CHECK(t.day == k.d);
        CHECK(t.hour == k.h);
        CHECK(t.minute == k.mi);
        CHECK(t.second == k.s);
    }
    padlock::asn1::Time t;
    CHECK(padlock::asn1::from_unix_seconds(253402300800, t) == padlock::asn1::Asn1Error::bad_argument);
    CHECK(padlock::asn1::from_unix_seconds(-62135596801, t) == padlock::asn1::Asn1Error::bad_argument);
    // A spread over 1900-9999 against glibc's calendar.
    TestRng gen{7};
    for (int i = 0; i < 20000; i++) {
        std::uint64_t r = 0;
        REQUIRE(TestRng::fill(&gen, padlock::MutBytes(reinterpret_cast<std::uint8_t*>(&r), sizeof r)) == padlock::CryptoError::ok);
        const std::int64_t secs = -2208988800 + std::int64_t(r % std::uint64_t(253402300799 + 2208988800));
        static_assert(sizeof(std::time_t) == 8, "the gmtime_r oracle needs a 64-bit time_t");
        const std::time_t tt = std::time_t(secs);
        std::tm tm{};
        REQUIRE(gmtime_r(&tt, &tm) != nullptr);
        REQUIRE(padlock::asn1::from_unix_seconds(secs, t) == padlock::asn1::Asn1Error::ok);
        INFO("seconds " << secs);
        REQUIRE(t.year == tm.tm_year + 1900);
        REQUIRE(t.month == tm.tm_mon + 1);
        REQUIRE(t.day == tm.tm_mday);
        REQUIRE(t.hour == tm.tm_hour);
        REQUIRE(t.minute == tm.tm_min);
        REQUIRE(t.second == tm.tm_sec);
        REQUIRE(padlock::asn1::to_unix_seconds(t) == secs);
    }
}

TEST_CASE("make_test_pki: every certificate parses and says what was asked", "[x509][builder][pki]") {
    Pki p(1);
    const x::Certificate ca = parse(p.pki.ca.certificate());
    const x::Certificate server = parse(p.pki.server.certificate());
    const x::Certificate client = parse(p.pki.client.certificate());
    for (const x::Certificate* c : {&ca, &server, &client}) {
        CHECK(c->version == 3);
        CHECK(c->serial.size() == 16);
        CHECK(c->signature_alg_status == padlock::asn1::SignatureError::ok);
        CHECK(c->signature_alg_id.family == padlock::asn1::SignatureFamily::ecdsa);
        CHECK(c->public_key.type == padlock::asn1::KeyType::ec_p256);
        CHECK(padlock::asn1::to_unix_seconds(c->not_before) == now - 3600);
        CHECK(padlock::asn1::to_unix_seconds(c->not_after) == now + 30 * 86400);
        CHECK(c->extensions.basic_constraints.present);
        CHECK(c->extensions.basic_constraints.critical);
        CHECK(c->extensions.key_usage.critical);
        CHECK(c->extensions.subject_key_identifier.key_id.size() == 20);
        CHECK(hex(c->extensions.authority_key_identifier.key_id) == hex(ca.extensions.subject_key_identifier.key_id));
        CHECK(hex(c->issuer.der) == hex(ca.subject.der));
        CHECK(x::check_critical_extensions(*c) == x::X509Error::ok);
        CHECK(x::verify_signed_by(*c, ca) == x::X509Error::ok);
    }
    CHECK(ca.extensions.basic_constraints.ca);
    CHECK(ca.extensions.basic_constraints.has_path_len);
    CHECK(ca.extensions.basic_constraints.path_len == 0);
    CHECK(ca.extensions.key_usage.bits == (x::key_usage::key_cert_sign | x::key_usage::crl_sign));
    CHECK_FALSE(ca.extensions.ext_key_usage.present);
    CHECK_FALSE(server.extensions.basic_constraints.ca);
    CHECK(server.extensions.key_usage.bits == x::key_usage::digital_signature);
    CHECK(server.extensions.ext_key_usage.server_auth);
    CHECK_FALSE(server.extensions.ext_key_usage.client_auth);
    CHECK(client.extensions.ext_key_usage.client_auth);
    CHECK_FALSE(client.extensions.ext_key_usage.server_auth);
    CHECK_FALSE(client.extensions.subject_alt_name.present);
    // The private keys match the certified public keys.
    for (const x::TestIdentity* id : {&p.pki.ca, &p.pki.server, &p.pki.client}) {
        std::uint8_t pub[65];
        REQUIRE(padlock::p256_public_from_private(id->p256_private, pub) == padlock::CryptoError::ok);
        const x::Certificate c = parse(id->certificate());
        CHECK(hex(c.public_key.key) == hex(pub));
        padlock::asn1::Pkcs8 p8;
        REQUIRE(padlock::asn1::parse_pkcs8(id->private_key_pkcs8(), p8) == padlock::asn1::Asn1Error::ok);
        padlock::asn1::EcPrivateKey ec;
        REQUIRE(padlock::asn1::parse_ec_private_key(p8.private_key, padlock::asn1::KeyType::ec_p256, ec) ==
                padlock::asn1::Asn1Error::ok);
        CHECK(hex(ec.d) == hex(Bytes(id->p256_private)));
        CHECK(hex(ec.public_point) == hex(pub));
    }
}

TEST_CASE("make_test_pki: our path validation and host name check", "[x509][builder][pki]") {
    Pki p(2);
    const x::Certificate ca = parse(p.pki.ca.certificate());
    const x::Certificate server = parse(p.pki.server.certificate());
    const x::Certificate client = parse(p.pki.client.certificate());
    CHECK(x::error_name(validate(server, ca, x::Purpose::server_auth, "localhost").error) == std::string("ok"));
    CHECK(x::error_name(validate(server, ca, x::Purpose::server_auth, "127.0.0.1").error) == std::string("ok"));
    CHECK(x::error_name(validate(server, ca, x::Purpose::server_auth, "::1").error) == std::string("ok"));
    CHECK(x::error_name(validate(client, ca, x::Purpose::client_auth, {}).error) == std::string("ok"));
    CHECK(x::error_name(validate(ca, ca, x::Purpose::any, {}).error) == std::string("ok"));
    // What a wrong use gives.
    CHECK(validate(server, ca, x::Purpose::server_auth, "example.com").error == x::X509Error::hostname_mismatch);
    CHECK(validate(server, ca, x::Purpose::client_auth, {}).error == x::X509Error::ext_key_usage_mismatch);
    CHECK(validate(client, ca, x::Purpose::server_auth, {}).error == x::X509Error::ext_key_usage_mismatch);
    CHECK(validate(server, ca, x::Purpose::server_auth, "localhost", now + 31 * 86400).error ==
          x::X509Error::certificate_expired);
    CHECK(validate(server, ca, x::Purpose::server_auth, "localhost", now - 7200).error ==
          x::X509Error::certificate_not_yet_valid);
    // Another PKI's CA does not vouch for this server.
    Pki other(3);
    const x::Certificate other_ca = parse(other.pki.ca.certificate());
    CHECK(validate(server, other_ca, x::Purpose::server_auth, "localhost").error != x::X509Error::ok);
    // The server's own name option.
    x::TestPkiOptions opt;
    opt.server_name = "demo.padlock.test";
    opt.server_loopback_ips = false;
    Pki named(4, opt);
    const x::Certificate named_server = parse(named.pki.server.certificate());
    const x::Certificate named_ca = parse(named.pki.ca.certificate());
    CHECK(validate(named_server, named_ca, x::Purpose::server_auth, "demo.padlock.test").error == x::X509Error::ok);
    CHECK(validate(named_server, named_ca, x::Purpose::server_auth, "127.0.0.1").error == x::X509Error::hostname_mismatch);
}

TEST_CASE("make_test_pki: a tampered certificate fails the path check", "[x509][builder][pki]") {
    Pki p(5);
    const x::Certificate ca = parse(p.pki.ca.certificate());
    const Bytes good = p.pki.server.certificate();
    const x::Certificate server = parse(good);
    // Flip each bit of the TBSCertificate's serial and subject key, and of the signature value: every
    // flip that still parses must fail the signature (and so the path).
    std::size_t checked = 0;
    const std::size_t serial_at = std::size_t(server.serial.data() - good.data());
    const std::size_t sig_at = std::size_t(server.signature.data() - good.data());
    for (std::size_t at : {serial_at, serial_at + 15, sig_at + 5, sig_at + server.signature.size() - 1}) {
        for (int bit = 0; bit < 8; bit++) {
            Buf bad(good.begin(), good.end());
            bad[at] ^= std::uint8_t(1u << bit);
            x::Certificate c;
            if (x::parse_certificate(bad, c) != x::X509Error::ok) continue;
            checked++;
            CHECK(validate(c, ca, x::Purpose::server_auth, "localhost").error == x::X509Error::bad_signature);
        }
    }
    CHECK(checked >= 16);
}

TEST_CASE("make_test_pki: openssl verifies the chains, shows the fields and loads the keys", "[x509][builder][pki][openssl]") {
    Pki p(6);
    TempDir dir;
    write_pem(dir.file("ca.pem"), "CERTIFICATE", p.pki.ca.certificate());
    write_pem(dir.file("server.pem"), "CERTIFICATE", p.pki.server.certificate());
    write_pem(dir.file("client.pem"), "CERTIFICATE", p.pki.client.certificate());
    write_pem(dir.file("server.key"), "PRIVATE KEY", p.pki.server.private_key_pkcs8());
    write_pem(dir.file("client.key"), "PRIVATE KEY", p.pki.client.private_key_pkcs8());
    write_pem(dir.file("ca.key"), "PRIVATE KEY", p.pki.ca.private_key_pkcs8());

    Run r = openssl_verify(dir, "-x509_strict -purpose sslserver -verify_hostname localhost", "server.pem");
    INFO(r.output);
    CHECK(r.status == 0);
    CHECK(contains(r.output, "server.pem: OK"));
    r = openssl_verify(dir, "-x509_strict -purpose sslserver -verify_ip 127.0.0.1", "server.pem");
    CHECK(r.status == 0);
    r = openssl_verify(dir, "-x509_strict -purpose sslclient", "client.pem");
    CHECK(r.status == 0);
    CHECK(contains(r.output, "client.pem: OK"));
    r = openssl_verify(dir, "-x509_strict", "ca.pem");
    CHECK(r.status == 0);
    // The oracle can say no: the wrong purpose, the wrong name, a time after notAfter.
    r = openssl_verify(dir, "-purpose sslclient", "server.pem");
    CHECK(r.status != 0);
    r = openssl_verify(dir, "-purpose sslserver", "client.pem");
    CHECK(r.status != 0);
    r = openssl_verify(dir, "-verify_hostname example.com", "server.pem");
    CHECK(r.status != 0);
    r = run("openssl verify -attime " + std::to_string(now + 31 * 86400) + " -CAfile '" + dir.file("ca.pem") + "' '" +
            dir.file("server.pem") + "'");
    CHECK(r.status != 0);

    // The fields, as openssl prints them.
    r = run("openssl x509 -noout -text -in '" + dir.file("ca.pem") + "'");
    CHECK(r.status == 0);
    CHECK(contains(r.output, "Version: 3 (0x2)"));
    CHECK(contains(r.output, "Signature Algorithm: ecdsa-with-SHA256"));
    CHECK(contains(r.output, "Issuer: O = padlock demo, CN = padlock demo CA"));
    CHECK(contains(r.output, "Subject: O = padlock demo, CN = padlock demo CA"));
    CHECK(contains(r.output, "Not Before: Dec  1 23:00:00 2025 GMT"));
    CHECK(contains(r.output, "Not After : Jan  1 00:00:00 2026 GMT"));
    CHECK(contains(r.output, "ASN1 OID: prime256v1"));
    CHECK(contains(r.output, "X509v3 Basic Constraints: critical\n                CA:TRUE, pathlen:0"));
    CHECK(contains(r.output, "X509v3 Key Usage: critical\n                Certificate Sign, CRL Sign"));
    CHECK(contains(r.output, "X509v3 Subject Key Identifier"));
    r = run("openssl x509 -noout -text -in '" + dir.file("server.pem") + "'");
    CHECK(contains(r.output, "Subject: O = padlock demo, CN = localhost"));
    CHECK(contains(r.output, "X509v3 Basic Constraints: critical\n                CA:FALSE"));
    CHECK(contains(r.output, "X509v3 Key Usage: critical\n                Digital Signature"));
    CHECK(contains(r.output, "X509v3 Extended Key Usage: \n                TLS Web Server Authentication"));
    CHECK(contains(r.output, "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"));
    CHECK(contains(r.output, "X509v3 Authority Key Identifier"));
    r = run("openssl x509 -noout -text -in '" + dir.file("client.pem") + "'");
    CHECK(contains(r.output, "Subject: O = padlock demo, CN = padlock demo client"));
    CHECK(contains(r.output, "TLS Web Client Authentication"));
    CHECK_FALSE(contains(r.output, "Subject Alternative Name"));
    // openssl's key identifiers: the subject's SKI, the issuer's in the AKI. Compared with the bytes
    // RFC 7093 §2 method 1 gives (SHA-256 of the subjectPublicKey, first 160 bits), computed here.
    std::uint8_t ca_digest[32];
    REQUIRE(padlock::hash(padlock::HashAlg::sha256, parse(p.pki.ca.certificate()).public_key.key, ca_digest) == padlock::CryptoError::ok);
    std::string ski;
    for (int i = 0; i < 20; i++) {
        char b[4];
        std::snprintf(b, sizeof b, "%s%02X", i ? ":" : "", ca_digest[i]);
        ski += b;
    }
    CHECK(contains(r.output, ski));

    // openssl loads the keys, and each is the key of its certificate.
    for (const char* who : {"ca", "server", "client"}) {
        const std::string key = dir.file(std::string(who) + ".key"), cert = dir.file(std::string(who) + ".pem");
        r = run("openssl pkey -noout -check -in '" + key + "'");
        INFO(who << ": " << r.output);
        CHECK(r.status == 0);
        const Run from_key = run("openssl pkey -pubout -in '" + key + "'");
        const Run from_cert = run("openssl x509 -noout -pubkey -in '" + cert + "'");
        CHECK(from_key.status == 0);
        CHECK(from_key.output == from_cert.output);
        CHECK(contains(from_key.output, "BEGIN PUBLIC KEY"));
    }

    // A signature made with the generated server key verifies with openssl.
    const std::string message = "padlock demo: signed with a generated key";
    std::uint8_t rs[64];
    REQUIRE(padlock::ecdsa_p256_sign(p.pki.server.p256_private, padlock::HashAlg::sha256, padlock::test::text(message),
                                     rs) == padlock::CryptoError::ok);
    std::uint8_t der[80];
    std::size_t der_len = 0;
    REQUIRE(padlock::asn1::write_ecdsa_signature(Bytes(rs, 32), Bytes(rs + 32, 32), der, der_len) ==
            padlock::asn1::Asn1Error::ok);
    write_file(dir.file("msg.bin"), padlock::test::text(message));
    write_file(dir.file("msg.sig"), Bytes(der, der_len));
    write_pem(dir.file("server.pub"), "PUBLIC KEY", p.pki.server.spki());
    r = run("openssl dgst -sha256 -verify '" + dir.file("server.pub") + "' -signature '" + dir.file("msg.sig") + "' '" +
            dir.file("msg.bin") + "'");
    CHECK(r.status == 0);
    CHECK(contains(r.output, "Verified OK"));
    // ... and a flipped signature does not.
    der[der_len - 1] ^= 1;
    write_file(dir.file("msg.sig"), Bytes(der, der_len));
    r = run("openssl dgst -sha256 -verify '" + dir.file("server.pub") + "' -signature '" + dir.file("msg.sig") + "' '" +
            dir.file("msg.bin") + "'");
    CHECK(r.status != 0);

    // A tampered server certificate: openssl refuses it too.
    Buf bad(p.pki.server.certificate().begin(), p.pki.server.certificate().end());
    const x::Certificate server = parse(p.pki.server.certificate());
    bad[std::size_t(server.serial.data() - p.pki.server.certificate().data())] ^= 0x01;
    write_pem(dir.file("bad.pem"), "CERTIFICATE", bad);
    r = openssl_verify(dir, "", "bad.pem");
    CHECK(r.status != 0);
    CHECK(contains(r.output, "signature failure"));
}

namespace {

// A P-256 signer and its SPKI, from a seeded generator.
struct P256Signer {
    std::uint8_t priv[32];
    std::uint8_t pub[65];
    std::uint8_t spki[96];
    std::size_t spki_len = 0;
    explicit P256Signer(TestRng& gen) {
        REQUIRE(padlock::p256_keygen(gen.rng(), priv, pub) == padlock::CryptoError::ok);
        padlock::asn1::Spki s;
        s.type = padlock::asn1::KeyType::ec_p256;
        s.key = pub;
        REQUIRE(padlock::asn1::write_spki(s, spki, spki_len) == padlock::asn1::Asn1Error::ok);
    }
    Bytes spki_der() const { return Bytes(spki, spki_len); }
    x::SigningKey key() const { return {padlock::asn1::SignatureAlg::ecdsa_p256_sha256, priv, nullptr, spki_der()}; }
};

const std::uint8_t serial_one[1] = {0x01};

// A self-signed CA spec for `signer`, valid around `now`.
x::CertificateSpec ca_spec(Bytes spki) {
    x::CertificateSpec s;
    s.serial = serial_one;
    s.issuer = s.subject = {"NZ", "padlock tests", "builder test CA"};
    s.not_before = now - 60;
    s.not_after = now + 86400;
    s.subject_public_key = spki;
    s.ca = true;
    s.key_usage = x::key_usage::key_cert_sign;
    return s;
}

Buf build(const x::CertificateSpec& spec, const x::SigningKey& key, TestRng& gen) {
    Buf out(4096);
    std::size_t n = 0;
    const padlock::Rng rng = gen.rng();
    const x::X509Error e = x::build_certificate(spec, key, rng, out, n);
    REQUIRE(x::error_name(e) == std::string("ok"));
    out.resize(n);
    return out;
}

bool has_bytes(Bytes hay, const Buf& needle) {
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

// The OpenSSL-generated RSA-2048 key of vectors/rsa/, loaded, with its SPKI.
struct RsaCa {
    Buf key_der;
    padlock::RsaPrivateKey rsa;
    std::uint8_t pub_der[300], spki_der[320];
    std::size_t pub_len = 0, spki_len = 0;
    RsaCa() {
        std::ifstream f(padlock::test::kat_path("rsa/key2048.der"), std::ios::binary);
        REQUIRE(f.good());
        key_der.assign(std::istreambuf_iterator<char>(f), {});
        padlock::asn1::Pkcs8 p8;
        REQUIRE(padlock::asn1::parse_pkcs8(key_der, p8) == padlock::asn1::Asn1Error::ok);
        padlock::asn1::RsaPrivateKeyDer fields;
        REQUIRE(padlock::asn1::parse_rsa_private_key(p8.private_key, fields) == padlock::asn1::Asn1Error::ok);
        REQUIRE(rsa.load({fields.n, fields.e, fields.d, fields.p, fields.q, fields.dp, fields.dq, fields.qinv}) ==
                padlock::CryptoError::ok);
        REQUIRE(padlock::asn1::write_rsa_public_key({fields.n, fields.e}, pub_der, pub_len) == padlock::asn1::Asn1Error::ok);
        padlock::asn1::Spki spki;
        spki.type = padlock::asn1::KeyType::rsa;
        spki.key = Bytes(pub_der, pub_len);
        REQUIRE(padlock::asn1::write_spki(spki, spki_der, spki_len) == padlock::asn1::Asn1Error::ok);
    }
    x::SigningKey key(padlock::asn1::SignatureAlg alg) const { return {alg, {}, &rsa, Bytes(spki_der, spki_len)}; }
};

}  // namespace

TEST_CASE("builder: encodings fixed by X.690 and RFC 5280", "[x509][builder]") {
    TestRng gen{10};
    const P256Signer ca(gen);
    x::CertificateSpec spec = ca_spec(ca.spki_der());

    SECTION("keyUsage as a DER named-bit BIT STRING (X.690 §11.2.2: trailing zero bits dropped)") {
        struct Case { std::uint16_t bits; const char* der; };
        for (const Case c : {Case{x::key_usage::digital_signature, "03020780"},
                             Case{x::key_usage::key_cert_sign | x::key_usage::crl_sign, "03020106"},
                             Case{x::key_usage::key_cert_sign, "03020204"},
                             Case{x::key_usage::digital_signature | x::key_usage::decipher_only, "0303078080"},
                             Case{x::key_usage::encipher_only, "03020001"}}) {
            spec.key_usage = c.bits;
            const Buf der = build(spec, ca.key(), gen);
            const x::Certificate cert = parse(der);
            CHECK(hex(cert.extensions.key_usage.value) == c.der);
            CHECK(cert.extensions.key_usage.bits == c.bits);
        }
    }
    SECTION("validity: UTCTime through 2049, GeneralizedTime from 2050 (§4.1.2.5)") {
        spec.not_before = 2524607999;  // 2049-12-31T23:59:59Z
        spec.not_after = 2524608000;   // 2050-01-01T00:00:00Z
        const Buf der = build(spec, ca.key(), gen);
        CHECK(has_bytes(der, unhex("170d 3439 3132 3331 3233 3539 3539 5a")));
        CHECK(has_bytes(der, unhex("180f 3230 3530 3031 3031 3030 3030 3030 5a")));
        const x::Certificate cert = parse(der);
        CHECK_FALSE(cert.generalized_time_before_2050);
        CHECK(padlock::asn1::to_unix_seconds(cert.not_before) == 2524607999);
        CHECK(padlock::asn1::to_unix_seconds(cert.not_after) == 2524608000);
        TempDir dir;
        write_pem(dir.file("c.pem"), "CERTIFICATE", der);
        const Run r = run("openssl x509 -noout -dates -in '" + dir.file("c.pem") + "'");
        CHECK(contains(r.output, "notBefore=Dec 31 23:59:59 2049 GMT"));
        CHECK(contains(r.output, "notAfter=Jan  1 00:00:00 2050 GMT"));
    }
    SECTION("names: C as PrintableString, O and CN as UTF8String, in that order") {
        spec.subject = {"NZ", "padlock tests", "Zo\xC3\xAB"};
        const Buf der = build(spec, ca.key(), gen);
        const x::Certificate cert = parse(der);
        // SEQUENCE { SET { SEQUENCE { 2.5.4.6, PrintableString "NZ" } }, ... UTF8String "Zoë" }
        CHECK(has_bytes(cert.subject.der, unhex("310b 3009 0603 550406 1302 4e5a")));
        CHECK(has_bytes(cert.subject.der, unhex("0603 550403 0c04 5a6fc3ab")));
        x::AttributeCursor cur(cert.subject);
        x::Attribute a;
        std::vector<std::uint8_t> tags;
        while (cur.next(a)) tags.push_back(a.string_tag);
        CHECK(tags == std::vector<std::uint8_t>{0x13, 0x0C, 0x0C});
        TempDir dir;
        write_pem(dir.file("c.pem"), "CERTIFICATE", der);
        const Run r = run("openssl x509 -noout -subject -nameopt utf8,sep_comma_plus_space -in '" + dir.file("c.pem") + "'");
        CHECK(contains(r.output, "C=NZ, O=padlock tests, CN=Zo\xC3\xAB"));
    }
    SECTION("an empty subject makes the subjectAltName critical (§4.1.2.6)") {
        const std::string_view dns[] = {"*.example.com"};
        spec.subject = {};
        spec.ca = false;
        spec.key_usage = x::key_usage::digital_signature;
        spec.dns_names = dns;
        x::SigningKey issuer = ca.key();
        const Buf der = build(spec, issuer, gen);
        const x::Certificate cert = parse(der);
        CHECK(cert.subject.rdn_count == 0);
        CHECK(cert.extensions.subject_alt_name.critical);
        CHECK(x::verify_hostname(cert, "www.example.com") == x::X509Error::ok);
        CHECK(x::verify_hostname(cert, "example.com") == x::X509Error::hostname_mismatch);
    }
    SECTION("without key identifiers, and with pathLen 3") {
        spec.key_identifiers = false;
        spec.path_len = 3;
        const Buf der = build(spec, ca.key(), gen);
        const x::Certificate cert = parse(der);
        CHECK_FALSE(cert.extensions.subject_key_identifier.present);
        CHECK_FALSE(cert.extensions.authority_key_identifier.present);
        CHECK(cert.extensions.basic_constraints.path_len == 3);
        // BasicConstraints ::= SEQUENCE { BOOLEAN TRUE, INTEGER 3 }
        CHECK(hex(cert.extensions.basic_constraints.value) == "30060101ff020103");
    }
}

TEST_CASE("builder: TBSCertificate then sign_certificate, as one call does", "[x509][builder]") {
    TestRng gen{11};
    const P256Signer ca(gen);
    const x::CertificateSpec spec = ca_spec(ca.spki_der());
    Buf tbs(2048), cert(2048);
    std::size_t tbs_len = 0, cert_len = 0;
    REQUIRE(x::build_tbs_certificate(spec, ca.key(), tbs, tbs_len) == x::X509Error::ok);
    const padlock::Rng rng = gen.rng();
    REQUIRE(x::sign_certificate(Bytes(tbs.data(), tbs_len), ca.key(), rng, cert, cert_len) == x::X509Error::ok);
    const x::Certificate c = parse(Bytes(cert.data(), cert_len));
    CHECK(hex(c.tbs) == hex(Bytes(tbs.data(), tbs_len)));
    CHECK(x::verify_signed_by(c, c) == x::X509Error::ok);
    // The one-call form builds the same TBSCertificate (the signature differs: hedged nonces).
    const Buf one_der = build(spec, ca.key(), gen);
    const x::Certificate one = parse(one_der);
    CHECK(hex(one.tbs) == hex(c.tbs));
}

TEST_CASE("builder: refused input gives its error and no output", "[x509][builder]") {
    TestRng gen{12};
    const P256Signer ca(gen);
    const x::CertificateSpec good = ca_spec(ca.spki_der());
    const padlock::Rng rng = gen.rng();
    auto refused = [&](const x::CertificateSpec& spec, const x::SigningKey& key) {
        Buf out(4096, 0xAA);
        std::size_t n = 12345;
        const x::X509Error e = x::build_certificate(spec, key, rng, out, n);
        CHECK(n == 12345);
        CHECK(std::all_of(out.begin(), out.end(), [](std::uint8_t b) { return b == 0; }));
        return e;
    };
    const std::uint8_t zero_first[2] = {0x00, 0x01}, top_bit_20[20] = {0x80}, ok_20[20] = {0x7F};
    const std::uint8_t ip5[5] = {1, 2, 3, 4, 5};
    const Bytes bad_ip[] = {Bytes(ip5)};
    const std::string_view bad_dns[][1] = {{"exa mple.com"}, {"-a.example"}, {"a..b"}, {"www.*.example"},
                                           {"*"}, {""}, {"caf\xC3\xA9.example"}};
    x::CertificateSpec s = good;

    s.serial = {};
    CHECK(refused(s, ca.key()) == x::X509Error::bad_certificate_spec);
    s.serial = zero_first;
    CHECK(refused(s, ca.key()) == x::X509Error::bad_certificate_spec);
    s.serial = top_bit_20;  // 21 octets with the sign octet
    CHECK(refused(s, ca.key()) == x::X509Error::bad_certificate_spec);
    s.serial = ok_20;
    const Buf serial_20 = build(s, ca.key(), gen);
    CHECK(parse(serial_20).serial.size() == 20);
    s = good;
    s.subject.country = "NZL";
    CHECK(refused(s, ca.key()) == x::X509Error::bad_certificate_spec);
    s.subject.country = "N*";
    CHECK(refused(s, ca.key()) == x::X509Error::bad_certificate_spec);
    s = good;
    s.subject.common_name = "\xC3\x28";  // not UTF-8
    CHECK(refused(s, ca.key()) == x::X509Error::bad_certificate_spec);
    s = good;
    s.issuer = {};
    CHECK(refused(s, ca.key()) == x::X509Error::bad_certificate_spec);
    s = good;
    s.subject = {};  // and no subjectAltName
    CHECK(refused(s, ca.key()) == x::X509Error::bad_certificate_spec);
    s = good;
    s.not_after = s.not_before - 1;
    CHECK(refused(s, ca.key()) == x::X509Error::bad_certificate_spec);
    s = good;
    s.not_after = 253402300800;  // year 10000
    CHECK(refused(s, ca.key()) == x::X509Error::bad_certificate_spec);
    s = good;
    s.ip_addresses = bad_ip;
    CHECK(refused(s, ca.key()) == x::X509Error::bad_certificate_spec);
    for (const auto& d : bad_dns) {
        s = good;
        s.dns_names = d;
        INFO("dNSName \"" << d[0] << "\"");
        CHECK(refused(s, ca.key()) == x::X509Error::bad_certificate_spec);
    }
    s = good;
    s.ca = false;
    s.path_len = 0;
    CHECK(refused(s, ca.key()) == x::X509Error::bad_certificate_spec);
    s = good;
    s.key_usage = 1u << 9;
    CHECK(refused(s, ca.key()) == x::X509Error::bad_certificate_spec);
    s = good;
    const std::uint8_t not_spki[3] = {0x30, 0x01, 0x00};
    s.subject_public_key = not_spki;
    CHECK(refused(s, ca.key()) == x::X509Error::bad_certificate_spec);

    x::SigningKey k = ca.key();
    k.alg = padlock::asn1::SignatureAlg::ecdsa_p384_sha384;
    CHECK(refused(good, k) == x::X509Error::unsupported_signature_algorithm);
    k = ca.key();
    k.p256_private = {};
    CHECK(refused(good, k) == x::X509Error::bad_certificate_spec);
    k = ca.key();
    const std::uint8_t zero_scalar[32] = {};
    k.p256_private = zero_scalar;
    CHECK(refused(good, k) == x::X509Error::signing_failed);
    k = ca.key();
    k.spki = not_spki;  // the authorityKeyIdentifier needs the issuer's key
    CHECK(refused(good, k) == x::X509Error::bad_certificate_spec);
    const padlock::Rng broken{&failing_fill, nullptr};
    Buf out(4096);
    std::size_t n = 0;
    CHECK(x::build_certificate(good, ca.key(), broken, out, n) == x::X509Error::rng_failure);
}

// [robust]: one RSA signature per length, minutes under an emulator (left out there, tests/meson.build).
TEST_CASE("builder: every buffer shorter than the certificate gives buffer_too_small, zeroed", "[x509][builder][robust]") {
    TestRng gen{12};
    const P256Signer ca(gen);
    const x::CertificateSpec good = ca_spec(ca.spki_der());
    const padlock::Rng rng = gen.rng();
    std::size_t n = 0;
    // With PKCS#1 v1.5, whose signature has a fixed length: a hedged ECDSA signature's DER varies.
    const RsaCa rsa_ca;
    const x::SigningKey rsa_key = rsa_ca.key(padlock::asn1::SignatureAlg::rsa_pkcs1_sha256);
    const std::size_t full = build(good, rsa_key, gen).size();
    for (std::size_t len = 0; len < full; len++) {
        Buf small(len, 0xAA);
        INFO("buffer of " << len << " bytes");
        REQUIRE(x::build_certificate(good, rsa_key, rng, small, n) == x::X509Error::buffer_too_small);
        REQUIRE(std::all_of(small.begin(), small.end(), [](std::uint8_t b) { return b == 0; }));
    }
    Buf exact(full);
    CHECK(x::build_certificate(good, rsa_key, rng, exact, n) == x::X509Error::ok);
    CHECK(n == full);
}

TEST_CASE("builder: an RSA-2048 CA signing with PKCS#1 v1.5 and PSS", "[x509][builder][rsa][openssl]") {
    const RsaCa rsa_ca;
    const padlock::RsaPrivateKey& rsa = rsa_ca.rsa;
    const std::uint8_t* spki_der = rsa_ca.spki_der;
    const std::size_t spki_len = rsa_ca.spki_len;

    TestRng gen{13};
    const P256Signer leaf(gen);
    const std::string_view dns[] = {"rsa.padlock.test"};
    TempDir dir;
    for (const auto alg : {padlock::asn1::SignatureAlg::rsa_pkcs1_sha256, padlock::asn1::SignatureAlg::rsa_pss_rsae_sha256}) {
        const bool pss = alg == padlock::asn1::SignatureAlg::rsa_pss_rsae_sha256;
        INFO(padlock::asn1::signature_alg_name(alg));
        const x::SigningKey ca_key{alg, {}, &rsa, Bytes(spki_der, spki_len)};
        const Buf ca_der = build(ca_spec(ca_key.spki), ca_key, gen);
        x::CertificateSpec s = ca_spec(leaf.spki_der());
        s.serial = serial_one;
        s.subject = {{}, {}, "rsa.padlock.test"};
        s.ca = false;
        s.key_usage = x::key_usage::digital_signature;
        s.server_auth = true;
        s.dns_names = dns;
        const Buf leaf_der = build(s, ca_key, gen);
        const x::Certificate ca_cert = parse(ca_der), leaf_cert = parse(leaf_der);
        CHECK(ca_cert.signature_alg_id.family ==
              (pss ? padlock::asn1::SignatureFamily::rsa_pss : padlock::asn1::SignatureFamily::rsa_pkcs1));
        CHECK(ca_cert.signature.size() == 256);
        CHECK(x::error_name(validate(leaf_cert, ca_cert, x::Purpose::server_auth, "rsa.padlock.test").error) ==
              std::string("ok"));
        write_pem(dir.file("ca.pem"), "CERTIFICATE", ca_der);
        write_pem(dir.file("leaf.pem"), "CERTIFICATE", leaf_der);
        Run r = openssl_verify(dir, "-x509_strict -purpose sslserver -verify_hostname rsa.padlock.test", "leaf.pem");
        INFO(r.output);
        CHECK(r.status == 0);
        CHECK(contains(r.output, "leaf.pem: OK"));
        r = run("openssl x509 -noout -text -in '" + dir.file("ca.pem") + "'");
        if (pss) {
            CHECK(contains(r.output, "Signature Algorithm: rsassaPss"));
            CHECK(contains(r.output, "Hash Algorithm: sha256"));
            CHECK(contains(r.output, "Mask Algorithm: mgf1 with sha256"));
            CHECK(contains(r.output, "Salt Length: 0x20"));
        } else {
            CHECK(contains(r.output, "Signature Algorithm: sha256WithRSAEncryption"));
        }
        CHECK(contains(r.output, "Public-Key: (2048 bit)"));
        CHECK(contains(r.output, "Subject: C = NZ, O = padlock tests, CN = builder test CA"));
    }
}

namespace {

std::string hex_upper(Bytes b) {
    std::string s = hex(b);
    for (char& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// PKCS#8 DER of generated key material (RFC 8017 A.1.2 inside RFC 5208 PrivateKeyInfo).
Buf rsa_pkcs8(const padlock::RsaKeyMaterial& k) {
    const padlock::RsaPrivateKeyView v = k.view();
    Buf out(2700);
    std::size_t len = 0;
    REQUIRE(padlock::asn1::write_rsa_pkcs8({v.n, v.e, v.d, v.p, v.q, v.dp, v.dq, v.qinv}, out, len) ==
            padlock::asn1::Asn1Error::ok);
    out.resize(len);
    return out;
}

}  // namespace

TEST_CASE("rsa_generate_key: RSA-2048 keys that openssl checks and uses", "[rsa][keygen][openssl]") {
    TestRng gen{20};
    padlock::RsaKeyMaterial k;
    REQUIRE(padlock::error_name(padlock::rsa_generate_key(2048, gen.rng(), k)) == std::string("ok"));
    CHECK(k.bits == 2048);
    CHECK(k.n[0] >= 0x80);  // exactly 2048 bits
    CHECK(hex(Bytes(k.e, 3)) == "010001");
    padlock::RsaPrivateKey key;
    REQUIRE(key.load(k.view()) == padlock::CryptoError::ok);
    CHECK(key.public_key().modulus_bits() == 2048);

    TempDir dir;
    write_pem(dir.file("rsa.key"), "PRIVATE KEY", rsa_pkcs8(k));
    // openssl's own checks: p and q prime, n = p·q, d·e ≡ 1 mod λ(n), and the CRT values.
    Run r = run("openssl rsa -check -noout -in '" + dir.file("rsa.key") + "'");
    INFO(r.output);
    CHECK(r.status == 0);
    CHECK(contains(r.output, "RSA key ok"));
    r = run("openssl pkey -check -noout -in '" + dir.file("rsa.key") + "'");
    CHECK(r.status == 0);
    CHECK(contains(r.output, "Key is valid"));
    r = run("openssl pkey -noout -text -in '" + dir.file("rsa.key") + "'");
    CHECK(contains(r.output, "Private-Key: (2048 bit, 2 primes)"));
    CHECK(contains(r.output, "publicExponent: 65537 (0x10001)"));
    for (Bytes prime : {k.view().p, k.view().q}) {
        r = run("openssl prime -hex " + hex_upper(prime));
        CHECK(contains(r.output, "is prime"));
    }
    // The oracle can say no: n = p·q is composite.
    r = run("openssl prime -hex " + hex_upper(k.view().n));
    CHECK(contains(r.output, "is not prime"));

    // A PKCS#1 v1.5 signature with the new key verifies with openssl, and one openssl makes with it
    // verifies with us.
    const std::string message = "signed with a padlock RSA key";
    Buf sig(256);
    REQUIRE(padlock::rsa_pkcs1_sign(key, padlock::HashAlg::sha256, padlock::test::text(message), gen.rng(), sig) ==
            padlock::CryptoError::ok);
    write_file(dir.file("msg.bin"), padlock::test::text(message));
    write_file(dir.file("msg.sig"), sig);
    r = run("openssl pkey -pubout -in '" + dir.file("rsa.key") + "' -out '" + dir.file("rsa.pub") + "'");
    REQUIRE(r.status == 0);
    r = run("openssl dgst -sha256 -verify '" + dir.file("rsa.pub") + "' -signature '" + dir.file("msg.sig") + "' '" +
            dir.file("msg.bin") + "'");
    CHECK(contains(r.output, "Verified OK"));
    r = run("openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -sign '" +
            dir.file("rsa.key") + "' -out '" + dir.file("pss.sig") + "' '" + dir.file("msg.bin") + "'");
    REQUIRE(r.status == 0);
    std::ifstream f(dir.file("pss.sig"), std::ios::binary);
    const Buf pss(std::istreambuf_iterator<char>(f), {});
    CHECK(padlock::rsa_pss_verify(key.public_key(), padlock::HashAlg::sha256, padlock::HashAlg::sha256, 32,
                                  padlock::test::text(message), pss) == padlock::CryptoError::ok);
}

TEST_CASE("rsa_generate_key: sizes and a failing generator", "[rsa][keygen]") {
    TestRng gen{21};
    padlock::RsaKeyMaterial k;
    for (std::size_t bits : {1024u, 2047u, 2049u, 2112u, 4224u, 8192u})
        CHECK(padlock::rsa_generate_key(bits, gen.rng(), k) == padlock::CryptoError::unsupported_key_size);
    const padlock::Rng broken{&failing_fill, nullptr};
    CHECK(padlock::rsa_generate_key(2048, broken, k) == padlock::CryptoError::rng_failure);
    CHECK(std::all_of(std::begin(k.n), std::end(k.n), [](std::uint8_t b) { return b == 0; }));
}

// [slow]: three key generations, seconds here and many minutes under qemu (tests/meson.build leaves
// this case to the native builds; the emulated ones generate the key of the case above).
TEST_CASE("rsa_generate_key: two keys from one generator differ; 3072 bits loads", "[rsa][keygen][slow]") {
    TestRng gen{21};
    // Two keys from one generator differ (the generator is consumed, not restarted).
    padlock::RsaKeyMaterial a, b;
    REQUIRE(padlock::rsa_generate_key(2048, gen.rng(), a) == padlock::CryptoError::ok);
    REQUIRE(padlock::rsa_generate_key(2048, gen.rng(), b) == padlock::CryptoError::ok);
    CHECK(hex(a.view().n) != hex(b.view().n));
    // 3072 bits (p and q of 1536 bits) loads as a 3072-bit key.
    padlock::RsaKeyMaterial big;
    REQUIRE(padlock::rsa_generate_key(3072, gen.rng(), big) == padlock::CryptoError::ok);
    padlock::RsaPrivateKey key;
    CHECK(key.load(big.view()) == padlock::CryptoError::ok);
    CHECK(key.public_key().modulus_bits() == 3072);
}

// [slow]: three RSA-2048 key generations (minutes under qemu; the native builds run it).
TEST_CASE("make_test_pki: RSA-2048 identities beside P-256 ones", "[x509][builder][pki][rsa][openssl][slow]") {
    // An RSA CA issuing an RSA server and a P-256 client; a P-256 CA issuing an RSA server.
    struct Mix { x::TestKeyType ca, server, client; };
    const auto rsa = x::TestKeyType::rsa_2048, ec = x::TestKeyType::ecdsa_p256;
    std::uint8_t seed = 30;
    for (const Mix m : {Mix{rsa, rsa, ec}, Mix{ec, rsa, ec}}) {
        x::TestPkiOptions opt;
        opt.ca_key = m.ca;
        opt.server_key = m.server;
        opt.client_key = m.client;
        auto p = std::make_unique<Pki>(seed++, opt);
        const x::TestPki& pki = p->pki;
        const x::Certificate ca = parse(pki.ca.certificate());
        const x::Certificate server = parse(pki.server.certificate());
        const x::Certificate client = parse(pki.client.certificate());
        const bool rsa_ca = m.ca == rsa;
        CHECK(ca.public_key.type == (rsa_ca ? padlock::asn1::KeyType::rsa : padlock::asn1::KeyType::ec_p256));
        CHECK(server.public_key.type == padlock::asn1::KeyType::rsa);
        CHECK(client.public_key.type == padlock::asn1::KeyType::ec_p256);
        CHECK(server.signature_alg_id.family ==
              (rsa_ca ? padlock::asn1::SignatureFamily::rsa_pkcs1 : padlock::asn1::SignatureFamily::ecdsa));
        CHECK(x::error_name(validate(server, ca, x::Purpose::server_auth, "localhost").error) == std::string("ok"));
        CHECK(x::error_name(validate(client, ca, x::Purpose::client_auth, {}).error) == std::string("ok"));
        CHECK(validate(server, ca, x::Purpose::server_auth, "example.com").error == x::X509Error::hostname_mismatch);

        TempDir dir;
        write_pem(dir.file("ca.pem"), "CERTIFICATE", pki.ca.certificate());
        write_pem(dir.file("server.pem"), "CERTIFICATE", pki.server.certificate());
        write_pem(dir.file("client.pem"), "CERTIFICATE", pki.client.certificate());
        write_pem(dir.file("server.key"), "PRIVATE KEY", pki.server.private_key_pkcs8());
        Run r = openssl_verify(dir, "-x509_strict -purpose sslserver -verify_hostname localhost", "server.pem");
        INFO(r.output);
        CHECK(r.status == 0);
        r = openssl_verify(dir, "-x509_strict -purpose sslclient", "client.pem");
        CHECK(r.status == 0);
        r = run("openssl rsa -check -noout -in '" + dir.file("server.key") + "'");
        CHECK(contains(r.output, "RSA key ok"));
        const Run from_key = run("openssl pkey -pubout -in '" + dir.file("server.key") + "'");
        const Run from_cert = run("openssl x509 -noout -pubkey -in '" + dir.file("server.pem") + "'");
        CHECK(from_key.output == from_cert.output);
        r = run("openssl x509 -noout -text -in '" + dir.file("server.pem") + "'");
        CHECK(contains(r.output, "Public-Key: (2048 bit)"));
        CHECK(contains(r.output, rsa_ca ? "Signature Algorithm: sha256WithRSAEncryption"
                                        : "Signature Algorithm: ecdsa-with-SHA256"));
    }
}
