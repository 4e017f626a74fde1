// SPDX-License-Identifier: Apache-2.0
// CRL parsing (x509/crl.hpp, RFC 5280 §5): every refusal on hand-written DER (the expected error is
// the RFC clause, written by hand, never captured from the parser), the CRLs openssl made for the
// chain tests (tests/x509/gen_chains.sh) read as openssl prints them, and truncation / bit-flip
// robustness of the parser and of the signature check (meant to run under ASan+UBSan).
#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "asn1/oid.hpp"
#include "x509/certificate.hpp"
#include "x509/crl.hpp"
#include "tests/count_allocations.hpp"

#ifndef PADLOCK_X509_CHAINS_DIR
#error "PADLOCK_X509_CHAINS_DIR (where gen_chains.sh wrote the CRLs) comes from tests/meson.build"
#endif

using padlock::Bytes;
using namespace padlock::x509;
namespace oid = padlock::asn1::oid;

namespace {

using V = std::vector<std::uint8_t>;

// A DER element: tag, definite length (X.690 §8.1.3), contents.
V tlv(std::uint8_t tag, const V& c) {
    V out{tag};
    if (c.size() < 0x80) {
        out.push_back(std::uint8_t(c.size()));
    } else if (c.size() < 0x100) {
        out.push_back(0x81);
        out.push_back(std::uint8_t(c.size()));
    } else {
        out.push_back(0x82);
        out.push_back(std::uint8_t(c.size() >> 8));
        out.push_back(std::uint8_t(c.size()));
    }
    out.insert(out.end(), c.begin(), c.end());
    return out;
}
V cat(std::initializer_list<V> parts) {
    V out;
    for (const V& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}
template <std::size_t N>
V bytes(const std::uint8_t (&a)[N]) { return V(a, a + N); }
V text(const char* s) { return V(s, s + std::strlen(s)); }

const V ecdsa_sha256 = tlv(0x30, tlv(0x06, bytes(oid::ecdsa_with_sha256)));
const V ecdsa_sha384 = tlv(0x30, tlv(0x06, bytes(oid::ecdsa_with_sha384)));
const V issuer = tlv(0x30, tlv(0x31, tlv(0x30, cat({tlv(0x06, {0x55, 0x04, 0x03}), tlv(0x0C, text("Test CA"))}))));
const V this_update = tlv(0x17, text("260101000000Z"));
const V next_update = tlv(0x17, text("260201000000Z"));
const V v2 = tlv(0x02, {0x01});

V extension(const V& id, bool critical, const V& value) {
    return tlv(0x30, cat({tlv(0x06, id), critical ? tlv(0x01, {0xFF}) : V{}, tlv(0x04, value)}));
}
V entry(const V& serial, const V& extensions = {}) {
    return tlv(0x30, cat({tlv(0x02, serial), this_update, extensions.empty() ? V{} : tlv(0x30, extensions)}));
}
V entries(std::initializer_list<V> list) { return tlv(0x30, cat(list)); }
V crl_extensions(std::initializer_list<V> list) { return tlv(0xA0, tlv(0x30, cat(list))); }

// CertificateList around a TBSCertList body; the signature is not a real one (parse only).
V certificate_list(const V& tbs_body, const V& outer_alg = ecdsa_sha256) {
    return tlv(0x30, cat({tlv(0x30, tbs_body), outer_alg, tlv(0x03, {0x00, 0x30, 0x00})}));
}
V tbs(const V& version, const V& revoked, const V& extensions) {
    return cat({version, ecdsa_sha256, issuer, this_update, next_update, revoked, extensions});
}

Error parse(const V& der, Crl& out) { return parse_crl(Bytes(der.data(), der.size()), out); }
Error parse(const V& der) {
    Crl c;
    return parse(der, c);
}

V reason(std::uint8_t r) { return extension(bytes(oid::ce_crl_reason), false, tlv(0x0A, {r})); }
V idp(const V& contents) { return extension(bytes(oid::ce_issuing_distribution_point), true, tlv(0x30, contents)); }

const std::string dir = PADLOCK_X509_CHAINS_DIR;
V read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    REQUIRE(f.good());
    return V(std::istreambuf_iterator<char>(f), {});
}

}  // namespace

