// SPDX-License-Identifier: Apache-2.0
// Certification path building and validation (RFC 5280 §6.1): a depth-first search from the leaf
// through untrusted intermediates to a trust anchor, every candidate path checked as in §6.1.3-§6.1.4.
// No heap: the caller provides PathScratch (sizeof(PathScratch) is path_scratch_size).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "x509/certificate.hpp"
#include "x509/crl.hpp"

namespace padlock::x509 {

// Bounds that keep a hostile chain from making the search expensive.
inline constexpr std::size_t max_path_depth = 8;               // certificates in a path, leaf and anchor included
inline constexpr std::size_t max_untrusted = 64;               // intermediates accepted (dedup is quadratic in this)
inline constexpr std::size_t max_signature_checks = 100;       // signature verifications per search
inline constexpr std::size_t max_name_constraint_checks = 4096;// name-vs-subtree comparisons per search

enum class Purpose : std::uint8_t { any, server_auth, client_auth };

struct PathInput {
    const Certificate* leaf = nullptr;
    std::span<const Certificate> intermediates;  // untrusted, any order, extras and duplicates allowed
    std::span<const Certificate> anchors;        // the trust store (anchors are whole certificates)
    std::int64_t time = 0;                        // validation time, seconds since 1970 UTC
    Purpose purpose = Purpose::server_auth;       // extKeyUsage asked of the leaf and, when present, of CAs
    std::string_view hostname;                    // empty: no RFC 9525 check
    // Revocation (§6.3, x509/crl.hpp check_revocation): parsed CRLs, views the caller keeps alive,
    // and what to do with them. Every certificate of a candidate path but the anchor is checked
    // against the CRLs of its issuer, after the other checks of that path have passed.
    std::span<const Crl> crls;
    RevocationPolicy revocation = RevocationPolicy::where_available;
};

// The caller's working memory; on success path[0..length) is the path found, leaf first, anchor last.
struct PathScratch {
    const Certificate* path[max_path_depth];
    std::size_t length = 0;
    std::size_t signature_checks = 0;
    std::size_t name_constraint_checks = 0;
    Result best;              // most relevant error so far: from the longest path tried
    std::size_t best_length = 0;
    // The path `best` was met on, leaf first: best_path[best.index] is the certificate concerned.
    const Certificate* best_path[max_path_depth];
};
inline constexpr std::size_t path_scratch_size = sizeof(PathScratch);

// Finds the first valid path, or returns the most relevant error: the one met on the longest path
// tried (first found among equals), with `index` the position in that path (0 = leaf). Candidates
// for an issuer are certificates whose subject matches the child's issuer (§7.1), anchors first,
// those whose subjectKeyIdentifier equals the child's authorityKeyIdentifier before the others.
// Checks (§6.1.3, §6.1.4): signature, validity at `time` (anchors too, as openssl does), names
// chaining, unknown critical extensions, for issuers v3 + basicConstraints cA + pathLenConstraint +
// keyUsage keyCertSign (a v1 anchor is accepted as it is), extKeyUsage, and name constraints
// (dNSName, rfc822Name, iPAddress, directoryName; other forms fail closed) on the subjectAltName
// names and subject of every certificate below the constraining CA except self-issued intermediates.
// Then revocation under in.revocation: certificate_revoked (or a CRL's error, e.g. crl_expired,
// crl_bad_signature, no_crl_for_certificate) with the index of the certificate concerned. A
// revoked leaf ends the search (every path holds it); a revoked intermediate, or a CRL problem,
// ends only that path, so another issuer (a cross-signed alternative) may still give a valid one.
// CRL signature checks count against max_signature_checks.
// Not done: certificate policies (§6.1.3 (d)-(f)), the subject's emailAddress attribute against
// rfc822Name constraints. Signatures (certificates and CRLs) go through asn1::verify_signature.
Result build_path(const PathInput& in, PathScratch& scratch);

// The same, with every signature checked by `verify` (asn1/signature.hpp): an image that passes
// asn1::verify_signature_ecdsa_p256_only validates ECDSA P-256 paths and links no RSA and no P-384
// (tests/x509/footprint_ecdsa.sh); a certificate or CRL signed otherwise then fails with
// unsupported_signature_algorithm.
Result build_path(const PathInput& in, asn1::SignatureVerifier verify, PathScratch& scratch);

}  // namespace padlock::x509
