// SPDX-License-Identifier: Apache-2.0
// TLS 1.3 signatures: the SignatureScheme code points (RFC 8446 §4.2.3), which of them a
// CertificateVerify may carry and which a certificate may, their mapping onto asn1's one
// verification entry point (asn1/signature.hpp), the signed content of CertificateVerify (§4.4.3),
// and signing it with the local private key.
//
// Pay only for what you link: a SigningKey carries its own sign function, set by the constructor of
// its key type (tls/signature_ecdsa_p256.cpp, tls/signature_rsa.cpp), so a firmware client that only
// verifies links no signing code, and an ECDSA-only server links no RSA.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "asn1/keys.hpp"
#include "asn1/signature.hpp"
#include "crypto/common.hpp"
#include "crypto/rng.hpp"
#include "crypto/rsa/rsa.hpp"
#include "tls/alert.hpp"
#include "tls/suite.hpp"

namespace padlock::tls {

// Which end of a connection. Here it names who signs a CertificateVerify (§4.4.3 context string)
// and, in tls/certificate.hpp, whose Certificate is being verified.
enum class Role : std::uint8_t { client, server };

// §4.2.3 SignatureScheme. All the values TLS 1.3 defines; padlock verifies the ECDSA P-256/P-384 and
// RSA ones (Ed25519, Ed448 and P-521 are recognised and refused as unsupported).
namespace scheme {
inline constexpr std::uint16_t rsa_pkcs1_sha256 = 0x0401, rsa_pkcs1_sha384 = 0x0501, rsa_pkcs1_sha512 = 0x0601,
                               ecdsa_secp256r1_sha256 = 0x0403, ecdsa_secp384r1_sha384 = 0x0503,
                               ecdsa_secp521r1_sha512 = 0x0603, rsa_pss_rsae_sha256 = 0x0804,
                               rsa_pss_rsae_sha384 = 0x0805, rsa_pss_rsae_sha512 = 0x0806, ed25519 = 0x0807,
                               ed448 = 0x0808, rsa_pss_pss_sha256 = 0x0809, rsa_pss_pss_sha384 = 0x080a,
                               rsa_pss_pss_sha512 = 0x080b, rsa_pkcs1_sha1 = 0x0201, ecdsa_sha1 = 0x0203;
}  // namespace scheme

// §4.2.3 / §4.4.3: whether padlock accepts `code` in a CertificateVerify: ECDSA with the curve the
// scheme names, RSASSA-PSS (rsae and pss). Never rsa_pkcs1_* ("MUST NOT be offered ... for
// CertificateVerify"), SHA-1, or a scheme this build does not verify.
[[nodiscard]] bool certificate_verify_scheme_supported(std::uint16_t code);
// §4.2.3 signature_algorithms_cert: whether padlock verifies `code` in a certificate signature:
// the CertificateVerify schemes plus rsa_pkcs1_sha256/384/512 ("MAY be used in certificates").
[[nodiscard]] bool certificate_scheme_supported(std::uint16_t code);

// The asn1::SignatureAlg a scheme names. signature_scheme_forbidden for a scheme that
// certificate_scheme_supported refuses. ecdsa_secp256r1_sha256 is P-256 with SHA-256 only (§4.2.3:
// TLS 1.3 binds the curve to the scheme, unlike TLS 1.2).
TlsError signature_alg_for_scheme(std::uint16_t code, asn1::SignatureAlg& out);

// §4.4.3 the signed content: 64 octets of 0x20, the context string, one 0 octet, then the
// transcript hash (Hash(ClientHello .. Certificate), Hash.length octets).
inline constexpr std::string_view server_certificate_verify_context = "TLS 1.3, server CertificateVerify";
inline constexpr std::string_view client_certificate_verify_context = "TLS 1.3, client CertificateVerify";
inline constexpr std::size_t max_certificate_verify_content_size = 64 + 33 + 1 + max_hash_size;
// Writes the content for `signer` into out (at least 98 + transcript_hash.size() octets);
// buffer_too_small or api_misuse (a transcript hash longer than max_hash_size).
TlsError certificate_verify_content(Role signer, Bytes transcript_hash, MutBytes out, std::size_t& written);

// §4.4.3 verifying the peer's CertificateVerify with the public key of its end-entity certificate
// (Certificate::public_key of the leaf, tls/certificate.hpp):
//   signature_scheme_forbidden     the scheme is not allowed in CertificateVerify, or not in
//                                  `offered` (the signature_algorithms we sent, a u16 list body as
//                                  messages.hpp holds it; §4.4.3 "MUST be one offered")
//   signature_scheme_key_mismatch  the key cannot make the scheme (an EC key for RSA, P-384 for
//                                  ecdsa_secp256r1_sha256, rsaEncryption for rsa_pss_pss_*, ...)
//   signature_invalid              the signature does not verify or is not of its scheme's form
// `verify` checks the signature (asn1/signature.hpp; the engine passes Config::signature_verifier).
// Variable time: every input is public.
TlsError verify_certificate_verify(const asn1::Spki& peer_key, std::uint16_t code, Bytes offered, Role signer,
                                   Bytes transcript_hash, Bytes signature,
                                   asn1::SignatureVerifier verify = asn1::verify_signature);

// The largest signature a SigningKey makes: an RSA-4096 signature (the ECDSA P-256 Ecdsa-Sig-Value
// is at most 72 octets).
inline constexpr std::size_t max_signature_size = rsa_max_bytes;

// The local private key, by reference to a key object the caller owns and keeps alive (the engine
// configuration holds a `const SigningKey*`). Make one with signing_key_ecdsa_p256 or
// signing_key_rsa, or fill one in for a key held elsewhere (a hardware key store: `sign` over
// `key`, the caller's context); the default-constructed key signs nothing.
struct SigningKey {
    asn1::KeyType type = asn1::KeyType::rsa;  // rsa (rsaEncryption: rsa_pss_rsae_*), rsa_pss, ec_p256
    const void* key = nullptr;                 // the EcdsaP256Key or RsaPrivateKey (or the caller's context)
    // Signs `content` with scheme `code` (already checked against `type` by the caller below).
    TlsError (*sign)(const void* key, std::uint16_t code, Bytes content, const Rng& rng, MutBytes signature,
                     std::size_t& written) = nullptr;
    std::size_t rsa_modulus_bits = 0;  // RSA: which PSS hashes fit (RFC 8017 §9.1.1 step 3)
};

// A P-256 private scalar, wiped on destruction. Not copyable, so the secret does not spread.
struct EcdsaP256Key {
    EcdsaP256Key() = default;
    EcdsaP256Key(const EcdsaP256Key&) = delete;
    EcdsaP256Key& operator=(const EcdsaP256Key&) = delete;
    ~EcdsaP256Key();
    std::uint8_t d[32] = {};
};
// Loads a P-256 key from PKCS#8 (RFC 5208/5958) or SEC1 ECPrivateKey (RFC 5915) DER.
// crypto_failure when the DER is neither or the curve is not P-256.
TlsError load_ecdsa_p256_key(Bytes der, EcdsaP256Key& out);
// ECDSA P-256 with SHA-256 (ecdsa_secp256r1_sha256 only), DER Ecdsa-Sig-Value output (§4.2.3).
// Nonces: RFC 6979 deterministic, hedged with 64 octets from the Rng (RFC 6979 §3.6), so a faulty
// generator cannot leak the key. Constant time in the key and the nonce (crypto/ecdsa.hpp).
SigningKey signing_key_ecdsa_p256(const EcdsaP256Key& key);

// Loads an RSA key from PKCS#8 (rsaEncryption or id-RSASSA-PSS) or PKCS#1 RSAPrivateKey DER into a
// caller-owned crypto key object; sets `type` to rsa or rsa_pss. crypto_failure when it does not load.
TlsError load_rsa_key(Bytes der, RsaPrivateKey& out, asn1::KeyType& type);
// RSASSA-PSS with MGF1 over the scheme's hash and a salt of Hash.length octets drawn from the Rng
// (§4.2.3); the signature is the modulus-sized octet string. `type` rsa makes rsa_pss_rsae_*,
// rsa_pss makes rsa_pss_pss_*. Blinded; constant time in the key (crypto/rsa.hpp).
SigningKey signing_key_rsa(const RsaPrivateKey& key, asn1::KeyType type = asn1::KeyType::rsa);

// Whether `key` can make scheme `code` in a CertificateVerify (type and hash; an RSA key also needs a
// modulus long enough for PSS with that hash: RFC 8017 §9.1.1 emLen >= hLen + sLen + 2).
[[nodiscard]] bool signing_key_supports(const SigningKey& key, std::uint16_t code);

// §4.4.3 / §4.2.3: the first scheme of `preference` (ours, in order) that the peer offered in
// `peer_offered` (its signature_algorithms, a u16 list body) and `key` can make.
// no_common_signature_scheme when there is none.
TlsError select_signature_scheme(const SigningKey& key, std::span<const std::uint16_t> preference,
                                 Bytes peer_offered, std::uint16_t& out);

// §4.4.3 signing our CertificateVerify: the content for `signer`, signed with `key` under `code`.
// signature_scheme_forbidden (a scheme not allowed in CertificateVerify), signature_scheme_key_mismatch
// (the key cannot make it), buffer_too_small, crypto_failure (the Rng or the primitive failed).
// Nothing usable is left in `signature` on error.
TlsError sign_certificate_verify(const SigningKey& key, std::uint16_t code, Role signer, Bytes transcript_hash,
                                 const Rng& rng, MutBytes signature, std::size_t& written);

}  // namespace padlock::tls
