// SPDX-License-Identifier: Apache-2.0
// tls/certificate: the RFC 8446 §4.4.2 Certificate message written and parsed back (empty, RFC 8448's,
// a 3-certificate chain), and the peer's chain verified on the chains tests/x509/gen_chains.sh makes
// with openssl (the same ones test_x509_path checks against `openssl verify`): each refusal with its
// §6.2 alert and the x509 reason underneath.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "tests/rfc8448_trace.hpp"
#include "tests/support.hpp"
#include "tls/certificate.hpp"

#ifndef PADLOCK_X509_CHAINS_DIR
#error "PADLOCK_X509_CHAINS_DIR (where gen_chains.sh wrote the chains) comes from tests/meson.build"
#endif

using namespace padlock;
using namespace padlock::test;
using namespace padlock::tls;

namespace {

const std::string dir = PADLOCK_X509_CHAINS_DIR;

// DER files by name, kept for the whole run (x509 certificates are views into them).
const Buf& der(const std::string& name) {
    static std::map<std::string, Buf> m;
    if (!m.count(name)) {
        std::ifstream f(dir + "/" + name + ".der", std::ios::binary);
        INFO("certificate " << name);
        REQUIRE(f.good());
        m[name] = Buf(std::istreambuf_iterator<char>(f), {});
    }
    return m[name];
}

// The validation time gen_chains.sh used (its first line: "time T").
std::int64_t chains_time() {
    std::ifstream f(dir + "/cases.txt");
    REQUIRE(f.good());
    std::string word;
    std::int64_t t = 0;
    f >> word >> t;
    REQUIRE(word == "time");
    return t;
}

// A whole Certificate message (header included) over the named DER files, written by write_certificate.
Buf message_of(const std::vector<std::string>& names, Bytes context = {}) {
    std::vector<Bytes> chain;
    for (const auto& n : names) chain.push_back(der(n));
    Buf out(65536);
    ByteWriter w(out);
    const auto m = begin_handshake(w, HandshakeType::certificate);
    REQUIRE(write_certificate(w, context, chain) == TlsError::ok);
    end_handshake(w, m);
    std::size_t len = 0;
    REQUIRE(w.finish(len));
    out.resize(len);
    return out;
}

// The parsed message is a view into `msg`: keep msg alive as long as the result.
Certificate parse(const Buf& msg) {
    Certificate c;
    REQUIRE(parse_certificate(Bytes(msg).subspan(handshake_header_size), c) == TlsError::ok);
    return c;
}

// The trust anchors of the run: x509 views into der(name).
std::vector<x509::Certificate> anchors(const std::vector<std::string>& names) {
    std::vector<x509::Certificate> out;
    for (const auto& n : names) {
        x509::Certificate c;
        REQUIRE(x509::parse_certificate(der(n), c) == x509::X509Error::ok);
        out.push_back(c);
    }
    return out;
}

struct Verdict {
    TlsError error;
    x509::Result x509;
    std::size_t count;
    std::size_t path_length;
};
Verdict verify(const std::vector<std::string>& sent, const std::vector<std::string>& roots,
               Role peer = Role::server, std::string_view hostname = "www.example.com",
               const std::vector<std::string>& crl_names = {},
               x509::RevocationPolicy revocation = x509::RevocationPolicy::where_available) {
    const Buf msg = message_of(sent);
    const Certificate c = parse(msg);
    const auto trust = anchors(roots);
    std::vector<x509::Crl> crls;
    for (const auto& n : crl_names) {
        x509::Crl crl;
        REQUIRE(x509::parse_crl(der(n + ".crl"), crl) == x509::X509Error::ok);
        crls.push_back(crl);
    }
    PeerCertificatePolicy policy;
    policy.verify = asn1::verify_signature;
    policy.peer = peer;
    policy.anchors = trust;
    policy.time = chains_time();
    policy.hostname = hostname;
    policy.crls = crls;
    policy.revocation = revocation;
    static PeerChain chain;  // about 9 KB: kept off the test's stack
    const TlsError e = verify_peer_certificate(c, {}, policy, chain);
    return {e, chain.x509, chain.count, chain.path.length};
}

}  // namespace

