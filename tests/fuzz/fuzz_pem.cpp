// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness for PEM (RFC 7468, asn1/pem.hpp): pem_decode_next over any text, block by
// block. Properties: a failed decode leaves pos alone and wipes what it wrote; every decoded block
// re-encodes with pem_encode and decodes back to the same label and DER; pem_encode of any label
// either refuses it or writes text that decodes back to that label (RFC 7468 §3 grammar).
#include <algorithm>
#include <cstdint>
#include <vector>

#include "asn1/pem.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace padlock::asn1;
using padlock::Bytes;
using padlock::fuzz::equal;

namespace {

// pem_encode then pem_decode_next must give back label and der.
void check_round_trip(Bytes label, Bytes der, bool must_encode) {
    std::vector<std::uint8_t> text(pem_encoded_size(label.size(), der.size()));
    std::size_t len = 0;
    const Asn1Error e = pem_encode(label, der, text, len);
    if (must_encode) FUZZ_CHECK(e == Asn1Error::ok);
    if (e != Asn1Error::ok) {
        FUZZ_CHECK(e == Asn1Error::bad_argument);
        return;
    }
    FUZZ_CHECK(len == text.size());
    std::vector<std::uint8_t> back(der.size() + 1);
    std::size_t pos = 0;
    PemBlock block;
    FUZZ_CHECK(pem_decode_next(Bytes(text.data(), len), pos, block, back) == Asn1Error::ok);
    FUZZ_CHECK(pos == len);
    FUZZ_CHECK(equal(block.label, label));
    FUZZ_CHECK(equal(Bytes(back.data(), block.der_len), der));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const Bytes text(data, size);
    // Base64 never expands when decoded, so the text's size is always enough room.
    std::vector<std::uint8_t> der(size + 1);
    std::size_t pos = 0;
    for (int blocks = 0; blocks < 64; blocks++) {
        PemBlock block;
        std::fill(der.begin(), der.end(), std::uint8_t(0xA5));
        const std::size_t before = pos;
        const Asn1Error e = pem_decode_next(text, pos, block, der);
        if (e != Asn1Error::ok) {
            FUZZ_CHECK(pos == before);
            FUZZ_CHECK(e == Asn1Error::pem_not_found || e == Asn1Error::bad_pem);
            // No partial output: every byte is either untouched or wiped.
            for (std::uint8_t b : der) FUZZ_CHECK(b == 0xA5 || b == 0x00);
            break;
        }
        FUZZ_CHECK(pos > before && pos <= size);
        FUZZ_CHECK(block.der_len <= der.size());
        // The label is a view into the text, inside the block just read.
        FUZZ_CHECK(block.label.data() >= data && block.label.data() + block.label.size() <= data + pos);
        check_round_trip(block.label, Bytes(der.data(), block.der_len), true);
    }
    // The first line of the input as a label of its own, for pem_encode's label check.
    const std::size_t eol = std::size_t(std::find(text.begin(), text.end(), std::uint8_t('\n')) - text.begin());
    const Bytes label = text.first(std::min<std::size_t>(eol, 80));
    check_round_trip(label, text.subspan(label.size()), false);
    return 0;
}
