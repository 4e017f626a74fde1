// SPDX-License-Identifier: Apache-2.0
// The one signature-verification entry point: a closed SignatureAlg enum, verify_signature over it,
// and the maps onto it from a signature AlgorithmIdentifier (RFC 5280 §4.1.1.2 with RFC 5758 §3.2,
// RFC 4055 §3.1/§5, RFC 8017 A.2) plus the signer's SubjectPublicKeyInfo.
//
// Layering: crypto <- asn1 (this file: key and algorithm encodings onto crypto's primitives) <- x509,
// tls. The TLS layer maps SignatureScheme code points (RFC 8446 §4.2.3) onto the same enum.
// Pay only for what you link: verify_signature is a switch over one function per algorithm, each in
// its own translation unit (signature_ecdsa_p256.cpp, signature_ecdsa_p384.cpp,
// signature_rsa_pkcs1.cpp, signature_rsa_pss.cpp). A firmware image that only ever verifies ECDSA
// P-256 calls verify_ecdsa_p256 directly and links no RSA; calling verify_signature links them all.
// Layers above that verify on the caller's behalf (x509 path validation and CRL checks) take a
// SignatureVerifier, verify_signature by default, so such an image passes
// verify_signature_ecdsa_p256_only there and still links no RSA and no P-384.
#pragma once

#include <cstddef>
#include <cstdint>

#include "asn1/keys.hpp"
#include "crypto/common.hpp"
#include "crypto/hash/hash.hpp"

