// SPDX-License-Identifier: Apache-2.0
// The TLS 1.3 Certificate message (RFC 8446 §4.4.2): building ours from a caller's DER chain, and
// verifying the peer's: each entry parsed as X.509 (x509/certificate.hpp), a path built and
// validated to the caller's trust anchors (RFC 5280 §6, x509/path.hpp), the server's name checked
// (RFC 9525, x509/hostname.hpp), and every failure mapped onto the alert §6.2 names for it, with the
// x509 reason kept for the caller. No heap: the parsed chain lives in caller-owned PeerChain.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "crypto/bytes.hpp"
#include "tls/alert.hpp"
#include "tls/messages.hpp"
#include "tls/signature.hpp"
#include "x509/certificate.hpp"
#include "x509/errors.hpp"
#include "x509/path.hpp"

namespace padlock::tls {

// §4.4.2 writes the Certificate body (the engine frames it with begin_handshake/end_handshake):
//   opaque certificate_request_context<0..2^8-1>;
//   CertificateEntry certificate_list<0..2^24-1>;  each: opaque cert_data<1..2^24-1>, no extensions
// `chain` is leaf first (§4.4.2: "The sender's certificate MUST come in the first CertificateEntry");
// an empty chain is the Certificate of a client without one (§4.4.2.4). `context` is empty for a
// server and echoes the CertificateRequest's for a client (§4.4.2). api_misuse, with nothing
// written, for an empty DER (cert_data<1..2^24-1>); a field over its ceiling or a full buffer fails
// the writer (sticky): check w.finish().
TlsError write_certificate(ByteWriter& w, Bytes context, std::span<const Bytes> chain);

// The most entries a peer's Certificate may have: a path of x509::max_path_depth plus a few extras
// (servers often send the root, sometimes a cross-signed intermediate too).
inline constexpr std::size_t max_peer_certificates = x509::max_path_depth + 2;

// What the caller decides about a peer's certificate.
struct PeerCertificatePolicy {
    Role peer = Role::server;                    // whose Certificate: server -> serverAuth + hostname,
                                                 // client -> clientAuth (x509::Purpose)
    std::span<const x509::Certificate> anchors;  // the trust store
    std::int64_t time = 0;                       // validation time, seconds since 1970 UTC
    std::span<const x509::Crl> crls;             // revocation (x509::PathInput::crls, ::revocation)
    x509::RevocationPolicy revocation = x509::RevocationPolicy::where_available;
    // The server_name we sent (RFC 9525 reference identifier: a DNS name or an IP address text).
    // Required when peer == server: empty gives api_misuse (there is no "skip the name check").
    std::string_view hostname;
    // Server side: whether a client without a certificate is refused (certificate_missing,
    // §4.4.2.4 "certificate_required") or accepted (ok, PeerChain::count == 0).
    bool require_client_certificate = true;
    // Checks the certificates' signatures (asn1/signature.hpp): asn1::verify_signature for every
    // algorithm padlock has, or asn1::verify_signature_ecdsa_p256_only for an image that must link
    // no RSA and no P-384. Required: null gives api_misuse.
    asn1::SignatureVerifier verify = nullptr;
    // Pinned keys (Config::pinned_keys, RFC 7671 §5.1): SubjectPublicKeyInfo DERs. When not empty
    // the leaf must carry one (else certificate_untrusted, x509 unknown_issuer) and is then
    // accepted without a path, validity or name check; path is then the leaf alone.
    std::span<const Bytes> pinned_keys;
};

// The caller's memory for one peer chain: max_peer_certificates x509::Certificate views (880 octets
// each on x86-64) plus the path scratch, 8936 octets in all on x86-64. On success certs[0] is the
// peer's end-entity certificate (its public key is certs[0].public_key, for
// verify_certificate_verify), and path.path[0..path.length) the validated path, leaf first. Views
// point into the Certificate message the caller still holds.
struct PeerChain {
    x509::Certificate certs[max_peer_certificates];
    std::size_t count = 0;
    x509::PathScratch path;
    // Why the chain was refused, as x509 sees it ("certificate_expired", "hostname_mismatch",
    // "unknown_issuer": x509::error_name), with the index of the certificate concerned: for a
    // parse failure the entry's position in the message, for a path failure its position in the
    // path tried (0 = leaf). ok when the refusal was not x509's (context, count, empty list).
    // On any error count is 0: no chain was accepted.
    x509::Result x509;
};

// §4.4.2 + §4.4.2.4 + RFC 5280 §6: verifies a parsed peer Certificate (messages.hpp
// parse_certificate) whose certificate_request_context must equal `expected_context` (empty from a
// server; ours from the CertificateRequest, from a client). Errors, each with its §6.2 alert:
//   certificate_context_mismatch  illegal_parameter
//   certificate_empty             decode_error        a server sent no certificate (§4.4.2.4)
//   certificate_missing           certificate_required a client sent none and one is required
//   certificate_chain_too_long    certificate_unknown  more than max_peer_certificates entries
//   certificate_corrupt           bad_certificate     an entry is not a valid certificate, a signature
//                                                     does not verify (§6.2 "contained signatures that
//                                                     did not verify correctly"), a signature algorithm
//                                                     padlock does not verify (§4.4.2.4: MD5 "MUST",
//                                                     SHA-1 "RECOMMENDED" bad_certificate), or the name
//                                                     does not match (RFC 6125 §6.6.4, case 4: an
//                                                     automated client "SHOULD terminate the
//                                                     communication attempt with a bad certificate error")
//   certificate_unsupported       unsupported_certificate  a public key padlock cannot use (the leaf's
//                                                     for CertificateVerify, or an unknown critical extension)
//   certificate_key_usage         unsupported_certificate  §4.4.2.2: the leaf has keyUsage without
//                                                     digitalSignature
//   certificate_expired           certificate_expired  expired or not yet valid
//   certificate_untrusted         unknown_ca          no issuer found, or a self-signed leaf not trusted
//   certificate_rejected          certificate_unknown  any other RFC 5280 §6 refusal (CA, pathLen,
//                                                     keyUsage, extKeyUsage, name constraints, budgets)
// chain.x509 holds the x509 reason for the x509 refusals (corrupt to rejected).
TlsError verify_peer_certificate(const Certificate& message, Bytes expected_context,
                                 const PeerCertificatePolicy& policy, PeerChain& chain);

// The TlsError (hence the alert) for an x509 refusal; exposed so tests and tools can see the map.
TlsError certificate_error_for(x509::X509Error e);

}  // namespace padlock::tls
