// SPDX-License-Identifier: Apache-2.0
// tls/signature: the RFC 8446 §4.2.3 scheme lists, the §4.4.3 signed content, and CertificateVerify
// verification and signing, against RFC 8448: §3's server CertificateVerify (RSA-PSS, verified, then
// reproduced byte for byte with the §2 private key and the salt recovered from the trace's
// signature), §6's server (ECDSA P-256) and client (RSA-PSS) CertificateVerify.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "crypto/ec/ecdsa.hpp"
#include "crypto/hash/hash.hpp"
#include "crypto/ec/p256.hpp"
#include "crypto/rng.hpp"
#include "crypto/rsa/rsa.hpp"
#include "tests/rfc8448_trace.hpp"
#include "tests/support.hpp"
#include "tls/messages.hpp"
#include "tls/signature.hpp"
#include "x509/certificate.hpp"

using namespace padlock;
using namespace padlock::test;
using namespace padlock::tls;

namespace {

Bytes body_of(const Buf& msg) { return Bytes(msg).subspan(handshake_header_size); }

// The leaf certificate of a Certificate message, parsed (views into `msg`).
x509::Certificate leaf_of(const Buf& msg) {
    Certificate c;
    REQUIRE(parse_certificate(body_of(msg), c) == TlsError::ok);
    CertificateEntries entries{ByteReader(c.entries)};
    Bytes der;
    Extensions ext;
    REQUIRE(entries.next(der, ext));
    x509::Certificate cert;
    REQUIRE(x509::parse_certificate(der, cert) == x509::X509Error::ok);
    REQUIRE(cert.public_key_status == asn1::Asn1Error::ok);
    return cert;
}

// The signature_algorithms a trace's ClientHello (or CertificateRequest) offered.
Bytes offered_by(const Buf& msg, bool certificate_request = false) {
    if (certificate_request) {
        CertificateRequest cr;
        REQUIRE(parse_certificate_request(body_of(msg), cr) == TlsError::ok);
        return cr.extensions.signature_algorithms;
    }
    ClientHello ch;
    REQUIRE(parse_client_hello(body_of(msg), ch) == TlsError::ok);
    return ch.extensions.signature_algorithms;
}


// An Rng that hands out `first` on its first call (the PSS salt) and system randomness after (the
// RSA blinding factor, which does not change the signature).
struct ScriptedRng {
    Buf first;
    bool used = false;
    static CryptoError fill(void* ctx, MutBytes out) {
        auto& s = *static_cast<ScriptedRng*>(ctx);
        if (!s.used) {
            s.used = true;
            if (out.size() != s.first.size()) return CryptoError::rng_failure;
            std::copy(s.first.begin(), s.first.end(), out.begin());
            return CryptoError::ok;
        }
        return system_rng()(out);
    }
    Rng rng() { return Rng{fill, this}; }
};

CryptoError failing_fill(void*, MutBytes) { return CryptoError::rng_failure; }

const std::uint16_t all_defined_schemes[] = {
    scheme::rsa_pkcs1_sha256,   scheme::rsa_pkcs1_sha384,   scheme::rsa_pkcs1_sha512,
    scheme::ecdsa_secp256r1_sha256, scheme::ecdsa_secp384r1_sha384, scheme::ecdsa_secp521r1_sha512,
    scheme::rsa_pss_rsae_sha256, scheme::rsa_pss_rsae_sha384, scheme::rsa_pss_rsae_sha512,
    scheme::ed25519,            scheme::ed448,              scheme::rsa_pss_pss_sha256,
    scheme::rsa_pss_pss_sha384, scheme::rsa_pss_pss_sha512, scheme::rsa_pkcs1_sha1, scheme::ecdsa_sha1};

// A u16 list body of every defined scheme (an "offer everything" signature_algorithms).
Buf offer_all() {
    Buf b;
    for (std::uint16_t s : all_defined_schemes) {
        b.push_back(std::uint8_t(s >> 8));
        b.push_back(std::uint8_t(s));
    }
    return b;
}

struct TraceServerVerify {
    Buf ch, sh, ee, cert, cv;
};
TraceServerVerify simple_1rtt() {
    const std::string t = "simple_1rtt.json";
    return {trace_message(t, "client", "ClientHello"), trace_message(t, "server", "ServerHello"),
            trace_message(t, "server", "EncryptedExtensions"), trace_message(t, "server", "Certificate"),
            trace_message(t, "server", "CertificateVerify")};
}

}  // namespace

