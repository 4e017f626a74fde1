// SPDX-License-Identifier: Apache-2.0
// The throw-away PKI of demo_pki.hpp: key generation, then three certificates through builder.hpp.
#include "x509/demo_pki.hpp"

#include <utility>

#include "asn1/keys.hpp"
#include "crypto/ct.hpp"
#include "crypto/ec/p256.hpp"
#include "x509/builder.hpp"
#include "x509/certificate.hpp"

namespace padlock::x509 {

namespace {

X509Error map_crypto_error(padlock::CryptoError e) {
    if (e == padlock::CryptoError::ok) return X509Error::ok;
    return e == padlock::CryptoError::rng_failure ? X509Error::rng_failure : X509Error::signing_failed;
}

// A P-256 key pair with its SPKI and PKCS#8 encodings.
X509Error generate_p256(const Rng& rng, TestIdentity& id) {
    std::uint8_t pub[p256_point_size];
    if (X509Error e = map_crypto_error(p256_keygen(rng, id.p256_private, pub)); e != X509Error::ok) return e;
    asn1::Spki spki;
    spki.type = asn1::KeyType::ec_p256;
    spki.key = pub;
    if (asn1::write_spki(spki, id.spki_der, id.spki_len) != asn1::Asn1Error::ok) return X509Error::buffer_too_small;
    if (asn1::write_ec_pkcs8(asn1::KeyType::ec_p256, id.p256_private, pub, id.pkcs8, id.pkcs8_len) != asn1::Asn1Error::ok)
        return X509Error::buffer_too_small;
    return X509Error::ok;
}

// An RSA-2048 key with its SPKI (rsaEncryption) and PKCS#8 encodings.
X509Error generate_rsa(const Rng& rng, TestIdentity& id) {
    if (X509Error e = map_crypto_error(rsa_generate_key(2048, rng, id.rsa)); e != X509Error::ok) return e;
    const RsaPrivateKeyView v = id.rsa.view();
    std::uint8_t pub[300];
    std::size_t pub_len = 0;
    asn1::Spki spki;
    spki.type = asn1::KeyType::rsa;
    if (asn1::write_rsa_public_key({v.n, v.e}, pub, pub_len) != asn1::Asn1Error::ok) return X509Error::buffer_too_small;
    spki.key = Bytes(pub, pub_len);
    if (asn1::write_spki(spki, id.spki_der, id.spki_len) != asn1::Asn1Error::ok) return X509Error::buffer_too_small;
    if (asn1::write_rsa_pkcs8({v.n, v.e, v.d, v.p, v.q, v.dp, v.dq, v.qinv}, id.pkcs8, id.pkcs8_len) !=
        asn1::Asn1Error::ok)
        return X509Error::buffer_too_small;
    return X509Error::ok;
}

// RFC 5280 §4.1.2.2: a positive serial of at most 20 octets, unpredictable (CA/B Baseline
// Requirements ask for 64 random bits; 127 here). The top bit is cleared so no sign octet is
// needed, and the second bit set so the first octet is never zero and the length is fixed.
X509Error random_serial(const Rng& rng, std::span<std::uint8_t, 16> serial) {
    if (rng(serial) != padlock::CryptoError::ok) return X509Error::rng_failure;
    serial[0] = std::uint8_t((serial[0] & 0x7F) | 0x40);
    return X509Error::ok;
}

X509Error issue(const Rng& rng, CertificateSpec& spec, const SigningKey& issuer, TestIdentity& subject) {
    std::uint8_t serial[16];
    if (X509Error e = random_serial(rng, serial); e != X509Error::ok) return e;
    spec.serial = serial;
    spec.subject_public_key = subject.spki();
    return build_certificate(spec, issuer, rng, subject.cert, subject.cert_len);
}

X509Error make(const Rng& rng, std::int64_t now, const TestPkiOptions& options, TestPki& out) {
    const std::pair<TestIdentity*, TestKeyType> ids[] = {
        {&out.ca, options.ca_key}, {&out.server, options.server_key}, {&out.client, options.client_key}};
    for (const auto& [id, type] : ids) {
        id->key_type = type;
        const X509Error e = type == TestKeyType::rsa_2048 ? generate_rsa(rng, *id) : generate_p256(rng, *id);
        if (e != X509Error::ok) return e;
    }
    // Overflow of now + offset would be undefined; such a time is no certificate date anyway.
    constexpr std::int64_t limit = std::int64_t(1) << 40;
    if (now < -limit || now > limit || options.not_before_offset < -limit || options.not_before_offset > limit ||
        options.lifetime < 0 || options.lifetime > limit)
        return X509Error::bad_certificate_spec;

    SigningKey ca_key{asn1::SignatureAlg::ecdsa_p256_sha256, out.ca.p256_private, nullptr, out.ca.spki()};
    RsaPrivateKey ca_rsa;
    if (out.ca.key_type == TestKeyType::rsa_2048) {
        if (ca_rsa.load(out.ca.rsa.view()) != padlock::CryptoError::ok) return X509Error::signing_failed;
        ca_key = {asn1::SignatureAlg::rsa_pkcs1_sha256, {}, &ca_rsa, out.ca.spki()};
    }
    const NameSpec ca_name{{}, options.organization, "padlock demo CA"};
    CertificateSpec spec;
    spec.issuer = ca_name;
    spec.not_before = now + options.not_before_offset;
    spec.not_after = now + options.lifetime;

    spec.subject = ca_name;
    spec.ca = true;
    spec.path_len = 0;
    spec.key_usage = key_usage::key_cert_sign | key_usage::crl_sign;
    if (X509Error e = issue(rng, spec, ca_key, out.ca); e != X509Error::ok) return e;

    static constexpr std::uint8_t ipv4_loopback[4] = {127, 0, 0, 1};
    static constexpr std::uint8_t ipv6_loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    const Bytes ips[2] = {ipv4_loopback, ipv6_loopback};
    const std::string_view dns[1] = {options.server_name};
    spec.subject = {{}, options.organization, options.server_name};
    spec.ca = false;
    spec.path_len = -1;
    spec.key_usage = key_usage::digital_signature;
    spec.server_auth = true;
    spec.dns_names = dns;
    if (options.server_loopback_ips) spec.ip_addresses = ips;
    if (X509Error e = issue(rng, spec, ca_key, out.server); e != X509Error::ok) return e;

    spec.subject = {{}, options.organization, options.client_name};
    spec.server_auth = false;
    spec.client_auth = true;
    spec.dns_names = {};
    spec.ip_addresses = {};
    return issue(rng, spec, ca_key, out.client);
}

}  // namespace

TestPki::~TestPki() { secure_zero(*this); }

X509Error make_test_pki(const Rng& rng, std::int64_t now, const TestPkiOptions& options, TestPki& out) {
    const X509Error e = make(rng, now, options, out);
    if (e != X509Error::ok) secure_zero(out);
    return e;
}

}  // namespace padlock::x509
