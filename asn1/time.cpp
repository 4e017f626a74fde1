// SPDX-License-Identifier: Apache-2.0
// UTCTime and GeneralizedTime as profiled by RFC 5280 §4.1.2.5: "YYMMDDHHMMSSZ" or
// "YYYYMMDDHHMMSSZ", Zulu only, seconds always present, no fractional seconds.
#include "asn1/time.hpp"

namespace padlock::asn1 {

namespace {

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
    static constexpr int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool valid(const Time& t) {
    return t.year >= 0 && t.year <= 9999 && t.month >= 1 && t.month <= 12 && t.day >= 1 &&
           t.day <= days_in_month(t.year, t.month) && t.hour >= 0 && t.hour <= 23 && t.minute >= 0 &&
           t.minute <= 59 && t.second >= 0 && t.second <= 59;  // X.509 has no leap seconds
}

// `count` ASCII digits starting at s[at] as a number; false if any is not a digit.
bool digits(Bytes s, std::size_t at, std::size_t count, int& value) {
    int v = 0;
    for (std::size_t i = 0; i < count; i++) {
        const std::uint8_t c = s[at + i];
        if (c < '0' || c > '9') return false;
        v = v * 10 + (c - '0');
    }
    value = v;
    return true;
}

// One UTCTime or GeneralizedTime element (the caller has checked the tag) in the RFC 5280 profile.
Asn1Error read_time_element(Reader& r, std::uint8_t tag, Time& out) {
    Reader probe = r;
    Bytes s;
    if (Asn1Error e = probe.read_element(tag, s); e != Asn1Error::ok) return e;

    // §4.1.2.5.1 / §4.1.2.5.2: fixed length, ending in 'Z'.
    const std::size_t year_digits = tag == tag::utc_time ? 2 : 4;
    if (s.size() != year_digits + 11 || s.back() != 'Z') return Asn1Error::bad_time;
    Time t;
    std::size_t at = 0;
    if (!digits(s, at, year_digits, t.year)) return Asn1Error::bad_time;
    at += year_digits;
    for (int* field : {&t.month, &t.day, &t.hour, &t.minute, &t.second}) {
        if (!digits(s, at, 2, *field)) return Asn1Error::bad_time;
        at += 2;
    }
    // §4.1.2.5.1: YY >= 50 is 19YY, YY < 50 is 20YY.
    if (tag == tag::utc_time) t.year += t.year >= 50 ? 1900 : 2000;
    if (!valid(t)) return Asn1Error::bad_time;
    out = t;
    r = probe;
    return Asn1Error::ok;
}

bool utc_years(int year) { return year >= 1950 && year <= 2049; }

Asn1Error write_time_element(Writer& w, std::uint8_t tag, const Time& t) {
    std::uint8_t s[15];
    std::size_t n = 0;
    auto two = [&](int v) { s[n++] = std::uint8_t('0' + v / 10); s[n++] = std::uint8_t('0' + v % 10); };
    if (tag == tag::generalized_time) two(t.year / 100);
    two(t.year % 100);
    for (int v : {t.month, t.day, t.hour, t.minute, t.second}) two(v);
    s[n++] = 'Z';
    w.add_element(tag, Bytes(s, n));
    return Asn1Error::ok;
}

}  // namespace

Asn1Error read_time(Reader& r, Time& out) {
    std::uint8_t tag = 0;
    if (Asn1Error e = r.peek_tag(tag); e != Asn1Error::ok) return e;
    if (tag != tag::utc_time && tag != tag::generalized_time) return Asn1Error::bad_tag;
    Reader probe = r;
    Time t;
    if (Asn1Error e = read_time_element(probe, tag, t); e != Asn1Error::ok) return e;
    // §4.1.2.5: "CAs conforming to this profile MUST always encode certificate validity dates
    // through the year 2049 as UTCTime". That binds issuers, and trusted roots break it, so a
    // GeneralizedTime before 2050 is read like any other; a caller that cares sees the tag (x509
    // records the lapse), and write_generalized_time writes it back unchanged.
    out = t;
    r = probe;
    return Asn1Error::ok;
}

Asn1Error read_generalized_time(Reader& r, Time& out) {
    if (!r.empty() && !r.next_is(tag::generalized_time)) return Asn1Error::bad_tag;
    return read_time_element(r, tag::generalized_time, out);
}

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (the civil-from-days
// inverse: count years from March so February's leap day comes last).
std::int64_t to_unix_seconds(const Time& t) {
    const std::int64_t y = t.year - (t.month <= 2 ? 1 : 0);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t year_of_era = y - era * 400;
    const std::int64_t month_from_march = (t.month + 9) % 12;
    const std::int64_t day_of_year = (153 * month_from_march + 2) / 5 + t.day - 1;
    const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    const std::int64_t days = era * 146097 + day_of_era - 719468;
    return days * 86400 + t.hour * 3600 + t.minute * 60 + t.second;
}

// Days since 1970-01-01 back to y-m-d, the same March-based count run backwards: 400-year eras of
// 146097 days, then years of the era, then (153 * month + 2) / 5 days per month from March.
Asn1Error from_unix_seconds(std::int64_t seconds, Time& out) {
    constexpr std::int64_t first = -62135596800;  // 0001-01-01T00:00:00Z
    constexpr std::int64_t last = 253402300799;   // 9999-12-31T23:59:59Z
    if (seconds < first || seconds > last) return Asn1Error::bad_argument;
    const std::int64_t shifted = seconds - first;  // non-negative from here on
    const std::int64_t second_of_day = shifted % 86400;
    const std::int64_t days = shifted / 86400 + 306;  // since 0000-03-01 (Jan 0001 is 306 days later)
    const std::int64_t era = days / 146097;
    const std::int64_t day_of_era = days - era * 146097;
    const std::int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const std::int64_t month_from_march = (5 * day_of_year + 2) / 153;
    Time t;
    t.day = int(day_of_year - (153 * month_from_march + 2) / 5 + 1);
    t.month = int(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
    t.year = int(era * 400 + year_of_era + (t.month <= 2 ? 1 : 0));
    t.hour = int(second_of_day / 3600);
    t.minute = int(second_of_day / 60 % 60);
    t.second = int(second_of_day % 60);
    out = t;
    return Asn1Error::ok;
}

Asn1Error write_time(Writer& w, const Time& t) {
    if (!valid(t)) return Asn1Error::bad_argument;
    return write_time_element(w, utc_years(t.year) ? tag::utc_time : tag::generalized_time, t);
}

Asn1Error write_generalized_time(Writer& w, const Time& t) {
    if (!valid(t)) return Asn1Error::bad_argument;
    return write_time_element(w, tag::generalized_time, t);
}

}  // namespace padlock::asn1