TEST_CASE("§4.2.3 which schemes CertificateVerify and certificates may carry", "[tls][signature]") {
    const std::map<std::uint16_t, std::pair<bool, bool>> want = {
        // code: {in CertificateVerify, in a certificate}
        {scheme::ecdsa_secp256r1_sha256, {true, true}}, {scheme::ecdsa_secp384r1_sha384, {true, true}},
        {scheme::rsa_pss_rsae_sha256, {true, true}},    {scheme::rsa_pss_rsae_sha384, {true, true}},
        {scheme::rsa_pss_rsae_sha512, {true, true}},    {scheme::rsa_pss_pss_sha256, {true, true}},
        {scheme::rsa_pss_pss_sha384, {true, true}},     {scheme::rsa_pss_pss_sha512, {true, true}},
        // "RSASSA-PKCS1-v1_5 ... are not defined for use in signed TLS handshake messages"
        {scheme::rsa_pkcs1_sha256, {false, true}},      {scheme::rsa_pkcs1_sha384, {false, true}},
        {scheme::rsa_pkcs1_sha512, {false, true}},
        // SHA-1 legacy, and algorithms this build does not verify
        {scheme::rsa_pkcs1_sha1, {false, false}},       {scheme::ecdsa_sha1, {false, false}},
        {scheme::ecdsa_secp521r1_sha512, {false, false}}, {scheme::ed25519, {false, false}},
        {scheme::ed448, {false, false}},                {0x0000, {false, false}},
        {0xfefe, {false, false}},                       {0x0402, {false, false}}};
    for (const auto& [code, w] : want) {
        INFO("scheme " << std::hex << code);
        CHECK(certificate_verify_scheme_supported(code) == w.first);
        CHECK(certificate_scheme_supported(code) == w.second);
        asn1::SignatureAlg alg;
        CHECK((signature_alg_for_scheme(code, alg) == TlsError::ok) == w.second);
    }
    asn1::SignatureAlg alg{};
    REQUIRE(signature_alg_for_scheme(scheme::ecdsa_secp256r1_sha256, alg) == TlsError::ok);
    CHECK(alg == asn1::SignatureAlg::ecdsa_p256_sha256);
    REQUIRE(signature_alg_for_scheme(scheme::ecdsa_secp384r1_sha384, alg) == TlsError::ok);
    CHECK(alg == asn1::SignatureAlg::ecdsa_p384_sha384);
    REQUIRE(signature_alg_for_scheme(scheme::rsa_pss_pss_sha512, alg) == TlsError::ok);
    CHECK(alg == asn1::SignatureAlg::rsa_pss_pss_sha512);
    CHECK(alert_for(TlsError::signature_scheme_forbidden) == AlertDescription::illegal_parameter);
    CHECK(alert_for(TlsError::signature_invalid) == AlertDescription::decrypt_error);
    CHECK(alert_for(TlsError::no_common_signature_scheme) == AlertDescription::handshake_failure);
}