TEST_CASE("§4.4.2 Certificate messages: written, parsed back, RFC 8448's re-encoded", "[tls][certificate]") {
    SECTION("an empty chain (a client without a certificate, §4.4.2.4)") {
        const Buf ctx = {0x01, 0x02};
        Buf out(64);
        ByteWriter w(out);
        const auto m = begin_handshake(w, HandshakeType::certificate);
        REQUIRE(write_certificate(w, ctx, {}) == TlsError::ok);
        end_handshake(w, m);
        std::size_t len = 0;
        REQUIRE(w.finish(len));
        // 0b 000007 | 02 0102 | 000000
        CHECK(hex(Bytes(out).first(len)) == "0b000006020102000000");
        const Buf msg(out.begin(), out.begin() + std::ptrdiff_t(len));
        const Certificate c = parse(msg);
        CHECK(hex(c.context) == "0102");
        CHECK(c.entries.empty());
    }
    SECTION("a 3-certificate chain, leaf first") {
        const std::vector<std::string> names = {"leaf4", "i2", "i1"};
        const Buf msg = message_of(names);
        const Certificate c = parse(msg);
        CHECK(c.context.empty());
        CertificateEntries entries{ByteReader(c.entries)};
        Bytes d;
        Extensions ext;
        std::size_t i = 0;
        while (entries.next(d, ext)) {
            REQUIRE(i < names.size());
            CHECK(hex(d) == hex(der(names[i])));
            CHECK(ext.block.empty());
            i++;
        }
        CHECK(i == 3);
        std::size_t total = 4 + 1 + 3;
        for (const auto& n : names) total += 3 + der(n).size() + 2;
        CHECK(msg.size() == total);
    }
    SECTION("RFC 8448 §3's Certificate message, rebuilt from its certificate") {
        const Buf trace_msg = trace_message("simple_1rtt.json", "server", "Certificate");
        const Certificate c = parse(trace_msg);
        CertificateEntries entries{ByteReader(c.entries)};
        Bytes d;
        Extensions ext;
        REQUIRE(entries.next(d, ext));
        const Bytes chain[] = {d};
        Buf out(trace_msg.size());
        ByteWriter w(out);
        const auto m = begin_handshake(w, HandshakeType::certificate);
        REQUIRE(write_certificate(w, {}, chain) == TlsError::ok);
        end_handshake(w, m);
        std::size_t len = 0;
        REQUIRE(w.finish(len));
        CHECK(hex(Bytes(out).first(len)) == hex(trace_msg));
        // One octet short: the writer fails, sticky.
        Buf small(trace_msg.size() - 1);
        ByteWriter ws(small);
        const auto ms = begin_handshake(ws, HandshakeType::certificate);
        REQUIRE(write_certificate(ws, {}, chain) == TlsError::ok);
        end_handshake(ws, ms);
        CHECK_FALSE(ws.finish(len));
    }
    SECTION("an empty DER is refused before anything is written") {
        const Bytes chain[] = {der("leaf2"), Bytes()};
        Buf out(4096);
        ByteWriter w(out);
        CHECK(write_certificate(w, {}, chain) == TlsError::api_misuse);
        CHECK(w.size() == 0);
    }
}