TEST_CASE("crl: well-formed CRLs on hand-written DER") {
    // v1, no entries, no extensions (§5.1.2.1: version absent).
    Crl c;
    REQUIRE(parse(certificate_list(tbs({}, {}, {})), c) == Error::ok);
    CHECK(c.version == 1);
    CHECK(c.has_next_update);
    CHECK(c.revoked_count == 0);
    CHECK(!find_revoked(c, Bytes()));

    // v2 with entries (reason, invalidityDate, holdInstructionCode ignored) and crlNumber.
    const V inv = extension(bytes(oid::ce_invalidity_date), false, tlv(0x18, text("20251231235959Z")));
    const V hold = extension(bytes(oid::ce_hold_instruction_code), false, tlv(0x06, {0x2A, 0x86, 0x48, 0xCE, 0x38, 0x02, 0x01}));
    const V der = certificate_list(tbs(v2, entries({entry({0x05}, cat({reason(1), inv})), entry({0x00, 0x80}, hold),
                                                    entry({0x07}, reason(6))}),
                                       crl_extensions({extension(bytes(oid::ce_crl_number), false, tlv(0x02, {0x10, 0x00}))})));
    const std::size_t before = g_allocations.load();
    REQUIRE(parse(der, c) == Error::ok);
    CHECK(g_allocations.load() == before);
    CHECK(c.version == 2);
    CHECK(c.revoked_count == 3);
    REQUIRE(c.has_crl_number);
    CHECK(c.crl_number.size() == 2);
    RevokedCursor cur(c);
    RevokedCertificate e;
    REQUIRE(cur.next(e));
    CHECK((e.serial.size() == 1 && e.serial[0] == 5));
    CHECK(e.has_reason);
    CHECK(e.reason == RevocationReason::key_compromise);
    REQUIRE(e.has_invalidity_date);
    CHECK(e.invalidity_date.year == 2025);
    REQUIRE(cur.next(e));
    CHECK((e.serial.size() == 1 && e.serial[0] == 0x80));  // INTEGER 00 80 is 128: magnitude 80
    CHECK(!e.has_reason);
    REQUIRE(cur.next(e));
    CHECK(e.reason == RevocationReason::certificate_hold);
    CHECK(!cur.next(e));
    const std::uint8_t s128[] = {0x80}, s5[] = {0x05}, s6[] = {0x06};
    CHECK(find_revoked(c, s128));
    CHECK(find_revoked(c, s5));
    CHECK(!find_revoked(c, s6));

    // No nextUpdate: parses, but its currency cannot be told (§5.1.2.5).
    REQUIRE(parse(certificate_list(cat({ecdsa_sha256, issuer, this_update})), c) == Error::ok);
    CHECK(!c.has_next_update);
    CHECK(check_crl_time(c, 1800000000) == Error::crl_missing_next_update);
}

