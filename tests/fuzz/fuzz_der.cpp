// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness for the DER Reader (asn1/der.hpp), the OID printer (asn1/oid.hpp) and the
// time readers (asn1/time.hpp): every read function on any bytes. Properties: a failed read leaves
// the Reader where it was; what a read accepts, the Writer re-encodes to the same bytes (DER has
// one encoding per value, X.690 §10-11); a whole tree of elements re-encodes to the input.
#include <cstdint>
#include <vector>

#include "asn1/der.hpp"
#include "asn1/oid.hpp"
#include "asn1/time.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace padlock::asn1;
using padlock::Bytes;
using padlock::fuzz::equal;

namespace {

// Runs one read on a fresh Reader over `in`. On failure the Reader must not have moved; on success
// `encode` (given a Writer) must reproduce exactly the bytes the read consumed.
template <class Read, class Encode>
void check_read(Bytes in, Read read, Encode encode) {
    Reader r(in);
    if (read(r) != Asn1Error::ok) {
        FUZZ_CHECK(r.rest().data() == in.data() && r.remaining() == in.size());
        return;
    }
    FUZZ_CHECK(r.rest().data() == in.data() + (in.size() - r.remaining()));
    const Bytes consumed = in.first(in.size() - r.remaining());
    std::vector<std::uint8_t> out(consumed.size() + 8);
    Writer w(out);
    encode(w);
    std::size_t len = 0;
    FUZZ_CHECK(w.finish(len) == Asn1Error::ok);
    FUZZ_CHECK(equal(Bytes(out.data(), len), consumed));
}

// Whether `in` is a sequence of well-formed elements to its end, descending into constructed ones.
bool well_formed(Bytes in, int depth) {
    Reader r(in);
    while (!r.empty()) {
        std::uint8_t tag = 0;
        Bytes contents;
        if (r.read_any(tag, contents) != Asn1Error::ok) return false;
        if ((tag & tag::constructed) && depth < 16 && !well_formed(contents, depth + 1)) return false;
    }
    return true;
}

// Re-encodes a well-formed tree with nested begin()/end(), so the Writer computes every length.
void rebuild(Bytes in, Writer& w, int depth) {
    Reader r(in);
    while (!r.empty()) {
        std::uint8_t tag = 0;
        Bytes contents;
        FUZZ_CHECK(r.read_any(tag, contents) == Asn1Error::ok);
        if ((tag & tag::constructed) && depth < 16) {
            const auto m = w.begin(tag);
            rebuild(contents, w, depth + 1);
            w.end(m);
        } else {
            w.add_element(tag, contents);
        }
    }
}

// Dotted decimal back to arcs; false when an arc does not fit 64 bits.
bool parse_dotted(const char* s, std::size_t n, std::vector<std::uint64_t>& arcs) {
    std::uint64_t v = 0;
    bool any = false;
    for (std::size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            if (!any) return false;
            arcs.push_back(v);
            v = 0;
            any = false;
            continue;
        }
        FUZZ_CHECK(s[i] >= '0' && s[i] <= '9');
        if (v > (UINT64_MAX - 9) / 10) return false;
        v = v * 10 + std::uint64_t(s[i] - '0');
        any = true;
    }
    return true;
}

