// SPDX-License-Identifier: Apache-2.0
// The `padlock` command line: `vectors` (Wycheproof runner) and `bench` (throughput beside OpenSSL).
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "tools/bench.hpp"
#include "tools/vectors/runner.hpp"

namespace {

namespace fs = std::filesystem;
using padlock::vectors::FileReport;

// A name without a directory part is looked up in <dir>/testvectors_v1/.
std::string resolve(const std::string& name, const std::string& dir) {
    if (name.find('/') != std::string::npos || fs::exists(name)) return name;
    return (fs::path(dir) / "testvectors_v1" / name).string();
}

int run_vectors(const std::string& dir, std::vector<std::string> files, bool as_json, bool verbose) {
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

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"padlock: a from-scratch TLS 1.3 stack. Tools for its test vectors and benchmarks."};
    app.require_subcommand(1);

    std::string dir = PADLOCK_WYCHEPROOF_DIR;
    std::vector<std::string> files;
    bool as_json = false, verbose = false;
    auto* vectors = app.add_subcommand("vectors", "Run Wycheproof test-vector files and report per-file verdicts");
    vectors->add_option("--dir", dir, "Wycheproof checkout (holds testvectors_v1/)")->capture_default_str();
    vectors->add_flag("--json", as_json, "Machine-readable report with every case");
    vectors->add_flag("-v,--verbose", verbose, "Also list acceptable cases with the decision taken");
    vectors->add_option("files", files, "Files to run (default: every file padlock knows)");
    vectors->footer("Exit status is 0 only when every case of every file passed.");

    padlock::bench::Options bench_opts;
    auto* bench = app.add_subcommand("bench", "Measure throughput, side by side with OpenSSL when built with it");
    bench->add_option("primitives", bench_opts.only, "Primitives to measure (default: all); see --list");
    bench->add_flag("--json", bench_opts.as_json, "Machine-readable output");
    bench->add_flag("--list", bench_opts.list, "List the primitive names");
    bench->add_option("--seconds", bench_opts.seconds, "Time per measurement run")->capture_default_str();

    std::string topic;
    auto* help = app.add_subcommand("help", "Show help for a command");
    help->add_option("command", topic, "Command name");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
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
    if (*vectors) return run_vectors(dir, files, as_json, verbose);
    if (*bench) return padlock::bench::run(bench_opts);
    return 0;
}
