// SPDX-License-Identifier: Apache-2.0
// The `padlock` command line: `vectors` (Wycheproof runner), `bench` (throughput beside OpenSSL),
// `hash`, and the commands registered from their own files (`x509`: tools/x509_cmd.cpp).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "crypto/detail/cpu_testing.hpp"
#include "crypto/hash/hash.hpp"
#include "tools/bench.hpp"
#include "tools/data_dir.hpp"
#include "tools/demo_cmd.hpp"
#include "tools/tls_cmd.hpp"
#include "tools/vectors/runner.hpp"
#include "tools/x509_cmd.hpp"
#include "tools/x509_new_cmd.hpp"

namespace {

namespace fs = std::filesystem;
using padlock::vectors::FileReport;

// A name without a directory part is looked up in <dir>/testvectors_v1/.
std::string resolve(const std::string& name, const std::string& dir) {
    if (name.find('/') != std::string::npos || fs::exists(name)) return name;
    return (fs::path(dir) / "testvectors_v1" / name).string();
}

int run_vectors(const std::string& dir, std::vector<std::string> files, bool as_json, bool verbose) {
    if (dir.empty()) {
        std::cerr << "padlock vectors: no Wycheproof copy found; pass --dir (see: padlock help vectors)\n";
        return 1;
    }
    if (files.empty()) files = padlock::vectors::known_files();
    std::vector<FileReport> reports;
    std::size_t cases = 0, passed = 0, failed = 0, acceptable = 0, bad_files = 0;
    for (const auto& f : files) {
        reports.push_back(padlock::vectors::run_file(resolve(f, dir)));
        const FileReport& r = reports.back();
        cases += r.cases, passed += r.passed, failed += r.failed, acceptable += r.acceptable;
        bad_files += r.ok() ? 0 : 1;
    }
    if (as_json) {
        nlohmann::json out = {{"files", nlohmann::json::array()}};
        for (const auto& r : reports) out["files"].push_back(padlock::vectors::file_report_json(r, true));
        out["total"] = {{"files", reports.size()}, {"failed_files", bad_files}, {"cases", cases},
                        {"passed", passed}, {"failed", failed}, {"acceptable", acceptable}};
        std::cout << out.dump(1) << "\n";
    } else {
        std::printf("%-20s %7s %7s %7s %10s  %s\n", "algorithm", "cases", "passed", "failed", "acceptable", "file");
        for (const auto& r : reports) {
            std::printf("%-20s %7zu %7zu %7zu %10zu  %s\n", r.algorithm.c_str(), r.cases, r.passed, r.failed,
                        r.acceptable, fs::path(r.path).filename().c_str());
            if (!r.error.empty()) std::printf("  error: %s\n", r.error.c_str());
            for (const auto& c : r.results) {
                bool show = !c.passed || (verbose && c.expected == "acceptable");
                if (!show) continue;
                std::printf("  %s tcId %d (%s, %s): %s%s%s\n", c.passed ? "acceptable" : "FAIL", c.tc_id,
                            c.expected.c_str(), c.accepted ? "accepted" : "rejected", c.comment.c_str(),
                            c.note.empty() ? "" : " -- ", c.note.c_str());
            }
        }
        std::printf("%-20s %7zu %7zu %7zu %10zu  %zu file(s), %zu failing\n", "total", cases, passed, failed,
                    acceptable, reports.size(), bad_files);
    }
    return bad_files == 0 ? 0 : 1;
}

// `padlock hash`: prints "<hex digest>  <file>" per file, the format of coreutils' sha256sum.
int run_hash(padlock::HashAlg alg, const std::vector<std::string>& files) {
    int status = 0;
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        if (!in) {
            std::cerr << "padlock hash: cannot open " << f << "\n";
            status = 1;
            continue;
        }
        padlock::AnyHash h(alg);
        std::vector<std::uint8_t> buf(1 << 16);
        while (in) {
            in.read(reinterpret_cast<char*>(buf.data()), std::streamsize(buf.size()));
            h.update(padlock::Bytes(buf.data(), std::size_t(in.gcount())));
        }
        std::uint8_t digest[padlock::max_digest_size];
        if (h.final(padlock::MutBytes(digest, h.size())) != padlock::CryptoError::ok) {
            std::cerr << "padlock hash: internal error finishing " << f << "\n";
            status = 1;
            continue;
        }
        for (std::size_t i = 0; i < h.size(); i++) std::printf("%02x", digest[i]);
        std::printf("  %s\n", f.c_str());
    }
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"padlock: a from-scratch TLS 1.3 stack. Tools for its test vectors and benchmarks."};
    app.require_subcommand(1);
    app.footer("Exit status: 0 on success, 1 when a command fails or a verdict is negative,\n"
               "2 for a usage error (unknown command or option, a missing or invalid argument),\n"
               "77 when --backend names one this CPU or build lacks (not run).");

    const std::string vectors_dir = padlock::tools::vectors_dir();
    std::string dir = vectors_dir.empty() ? std::string() : vectors_dir + "/wycheproof";
    std::string backend;
    std::vector<std::string> backend_names;
    for (const auto& b : padlock::cpu::backends) backend_names.push_back(b.name);
    std::vector<std::string> files;
    bool as_json = false, verbose = false;
    auto* vectors = app.add_subcommand("vectors", "Run Wycheproof test-vector files and report per-file verdicts");
    vectors->add_option("--dir", dir, "Wycheproof checkout (holds testvectors_v1/)")->capture_default_str();
    vectors->add_flag("--json", as_json, "Machine-readable report with every case");
    vectors->add_flag("-v,--verbose", verbose, "Also list acceptable cases with the decision taken");
    vectors->add_option("files", files, "Files to run (default: every file padlock knows)");
    vectors->add_option("--backend", backend,
                        "Cap the library at one accelerated backend (default: the best this CPU has)")
        ->check(CLI::IsMember(backend_names));
    std::string where = "Without --dir, the Wycheproof copy is read from <vectors>/wycheproof, where <vectors> is the\n"
                        "first of these directories that holds wycheproof/testvectors_v1:\n";
    for (const auto& d : padlock::tools::vectors_dir_candidates()) where += "  " + d + "\n";
    vectors->footer(where + "A file name without a directory part is looked up in <dir>/testvectors_v1/.\n"
                    "Exit status is 0 only when every case of every file passed; 77 when --backend names one\n"
                    "this CPU or build lacks (not run).");

    padlock::bench::Options bench_opts;
    auto* bench = app.add_subcommand("bench", "Measure throughput, side by side with OpenSSL when built with it");
    bench->add_option("primitives", bench_opts.only, "Primitives to measure (default: all); see --list");
    bench->add_flag("--json", bench_opts.as_json, "Machine-readable output");
    bench->add_flag("--list", bench_opts.list, "List the primitive names");
    bench->add_option("--seconds", bench_opts.seconds, "Time per measurement run")->capture_default_str();
    bench->add_option("--backend", backend, "Cap the library at one accelerated backend (default: the best)")
        ->check(CLI::IsMember(backend_names));

    std::string hash_alg = "sha256";
    std::vector<std::string> hash_files;
    const std::map<std::string, padlock::HashAlg> hash_names = {
        {"sha1", padlock::HashAlg::sha1}, {"sha224", padlock::HashAlg::sha224}, {"sha256", padlock::HashAlg::sha256},
        {"sha384", padlock::HashAlg::sha384}, {"sha512", padlock::HashAlg::sha512}};
    auto* hash = app.add_subcommand("hash", "Print the digest of each file (sha256sum format)");
    hash->add_option("--alg", hash_alg, "Hash algorithm")
        ->check(CLI::IsMember({"sha1", "sha224", "sha256", "sha384", "sha512"}))->capture_default_str();
    hash->add_option("files", hash_files, "Files to hash")->required()->check(CLI::ExistingFile);

    // Commands defined in their own files set the exit status from their callbacks.
    int status = 0;
    padlock::tools::add_x509_command(app, status);
    padlock::tools::add_x509_new_command(*app.get_subcommand("x509"));
    padlock::tools::add_demo_command(app);
    padlock::tools::add_tls_commands(app, status);

    std::string topic;
    auto* help = app.add_subcommand("help", "Show help for a command");
    help->add_option("command", topic, "Command name");

    // CLI11 would report an unknown command as "A subcommand is required"; name it instead.
    if (argc > 1 && argv[1][0] != '-') {
        auto subs = app.get_subcommands([&](CLI::App* sub) { return sub->get_name() == argv[1]; });
        if (subs.empty()) {
            std::string names;
            for (auto* sub : app.get_subcommands({})) names += (names.empty() ? "" : ", ") + sub->get_name();
            std::cerr << "padlock: unknown command '" << argv[1] << "' (commands: " << names << ")\n"
                      << "Run with --help for more information.\n";
            return 2;
        }
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::RuntimeError& e) {
        return app.exit(e);  // a command's own failure, carrying its exit status
    } catch (const CLI::ParseError& e) {
        // --help/--version exit 0; every argument error (a missing required argument, an unknown
        // option, a value that fails its check) exits with the usage-error status 2, as an unknown
        // command does, rather than CLI11's per-kind codes (106, 109, ...).
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    if (*help) {
        if (topic.empty()) {
            std::cout << app.help();
            return 0;
        }
        for (auto* sub : app.get_subcommands({}))
            if (sub->get_name() == topic) {
                std::cout << sub->help();
                return 0;
            }
        std::cerr << "padlock: unknown command '" << topic << "' (try: padlock --help)\n";
        return 2;
    }
    // --backend caps the library at one backend (crypto/cpu.hpp); one this CPU lacks is not run.
    for (const auto& b : padlock::cpu::backends) {
        if (backend != b.name) continue;
        if (!padlock::cpu::supported(b)) {
            std::printf("backend %s: not run (this CPU or build lacks its instructions)\n", b.name);
            return 77;
        }
        padlock::cpu::restrict_for_testing(b.features);
        if (!as_json && !bench_opts.as_json) std::printf("backend %s\n", b.name);
    }
    if (*vectors) return run_vectors(dir, files, as_json, verbose);
    if (*hash) return run_hash(hash_names.at(hash_alg), hash_files);
    if (*bench) return padlock::bench::run(bench_opts);
    return status;
}