TEST_CASE("§4.4.3 the signed content", "[tls][signature]") {
    const Buf hash = filler(32, 7);
    std::uint8_t out[max_certificate_verify_content_size];
    std::size_t n = 0;
    for (Role r : {Role::server, Role::client}) {
        REQUIRE(certificate_verify_content(r, hash, out, n) == TlsError::ok);
        REQUIRE(n == 64 + 33 + 1 + 32);
        for (int i = 0; i < 64; i++) CHECK(out[i] == 0x20);
        const std::string context(reinterpret_cast<const char*>(out + 64), 33);
        CHECK(context == (r == Role::server ? "TLS 1.3, server CertificateVerify" : "TLS 1.3, client CertificateVerify"));
        CHECK(out[97] == 0);
        CHECK(hex(Bytes(out + 98, 32)) == hex(hash));
    }
    CHECK(certificate_verify_content(Role::server, hash, MutBytes(out, 129), n) == TlsError::buffer_too_small);
    const Buf too_long(max_hash_size + 1);
    CHECK(certificate_verify_content(Role::server, too_long, out, n) == TlsError::api_misuse);
}

TEST_CASE("RFC 8448 §3: the server's CertificateVerify verifies with its certificate", "[tls][signature][rfc8448]") {
    const TraceServerVerify t = simple_1rtt();
    const x509::Certificate leaf = leaf_of(t.cert);
    CHECK(leaf.public_key.type == asn1::KeyType::rsa);
    CertificateVerify cv;
    REQUIRE(parse_certificate_verify(body_of(t.cv), cv) == TlsError::ok);
    REQUIRE(cv.algorithm == scheme::rsa_pss_rsae_sha256);
    const Buf th = transcript_hash_of(HashAlg::sha256, {t.ch, t.sh, t.ee, t.cert});
    const Bytes offered = offered_by(t.ch);
    CHECK(verify_certificate_verify(leaf.public_key, cv.algorithm, offered, Role::server, th, cv.signature) ==
          TlsError::ok);

    SECTION("the client's context string does not verify it") {
        CHECK(verify_certificate_verify(leaf.public_key, cv.algorithm, offered, Role::client, th, cv.signature) ==
              TlsError::signature_invalid);
    }
    SECTION("another transcript does not verify it") {
        const Buf other = transcript_hash_of(HashAlg::sha256, {t.ch, t.sh, t.ee});
        CHECK(verify_certificate_verify(leaf.public_key, cv.algorithm, offered, Role::server, other, cv.signature) ==
              TlsError::signature_invalid);
    }
    SECTION("every single-bit flip of the signature is refused") {
        Buf sig(cv.signature.begin(), cv.signature.end());
        std::size_t refused = 0;
        for (std::size_t i = 0; i < sig.size() * 8; i += 7) {  // every 7th bit: all bytes, all bit positions
            sig[i / 8] ^= std::uint8_t(1u << (i % 8));
            refused += verify_certificate_verify(leaf.public_key, cv.algorithm, offered, Role::server, th, sig) ==
                       TlsError::signature_invalid;
            sig[i / 8] ^= std::uint8_t(1u << (i % 8));
        }
        CHECK(refused == (sig.size() * 8 + 6) / 7);
        CHECK(verify_certificate_verify(leaf.public_key, cv.algorithm, offered, Role::server, th,
                                        Bytes(sig).first(sig.size() - 1)) == TlsError::signature_invalid);
    }
    SECTION("a scheme the client did not offer is refused") {
        const Buf only_ecdsa = {0x04, 0x03};
        CHECK(verify_certificate_verify(leaf.public_key, cv.algorithm, only_ecdsa, Role::server, th, cv.signature) ==
              TlsError::signature_scheme_forbidden);
    }
    SECTION("rsa_pkcs1_* is refused in CertificateVerify even when offered") {
        const Buf all = offer_all();
        for (std::uint16_t code : {scheme::rsa_pkcs1_sha256, scheme::rsa_pkcs1_sha384, scheme::rsa_pkcs1_sha512,
                                   scheme::rsa_pkcs1_sha1})
            CHECK(verify_certificate_verify(leaf.public_key, code, all, Role::server, th, cv.signature) ==
                  TlsError::signature_scheme_forbidden);
    }
    SECTION("a scheme the key cannot make is a mismatch") {
        const Buf all = offer_all();
        // rsaEncryption key: not ECDSA, not rsa_pss_pss_* (§4.2.3: those need an RSASSA-PSS key).
        for (std::uint16_t code : {scheme::ecdsa_secp256r1_sha256, scheme::ecdsa_secp384r1_sha384,
                                   scheme::rsa_pss_pss_sha256})
            CHECK(verify_certificate_verify(leaf.public_key, code, all, Role::server, th, cv.signature) ==
                  TlsError::signature_scheme_key_mismatch);
    }
}

