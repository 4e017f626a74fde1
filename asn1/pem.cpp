// SPDX-License-Identifier: Apache-2.0
// PEM (RFC 7468 §2-3) over base64 (RFC 4648 §4). The grammar accepted, per line:
//   "-----BEGIN " label "-----" WSP* EOL, then lines of base64 chars followed by WSP* EOL,
//   then "-----END " label "-----" WSP* (EOL or end of text), the two labels equal.
// Base64 must be padded to whole quanta with canonical (zero) unused bits; no RFC 1421 headers.
#include "asn1/pem.hpp"

#include <cstring>

#include "crypto/ct.hpp"

namespace padlock::asn1 {

namespace {

constexpr char begin_prefix[] = "-----BEGIN ";
constexpr char end_prefix[] = "-----END ";
constexpr char dashes[] = "-----";

bool is_wsp(std::uint8_t c) { return c == ' ' || c == '\t'; }
bool is_eol(std::uint8_t c) { return c == '\r' || c == '\n'; }

// RFC 4648 §4 Table 1, both directions, without a table or a branch on the character: PEM often
// carries private keys, and a lookup indexed by secret bytes leaks them through the cache.
// Whether a character is valid at all is public (only malformed text is invalid).
std::uint32_t in_range(std::uint32_t x, std::uint32_t lo, std::uint32_t hi) {
    return ~ct::mask_lt(x, lo) & ~ct::mask_lt(hi, x);
}

int base64_value(std::uint8_t c) {
    const std::uint32_t x = c;
    const std::uint32_t upper = in_range(x, 'A', 'Z'), lower = in_range(x, 'a', 'z'), digit = in_range(x, '0', '9');
    const std::uint32_t plus = ct::mask_eq(x, std::uint32_t('+')), slash = ct::mask_eq(x, std::uint32_t('/'));
    const std::uint32_t v = (upper & (x - 'A')) | (lower & (x - 'a' + 26)) | (digit & (x - '0' + 52)) |
                            (plus & 62) | (slash & 63);
    const std::uint32_t valid = upper | lower | digit | plus | slash;
    return valid != 0 ? int(v) : -1;
}

char base64_char(std::uint32_t v) {
    std::uint32_t c = v + 'A';                     //  0..25 -> 'A'..'Z'
    c += ct::mask_lt(std::uint32_t(25), v) & 6;   // 26..51 -> 'a'..'z'
    c -= ct::mask_lt(std::uint32_t(51), v) & 75;  // 52..61 -> '0'..'9'
    c -= ct::mask_lt(std::uint32_t(61), v) & 15;  // 62     -> '+'
    c += ct::mask_lt(std::uint32_t(62), v) & 3;   // 63     -> '/'
    return char(c);
}

bool starts_with(Bytes text, std::size_t at, const char* prefix) {
    const std::size_t n = std::strlen(prefix);
    return at <= text.size() && n <= text.size() - at && std::memcmp(text.data() + at, prefix, n) == 0;
}

// Skips WSP* then one end of line (CRLF, LF or CR); at end of text succeeds only if `may_end`.
bool skip_line_end(Bytes text, std::size_t& i, bool may_end) {
    while (i < text.size() && is_wsp(text[i])) i++;
    if (i == text.size()) return may_end;
    if (text[i] == '\r') {
        i++;
        if (i < text.size() && text[i] == '\n') i++;
        return true;
    }
    if (text[i] == '\n') { i++; return true; }
    return false;
}

// RFC 7468 §3: label = [ labelchar *( ["-" / SP] labelchar ) ], labelchar = %x21-2C / %x2E-7E:
// printable ASCII, with single hyphens or spaces only between two labelchars.
bool label_ok(Bytes label) {
    bool after_separator = true;  // no leading "-" or SP
    for (std::uint8_t c : label) {
        if (c == '-' || c == ' ') {
            if (after_separator) return false;
            after_separator = true;
        } else if (c >= 0x21 && c <= 0x7E) {
            after_separator = false;
        } else {
            return false;
        }
    }
    return label.empty() || !after_separator;  // no trailing "-" or SP
}

// Reads a label ending at "-----" and returns it; false when malformed. A valid label holds no
// "--", so the first "-----" ends it.
bool read_label(Bytes text, std::size_t& i, Bytes& label) {
    std::size_t end = i;
    while (end < text.size() && !starts_with(text, end, dashes)) end++;
    if (end == text.size()) return false;
    const Bytes l = text.subspan(i, end - i);
    if (!label_ok(l)) return false;
    label = l;
    i = end + 5;
    return true;
}

// Finds "-----BEGIN " at the start of a line, at or after `from`.
bool find_begin(Bytes text, std::size_t from, std::size_t& at) {
    for (std::size_t i = from; i < text.size(); i++) {
        if ((i == 0 || is_eol(text[i - 1])) && starts_with(text, i, begin_prefix)) {
            at = i;
            return true;
        }
    }
    return false;
}

// RFC 4648 §4 decoding of the body lines, one character at a time.
struct Base64Decoder {
    MutBytes out;
    std::size_t len = 0;
    unsigned quantum[4] = {};
    std::size_t have = 0;   // characters in the current quantum
    std::size_t pad = 0;    // '=' seen
    bool finished = false;  // a padded final quantum was completed
    bool overflow = false;

