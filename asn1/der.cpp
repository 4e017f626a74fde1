// SPDX-License-Identifier: Apache-2.0
// Strict DER reader and writer (ITU-T X.690 §8.1 framing, §8.2-8.19 primitive types, §10-11 DER).
// All framing strictness lives in Reader::read_any; the typed reads check their contents only.
#include "asn1/der.hpp"

#include <cstring>

namespace padlock::asn1 {

const char* error_name(Asn1Error e) {
    switch (e) {
    case Asn1Error::ok: return "ok";
    case Asn1Error::truncated: return "truncated";
    case Asn1Error::trailing_data: return "trailing_data";
    case Asn1Error::bad_tag: return "bad_tag";
    case Asn1Error::high_tag_number: return "high_tag_number";
    case Asn1Error::indefinite_length: return "indefinite_length";
    case Asn1Error::non_minimal_length: return "non_minimal_length";
    case Asn1Error::length_too_long: return "length_too_long";
    case Asn1Error::empty_integer: return "empty_integer";
    case Asn1Error::non_minimal_integer: return "non_minimal_integer";
    case Asn1Error::negative_integer: return "negative_integer";
    case Asn1Error::integer_too_large: return "integer_too_large";
    case Asn1Error::bad_bit_string_padding: return "bad_bit_string_padding";
    case Asn1Error::bit_string_not_octet_aligned: return "bit_string_not_octet_aligned";
    case Asn1Error::bad_boolean: return "bad_boolean";
    case Asn1Error::bad_null: return "bad_null";
    case Asn1Error::bad_oid: return "bad_oid";
    case Asn1Error::bad_string: return "bad_string";
    case Asn1Error::bad_time: return "bad_time";
    case Asn1Error::unknown_algorithm: return "unknown_algorithm";
    case Asn1Error::bad_parameters: return "bad_parameters";
    case Asn1Error::bad_version: return "bad_version";
    case Asn1Error::unsupported_curve: return "unsupported_curve";
    case Asn1Error::bad_key: return "bad_key";
    case Asn1Error::pem_not_found: return "pem_not_found";
    case Asn1Error::bad_pem: return "bad_pem";
    case Asn1Error::buffer_too_small: return "buffer_too_small";
    case Asn1Error::bad_argument: return "bad_argument";
    }
    return "unknown";
}

// ---------------------------------------------------------------------------------------------
// Reader

Asn1Error Reader::peek_tag(std::uint8_t& tag) const {
    if (data_.empty()) return Asn1Error::truncated;
    tag = data_[0];
    return Asn1Error::ok;
}

bool Reader::next_is(std::uint8_t tag) const { return !data_.empty() && data_[0] == tag; }

// X.690 §8.1: identifier octets, length octets, contents octets — with the DER restrictions.
// The octets are read through a ByteReader copy; data_ moves only when the whole element is good.
Asn1Error Reader::read_any(std::uint8_t& tag, Bytes& contents, Bytes* whole) {
    ByteReader in(data_);
    std::uint8_t id = 0, first = 0;
    if (!in.read_u8(id) || !in.read_u8(first)) return Asn1Error::truncated;
    // §8.1.2.4: tag number 31 announces the high-tag-number form; PKIX never needs it.
    if ((id & 0x1F) == 0x1F) return Asn1Error::high_tag_number;

    std::uint32_t length = first;
    if (first & 0x80) {
        const unsigned count = first & 0x7F;
        // §8.1.3.6: 0x80 is the indefinite form, which DER forbids (§10.1).
        if (count == 0) return Asn1Error::indefinite_length;
        // §8.1.3.5 c: 0xFF is reserved; more than 4 octets would describe > 4 GiB.
        if (count > 4) return Asn1Error::length_too_long;
        std::uint8_t lead = 0;
        if (!in.peek_u8(lead) || !in.read_be(count, length)) return Asn1Error::truncated;
        // §10.1: the minimum number of length octets — no leading zero octet...
        if (lead == 0) return Asn1Error::non_minimal_length;
        // ...and the short form (§8.1.3.4) whenever the length is below 128.
        if (length < 0x80) return Asn1Error::non_minimal_length;
    }
    Bytes body;
    if (!in.read_bytes(length, body)) return Asn1Error::truncated;

    tag = id;
    contents = body;
    if (whole) *whole = data_.first(data_.size() - in.remaining());
    data_ = in.rest();
    return Asn1Error::ok;
}

Asn1Error Reader::read_element(std::uint8_t want, Bytes& contents) {
    if (data_.empty()) return Asn1Error::truncated;
    // Compare the identifier first so a wrong element reports bad_tag, not its framing faults.
    if (data_[0] != want) return Asn1Error::bad_tag;
    Reader probe = *this;
    std::uint8_t got = 0;
    Bytes c;
    if (Asn1Error e = probe.read_any(got, c); e != Asn1Error::ok) return e;
    contents = c;
    *this = probe;
    return Asn1Error::ok;
}

Asn1Error Reader::read_element(std::uint8_t want, Reader& contents) {
    Bytes c;
    if (Asn1Error e = read_element(want, c); e != Asn1Error::ok) return e;
    contents = Reader(c);
    return Asn1Error::ok;
}

Asn1Error Reader::read_element_whole(std::uint8_t want, Bytes& whole) {
    if (data_.empty()) return Asn1Error::truncated;
    if (data_[0] != want) return Asn1Error::bad_tag;
    Reader probe = *this;
    std::uint8_t got = 0;
    Bytes c, w;
    if (Asn1Error e = probe.read_any(got, c, &w); e != Asn1Error::ok) return e;
    whole = w;
    *this = probe;
    return Asn1Error::ok;
}

Asn1Error Reader::read_optional(std::uint8_t want, bool& present, Reader& contents) {
    present = false;
    if (!next_is(want)) return Asn1Error::ok;
    if (Asn1Error e = read_element(want, contents); e != Asn1Error::ok) return e;
    present = true;
    return Asn1Error::ok;
}

// §8.3: two's complement, minimal (§8.3.2). We only hand out non-negative magnitudes.
Asn1Error Reader::read_integer(Bytes& magnitude) {
    Reader probe = *this;
    Bytes c;
    if (Asn1Error e = probe.read_element(tag::integer, c); e != Asn1Error::ok) return e;
    if (c.empty()) return Asn1Error::empty_integer;  // §8.3.1
    if (c.size() > 1) {
        // §8.3.2: the first nine bits must not be all zeros or all ones.
        const bool redundant_zero = c[0] == 0x00 && (c[1] & 0x80) == 0;
        const bool redundant_ones = c[0] == 0xFF && (c[1] & 0x80) != 0;
        if (redundant_zero || redundant_ones) return Asn1Error::non_minimal_integer;
    }
    if (c[0] & 0x80) return Asn1Error::negative_integer;
    // A leading 00 is then a sign octet in front of a set top bit: strip it.
    if (c.size() > 1 && c[0] == 0x00) c = c.subspan(1);
    magnitude = c;
    *this = probe;
    return Asn1Error::ok;
}

Asn1Error Reader::read_small_uint(std::uint64_t& value) {
    Reader probe = *this;
    Bytes m;
    if (Asn1Error e = probe.read_integer(m); e != Asn1Error::ok) return e;
    if (m.size() > 8) return Asn1Error::integer_too_large;
    std::uint64_t v = 0;
    for (std::uint8_t b : m) v = (v << 8) | b;
    value = v;
    *this = probe;
    return Asn1Error::ok;
}

// §8.19.2: one or more subidentifiers, each base-128 with the top bit marking "more octets";
// "the leading octet of a subidentifier shall not be 0x80" (minimal encoding).
Asn1Error Reader::read_oid(Bytes& content) {
    Reader probe = *this;
    Bytes c;
    if (Asn1Error e = probe.read_element(tag::oid, c); e != Asn1Error::ok) return e;
    if (c.empty()) return Asn1Error::bad_oid;
    if (c.back() & 0x80) return Asn1Error::bad_oid;  // the last subidentifier is cut short
    bool start = true;
    for (std::uint8_t b : c) {
        if (start && b == 0x80) return Asn1Error::bad_oid;
        start = (b & 0x80) == 0;
    }
    content = c;
    *this = probe;
    return Asn1Error::ok;
}

// §8.6.2: an initial octet with the number of unused bits (0-7) in the final octet, then the bits.
Asn1Error Reader::read_bit_string(Bytes& octets, unsigned& unused_bits) {
    Reader probe = *this;
    Bytes c;
    if (Asn1Error e = probe.read_element(tag::bit_string, c); e != Asn1Error::ok) return e;
    if (c.empty()) return Asn1Error::bad_bit_string_padding;  // §8.6.2.2: the initial octet is required
    const unsigned unused = c[0];
    if (unused > 7) return Asn1Error::bad_bit_string_padding;  // §8.6.2.2
    if (c.size() == 1 && unused != 0) return Asn1Error::bad_bit_string_padding;  // §8.6.2.3
    // §11.2.1: DER sets every unused bit to zero.
    if (unused != 0 && (c.back() & ((1u << unused) - 1)) != 0) return Asn1Error::bad_bit_string_padding;
    octets = c.subspan(1);
    unused_bits = unused;
    *this = probe;
    return Asn1Error::ok;
}

Asn1Error Reader::read_bit_string(Bytes& octets) {
    Reader probe = *this;
    Bytes o;
    unsigned unused = 0;
    if (Asn1Error e = probe.read_bit_string(o, unused); e != Asn1Error::ok) return e;
    if (unused != 0) return Asn1Error::bit_string_not_octet_aligned;
    octets = o;
    *this = probe;
    return Asn1Error::ok;
}

Asn1Error Reader::read_bool(bool& value) {
    Reader probe = *this;
    Bytes c;
    if (Asn1Error e = probe.read_element(tag::boolean, c); e != Asn1Error::ok) return e;
    if (c.size() != 1) return Asn1Error::bad_boolean;                // §8.2.1
    if (c[0] != 0x00 && c[0] != 0xFF) return Asn1Error::bad_boolean;  // §11.1
    value = c[0] == 0xFF;
    *this = probe;
    return Asn1Error::ok;
}

Asn1Error Reader::read_null() {
    Reader probe = *this;
    Bytes c;
    if (Asn1Error e = probe.read_element(tag::null, c); e != Asn1Error::ok) return e;
    if (!c.empty()) return Asn1Error::bad_null;  // §8.8.2
    *this = probe;
    return Asn1Error::ok;
}

namespace {

// X.680 §41.4 Table 10: PrintableString characters.
bool is_printable_char(std::uint8_t c) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
    switch (c) {
    case ' ': case '\'': case '(': case ')': case '+': case ',': case '-': case '.': case '/':
    case ':': case '=': case '?': return true;
    default: return false;
    }
}

// RFC 3629 §4: well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_utf8(Bytes s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const std::uint8_t b = s[i];
        std::size_t n;
        std::uint32_t cp;
        if (b < 0x80) { i++; continue; }
        if (b >= 0xC2 && b <= 0xDF) { n = 1; cp = b & 0x1F; }
        else if (b >= 0xE0 && b <= 0xEF) { n = 2; cp = b & 0x0F; }
        else if (b >= 0xF0 && b <= 0xF4) { n = 3; cp = b & 0x07; }
        else return false;
        if (s.size() - i - 1 < n) return false;
        for (std::size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000)) return false;  // overlong
        if (cp >= 0xD800 && cp <= 0xDFFF) return false;                        // surrogate
        if (cp > 0x10FFFF) return false;
        i += n + 1;
    }
    return true;
}

}  // namespace

