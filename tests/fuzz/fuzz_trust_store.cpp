// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness for the trust store (x509/trust_store.hpp): add_pem_bundle over any text and
// add_der over any DER fields, into storage of a fuzzed size, after an optional anchor already in
// the store. Input layout: one flags byte, then the PEM text (bit 1 clear) or up to eight
// tests/fuzz/fuzz.hpp fields of DER (bit 1 set). Flags: bit 0 preloads vectors/x509/root.der
// (compiled in); bits 2-3 pick the DER capacity (64 KiB, 4 KiB, 1 KiB, 0); bits 4-5 the index size
// (8, 3, 1, 0). Properties:
//   - all or nothing: a failed load leaves the size, the DER used and every earlier anchor (its
//     view and its bytes) as they were, and names a block that exists;
//   - a PEM load that succeeds added one anchor per PEM block, each labelled CERTIFICATE, whose DER
//     is that block's (decoded a second time, independently, with asn1::pem_decode_next) and lies in
//     the caller's DER storage within der_used();
//   - a DER load that succeeds added one anchor per field, parsed in place: a view of the field,
//     not a copy;
//   - every anchor re-parses to itself, and no two anchors have the same DER;
//   - loading the same input again never succeeds: it is refused (duplicate, or no room) and
//     changes nothing.
#include <cstdint>
#include <cstring>
#include <vector>

#include "asn1/pem.hpp"
#include "tests/fuzz/fuzz.hpp"
#include "tests/fuzz/x509_root.hpp"
#include "x509/trust_store.hpp"

using namespace padlock::x509;
using padlock::Bytes;
using padlock::MutBytes;
using padlock::fuzz::equal;