TEST_CASE("RFC 8448 §3: the server's CertificateVerify reproduced byte for byte", "[tls][signature][rfc8448]") {
    const TraceServerVerify t = simple_1rtt();
    const x509::Certificate leaf = leaf_of(t.cert);
    CertificateVerify cv;
    REQUIRE(parse_certificate_verify(body_of(t.cv), cv) == TlsError::ok);
    const Buf th = transcript_hash_of(HashAlg::sha256, {t.ch, t.sh, t.ee, t.cert});

    // RFC 8448 §2's private key; its modulus is the certificate's (RsaPrivateKey::load checks p*q = n).
    auto f = rfc8448_rsa_key();
    asn1::RsaPublicKeyDer cert_key;
    REQUIRE(asn1::parse_rsa_public_key(leaf.public_key.key, cert_key) == asn1::Asn1Error::ok);
    CHECK(hex(cert_key.n) == hex(f["modulus"]));
    CHECK(hex(cert_key.e) == hex(f["public_exponent"]));
    padlock::RsaPrivateKey key;
    REQUIRE(key.load({f["modulus"], f["public_exponent"], f["private_exponent"], f["prime1"], f["prime2"],
                      f["exponent1"], f["exponent2"], f["coefficient"]}) == CryptoError::ok);

    ScriptedRng salt{recover_pss_salt_sha256(key.public_key(), cv.signature)};
    const Rng rng = salt.rng();
    const SigningKey signing = signing_key_rsa(key);
    CHECK(signing_key_supports(signing, scheme::rsa_pss_rsae_sha256));
    std::uint8_t sig[max_signature_size];
    std::size_t n = 0;
    REQUIRE(sign_certificate_verify(signing, scheme::rsa_pss_rsae_sha256, Role::server, th, rng, sig, n) ==
            TlsError::ok);
    CHECK(salt.used);
    CHECK(hex(Bytes(sig, n)) == hex(cv.signature));

    // The whole message, framed by the codec, is the trace's CertificateVerify.
    Buf msg(4 + 2 + 2 + n);
    ByteWriter w(msg);
    const auto m = begin_handshake(w, HandshakeType::certificate_verify);
    write_certificate_verify(w, scheme::rsa_pss_rsae_sha256, Bytes(sig, n));
    end_handshake(w, m);
    std::size_t len = 0;
    REQUIRE(w.finish(len));
    CHECK(hex(Bytes(msg).first(len)) == hex(t.cv));

    SECTION("the key's other schemes, and what it cannot sign") {
        CHECK(signing_key_supports(signing, scheme::rsa_pss_rsae_sha384));
        // A 1024-bit modulus has emLen 128 < 2*64 + 2: no rsa_pss_rsae_sha512 (RFC 8017 §9.1.1).
        CHECK_FALSE(signing_key_supports(signing, scheme::rsa_pss_rsae_sha512));
        CHECK_FALSE(signing_key_supports(signing, scheme::rsa_pss_pss_sha256));  // rsaEncryption key
        CHECK_FALSE(signing_key_supports(signing, scheme::ecdsa_secp256r1_sha256));
        const Rng sys = system_rng();
        CHECK(sign_certificate_verify(signing, scheme::rsa_pkcs1_sha256, Role::server, th, sys, sig, n) ==
              TlsError::signature_scheme_forbidden);
        CHECK(sign_certificate_verify(signing, scheme::ecdsa_secp256r1_sha256, Role::server, th, sys, sig, n) ==
              TlsError::signature_scheme_key_mismatch);
        CHECK(sign_certificate_verify(signing, scheme::rsa_pss_rsae_sha256, Role::server, th, sys, MutBytes(sig, 127),
                                      n) == TlsError::buffer_too_small);
        const Rng broken{failing_fill, nullptr};
        CHECK(sign_certificate_verify(signing, scheme::rsa_pss_rsae_sha256, Role::server, th, broken, sig, n) ==
              TlsError::crypto_failure);
        // A fresh salt: a different signature that still verifies.
        REQUIRE(sign_certificate_verify(signing, scheme::rsa_pss_rsae_sha384, Role::server, th, sys, sig, n) ==
                TlsError::ok);
        const Buf all = offer_all();
        CHECK(verify_certificate_verify(leaf.public_key, scheme::rsa_pss_rsae_sha384, all, Role::server, th,
                                        Bytes(sig, n)) == TlsError::ok);
    }
    SECTION("scheme selection follows our preference among the peer's offer") {
        const std::uint16_t pref[] = {scheme::ecdsa_secp256r1_sha256, scheme::rsa_pss_rsae_sha512,
                                      scheme::rsa_pss_rsae_sha384, scheme::rsa_pss_rsae_sha256};
        std::uint16_t chosen = 0;
        REQUIRE(select_signature_scheme(signing, pref, offered_by(t.ch), chosen) == TlsError::ok);
        CHECK(chosen == scheme::rsa_pss_rsae_sha384);
        const Buf peer_only_pkcs1 = {0x04, 0x01, 0x02, 0x01};
        CHECK(select_signature_scheme(signing, pref, peer_only_pkcs1, chosen) == TlsError::no_common_signature_scheme);
        CHECK(select_signature_scheme(SigningKey{}, pref, offered_by(t.ch), chosen) ==
              TlsError::no_common_signature_scheme);
    }
}