TEST_CASE("peer chains: accepted, and each refusal with its §6.2 alert and x509 reason", "[tls][certificate]") {
    struct Case {
        const char* name;
        std::vector<std::string> sent, roots;
        Role peer;
        const char* hostname;
        TlsError error;
        AlertDescription alert;
        x509::X509Error reason;
        std::size_t index;
    };
    using A = AlertDescription;
    using X = x509::X509Error;
    const Case cases[] = {
        {"depth 4", {"leaf4", "i2", "i1"}, {"root"}, Role::server, "www.example.com", TlsError::ok, A::close_notify, X::ok, 0},
        {"unordered extras", {"leaf4", "oldroot", "i1", "leaf2", "i2"}, {"root"}, Role::server, "WWW.example.com.", TlsError::ok, A::close_notify, X::ok, 0},
        {"root sent too", {"leaf3", "i1", "root"}, {"root"}, Role::server, "www.example.com", TlsError::ok, A::close_notify, X::ok, 0},
        {"expired leaf", {"leaf_exp", "i1"}, {"root"}, Role::server, "www.example.com", TlsError::certificate_expired, A::certificate_expired, X::certificate_expired, 0},
        {"expired intermediate", {"leaf3", "i1_exp"}, {"root"}, Role::server, "www.example.com", TlsError::certificate_expired, A::certificate_expired, X::certificate_expired, 1},
        {"leaf not yet valid", {"leaf_future", "i1"}, {"root"}, Role::server, "www.example.com", TlsError::certificate_expired, A::certificate_expired, X::certificate_not_yet_valid, 0},
        {"unknown issuer", {"leaf3"}, {"root"}, Role::server, "www.example.com", TlsError::certificate_untrusted, A::unknown_ca, X::unknown_issuer, 0},
        {"untrusted self-signed", {"selfleaf"}, {"root"}, Role::server, "www.example.com", TlsError::certificate_untrusted, A::unknown_ca, X::untrusted_self_signed, 0},
        {"name mismatch", {"leaf3", "i1"}, {"root"}, Role::server, "www.example.org", TlsError::certificate_corrupt, A::bad_certificate, X::hostname_mismatch, 0},
        {"bad signature", {"leaf_badsig", "i1"}, {"root"}, Role::server, "www.example.com", TlsError::certificate_corrupt, A::bad_certificate, X::bad_signature, 0},
        {"client EKU from a server", {"leaf_client", "i1"}, {"root"}, Role::server, "www.example.com", TlsError::certificate_rejected, A::certificate_unknown, X::ext_key_usage_mismatch, 0},
        {"client EKU from a client", {"leaf_client", "i1"}, {"root"}, Role::client, "", TlsError::ok, A::close_notify, X::ok, 0},
        {"server EKU from a client", {"leaf3", "i1"}, {"root"}, Role::client, "", TlsError::certificate_rejected, A::certificate_unknown, X::ext_key_usage_mismatch, 0},
        {"not a CA", {"leaf3", "i1_noca"}, {"root"}, Role::server, "www.example.com", TlsError::certificate_rejected, A::certificate_unknown, X::not_a_ca, 1},
        {"unknown critical extension", {"leaf_crit", "i1"}, {"root"}, Role::server, "www.example.com", TlsError::certificate_unsupported, A::unsupported_certificate, X::unknown_critical_extension, 0},
        {"name constraints", {"nc_dns", "i1_nc"}, {"root"}, Role::server, "www.example.org", TlsError::certificate_rejected, A::certificate_unknown, X::name_not_permitted, 0},
        {"keyUsage without digitalSignature", {"leaf_kenc", "i1"}, {"root"}, Role::server, "www.example.com", TlsError::certificate_key_usage, A::unsupported_certificate, X::ok, 0},
    };
    for (const Case& c : cases) {
        INFO("case " << c.name);
        const Verdict v = verify(c.sent, c.roots, c.peer, c.hostname);
        CHECK(error_name(v.error) == std::string(error_name(c.error)));
        CHECK(x509::error_name(v.x509.error) == std::string(x509::error_name(c.reason)));
        if (c.error != TlsError::ok) {
            CHECK(alert_for(v.error) == c.alert);
            CHECK(v.x509.index == c.index);
            CHECK(v.count == 0);
        } else {
            CHECK(v.count == c.sent.size());
            CHECK(v.path_length >= 2);
        }
    }
}

