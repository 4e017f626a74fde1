// SPDX-License-Identifier: Apache-2.0
// OBJECT IDENTIFIER encoding and printing (X.690 §8.19): base-128 subidentifiers, most significant
// group first, top bit set on every octet but the last; the first subidentifier is 40*X + Y.
#include "asn1/oid.hpp"

#include <cstring>

namespace padlock::asn1::oid {

bool equal(Oid a, Oid b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

namespace {

// §8.19.2: one subidentifier as base-128 groups, minimal (no leading 0x80 octet).
bool put_subidentifier(std::uint64_t v, MutBytes out, std::size_t& pos) {
    std::uint8_t groups[10];
    std::size_t n = 0;
    do { groups[n++] = std::uint8_t(v & 0x7F); v >>= 7; } while (v != 0);
    if (n > out.size() - pos) return false;
    while (n > 0) {
        n--;
        out[pos++] = std::uint8_t(groups[n] | (n != 0 ? 0x80 : 0x00));
    }
    return true;
}

// A decimal number of up to `capacity` digits, least significant first; big enough for the
// 128-bit UUID arcs of X.667 (39 digits).
struct Decimal {
    static constexpr std::size_t capacity = 64;
    std::uint8_t digit[capacity] = {};
    std::size_t used = 1;

    // this = this * 128 + add; false on overflow of the capacity.
    bool mul128_add(unsigned add) {
        unsigned carry = add;
        for (std::size_t i = 0; i < used; i++) {
            const unsigned v = digit[i] * 128u + carry;
            digit[i] = std::uint8_t(v % 10);
            carry = v / 10;
        }
        while (carry != 0) {
            if (used == capacity) return false;
            digit[used++] = std::uint8_t(carry % 10);
            carry /= 10;
        }
        return true;
    }
    // this -= small, for this >= small.
    void subtract(unsigned small) {
        unsigned borrow = small;
        for (std::size_t i = 0; i < used && borrow != 0; i++) {
            const unsigned take = borrow % 10;
            borrow /= 10;
            if (digit[i] >= take) {
                digit[i] = std::uint8_t(digit[i] - take);
            } else {
                digit[i] = std::uint8_t(digit[i] + 10 - take);
                borrow++;
            }
        }
        while (used > 1 && digit[used - 1] == 0) used--;
    }
    bool at_least(unsigned small) const {
        if (used > 3) return true;
        unsigned v = 0;
        for (std::size_t i = used; i-- > 0;) v = v * 10 + digit[i];
        return v >= small;
    }
};

bool put_char(std::span<char> out, std::size_t& pos, char c) {
    if (pos >= out.size()) return false;
    out[pos++] = c;
    return true;
}

bool put_decimal(std::span<char> out, std::size_t& pos, const Decimal& d) {
    for (std::size_t i = d.used; i-- > 0;)
        if (!put_char(out, pos, char('0' + d.digit[i]))) return false;
    return true;
}

}  // namespace

Asn1Error encode(std::span<const std::uint64_t> arcs, MutBytes out, std::size_t& length) {
    if (arcs.size() < 2 || arcs[0] > 2) return Asn1Error::bad_argument;
    // §8.19.4: X.Y with X in {0,1} requires Y <= 39; under 2 any Y (so 80 + Y must not wrap).
    if (arcs[0] < 2 && arcs[1] >= 40) return Asn1Error::bad_argument;
    if (arcs[1] > UINT64_MAX - 80) return Asn1Error::bad_argument;
    std::size_t pos = 0;
    if (!put_subidentifier(arcs[0] * 40 + arcs[1], out, pos)) return Asn1Error::buffer_too_small;
    for (std::size_t i = 2; i < arcs.size(); i++)
        if (!put_subidentifier(arcs[i], out, pos)) return Asn1Error::buffer_too_small;
    length = pos;
    return Asn1Error::ok;
}

Asn1Error to_dotted(Oid content, std::span<char> out, std::size_t& length) {
    if (content.empty() || (content.back() & 0x80)) return Asn1Error::bad_oid;
    std::size_t pos = 0;
    std::size_t i = 0;
    bool first = true;
    while (i < content.size()) {
        if (content[i] == 0x80) return Asn1Error::bad_oid;  // §8.19.2: non-minimal subidentifier
        Decimal d;
        std::uint8_t b;
        do {
            b = content[i++];
            if (!d.mul128_add(b & 0x7F)) return Asn1Error::bad_oid;
        } while (b & 0x80);
        if (first) {
            // §8.19.4: the first subidentifier packs two arcs as 40*X + Y, X in {0, 1, 2}.
            const char x = d.at_least(80) ? '2' : d.at_least(40) ? '1' : '0';
            d.subtract(unsigned(x - '0') * 40);
            if (!put_char(out, pos, x) || !put_char(out, pos, '.')) return Asn1Error::buffer_too_small;
            first = false;
        } else if (!put_char(out, pos, '.')) {
            return Asn1Error::buffer_too_small;
        }
        if (!put_decimal(out, pos, d)) return Asn1Error::buffer_too_small;
    }
    length = pos;
    return Asn1Error::ok;
}

}  // namespace padlock::asn1::oid
