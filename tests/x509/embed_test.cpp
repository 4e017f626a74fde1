// SPDX-License-Identifier: Apache-2.0
// `padlock x509 embed` output, compiled into this program (tests/meson.build runs the tool on the
// generated chains' {root, oldroot} bundle): the embedded DER is byte for byte what openssl wrote,
// a TrustStore reads it in place, and paths verify against it as tests/x509/gen_chains.sh expects.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "x509/path.hpp"
#include "x509/trust_store.hpp"

#ifndef PADLOCK_X509_CHAINS_DIR
#error "PADLOCK_X509_CHAINS_DIR comes from tests/meson.build"
#endif

extern const std::size_t test_roots_count;
extern const padlock::x509::EmbeddedBundle test_roots;

using padlock::Bytes;
using namespace padlock::x509;

namespace {

std::string read_file(const std::string& name) {
    std::ifstream f(std::string(PADLOCK_X509_CHAINS_DIR) + "/" + name, std::ios::binary);
    REQUIRE(f.good());
    return std::string(std::istreambuf_iterator<char>(f), {});
}
Bytes bytes(const std::string& s) { return Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()); }
bool same(Bytes a, Bytes b) { return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin()); }

std::int64_t validation_time() {
    std::ifstream f(std::string(PADLOCK_X509_CHAINS_DIR) + "/cases.txt");
    std::string word;
    std::int64_t t = 0;
    f >> word >> t;
    REQUIRE(word == "time");
    return t;
}

}  // namespace

TEST_CASE("embed: the generated trust store holds the bundle's certificates, and paths verify against it") {
    const std::string root = read_file("root.der"), oldroot = read_file("oldroot.der");
    REQUIRE(test_roots_count == 2);
    REQUIRE(test_roots.certificates.size() == 2);
    CHECK(same(test_roots.certificates[0], bytes(root)));
    CHECK(same(test_roots.certificates[1], bytes(oldroot)));
    CHECK(test_roots.der_size == root.size() + oldroot.size());

    Certificate index[2];
    TrustStore store(padlock::MutBytes(), index);  // no DER storage: the constants are used in place
    REQUIRE(store.add_embedded(test_roots).ok());
    REQUIRE(store.size() == 2);
    CHECK(store.anchors()[0].der.data() == test_roots.certificates[0].data());

    const std::string leaf3 = read_file("leaf3.der"), i1 = read_file("i1.der"), cross = read_file("cross.der"),
                      badsig = read_file("leaf_badsig.der");
    Certificate leaf, inter[2], bad;
    REQUIRE(parse_certificate(bytes(leaf3), leaf) == X509Error::ok);
    REQUIRE(parse_certificate(bytes(i1), inter[0]) == X509Error::ok);
    REQUIRE(parse_certificate(bytes(cross), inter[1]) == X509Error::ok);
    REQUIRE(parse_certificate(bytes(badsig), bad) == X509Error::ok);

    PathInput in;
    in.anchors = store.anchors();
    in.time = validation_time();
    in.hostname = "www.example.com";
    PathScratch scratch;

    // leaf -> I1 -> Root, with the expired cross-certificate (Root signed by OldRoot) offered too.
    in.leaf = &leaf;
    in.intermediates = inter;
    Result r = build_path(in, scratch);
    CHECK(std::string(error_name(r.error)) == "ok");
    REQUIRE(scratch.length == 3);
    CHECK(same(scratch.path[2]->der, bytes(root)));

    // Without I1 nothing issues the leaf.
    in.intermediates = {};
    r = build_path(in, scratch);
    CHECK(std::string(error_name(r.error)) == "unknown_issuer");

    // Signed by an impostor "I1": gen_chains.sh's bad_signature case.
    in.leaf = &bad;
    in.intermediates = std::span<const Certificate>(inter, 1);
    r = build_path(in, scratch);
    CHECK(std::string(error_name(r.error)) == "bad_signature");
    CHECK(r.index == 0);
}
