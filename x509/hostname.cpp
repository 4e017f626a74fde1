// SPDX-License-Identifier: Apache-2.0
// RFC 9525 §6: matching a reference identifier (DNS-ID or IP-ID) against the presented identifiers
// of a certificate's subjectAltName; DNS names as in RFC 1034 §3.5 / RFC 5890 §2.3.2.1 (LDH),
// IP address text as in RFC 4291 §2.2 and the dotted quad.
#include "x509/hostname.hpp"

#include <cstring>

namespace padlock::x509 {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c + ('a' - 'A')) : c; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ldh(char c) { return is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'z') || c == '-'; }

int hex_value(char c) {
    if (is_digit(c)) return c - '0';
    c = lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// One trailing dot marks an absolute name; it does not take part in the comparison.
std::string_view strip_root(std::string_view s) {
    return !s.empty() && s.back() == '.' ? s.substr(0, s.size() - 1) : s;
}

// RFC 1034 §3.5 preferred syntax as RFC 5890 relaxed it: labels of letters, digits and hyphens,
// 1-63 octets, no hyphen at either end; at most 253 octets in all. Counts the labels.
bool valid_dns_name(std::string_view s, std::size_t& labels) {
    if (s.empty() || s.size() > 253) return false;
    labels = 0;
    std::size_t start = 0;
    while (start <= s.size()) {
        std::size_t end = s.find('.', start);
        if (end == std::string_view::npos) end = s.size();
        const std::string_view label = s.substr(start, end - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        for (char c : label)
            if (!is_ldh(c)) return false;
        labels++;
        start = end + 1;
    }
    return true;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); i++)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

bool parse_ipv4(std::string_view s, std::uint8_t* out) {
    std::size_t part = 0, i = 0;
    while (part < 4) {
        std::size_t digits = 0;
        unsigned v = 0;
        while (i < s.size() && is_digit(s[i]) && digits < 4) v = v * 10 + unsigned(s[i++] - '0'), digits++;
        if (digits == 0 || digits > 3 || v > 255) return false;
        if (digits > 1 && s[i - digits] == '0') return false;  // leading zero: ambiguous (octal)
        out[part++] = std::uint8_t(v);
        if (part < 4) {
            if (i >= s.size() || s[i] != '.') return false;
            i++;
        }
    }
    return i == s.size();
}

// RFC 4291 §2.2: x:x:x:x:x:x:x:x with 1-4 hex digits each, one "::" for a run of zero groups, and
// the last 32 bits optionally as a dotted quad. No zone index, no brackets.
bool parse_ipv6(std::string_view s, std::uint8_t* out) {
    std::uint16_t groups[8] = {};
    std::size_t count = 0, i = 0;
    int gap = -1;  // group index where "::" stands
    if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        i = 2;
    } else if (!s.empty() && s[0] == ':') {
        return false;
    }
    while (i < s.size()) {
        if (count == 8) return false;
        // A dotted quad may end the address in place of the last two groups.
        const std::size_t colon = s.find(':', i);
        const std::string_view rest = s.substr(i, colon == std::string_view::npos ? std::string_view::npos : colon - i);
        if (colon == std::string_view::npos && rest.find('.') != std::string_view::npos) {
            std::uint8_t v4[4];
            if (count > 6 || !parse_ipv4(rest, v4)) return false;
            groups[count++] = std::uint16_t(v4[0] << 8 | v4[1]);
            groups[count++] = std::uint16_t(v4[2] << 8 | v4[3]);
            i = s.size();
            break;
        }
        unsigned v = 0;
        std::size_t digits = 0;
        while (i < s.size() && hex_value(s[i]) >= 0) {
            if (++digits > 4) return false;
            v = v * 16 + unsigned(hex_value(s[i++]));
        }
        if (digits == 0) return false;
        groups[count++] = std::uint16_t(v);
        if (i == s.size()) break;
        if (s[i] != ':') return false;
        i++;
        if (i < s.size() && s[i] == ':') {
            if (gap >= 0) return false;  // at most one "::"
            gap = int(count);
            i++;
        } else if (i == s.size()) {
            return false;  // a single trailing ':'
        }
    }
    if (gap < 0 ? count != 8 : count > 7) return false;
    std::uint16_t full[8] = {};
    if (gap < 0) {
        std::memcpy(full, groups, sizeof full);
    } else {
        const std::size_t tail = count - std::size_t(gap);
        for (std::size_t k = 0; k < std::size_t(gap); k++) full[k] = groups[k];
        for (std::size_t k = 0; k < tail; k++) full[8 - tail + k] = groups[std::size_t(gap) + k];
    }
    for (std::size_t k = 0; k < 8; k++) {
        out[2 * k] = std::uint8_t(full[k] >> 8);
        out[2 * k + 1] = std::uint8_t(full[k]);
    }
    return true;
}

}  // namespace

bool parse_ip_address(std::string_view text, std::span<std::uint8_t, 16> out, std::size_t& length) {
    std::uint8_t v[16];
    if (parse_ipv4(text, v)) {
        std::memcpy(out.data(), v, 4);
        length = 4;
        return true;
    }
    if (parse_ipv6(text, v)) {
        std::memcpy(out.data(), v, 16);
        length = 16;
        return true;
    }
    return false;
}

bool dns_name_matches(Bytes presented_bytes, std::string_view reference) {
    const std::string_view presented =
        strip_root(std::string_view(reinterpret_cast<const char*>(presented_bytes.data()), presented_bytes.size()));
    reference = strip_root(reference);
    std::size_t ref_labels = 0;
    if (!valid_dns_name(reference, ref_labels)) return false;
    if (presented.size() >= 2 && presented[0] == '*' && presented[1] == '.') {
        // §6.3: the wildcard is the whole left-most label and covers exactly one label. It needs
        // two labels after it ("*.example.com"), so it never spans a top-level domain.
        const std::string_view base = presented.substr(2);
        std::size_t base_labels = 0;
        if (!valid_dns_name(base, base_labels) || base_labels < 2) return false;
        const std::size_t dot = reference.find('.');
        if (dot == std::string_view::npos || dot == 0) return false;
        return ref_labels == base_labels + 1 && equal_ignoring_case(reference.substr(dot + 1), base);
    }
    std::size_t labels = 0;
    if (!valid_dns_name(presented, labels)) return false;  // also refuses partial wildcards ("f*.x.y")
    return equal_ignoring_case(presented, reference);
}

X509Error verify_hostname(const Certificate& cert, std::string_view reference) {
    std::uint8_t ip[16];
    std::size_t ip_len = 0;
    const bool is_ip = parse_ip_address(reference, ip, ip_len);
    std::size_t labels = 0;
    if (!is_ip && !valid_dns_name(strip_root(reference), labels)) return X509Error::bad_reference_identifier;
    const SubjectAltName& san = cert.extensions.subject_alt_name;
    if (!san.present) return X509Error::no_subject_alt_name;  // §6.3: no fallback to the subject CN
    GeneralNameCursor names(san.names);
    GeneralName n;
    while (names.next(n)) {
        if (is_ip && n.type == GeneralNameType::ip_address && n.value.size() == ip_len &&
            std::memcmp(n.value.data(), ip, ip_len) == 0)
            return X509Error::ok;
        if (!is_ip && n.type == GeneralNameType::dns_name && dns_name_matches(n.value, reference)) return X509Error::ok;
    }
    return X509Error::hostname_mismatch;
}

}  // namespace padlock::x509
