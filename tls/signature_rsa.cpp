// SPDX-License-Identifier: Apache-2.0
// Signing a CertificateVerify (RFC 8446 §4.4.3) with an RSA key: RSASSA-PSS with MGF1 over the
// scheme's hash and a salt as long as the hash (§4.2.3), rsa_pss_rsae_* for an rsaEncryption key and
// rsa_pss_pss_* for an id-RSASSA-PSS one. Its own translation unit, so only a caller of
// signing_key_rsa links RSA signing.
#include "asn1/keys.hpp"
#include "crypto/rsa/rsa.hpp"
#include "tls/signature.hpp"

namespace padlock::tls {

TlsError load_rsa_key(Bytes der, RsaPrivateKey& out, asn1::KeyType& type) {
    // PKCS#8 (RFC 5958 §2) wrapping an RSAPrivateKey, or a bare PKCS#1 RSAPrivateKey (RFC 8017 A.1.2).
    asn1::Pkcs8 p8;
    Bytes pkcs1 = der;
    asn1::KeyType t = asn1::KeyType::rsa;
    if (asn1::parse_pkcs8(der, p8) == asn1::Asn1Error::ok) {
        if (p8.type != asn1::KeyType::rsa && p8.type != asn1::KeyType::rsa_pss) return TlsError::crypto_failure;
        pkcs1 = p8.private_key;
        t = p8.type;
    }
    asn1::RsaPrivateKeyDer k;
    if (asn1::parse_rsa_private_key(pkcs1, k) != asn1::Asn1Error::ok) return TlsError::crypto_failure;
    if (out.load({k.n, k.e, k.d, k.p, k.q, k.dp, k.dq, k.qinv}) != CryptoError::ok) return TlsError::crypto_failure;
    type = t;
    return TlsError::ok;
}

namespace {

TlsError sign_rsa_pss(const void* key, std::uint16_t code, Bytes content, const Rng& rng, MutBytes signature,
                      std::size_t& written) {
    HashAlg hash;
    switch (code) {
    case scheme::rsa_pss_rsae_sha256:
    case scheme::rsa_pss_pss_sha256: hash = HashAlg::sha256; break;
    case scheme::rsa_pss_rsae_sha384:
    case scheme::rsa_pss_pss_sha384: hash = HashAlg::sha384; break;
    case scheme::rsa_pss_rsae_sha512:
    case scheme::rsa_pss_pss_sha512: hash = HashAlg::sha512; break;
    default: return TlsError::signature_scheme_key_mismatch;
    }
    const auto& k = *static_cast<const RsaPrivateKey*>(key);
    const std::size_t n = k.modulus_bytes();
    if (signature.size() < n) return TlsError::buffer_too_small;
    // §4.2.3: "The length of the Salt MUST be equal to the length of the digest algorithm"; the salt
    // is the first hash_size(hash) octets drawn from rng (then blinding draws its own).
    if (rsa_pss_sign(k, hash, hash, hash_size(hash), content, rng, signature.first(n)) != CryptoError::ok)
        return TlsError::crypto_failure;
    written = n;
    return TlsError::ok;
}

}  // namespace

SigningKey signing_key_rsa(const RsaPrivateKey& key, asn1::KeyType type) {
    if (type != asn1::KeyType::rsa && type != asn1::KeyType::rsa_pss) return SigningKey{};  // signs nothing
    return SigningKey{type, &key, sign_rsa_pss, key.public_key().modulus_bits()};
}

}  // namespace padlock::tls