TEST_CASE("RFC 8448 §6: ECDSA server and RSA client CertificateVerify", "[tls][signature][rfc8448]") {
    const std::string t = "client_auth.json";
    const Buf ch = trace_message(t, "client", "ClientHello"), sh = trace_message(t, "server", "ServerHello"),
              ee = trace_message(t, "server", "EncryptedExtensions"),
              cr = trace_message(t, "server", "CertificateRequest"), scert = trace_message(t, "server", "Certificate"),
              scv = trace_message(t, "server", "CertificateVerify"), sfin = trace_message(t, "server", "Finished"),
              ccert = trace_message(t, "client", "Certificate"), ccv = trace_message(t, "client", "CertificateVerify");

    const x509::Certificate server_leaf = leaf_of(scert);
    REQUIRE(server_leaf.public_key.type == asn1::KeyType::ec_p256);
    CertificateVerify cv;
    REQUIRE(parse_certificate_verify(body_of(scv), cv) == TlsError::ok);
    REQUIRE(cv.algorithm == scheme::ecdsa_secp256r1_sha256);
    const Buf th_server = transcript_hash_of(HashAlg::sha256, {ch, sh, ee, cr, scert});
    CHECK(verify_certificate_verify(server_leaf.public_key, cv.algorithm, offered_by(ch), Role::server, th_server,
                                    cv.signature) == TlsError::ok);
    CHECK(verify_certificate_verify(server_leaf.public_key, scheme::ecdsa_secp384r1_sha384, offer_all(), Role::server,
                                    th_server, cv.signature) == TlsError::signature_scheme_key_mismatch);
    CHECK(verify_certificate_verify(server_leaf.public_key, scheme::rsa_pss_rsae_sha256, offer_all(), Role::server,
                                    th_server, cv.signature) == TlsError::signature_scheme_key_mismatch);

    // §4.4.3: the client's is over ClientHello .. client Certificate, with the client context string,
    // and its scheme must be one the CertificateRequest offered.
    const x509::Certificate client_leaf = leaf_of(ccert);
    REQUIRE(parse_certificate_verify(body_of(ccv), cv) == TlsError::ok);
    const Buf th_client = transcript_hash_of(HashAlg::sha256, {ch, sh, ee, cr, scert, scv, sfin, ccert});
    const Bytes cr_offered = offered_by(cr, true);
    CHECK(verify_certificate_verify(client_leaf.public_key, cv.algorithm, cr_offered, Role::client, th_client,
                                    cv.signature) == TlsError::ok);
    CHECK(verify_certificate_verify(client_leaf.public_key, cv.algorithm, cr_offered, Role::server, th_client,
                                    cv.signature) == TlsError::signature_invalid);
}

