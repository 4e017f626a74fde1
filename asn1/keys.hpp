// SPDX-License-Identifier: Apache-2.0
// Key and signature encodings: SubjectPublicKeyInfo (RFC 5280 §4.1.2.7, RFC 3279, RFC 5480,
// RFC 8410), PKCS#8 / OneAsymmetricKey (RFC 5208, RFC 5958), SEC1 ECPrivateKey (RFC 5915),
// PKCS#1 RSA keys (RFC 8017 Appendix A.1) and the ECDSA Ecdsa-Sig-Value (RFC 3279 §2.2.3).
// Parsers fill views into the caller's DER; writers fill a caller buffer and report the length.
#pragma once

#include <cstddef>
#include <cstdint>

#include "asn1/der.hpp"
#include "asn1/error.hpp"

namespace padlock::asn1 {

enum class KeyType : std::uint8_t { rsa, rsa_pss, ec_p256, ec_p384, x25519, ed25519 };

// SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
struct Spki {
    KeyType type = KeyType::rsa;
    // The subjectPublicKey BIT STRING content:
    //   rsa, rsa_pss      -> RSAPublicKey DER (checked; read it with parse_rsa_public_key)
    //   ec_p256, ec_p384  -> the SEC1 point (04||X||Y, or 02/03||X); length checked, not the curve
    //   x25519, ed25519   -> exactly 32 raw bytes
    Bytes key;
    // rsa_pss: the whole RSASSA-PSS-params element (tag included), empty when absent
    // (read it with parse_rsassa_pss_params); ec: the namedCurve OID content; otherwise empty.
    Bytes params;
};
Asn1Error parse_spki(Bytes der, Spki& out);
// Encodes `in`; for EC the curve OID comes from `in.type` (in.params is ignored).
Asn1Error write_spki(const Spki& in, MutBytes out, std::size_t& length);

// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }  (magnitudes, no sign octet)
// The ...Der structs are the encodings' fields as views; padlock::RsaPublicKey/RsaPrivateKey
// (crypto/rsa/rsa.hpp) are the keys loaded from them for the arithmetic.
struct RsaPublicKeyDer {
    Bytes n, e;
};
Asn1Error parse_rsa_public_key(Bytes der, RsaPublicKeyDer& out);
Asn1Error write_rsa_public_key(const RsaPublicKeyDer& in, MutBytes out, std::size_t& length);

// RSAPrivateKey, version 0 (two-prime) only; multi-prime (version 1) gives bad_version.
// The fields are views of secret data in the caller's buffer: wipe that buffer when done.
struct RsaPrivateKeyDer {
    Bytes n, e, d, p, q, dp, dq, qinv;
};
Asn1Error parse_rsa_private_key(Bytes der, RsaPrivateKeyDer& out);
Asn1Error write_rsa_private_key(const RsaPrivateKeyDer& in, MutBytes out, std::size_t& length);

// PrivateKeyInfo / OneAsymmetricKey ::= SEQUENCE { version (0 or 1), privateKeyAlgorithm,
//   privateKey OCTET STRING, attributes [0] IMPLICIT OPTIONAL, publicKey [1] IMPLICIT BIT STRING OPTIONAL (v1 only) }
struct Pkcs8 {
    KeyType type = KeyType::rsa;
    // The privateKey OCTET STRING content:
    //   rsa, rsa_pss      -> RSAPrivateKey DER (checked; read it with parse_rsa_private_key)
    //   ec_p256, ec_p384  -> ECPrivateKey DER (checked; read it with parse_ec_private_key(der, type, ...))
    //   x25519, ed25519   -> already unwrapped: the 32-byte CurvePrivateKey (RFC 8410 §7)
    Bytes private_key;
    Bytes params;      // as in Spki
    Bytes attributes;  // content of [0] attributes, empty when absent (kept, not interpreted)
    Bytes public_key;  // content of the v1 [1] publicKey (whole octets), empty when absent
    // What the encoding said beyond the fields above, so that writing a parsed key gives back the
    // same bytes: version 1 (RFC 5958 v2) without a publicKey, and a present but empty [0].
    bool version2 = false;
    bool has_attributes = false;
};
// Accepts version 0 and version 1 (RFC 5958 v2), with or without publicKey in version 1: §2 says
// a generator sets v2 when publicKey is present, and a reader loses nothing by taking a v2 key
// without one. A publicKey in a version 0 key is refused (bad_version).
Asn1Error parse_pkcs8(Bytes der, Pkcs8& out);
// Writes version 1 when in.public_key is set or in.version2, else version 0; writes [0] when
// in.attributes is non-empty or in.has_attributes. parse_pkcs8 then write_pkcs8 reproduces the
// input. For x25519/ed25519 private_key is the raw 32 bytes (wrapped in the CurvePrivateKey OCTET
// STRING here).
Asn1Error write_pkcs8(const Pkcs8& in, MutBytes out, std::size_t& length);

// ECPrivateKey ::= SEQUENCE { version INTEGER (1), privateKey OCTET STRING,
//   parameters [0] ECParameters OPTIONAL, publicKey [1] BIT STRING OPTIONAL }   (RFC 5915 §3)
struct EcPrivateKey {
    KeyType curve = KeyType::ec_p256;
    Bytes d;                     // exactly 32 (P-256) or 48 (P-384) octets, secret
    Bytes public_point;          // empty when absent
    bool has_params = false;     // whether [0] namedCurve was present (for re-encoding)
};
// Standalone SEC1 key: the [0] namedCurve parameters are required to know the curve.
Asn1Error parse_ec_private_key(Bytes der, EcPrivateKey& out);
// Inside PKCS#8 the curve is known from the AlgorithmIdentifier; [0], if present, must agree.
Asn1Error parse_ec_private_key(Bytes der, KeyType curve, EcPrivateKey& out);
Asn1Error write_ec_private_key(const EcPrivateKey& in, MutBytes out, std::size_t& length);

// An EC private key as PKCS#8 (what `openssl pkey` and TLS servers load): ECPrivateKey with its
// [1] publicKey and without [0] parameters (RFC 5915 §3: the PKCS#8 privateKeyAlgorithm already
// names the curve) inside a version 0 PrivateKeyInfo. d is secret; the intermediate copy is wiped.
Asn1Error write_ec_pkcs8(KeyType curve, Bytes d, Bytes public_point, MutBytes out, std::size_t& length);
// An RSA private key as PKCS#8: RSAPrivateKey (RFC 8017 A.1.2) inside a version 0 PrivateKeyInfo
// with rsaEncryption. Moduli up to 4096 bits; the intermediate copy is wiped.
Asn1Error write_rsa_pkcs8(const RsaPrivateKeyDer& in, MutBytes out, std::size_t& length);

// Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }: strict DER, non-negative, nothing after.
// r and s are magnitudes without the sign octet (zero reads as one 00 octet; range checks are
// the verifier's job).
Asn1Error parse_ecdsa_signature(Bytes der, Bytes& r, Bytes& s);
// r, s: unsigned big-endian (leading zeros allowed) -> minimal DER.
Asn1Error write_ecdsa_signature(Bytes r, Bytes s, MutBytes out, std::size_t& length);

// RSASSA-PSS-params (RFC 4055 §3.1 / RFC 8017 A.2.3) with the defaults filled in:
// hashAlgorithm [0] default sha1, maskGenAlgorithm [1] default mgf1(sha1), saltLength [2] default
// 20, trailerField [3] default 1 (the only legal value). Hash OIDs are returned as content octets
// (compare with oid::sha256 etc.). `params` is the whole element as in Spki::params; empty means
// "all defaults". Unknown mask generation functions give unknown_algorithm; a field that spells
// out its default value (not DER, X.690 §11.5) or a trailerField gives bad_parameters.
struct RsaPssParams {
    Bytes hash;       // hash OID content
    Bytes mgf1_hash;  // MGF1 hash OID content
    std::uint64_t salt_length = 20;
};
Asn1Error parse_rsassa_pss_params(Bytes params, RsaPssParams& out);

}  // namespace padlock::asn1
