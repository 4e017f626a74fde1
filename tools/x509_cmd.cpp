// SPDX-License-Identifier: Apache-2.0
// `padlock x509 show | verify | embed`: certificates as people and machines read them, RFC 5280 §6
// path validation against a trust store with the reason for a refusal, and a trust store compiled
// into C++ for firmware without a file system. Files: PEM (any number of blocks) or DER (one or
// more certificates back to back), told apart by a "-----BEGIN " line.
#include "tools/x509_cmd.hpp"

#include <cctype>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "asn1/pem.hpp"
#include "tools/x509_describe.hpp"
#include "x509/crl.hpp"
#include "x509/hostname.hpp"
#include "x509/path.hpp"
#include "x509/trust_store.hpp"

namespace padlock::tools {
namespace {

using json = nlohmann::ordered_json;
using x509::Certificate;
using x509::X509Error;

constexpr const char* system_bundle = "/etc/ssl/certs/ca-certificates.crt";  // Debian's ca-certificates

// A usage or input problem (not a verdict): exit status 2, like CLI11's own usage errors.
struct InputError {
    std::string message;
};

std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw InputError{"cannot open " + path};
    return std::string(std::istreambuf_iterator<char>(f), {});
}

Bytes bytes(const std::string& s) { return Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()); }

bool is_pem(const std::string& text) {
    return text.compare(0, 11, "-----BEGIN ") == 0 || text.find("\n-----BEGIN ") != std::string::npos;
}

// The DER objects of a file: PEM blocks with `label` (others are skipped, as openssl does), or
// DER elements back to back.
std::vector<std::string> read_ders(const std::string& path, const char* label) {
    const std::string text = read_file(path);
    std::vector<std::string> out;
    if (is_pem(text)) {
        std::vector<std::uint8_t> der(text.size());
        std::size_t pos = 0;
        for (std::size_t block = 0;; block++) {
            asn1::PemBlock pem;
            const asn1::Asn1Error e = asn1::pem_decode_next(bytes(text), pos, pem, MutBytes(der.data(), der.size()));
            if (e == asn1::Asn1Error::pem_not_found) break;
            if (e != asn1::Asn1Error::ok)
                throw InputError{path + ": PEM block " + std::to_string(block) + ": " + asn1::error_name(e)};
            if (std::string(pem.label.begin(), pem.label.end()) == label)
                out.emplace_back(der.begin(), der.begin() + std::ptrdiff_t(pem.der_len));
        }
    } else {
        asn1::Reader r(bytes(text));
        while (!r.empty()) {
            std::uint8_t tag = 0;
            Bytes contents, whole;
            if (r.read_any(tag, contents, &whole) != asn1::Asn1Error::ok || tag != asn1::tag::sequence)
                throw InputError{path + ": neither PEM nor DER"};
            out.emplace_back(whole.begin(), whole.end());
        }
    }
    if (out.empty()) throw InputError{path + ": no " + label + " in it"};
    return out;
}

// Certificates parsed from DER the caller keeps (`ders` must not move afterwards).
std::vector<Certificate> parse_all(const std::vector<std::string>& ders, const std::string& path) {
    std::vector<Certificate> out(ders.size());
    for (std::size_t i = 0; i < ders.size(); i++)
        if (X509Error e = x509::parse_certificate(bytes(ders[i]), out[i]); e != X509Error::ok)
            throw InputError{path + ": certificate " + std::to_string(i) + ": " + x509::error_name(e)};
    return out;
}