TEST_CASE("ECDSA P-256 CertificateVerify: sign, verify, tamper", "[tls][signature]") {
    const Rng rng = system_rng();
    EcdsaP256Key key;
    std::uint8_t pub[65];
    REQUIRE(p256_keygen(rng, key.d, pub) == CryptoError::ok);
    const asn1::Spki spki{asn1::KeyType::ec_p256, Bytes(pub, 65), {}};
    const SigningKey signing = signing_key_ecdsa_p256(key);
    const Buf th = filler(32, 3), offer = offer_all();
    std::uint8_t sig[max_signature_size];
    std::size_t n = 0;
    for (Role r : {Role::server, Role::client}) {
        REQUIRE(sign_certificate_verify(signing, scheme::ecdsa_secp256r1_sha256, r, th, rng, sig, n) == TlsError::ok);
        CHECK(n <= 72);
        CHECK(sig[0] == 0x30);  // DER Ecdsa-Sig-Value (§4.2.3)
        CHECK(verify_certificate_verify(spki, scheme::ecdsa_secp256r1_sha256, offer, r, th, Bytes(sig, n)) ==
              TlsError::ok);
        const Role other = r == Role::server ? Role::client : Role::server;
        CHECK(verify_certificate_verify(spki, scheme::ecdsa_secp256r1_sha256, offer, other, th, Bytes(sig, n)) ==
              TlsError::signature_invalid);
    }
    // Every single-bit flip of the signature is refused, as are a truncation and an extension.
    Buf s(sig, sig + n);
    std::size_t refused = 0;
    for (std::size_t i = 0; i < s.size() * 8; i++) {
        s[i / 8] ^= std::uint8_t(1u << (i % 8));
        refused += verify_certificate_verify(spki, scheme::ecdsa_secp256r1_sha256, offer, Role::client, th, s) ==
                   TlsError::signature_invalid;
        s[i / 8] ^= std::uint8_t(1u << (i % 8));
    }
    CHECK(refused == s.size() * 8);
    CHECK(verify_certificate_verify(spki, scheme::ecdsa_secp256r1_sha256, offer, Role::client, th,
                                    Bytes(s).first(s.size() - 1)) == TlsError::signature_invalid);
    s.push_back(0);
    CHECK(verify_certificate_verify(spki, scheme::ecdsa_secp256r1_sha256, offer, Role::client, th, s) ==
          TlsError::signature_invalid);

    // The key makes ecdsa_secp256r1_sha256 only; an EC key never verifies an RSA scheme.
    CHECK_FALSE(signing_key_supports(signing, scheme::ecdsa_secp384r1_sha384));
    CHECK_FALSE(signing_key_supports(signing, scheme::rsa_pss_rsae_sha256));
    CHECK(sign_certificate_verify(signing, scheme::rsa_pss_rsae_sha256, Role::server, th, rng, sig, n) ==
          TlsError::signature_scheme_key_mismatch);
    CHECK(sign_certificate_verify(signing, scheme::rsa_pkcs1_sha256, Role::server, th, rng, sig, n) ==
          TlsError::signature_scheme_forbidden);
    CHECK(verify_certificate_verify(spki, scheme::rsa_pss_rsae_sha256, offer, Role::server, th, Bytes(sig, n)) ==
          TlsError::signature_scheme_key_mismatch);
    CHECK(sign_certificate_verify(signing, scheme::ecdsa_secp256r1_sha256, Role::server, th, rng, MutBytes(sig, 8), n) ==
          TlsError::buffer_too_small);
    const Rng broken{failing_fill, nullptr};
    CHECK(sign_certificate_verify(signing, scheme::ecdsa_secp256r1_sha256, Role::server, th, broken, sig, n) ==
          TlsError::crypto_failure);
}