bool valid_string(std::uint8_t tag, Bytes content) {
    bool good = true;
    if (tag == tag::printable_string) {
        for (std::uint8_t b : content) good = good && is_printable_char(b);
    } else if (tag == tag::ia5_string) {
        for (std::uint8_t b : content) good = good && b < 0x80;
    } else if (tag == tag::utf8_string) {
        good = is_utf8(content);
    }
    return good;
}

Asn1Error Reader::read_string(std::uint8_t want, Bytes& content) {
    Reader probe = *this;
    Bytes c;
    if (Asn1Error e = probe.read_element(want, c); e != Asn1Error::ok) return e;
    if (!valid_string(want, c)) return Asn1Error::bad_string;
    content = c;
    *this = probe;
    return Asn1Error::ok;
}

// ---------------------------------------------------------------------------------------------
// Writer

void Writer::put(std::uint8_t b) {
    if (failed_ || len_ >= out_.size()) { failed_ = true; return; }
    out_[len_++] = b;
}

void Writer::put(Bytes bytes) {
    if (failed_ || bytes.size() > out_.size() - len_) { failed_ = true; return; }
    if (!bytes.empty()) std::memmove(out_.data() + len_, bytes.data(), bytes.size());
    len_ += bytes.size();
}

Writer::Mark Writer::begin(std::uint8_t tag) {
    put(tag);
    const Mark m{len_};
    put(std::uint8_t(0));  // one length octet reserved; end() widens it if needed
    open_++;
    return m;
}

