// SPDX-License-Identifier: Apache-2.0
// Signing a CertificateVerify (RFC 8446 §4.4.3) with an ECDSA P-256 key: ecdsa_secp256r1_sha256
// (§4.2.3), the signature as a DER Ecdsa-Sig-Value (RFC 3279 §2.2.3, as §4.2.3 says). Its own
// translation unit, so only a caller of signing_key_ecdsa_p256 links P-256 signing.
#include "asn1/keys.hpp"
#include "crypto/ct.hpp"
#include "crypto/ec/ecdsa.hpp"
#include "tls/signature.hpp"

namespace padlock::tls {

EcdsaP256Key::~EcdsaP256Key() { secure_zero(d); }

TlsError load_ecdsa_p256_key(Bytes der, EcdsaP256Key& out) {
    // PKCS#8 (RFC 5958 §2) wrapping an ECPrivateKey, or a bare SEC1 ECPrivateKey (RFC 5915 §3).
    asn1::EcPrivateKey ec;
    asn1::Pkcs8 p8;
    if (asn1::parse_pkcs8(der, p8) == asn1::Asn1Error::ok) {
        if (p8.type != asn1::KeyType::ec_p256 ||
            asn1::parse_ec_private_key(p8.private_key, asn1::KeyType::ec_p256, ec) != asn1::Asn1Error::ok)
            return TlsError::crypto_failure;
    } else if (asn1::parse_ec_private_key(der, ec) != asn1::Asn1Error::ok || ec.curve != asn1::KeyType::ec_p256) {
        return TlsError::crypto_failure;
    }
    if (ec.d.size() != sizeof out.d) return TlsError::crypto_failure;
    for (std::size_t i = 0; i < sizeof out.d; i++) out.d[i] = ec.d[i];
    return TlsError::ok;
}

namespace {

TlsError sign_ecdsa_p256(const void* key, std::uint16_t code, Bytes content, const Rng& rng, MutBytes signature,
                         std::size_t& written) {
    if (code != scheme::ecdsa_secp256r1_sha256) return TlsError::signature_scheme_key_mismatch;
    const auto& k = *static_cast<const EcdsaP256Key*>(key);
    std::uint8_t rs[ecdsa_p256_signature_size];
    // RFC 6979 nonce, hedged with the caller's randomness (§3.6).
    if (ecdsa_p256_sign(k.d, HashAlg::sha256, content, rs, &rng) != CryptoError::ok) return TlsError::crypto_failure;
    const Bytes r(rs, 32), s(rs + 32, 32);
    switch (asn1::write_ecdsa_signature(r, s, signature, written)) {
    case asn1::Asn1Error::ok: return TlsError::ok;
    case asn1::Asn1Error::buffer_too_small: return TlsError::buffer_too_small;
    default: return TlsError::crypto_failure;
    }
}

}  // namespace

SigningKey signing_key_ecdsa_p256(const EcdsaP256Key& key) {
    return SigningKey{asn1::KeyType::ec_p256, &key, sign_ecdsa_p256};
}

}  // namespace padlock::tls
