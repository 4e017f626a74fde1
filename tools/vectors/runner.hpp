// SPDX-License-Identifier: Apache-2.0
// Wycheproof runner: reads one test-vector file, hands every case to the driver for its schema,
// and counts the verdicts honestly (GUIDE.md "Tests"):
//   valid      -> we must accept, and our output must equal the expected one
//   invalid    -> we must reject
//   acceptable -> either; counted apart, with the decision we took (a wrong output still fails)
// A missing or empty file, an unknown schema, or a driver that throws counts as failure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace padlock::vectors {

using json = nlohmann::json;

// What one driver call saw: the whole file (for "algorithm"), the group and the test case.
struct Case {
    const json& file;
    const json& group;
    const json& test;
};

// A driver's answer for one case. `output_ok` matters only when the case was accepted and has an
// expected output (a valid case whose output differs is a failure). `note` says why we rejected or
// what we decided, e.g. "unsupported IV size: rejected".
struct Verdict {
    bool accepted = false;
    bool output_ok = true;
    std::string note;
};

using Driver = Verdict (*)(const Case&);

struct CaseReport {
    int tc_id = 0;
    std::string expected;              // "valid", "invalid" or "acceptable"
    bool accepted = false;
    bool passed = false;               // meaningless for acceptable cases that did not fail
    std::string note;
    std::string comment;
    std::vector<std::string> flags;
};

struct FileReport {
    std::string path, algorithm, schema;
    std::size_t cases = 0, passed = 0, failed = 0, acceptable = 0;
    std::string error;                 // file-level failure (missing file, unknown schema, ...)
    std::vector<CaseReport> results;
    bool ok() const { return error.empty() && failed == 0 && cases > 0; }
};

// Runs one file with the driver registered for its schema (registry.cpp).
FileReport run_file(const std::string& path);
// Runs one file with the given driver.
FileReport run_file(const std::string& path, Driver driver);

// The driver for a schema name, or nullptr. Defined in registry.cpp.
Driver find_driver(const std::string& schema);
// The files `padlock vectors` runs when none are named (relative to testvectors_v1/).
const std::vector<std::string>& known_files();

// Helpers for drivers.
std::vector<std::uint8_t> hex(const json& s);          // a hex string field as bytes (throws on bad hex)
bool has_flag(const json& test, const char* flag);
json file_report_json(const FileReport& r, bool with_cases);

}  // namespace padlock::vectors
