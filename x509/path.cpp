// SPDX-License-Identifier: Apache-2.0
// RFC 5280 §6.1 path building (depth-first, bounded) and validation of each candidate path:
// §6.1.3 basic certificate processing and §6.1.4 preparation for the next certificate.
#include "x509/path.hpp"

#include <algorithm>

#include "x509/hostname.hpp"
#include "x509/name.hpp"
#include "x509/trust_store.hpp"

namespace padlock::x509 {
namespace {

bool same_der(const Certificate& a, const Certificate& b) {
    return a.der.size() == b.der.size() && std::equal(a.der.begin(), a.der.end(), b.der.begin());
}
bool same_bytes(Bytes a, Bytes b) { return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin()); }

// §6.1: a certificate is self-issued when subject and issuer names match.
bool self_issued(const Certificate& c) { return names_match(c.subject, c.issuer); }

char lower(std::uint8_t c) { return (c >= 'A' && c <= 'Z') ? char(c + 32) : char(c); }
bool iequal(Bytes a, Bytes b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); i++)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}
// `name` ends with `suffix` (ASCII case-insensitive).
bool iends_with(Bytes name, Bytes suffix) {
    return name.size() >= suffix.size() && iequal(name.subspan(name.size() - suffix.size()), suffix);
}

// §4.2.1.10 dNSName: "any DNS name that can be constructed by simply adding zero or more labels to
// the left-hand side". A leading '.' (as openssl and Go accept) means proper subdomains only.
bool dns_within(Bytes name, Bytes base) {
    if (base.empty()) return true;
    if (base[0] == '.') return name.size() > base.size() && iends_with(name, base);
    if (iequal(name, base)) return true;
    return name.size() > base.size() && iends_with(name, base) && name[name.size() - base.size() - 1] == '.';
}

// §4.2.1.10 rfc822Name: a full mailbox, a host (exactly), or ".domain" (any host under it).
bool email_within(Bytes name, Bytes base) {
    auto at = std::find(name.begin(), name.end(), '@');
    if (at == name.end()) return false;
    Bytes host = name.subspan(std::size_t(at - name.begin()) + 1);
    if (std::find(base.begin(), base.end(), '@') != base.end()) {
        // Local part exact (§4.2.1.6: case-sensitive), host case-insensitive.
        Bytes local = name.first(std::size_t(at - name.begin()) + 1);
        return base.size() == name.size() && same_bytes(local, base.first(local.size())) &&
               iequal(host, base.subspan(local.size()));
    }
    if (!base.empty() && base[0] == '.') return host.size() > base.size() && iends_with(host, base);
    return iequal(host, base);
}

// §4.2.1.10 iPAddress: base is address then mask (8 or 32 octets), name 4 or 16 octets.
bool ip_within(Bytes name, Bytes base) {
    if (base.size() != 2 * name.size()) return false;
    const std::size_t n = name.size();
    for (std::size_t i = 0; i < n; i++)
        if ((name[i] & base[n + i]) != (base[i] & base[n + i])) return false;
    return true;
}

class Builder {
public:
    Builder(const PathInput& in, asn1::SignatureVerifier verify, PathScratch& s) : in_(in), verify_(verify), s_(s) {}

    // Records an error met on a path of `length` certificates; the longest path's error wins.
    // Running out of budget ends the search and is the answer (the caller learns the chain was too costly).
    void note(X509Error e, std::size_t index, std::size_t length) {
        if (e == X509Error::signature_budget_exceeded || e == X509Error::name_constraint_budget_exceeded) stop_ = true;
        // A revoked leaf is on every path: no other path can do better.
        if (e == X509Error::certificate_revoked && index == 0) stop_ = true;
        if (stop_ || s_.best.ok() || length > s_.best_length) {
            s_.best = {e, index};
            s_.best_length = length;
            std::copy(s_.path, s_.path + length, s_.best_path);
        }
    }