// X.690 §10.1: the shortest definite length — short form below 128, else 1-4 octets.
void Writer::end(Mark mark) {
    open_--;
    if (failed_) return;
    if (mark.length_pos >= len_ || out_[mark.length_pos] != 0) { failed_ = true; return; }
    const std::size_t body = mark.length_pos + 1;
    const std::size_t length = len_ - body;
    std::size_t extra = 0;  // length octets needed after the first (long form only)
    if (length >= 0x80)
        for (std::size_t v = length; v != 0; v >>= 8) extra++;
    if (extra > 4 || extra > out_.size() - len_) { failed_ = true; return; }
    if (extra == 0) {
        out_[mark.length_pos] = std::uint8_t(length);
        return;
    }
    std::memmove(out_.data() + body + extra, out_.data() + body, length);
    out_[mark.length_pos] = std::uint8_t(0x80 | extra);
    for (std::size_t i = 0; i < extra; i++) out_[body + i] = std::uint8_t(length >> (8 * (extra - 1 - i)));
    len_ += extra;
}

void Writer::add_raw(Bytes bytes) { put(bytes); }

void Writer::add_element(std::uint8_t tag, Bytes contents) {
    const Mark m = begin(tag);
    put(contents);
    end(m);
}

// §8.3: minimal two's complement of a non-negative value.
void Writer::add_integer(Bytes magnitude) {
    while (magnitude.size() > 1 && magnitude[0] == 0) magnitude = magnitude.subspan(1);
    const Mark m = begin(tag::integer);
    if (magnitude.empty()) put(std::uint8_t(0));
    else if (magnitude[0] & 0x80) put(std::uint8_t(0));  // sign octet keeps the value positive
    put(magnitude);
    end(m);
}

void Writer::add_small_uint(std::uint64_t value) {
    std::uint8_t be[8];
    for (int i = 0; i < 8; i++) be[i] = std::uint8_t(value >> (56 - 8 * i));
    add_integer(Bytes(be, 8));
}

void Writer::add_bit_string(Bytes octets) {
    const Mark m = begin(tag::bit_string);
    put(std::uint8_t(0));
    put(octets);
    end(m);
}

void Writer::add_bool(bool value) {
    const std::uint8_t v = value ? 0xFF : 0x00;  // §11.1
    add_element(tag::boolean, Bytes(&v, 1));
}

Asn1Error Writer::finish(std::size_t& length) const {
    if (failed_) return Asn1Error::buffer_too_small;
    if (open_ != 0) return Asn1Error::bad_argument;
    length = len_;
    return Asn1Error::ok;
}

}  // namespace padlock::asn1