void check_oid(Bytes content) {
    char text[4096];
    std::size_t len = 0;
    // bad_oid only for an arc past the printer's capacity, buffer_too_small past 4 KiB of text.
    if (oid::to_dotted(content, text, len) != Asn1Error::ok) return;
    FUZZ_CHECK(len <= sizeof text);
    std::vector<std::uint64_t> arcs;
    if (!parse_dotted(text, len, arcs)) return;
    FUZZ_CHECK(arcs.size() >= 2 && arcs[0] <= 2);
    if (arcs[1] > UINT64_MAX - 80) return;  // 80 + Y would not fit the 64-bit arcs of oid::encode
    std::vector<std::uint8_t> again(content.size() + 16);
    std::size_t again_len = 0;
    FUZZ_CHECK(oid::encode(arcs, again, again_len) == Asn1Error::ok);
    FUZZ_CHECK(equal(Bytes(again.data(), again_len), content));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const Bytes in(data, size);

    std::uint8_t tag = 0;
    Bytes contents, whole;
    check_read(in, [&](Reader& r) { return r.read_any(tag, contents, &whole); },
               [&](Writer& w) { w.add_element(tag, contents); });
    if (size > 0) {
        const std::uint8_t first = data[0];
        check_read(in, [&](Reader& r) { return r.read_element(first, contents); },
                   [&](Writer& w) { w.add_element(first, contents); });
        check_read(in, [&](Reader& r) { return r.read_element_whole(first, whole); },
                   [&](Writer& w) { w.add_raw(whole); });
        bool present = false;
        Reader child;
        check_read(in, [&](Reader& r) { return r.read_optional(first, present, child); },
                   [&](Writer& w) { if (present) w.add_element(first, child.rest()); });
    }

    Bytes magnitude;
    check_read(in, [&](Reader& r) { return r.read_integer(magnitude); },
               [&](Writer& w) { w.add_integer(magnitude); });
    std::uint64_t small = 0;
    check_read(in, [&](Reader& r) { return r.read_small_uint(small); },
               [&](Writer& w) { w.add_small_uint(small); });
    Bytes oid_content;
    check_read(in, [&](Reader& r) { return r.read_oid(oid_content); },
               [&](Writer& w) { w.add_oid(oid_content); });
    Reader oid_reader(in);
    if (oid_reader.read_oid(oid_content) == Asn1Error::ok) check_oid(oid_content);
    Bytes octets;
    check_read(in, [&](Reader& r) { return r.read_bit_string(octets); },
               [&](Writer& w) { w.add_bit_string(octets); });
    unsigned unused = 0;
    check_read(in, [&](Reader& r) { return r.read_bit_string(octets, unused); },
               [&](Writer& w) {
                   const auto m = w.begin(tag::bit_string);
                   const std::uint8_t u = std::uint8_t(unused);
                   w.add_raw(Bytes(&u, 1));
                   w.add_raw(octets);
                   w.end(m);
               });
    check_read(in, [&](Reader& r) { return r.read_octet_string(octets); },
               [&](Writer& w) { w.add_octet_string(octets); });
    bool flag = false;
    check_read(in, [&](Reader& r) { return r.read_bool(flag); }, [&](Writer& w) { w.add_bool(flag); });
    check_read(in, [&](Reader& r) { return r.read_null(); }, [&](Writer& w) { w.add_null(); });
    for (std::uint8_t string_tag : {tag::printable_string, tag::ia5_string, tag::utf8_string}) {
        check_read(in, [&](Reader& r) { return r.read_string(string_tag, octets); },
                   [&](Writer& w) { w.add_element(string_tag, octets); });
    }
    Reader seq;
    check_read(in, [&](Reader& r) { return r.read_sequence(seq); },
               [&](Writer& w) { w.add_element(tag::sequence, seq.rest()); });

    // RFC 5280 §4.1.2.5: a UTCTime is what write_time writes; a GeneralizedTime (any year, also
    // 1950-2049, which read_time accepts) is what write_generalized_time writes.
    Time t;
    const bool generalized = size > 0 && data[0] == tag::generalized_time;
    check_read(in, [&](Reader& r) { return read_time(r, t); }, [&](Writer& w) {
        FUZZ_CHECK((generalized ? write_generalized_time(w, t) : write_time(w, t)) == Asn1Error::ok);
    });
    check_read(in, [&](Reader& r) { return read_generalized_time(r, t); },
               [&](Writer& w) { FUZZ_CHECK(write_generalized_time(w, t) == Asn1Error::ok); });
    Reader time_reader(in);
    if (read_time(time_reader, t) == Asn1Error::ok) (void)to_unix_seconds(t);

    std::array<std::uint8_t, 4> four{};
    check_read(in, [&](Reader& r) { return r.take<4>(four); }, [&](Writer& w) { w.add_raw(four); });
    Reader empty_check(in);
    FUZZ_CHECK((empty_check.done() == Asn1Error::ok) == in.empty());

    // The whole input as a tree: rebuilding it element by element gives the same bytes.
    if (well_formed(in, 0)) {
        std::vector<std::uint8_t> out(size + 8);
        Writer w(out);
        rebuild(in, w, 0);
        std::size_t len = 0;
        FUZZ_CHECK(w.finish(len) == Asn1Error::ok);
        FUZZ_CHECK(equal(Bytes(out.data(), len), in));
    }
    return 0;
}