    // Extends the path s_.path[0..len) (the last one is the child); true once a valid path is found.
    bool extend(std::size_t len) {
        const Certificate& child = *s_.path[len - 1];
        bool any_candidate = false;
        // Anchors first (a shorter path to a trusted key), then intermediates; within each, the
        // order of IssuerCursor (SKI matching the child's AKI first).
        for (int list = 0; list < 2; list++) {
            std::span<const Certificate> certs = list == 0 ? in_.anchors : in_.intermediates;
            IssuerCursor candidates(child, certs);
            std::size_t k = 0;
            while (const Certificate* next = candidates.next(&k)) {
                const Certificate& cand = *next;
                if (on_path(cand, len) || duplicate_before(certs, k)) continue;
                any_candidate = true;
                if (len >= max_path_depth) { note(X509Error::path_too_long, len - 1, len); continue; }
                if (s_.signature_checks >= max_signature_checks) {
                    note(X509Error::signature_budget_exceeded, len - 1, len);
                    return false;
                }
                s_.signature_checks++;
                if (X509Error e = verify_signed_by(child, cand, verify_); e != X509Error::ok) { note(e, len - 1, len); continue; }
                s_.path[len] = &cand;
                if (list == 0) {
                    Result r = validate(len + 1);
                    if (r.ok()) { s_.length = len + 1; return true; }
                    note(r.error, r.index, len + 1);
                } else if (extend(len + 1)) {
                    return true;
                }
                if (stop_) return false;
            }
        }
        if (!any_candidate) {
            const bool self_signed_leaf = len == 1 && self_issued(child);
            note(self_signed_leaf ? X509Error::untrusted_self_signed : X509Error::unknown_issuer, len - 1, len);
        }
        return false;
    }

    // §6.1.3-§6.1.4 over s_.path[0..n), s_.path[n-1] the anchor; signatures are already checked.
    Result validate(std::size_t n) {
        for (std::size_t i = n; i-- > 0;) {
            const Certificate& c = *s_.path[i];
            const bool anchor = i == n - 1;
            if (asn1::to_unix_seconds(c.not_after) < in_.time) return {X509Error::certificate_expired, i};
            if (in_.time < asn1::to_unix_seconds(c.not_before)) return {X509Error::certificate_not_yet_valid, i};
            if (X509Error e = check_critical_extensions(c); e != X509Error::ok) return {e, i};
            const Extensions& x = c.extensions;
            if (x.ext_key_usage.present && !x.ext_key_usage.any) {
                const bool has = in_.purpose == Purpose::any ||
                                 (in_.purpose == Purpose::server_auth && x.ext_key_usage.server_auth) ||
                                 (in_.purpose == Purpose::client_auth && x.ext_key_usage.client_auth);
                if (!has) return {X509Error::ext_key_usage_mismatch, i};
            }
            if (i == 0) continue;
            // An issuer. A v1 anchor is an anchor as it is (openssl and Go accept v1 roots); any other
            // issuer must be a v3 CA (§6.1.4 (k)).
            if (c.version != 3) {
                if (!anchor) return {X509Error::ca_not_v3, i};
                continue;
            }
            if (!x.basic_constraints.ca) return {X509Error::not_a_ca, i};
            if (x.key_usage.present && !(x.key_usage.bits & key_usage::key_cert_sign))
                return {X509Error::key_cert_sign_not_set, i};
            if (x.basic_constraints.has_path_len) {
                // §6.1.4 (l)-(m): non-self-issued intermediates between this CA and the leaf.
                std::uint64_t below = 0;
                for (std::size_t j = 1; j < i; j++) below += self_issued(*s_.path[j]) ? 0 : 1;
                if (below > x.basic_constraints.path_len) return {X509Error::path_length_exceeded, i};
            }
            if (x.name_constraints.present)
                for (std::size_t j = 0; j < i; j++) {
                    // §6.1.3 (b)-(c): applies to the leaf, and to intermediates unless self-issued.
                    if (j > 0 && self_issued(*s_.path[j])) continue;
                    if (X509Error e = check_constraints(*s_.path[j], x.name_constraints); e != X509Error::ok)
                        return {e, j};
                }
        }
        // §6.3: each certificate but the anchor against its issuer's CRLs, leaf first (as openssl).
        for (std::size_t i = 0; i + 1 < n; i++) {
            std::size_t budget = max_signature_checks - s_.signature_checks;
            const X509Error e = check_revocation(*s_.path[i], *s_.path[i + 1], in_.crls, in_.time, in_.revocation, budget,
                                             verify_);
            s_.signature_checks = max_signature_checks - budget;
            if (e != X509Error::ok) return {e, i};
        }
        return {};
    }

private:
    bool on_path(const Certificate& c, std::size_t len) const {
        for (std::size_t i = 0; i < len; i++)
            if (same_der(*s_.path[i], c)) return true;
        return false;
    }
    static bool duplicate_before(std::span<const Certificate> certs, std::size_t k) {
        for (std::size_t i = 0; i < k; i++)
            if (same_der(certs[i], certs[k])) return true;
        return false;
    }

