// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness for X.509 (x509/): certificate parsing with its extensions and names, CRL
// parsing and lookup, host-name matching, and path building over fuzzed intermediates to one fixed
// root (vectors/x509/root.der, compiled in) with the fuzzed CRL. Input layout (tests/fuzz/fuzz.hpp
// fields): leaf ‖ CRL ‖ one flags byte ‖ up to four intermediates. Properties:
//   - every view of a parsed certificate or CRL lies inside its input;
//   - a parsed Name matches itself (RFC 5280 §7.1) and is within its own subtree, and its
//     attribute walk sees every RDN;
//   - a certificate presenting a dNSName without a wildcard, or an iPAddress, matches that name
//     as a reference identifier (RFC 9525 §6.3-§6.4) whenever the name is a valid reference;
//   - the CRL's entry walk sees revoked_count entries and find_revoked finds each serial;
//   - a path build that succeeds returns leaf ... root with names chaining and every signature
//     verifying again, within the documented bounds.
#include <cstdint>
#include <cstdio>
#include <string>

#include "tests/fuzz/fuzz.hpp"
#include "tests/fuzz/x509_root.hpp"
#include "x509/certificate.hpp"
#include "x509/crl.hpp"
#include "x509/hostname.hpp"
#include "x509/name.hpp"
#include "x509/path.hpp"

using namespace padlock::x509;
using padlock::Bytes;