TEST_CASE("crl: each refusal has its own reason") {
    const V one_entry = entries({entry({0x05})});
    // §5.1.1 / §5.1.2 structure.
    CHECK(parse(cat({certificate_list(tbs({}, {}, {})), V{0x00}})) == Error::malformed_crl);
    CHECK(parse(tlv(0x30, cat({tlv(0x30, tbs({}, {}, {})), ecdsa_sha256}))) == Error::malformed_signature_value);
    CHECK(parse(certificate_list(cat({tbs({}, {}, {}), tlv(0x05, {})}))) == Error::malformed_tbs_cert_list);
    CHECK(parse(certificate_list(tbs({}, {}, {}), ecdsa_sha384)) == Error::signature_algorithm_mismatch);
    CHECK(parse(certificate_list(cat({ecdsa_sha256, issuer}))) == Error::malformed_tbs_cert_list);
    CHECK(parse(certificate_list(cat({ecdsa_sha256, issuer, tlv(0x17, text("2601010000Z"))}))) == Error::bad_time);
    CHECK(parse(certificate_list(cat({ecdsa_sha256, tlv(0x30, {}), this_update, next_update}))) == Error::empty_issuer);
    CHECK(parse(certificate_list(cat({tlv(0x30, tlv(0x06, {0x2A})), issuer, this_update}), tlv(0x30, tlv(0x06, {0x2A})))) ==
          Error::ok);  // an unknown algorithm parses; verification says unknown_signature_algorithm
    // §5.1.2.1 version: only v2 may be spelt out, and only v2 carries extensions.
    CHECK(parse(certificate_list(tbs(tlv(0x02, {0x00}), {}, {}))) == Error::bad_crl_version);
    CHECK(parse(certificate_list(tbs(tlv(0x02, {0x02}), {}, {}))) == Error::bad_crl_version);
    CHECK(parse(certificate_list(tbs({}, {}, crl_extensions({reason(1)})))) == Error::crl_extensions_not_v2);
    CHECK(parse(certificate_list(tbs({}, entries({entry({0x05}, reason(1))}), {}))) == Error::crl_extensions_not_v2);
    // §5.1.2.6 revokedCertificates.
    CHECK(parse(certificate_list(tbs(v2, tlv(0x30, {}), {}))) == Error::malformed_revoked_certificate);
    CHECK(parse(certificate_list(tbs(v2, entries({entry({0x80})}), {}))) == Error::malformed_revoked_certificate);
    CHECK(parse(certificate_list(tbs(v2, entries({entry(V(21, 0x11))}), {}))) == Error::malformed_revoked_certificate);
    CHECK(parse(certificate_list(tbs(v2, entries({tlv(0x30, tlv(0x02, {0x05}))}), {}))) == Error::malformed_revoked_certificate);
    CHECK(parse(certificate_list(tbs(v2, entries({tlv(0x30, {})}), {}))) == Error::malformed_revoked_certificate);
    CHECK(parse(certificate_list(tbs(v2, entries({entry({0x05}, V{})}), {}))) == Error::ok);  // no extensions at all
    CHECK(parse(certificate_list(tbs(v2, entries({tlv(0x30, cat({tlv(0x02, {0x05}), this_update, tlv(0x30, {})}))}), {}))) ==
          Error::empty_extensions);
    // §5.3 entry extensions.
    CHECK(parse(certificate_list(tbs(v2, entries({entry({0x05}, reason(7))}), {}))) == Error::bad_crl_reason);
    CHECK(parse(certificate_list(tbs(v2, entries({entry({0x05}, reason(8))}), {}))) == Error::bad_crl_reason);
    CHECK(parse(certificate_list(tbs(v2, entries({entry({0x05}, reason(11))}), {}))) == Error::bad_crl_reason);
    CHECK(parse(certificate_list(tbs(v2, entries({entry({0x05}, extension(bytes(oid::ce_crl_reason), false, tlv(0x02, {0x01})))}), {}))) ==
          Error::bad_crl_reason);
    CHECK(parse(certificate_list(tbs(v2, entries({entry({0x05}, extension(bytes(oid::ce_crl_reason), false, tlv(0x0A, {0x00, 0x01})))}), {}))) ==
          Error::bad_crl_reason);
    CHECK(parse(certificate_list(tbs(v2, entries({entry({0x05}, extension(bytes(oid::ce_invalidity_date), false, this_update))}), {}))) ==
          Error::bad_invalidity_date);
    CHECK(parse(certificate_list(tbs(v2, entries({entry({0x05}, extension(bytes(oid::ce_certificate_issuer), true, tlv(0x30, tlv(0x82, text("ca.example")))))}), {}))) ==
          Error::unsupported_indirect_crl);
    const V private_oid = {0x2B, 0x06, 0x01, 0x04, 0x01, 0x83, 0xB2, 0x43, 0x01};  // 1.3.6.1.4.1.55555.1
    CHECK(parse(certificate_list(tbs(v2, entries({entry({0x05}, extension(private_oid, true, tlv(0x05, {})))}), {}))) ==
          Error::unknown_critical_crl_entry_extension);
    CHECK(parse(certificate_list(tbs(v2, entries({entry({0x05}, extension(private_oid, false, tlv(0x05, {})))}), {}))) == Error::ok);
    CHECK(parse(certificate_list(tbs(v2, entries({entry({0x05}, cat({reason(1), reason(2)}))}), {}))) == Error::duplicate_extension);
    CHECK(parse(certificate_list(tbs(v2, entries({entry({0x05}, tlv(0x30, cat({tlv(0x06, bytes(oid::ce_crl_reason)), tlv(0x01, {0x00}), tlv(0x04, tlv(0x0A, {1}))})))}), {}))) ==
          Error::malformed_extension);  // critical FALSE spelt out (X.690 §11.5)
    // §5.2 CRL extensions.
    CHECK(parse(certificate_list(tbs(v2, one_entry, crl_extensions({extension(bytes(oid::ce_crl_number), false, tlv(0x02, {0x80}))})))) ==
          Error::bad_crl_number);
    CHECK(parse(certificate_list(tbs(v2, one_entry, crl_extensions({extension(bytes(oid::ce_crl_number), false, tlv(0x02, V(21, 0x11)))})))) ==
          Error::bad_crl_number);
    CHECK(parse(certificate_list(tbs(v2, one_entry, crl_extensions({extension(bytes(oid::ce_delta_crl_indicator), true, tlv(0x02, {0x01}))})))) ==
          Error::unsupported_delta_crl);
    CHECK(parse(certificate_list(tbs(v2, one_entry, crl_extensions({extension(private_oid, true, tlv(0x05, {}))})))) ==
          Error::unknown_critical_crl_extension);
    CHECK(parse(certificate_list(tbs(v2, one_entry, crl_extensions({extension(bytes(oid::ce_authority_key_identifier), false, tlv(0x30, tlv(0x80, {})))})))) ==
          Error::ok);
    CHECK(parse(certificate_list(tbs(v2, one_entry, crl_extensions({extension(bytes(oid::ce_authority_key_identifier), false, tlv(0x04, {}))})))) ==
          Error::bad_authority_key_identifier);
    CHECK(parse(certificate_list(tbs(v2, one_entry, tlv(0xA0, tlv(0x30, {}))))) == Error::empty_extensions);
    // §5.2.5 issuingDistributionPoint.
    auto with_idp = [&](const V& contents) { return parse(certificate_list(tbs(v2, one_entry, crl_extensions({idp(contents)})))); };
    CHECK(with_idp({}) == Error::bad_issuing_distribution_point);
    CHECK(with_idp(tlv(0x81, {0xFF})) == Error::ok);
    CHECK(with_idp(tlv(0x81, {0x00})) == Error::bad_issuing_distribution_point);  // FALSE spelt out
    CHECK(with_idp(tlv(0x81, {0x01})) == Error::bad_issuing_distribution_point);  // TRUE is FF in DER
    CHECK(with_idp(cat({tlv(0x81, {0xFF}), tlv(0x82, {0xFF})})) == Error::bad_issuing_distribution_point);
    CHECK(with_idp(cat({tlv(0x82, {0xFF}), tlv(0x81, {0xFF})})) == Error::bad_issuing_distribution_point);  // out of order
    CHECK(with_idp(tlv(0x83, {0x07, 0x80})) == Error::unsupported_crl_reason_partition);
    CHECK(with_idp(tlv(0x84, {0xFF})) == Error::unsupported_indirect_crl);
    CHECK(with_idp(tlv(0xA0, tlv(0xA0, tlv(0x86, text("http://crl.example.com/a.crl"))))) == Error::ok);
    CHECK(with_idp(tlv(0xA0, tlv(0xA0, {}))) == Error::bad_issuing_distribution_point);
    CHECK(with_idp(tlv(0xA0, tlv(0xA2, {}))) == Error::bad_issuing_distribution_point);
}