    // Whether one name is inside any subtree of the given type in `subtrees` (counted against the budget).
    // found: some subtree of that type exists; unsupported: a subtree of a form not processed here.
    bool within(GeneralNameType type, Bytes value, const Name* dn, Bytes subtrees, bool& found, bool& over) {
        GeneralNameCursor cur(subtrees, true);
        GeneralName base;
        bool hit = false;
        while (cur.next(base)) {
            if (base.type != type) continue;
            found = true;
            if (++s_.name_constraint_checks > max_name_constraint_checks) { over = true; return false; }
            bool m = false;
            switch (type) {
            case GeneralNameType::dns_name: m = dns_within(value, base.value); break;
            case GeneralNameType::rfc822_name: m = email_within(value, base.value); break;
            case GeneralNameType::ip_address: m = ip_within(value, base.value); break;
            case GeneralNameType::directory_name: {
                Name b;
                m = check_name(base.value, b) == X509Error::ok && name_within_subtree(*dn, b);
                break;
            }
            default: break;
            }
            hit = hit || m;
        }
        return hit;
    }

    static bool supported_forms(Bytes subtrees) {
        GeneralNameCursor cur(subtrees, true);
        GeneralName g;
        while (cur.next(g))
            if (g.type != GeneralNameType::dns_name && g.type != GeneralNameType::rfc822_name &&
                g.type != GeneralNameType::ip_address && g.type != GeneralNameType::directory_name)
                return false;
        return true;
    }

    X509Error check_one(GeneralNameType type, Bytes value, const Name* dn, const NameConstraints& nc) {
        bool found = false, over = false;
        if (nc.has_permitted) {
            bool in = within(type, value, dn, nc.permitted, found, over);
            if (over) return X509Error::name_constraint_budget_exceeded;
            if (found && !in) return X509Error::name_not_permitted;
        }
        if (nc.has_excluded) {
            bool in = within(type, value, dn, nc.excluded, found, over);
            if (over) return X509Error::name_constraint_budget_exceeded;
            if (in) return X509Error::name_excluded;
        }
        return X509Error::ok;
    }

    X509Error check_constraints(const Certificate& c, const NameConstraints& nc) {
        if ((nc.has_permitted && !supported_forms(nc.permitted)) || (nc.has_excluded && !supported_forms(nc.excluded)))
            return X509Error::unsupported_name_constraint;
        if (c.subject.rdn_count > 0)
            if (X509Error e = check_one(GeneralNameType::directory_name, c.subject.der, &c.subject, nc); e != X509Error::ok)
                return e;
        if (!c.extensions.subject_alt_name.present) return X509Error::ok;
        GeneralNameCursor cur(c.extensions.subject_alt_name.names);
        GeneralName g;
        while (cur.next(g)) {
            if (g.type != GeneralNameType::dns_name && g.type != GeneralNameType::rfc822_name &&
                g.type != GeneralNameType::ip_address && g.type != GeneralNameType::directory_name)
                continue;  // no constraint form here applies to it
            Name dn;
            const Name* dnp = nullptr;
            if (g.type == GeneralNameType::directory_name) {
                if (check_name(g.value, dn) != X509Error::ok) return X509Error::bad_general_name;
                dnp = &dn;
            }
            if (X509Error e = check_one(g.type, g.value, dnp, nc); e != X509Error::ok) return e;
        }
        return X509Error::ok;
    }

    const PathInput& in_;
    asn1::SignatureVerifier verify_;
    PathScratch& s_;
    bool stop_ = false;
};

}  // namespace

Result build_path(const PathInput& in, PathScratch& scratch) {
    return build_path(in, asn1::verify_signature, scratch);
}

Result build_path(const PathInput& in, asn1::SignatureVerifier verify, PathScratch& scratch) {
    scratch = PathScratch{};
    if (in.leaf == nullptr) return {X509Error::buffer_too_small, 0};
    scratch.best_path[0] = in.leaf;  // what the errors found before the search concern
    if (in.intermediates.size() > max_untrusted) return {X509Error::too_many_intermediates, 0};
    if (!in.hostname.empty())
        if (X509Error e = verify_hostname(*in.leaf, in.hostname); e != X509Error::ok) return {e, 0};
    Builder b(in, verify, scratch);
    scratch.path[0] = in.leaf;
    // A leaf that is itself in the store is trusted as it is (a one-certificate path).
    for (const Certificate& a : in.anchors)
        if (same_der(a, *in.leaf)) {
            Result r = b.validate(1);
            if (r.ok()) scratch.length = 1;
            return r;
        }
    if (b.extend(1)) return {};
    return scratch.best;
}

}  // namespace padlock::x509
