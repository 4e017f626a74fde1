// SPDX-License-Identifier: Apache-2.0
// crypto/bytes.hpp: the byte cursor and builder. Encodings follow RFC 8446 §3 (network byte order,
// §3.3; vectors with 1-3 octet length prefixes, §3.4); failures must consume nothing and stick.
#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <vector>

#include "crypto/bytes.hpp"

using namespace padlock;

TEST_CASE("ByteReader reads big-endian integers in network byte order (RFC 8446 §3.3)") {
    const std::uint8_t in[] = {0x03, 0x04, 0x01, 0x02, 0x03, 0xAA, 0xBB, 0xCC, 0xDD, 0x16};
    ByteReader r{Bytes(in)};
    std::uint16_t v16 = 0;
    std::uint32_t v24 = 0, v32 = 0;
    std::uint8_t v8 = 0;
    REQUIRE(r.read_u16(v16));
    REQUIRE(v16 == 0x0304);
    REQUIRE(r.read_u24(v24));
    REQUIRE(v24 == 0x010203);
    REQUIRE(r.read_u32(v32));
    REQUIRE(v32 == 0xAABBCCDD);
    REQUIRE(r.read_u8(v8));
    REQUIRE(v8 == 0x16);
    REQUIRE(r.done());
}

TEST_CASE("ByteReader: a failed read consumes nothing and every later read fails") {
    const std::uint8_t in[] = {0x00, 0x05, 0x01, 0x02};  // u16 length 5, but only 2 bytes follow
    ByteReader r{Bytes(in)};
    ByteReader child;
    REQUIRE_FALSE(r.read_u16_prefixed(child));
    REQUIRE(r.remaining() == 4);
    REQUIRE_FALSE(r.ok());
    std::uint8_t v = 0;
    REQUIRE_FALSE(r.read_u8(v));  // sticky, although one byte would be there
    REQUIRE_FALSE(r.peek_u8(v));
    REQUIRE_FALSE(r.done());
}

TEST_CASE("ByteReader: prefixed vectors at every truncation point") {
    // opaque outer<0..2^16-1> holding opaque inner<0..2^8-1> = {0xAB, 0xCD} and one more octet.
    const std::vector<std::uint8_t> enc = {0x00, 0x04, 0x02, 0xAB, 0xCD, 0xEE};
    for (std::size_t cut = 0; cut < enc.size(); cut++) {
        ByteReader r{Bytes(enc.data(), cut)};
        ByteReader outer;
        CHECK_FALSE(r.read_u16_prefixed(outer));
        CHECK(r.remaining() == cut);
    }
    ByteReader r{Bytes(enc)};
    ByteReader outer, inner;
    REQUIRE(r.read_u16_prefixed(outer));
    REQUIRE(r.done());
    REQUIRE(outer.read_u8_prefixed(inner));
    Bytes body;
    REQUIRE(inner.read_bytes(2, body));
    REQUIRE(body[0] == 0xAB);
    REQUIRE(body.data() == enc.data() + 3);  // a view into the input, not a copy
    REQUIRE(inner.done());
    std::uint8_t last = 0;
    REQUIRE(outer.read_u8(last));
    REQUIRE(last == 0xEE);
    REQUIRE(outer.done());
}

TEST_CASE("ByteReader: fixed-size fields and a u24 prefix (RFC 8446 §4 handshake framing)") {
    const std::uint8_t in[] = {0x01, 0x00, 0x00, 0x03, 0x10, 0x20, 0x30};
    ByteReader r{Bytes(in)};
    std::uint8_t type = 0;
    ByteReader body;
    REQUIRE(r.read_u8(type));
    REQUIRE(r.read_u24_prefixed(body));
    std::uint8_t three[3] = {};
    REQUIRE(body.read_into(std::span(three)));
    REQUIRE(three[2] == 0x30);
    REQUIRE(body.done());
    std::uint8_t one[1] = {0x5A};
    REQUIRE_FALSE(body.read_into(std::span(one)));
    REQUIRE(one[0] == 0x5A);  // nothing copied
}

TEST_CASE("ByteWriter builds nested length prefixes") {
    std::array<std::uint8_t, 16> buf{};
    ByteWriter w{MutBytes(buf)};
    auto outer = w.begin_prefixed(2);
    auto inner = w.begin_prefixed(1);
    const std::uint8_t payload[] = {0xAB, 0xCD};
    w.add_bytes(payload);
    w.end_prefixed(inner);
    w.add_u24(0x010203);
    w.end_prefixed(outer);
    std::size_t n = 0;
    REQUIRE(w.finish(n));
    const std::vector<std::uint8_t> want = {0x00, 0x06, 0x02, 0xAB, 0xCD, 0x01, 0x02, 0x03};
    REQUIRE(std::vector<std::uint8_t>(buf.begin(), buf.begin() + n) == want);
}

TEST_CASE("ByteWriter: overflow and an oversized prefix fail, stickily") {
    std::array<std::uint8_t, 4> small{};
    ByteWriter w{MutBytes(small)};
    w.add_u32(1);
    REQUIRE(w.ok());
    w.add_u8(2);  // one octet too many
    w.add_u8(3);
    std::size_t n = 0;
    REQUIRE_FALSE(w.finish(n));

    std::vector<std::uint8_t> big(300);
    ByteWriter w2{MutBytes(big)};
    auto m = w2.begin_prefixed(1);
    for (int i = 0; i < 256; i++) w2.add_u8(0);  // 256 octets cannot sit behind a u8 length
    w2.end_prefixed(m);
    REQUIRE_FALSE(w2.finish(n));

    ByteWriter w3{MutBytes(big)};
    (void)w3.begin_prefixed(2);  // never closed
    REQUIRE_FALSE(w3.finish(n));

    ByteWriter w4{MutBytes(small)};
    MutBytes space = w4.add_space(5);
    REQUIRE(space.empty());
    REQUIRE_FALSE(w4.finish(n));
}
