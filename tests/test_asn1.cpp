// SPDX-License-Identifier: Apache-2.0
// asn1 layer tests: every rejection reason with a hand-written encoding, the openssl-generated
// samples in vectors/asn1 against fields printed by openssl (expected.json), writer round trips,
// PEM, times, OIDs, Wycheproof ECDSA DER signatures, and robustness (truncation, bit flips,
// length lies) meant to run under ASan+UBSan.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "asn1/der.hpp"
#include "asn1/keys.hpp"
#include "asn1/oid.hpp"
#include "asn1/pem.hpp"
#include "asn1/time.hpp"
#include "tests/support.hpp"

using namespace padlock::asn1;
using namespace padlock::test;
using padlock::Bytes;
using padlock::MutBytes;
using json = nlohmann::json;

namespace {

// The binary samples under vectors/asn1 (DER, PEM, signatures).
Buf read_file(const std::string& name) {
    std::ifstream f(kat_path("asn1/" + name), std::ios::binary);
    REQUIRE(f.good());
    return Buf(std::istreambuf_iterator<char>(f), {});
}

const json& expected() {
    static const json j = load_kat("asn1/expected.json");
    return j;
}

Bytes view(const Buf& b) { return Bytes(b.data(), b.size()); }
std::string str(Bytes b) { return std::string(b.begin(), b.end()); }

// Catch prints enum values as numbers; compare names so failures say which reason was returned.
#define CHECK_ERR(expr, want) CHECK(std::string(error_name(expr)) == std::string(error_name(want)))
#define REQUIRE_OK(expr) REQUIRE(std::string(error_name(expr)) == "ok")

// Reads one element of any kind and demands the input ends there.
Asn1Error read_one(Bytes der) {
    Reader r(der);
    std::uint8_t tag = 0;
    Bytes contents;
    if (Asn1Error e = r.read_any(tag, contents); e != Asn1Error::ok) return e;
    return r.done();
}

template <class F>
std::function<Asn1Error(Bytes)> typed(F f) {
    return [f](Bytes der) -> Asn1Error {
        Reader r(der);
        if (Asn1Error e = f(r); e != Asn1Error::ok) return e;
        return r.done();
    };
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Every rejection reason, with a hand-written encoding.

TEST_CASE("DER framing rejections cite X.690 §8.1 / §10.1", "[asn1][der]") {
    struct Bad { const char* name; const char* hex; Asn1Error want; };
    const Bad cases[] = {
        {"empty input", "", Asn1Error::truncated},
        {"tag only", "30", Asn1Error::truncated},
        {"contents past the end", "3003 0201", Asn1Error::truncated},
        {"long length octets past the end", "3082 01", Asn1Error::truncated},
        {"high tag number form (§8.1.2.4)", "1f01 00", Asn1Error::high_tag_number},
        {"indefinite length (§8.1.3.6, §10.1)", "3080 0000", Asn1Error::indefinite_length},
        {"long form for a short length (§10.1)", "3081 03 020100", Asn1Error::non_minimal_length},
        {"leading zero length octet (§10.1)", "3082 0003 020100", Asn1Error::non_minimal_length},
        {"reserved length 0xFF (§8.1.3.5)", "30ff", Asn1Error::length_too_long},
        {"five length octets", "3085 0100000000", Asn1Error::length_too_long},
        {"length 2^32-1 lie", "3084 ffffffff 00", Asn1Error::truncated},
        {"trailing data after the element", "3000 00", Asn1Error::trailing_data},
    };
    for (const Bad& c : cases) {
        INFO(c.name << ": " << c.hex);
        CHECK_ERR(read_one(view(unhex(c.hex))), c.want);
    }
}

TEST_CASE("DER primitive rejections", "[asn1][der]") {
    auto integer = typed([](Reader& r) { Bytes m; return r.read_integer(m); });
    auto small = typed([](Reader& r) { std::uint64_t v; return r.read_small_uint(v); });
    auto bits = typed([](Reader& r) { Bytes b; unsigned u; return r.read_bit_string(b, u); });
    auto key_bits = typed([](Reader& r) { Bytes b; return r.read_bit_string(b); });
    auto boolean = typed([](Reader& r) { bool b; return r.read_bool(b); });
    auto null = typed([](Reader& r) { return r.read_null(); });
    auto oid = typed([](Reader& r) { Bytes o; return r.read_oid(o); });
    auto printable = typed([](Reader& r) { Bytes s; return r.read_string(tag::printable_string, s); });
    auto ia5 = typed([](Reader& r) { Bytes s; return r.read_string(tag::ia5_string, s); });
    auto utf8 = typed([](Reader& r) { Bytes s; return r.read_string(tag::utf8_string, s); });
    auto sequence = typed([](Reader& r) { Reader c; return r.read_sequence(c); });

    struct Bad { const char* name; std::function<Asn1Error(Bytes)>& read; const char* hex; Asn1Error want; };
    Bad cases[] = {
        {"INTEGER wrong tag", integer, "0401 00", Asn1Error::bad_tag},
        {"INTEGER empty (§8.3.1)", integer, "0200", Asn1Error::empty_integer},
        {"INTEGER redundant 00 (§8.3.2)", integer, "0202 007f", Asn1Error::non_minimal_integer},
        {"INTEGER redundant FF (§8.3.2)", integer, "0202 ff80", Asn1Error::non_minimal_integer},
        {"INTEGER negative", integer, "0201 80", Asn1Error::negative_integer},
        {"INTEGER negative long", integer, "0202 8000", Asn1Error::negative_integer},
        {"small uint over 64 bits", small, "0209 010000000000000000", Asn1Error::integer_too_large},
        {"BIT STRING empty (§8.6.2.2)", bits, "0300", Asn1Error::bad_bit_string_padding},
        {"BIT STRING unused 8 (§8.6.2.2)", bits, "0302 0800", Asn1Error::bad_bit_string_padding},
        {"BIT STRING unused bits, no content (§8.6.2.3)", bits, "0301 01", Asn1Error::bad_bit_string_padding},
        {"BIT STRING nonzero padding (§11.2.1)", bits, "0302 0701", Asn1Error::bad_bit_string_padding},
        {"key BIT STRING with unused bits", key_bits, "0302 0780", Asn1Error::bit_string_not_octet_aligned},
        {"constructed BIT STRING (§10.2)", key_bits, "2304 0302 0000", Asn1Error::bad_tag},
        {"BOOLEAN empty (§8.2.1)", boolean, "0100", Asn1Error::bad_boolean},
        {"BOOLEAN 01 (§11.1)", boolean, "0101 01", Asn1Error::bad_boolean},
        {"BOOLEAN two octets", boolean, "0102 ffff", Asn1Error::bad_boolean},
        {"NULL with content (§8.8.2)", null, "0501 00", Asn1Error::bad_null},
        {"OID empty", oid, "0600", Asn1Error::bad_oid},
        {"OID leading 0x80 (§8.19.2)", oid, "0603 2a8001", Asn1Error::bad_oid},
        {"OID cut short", oid, "0602 2a86", Asn1Error::bad_oid},
        {"PrintableString with '*'", printable, "1301 2a", Asn1Error::bad_string},
        {"IA5String with 0x80", ia5, "1601 80", Asn1Error::bad_string},
        {"UTF8String overlong '/'", utf8, "0c02 c0af", Asn1Error::bad_string},
        {"UTF8String surrogate", utf8, "0c03 eda080", Asn1Error::bad_string},
        {"UTF8String truncated sequence", utf8, "0c01 e2", Asn1Error::bad_string},
        {"SEQUENCE as SET", sequence, "3100", Asn1Error::bad_tag},
    };
    for (Bad& c : cases) {
        INFO(c.name << ": " << c.hex);
        CHECK_ERR(c.read(view(unhex(c.hex))), c.want);
    }
}

TEST_CASE("DER primitive reads accept the canonical forms", "[asn1][der]") {
    Buf der = unhex("0201 00  0202 0080  0208 7fffffffffffffff  0101 ff  0101 00  0500  0302 0780  "
                    "0603 2a8648  1302 4142  0c02 c3a9");
    Reader r(view(der));
    Bytes m;
    REQUIRE_OK(r.read_integer(m));
    CHECK(hex(m) == "00");
    REQUIRE_OK(r.read_integer(m));
    CHECK(hex(m) == "80");
    std::uint64_t v = 0;
    REQUIRE_OK(r.read_small_uint(v));
    CHECK(v == 0x7fffffffffffffffULL);
    bool b = false;
    REQUIRE_OK(r.read_bool(b));
    CHECK(b);
    REQUIRE_OK(r.read_bool(b));
    CHECK_FALSE(b);
    REQUIRE_OK(r.read_null());
    unsigned unused = 0;
    REQUIRE_OK(r.read_bit_string(m, unused));
    CHECK(hex(m) == "80");
    CHECK(unused == 7);
    REQUIRE_OK(r.read_oid(m));
    CHECK(hex(m) == "2a8648");
    REQUIRE_OK(r.read_string(tag::printable_string, m));
    CHECK(str(m) == "AB");
    REQUIRE_OK(r.read_string(tag::utf8_string, m));
    CHECK(hex(m) == "c3a9");
    CHECK_ERR(r.done(), Asn1Error::ok);
}

TEST_CASE("A failed read leaves the Reader where it was", "[asn1][der]") {
    const char* inputs[] = {"0202 007f", "0201 80", "3081 03 020100", "0302 0701", "0101 01", "0600", "0400"};
    for (const char* h : inputs) {
        INFO(h);
        Buf der = unhex(h);
        Reader r(view(der));
        Bytes m;
        std::uint64_t v;
        bool b;
        Reader inner;
        CHECK(r.read_integer(m) != Asn1Error::ok);
        CHECK(r.read_small_uint(v) != Asn1Error::ok);
        if (der[0] != 0x03) CHECK(r.read_bit_string(m) != Asn1Error::ok);
        CHECK(r.read_bool(b) != Asn1Error::ok);
        CHECK(r.read_oid(m) != Asn1Error::ok);
        CHECK(r.read_sequence(inner) != Asn1Error::ok);
        CHECK(r.read_null() != Asn1Error::ok);
        CHECK(r.remaining() == der.size());
    }
    // OPTIONAL element absent: nothing consumed.
    Buf der = unhex("0201 05");
    Reader r(view(der));
    bool present = true;
    Reader inner;
    REQUIRE_OK(r.read_optional(tag::context_constructed(0), present, inner));
    CHECK_FALSE(present);
    CHECK(r.remaining() == der.size());
}

TEST_CASE("Key and signature rejections", "[asn1][keys]") {
    const std::string k32 = "0102030405060708091011121314151617181920212223242526272829303132";
    auto spki = [](Bytes d) { Spki s; return parse_spki(d, s); };
    auto pkcs8 = [](Bytes d) { Pkcs8 k; return parse_pkcs8(d, k); };
    auto sec1 = [](Bytes d) { EcPrivateKey k; return parse_ec_private_key(d, k); };
    auto sec1_p256 = [](Bytes d) { EcPrivateKey k; return parse_ec_private_key(d, KeyType::ec_p256, k); };
    auto rsa_pub = [](Bytes d) { RsaPublicKeyDer k; return parse_rsa_public_key(d, k); };
    auto rsa_priv = [](Bytes d) { RsaPrivateKeyDer k; return parse_rsa_private_key(d, k); };
    auto sig = [](Bytes d) { Bytes r, s; return parse_ecdsa_signature(d, r, s); };
    auto pss = [](Bytes d) { RsaPssParams p; return parse_rsassa_pss_params(d, p); };

    struct Bad { const char* name; std::function<Asn1Error(Bytes)> parse; std::string hex; Asn1Error want; };
    const Bad cases[] = {
        {"SPKI X25519 ok", spki, "302a 3005 06032b656e 032100" + k32, Asn1Error::ok},
        {"SPKI unknown algorithm 1.2.3", spki, "3029 3004 06022a03 032100" + k32, Asn1Error::unknown_algorithm},
        {"SPKI X25519 with NULL parameters (RFC 8410 §3)", spki, "302c 3007 06032b656e 0500 032100" + k32, Asn1Error::bad_parameters},
        {"SPKI X25519 31-byte key", spki, "3029 3005 06032b656e 032000" + k32.substr(2), Asn1Error::bad_key},
        {"SPKI X25519 trailing data", spki, "302a 3005 06032b656e 032100" + k32 + "00", Asn1Error::trailing_data},
        {"SPKI EC secp521r1", spki, "3016 3010 06072a8648ce3d0201 06052b81040023 0302 0004", Asn1Error::unsupported_curve},
        {"SPKI EC implicitCurve NULL (RFC 5480 §2.1.1)", spki, "3011 300b 06072a8648ce3d0201 0500 0302 0004", Asn1Error::bad_parameters},
        {"SPKI EC no parameters", spki, "300f 3009 06072a8648ce3d0201 0302 0004", Asn1Error::bad_parameters},
        {"SPKI EC P-256 short point", spki, "3019 3013 06072a8648ce3d0201 06082a8648ce3d030107 0302 0004", Asn1Error::bad_key},
        {"SPKI RSA without NULL (RFC 3279 §2.3.1)", spki, "3011 300b 06092a864886f70d010101 0302 0000", Asn1Error::bad_parameters},
        {"SPKI RSA key not RSAPublicKey", spki, "3013 300d 06092a864886f70d010101 0500 0302 0000", Asn1Error::bad_tag},
        {"SPKI key with unused bits", spki, "302a 3005 06032b656e 032101" + k32.substr(0, 62) + "00", Asn1Error::bit_string_not_octet_aligned},
        {"RSAPublicKey negative modulus", rsa_pub, "3006 020180 020103", Asn1Error::negative_integer},
        {"RSAPublicKey extra field", rsa_pub, "3009 020105 020103 020101", Asn1Error::trailing_data},
        {"RSAPrivateKey multi-prime version 1", rsa_priv, "3003 020101", Asn1Error::bad_version},
        {"RSAPrivateKey missing fields", rsa_priv, "3006 020100 020105", Asn1Error::truncated},
        {"ECPrivateKey version 0", sec1, "3003 020100", Asn1Error::bad_version},
        {"ECPrivateKey without curve (standalone)", sec1, "3025 020101 0420" + k32, Asn1Error::bad_parameters},
        {"ECPrivateKey without curve (curve known)", sec1_p256, "3025 020101 0420" + k32, Asn1Error::ok},
        {"ECPrivateKey d of 31 octets (RFC 5915 §3)", sec1_p256, "3024 020101 041f" + k32.substr(2), Asn1Error::bad_key},
        {"ECPrivateKey curve disagrees with PKCS#8", sec1_p256, "302e 020101 0420" + k32 + "a007 06052b81040022", Asn1Error::bad_parameters},
        {"ECPrivateKey specifiedCurve", sec1, "3029 020101 0420" + k32 + "a002 3000", Asn1Error::bad_parameters},
        {"PKCS#8 version 2", pkcs8, "3003 020102", Asn1Error::bad_version},
        {"PKCS#8 v0 with publicKey (RFC 5958 §2)", pkcs8, "3051 020100 3005 06032b656e 0422 0420" + k32 + "8121 00" + k32, Asn1Error::bad_version},
        {"PKCS#8 v1 with publicKey", pkcs8, "3051 020101 3005 06032b656e 0422 0420" + k32 + "8121 00" + k32, Asn1Error::ok},
        {"PKCS#8 X25519 key not wrapped (RFC 8410 §7)", pkcs8, "302c 020100 3005 06032b656e 0420" + k32, Asn1Error::bad_tag},
        {"PKCS#8 X25519 16-byte key", pkcs8, "301e 020100 3005 06032b656e 0412 0410" + k32.substr(0, 32), Asn1Error::bad_key},
        {"PKCS#8 RSA inner key broken", pkcs8, "3014 020100 300d 06092a864886f70d010101 0500 0400", Asn1Error::truncated},
        {"Ecdsa-Sig-Value ok", sig, "3006 020101 020102", Asn1Error::ok},
        {"Ecdsa-Sig-Value trailing data", sig, "3006 020101 020102 00", Asn1Error::trailing_data},
        {"Ecdsa-Sig-Value extra INTEGER", sig, "3009 020101 020102 020103", Asn1Error::trailing_data},
        {"Ecdsa-Sig-Value negative r", sig, "3006 020181 020102", Asn1Error::negative_integer},
        {"Ecdsa-Sig-Value BER length", sig, "3081 06 020101 020102", Asn1Error::non_minimal_length},
        {"Ecdsa-Sig-Value padded r", sig, "3007 02020001 020102", Asn1Error::non_minimal_integer},
        {"Ecdsa-Sig-Value r as OCTET STRING", sig, "3006 040101 020102", Asn1Error::bad_tag},
        {"PSS params trailerField 2", pss, "3005 a303 020102", Asn1Error::bad_parameters},
        {"PSS params trailerField 1 spelled out (§11.5)", pss, "3005 a303 020101", Asn1Error::bad_parameters},
        {"PSS params saltLength 20 spelled out (§11.5)", pss, "3005 a203 020114", Asn1Error::bad_parameters},
        {"PSS params hash sha1 spelled out (§11.5)", pss, "300b a009 3007 06052b0e03021a", Asn1Error::bad_parameters},
        {"PSS params all defaults", pss, "3000", Asn1Error::ok},
        {"PSS params saltLength 32", pss, "3005 a203 020120", Asn1Error::ok},
        {"PSS params MGF not mgf1", pss, "300f a10d 300b 06022a03 3005 0603 2b0e03", Asn1Error::unknown_algorithm},
    };
    for (const Bad& c : cases) {
        INFO(c.name << ": " << c.hex);
        CHECK_ERR(c.parse(view(unhex(c.hex))), c.want);
    }
}

// ---------------------------------------------------------------------------------------------
// openssl-generated samples against openssl's own printout of their fields.

TEST_CASE("RSA samples match openssl", "[asn1][keys][samples]") {
    const json& x = expected()["rsa2048"];
    Buf spki_der = read_file("rsa2048_spki.der");
    Spki spki;
    REQUIRE_OK(parse_spki(view(spki_der), spki));
    CHECK(spki.type == KeyType::rsa);
    CHECK(spki.params.empty());
    RsaPublicKeyDer pub;
    REQUIRE_OK(parse_rsa_public_key(spki.key, pub));
    CHECK(hex(pub.n) == x["n"]);
    CHECK(hex(pub.e) == x["e"]);
    CHECK(pub.n.size() == 256);

    Buf pkcs1_pub = read_file("rsa2048_pkcs1_pub.der");
    CHECK(hex(spki.key) == hex(view(pkcs1_pub)));

    Buf pkcs8_der = read_file("rsa2048_pkcs8.der");
    Pkcs8 p8;
    REQUIRE_OK(parse_pkcs8(view(pkcs8_der), p8));
    CHECK(p8.type == KeyType::rsa);
    Buf pkcs1_der = read_file("rsa2048_pkcs1.der");
    CHECK(hex(p8.private_key) == hex(view(pkcs1_der)));
    RsaPrivateKeyDer priv;
    REQUIRE_OK(parse_rsa_private_key(view(pkcs1_der), priv));
    CHECK(hex(priv.n) == x["n"]);
    CHECK(hex(priv.e) == x["e"]);
    CHECK(hex(priv.d) == x["d"]);
    CHECK(hex(priv.p) == x["p"]);
    CHECK(hex(priv.q) == x["q"]);
    CHECK(hex(priv.dp) == x["dp"]);
    CHECK(hex(priv.dq) == x["dq"]);
    CHECK(hex(priv.qinv) == x["qinv"]);
}

TEST_CASE("RSASSA-PSS samples match openssl", "[asn1][keys][samples]") {
    const json& x = expected()["rsapss2048"];
    REQUIRE(x["hash"] == "SHA2-256");
    REQUIRE(x["mgf1_hash"] == "SHA2-256");
    for (const char* name : {"rsapss2048_spki.der", "rsapss2048_pkcs8.der"}) {
        INFO(name);
        Buf der = read_file(name);
        Bytes params;
        if (std::string(name).find("spki") != std::string::npos) {
            Spki s;
            REQUIRE_OK(parse_spki(view(der), s));
            CHECK(s.type == KeyType::rsa_pss);
            RsaPublicKeyDer pub;
            REQUIRE_OK(parse_rsa_public_key(s.key, pub));
            CHECK(hex(pub.n) == x["n"]);
            params = s.params;
        } else {
            Pkcs8 k;
            REQUIRE_OK(parse_pkcs8(view(der), k));
            CHECK(k.type == KeyType::rsa_pss);
            params = k.params;
        }
        RsaPssParams p;
        REQUIRE_OK(parse_rsassa_pss_params(params, p));
        CHECK(oid::equal(p.hash, oid::sha256));
        CHECK(oid::equal(p.mgf1_hash, oid::sha256));
        CHECK(p.salt_length == x["salt_length"].get<std::uint64_t>());
    }
    RsaPssParams defaults;
    REQUIRE_OK(parse_rsassa_pss_params({}, defaults));
    CHECK(oid::equal(defaults.hash, oid::sha1));
    CHECK(defaults.salt_length == 20);
}

TEST_CASE("EC samples match openssl", "[asn1][keys][samples]") {
    for (const char* n : {"p256", "p384"}) {
        INFO(n);
        const json& x = expected()[n];
        const KeyType curve = std::string(n) == "p256" ? KeyType::ec_p256 : KeyType::ec_p384;
        Buf spki_der = read_file(std::string(n) + "_spki.der");
        Spki spki;
        REQUIRE_OK(parse_spki(view(spki_der), spki));
        CHECK(spki.type == curve);
        CHECK(hex(spki.key) == x["public"]);
        CHECK(oid::equal(spki.params, curve == KeyType::ec_p256 ? Bytes(oid::prime256v1) : Bytes(oid::secp384r1)));

        Buf sec1_der = read_file(std::string(n) + "_sec1.der");
        EcPrivateKey ec;
        REQUIRE_OK(parse_ec_private_key(view(sec1_der), ec));
        CHECK(ec.curve == curve);
        CHECK(ec.has_params);
        CHECK(hex(ec.d) == x["d"]);
        CHECK(hex(ec.public_point) == x["public"]);

        Buf pkcs8_der = read_file(std::string(n) + "_pkcs8.der");
        Pkcs8 p8;
        REQUIRE_OK(parse_pkcs8(view(pkcs8_der), p8));
        CHECK(p8.type == curve);
        EcPrivateKey inner;
        REQUIRE_OK(parse_ec_private_key(p8.private_key, p8.type, inner));
        CHECK(hex(inner.d) == x["d"]);
        CHECK(hex(inner.public_point) == x["public"]);
    }
}

TEST_CASE("X25519 and Ed25519 samples match openssl", "[asn1][keys][samples]") {
    for (const char* n : {"x25519", "ed25519"}) {
        INFO(n);
        const json& x = expected()[n];
        const KeyType type = std::string(n) == "x25519" ? KeyType::x25519 : KeyType::ed25519;
        Buf spki_der = read_file(std::string(n) + "_spki.der");
        Spki spki;
        REQUIRE_OK(parse_spki(view(spki_der), spki));
        CHECK(spki.type == type);
        CHECK(hex(spki.key) == x["public"]);
        Buf pkcs8_der = read_file(std::string(n) + "_pkcs8.der");
        Pkcs8 p8;
        REQUIRE_OK(parse_pkcs8(view(pkcs8_der), p8));
        CHECK(p8.type == type);
        CHECK(hex(p8.private_key) == x["private"]);
    }
}

TEST_CASE("ECDSA DER signature sample matches openssl", "[asn1][keys][samples]") {
    Buf der = read_file("ecdsa_p256_sha256.sig");
    Bytes r, s;
    REQUIRE_OK(parse_ecdsa_signature(view(der), r, s));
    CHECK(hex(r) == expected()["ecdsa_p256_sha256"]["r"]);
    CHECK(hex(s) == expected()["ecdsa_p256_sha256"]["s"]);
    Buf out(80);
    std::size_t len = 0;
    REQUIRE_OK(write_ecdsa_signature(r, s, out, len));
    CHECK(hex(Bytes(out.data(), len)) == hex(view(der)));
}

// ---------------------------------------------------------------------------------------------
// Writers: parse -> write -> identical bytes.

TEST_CASE("Writers reproduce the openssl samples byte for byte", "[asn1][keys][writer]") {
    Buf out(4096);
    std::size_t len = 0;
    auto same = [&](const Buf& der) { CHECK(hex(Bytes(out.data(), len)) == hex(view(der))); };

    for (const char* name : {"rsa2048_spki.der", "rsapss2048_spki.der", "p256_spki.der", "p384_spki.der",
                             "x25519_spki.der", "ed25519_spki.der"}) {
        INFO(name);
        Buf der = read_file(name);
        Spki s;
        REQUIRE_OK(parse_spki(view(der), s));
        REQUIRE_OK(write_spki(s, out, len));
        same(der);
    }
    for (const char* name : {"rsa2048_pkcs8.der", "rsapss2048_pkcs8.der", "p256_pkcs8.der", "p384_pkcs8.der",
                             "x25519_pkcs8.der", "ed25519_pkcs8.der"}) {
        INFO(name);
        Buf der = read_file(name);
        Pkcs8 k;
        REQUIRE_OK(parse_pkcs8(view(der), k));
        REQUIRE_OK(write_pkcs8(k, out, len));
        same(der);
    }
    for (const char* name : {"p256_sec1.der", "p384_sec1.der"}) {
        INFO(name);
        Buf der = read_file(name);
        EcPrivateKey k;
        REQUIRE_OK(parse_ec_private_key(view(der), k));
        REQUIRE_OK(write_ec_private_key(k, out, len));
        same(der);
    }
    {
        Buf der = read_file("rsa2048_pkcs1.der");
        RsaPrivateKeyDer k;
        REQUIRE_OK(parse_rsa_private_key(view(der), k));
        REQUIRE_OK(write_rsa_private_key(k, out, len));
        same(der);
    }
    {
        Buf der = read_file("rsa2048_pkcs1_pub.der");
        RsaPublicKeyDer k;
        REQUIRE_OK(parse_rsa_public_key(view(der), k));
        REQUIRE_OK(write_rsa_public_key(k, out, len));
        same(der);
        // Every buffer shorter than the encoding fails cleanly; the exact size succeeds.
        for (std::size_t n = 0; n < der.size(); n++) {
            Buf small(n);
            std::size_t l = 0;
            CHECK_ERR(write_rsa_public_key(k, small, l), Asn1Error::buffer_too_small);
        }
        Buf exact(der.size());
        REQUIRE_OK(write_rsa_public_key(k, exact, len));
        CHECK(hex(view(exact)) == hex(view(der)));
    }
}

TEST_CASE("PKCS#8 parse then write gives back the input (RFC 5958 §2)", "[asn1][keys][writer]") {
    const std::string k32 = "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf";
    struct Case { const char* name; std::string hex; bool version2, has_attributes; };
    const Case cases[] = {
        {"v0, no attributes", "302e 020100 3005 06032b656e 0422 0420" + k32, false, false},
        // RFC 5958 §2 has a generator write v2 (version 1) only with a publicKey; a reader may take
        // one without, and it is written back as version 1, not silently as version 0.
        {"v1 without publicKey", "302e 020101 3005 06032b656e 0422 0420" + k32, true, false},
        {"v1 with publicKey", "3051 020101 3005 06032b656e 0422 0420" + k32 + "8121 00" + k32, true, false},
        // An empty [0] Attributes (SET OF with no element) is kept on write.
        {"v0, empty attributes", "3030 020100 3005 06032b656e 0422 0420" + k32 + "a000", false, true},
        {"v1, empty attributes and publicKey",
         "3053 020101 3005 06032b656e 0422 0420" + k32 + "a000 8121 00" + k32, true, true},
        {"v0, one attribute", "303e 020100 3005 06032b656e 0422 0420" + k32 +
                              "a00e 300c 06032a0304 3105 0403 010203", false, true},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        const Buf der = unhex(c.hex);
        Pkcs8 k;
        REQUIRE_OK(parse_pkcs8(view(der), k));
        CHECK(k.version2 == c.version2);
        CHECK(k.has_attributes == c.has_attributes);
        Buf out(der.size() + 8);
        std::size_t len = 0;
        REQUIRE_OK(write_pkcs8(k, out, len));
        CHECK(hex(Bytes(out.data(), len)) == hex(view(der)));
    }
    // A key built by hand (version2 and has_attributes false) is written as before: version 1 only
    // with a publicKey, no [0] without attributes.
    const Buf raw = unhex(k32);
    Pkcs8 k{KeyType::x25519, view(raw), {}, {}, {}};
    Buf out(128);
    std::size_t len = 0;
    REQUIRE_OK(write_pkcs8(k, out, len));
    CHECK(hex(Bytes(out.data(), len)) == hex(view(unhex("302e 020100 3005 06032b656e 0422 0420" + k32))));
}

TEST_CASE("Writer length forms and INTEGER minimisation", "[asn1][writer]") {
    Buf out(70000);
    std::size_t len = 0;
    // Lengths at each length-form boundary: 0, 127, 128, 255, 256, 65535, 65536.
    for (std::size_t n : {0u, 127u, 128u, 255u, 256u, 65535u, 65536u}) {
        INFO(n);
        Buf content(n, 0xAB);
        Writer w(out);
        w.add_octet_string(view(content));
        REQUIRE_OK(w.finish(len));
        Reader r(Bytes(out.data(), len));
        Bytes got;
        REQUIRE_OK(r.read_octet_string(got));
        CHECK(got.size() == n);
        CHECK_ERR(r.done(), Asn1Error::ok);
        const std::size_t header = n < 128 ? 2 : n < 256 ? 3 : n < 65536 ? 4 : 5;
        CHECK(len == header + n);
    }
    struct Case { const char* magnitude; const char* der; };
    const Case ints[] = {{"", "020100"}, {"00", "020100"}, {"0000", "020100"}, {"7f", "02017f"},
                         {"80", "02020080"}, {"000080", "02020080"}, {"0100", "02020100"}};
    for (const Case& c : ints) {
        Writer w(out);
        Buf m = unhex(c.magnitude);
        w.add_integer(view(m));
        REQUIRE_OK(w.finish(len));
        CHECK(hex(Bytes(out.data(), len)) == c.der);
    }
    Writer w(out);
    w.add_small_uint(65537);
    w.add_bool(true);
    w.add_null();
    REQUIRE_OK(w.finish(len));
    CHECK(hex(Bytes(out.data(), len)) == "0203010001" "0101ff" "0500");
    // An unclosed element is an error, not silent garbage.
    Writer open(out);
    (void)open.begin(tag::sequence);
    CHECK_ERR(open.finish(len), Asn1Error::bad_argument);
    // Nested elements whose lengths need the long form move their contents correctly.
    Buf big(200, 0x11);
    Writer nested(out);
    auto outer = nested.begin(tag::sequence);
    auto inner = nested.begin(tag::sequence);
    nested.add_octet_string(view(big));
    nested.end(inner);
    nested.end(outer);
    REQUIRE_OK(nested.finish(len));
    CHECK(hex(Bytes(out.data(), 10)) == "3081ce" "3081cb" "0481c8" "11"); // 200+3 = 203, +3 = 206
}

TEST_CASE("Key writers refuse keys of the wrong size; take<N> reads fixed-size keys", "[asn1][writer]") {
    Buf out(256), short_key(31, 7), key(32, 7);
    std::size_t len = 0;
    CHECK_ERR(write_spki(Spki{KeyType::x25519, view(short_key), {}}, out, len), Asn1Error::bad_argument);
    CHECK_ERR(write_spki(Spki{KeyType::ec_p256, view(key), {}}, out, len), Asn1Error::bad_argument);
    CHECK_ERR(write_pkcs8(Pkcs8{KeyType::ed25519, view(short_key), {}, {}, {}}, out, len), Asn1Error::bad_argument);
    CHECK_ERR(write_ec_private_key(EcPrivateKey{KeyType::ec_p384, view(key), {}, true}, out, len), Asn1Error::bad_argument);

    REQUIRE_OK(write_spki(Spki{KeyType::x25519, view(key), {}}, out, len));
    Spki s;
    REQUIRE_OK(parse_spki(Bytes(out.data(), len), s));
    Reader r(s.key);
    std::uint8_t fixed[32] = {};
    REQUIRE_OK(r.take<32>(fixed));
    CHECK(hex(fixed) == hex(view(key)));
    CHECK_ERR(r.done(), Asn1Error::ok);
    Reader short_reader{view(short_key)};
    CHECK_ERR(short_reader.take<32>(fixed), Asn1Error::truncated);
    CHECK(short_reader.remaining() == 31);
}

// ---------------------------------------------------------------------------------------------
// PEM (RFC 7468)

TEST_CASE("PEM samples decode to the DER samples", "[asn1][pem]") {
    struct Pair { const char* pem; const char* der; const char* label; };
    const Pair pairs[] = {
        {"rsa2048_spki.pem", "rsa2048_spki.der", "PUBLIC KEY"},
        {"rsa2048_pkcs8.pem", "rsa2048_pkcs8.der", "PRIVATE KEY"},
        {"rsa2048_pkcs1.pem", "rsa2048_pkcs1.der", "RSA PRIVATE KEY"},
        {"rsa2048_pkcs1_pub.pem", "rsa2048_pkcs1_pub.der", "RSA PUBLIC KEY"},
        {"rsapss2048_pkcs8.pem", "rsapss2048_pkcs8.der", "PRIVATE KEY"},
        {"p256_sec1.pem", "p256_sec1.der", "EC PRIVATE KEY"},
        {"p256_pkcs8.pem", "p256_pkcs8.der", "PRIVATE KEY"},
        {"p256_spki.pem", "p256_spki.der", "PUBLIC KEY"},
        {"p384_sec1.pem", "p384_sec1.der", "EC PRIVATE KEY"},
        {"p384_pkcs8.pem", "p384_pkcs8.der", "PRIVATE KEY"},
        {"p384_spki.pem", "p384_spki.der", "PUBLIC KEY"},
        {"x25519_pkcs8.pem", "x25519_pkcs8.der", "PRIVATE KEY"},
        {"x25519_spki.pem", "x25519_spki.der", "PUBLIC KEY"},
        {"ed25519_pkcs8.pem", "ed25519_pkcs8.der", "PRIVATE KEY"},
        {"ed25519_spki.pem", "ed25519_spki.der", "PUBLIC KEY"},
    };
    for (const Pair& p : pairs) {
        INFO(p.pem);
        Buf pem = read_file(p.pem), der = read_file(p.der);
        Buf out(4096);
        std::size_t pos = 0;
        PemBlock block;
        REQUIRE_OK(pem_decode_next(view(pem), pos, block, out));
        CHECK(str(block.label) == p.label);
        CHECK(hex(Bytes(out.data(), block.der_len)) == hex(view(der)));
        CHECK(pos == pem.size());
        CHECK_ERR(pem_decode_next(view(pem), pos, block, out), Asn1Error::pem_not_found);
        // openssl writes 64-column lines with LF: encoding the DER gives the same text.
        Buf enc(pem_encoded_size(block.label.size(), der.size()));
        std::size_t len = 0;
        REQUIRE_OK(pem_encode(block.label, view(der), enc, len));
        CHECK(len == enc.size());
        CHECK(str(Bytes(enc.data(), len)) == str(view(pem)));
    }
}

TEST_CASE("PEM with several blocks and text around them", "[asn1][pem]") {
    Buf pem = read_file("multi.pem");
    const char* want[][2] = {{"PUBLIC KEY", "p256_spki.der"}, {"PUBLIC KEY", "rsa2048_spki.der"},
                             {"PRIVATE KEY", "ed25519_pkcs8.der"}};
    std::size_t pos = 0;
    Buf out(4096);
    for (auto& w : want) {
        PemBlock block;
        REQUIRE_OK(pem_decode_next(view(pem), pos, block, out));
        CHECK(str(block.label) == w[0]);
        CHECK(hex(Bytes(out.data(), block.der_len)) == hex(view(read_file(w[1]))));
    }
    PemBlock block;
    CHECK_ERR(pem_decode_next(view(pem), pos, block, out), Asn1Error::pem_not_found);
}

TEST_CASE("PEM accepts CRLF, trailing blanks and short lines; rejects the rest", "[asn1][pem]") {
    // "MCowBQYDK2VuAyEA..." is a Wycheproof X25519 SPKI; "AQID" is 01 02 03.
    Buf out(256);
    struct Case { const char* name; std::string text; Asn1Error want; std::string der_hex; };
    const Case cases[] = {
        {"LF", "-----BEGIN X-----\nAQID\n-----END X-----\n", Asn1Error::ok, "010203"},
        {"CRLF and trailing blanks", "-----BEGIN X-----\r\nAQ \r\nID\t\r\n-----END X-----", Asn1Error::ok, "010203"},
        {"padding ==", "-----BEGIN X-----\nAQ==\n-----END X-----\n", Asn1Error::ok, "01"},
        {"padding =", "-----BEGIN X-----\nAQI=\n-----END X-----\n", Asn1Error::ok, "0102"},
        {"empty body", "-----BEGIN X-----\n-----END X-----\n", Asn1Error::ok, ""},
        {"label with space and hyphen", "-----BEGIN A B-C-----\nAQID\n-----END A B-C-----\n", Asn1Error::ok, "010203"},
        {"label mismatch", "-----BEGIN X-----\nAQID\n-----END Y-----\n", Asn1Error::bad_pem, ""},
        {"no END", "-----BEGIN X-----\nAQID\n", Asn1Error::bad_pem, ""},
        {"missing padding", "-----BEGIN X-----\nAQ\n-----END X-----\n", Asn1Error::bad_pem, ""},
        {"data after padding", "-----BEGIN X-----\nAQ==AQID\n-----END X-----\n", Asn1Error::bad_pem, ""},
        {"non-canonical bits", "-----BEGIN X-----\nAR==\n-----END X-----\n", Asn1Error::bad_pem, ""},
        {"three pads", "-----BEGIN X-----\nA===\n-----END X-----\n", Asn1Error::bad_pem, ""},
        {"space inside a line", "-----BEGIN X-----\nAQ ID\n-----END X-----\n", Asn1Error::bad_pem, ""},
        {"bad character", "-----BEGIN X-----\nAQ*D\n-----END X-----\n", Asn1Error::bad_pem, ""},
        {"RFC 1421 header", "-----BEGIN X-----\nProc-Type: 4,ENCRYPTED\n\nAQID\n-----END X-----\n", Asn1Error::bad_pem, ""},
        {"label with leading space", "-----BEGIN  X-----\nAQID\n-----END  X-----\n", Asn1Error::bad_pem, ""},
        {"BEGIN not at line start", "x-----BEGIN X-----\nAQID\n-----END X-----\n", Asn1Error::pem_not_found, ""},
        {"garbage after END", "-----BEGIN X-----\nAQID\n-----END X-----junk\n", Asn1Error::bad_pem, ""},
        {"nothing", "no pem here\n", Asn1Error::pem_not_found, ""},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        std::size_t pos = 0;
        PemBlock block;
        std::fill(out.begin(), out.end(), std::uint8_t(0xAA));
        const Asn1Error e = pem_decode_next(text(c.text), pos, block, out);
        CHECK_ERR(e, c.want);
        if (e == Asn1Error::ok) {
            CHECK(hex(Bytes(out.data(), block.der_len)) == c.der_hex);
        } else {
            CHECK(pos == 0);
            // No partial output: bytes decoded before the error are wiped, the rest untouched.
            for (std::uint8_t b : out) REQUIRE((b == 0x00 || b == 0xAA));
        }
    }
    std::size_t pos = 0;
    PemBlock block;
    Buf small(2, 0xAA);
    CHECK_ERR(pem_decode_next(text("-----BEGIN X-----\nAQID\n-----END X-----\n"), pos, block, small),
              Asn1Error::buffer_too_small);
    CHECK(hex(small) == "0000");
}

TEST_CASE("pem_encode refuses the labels pem_decode_next refuses (RFC 7468 §3)", "[asn1][pem]") {
    // label = [ labelchar *( ["-" / SP] labelchar ) ], labelchar = %x21-2C / %x2E-7E.
    const Buf der = {1, 2, 3};
    for (const char* label : {"A--B", " A", "A-", "-A", "A ", "A  B", "A- B", "A\tB", "A\x7f", "\xc3\xa9"}) {
        INFO("label \"" << label << "\"");
        Buf out(pem_encoded_size(std::strlen(label), der.size()));
        std::size_t len = 0;
        CHECK_ERR(pem_encode(text(label), view(der), out, len), Asn1Error::bad_argument);
        // The decoder agrees: the same block written by hand is refused.
        const std::string pem = std::string("-----BEGIN ") + label + "-----\nAQID\n-----END " + label + "-----\n";
        std::size_t pos = 0;
        PemBlock block;
        CHECK_ERR(pem_decode_next(text(pem), pos, block, out), Asn1Error::bad_pem);
    }
    for (const char* label : {"", "A", "A-B", "A B", "X509 CRL", "!,.~", "A-B C-D"}) {
        INFO("label \"" << label << "\"");
        Buf out(pem_encoded_size(std::strlen(label), der.size()));
        std::size_t len = 0;
        REQUIRE_OK(pem_encode(text(label), view(der), out, len));
        CHECK(len == out.size());
        std::size_t pos = 0;
        PemBlock block;
        Buf back(8);
        REQUIRE_OK(pem_decode_next(Bytes(out.data(), len), pos, block, back));
        CHECK(str(block.label) == label);
        CHECK(hex(Bytes(back.data(), block.der_len)) == "010203");
    }
}

// ---------------------------------------------------------------------------------------------
// Times (RFC 5280 §4.1.2.5)

TEST_CASE("UTCTime and GeneralizedTime", "[asn1][time]") {
    auto read_with = [](Asn1Error (*reader)(Reader&, Time&), const std::string& tag_hex, const std::string& s,
                        Time& t) {
        Buf der = unhex(tag_hex);
        der.push_back(std::uint8_t(s.size()));
        der.insert(der.end(), s.begin(), s.end());
        Reader r(view(der));
        Asn1Error e = reader(r, t);
        if (e == Asn1Error::ok) CHECK(r.empty());
        else CHECK(r.remaining() == der.size());
        return e;
    };
    auto read = [&](const std::string& tag_hex, const std::string& s, Time& t) {
        return read_with(read_time, tag_hex, s, t);
    };
    auto read_gen = [&](const std::string& tag_hex, const std::string& s, Time& t) {
        return read_with(read_generalized_time, tag_hex, s, t);
    };
    Time t;
    REQUIRE_OK(read("17", "491231235959Z", t));
    CHECK(t.year == 2049);
    CHECK(to_unix_seconds(t) == 2524607999);  // date -u -d 2049-12-31T23:59:59 +%s
    REQUIRE_OK(read("17", "500101000000Z", t));
    CHECK(t.year == 1950);
    CHECK(to_unix_seconds(t) == -631152000);  // date -u -d 1950-01-01 +%s
    REQUIRE_OK(read_gen("18", "20240229120000Z", t));
    CHECK(t.month == 2);
    CHECK(t.day == 29);
    CHECK(to_unix_seconds(t) == 1709208000);  // date -u -d 2024-02-29T12:00:00 +%s
    REQUIRE_OK(read("18", "99991231235959Z", t));
    CHECK(t.year == 9999);
    REQUIRE_OK(read_gen("18", "99991231235959Z", t));
    CHECK(to_unix_seconds(t) == 253402300799);  // date -u -d 9999-12-31T23:59:59 +%s
    REQUIRE_OK(read("17", "700101000000Z", t));
    CHECK(to_unix_seconds(t) == 0);
    REQUIRE_OK(read_gen("18", "20000229000000Z", t));  // 2000 is a leap year (divisible by 400)

    const char* bad_utc[] = {"4912312359Z", "491231235959", "491231235959+0100", "491331235959Z",
                             "490230000000Z", "491231240000Z", "491231236000Z", "491231235960Z",
                             "4912312359590Z", "49123123595aZ", "490001000000Z", "491200000000Z"};
    for (const char* s : bad_utc) {
        INFO(s);
        CHECK_ERR(read("17", s, t), Asn1Error::bad_time);
    }
    const char* bad_gen[] = {"20230229000000Z", "21000229000000Z", "20240101000000.5Z", "202401010000Z",
                             "20240101000000", "2024010100000Z", "20240431000000Z"};
    for (const char* s : bad_gen) {
        INFO(s);
        CHECK_ERR(read_gen("18", s, t), Asn1Error::bad_time);
    }
    CHECK_ERR(read("04", "491231235959Z", t), Asn1Error::bad_tag);
    CHECK_ERR(read_gen("17", "491231235959Z", t), Asn1Error::bad_tag);

    // RFC 5280 §4.1.2.5 tells CAs to write dates through 2049 as UTCTime, but trusted roots carry
    // GeneralizedTime there (x509 records the lapse), so read_time reads them, as does
    // read_generalized_time; write_generalized_time gives the same bytes back.
    for (const char* s : {"19500101000000Z", "20240229120000Z", "20491231235959Z"}) {
        INFO(s);
        CHECK_ERR(read("18", s, t), Asn1Error::ok);
        CHECK_ERR(read_gen("18", s, t), Asn1Error::ok);
        Buf again(32);
        Writer gw(again);
        REQUIRE_OK(write_generalized_time(gw, t));
        std::size_t n = 0;
        REQUIRE_OK(gw.finish(n));
        CHECK(str(Bytes(again.data(), n)) == std::string("\x18\x0f") + s);
    }
    REQUIRE_OK(read("18", "20500101000000Z", t));
    CHECK(t.year == 2050);
    REQUIRE_OK(read("18", "19491231235959Z", t));
    CHECK(t.year == 1949);
    REQUIRE_OK(read_gen("18", "00000101000000Z", t));
    CHECK(t.year == 0);

    // write_time picks UTCTime for 1950-2049 and GeneralizedTime otherwise.
    Buf out(64);
    std::size_t len = 0;
    Writer w(out);
    REQUIRE_OK(write_time(w, Time{2049, 12, 31, 23, 59, 59}));
    REQUIRE_OK(write_time(w, Time{2050, 1, 1, 0, 0, 0}));
    REQUIRE_OK(write_time(w, Time{1949, 12, 31, 23, 59, 59}));
    CHECK_ERR(write_time(w, Time{2023, 2, 29, 0, 0, 0}), Asn1Error::bad_argument);
    REQUIRE_OK(w.finish(len));
    CHECK(str(Bytes(out.data(), len)) == "\x17\x0d" "491231235959Z" "\x18\x0f" "20500101000000Z"
                                         "\x18\x0f" "19491231235959Z");

    // write_generalized_time writes GeneralizedTime for every year.
    Writer g(out);
    REQUIRE_OK(write_generalized_time(g, Time{2024, 2, 29, 12, 0, 0}));
    REQUIRE_OK(write_generalized_time(g, Time{1950, 1, 1, 0, 0, 0}));
    CHECK_ERR(write_generalized_time(g, Time{2023, 2, 29, 0, 0, 0}), Asn1Error::bad_argument);
    REQUIRE_OK(g.finish(len));
    CHECK(str(Bytes(out.data(), len)) == "\x18\x0f" "20240229120000Z" "\x18\x0f" "19500101000000Z");
}

// ---------------------------------------------------------------------------------------------
// OIDs, checked against `openssl asn1parse -genstr OID:...` (vectors/asn1/oids.json).

TEST_CASE("OIDs match openssl's encodings", "[asn1][oid]") {
    const json j = load_kat("asn1/oids.json");
    for (auto& [dotted, tlv_hex] : j["oids"].items()) {
        INFO(dotted);
        Buf tlv = unhex(tlv_hex.get<std::string>());
        Reader r(view(tlv));
        Bytes content;
        REQUIRE_OK(r.read_oid(content));
        char buf[128];
        std::size_t len = 0;
        REQUIRE_OK(oid::to_dotted(content, buf, len));
        CHECK(std::string(buf, len) == dotted);
        // Encode from arcs when they fit in 64 bits.
        std::vector<std::uint64_t> arcs;
        bool fits = true;
        std::size_t start = 0;
        while (start <= dotted.size()) {
            std::size_t dot = dotted.find('.', start);
            if (dot == std::string::npos) dot = dotted.size();
            const std::string arc = dotted.substr(start, dot - start);
            fits = fits && arc.size() < 20;
            if (fits) arcs.push_back(std::stoull(arc));
            start = dot + 1;
        }
        if (fits) {
            std::uint8_t enc[64];
            REQUIRE_OK(oid::encode(arcs, enc, len));
            CHECK(hex(Bytes(enc, len)) == hex(content));
        }
    }
    auto tlv_of = [&](const char* dotted) { return j["oids"][dotted].get<std::string>().substr(4); };
    CHECK(hex(oid::rsa_encryption) == tlv_of("1.2.840.113549.1.1.1"));
    CHECK(hex(oid::rsassa_pss) == tlv_of("1.2.840.113549.1.1.10"));
    CHECK(hex(oid::mgf1) == tlv_of("1.2.840.113549.1.1.8"));
    CHECK(hex(oid::sha1_with_rsa) == tlv_of("1.2.840.113549.1.1.5"));
    CHECK(hex(oid::sha256_with_rsa) == tlv_of("1.2.840.113549.1.1.11"));
    CHECK(hex(oid::sha384_with_rsa) == tlv_of("1.2.840.113549.1.1.12"));
    CHECK(hex(oid::sha512_with_rsa) == tlv_of("1.2.840.113549.1.1.13"));
    CHECK(hex(oid::ec_public_key) == tlv_of("1.2.840.10045.2.1"));
    CHECK(hex(oid::prime256v1) == tlv_of("1.2.840.10045.3.1.7"));
    CHECK(hex(oid::secp384r1) == tlv_of("1.3.132.0.34"));
    CHECK(hex(oid::secp521r1) == tlv_of("1.3.132.0.35"));
    CHECK(hex(oid::ecdsa_with_sha256) == tlv_of("1.2.840.10045.4.3.2"));
    CHECK(hex(oid::ecdsa_with_sha384) == tlv_of("1.2.840.10045.4.3.3"));
    CHECK(hex(oid::ecdsa_with_sha512) == tlv_of("1.2.840.10045.4.3.4"));
    CHECK(hex(oid::x25519) == tlv_of("1.3.101.110"));
    CHECK(hex(oid::ed25519) == tlv_of("1.3.101.112"));
    CHECK(hex(oid::sha1) == tlv_of("1.3.14.3.2.26"));
    CHECK(hex(oid::sha224) == tlv_of("2.16.840.1.101.3.4.2.4"));
    CHECK(hex(oid::sha256) == tlv_of("2.16.840.1.101.3.4.2.1"));
    CHECK(hex(oid::sha384) == tlv_of("2.16.840.1.101.3.4.2.2"));
    CHECK(hex(oid::sha512) == tlv_of("2.16.840.1.101.3.4.2.3"));

    char small[5];
    std::size_t len = 0;
    CHECK_ERR(oid::to_dotted(oid::prime256v1, small, len), Asn1Error::buffer_too_small);
    const std::uint64_t bad_first[] = {3, 1};
    std::uint8_t enc[16];
    CHECK_ERR(oid::encode(bad_first, enc, len), Asn1Error::bad_argument);
    const std::uint64_t bad_second[] = {1, 40};
    CHECK_ERR(oid::encode(bad_second, enc, len), Asn1Error::bad_argument);
}

namespace {

json load_wycheproof(const char* name) {
    // The Wycheproof checkout chosen by the wycheproof_dir Meson option.
    std::ifstream f(std::string(PADLOCK_WYCHEPROOF_DIR) + "/testvectors_v1/" + name);
    REQUIRE(f.good());
    return json::parse(f);
}

bool has_flag(const json& t, const char* flag) {
    for (const json& f : t["flags"])
        if (f == flag) return true;
    return false;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Wycheproof ECDSA DER signatures: every valid signature parses and re-encodes to the same bytes;
// every case flagged as an encoding fault is refused by the parser itself.

TEST_CASE("Wycheproof ECDSA DER signatures: strict DER", "[asn1][keys][wycheproof]") {
    const char* files[] = {"ecdsa_secp256r1_sha256_test.json", "ecdsa_secp384r1_sha384_test.json"};
    int checked = 0;
    for (const char* name : files) {
        const json j = load_wycheproof(name);
        for (const json& g : j["testGroups"]) {
            for (const json& t : g["tests"]) {
                INFO(name << " tcId " << t["tcId"] << " " << t["comment"]);
                Buf der = unhex(t["sig"].get<std::string>());
                Bytes r, s;
                const Asn1Error e = parse_ecdsa_signature(view(der), r, s);
                bool encoding_fault = false;
                for (const json& flag : t["flags"]) {
                    const std::string fl = flag;
                    encoding_fault = encoding_fault || fl == "BerEncodedSignature" || fl == "InvalidEncoding" ||
                                     fl == "InvalidTypesInSignature" || fl == "MissingZero";
                }
                if (t["result"] == "valid") {
                    REQUIRE_OK(e);
                    Buf out(der.size() + 8);
                    std::size_t len = 0;
                    REQUIRE_OK(write_ecdsa_signature(r, s, out, len));
                    CHECK(hex(Bytes(out.data(), len)) == hex(view(der)));
                } else if (encoding_fault) {
                    CHECK(e != Asn1Error::ok);
                }
                checked++;
            }
        }
    }
    CHECK(checked > 500);
}

// ECDH files carry SPKI public keys: every valid key parses as the file's curve; every BER or
// otherwise mis-encoded key (InvalidAsn, InvalidEncoding) and every explicit-parameters key
// (UnnamedCurve, RFC 5480 §2.1.1 "MUST NOT") is refused by parse_spki itself.
TEST_CASE("Wycheproof ECDH SPKI public keys", "[asn1][keys][wycheproof]") {
    struct File { const char* name; KeyType curve; };
    for (const File& file : {File{"ecdh_secp256r1_test.json", KeyType::ec_p256}, File{"ecdh_secp384r1_test.json", KeyType::ec_p384}}) {
        const json j = load_wycheproof(file.name);
        int valid = 0, refused = 0;
        for (const json& g : j["testGroups"]) {
            for (const json& t : g["tests"]) {
                INFO(file.name << " tcId " << t["tcId"] << " " << t["comment"]);
                Buf der = unhex(t["public"].get<std::string>());
                Spki s;
                const Asn1Error e = parse_spki(view(der), s);
                if (t["result"] == "valid") {
                    REQUIRE_OK(e);
                    CHECK(s.type == file.curve);
                    valid++;
                } else if ((has_flag(t, "InvalidAsn") || has_flag(t, "InvalidEncoding") || has_flag(t, "UnnamedCurve")) &&
                           t["comment"] != "modifying last byte of bit string") {
                    // (that one is well-formed DER holding a point off the curve: the curve's job)
                    CHECK(e != Asn1Error::ok);
                    refused++;
                }
            }
        }
        CHECK(valid > 300);
        CHECK(refused > 200);
    }
}

// RSASSA-PSS files with parameters carry SPKI keys whose RSASSA-PSS-params must read back as the
// group's hash, MGF1 hash and salt length.
TEST_CASE("Wycheproof RSASSA-PSS SPKI parameters", "[asn1][keys][wycheproof]") {
    const std::pair<const char*, Bytes> hashes[] = {
        {"SHA-1", oid::sha1}, {"SHA-224", oid::sha224}, {"SHA-256", oid::sha256},
        {"SHA-384", oid::sha384}, {"SHA-512", oid::sha512}};
    auto hash_oid = [&](const std::string& name) -> Bytes {
        for (auto& [n, o] : hashes)
            if (name == n) return o;
        return {};
    };
    const char* files[] = {"rsa_pss_misc_params_test.json", "rsa_pss_2048_sha256_mgf1_0_params_test.json",
                           "rsa_pss_2048_sha256_mgf1_32_params_test.json", "rsa_pss_3072_sha256_mgf1_32_params_test.json",
                           "rsa_pss_4096_sha512_mgf1_32_params_test.json", "rsa_pss_4096_sha512_mgf1_64_params_test.json"};
    int groups = 0;
    for (const char* name : files) {
        const json j = load_wycheproof(name);
        for (const json& g : j["testGroups"]) {
            INFO(name << " " << g["sha"] << " " << g["mgfSha"] << " " << g["sLen"]);
            Buf der = unhex(g["publicKeyDer"].get<std::string>());
            Spki s;
            REQUIRE_OK(parse_spki(view(der), s));
            CHECK(s.type == KeyType::rsa_pss);
            RsaPssParams p;
            REQUIRE_OK(parse_rsassa_pss_params(s.params, p));
            CHECK(hex(p.hash) == hex(hash_oid(g["sha"])));
            CHECK(hex(p.mgf1_hash) == hex(hash_oid(g["mgfSha"])));
            CHECK(p.salt_length == g["sLen"].get<std::uint64_t>());
            // The public key itself is the same as in publicKeyAsn (an RSAPublicKey).
            CHECK(hex(s.key) == g["publicKeyAsn"].get<std::string>());
            groups++;
        }
    }
    CHECK(groups > 50);
}

// X25519 key files: DER (SPKI + PKCS#8) and PEM. Keys of other algorithms and a PKCS#8 without
// the inner CurvePrivateKey OCTET STRING must not come out as X25519 keys.
TEST_CASE("Wycheproof X25519 ASN.1 and PEM keys", "[asn1][keys][pem][wycheproof]") {
    for (const char* name : {"x25519_asn_test.json", "x25519_pem_test.json"}) {
        const bool pem = std::string(name).find("pem") != std::string::npos;
        const json j = load_wycheproof(name);
        int cases = 0;
        for (const json& g : j["testGroups"]) {
            for (const json& t : g["tests"]) {
                INFO(name << " tcId " << t["tcId"] << " " << t["comment"]);
                Buf pub, priv;
                if (pem) {
                    Buf out(4096);
                    for (auto [field, dst] : {std::pair{"public", &pub}, std::pair{"private", &priv}}) {
                        const std::string txt = t[field];
                        std::size_t pos = 0;
                        PemBlock block;
                        REQUIRE_OK(pem_decode_next(text(txt), pos, block, out));
                        CHECK(str(block.label) == (std::string(field) == "public" ? "PUBLIC KEY" : "PRIVATE KEY"));
                        dst->assign(out.begin(), out.begin() + long(block.der_len));
                    }
                } else {
                    pub = unhex(t["public"].get<std::string>());
                    priv = unhex(t["private"].get<std::string>());
                }
                Spki s;
                Pkcs8 k;
                const bool pub_ok = parse_spki(view(pub), s) == Asn1Error::ok && s.type == KeyType::x25519;
                const bool priv_ok = parse_pkcs8(view(priv), k) == Asn1Error::ok && k.type == KeyType::x25519;
                if (has_flag(t, "InvalidPublic")) CHECK_FALSE(pub_ok);
                else CHECK(pub_ok);
                if (has_flag(t, "MissingOctetString")) CHECK_FALSE(priv_ok);
                else CHECK(priv_ok);
                cases++;
            }
        }
        CHECK(cases > 500);
    }
}

// ---------------------------------------------------------------------------------------------
// Robustness: truncations, bit flips and length lies give a clean error or a valid parse, and
// any view handed out lies inside the input (ASan checks the reads; each input is an exact-size
// heap copy so an overread is caught).

namespace {

bool inside(Bytes part, const Buf& whole) {
    if (part.empty()) return true;
    return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

// Parses `der` with the parser for sample `name`; checks views stay inside on success.
void parse_any(const std::string& name, const Buf& der) {
    Bytes in = view(der);
    if (name.find("spki") != std::string::npos) {
        Spki s;
        if (parse_spki(in, s) == Asn1Error::ok) {
            CHECK(inside(s.key, der));
            CHECK(inside(s.params, der));
        }
    } else if (name.find("pkcs8") != std::string::npos) {
        Pkcs8 k;
        if (parse_pkcs8(in, k) == Asn1Error::ok) {
            CHECK(inside(k.private_key, der));
            CHECK(inside(k.public_key, der));
        }
    } else if (name.find("sec1") != std::string::npos) {
        EcPrivateKey k;
        if (parse_ec_private_key(in, k) == Asn1Error::ok) CHECK(inside(k.d, der));
    } else if (name.find("pkcs1_pub") != std::string::npos) {
        RsaPublicKeyDer k;
        if (parse_rsa_public_key(in, k) == Asn1Error::ok) CHECK(inside(k.n, der));
    } else if (name.find("pkcs1") != std::string::npos) {
        RsaPrivateKeyDer k;
        if (parse_rsa_private_key(in, k) == Asn1Error::ok) CHECK(inside(k.qinv, der));
    } else if (name.find(".sig") != std::string::npos) {
        Bytes r, s;
        if (parse_ecdsa_signature(in, r, s) == Asn1Error::ok) CHECK(inside(s, der));
    }
}

void parse_pem_any(const std::string& name, const Buf& text) {
    std::size_t pos = 0;
    PemBlock block;
    Buf out(text.size());
    for (int blocks = 0; blocks < 8; blocks++) {
        const std::size_t before = pos;
        if (pem_decode_next(view(text), pos, block, out) != Asn1Error::ok) {
            CHECK(pos == before);
            return;
        }
        CHECK(pos > before);
        CHECK(pos <= text.size());
        CHECK(block.der_len <= out.size());
        parse_any(name, Buf(out.begin(), out.begin() + long(block.der_len)));
    }
}

void mutate_all(const std::string& name, const Buf& original, void (*parse)(const std::string&, const Buf&)) {
    // Every truncation.
    for (std::size_t n = 0; n < original.size(); n++) parse(name, Buf(original.begin(), original.begin() + long(n)));
    // Every single-bit flip.
    for (std::size_t i = 0; i < original.size(); i++) {
        for (int bit = 0; bit < 8; bit++) {
            Buf m = original;
            m[i] ^= std::uint8_t(1 << bit);
            parse(name, m);
        }
    }
    // Length lies at every position (so every length octet is hit): +-1, 0x80, 0xFF, and a
    // 4-octet length of 2^32-1 spliced in.
    for (std::size_t i = 0; i < original.size(); i++) {
        for (int delta : {1, -1}) {
            Buf m = original;
            m[i] = std::uint8_t(m[i] + delta);
            parse(name, m);
        }
        for (std::uint8_t v : {std::uint8_t(0x80), std::uint8_t(0xFF)}) {
            Buf m = original;
            m[i] = v;
            parse(name, m);
        }
        Buf m(original.begin(), original.begin() + long(i));
        for (std::uint8_t b : {0x84, 0xFF, 0xFF, 0xFF, 0xFF}) m.push_back(b);
        m.insert(m.end(), original.begin() + long(i) + 1, original.end());
        parse(name, m);
    }
}

}  // namespace

TEST_CASE("Robustness: DER samples under truncation, bit flips and length lies", "[asn1][robust]") {
    const char* names[] = {"rsa2048_spki.der", "rsa2048_pkcs8.der", "rsa2048_pkcs1.der", "rsa2048_pkcs1_pub.der",
                           "rsapss2048_spki.der", "rsapss2048_pkcs8.der", "p256_sec1.der", "p256_pkcs8.der",
                           "p256_spki.der", "p384_sec1.der", "p384_pkcs8.der", "p384_spki.der",
                           "x25519_pkcs8.der", "x25519_spki.der", "ed25519_pkcs8.der", "ed25519_spki.der",
                           "ecdsa_p256_sha256.sig"};
    for (const char* name : names) {
        INFO(name);
        mutate_all(name, read_file(name), parse_any);
    }
}

TEST_CASE("Robustness: PEM samples under truncation, bit flips and length lies", "[asn1][robust][pem]") {
    const char* names[] = {"p256_spki.pem", "p384_sec1.pem", "x25519_pkcs8.pem", "ed25519_spki.pem",
                           "rsa2048_pkcs1_pub.pem", "multi.pem"};
    for (const char* name : names) {
        INFO(name);
        mutate_all(name, read_file(name), parse_pem_any);
    }
}