TEST_CASE("crl: openssl's CRLs read as openssl prints them") {
    // gen_chains.sh: crl_i1_rev_leaf lists leaf3 (keyCompromise); `openssl ca` starts crlNumber at 0x1000.
    const V der = read_file(dir + "/crl_i1_rev_leaf.crl.der");
    Crl c;
    REQUIRE(parse(der, c) == Error::ok);
    CHECK(c.version == 2);
    CHECK(c.revoked_count == 1);
    REQUIRE(c.has_crl_number);
    CHECK((c.crl_number.size() == 2 && c.crl_number[0] == 0x10 && c.crl_number[1] == 0x00));
    CHECK(c.authority_key_identifier.has_key_id);
    CHECK(c.authority_key_identifier.key_id.size() == 20);
    CHECK(!c.issuing_distribution_point.present);
    const V idp_der = read_file(dir + "/crl_i1_idp.crl.der");
    REQUIRE(parse(idp_der, c) == Error::ok);
    CHECK(c.issuing_distribution_point.present);
    CHECK(c.issuing_distribution_point.critical);
    CHECK(c.issuing_distribution_point.full_name);
    CHECK(!c.issuing_distribution_point.only_ca_certs);
    const V ca_der = read_file(dir + "/crl_root_only_ca.crl.der");
    REQUIRE(parse(ca_der, c) == Error::ok);
    CHECK(c.issuing_distribution_point.only_ca_certs);
    CHECK(!c.issuing_distribution_point.has_distribution_point);
}

