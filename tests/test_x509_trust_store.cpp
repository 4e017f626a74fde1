// SPDX-License-Identifier: Apache-2.0
// The trust store (x509/trust_store.hpp): the machine's CA bundle loads whole (as many anchors as
// the file has BEGIN CERTIFICATE lines), without the heap; a truncated, garbled, foreign, duplicate
// or oversized bundle gives its own error at the right block and leaves the store as it was; and
// IssuerCursor orders candidates by the AKI/SKI hint. Chains come from tests/x509/gen_chains.sh.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "x509/path.hpp"
#include "x509/trust_store.hpp"

#ifndef PADLOCK_CA_BUNDLE
#error "PADLOCK_CA_BUNDLE comes from tests/meson.build"
#endif
#ifndef PADLOCK_X509_CHAINS_DIR
#error "PADLOCK_X509_CHAINS_DIR comes from tests/meson.build"
#endif

#include "tests/count_allocations.hpp"

using padlock::Bytes;
using namespace padlock::x509;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    REQUIRE(f.good());
    return std::string(std::istreambuf_iterator<char>(f), {});
}
std::string chain_file(const std::string& name) { return read_file(std::string(PADLOCK_X509_CHAINS_DIR) + "/" + name); }
Bytes bytes(const std::string& s) { return Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()); }

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += what.size()) n++;
    return n;
}

// A store with storage of the given sizes, owned by the test.
struct Store {
    std::vector<std::uint8_t> der;
    std::vector<Certificate> index;
    TrustStore store;
    explicit Store(std::size_t der_size = trust_store_der_capacity, std::size_t anchors = trust_store_max_anchors)
        : der(der_size), index(anchors), store(padlock::MutBytes(der.data(), der.size()), index) {}
};

std::string name_of(const Result& r) { return error_name(r.error); }

}  // namespace

TEST_CASE("trust store: the system CA bundle loads entirely, without the heap") {
    const std::string text = read_file(PADLOCK_CA_BUNDLE);
    const std::size_t begins = count_of(text, "-----BEGIN CERTIFICATE-----");
    REQUIRE(begins > 0);
    Store s;
    const std::size_t before = g_allocations.load();
    const Result r = s.store.add_pem_bundle(bytes(text));
    CHECK(g_allocations.load() == before);
    INFO("block " << r.index);
    REQUIRE(name_of(r) == "ok");
    CHECK(s.store.size() == begins);
    // Every anchor's DER lies in the caller's buffer, back to back, in bundle order.
    std::size_t offset = 0;
    for (const Certificate& c : s.store.anchors()) {
        CHECK(c.der.data() == s.der.data() + offset);
        offset += c.der.size();
    }
    CHECK(offset == s.store.der_used());
    WARN("system bundle: " << s.store.size() << " anchors, " << s.store.der_used() << " bytes of DER");

    // Each self-signed anchor is among its own candidate issuers.
    std::size_t self_found = 0, self_issued = 0;
    for (const Certificate& c : s.store.anchors()) {
        IssuerCursor cur(c, s.store.anchors());
        bool found = false;
        while (const Certificate* cand = cur.next()) found = found || cand == &c;
        self_issued += verify_signed_by(c, c) == X509Error::ok;
        self_found += found && verify_signed_by(c, c) == X509Error::ok;
    }
    CHECK(self_found == self_issued);
    CHECK(self_issued > begins / 2);

    // Loading it again adds nothing: the first block is already there.
    const Result again = s.store.add_pem_bundle(bytes(text));
    CHECK(name_of(again) == "duplicate_certificate");
    CHECK(again.index == 0);
    CHECK(s.store.size() == begins);
}

TEST_CASE("trust store: a truncated or garbled bundle names the block, and changes nothing") {
    const std::string text = read_file(PADLOCK_CA_BUNDLE);
    const std::size_t begins = count_of(text, "-----BEGIN CERTIFICATE-----");
    REQUIRE(begins >= 4);
    // Offset of the k-th BEGIN line.
    auto begin_at = [&](std::size_t k) {
        std::size_t at = 0;
        for (std::size_t i = 0; i <= k; i++) at = text.find("-----BEGIN CERTIFICATE-----", i == 0 ? 0 : at + 1);
        return at;
    };
    // Every other block of the system bundle is a CERTIFICATE, so block k is certificate k.
    REQUIRE(count_of(text, "-----BEGIN ") == begins);

    SECTION("cut inside the last block's base64") {
        const std::size_t at = begin_at(begins - 1);
        Store s;
        const Result r = s.store.add_pem_bundle(bytes(text.substr(0, at + 200)));
        CHECK(name_of(r) == "bad_pem");
        CHECK(r.index == begins - 1);
        CHECK(s.store.size() == 0);
        CHECK(s.store.der_used() == 0);
    }
    SECTION("cut inside an END line") {
        const std::size_t end = text.find("-----END CERTIFICATE-----", begin_at(2));
        Store s;
        const Result r = s.store.add_pem_bundle(bytes(text.substr(0, end + 12)));
        CHECK(name_of(r) == "bad_pem");
        CHECK(r.index == 2);
    }
    SECTION("a character outside base64 in the fourth block") {
        std::string t = text;
        const std::size_t line = t.find('\n', begin_at(3)) + 1;  // first base64 line of block 3
        t[line + 10] = '!';
        Store s;
        const Result r = s.store.add_pem_bundle(bytes(t));
        CHECK(name_of(r) == "bad_pem");
        CHECK(r.index == 3);
        CHECK(s.store.size() == 0);
    }
    SECTION("a base64 character changed inside the DER: the block decodes but is no certificate") {
        std::string t = text;
        const std::size_t line = t.find('\n', begin_at(1)) + 1;
        t[line] = t[line] == 'A' ? 'B' : 'A';  // the outer SEQUENCE's tag octet (0x30) changes
        Store s;
        const Result r = s.store.add_pem_bundle(bytes(t));
        CHECK(name_of(r) == "malformed_certificate");
        CHECK(r.index == 1);
    }
}