// A trust store sized for the file: its decoded DER fits in the file's size, its anchors in the
// number of BEGIN lines (or DER elements).
struct LoadedStore {
    std::string text;
    std::vector<std::string> ders;  // a DER file's certificates
    std::vector<std::uint8_t> der;
    std::vector<Certificate> index;
    std::unique_ptr<x509::TrustStore> store;
};
void load_store(const std::string& path, LoadedStore& s) {
    s.text = read_file(path);
    x509::Result r;
    if (is_pem(s.text)) {
        std::size_t blocks = 0;
        for (std::size_t at = 0; (at = s.text.find("-----BEGIN ", at)) != std::string::npos; at++) blocks++;
        s.der.resize(s.text.size());
        s.index.resize(blocks);
        s.store = std::make_unique<x509::TrustStore>(MutBytes(s.der.data(), s.der.size()), s.index);
        r = s.store->add_pem_bundle(bytes(s.text));
    } else {
        s.ders = read_ders(path, "CERTIFICATE");
        s.index.resize(s.ders.size());
        s.store = std::make_unique<x509::TrustStore>(MutBytes(), s.index);
        std::vector<Bytes> views;
        for (const auto& d : s.ders) views.push_back(bytes(d));
        r = s.store->add_der(views);
    }
    if (!r.ok())
        throw InputError{path + ": block " + std::to_string(r.index) + ": " + x509::error_name(r.error)};
}

// --time: seconds since 1970 ("1764662400"), or ISO 8601 UTC ("2026-12-02", "2026-12-02T07:42:43Z").
std::int64_t parse_time(const std::string& s) {
    if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos) return std::stoll(s);
    asn1::Time t;
    char z = 0;
    int n = std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &t.year, &t.month, &t.day, &t.hour, &t.minute,
                        &t.second, &z);
    const bool date_only = n == 3 && s.size() == 10;
    if (!(date_only || (n == 7 && z == 'Z' && s.size() == 20)) || t.month < 1 || t.month > 12 || t.day < 1 ||
        t.day > 31 || t.hour > 23 || t.minute > 59 || t.second > 59)
        throw InputError{"--time: '" + s + "' is neither seconds since 1970 nor YYYY-MM-DD[THH:MM:SSZ]"};
    return asn1::to_unix_seconds(t);
}

