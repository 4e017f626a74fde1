// SPDX-License-Identifier: Apache-2.0
// RFC 5280 §4.1.2.4 Name parsing (SEQUENCE OF RDN, RDN = SET SIZE (1..MAX) OF AttributeTypeAndValue)
// and §7.1 name comparison.
#include "x509/name.hpp"

#include <cstring>

#include "asn1/oid.hpp"

namespace padlock::x509 {

namespace {

using asn1::Reader;
namespace tag = asn1::tag;
constexpr auto ok = asn1::Asn1Error::ok;
constexpr std::uint8_t numeric_string = 0x12, visible_string = 0x1A, universal_string = 0x1C;

// The character set of the value's string type (X.680 §41); other tags are ANY values, not checked.
bool value_ok(std::uint8_t t, Bytes value_whole) {
    Reader r(value_whole);
    Bytes c;
    switch (t) {
    case tag::printable_string:
    case tag::ia5_string:
    case tag::utf8_string:
        return r.read_string(t, c) == ok;
    case tag::bmp_string: {  // UCS-2, two octets per character
        if (r.read_element(t, c) != ok) return false;
        return c.size() % 2 == 0;
    }
    case universal_string:  // UCS-4
        if (r.read_element(t, c) != ok) return false;
        return c.size() % 4 == 0;
    case numeric_string:
        if (r.read_element(t, c) != ok) return false;
        for (std::uint8_t b : c)
            if (!(b == ' ' || (b >= '0' && b <= '9'))) return false;
        return true;
    case visible_string:
        if (r.read_element(t, c) != ok) return false;
        for (std::uint8_t b : c)
            if (b < 0x20 || b > 0x7E) return false;
        return true;
    default:
        return true;
    }
}

// X.690 §11.6: the components of a SET OF in ascending order of their encodings (as octet
// strings, the shorter one padded with trailing zero octets).
bool der_set_order(Bytes a, Bytes b) {
    const std::size_t n = a.size() < b.size() ? a.size() : b.size();
    const int c = n ? std::memcmp(a.data(), b.data(), n) : 0;
    if (c != 0) return c < 0;
    if (a.size() <= b.size()) return true;  // a's zero padding sorts first (or ties)
    for (std::size_t i = n; i < a.size(); i++)
        if (a[i] != 0) return false;
    return true;
}

bool is_prepared_string(std::uint8_t t) {
    return t == tag::printable_string || t == tag::utf8_string || t == tag::ia5_string;
}

// RFC 4518 §2.6.1 insignificant space handling plus ASCII case folding, one character at a time.
class Prepared {
public:
    explicit Prepared(Bytes s) : s_(s) { skip_spaces(); }
    // The next prepared character, or -1 at the end.
    int next() {
        if (i_ == s_.size()) return -1;
        if (s_[i_] == ' ') {
            skip_spaces();
            if (i_ == s_.size()) return -1;  // trailing spaces are insignificant
            return ' ';
        }
        const std::uint8_t c = s_[i_++];
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }
private:
    void skip_spaces() { while (i_ < s_.size() && s_[i_] == ' ') i_++; }
    Bytes s_;
    std::size_t i_ = 0;
};

bool values_match(const Attribute& a, const Attribute& b) {
    if (is_prepared_string(a.string_tag) && is_prepared_string(b.string_tag)) {
        Prepared x(a.value), y(b.value);
        for (;;) {
            const int cx = x.next(), cy = y.next();
            if (cx != cy) return false;
            if (cx < 0) return true;
        }
    }
    return a.string_tag == b.string_tag && a.value.size() == b.value.size() &&
           (a.value.empty() || std::memcmp(a.value.data(), b.value.data(), a.value.size()) == 0);
}

bool read_attribute(Reader& rdn, Attribute& out) {
    Reader atv;
    Bytes type, contents;
    std::uint8_t t = 0;
    if (rdn.read_sequence(atv) != ok || atv.read_oid(type) != ok || atv.read_any(t, contents) != ok) return false;
    out.type = type;
    out.string_tag = t;
    out.value = contents;
    return true;
}

// Whether every attribute of RDN `a` has a match in RDN `b` and both have as many.
bool rdns_match(Bytes a, Bytes b) {
    std::size_t na = 0, nb = 0;
    Attribute x, y;
    for (Reader r(a); read_attribute(r, x);) na++;
    for (Reader r(b); read_attribute(r, y);) nb++;
    if (na != nb) return false;
    for (Reader ra(a); read_attribute(ra, x);) {
        bool found = false;
        for (Reader rb(b); !found && read_attribute(rb, y);)
            found = asn1::oid::equal(x.type, y.type) && values_match(x, y);
        if (!found) return false;
    }
    return true;
}

// The leading `count` RDNs of a and b match pairwise.
bool leading_rdns_match(const Name& a, const Name& b, std::size_t count) {
    Reader ra(a.rdns), rb(b.rdns);
    for (std::size_t i = 0; i < count; i++) {
        Bytes x, y;
        if (ra.read_element(tag::set, x) != ok || rb.read_element(tag::set, y) != ok) return false;
        if (!rdns_match(x, y)) return false;
    }
    return true;
}

}  // namespace

X509Error check_name(Bytes name_element, Name& out) {
    Reader top(name_element), rdns;
    if (top.read_sequence(rdns) != ok || top.done() != ok) return X509Error::malformed_name;
    Name n;
    n.der = name_element;
    n.rdns = rdns.rest();
    while (!rdns.empty()) {
        Reader rdn;
        if (rdns.read_element(tag::set, rdn) != ok || rdn.empty()) return X509Error::malformed_name;
        Bytes previous;
        while (!rdn.empty()) {
            Bytes whole, contents, type, value_whole;
            std::uint8_t t = 0;
            if (rdn.read_element_whole(tag::sequence, whole) != ok) return X509Error::malformed_name;
            Reader atv(whole), fields;
            if (atv.read_sequence(fields) != ok || fields.read_oid(type) != ok) return X509Error::malformed_name;
            const Bytes value_start = fields.rest();
            if (fields.read_any(t, contents) != ok || fields.done() != ok) return X509Error::malformed_name;
            value_whole = value_start;
            if (!value_ok(t, value_whole)) return X509Error::bad_name_string;
            if (!previous.empty() && !der_set_order(previous, whole)) return X509Error::unsorted_rdn;
            previous = whole;
        }
        n.rdn_count++;
    }
    out = n;
    return X509Error::ok;
}

bool AttributeCursor::next(Attribute& out) {
    for (;;) {
        if (started_ && !rdn_.empty()) {
            if (!read_attribute(rdn_, out)) return false;
            out.rdn_index = rdn_index_ - 1;
            return true;
        }
        if (rdns_.empty()) return false;
        if (rdns_.read_element(tag::set, rdn_) != ok) return false;
        started_ = true;
        rdn_index_++;
    }
}

bool names_match(const Name& a, const Name& b) {
    return a.rdn_count == b.rdn_count && leading_rdns_match(a, b, a.rdn_count);
}

bool name_within_subtree(const Name& name, const Name& base) {
    return name.rdn_count >= base.rdn_count && leading_rdns_match(name, base, base.rdn_count);
}

}  // namespace padlock::x509