TEST_CASE("trust store: foreign blocks, duplicates, full storage, empty input") {
    const std::string root = chain_file("root.pem"), oldroot = chain_file("oldroot.pem"), i1 = chain_file("i1.pem");
    SECTION("a block that is not a CERTIFICATE") {
        const std::string key = "-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----\n";
        Store s;
        const Result r = s.store.add_pem_bundle(bytes(root + key + oldroot));
        CHECK(name_of(r) == "not_a_certificate");
        CHECK(r.index == 1);
        CHECK(s.store.size() == 0);
    }
    SECTION("the same certificate twice") {
        Store s;
        const Result r = s.store.add_pem_bundle(bytes(root + i1 + root));
        CHECK(name_of(r) == "duplicate_certificate");
        CHECK(r.index == 2);
        CHECK(s.store.size() == 0);
    }
    SECTION("DER storage for two of three certificates") {
        Store probe;
        REQUIRE(probe.store.add_pem_bundle(bytes(root + oldroot + i1)).ok());
        const std::size_t two = probe.store.anchors()[0].der.size() + probe.store.anchors()[1].der.size();
        Store exact(probe.store.der_used());
        CHECK(exact.store.add_pem_bundle(bytes(root + oldroot + i1)).ok());
        Store s(two + 10);
        const Result r = s.store.add_pem_bundle(bytes(root + oldroot + i1));
        CHECK(name_of(r) == "store_der_full");
        CHECK(r.index == 2);
        CHECK(s.store.size() == 0);
        CHECK(s.store.der_used() == 0);
    }
    SECTION("an index for two of three certificates") {
        Store s(trust_store_der_capacity, 2);
        const Result r = s.store.add_pem_bundle(bytes(root + oldroot + i1));
        CHECK(name_of(r) == "store_index_full");
        CHECK(r.index == 2);
        CHECK(s.store.size() == 0);
    }
    SECTION("text without a PEM block") {
        Store s;
        CHECK(name_of(s.store.add_pem_bundle(bytes(std::string("not a bundle\n")))) == "empty_bundle");
        CHECK(name_of(s.store.add_pem_bundle(Bytes())) == "empty_bundle");
    }
    SECTION("loads add up, and a failed one keeps the earlier ones") {
        Store s;
        REQUIRE(s.store.add_pem_bundle(bytes(root)).ok());
        CHECK(name_of(s.store.add_pem_bundle(bytes(oldroot + root))) == "duplicate_certificate");
        CHECK(s.store.size() == 1);
        CHECK(s.store.add_pem_bundle(bytes(oldroot)).ok());
        CHECK(s.store.size() == 2);
    }
}

TEST_CASE("trust store: DER kept by the caller is parsed in place, all or nothing") {
    const std::string root = chain_file("root.der"), i1 = chain_file("i1.der");
    const Bytes ders[] = {bytes(root), bytes(i1)};
    Store s(0);  // no DER storage: nothing is copied
    REQUIRE(s.store.add_embedded({ders, root.size() + i1.size()}).ok());
    REQUIRE(s.store.size() == 2);
    CHECK(s.store.anchors()[1].der.data() == ders[1].data());
    CHECK(s.store.der_used() == 0);
    // A SEQUENCE holding an INTEGER where the tbsCertificate SEQUENCE belongs.
    const std::string oldroot = chain_file("oldroot.der"), junk = "\x30\x03\x02\x01\x01";
    const Bytes more[] = {bytes(oldroot), bytes(junk)};
    const Result r = s.store.add_der(more);
    CHECK(name_of(r) == "malformed_certificate");
    CHECK(r.index == 1);
    CHECK(s.store.size() == 2);
}

TEST_CASE("trust store: IssuerCursor puts the key the AKI names first, the signature decides") {
    // leaf3 is issued by I1 (key ki1); fake_i1 is a self-signed "I1" with another key (kbad).
    std::vector<std::string> files = {chain_file("root.der"), chain_file("fake_i1.der"), chain_file("i2.der"),
                                      chain_file("i1.der"), chain_file("leaf3.der")};
    std::vector<Certificate> certs(files.size());
    for (std::size_t i = 0; i < files.size(); i++) REQUIRE(parse_certificate(bytes(files[i]), certs[i]) == X509Error::ok);
    const std::span<const Certificate> pool(certs.data(), 4);
    IssuerCursor cur(certs[4], pool);
    std::size_t at = 99;
    CHECK(cur.next(&at) == &certs[3]);  // I1 whose SKI is leaf3's AKI
    CHECK(at == 3);
    CHECK(cur.next(&at) == &certs[1]);  // the other "I1"
    CHECK(at == 1);
    CHECK(cur.next() == nullptr);
    CHECK(cur.next() == nullptr);
    CHECK(verify_signed_by(certs[4], certs[3]) == X509Error::ok);
    CHECK(verify_signed_by(certs[4], certs[1]) == X509Error::bad_signature);

    // The store's anchors feed build_path directly.
    Store s;
    REQUIRE(s.store.add_pem_bundle(bytes(chain_file("root.pem") + chain_file("fake_i1.pem"))).ok());
    PathInput in;
    in.leaf = &certs[4];
    in.intermediates = std::span<const Certificate>(&certs[3], 1);
    in.anchors = s.store.anchors();
    in.time = padlock::asn1::to_unix_seconds(certs[4].not_before) + 86400;
    PathScratch scratch;
    const Result r = build_path(in, scratch);
    CHECK(name_of(r) == "ok");
    CHECK(scratch.length == 3);
}
