// SPDX-License-Identifier: Apache-2.0
// Trust store loading (PEM bundles per RFC 7468 §5, or DER in the image) into caller storage, and
// the issuer lookup RFC 5280 §6.1 path building starts from.
#include "x509/trust_store.hpp"

#include <algorithm>
#include <cstring>

#include "asn1/pem.hpp"
#include "x509/name.hpp"

namespace padlock::x509 {
namespace {

constexpr char certificate_label[] = "CERTIFICATE";  // RFC 7468 §5.1

bool same_bytes(Bytes a, Bytes b) { return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin()); }

}  // namespace

// Parses `der` (which must outlive the store) into the next index entry.
X509Error TrustStore::add_one(Bytes der) {
    if (count_ == index_.size()) return X509Error::store_index_full;
    // Certificates are public: a plain comparison. Quadratic in the store size, bounded by the index.
    for (const Certificate& c : anchors())
        if (same_bytes(c.der, der)) return X509Error::duplicate_certificate;
    if (X509Error e = parse_certificate(der, index_[count_]); e != X509Error::ok) return e;
    count_++;
    return X509Error::ok;
}

Result TrustStore::add_pem_bundle(Bytes text) {
    const std::size_t count_before = count_, der_before = der_used_;
    auto fail = [&](X509Error e, std::size_t block) {
        count_ = count_before;
        der_used_ = der_before;
        return Result{e, block};
    };
    std::size_t pos = 0, block = 0;
    for (;; block++) {
        asn1::PemBlock pem;
        const MutBytes room = der_.subspan(der_used_);
        const asn1::Asn1Error pe = asn1::pem_decode_next(text, pos, pem, room);
        if (pe == asn1::Asn1Error::pem_not_found) break;
        if (pe == asn1::Asn1Error::buffer_too_small) return fail(X509Error::store_der_full, block);
        if (pe != asn1::Asn1Error::ok) return fail(X509Error::bad_pem, block);
        if (pem.label.size() != std::strlen(certificate_label) ||
            std::memcmp(pem.label.data(), certificate_label, pem.label.size()) != 0)
            return fail(X509Error::not_a_certificate, block);
        if (X509Error e = add_one(room.first(pem.der_len)); e != X509Error::ok) return fail(e, block);
        der_used_ += pem.der_len;
    }
    if (block == 0) return fail(X509Error::empty_bundle, 0);
    return {};
}

Result TrustStore::add_der(std::span<const Bytes> ders) {
    const std::size_t count_before = count_;
    for (std::size_t i = 0; i < ders.size(); i++)
        if (X509Error e = add_one(ders[i]); e != X509Error::ok) {
            count_ = count_before;
            return {e, i};
        }
    return {};
}

const Certificate* IssuerCursor::next(std::size_t* position) {
    const auto& aki = child_.extensions.authority_key_identifier;
    for (; pass_ < 2; pass_++, at_ = 0) {
        while (at_ < certs_.size()) {
            const std::size_t k = at_++;
            const Certificate& cand = certs_[k];
            if (!names_match(cand.subject, child_.issuer)) continue;
            const auto& ski = cand.extensions.subject_key_identifier;
            const bool hint = !aki.has_key_id || !ski.present || same_bytes(aki.key_id, ski.key_id);
            if (hint != (pass_ == 0)) continue;
            if (position != nullptr) *position = k;
            return &cand;
        }
    }
    return nullptr;
}

}  // namespace padlock::x509
