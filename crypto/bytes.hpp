// SPDX-License-Identifier: Apache-2.0
// A layer-neutral byte cursor and byte builder (the pattern of BoringSSL's CBS/CBB and Go's
// cryptobyte), the base that the DER reader (asn1/der.hpp) and the TLS message code stand on.
// Neither is constant time: they branch on lengths, which are public in every encoding they read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/common.hpp"

namespace padlock {

// Reads big-endian integers, fixed-size fields and length-prefixed children from a view of
// caller memory. Every read checks before it advances; a read that fails consumes nothing and makes
// the cursor fail from then on (sticky), so a long run of reads may be checked once at the end with
// ok() or done(). Results are views into the caller's buffer, never copies.
class ByteReader {
public:
    constexpr ByteReader() = default;
    constexpr explicit ByteReader(Bytes data) : data_(data) {}

    [[nodiscard]] bool ok() const { return !failed_; }
    // True when every read succeeded and nothing is left (a structure must be read to its end).
    [[nodiscard]] bool done() const { return !failed_ && data_.empty(); }
    [[nodiscard]] bool empty() const { return data_.empty(); }
    [[nodiscard]] std::size_t remaining() const { return data_.size(); }
    [[nodiscard]] Bytes rest() const { return data_; }
    // The next octet without consuming it; false when none is left (not a failure).
    [[nodiscard]] bool peek_u8(std::uint8_t& v) const {
        if (failed_ || data_.empty()) return false;
        v = data_[0];
        return true;
    }

    [[nodiscard]] bool read_u8(std::uint8_t& v) { return read_uint(1, v); }
    [[nodiscard]] bool read_u16(std::uint16_t& v) { return read_uint(2, v); }
    [[nodiscard]] bool read_u24(std::uint32_t& v) { return read_uint(3, v); }
    [[nodiscard]] bool read_u32(std::uint32_t& v) { return read_uint(4, v); }
    // An unsigned big-endian integer of 1 to 4 octets (e.g. a DER long-form length).
    [[nodiscard]] bool read_be(unsigned octets, std::uint32_t& v) { return read_uint(octets, v); }

    // The next n octets as a view.
    [[nodiscard]] bool read_bytes(std::size_t n, Bytes& out) {
        if (failed_ || data_.size() < n) return fail();
        out = data_.first(n);
        data_ = data_.subspan(n);
        return true;
    }
    // Copies the next N octets into a fixed-size array (a wrong size cannot compile at the use
    // site), e.g. the 32-octet Random of a hello message.
    template <std::size_t N>
    [[nodiscard]] bool read_into(std::span<std::uint8_t, N> out) {
        Bytes b;
        if (!read_bytes(N, b)) return false;
        for (std::size_t i = 0; i < N; i++) out[i] = b[i];
        return true;
    }
    // A vector with a length prefix of `prefix_octets` (1, 2 or 3; RFC 8446 §3.4 "<floor..ceiling>"):
    // the child reads exactly the prefixed bytes.
    [[nodiscard]] bool read_prefixed(unsigned prefix_octets, ByteReader& child) {
        std::uint32_t n = 0;
        Bytes body;
        const ByteReader saved = *this;
        if (!read_uint(prefix_octets, n) || !read_bytes(n, body)) {
            *this = saved;
            return fail();
        }
        child = ByteReader(body);
        return true;
    }
    [[nodiscard]] bool read_u8_prefixed(ByteReader& child) { return read_prefixed(1, child); }
    [[nodiscard]] bool read_u16_prefixed(ByteReader& child) { return read_prefixed(2, child); }
    [[nodiscard]] bool read_u24_prefixed(ByteReader& child) { return read_prefixed(3, child); }

    // Marks the cursor failed (e.g. a value read fine but is out of range); always returns false.
    bool fail() {
        failed_ = true;
        return false;
    }

private:
    template <class T>
    bool read_uint(unsigned octets, T& v) {
        if (failed_ || octets == 0 || octets > sizeof(T) || data_.size() < octets) return fail();
        T x = 0;
        for (unsigned i = 0; i < octets; i++) x = T((x << 8) | data_[i]);
        v = x;
        data_ = data_.subspan(octets);
        return true;
    }

    Bytes data_;
    bool failed_ = false;
};

// Appends to a fixed caller buffer, with nested length prefixes. Failure is sticky: once the buffer
// would overflow, or a prefix cannot hold its contents, every later call does nothing and finish()
// reports false. Nested vectors: `auto m = w.begin_prefixed(2); ...; w.end_prefixed(m);`.
class ByteWriter {
public:
    explicit ByteWriter(MutBytes out) : out_(out) {}

    void add_u8(std::uint8_t v) { add_uint(1, v); }
    void add_u16(std::uint16_t v) { add_uint(2, v); }
    void add_u24(std::uint32_t v) { add_uint(3, v); }
    void add_u32(std::uint32_t v) { add_uint(4, v); }
    void add_bytes(Bytes b) {
        if (!reserve(b.size())) return;
        for (std::size_t i = 0; i < b.size(); i++) out_[len_ + i] = b[i];
        len_ += b.size();
    }
    // Space for n octets the caller fills in place (e.g. a signature written by its primitive);
    // empty when the writer has failed.
    [[nodiscard]] MutBytes add_space(std::size_t n) {
        if (!reserve(n)) return {};
        MutBytes s = out_.subspan(len_, n);
        len_ += n;
        return s;
    }

    struct Mark {
        std::size_t pos;
        unsigned octets;
    };
    // Opens a vector with a length prefix of 1, 2 or 3 octets, filled in by end_prefixed().
    [[nodiscard]] Mark begin_prefixed(unsigned octets) {
        const Mark m{len_, octets};
        if (octets == 0 || octets > 3) failed_ = true;
        add_uint(octets, 0);
        open_++;
        return m;
    }
    void end_prefixed(Mark m) {
        open_--;
        if (failed_) return;
        const std::size_t n = len_ - m.pos - m.octets;
        if (n >> (8 * m.octets)) {
            failed_ = true;  // the contents do not fit the prefix's ceiling
            return;
        }
        for (unsigned i = 0; i < m.octets; i++) out_[m.pos + i] = std::uint8_t(n >> (8 * (m.octets - 1 - i)));
    }

    // True with the total length when every call fit and every prefix was closed.
    [[nodiscard]] bool finish(std::size_t& length) const {
        if (failed_ || open_ != 0) return false;
        length = len_;
        return true;
    }
    [[nodiscard]] std::size_t size() const { return len_; }
    [[nodiscard]] bool ok() const { return !failed_; }

private:
    bool reserve(std::size_t n) {
        if (failed_ || out_.size() - len_ < n) {
            failed_ = true;
            return false;
        }
        return true;
    }
    void add_uint(unsigned octets, std::uint32_t v) {
        if (!reserve(octets)) return;
        for (unsigned i = 0; i < octets; i++) out_[len_ + i] = std::uint8_t(v >> (8 * (octets - 1 - i)));
        len_ += octets;
    }

    MutBytes out_;
    std::size_t len_ = 0;
    int open_ = 0;
    bool failed_ = false;
};

}  // namespace padlock
