// SPDX-License-Identifier: Apache-2.0
// TLS 1.3 SignatureScheme handling (RFC 8446 §4.2.3) and CertificateVerify (§4.4.3): the scheme
// tables, the signed content, verification through asn1::verify_signature, scheme selection, and
// the signing dispatch onto the SigningKey's own function (tls/signature_ecdsa_p256.cpp,
// tls/signature_rsa.cpp).
#include "tls/signature.hpp"

#include "tls/messages.hpp"

namespace padlock::tls {

// ---- §4.2.3 the code points padlock verifies ------------------------------------------------------

bool certificate_verify_scheme_supported(std::uint16_t code) {
    switch (code) {
    // §4.2.3: ECDSA with the curve named in the scheme; RSASSA-PSS with rsaEncryption or RSASSA-PSS keys.
    case scheme::ecdsa_secp256r1_sha256:
    case scheme::ecdsa_secp384r1_sha384:
    case scheme::rsa_pss_rsae_sha256:
    case scheme::rsa_pss_rsae_sha384:
    case scheme::rsa_pss_rsae_sha512:
    case scheme::rsa_pss_pss_sha256:
    case scheme::rsa_pss_pss_sha384:
    case scheme::rsa_pss_pss_sha512: return true;
    // §4.2.3: rsa_pkcs1_* "refer solely to signatures which appear in certificates ... and are not
    // defined for use in signed TLS handshake messages"; SHA-1 "MUST NOT be offered"; Ed25519, Ed448
    // and P-521 are not verified by this build.
    default: return false;
    }
}

bool certificate_scheme_supported(std::uint16_t code) {
    return certificate_verify_scheme_supported(code) || code == scheme::rsa_pkcs1_sha256 ||
           code == scheme::rsa_pkcs1_sha384 || code == scheme::rsa_pkcs1_sha512;
}

TlsError signature_alg_for_scheme(std::uint16_t code, asn1::SignatureAlg& out) {
    using A = asn1::SignatureAlg;
    switch (code) {
    case scheme::ecdsa_secp256r1_sha256: out = A::ecdsa_p256_sha256; break;
    case scheme::ecdsa_secp384r1_sha384: out = A::ecdsa_p384_sha384; break;
    case scheme::rsa_pss_rsae_sha256: out = A::rsa_pss_rsae_sha256; break;
    case scheme::rsa_pss_rsae_sha384: out = A::rsa_pss_rsae_sha384; break;
    case scheme::rsa_pss_rsae_sha512: out = A::rsa_pss_rsae_sha512; break;
    case scheme::rsa_pss_pss_sha256: out = A::rsa_pss_pss_sha256; break;
    case scheme::rsa_pss_pss_sha384: out = A::rsa_pss_pss_sha384; break;
    case scheme::rsa_pss_pss_sha512: out = A::rsa_pss_pss_sha512; break;
    case scheme::rsa_pkcs1_sha256: out = A::rsa_pkcs1_sha256; break;
    case scheme::rsa_pkcs1_sha384: out = A::rsa_pkcs1_sha384; break;
    case scheme::rsa_pkcs1_sha512: out = A::rsa_pkcs1_sha512; break;
    default: return TlsError::signature_scheme_forbidden;
    }
    return TlsError::ok;
}

namespace {

// Whether `code` is in a u16 list body (signature_algorithms as messages.hpp holds it).
bool offered(Bytes list, std::uint16_t code) {
    U16List l{ByteReader(list)};
    for (std::uint16_t v; l.next(v);)
        if (v == code) return true;
    return false;
}

// The hash a CertificateVerify scheme signs with (only called for supported schemes).
HashAlg scheme_hash(std::uint16_t code) {
    switch (code) {
    case scheme::ecdsa_secp384r1_sha384:
    case scheme::rsa_pss_rsae_sha384:
    case scheme::rsa_pss_pss_sha384: return HashAlg::sha384;
    case scheme::rsa_pss_rsae_sha512:
    case scheme::rsa_pss_pss_sha512: return HashAlg::sha512;
    default: return HashAlg::sha256;
    }
}

}  // namespace

// ---- §4.4.3 the signed content ---------------------------------------------------------------------

TlsError certificate_verify_content(Role signer, Bytes transcript_hash, MutBytes out, std::size_t& written) {
    if (transcript_hash.size() > max_hash_size) return TlsError::api_misuse;
    // "The digital signature is then computed over the concatenation of:
    //   - A string that consists of octet 32 (0x20) repeated 64 times
    //   - The context string
    //   - A single 0 byte which serves as the separator
    //   - The content to be signed" (the transcript hash).
    const std::string_view context =
        signer == Role::server ? server_certificate_verify_context : client_certificate_verify_context;
    ByteWriter w(out);
    for (int i = 0; i < 64; i++) w.add_u8(0x20);
    for (char c : context) w.add_u8(std::uint8_t(c));
    w.add_u8(0);
    w.add_bytes(transcript_hash);
    return w.finish(written) ? TlsError::ok : TlsError::buffer_too_small;
}

// ---- §4.4.3 receiving a CertificateVerify ------------------------------------------------------------

TlsError verify_certificate_verify(const asn1::Spki& peer_key, std::uint16_t code, Bytes offered_schemes,
                                   Role signer, Bytes transcript_hash, Bytes signature,
                                   asn1::SignatureVerifier verify) {
    // "If the CertificateVerify message is sent by a server, the signature algorithm MUST be one
    // offered in the client's "signature_algorithms" extension unless no valid certificate chain can
    // be produced without unsupported algorithms" (and likewise for a client, against the
    // CertificateRequest's); rsa_pkcs1_* is never valid here.
    if (!certificate_verify_scheme_supported(code) || !offered(offered_schemes, code))
        return TlsError::signature_scheme_forbidden;
    asn1::SignatureAlg alg;
    if (const TlsError e = signature_alg_for_scheme(code, alg); e != TlsError::ok) return e;
    std::uint8_t content[max_certificate_verify_content_size];
    std::size_t n = 0;
    if (const TlsError e = certificate_verify_content(signer, transcript_hash, content, n); e != TlsError::ok)
        return e;
    switch (verify(alg, peer_key, Bytes(content, n), signature)) {
    case asn1::SignatureError::ok: return TlsError::ok;
    // §4.2.3: the scheme names the key type (and for ECDSA the curve): any other key cannot have made it.
    case asn1::SignatureError::key_mismatch: return TlsError::signature_scheme_key_mismatch;
    // The certificate's key itself is unusable (e.g. an RSA modulus outside 1024..4096 bits).
    case asn1::SignatureError::bad_key: return TlsError::certificate_unsupported;
    case asn1::SignatureError::unsupported_algorithm:
    case asn1::SignatureError::unknown_algorithm:
    case asn1::SignatureError::malformed_algorithm:
    case asn1::SignatureError::bad_parameters: return TlsError::signature_scheme_forbidden;
    // "If the verification fails, the receiver MUST terminate the handshake with a "decrypt_error" alert."
    case asn1::SignatureError::bad_signature_encoding:
    case asn1::SignatureError::invalid_signature: return TlsError::signature_invalid;
    }
    return TlsError::signature_invalid;
}

// ---- §4.4.3 sending a CertificateVerify -------------------------------------------------------------

bool signing_key_supports(const SigningKey& key, std::uint16_t code) {
    if (key.key == nullptr || key.sign == nullptr) return false;
    switch (key.type) {
    case asn1::KeyType::ec_p256: return code == scheme::ecdsa_secp256r1_sha256;
    case asn1::KeyType::rsa:
    case asn1::KeyType::rsa_pss: {
        const bool rsae = code == scheme::rsa_pss_rsae_sha256 || code == scheme::rsa_pss_rsae_sha384 ||
                          code == scheme::rsa_pss_rsae_sha512;
        const bool pss = code == scheme::rsa_pss_pss_sha256 || code == scheme::rsa_pss_pss_sha384 ||
                         code == scheme::rsa_pss_pss_sha512;
        if (key.type == asn1::KeyType::rsa ? !rsae : !pss) return false;
        // RFC 8017 §9.1.1 step 3: emLen >= hLen + sLen + 2 with sLen = hLen (§4.2.3), emLen =
        // ceil((modBits - 1) / 8).
        if (key.rsa_modulus_bits == 0) return false;
        const std::size_t em_len = (key.rsa_modulus_bits - 1 + 7) / 8;
        return em_len >= 2 * hash_size(scheme_hash(code)) + 2;
    }
    default: return false;
    }
}

TlsError select_signature_scheme(const SigningKey& key, std::span<const std::uint16_t> preference,
                                 Bytes peer_offered, std::uint16_t& out) {
    for (std::uint16_t code : preference) {
        if (certificate_verify_scheme_supported(code) && offered(peer_offered, code) && signing_key_supports(key, code)) {
            out = code;
            return TlsError::ok;
        }
    }
    return TlsError::no_common_signature_scheme;
}

TlsError sign_certificate_verify(const SigningKey& key, std::uint16_t code, Role signer, Bytes transcript_hash,
                                 const Rng& rng, MutBytes signature, std::size_t& written) {
    if (!certificate_verify_scheme_supported(code)) return TlsError::signature_scheme_forbidden;
    if (!signing_key_supports(key, code)) return TlsError::signature_scheme_key_mismatch;
    std::uint8_t content[max_certificate_verify_content_size];
    std::size_t n = 0;
    if (const TlsError e = certificate_verify_content(signer, transcript_hash, content, n); e != TlsError::ok)
        return e;
    return key.sign(key.key, code, Bytes(content, n), rng, signature, written);
}

}  // namespace padlock::tls
