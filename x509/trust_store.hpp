// SPDX-License-Identifier: Apache-2.0
// A trust store: the anchors of RFC 5280 §6.1.1 (d), loaded from a PEM bundle (RFC 7468 §5, the
// form of Debian's /etc/ssl/certs/ca-certificates.crt) or from DER compiled into the image
// (`padlock x509 embed`), kept in caller-provided storage: the decoded DER in one byte buffer and
// an index of parsed certificates (views into that DER). Nothing is allocated or copied twice.
#pragma once

#include <cstddef>
#include <span>

#include "x509/certificate.hpp"

namespace padlock::x509 {

// Storage a caller sizes for Debian's bundle (150 certificates, 160 KiB of DER in 2026) with room
// to grow. sizeof(Certificate) per index entry; a firmware store with a handful of roots needs far less.
inline constexpr std::size_t trust_store_max_anchors = 256;
inline constexpr std::size_t trust_store_der_capacity = 320 * 1024;

// A trust store compiled into the image (the output of `padlock x509 embed`): constant DER
// views, one per certificate, in the bundle's order.
struct EmbeddedBundle {
    std::span<const Bytes> certificates;
    std::size_t der_size = 0;  // sum of their sizes
};

class TrustStore {
public:
    // `der_storage` receives decoded PEM (add_pem_bundle only); `index` holds one parsed
    // Certificate per anchor. Both must outlive the store.
    TrustStore(MutBytes der_storage, std::span<Certificate> index) : der_(der_storage), index_(index) {}

    // Adds every block of a PEM bundle, in order. Text outside the blocks is ignored (RFC 7468 §2).
    // The first problem ends the load, with `index` the 0-based block it concerns (counted from the
    // start of `text`), and leaves the store as it was before the call:
    //   bad_pem                a block whose boundaries or base64 do not decode (a truncated or
    //                          garbled bundle)
    //   not_a_certificate      a block labelled other than "CERTIFICATE" (a key, a CRL, ...)
    //   (a parse error)        a CERTIFICATE block whose DER is not a certificate (RFC 5280 §4.1)
    //   duplicate_certificate  the same DER as an anchor already in the store
    //   store_der_full         der_storage cannot hold the decoded block
    //   store_index_full       index has no room for another certificate
    //   empty_bundle           no PEM block at all (not a bundle)
    Result add_pem_bundle(Bytes text);

    // Adds certificates whose DER lives elsewhere and outlives the store (constant data in the
    // image, or a buffer the caller keeps): parsed in place, not copied. Same errors as above
    // (but for the PEM ones), same all-or-nothing rule.
    Result add_der(std::span<const Bytes> ders);
    Result add_embedded(const EmbeddedBundle& bundle) { return add_der(bundle.certificates); }

    [[nodiscard]] std::span<const Certificate> anchors() const { return index_.first(count_); }
    [[nodiscard]] std::size_t size() const { return count_; }
    [[nodiscard]] std::size_t der_used() const { return der_used_; }

private:
    X509Error add_one(Bytes der);

    MutBytes der_;
    std::span<Certificate> index_;
    std::size_t count_ = 0;
    std::size_t der_used_ = 0;
};

// Candidate issuers of `child` among `certs` (RFC 5280 §6.1: the issuer's subject must match the
// child's issuer name, §7.1): first those whose subjectKeyIdentifier equals the child's
// authorityKeyIdentifier keyIdentifier (§4.2.1.1: the hint that picks one key of several under one
// name), or that cannot be told apart because either side lacks the identifier; then those whose
// SKI differs. A hint only orders: the signature decides. Walks in place; no state but two indices.
class IssuerCursor {
public:
    IssuerCursor(const Certificate& child, std::span<const Certificate> certs) : child_(child), certs_(certs) {}
    // The next candidate, or nullptr when there is none left. `position` is its index in `certs`.
    const Certificate* next(std::size_t* position = nullptr);

private:
    const Certificate& child_;
    std::span<const Certificate> certs_;
    std::size_t at_ = 0;
    int pass_ = 0;  // 0: SKI matches or no hint; 1: SKI differs
};

}  // namespace padlock::x509