    void emit(std::uint8_t b) {
        if (len < out.size()) out[len++] = b;
        else overflow = true;
    }
    bool data(unsigned v) {
        if (pad != 0 || finished) return false;  // nothing may follow padding
        quantum[have++] = v;
        if (have == 4) {
            emit(std::uint8_t(quantum[0] << 2 | quantum[1] >> 4));
            emit(std::uint8_t(quantum[1] << 4 | quantum[2] >> 2));
            emit(std::uint8_t(quantum[2] << 6 | quantum[3]));
            have = 0;
        }
        return true;
    }
    // §3.5 canonical encoding: the bits left over in the final character must be zero.
    bool padding() {
        if (finished || have < 2) return false;
        pad++;
        if (have + pad < 4) return true;
        if (have == 2) {
            if (quantum[1] & 0x0F) return false;
            emit(std::uint8_t(quantum[0] << 2 | quantum[1] >> 4));
        } else {
            if (quantum[2] & 0x03) return false;
            emit(std::uint8_t(quantum[0] << 2 | quantum[1] >> 4));
            emit(std::uint8_t(quantum[1] << 4 | quantum[2] >> 2));
        }
        have = 0;
        finished = true;
        return true;
    }
    // §3.2: the encoded data is whole quanta (padding required).
    bool complete() const { return have == 0 && (pad == 0 || finished); }
};

// Body lines of base64 up to the line that starts with '-', then the post-encapsulation boundary,
// whose label must equal the BEGIN label (RFC 7468 §2). Moves i past the END line.
Asn1Error read_body_and_end(Bytes text, std::size_t& i, Bytes label, Base64Decoder& b64) {
    for (;;) {
        if (i == text.size()) return Asn1Error::bad_pem;  // no END line
        if (text[i] == '-') break;
        while (i < text.size() && !is_eol(text[i]) && !is_wsp(text[i])) {
            const std::uint8_t c = text[i++];
            const int v = base64_value(c);
            const bool good = v >= 0 ? b64.data(unsigned(v)) : (c == '=' && b64.padding());
            if (!good) return Asn1Error::bad_pem;  // not base64 (also catches "Proc-Type:" headers)
        }
        if (!skip_line_end(text, i, false)) return Asn1Error::bad_pem;
    }
    if (!b64.complete()) return Asn1Error::bad_pem;

    if (!starts_with(text, i, end_prefix)) return Asn1Error::bad_pem;
    i += std::strlen(end_prefix);
    Bytes end_label;
    if (!read_label(text, i, end_label)) return Asn1Error::bad_pem;
    if (end_label.size() != label.size() ||
        (!label.empty() && std::memcmp(end_label.data(), label.data(), label.size()) != 0))
        return Asn1Error::bad_pem;
    if (!skip_line_end(text, i, true)) return Asn1Error::bad_pem;
    return b64.overflow ? Asn1Error::buffer_too_small : Asn1Error::ok;
}

}  // namespace

Asn1Error pem_decode_next(Bytes text, std::size_t& pos, PemBlock& block, MutBytes der_out) {
    std::size_t i = 0;
    if (pos > text.size() || !find_begin(text, pos, i)) return Asn1Error::pem_not_found;

    // Pre-encapsulation boundary.
    i += std::strlen(begin_prefix);
    Bytes label;
    if (!read_label(text, i, label)) return Asn1Error::bad_pem;
    if (!skip_line_end(text, i, false)) return Asn1Error::bad_pem;

    Base64Decoder b64{der_out};
    const Asn1Error err = read_body_and_end(text, i, label, b64);
    secure_zero(b64.quantum, sizeof b64.quantum);  // sextets of a key's last quantum
    if (err != Asn1Error::ok) {
        // No partial output: the body is often a private key.
        secure_zero(der_out.data(), b64.len);
        return err;
    }
    block.label = label;
    block.der_len = b64.len;
    pos = i;
    return Asn1Error::ok;
}

Asn1Error pem_encode(Bytes label, Bytes der, MutBytes out, std::size_t& length) {
    // Only labels pem_decode_next reads back (RFC 7468 §3 grammar).
    if (!label_ok(label)) return Asn1Error::bad_argument;
    const std::size_t need = pem_encoded_size(label.size(), der.size());
    if (need > out.size()) return Asn1Error::buffer_too_small;
    std::size_t o = 0;
    auto put = [&](const void* p, std::size_t n) {
        if (n != 0) std::memcpy(out.data() + o, p, n);
        o += n;
    };
    put(begin_prefix, std::strlen(begin_prefix));
    put(label.data(), label.size());
    put("-----\n", 6);
    std::size_t column = 0;
    for (std::size_t i = 0; i < der.size(); i += 3) {
        const std::size_t n = der.size() - i < 3 ? der.size() - i : 3;
        const std::uint32_t v = std::uint32_t(der[i]) << 16 | (n > 1 ? std::uint32_t(der[i + 1]) << 8 : 0) |
                                (n > 2 ? der[i + 2] : 0);
        const char quad[4] = {base64_char(v >> 18 & 63), base64_char(v >> 12 & 63),
                              n > 1 ? base64_char(v >> 6 & 63) : '=', n > 2 ? base64_char(v & 63) : '='};
        put(quad, 4);
        column += 4;
        if (column == 64) { put("\n", 1); column = 0; }
    }
    if (column != 0) put("\n", 1);
    put(end_prefix, std::strlen(end_prefix));
    put(label.data(), label.size());
    put("-----\n", 6);
    length = o;
    return Asn1Error::ok;
}

}  // namespace padlock::asn1