namespace {

constexpr std::int64_t validation_time = 1798761600;  // 2027-01-01T00:00:00Z, inside the PKI's validity

bool inside(Bytes v, Bytes in) {
    return v.empty() || (v.data() >= in.data() && v.data() + v.size() <= in.data() + in.size());
}

void check_name(const Name& n, Bytes in) {
    FUZZ_CHECK(inside(n.der, in) && inside(n.rdns, in));
    FUZZ_CHECK(names_match(n, n));
    FUZZ_CHECK(name_within_subtree(n, n));
    AttributeCursor cur(n);
    Attribute a;
    std::size_t count = 0, last_rdn = 0;
    while (cur.next(a)) {
        FUZZ_CHECK(inside(a.type, in) && inside(a.value, in));
        FUZZ_CHECK(a.rdn_index >= last_rdn && a.rdn_index < n.rdn_count);
        last_rdn = a.rdn_index;
        count++;
    }
    FUZZ_CHECK(count >= n.rdn_count);
    FUZZ_CHECK(n.rdn_count == 0 || last_rdn == n.rdn_count - 1);
}

// The text form of an iPAddress SAN: dotted quad, or eight full hex groups.
std::string ip_text(Bytes ip) {
    char buf[64];
    if (ip.size() == 4) {
        std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
        return buf;
    }
    std::string s;
    for (std::size_t i = 0; i < 16; i += 2) {
        std::snprintf(buf, sizeof buf, "%s%02x%02x", i ? ":" : "", ip[i], ip[i + 1]);
        s += buf;
    }
    return s;
}

void check_certificate(const Certificate& c, Bytes in) {
    FUZZ_CHECK(c.der.data() == in.data() && c.der.size() == in.size());
    FUZZ_CHECK(inside(c.tbs, in) && inside(c.serial, in) && inside(c.signature, in) && inside(c.spki, in));
    check_name(c.issuer, in);
    check_name(c.subject, in);
    (void)check_critical_extensions(c);
    (void)valid_at(c, validation_time);
    const SubjectAltName& san = c.extensions.subject_alt_name;
    if (!san.present) {
        FUZZ_CHECK(verify_hostname(c, "www.example.com") == X509Error::no_subject_alt_name);
        return;
    }
    FUZZ_CHECK(inside(san.names, in));
    GeneralNameCursor cur(san.names);
    GeneralName g;
    while (cur.next(g)) {
        FUZZ_CHECK(inside(g.value, in));
        std::string ref;
        if (g.type == GeneralNameType::ip_address) {
            ref = ip_text(g.value);
            FUZZ_CHECK(verify_hostname(c, ref) == X509Error::ok);
            continue;
        }
        if (g.type != GeneralNameType::dns_name) continue;
        ref.assign(reinterpret_cast<const char*>(g.value.data()), g.value.size());
        if (ref.find('*') != std::string::npos || ref.find('\0') != std::string::npos) continue;
        std::uint8_t ip[16];
        std::size_t ip_len = 0;
        if (parse_ip_address(ref, ip, ip_len)) continue;  // compared with iPAddress entries only
        const X509Error e = verify_hostname(c, ref);
        FUZZ_CHECK(e == X509Error::ok || e == X509Error::bad_reference_identifier);
    }
}

void check_crl(const Crl& crl, Bytes in) {
    FUZZ_CHECK(crl.der.data() == in.data() && crl.der.size() == in.size());
    FUZZ_CHECK(inside(crl.tbs, in) && inside(crl.revoked, in) && inside(crl.signature, in));
    check_name(crl.issuer, in);
    RevokedCursor cur(crl);
    RevokedCertificate e;
    std::size_t n = 0;
    while (cur.next(e)) {
        FUZZ_CHECK(inside(e.serial, in));
        FUZZ_CHECK(find_revoked(crl, e.serial));
        n++;
    }
    FUZZ_CHECK(n == crl.revoked_count);
    (void)check_crl_time(crl, validation_time);
}

bool same_der(const Certificate& a, const Certificate& b) {
    return padlock::fuzz::equal(a.der, b.der);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    padlock::fuzz::Input input(data, size);
    const Bytes leaf_der = input.field();
    const Bytes crl_der = input.field();
    const std::uint8_t flags = input.byte();

    static Certificate root;
    static const bool root_ok = parse_certificate(Bytes(padlock::fuzz::x509_root), root) == X509Error::ok;
    FUZZ_CHECK(root_ok);

    Certificate leaf;
    const bool have_leaf = parse_certificate(leaf_der, leaf) == X509Error::ok;
    if (have_leaf) check_certificate(leaf, leaf_der);

    Crl crl;
    const bool have_crl = parse_crl(crl_der, crl) == X509Error::ok;
    if (have_crl) {
        check_crl(crl, crl_der);
        (void)verify_crl_signed_by(crl, root);
        if (have_leaf) (void)crl_covers(crl, leaf);
    }

    Certificate inter[4];
    std::size_t n_inter = 0;
    for (int i = 0; i < 4; i++) {
        const Bytes d = input.field();
        if (d.empty()) break;
        if (parse_certificate(d, inter[n_inter]) != X509Error::ok) continue;
        check_certificate(inter[n_inter], d);
        n_inter++;
    }
    if (!have_leaf) return 0;

    PathInput in;
    in.leaf = &leaf;
    in.intermediates = std::span<const Certificate>(inter, n_inter);
    in.anchors = std::span<const Certificate>(&root, 1);
    in.time = validation_time;
    in.purpose = (flags & 4) ? Purpose::client_auth : Purpose::server_auth;
    if (flags & 8) in.hostname = "www.example.com";
    if (have_crl) in.crls = std::span<const Crl>(&crl, 1);
    const RevocationPolicy policies[4] = {RevocationPolicy::none, RevocationPolicy::where_available,
                                          RevocationPolicy::require, RevocationPolicy::where_available};
    in.revocation = policies[flags & 3];
    PathScratch s;
    const Result r = build_path(in, s);
    FUZZ_CHECK(s.signature_checks <= max_signature_checks);
    if (r.ok()) {
        FUZZ_CHECK(s.length >= 1 && s.length <= max_path_depth);
        FUZZ_CHECK(s.path[0] == &leaf);
        FUZZ_CHECK(same_der(*s.path[s.length - 1], root));
        for (std::size_t i = 0; i + 1 < s.length; i++) {
            FUZZ_CHECK(names_match(s.path[i]->issuer, s.path[i + 1]->subject));
            FUZZ_CHECK(verify_signed_by(*s.path[i], *s.path[i + 1]) == X509Error::ok);
        }
    } else {
        FUZZ_CHECK(r.index < max_path_depth);
    }
    return 0;
}
