// SPDX-License-Identifier: Apache-2.0
// Strict DER (ITU-T X.690 §8 basic rules restricted by §10-11 distinguished rules): a bounds-checked
// Reader that fails closed and a Writer into a caller buffer with nested length prefixes.
// Only low-tag-number, definite-length, minimal encodings are accepted; there is no BER fallback.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "asn1/error.hpp"
#include "crypto/bytes.hpp"
#include "crypto/common.hpp"

namespace padlock::asn1 {

using padlock::Bytes;
using padlock::MutBytes;

// Identifier octets (X.690 §8.1.2) of the types PKIX uses. All fit the low-tag-number form.
namespace tag {
inline constexpr std::uint8_t boolean = 0x01;
inline constexpr std::uint8_t integer = 0x02;
inline constexpr std::uint8_t bit_string = 0x03;
inline constexpr std::uint8_t octet_string = 0x04;
inline constexpr std::uint8_t null = 0x05;
inline constexpr std::uint8_t oid = 0x06;
inline constexpr std::uint8_t enumerated = 0x0A;
inline constexpr std::uint8_t utf8_string = 0x0C;
inline constexpr std::uint8_t printable_string = 0x13;
inline constexpr std::uint8_t t61_string = 0x14;
inline constexpr std::uint8_t ia5_string = 0x16;
inline constexpr std::uint8_t utc_time = 0x17;
inline constexpr std::uint8_t generalized_time = 0x18;
inline constexpr std::uint8_t bmp_string = 0x1E;
inline constexpr std::uint8_t sequence = 0x30;  // constructed bit (0x20) set, §8.9
inline constexpr std::uint8_t set = 0x31;       // constructed bit set, §8.11
inline constexpr std::uint8_t constructed = 0x20;
inline constexpr std::uint8_t context = 0x80;   // class bits 10 (§8.1.2.2 Table 1)
// [n] IMPLICIT on a primitive type, and [n] EXPLICIT / IMPLICIT on a constructed one.
constexpr std::uint8_t context_primitive(unsigned n) { return std::uint8_t(context | n); }
constexpr std::uint8_t context_constructed(unsigned n) { return std::uint8_t(context | constructed | n); }
}  // namespace tag

// Whether `content` is in the character set of a PrintableString (X.680 §41.4), IA5String (ASCII)
// or UTF8String (RFC 3629 §4) when `tag` is one of those; true for any other tag.
[[nodiscard]] bool valid_string(std::uint8_t tag, Bytes content);

// A cursor over DER bytes (BoringSSL CBS style), built on the layer-neutral ByteReader
// (crypto/bytes.hpp) but not sticky: every read checks before it advances and leaves
// the Reader untouched when it fails, so a caller may try an alternative after a failed read.
// Results are views into the caller's buffer. Not constant time: parsing branches on lengths and
// leading bytes, which the encoding of a secret already reveals.
class Reader {
public:
    constexpr Reader() = default;
    constexpr explicit Reader(Bytes data) : data_(data) {}

    [[nodiscard]] bool empty() const { return data_.empty(); }
    [[nodiscard]] std::size_t remaining() const { return data_.size(); }
    [[nodiscard]] Bytes rest() const { return data_; }
    // Ok when nothing is left; trailing_data otherwise (a structure must be read to its end).
    Asn1Error done() const { return data_.empty() ? Asn1Error::ok : Asn1Error::trailing_data; }

    // The identifier octet of the next element, without consuming it.
    Asn1Error peek_tag(std::uint8_t& tag) const;
    [[nodiscard]] bool next_is(std::uint8_t tag) const;

    // The one place DER framing is checked (X.690 §8.1, §10.1): reads an element of any tag,
    // giving its identifier, contents and the whole encoding (tag + length + contents).
    Asn1Error read_any(std::uint8_t& tag, Bytes& contents, Bytes* whole = nullptr);
    // Reads an element that must carry exactly `tag`.
    Asn1Error read_element(std::uint8_t tag, Bytes& contents);
    Asn1Error read_element(std::uint8_t tag, Reader& contents);
    // Like read_element, but the whole encoding (used to keep ANY fields such as parameters).
    Asn1Error read_element_whole(std::uint8_t tag, Bytes& whole);
    // Reads an OPTIONAL/DEFAULT element: present=false (and nothing consumed) when the next
    // element does not carry `tag` or the input is empty.
    Asn1Error read_optional(std::uint8_t tag, bool& present, Reader& contents);
    Asn1Error read_sequence(Reader& contents) { return read_element(tag::sequence, contents); }