std::string unix_text(std::int64_t t) {
    const std::time_t tt = std::time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string san_list(const Certificate& c) {
    const json names = describe_certificate(c);
    std::string out;
    for (const auto& e : names["extensions"])
        if (e["name"] == "subjectAltName")
            for (const auto& n : e["names"]) out += (out.empty() ? "" : ", ") + n["type"].get<std::string>() + ":" + n["value"].get<std::string>();
    return out.empty() ? "none" : out;
}

// Why the path was refused, in words, about the certificate concerned.
std::string reason(const x509::Result& r, const Certificate* c, std::int64_t time, const std::string& host) {
    const std::string at = unix_text(time);
    switch (r.error) {
    case X509Error::certificate_expired: return "expired: notAfter " + time_text(c->not_after) + " is before " + at;
    case X509Error::certificate_not_yet_valid: return "not yet valid: notBefore " + time_text(c->not_before) + " is after " + at;
    case X509Error::unknown_issuer:
        return "unknown issuer: no trusted or untrusted certificate has the subject \"" + name_text(c->issuer) + "\"";
    case X509Error::untrusted_self_signed: return "self-signed, and not in the trust store";
    case X509Error::hostname_mismatch: return "name mismatch: " + host + " is not among its subjectAltName (" + san_list(*c) + ")";
    case X509Error::no_subject_alt_name: return "name mismatch: it has no subjectAltName (the common name is not used)";
    case X509Error::bad_signature: return "bad signature: it does not verify with its issuer's key";
    case X509Error::not_a_ca: return "not a CA: used as an issuer without basicConstraints cA";
    case X509Error::ca_not_v3: return "not a CA: a v1/v2 certificate used as an intermediate";
    case X509Error::path_length_exceeded: return "path length: more CAs below it than its pathLenConstraint allows";
    case X509Error::key_cert_sign_not_set: return "key usage: an issuer without keyCertSign";
    case X509Error::ext_key_usage_mismatch: return "extended key usage: the purpose asked for is not allowed";
    case X509Error::name_not_permitted: return "name constraints: a name outside an issuer's permitted subtrees";
    case X509Error::name_excluded: return "name constraints: a name inside an issuer's excluded subtrees";
    case X509Error::certificate_revoked: return "revoked: its serial is listed in its issuer's CRL";
    case X509Error::unknown_critical_extension: return "an unknown critical extension";
    default: return x509::error_name(r.error);
    }
}

json brief(const Certificate& c) {
    return {{"subject", name_text(c.subject)}, {"issuer", name_text(c.issuer)}, {"serial", hex(c.serial)},
            {"sha256_fingerprint", sha256_fingerprint(c.der)}};
}

struct VerifyOptions {
    std::string leaf, ca, host, ip, time, purpose = "server";
    std::vector<std::string> untrusted, crls;
    bool as_json = false;
};

int run_verify(const VerifyOptions& o) {
    // Everything the certificates view stays here until the end.
    std::vector<std::string> leaf_ders = read_ders(o.leaf, "CERTIFICATE");
    std::vector<Certificate> leaf_certs = parse_all(leaf_ders, o.leaf);
    // Certificates after the first in LEAF are untrusted intermediates (a server's chain file).
    std::vector<std::vector<std::string>> untrusted_ders;
    untrusted_ders.reserve(o.untrusted.size());  // no reallocation: certificates view these strings
    std::vector<Certificate> untrusted(leaf_certs.begin() + 1, leaf_certs.end());
    for (const auto& f : o.untrusted) {
        untrusted_ders.push_back(read_ders(f, "CERTIFICATE"));
        for (const auto& c : parse_all(untrusted_ders.back(), f)) untrusted.push_back(c);
    }
    const std::string ca = o.ca.empty() ? system_bundle : o.ca;
    LoadedStore store;
    load_store(ca, store);

    std::vector<std::vector<std::string>> crl_ders;
    crl_ders.reserve(o.crls.size());
    std::vector<x509::Crl> crls;
    for (const auto& f : o.crls) {
        crl_ders.push_back(read_ders(f, "X509 CRL"));
        for (std::size_t i = 0; i < crl_ders.back().size(); i++) {
            x509::Crl crl;
            if (X509Error e = x509::parse_crl(bytes(crl_ders.back()[i]), crl); e != X509Error::ok)
                throw InputError{f + ": CRL " + std::to_string(i) + ": " + x509::error_name(e)};
            crls.push_back(crl);
        }
    }

    std::string reference = o.host;
    if (!o.ip.empty()) {
        std::uint8_t ip[16];
        std::size_t len = 0;
        if (!x509::parse_ip_address(o.ip, ip, len)) throw InputError{"--ip: '" + o.ip + "' is not an IPv4 or IPv6 address"};
        reference = o.ip;
    }

    x509::PathInput in;
    in.leaf = &leaf_certs[0];
    in.intermediates = untrusted;
    in.anchors = store.store->anchors();
    in.time = o.time.empty() ? std::int64_t(std::time(nullptr)) : parse_time(o.time);
    in.purpose = o.purpose == "client" ? x509::Purpose::client_auth
               : o.purpose == "any"    ? x509::Purpose::any
                                       : x509::Purpose::server_auth;
    in.hostname = reference;
    in.crls = crls;
    // With --crl, every certificate but the anchor needs a usable CRL from its issuer (as openssl
    // verify -crl_check_all): a missing one is no_crl_for_certificate, not a silent pass.
    in.revocation = crls.empty() ? x509::RevocationPolicy::where_available : x509::RevocationPolicy::require;
    auto scratch = std::make_unique<x509::PathScratch>();
    const x509::Result r = x509::build_path(in, *scratch);

    json out = {{"verdict", r.ok() ? "ok" : "fail"}, {"time", unix_text(in.time)}, {"trust_store", ca},
                {"trust_store_size", store.store->size()}};
    if (r.ok()) {
        out["path"] = json::array();
        for (std::size_t i = 0; i < scratch->length; i++) out["path"].push_back(brief(*scratch->path[i]));
    } else {
        const Certificate* c = scratch->best_path[r.index];
        out["error"] = x509::error_name(r.error);
        out["index"] = r.index;
        out["reason"] = reason(r, c, in.time, reference);
        out["certificate"] = brief(*c);
        out["path_tried"] = json::array();
        for (std::size_t i = 0; i < std::max<std::size_t>(scratch->best_length, 1); i++)
            out["path_tried"].push_back(brief(*scratch->best_path[i]));
    }
    if (o.as_json) {
        std::cout << out.dump(1) << "\n";
    } else if (r.ok()) {
        std::cout << "OK: a valid path of " << scratch->length << " certificate(s) at " << out["time"].get<std::string>() << "\n";
        for (std::size_t i = 0; i < scratch->length; i++)
            std::cout << "  " << i << ": " << name_text(scratch->path[i]->subject)
                      << (i + 1 == scratch->length ? "  (trust anchor)" : "") << "\n";
    } else {
        std::cout << "FAIL: " << out["error"].get<std::string>() << " at certificate " << r.index << " ("
                  << out["certificate"]["subject"].get<std::string>() << "): " << out["reason"].get<std::string>() << "\n";
        std::cout << "  path tried:\n";
        for (const auto& p : out["path_tried"]) std::cout << "    " << p["subject"].get<std::string>() << "\n";
    }
    return r.ok() ? 0 : 1;
}

int run_show(const std::string& file, bool as_json) {
    const std::vector<std::string> ders = read_ders(file, "CERTIFICATE");
    const std::vector<Certificate> certs = parse_all(ders, file);
    json all = json::array();
    for (const auto& c : certs) all.push_back(describe_certificate(c));
    if (as_json) {
        std::cout << all.dump(1) << "\n";
        return 0;
    }
    for (std::size_t i = 0; i < all.size(); i++) {
        if (all.size() > 1) std::cout << "certificate " << i << ":\n";
        std::cout << describe_text(all[i]) << (i + 1 < all.size() ? "\n" : "");
    }
    return 0;
}

// `embed`: the bundle's DER as constant arrays (in flash on a microcontroller) and the
// EmbeddedBundle that TrustStore::add_embedded reads. The bundle is loaded through TrustStore first,
// so what is embedded is known to load.
int run_embed(const std::string& bundle, const std::string& out_path, const std::string& name) {
    if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') ||
        name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != std::string::npos)
        throw InputError{"--name: '" + name + "' is not a C++ identifier"};
    LoadedStore store;
    load_store(bundle, store);
    std::string src;
    src += "// Generated by `padlock x509 embed` from " + std::filesystem::path(bundle).filename().string() + ": " +
           std::to_string(store.store->size()) + " certificates, " ;
    std::size_t total = 0;
    for (const auto& c : store.store->anchors()) total += c.der.size();
    src += std::to_string(total) + " bytes of DER. Do not edit; regenerate.\n";
    src += "// Use: extern const padlock::x509::EmbeddedBundle " + name + "; then TrustStore::add_embedded(" + name +
           ") into an index of " + name + "_count Certificates (x509/trust_store.hpp).\n";
    src += "#include <cstddef>\n#include <cstdint>\n\n#include \"x509/trust_store.hpp\"\n\nnamespace {\n\n";
    std::size_t i = 0;
    for (const auto& c : store.store->anchors()) {
        src += "// " + std::to_string(i) + ": " + name_text(c.subject) + "\n//    SHA-256 " + sha256_fingerprint(c.der) + "\n";
        src += "constexpr std::uint8_t der_" + std::to_string(i) + "[] = {";
        for (std::size_t k = 0; k < c.der.size(); k++) {
            char b[8];
            std::snprintf(b, sizeof b, "0x%02x,", c.der[k]);
            src += (k % 16 == 0 ? "\n    " : " ") + std::string(b);
        }
        src += "\n};\n";
        i++;
    }
    src += "\nconstexpr padlock::Bytes certificates[] = {\n";
    for (std::size_t k = 0; k < i; k++) src += "    padlock::Bytes(der_" + std::to_string(k) + ", sizeof der_" + std::to_string(k) + "),\n";
    src += "};\n\n}  // namespace\n\n";
    src += "extern const std::size_t " + name + "_count;\nconst std::size_t " + name + "_count = " + std::to_string(i) + ";\n";
    src += "extern const padlock::x509::EmbeddedBundle " + name + ";\nconstinit const padlock::x509::EmbeddedBundle " + name +
           " = {certificates, " + std::to_string(total) + "};\n";
    if (out_path.empty() || out_path == "-") {
        std::cout << src;
    } else {
        std::ofstream f(out_path, std::ios::binary);
        f << src;
        if (!f.flush()) throw InputError{"cannot write " + out_path};
    }
    return 0;
}

}  // namespace