namespace padlock::asn1 {

// Every signature padlock verifies. PSS values use MGF1 with the same hash and a salt as long as the
// hash (RFC 8446 §4.2.3; what X.509 issuers use): `rsae` takes an rsaEncryption key, `pss` an
// id-RSASSA-PSS key (RFC 4055 §1.2). Values are never reordered; new ones go at the end.
enum class SignatureAlg : std::uint8_t {
    ecdsa_p256_sha256,
    ecdsa_p256_sha384,
    ecdsa_p256_sha512,
    ecdsa_p384_sha256,
    ecdsa_p384_sha384,
    ecdsa_p384_sha512,
    rsa_pkcs1_sha256,
    rsa_pkcs1_sha384,
    rsa_pkcs1_sha512,
    rsa_pss_rsae_sha256,
    rsa_pss_rsae_sha384,
    rsa_pss_rsae_sha512,
    rsa_pss_pss_sha256,
    rsa_pss_pss_sha384,
    rsa_pss_pss_sha512,
};

// Why a signature was not accepted. Separate from asn1::Asn1Error (encodings) and padlock::CryptoError
// (primitives): this is the verdict of the entry point, which the x509 and TLS layers map onward.
enum class [[nodiscard]] SignatureError : std::uint8_t {
    ok = 0,
    unsupported_algorithm,   // a real algorithm this build does not verify (SHA-1, Ed25519, ...)
    unknown_algorithm,       // an AlgorithmIdentifier OID padlock does not know at all
    malformed_algorithm,     // the AlgorithmIdentifier is not valid DER of its ASN.1 type
    bad_parameters,          // parameters against the spec: present where they must be absent, or
                             // RSASSA-PSS-params outside the profile (MGF1 hash != hash, salt != hLen)
    key_mismatch,            // the key cannot make this signature (EC key for RSA, wrong curve,
                             // rsaEncryption key for a pss_* value, PSS key parameters that disagree)
    bad_key,                 // the key does not load: RSA size out of range, invalid point, bad DER
    bad_signature_encoding,  // signature bytes not of the algorithm's form (ECDSA DER Ecdsa-Sig-Value)
    invalid_signature,       // well formed, but does not verify
};
const char* error_name(SignatureError e);
const char* signature_alg_name(SignatureAlg alg);

// What an AlgorithmIdentifier says on its own. The curve of an ECDSA signature and the key kind of a
// PSS one come from the signer's key, so the full SignatureAlg needs both (select_signature_alg).
enum class SignatureFamily : std::uint8_t { ecdsa, rsa_pkcs1, rsa_pss };
struct SignatureAlgorithmId {
    SignatureFamily family = SignatureFamily::ecdsa;
    HashAlg hash = HashAlg::sha256;
};

// Reads one whole AlgorithmIdentifier element (tag included). ok for the algorithms SignatureAlg
// covers; unsupported_algorithm for known ones it does not (sha1WithRSAEncryption, ecdsa-with-SHA1,
// ecdsa-with-SHA224, Ed25519, PSS with SHA-1 or SHA-224, ...); unknown_algorithm for any other
// OID. Parameter rules: ECDSA and Ed25519 absent (RFC 5758 §3.2, RFC 8410 §3); PKCS#1 v1.5 NULL
// or absent (RFC 4055 §5: both MUST be accepted); RSASSA-PSS present (RFC 4055 §3.1) with MGF1
// over the same hash and saltLength equal to the hash length.
SignatureError parse_signature_algorithm(Bytes algorithm_identifier, SignatureAlgorithmId& out);

// The SignatureAlg that `id` names for a signer holding `key`: the key's curve for ECDSA,
// rsaEncryption -> rsa_pss_rsae_*, id-RSASSA-PSS -> rsa_pss_pss_*. key_mismatch when the key
// cannot make such signatures.
SignatureError select_signature_alg(SignatureAlgorithmId id, const Spki& key, SignatureAlg& out);

// Verifies `signature` over `message` (hashed here) with the signer's key. ECDSA signatures are
// DER Ecdsa-Sig-Value (RFC 3279 §2.2.3, as X.509 and TLS 1.3 carry them); RSA signatures are the
// modulus-sized octet string (RFC 8017 §8). Variable time: every input is public.
SignatureError verify_signature(SignatureAlg alg, const Spki& key, Bytes message, Bytes signature);

// A function with verify_signature's contract, for the layers that verify on the caller's behalf:
// an image chooses which algorithms it links by choosing the verifier it passes them.
using SignatureVerifier = SignatureError (*)(SignatureAlg alg, const Spki& key, Bytes message, Bytes signature);

// verify_signature restricted to ECDSA over P-256 (with SHA-256, -384 or -512); every other
// SignatureAlg gives unsupported_algorithm. In signature_ecdsa_p256.cpp: links no RSA and no P-384.
SignatureError verify_signature_ecdsa_p256_only(SignatureAlg alg, const Spki& key, Bytes message, Bytes signature);
// Narrower still: ECDSA P-256 with SHA-256 only (TLS 1.3's ecdsa_secp256r1_sha256, and the
// ecdsa-with-SHA256 certificates of a P-256 PKI): links no SHA-384/512 and no AnyHash either.
SignatureError verify_signature_ecdsa_p256_sha256_only(SignatureAlg alg, const Spki& key, Bytes message,
                                                       Bytes signature);

// --- the per-algorithm functions verify_signature dispatches to (each its own TU) ---

// ECDSA (FIPS 186-5 §6.4.2) over P-256 with `hash`; key must be an ec_p256 SPKI.
SignatureError verify_ecdsa_p256(HashAlg hash, const Spki& key, Bytes message, Bytes der_signature);
// ECDSA over P-384 with `hash`; key must be an ec_p384 SPKI.
SignatureError verify_ecdsa_p384(HashAlg hash, const Spki& key, Bytes message, Bytes der_signature);
// RSASSA-PKCS1-v1_5 (RFC 8017 §8.2.2); key must be rsaEncryption (RFC 4055 §1.2 forbids PKCS#1
// v1.5 with an id-RSASSA-PSS key).
SignatureError verify_rsa_pkcs1(HashAlg hash, const Spki& key, Bytes message, Bytes signature);

// RSASSA-PSS (RFC 8017 §8.1.2) with explicit parameters, for callers outside the profile above
// (Wycheproof's matrix of salt lengths and MGF1 hashes). The key is rsaEncryption or id-RSASSA-PSS;
// an id-RSASSA-PSS key carrying RSASSA-PSS-params binds them (RFC 4055 §3.1), and parameters
// that differ give key_mismatch.
struct PssParams {
    HashAlg hash = HashAlg::sha256;
    HashAlg mgf1_hash = HashAlg::sha256;
    std::size_t salt_length = 32;
};
SignatureError verify_rsa_pss(const PssParams& params, const Spki& key, Bytes message, Bytes signature);

}  // namespace padlock::asn1