TEST_CASE("peer chains against CRLs (RFC 5280 §6.3): revoked gives certificate_revoked", "[tls][certificate][crl]") {
    using R = x509::RevocationPolicy;
    const std::vector<std::string> chain = {"leaf3", "i1"}, root = {"root"};
    // gen_chains.sh's CRLs: crl_i1_rev_leaf (I1's, listing leaf3), crl_i1 and crl_root (listing nobody).
    Verdict v = verify(chain, root, Role::server, "www.example.com", {"crl_i1_rev_leaf", "crl_root"});
    INFO(error_name(v.error) << " " << x509::error_name(v.x509.error));
    CHECK(v.error == TlsError::certificate_revoked);
    CHECK(alert_for(v.error) == AlertDescription::certificate_revoked);
    CHECK(v.x509.error == x509::X509Error::certificate_revoked);
    CHECK(v.x509.index == 0);
    CHECK(v.count == 0);
    v = verify(chain, root, Role::server, "www.example.com", {"crl_i1", "crl_root"}, R::require);
    CHECK(v.error == TlsError::ok);
    CHECK(v.path_length == 3);
    // Required but not available: refused, not passed.
    v = verify(chain, root, Role::server, "www.example.com", {"crl_root"}, R::require);
    CHECK(v.error != TlsError::ok);
    CHECK(v.x509.error == x509::X509Error::no_crl_for_certificate);
    // Without CRLs, where_available checks nothing: the revoked leaf passes (the caller's choice).
    CHECK(verify(chain, root).error == TlsError::ok);
}