void add_x509_command(CLI::App& app, int& exit_status) {
    auto* x509 = app.add_subcommand("x509", "Show, verify and embed X.509 certificates");
    x509->require_subcommand(1);
    auto guarded = [&exit_status](auto run) {
        return [&exit_status, run]() {
            try {
                exit_status = run();
            } catch (const InputError& e) {
                std::cerr << "padlock x509: " << e.message << "\n";
                exit_status = 2;
            }
        };
    };

    static std::string show_file;
    static bool show_json = false;
    auto* show = x509->add_subcommand("show", "Print every field and extension of each certificate in FILE (PEM or DER)");
    show->add_option("file", show_file, "Certificate file: PEM (one or more blocks) or DER")->required();
    show->add_flag("--json", show_json, "Machine-readable output: an array, one object per certificate");
    show->callback(guarded([] { return run_show(show_file, show_json); }));

    static VerifyOptions v;
    auto* verify = x509->add_subcommand("verify", "Build and validate a certification path (RFC 5280 §6) for LEAF");
    verify->add_option("leaf", v.leaf, "The certificate to verify (further certificates in the file are untrusted intermediates)")
        ->required();
    verify->add_option("--untrusted", v.untrusted, "Intermediate certificates, any order (repeatable)")->allow_extra_args(false);
    verify->add_option("--ca", v.ca, std::string("Trust anchors, a PEM bundle or DER (default: ") + system_bundle + ")");
    auto* host = verify->add_option("--host", v.host, "DNS name the leaf must carry in its subjectAltName (RFC 9525)");
    verify->add_option("--ip", v.ip, "IPv4/IPv6 address the leaf must carry as an iPAddress SAN")->excludes(host);
    verify->add_option("--time", v.time, "Validation time: seconds since 1970 or YYYY-MM-DD[THH:MM:SSZ] (default: now)");
    verify->add_option("--purpose", v.purpose, "Extended key usage asked of the leaf")
        ->check(CLI::IsMember({"server", "client", "any"}))->capture_default_str();
    verify->add_option("--crl", v.crls, "A CRL (PEM or DER) to check revocation against (repeatable)")->allow_extra_args(false);
    verify->add_flag("--json", v.as_json, "Machine-readable verdict");
    verify->footer("Exit status: 0 for a valid path, 1 when validation fails, 2 for unreadable input.");
    verify->callback(guarded([] { return run_verify(v); }));

    static std::string embed_bundle, embed_out, embed_name = "padlock_trust_anchors";
    auto* embed = x509->add_subcommand("embed", "Write a C++ source holding BUNDLE's certificates as constant data");
    embed->add_option("bundle", embed_bundle, "PEM bundle or DER certificates")->required();
    embed->add_option("-o,--output", embed_out, "Output file (default: standard output)");
    embed->add_option("--name", embed_name, "Name of the EmbeddedBundle it defines")->capture_default_str();
    embed->callback(guarded([] { return run_embed(embed_bundle, embed_out, embed_name); }));
}

}  // namespace padlock::tools