    // INTEGER (§8.3) that must be >= 0: the big-endian magnitude with the sign octet stripped.
    // Zero reads as the single octet 00. Rejects empty, non-minimal and negative encodings.
    Asn1Error read_integer(Bytes& magnitude);
    // A non-negative INTEGER that fits in 64 bits (versions, counts).
    Asn1Error read_small_uint(std::uint64_t& value);
    // OBJECT IDENTIFIER (§8.19): the content octets, checked for well-formed subidentifiers.
    Asn1Error read_oid(Bytes& content);
    // BIT STRING (§8.6, §11.2) holding whole octets (keys, signatures): the octets after the
    // unused-bits octet, which must be 0.
    Asn1Error read_bit_string(Bytes& octets);
    // Any BIT STRING: the octets and the count of unused bits in the last one (padding checked zero).
    Asn1Error read_bit_string(Bytes& octets, unsigned& unused_bits);
    Asn1Error read_octet_string(Bytes& content) { return read_element(tag::octet_string, content); }
    // BOOLEAN (§8.2, §11.1): exactly one octet, 00 or FF.
    Asn1Error read_bool(bool& value);
    // NULL (§8.8.2): no content.
    Asn1Error read_null();
    // PrintableString / IA5String / UTF8String with their character sets checked.
    Asn1Error read_string(std::uint8_t tag, Bytes& content);

    // Copies N raw octets (not a DER element) into a fixed-size array, e.g. a 32-byte key out of
    // a BIT STRING's content: `std::uint8_t key[32]; Reader(spki.key).take<32>(key)` then done().
    // truncated (and nothing copied) when fewer remain.
    template <std::size_t N>
    Asn1Error take(std::span<std::uint8_t, N> out) {
        ByteReader in(data_);
        if (!in.read_into(out)) return Asn1Error::truncated;
        data_ = in.rest();
        return Asn1Error::ok;
    }

private:
    Bytes data_;
};

// Appends DER to a fixed caller buffer (BoringSSL CBB_init_fixed style). Failure is sticky: once
// the buffer overflows every later call does nothing and finish() reports buffer_too_small.
// Nested elements: `auto m = w.begin(tag::sequence); ... w.end(m);` — end() writes the length,
// moving the contents right when the long form needs more length octets.
class Writer {
public:
    explicit Writer(MutBytes out) : out_(out) {}

    struct Mark { std::size_t length_pos; };
    [[nodiscard]] Mark begin(std::uint8_t tag);
    void end(Mark mark);

    // Already-encoded DER. Copied with memmove, so `bytes` may be the very bytes at the write
    // position (x509/builder.cpp builds a TBSCertificate in place that way).
    void add_raw(Bytes bytes);
    void add_element(std::uint8_t tag, Bytes contents);
    void add_integer(Bytes magnitude);  // unsigned big-endian; leading zeros stripped, sign octet added
    void add_small_uint(std::uint64_t value);
    void add_oid(Bytes content) { add_element(tag::oid, content); }
    void add_bit_string(Bytes octets);  // whole octets, unused-bits octet 0
    void add_octet_string(Bytes content) { add_element(tag::octet_string, content); }
    void add_bool(bool value);
    void add_null() { add_element(tag::null, {}); }

    // Ok with the total length, or buffer_too_small / bad_argument (begin without end).
    Asn1Error finish(std::size_t& length) const;
    [[nodiscard]] std::size_t size() const { return len_; }

private:
    void put(std::uint8_t b);
    void put(Bytes bytes);
    MutBytes out_;
    std::size_t len_ = 0;
    int open_ = 0;
    bool failed_ = false;
};

}  // namespace padlock::asn1