TEST_CASE("crl: truncation and bit-flip robustness", "[robust]") {
    for (const char* name : {"crl_i1_rev_leaf", "crl_i1_idp", "crl_irsa_rev", "crl_r384"}) {
        INFO("crl " << name);
        const V der = read_file(dir + "/" + name + ".crl.der");
        // Every proper prefix fails and leaves the output untouched.
        for (std::size_t n = 0; n < der.size(); n++) {
            V cut(der.begin(), der.begin() + std::ptrdiff_t(n));
            Crl out;
            if (parse(cut, out) == Error::ok) FAIL("prefix of " << n << " bytes parsed");
            if (out.der.data() != nullptr) FAIL("output changed on failure at " << n);
        }
        // Every single-bit flip fails or parses to views inside the buffer, and lookups still work.
        V flipped = der;
        for (std::size_t i = 0; i < der.size(); i++)
            for (int bit = 0; bit < 8; bit++) {
                flipped[i] ^= std::uint8_t(1u << bit);
                Crl out;
                if (parse(flipped, out) == Error::ok) {
                    const auto inside = [&](Bytes v) {
                        return v.empty() || (v.data() >= flipped.data() && v.data() + v.size() <= flipped.data() + flipped.size());
                    };
                    if (!inside(out.tbs) || !inside(out.signature) || !inside(out.revoked) || !inside(out.issuer.der))
                        FAIL("view outside the input after flipping bit " << bit << " of byte " << i);
                    std::size_t n = 0;
                    RevokedCursor cur(out);
                    RevokedCertificate e;
                    while (cur.next(e)) n++;
                    if (n != out.revoked_count) FAIL("cursor saw " << n << " entries, parser " << out.revoked_count);
                }
                flipped[i] ^= std::uint8_t(1u << bit);
            }
    }
}

TEST_CASE("crl: no single-bit flip gives a CRL that still verifies", "[robust]") {
    for (auto [crl_name, issuer_name] : {std::pair{"crl_i1_rev_leaf", "i1"}, std::pair{"crl_irsa_rev", "i_rsa_under_384"},
                                         std::pair{"crl_r384", "r384"}}) {
        INFO("crl " << crl_name);
        const V issuer_der = read_file(dir + "/" + issuer_name + ".der");
        Certificate issuer_cert;
        REQUIRE(parse_certificate(Bytes(issuer_der.data(), issuer_der.size()), issuer_cert) == Error::ok);
        V flipped = read_file(dir + "/" + crl_name + ".crl.der");
        Crl good;
        REQUIRE(parse(flipped, good) == Error::ok);
        REQUIRE(verify_crl_signed_by(good, issuer_cert) == Error::ok);
        std::size_t refused = 0;
        for (std::size_t i = 0; i < flipped.size(); i++)
            for (int bit = 0; bit < 8; bit++) {
                flipped[i] ^= std::uint8_t(1u << bit);
                Crl out;
                if (parse(flipped, out) != Error::ok || verify_crl_signed_by(out, issuer_cert) != Error::ok)
                    refused++;
                else
                    FAIL("bit " << bit << " of byte " << i << " flipped and the CRL still verifies");
                flipped[i] ^= std::uint8_t(1u << bit);
            }
        CHECK(refused == 8 * flipped.size());
    }
}