TEST_CASE("private keys load from PKCS#8, SEC1 and PKCS#1 DER", "[tls][signature]") {
    // The encodings come from asn1's writers (tested against OpenSSL-made keys in test_asn1); here
    // only the loaders' choice of encoding and key type is under test. RSA: RFC 8448 §2's key.
    auto f = rfc8448_rsa_key();
    asn1::RsaPrivateKeyDer fields{f["modulus"], f["public_exponent"], f["private_exponent"], f["prime1"],
                               f["prime2"], f["exponent1"], f["exponent2"], f["coefficient"]};
    Buf der(2048);
    std::size_t len = 0;
    REQUIRE(asn1::write_rsa_private_key(fields, der, len) == asn1::Asn1Error::ok);
    der.resize(len);
    padlock::RsaPrivateKey rsa;
    asn1::KeyType type = asn1::KeyType::ec_p256;
    REQUIRE(load_rsa_key(der, rsa, type) == TlsError::ok);
    CHECK(type == asn1::KeyType::rsa);
    CHECK(rsa.modulus_bytes() == 128);
    // Wrapped in PKCS#8 (rsaEncryption).
    asn1::Pkcs8 p8;
    p8.type = asn1::KeyType::rsa;
    p8.private_key = der;
    Buf p8der(2048);
    REQUIRE(asn1::write_pkcs8(p8, p8der, len) == asn1::Asn1Error::ok);
    p8der.resize(len);
    padlock::RsaPrivateKey rsa2;
    REQUIRE(load_rsa_key(p8der, rsa2, type) == TlsError::ok);
    CHECK(type == asn1::KeyType::rsa);
    // Not a key at all, and an RSA key where a P-256 one is wanted.
    EcdsaP256Key ec;
    CHECK(load_ecdsa_p256_key(p8der, ec) == TlsError::crypto_failure);
    CHECK(load_rsa_key(Bytes(der).first(der.size() - 1), rsa2, type) == TlsError::crypto_failure);

    // A P-256 key: SEC1 with [0] namedCurve, and the same inside PKCS#8; both sign what the public key verifies.
    std::uint8_t d[32], pub[65];
    const Rng rng = system_rng();
    REQUIRE(p256_keygen(rng, d, pub) == CryptoError::ok);
    asn1::EcPrivateKey sec1{asn1::KeyType::ec_p256, Bytes(d, 32), Bytes(pub, 65), true};
    Buf sec1der(256);
    REQUIRE(asn1::write_ec_private_key(sec1, sec1der, len) == asn1::Asn1Error::ok);
    sec1der.resize(len);
    REQUIRE(load_ecdsa_p256_key(sec1der, ec) == TlsError::ok);
    CHECK(hex(Bytes(ec.d, 32)) == hex(Bytes(d, 32)));
    asn1::Pkcs8 ecp8;
    ecp8.type = asn1::KeyType::ec_p256;
    ecp8.private_key = sec1der;
    Buf ecp8der(256);
    REQUIRE(asn1::write_pkcs8(ecp8, ecp8der, len) == asn1::Asn1Error::ok);
    ecp8der.resize(len);
    EcdsaP256Key ec2;
    REQUIRE(load_ecdsa_p256_key(ecp8der, ec2) == TlsError::ok);
    CHECK(hex(Bytes(ec2.d, 32)) == hex(Bytes(d, 32)));
    padlock::RsaPrivateKey rsa3;
    CHECK(load_rsa_key(ecp8der, rsa3, type) == TlsError::crypto_failure);
    CHECK(signing_key_rsa(rsa, asn1::KeyType::ec_p256).sign == nullptr);
}