namespace {

constexpr std::size_t der_capacities[4] = {64 * 1024, 4096, 1024, 0};
constexpr std::size_t index_sizes[4] = {8, 3, 1, 0};

// What a failed load must leave alone.
struct Snapshot {
    std::size_t size = 0, der_used = 0;
    std::vector<Bytes> views;
    std::vector<std::vector<std::uint8_t>> bytes;
};
Snapshot snapshot(const TrustStore& store) {
    Snapshot s{store.size(), store.der_used(), {}, {}};
    for (const Certificate& c : store.anchors()) {
        s.views.push_back(c.der);
        s.bytes.emplace_back(c.der.begin(), c.der.end());
    }
    return s;
}
void check_unchanged(const TrustStore& store, const Snapshot& s) {
    FUZZ_CHECK(store.size() == s.size);
    FUZZ_CHECK(store.der_used() == s.der_used);
    for (std::size_t i = 0; i < s.size; i++) {
        const Bytes der = store.anchors()[i].der;
        FUZZ_CHECK(der.data() == s.views[i].data() && der.size() == s.views[i].size());
        FUZZ_CHECK(equal(der, Bytes(s.bytes[i].data(), s.bytes[i].size())));
    }
}

void check_anchors(const TrustStore& store) {
    const auto anchors = store.anchors();
    for (std::size_t i = 0; i < anchors.size(); i++) {
        Certificate again;
        FUZZ_CHECK(parse_certificate(anchors[i].der, again) == X509Error::ok);
        FUZZ_CHECK(again.der.data() == anchors[i].der.data() && again.der.size() == anchors[i].der.size());
        for (std::size_t j = 0; j < i; j++) FUZZ_CHECK(!equal(anchors[i].der, anchors[j].der));
    }
}

bool inside(Bytes v, Bytes in) { return v.data() >= in.data() && v.data() + v.size() <= in.data() + in.size(); }

// Every PEM block of text, decoded apart from the store: labels and DER.
struct Block {
    Bytes label;
    std::vector<std::uint8_t> der;
};
std::vector<Block> pem_blocks(Bytes text) {
    std::vector<Block> out;
    std::vector<std::uint8_t> buf(text.size() + 1);
    std::size_t pos = 0;
    for (;;) {
        padlock::asn1::PemBlock b;
        if (padlock::asn1::pem_decode_next(text, pos, b, buf) != padlock::asn1::Asn1Error::ok) break;
        out.push_back({b.label, std::vector<std::uint8_t>(buf.begin(), buf.begin() + long(b.der_len))});
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    padlock::fuzz::Input in(data, size);
    const std::uint8_t flags = in.byte();
    std::vector<std::uint8_t> storage(der_capacities[(flags >> 2) & 3]);
    std::vector<Certificate> index(index_sizes[(flags >> 4) & 3]);
    TrustStore store(MutBytes(storage.data(), storage.size()), std::span<Certificate>(index.data(), index.size()));
    if (flags & 1) {
        const Bytes root[1] = {Bytes(padlock::fuzz::x509_root, sizeof padlock::fuzz::x509_root)};
        const Result r = store.add_der(root);
        FUZZ_CHECK(r.ok() == !index.empty());
        if (!r.ok()) FUZZ_CHECK(r.error == X509Error::store_index_full && store.size() == 0);
    }
    const Snapshot before = snapshot(store);

    if (!(flags & 2)) {
        const Bytes text = in.rest();
        const Result r = store.add_pem_bundle(text);
        const std::vector<Block> blocks = pem_blocks(text);
        if (!r.ok()) {
            check_unchanged(store, before);
            // The block named is one the bundle has (or the first, for empty_bundle / bad_pem at 0).
            FUZZ_CHECK(r.index <= blocks.size());
            if (r.error == X509Error::empty_bundle) FUZZ_CHECK(r.index == 0);
        } else {
            FUZZ_CHECK(!blocks.empty());
            FUZZ_CHECK(store.size() == before.size + blocks.size());
            const Bytes used(storage.data(), store.der_used());
            for (std::size_t i = 0; i < blocks.size(); i++) {
                const Bytes der = store.anchors()[before.size + i].der;
                FUZZ_CHECK(equal(blocks[i].label, Bytes(reinterpret_cast<const std::uint8_t*>("CERTIFICATE"), 11)));
                FUZZ_CHECK(equal(der, Bytes(blocks[i].der.data(), blocks[i].der.size())));
                FUZZ_CHECK(inside(der, used));
            }
        }
        check_anchors(store);
        const Snapshot after = snapshot(store);
        const Result again = store.add_pem_bundle(text);
        if (r.ok()) {
            FUZZ_CHECK(!again.ok());
            FUZZ_CHECK(again.error == X509Error::duplicate_certificate || again.error == X509Error::store_der_full ||
                       again.error == X509Error::store_index_full);
            FUZZ_CHECK(again.index == 0);
        }
        if (!again.ok()) check_unchanged(store, after);
        return 0;
    }

    std::vector<Bytes> ders;
    while (ders.size() < 8 && !in.rest().empty()) ders.push_back(in.field());
    const Result r = store.add_der(ders);
    if (!r.ok()) {
        check_unchanged(store, before);
        FUZZ_CHECK(r.index < ders.size() || (ders.empty() && r.index == 0));
    } else {
        FUZZ_CHECK(store.size() == before.size + ders.size());
        FUZZ_CHECK(store.der_used() == before.der_used);  // DER in place: the storage is not touched
        for (std::size_t i = 0; i < ders.size(); i++) {
            const Bytes der = store.anchors()[before.size + i].der;
            FUZZ_CHECK(der.data() == ders[i].data() && der.size() == ders[i].size());
        }
    }
    check_anchors(store);
    const Snapshot after = snapshot(store);
    const Result again = store.add_der(ders);
    if (r.ok() && !ders.empty()) {
        FUZZ_CHECK(!again.ok());
        FUZZ_CHECK(again.error == X509Error::duplicate_certificate || again.error == X509Error::store_index_full);
        FUZZ_CHECK(again.index == 0);
    }
    if (!again.ok()) check_unchanged(store, after);
    return 0;
}