TEST_CASE("peer Certificate messages refused before path validation", "[tls][certificate]") {
    const auto trust = anchors({"root"});
    PeerCertificatePolicy policy;
    policy.verify = asn1::verify_signature;
    policy.anchors = trust;
    policy.time = chains_time();
    policy.hostname = "www.example.com";
    static PeerChain chain;

    SECTION("§4.4.2 certificate_request_context") {
        const Buf ctx = {0x2a};
        const Buf with_ctx_msg = message_of({"leaf3", "i1"}, ctx);
        const Certificate with_ctx = parse(with_ctx_msg);
        CHECK(verify_peer_certificate(with_ctx, {}, policy, chain) == TlsError::certificate_context_mismatch);
        CHECK(alert_for(TlsError::certificate_context_mismatch) == AlertDescription::illegal_parameter);
        policy.peer = Role::client;
        CHECK(verify_peer_certificate(with_ctx, ctx, policy, chain) == TlsError::certificate_rejected);  // server EKU
        const Buf other = {0x2b};
        CHECK(verify_peer_certificate(with_ctx, other, policy, chain) == TlsError::certificate_context_mismatch);
        const Buf without_msg = message_of({"leaf_client", "i1"});
        const Certificate without = parse(without_msg);
        CHECK(verify_peer_certificate(without, ctx, policy, chain) == TlsError::certificate_context_mismatch);
    }
    SECTION("§4.4.2.4 empty lists") {
        const Buf empty_msg = message_of({});
        const Certificate empty = parse(empty_msg);
        CHECK(verify_peer_certificate(empty, {}, policy, chain) == TlsError::certificate_empty);
        CHECK(alert_for(TlsError::certificate_empty) == AlertDescription::decode_error);
        policy.peer = Role::client;
        CHECK(verify_peer_certificate(empty, {}, policy, chain) == TlsError::certificate_missing);
        CHECK(alert_for(TlsError::certificate_missing) == AlertDescription::certificate_required);
        policy.require_client_certificate = false;
        CHECK(verify_peer_certificate(empty, {}, policy, chain) == TlsError::ok);
        CHECK(chain.count == 0);
    }
    SECTION("an entry that is not a certificate: bad_certificate, with its position") {
        Buf junk = der("i1");
        junk[junk.size() / 2] ^= 0x01;  // in the signed part or the signature: parses or not, never accepted
        Buf truncated = der("i1");
        truncated.pop_back();
        const Bytes chain_der[] = {der("leaf3"), truncated};
        Buf out(8192);
        ByteWriter w(out);
        const auto m = begin_handshake(w, HandshakeType::certificate);
        REQUIRE(write_certificate(w, {}, chain_der) == TlsError::ok);
        end_handshake(w, m);
        std::size_t len = 0;
        REQUIRE(w.finish(len));
        const Buf msg(out.begin(), out.begin() + std::ptrdiff_t(len));
        const Certificate c = parse(msg);
        CHECK(verify_peer_certificate(c, {}, policy, chain) == TlsError::certificate_corrupt);
        CHECK(chain.x509.index == 1);
        CHECK(chain.x509.error == x509::X509Error::malformed_certificate);
        CHECK(chain.count == 0);

        const Bytes flipped[] = {der("leaf3"), junk};
        ByteWriter w2(out);
        const auto m2 = begin_handshake(w2, HandshakeType::certificate);
        REQUIRE(write_certificate(w2, {}, flipped) == TlsError::ok);
        end_handshake(w2, m2);
        REQUIRE(w2.finish(len));
        const Buf msg2(out.begin(), out.begin() + std::ptrdiff_t(len));
        const Certificate c2 = parse(msg2);
        const TlsError e = verify_peer_certificate(c2, {}, policy, chain);
        CHECK(e != TlsError::ok);
        CHECK(chain.x509.error != x509::X509Error::ok);
    }
    SECTION("more entries than max_peer_certificates") {
        std::vector<std::string> many(max_peer_certificates + 1, "i1");
        many[0] = "leaf3";
        const Buf c_msg = message_of(many);
        const Certificate c = parse(c_msg);
        CHECK(verify_peer_certificate(c, {}, policy, chain) == TlsError::certificate_chain_too_long);
        many.pop_back();
        const Buf fits_msg = message_of(many);
        const Certificate fits = parse(fits_msg);
        CHECK(verify_peer_certificate(fits, {}, policy, chain) == TlsError::ok);
    }
    SECTION("a server certificate without a name to check is the caller's error") {
        const Buf c_msg = message_of({"leaf3", "i1"});
        const Certificate c = parse(c_msg);
        policy.hostname = "";
        CHECK(verify_peer_certificate(c, {}, policy, chain) == TlsError::api_misuse);
        policy.hostname = "not a name!";
        CHECK(verify_peer_certificate(c, {}, policy, chain) == TlsError::api_misuse);
    }
}

TEST_CASE("every x509 refusal maps onto a certificate alert", "[tls][certificate]") {
    for (unsigned v = 1; v <= unsigned(x509::X509Error::rng_failure); v++) {
        const auto e = x509::X509Error(v);
        INFO(x509::error_name(e));
        const TlsError t = certificate_error_for(e);
        const AlertDescription a = alert_for(t);
        // Errors of our own making (the name we check, buffers, the trust store, the builder).
        using X = x509::X509Error;
        if (e == X::bad_reference_identifier || e >= X::not_a_certificate) {
            CHECK(a == AlertDescription::internal_error);
        } else {
            CHECK((a == AlertDescription::bad_certificate || a == AlertDescription::unsupported_certificate ||
                   a == AlertDescription::certificate_expired || a == AlertDescription::certificate_unknown ||
                   a == AlertDescription::unknown_ca || a == AlertDescription::certificate_revoked));
        }
    }
    CHECK(certificate_error_for(x509::X509Error::ok) == TlsError::ok);
    CHECK(alert_for(certificate_error_for(x509::X509Error::certificate_revoked)) == AlertDescription::certificate_revoked);
    CHECK(alert_for(certificate_error_for(x509::X509Error::crl_expired)) == AlertDescription::certificate_unknown);
}
