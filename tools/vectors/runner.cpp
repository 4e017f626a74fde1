// SPDX-License-Identifier: Apache-2.0
// Wycheproof runner core: file loading, counting, reports. See runner.hpp for the counting rules.
#include "tools/vectors/runner.hpp"

#include <exception>
#include <fstream>
#include <stdexcept>

namespace padlock::vectors {

std::vector<std::uint8_t> hex(const json& s) {
    const std::string& str = s.get_ref<const std::string&>();
    if (str.size() % 2) throw std::runtime_error("odd-length hex");
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        throw std::runtime_error("bad hex digit");
    };
    std::vector<std::uint8_t> out(str.size() / 2);
    for (std::size_t i = 0; i < out.size(); i++)
        out[i] = std::uint8_t(nibble(str[2 * i]) << 4 | nibble(str[2 * i + 1]));
    return out;
}

bool has_flag(const json& test, const char* flag) {
    if (!test.contains("flags")) return false;
    for (const auto& f : test["flags"])
        if (f == flag) return true;
    return false;
}

static CaseReport decide(const Case& c, Driver driver) {
    CaseReport r;
    r.tc_id = c.test.value("tcId", 0);
    r.expected = c.test.value("result", "");
    r.comment = c.test.value("comment", "");
    if (c.test.contains("flags"))
        for (const auto& f : c.test["flags"]) r.flags.push_back(f.get<std::string>());
    Verdict v;
    try {
        v = driver(c);
    } catch (const std::exception& e) {
        r.note = std::string("driver error: ") + e.what();
        r.passed = false;
        return r;
    }
    r.accepted = v.accepted;
    r.note = v.note;
    if (r.expected == "valid")
        r.passed = v.accepted && v.output_ok;
    else if (r.expected == "invalid")
        r.passed = !v.accepted;
    else if (r.expected == "acceptable")
        r.passed = !v.accepted || v.output_ok;  // either decision, but accepted output must be right
    else
        r.note = "unknown result kind '" + r.expected + "'";
    return r;
}

FileReport run_file(const std::string& path, Driver driver) {
    FileReport rep;
    rep.path = path;
    json file;
    try {
        std::ifstream in(path);
        if (!in) {
            rep.error = "cannot open file";
            return rep;
        }
        file = json::parse(in);
        rep.algorithm = file.value("algorithm", "");
        rep.schema = file.value("schema", "");
    } catch (const std::exception& e) {
        rep.error = std::string("cannot parse file: ") + e.what();
        return rep;
    }
    if (!driver) driver = find_driver(rep.schema);
    if (!driver) {
        rep.error = "no driver for schema '" + rep.schema + "'";
        return rep;
    }
    if (!file.contains("testGroups") || file["testGroups"].empty()) {
        rep.error = "file has no test groups";
        return rep;
    }
    for (const auto& group : file["testGroups"]) {
        for (const auto& test : group["tests"]) {
            CaseReport cr = decide(Case{file, group, test}, driver);
            rep.cases++;
            if (!cr.passed)
                rep.failed++;
            else if (cr.expected == "acceptable")
                rep.acceptable++;
            else
                rep.passed++;
            rep.results.push_back(std::move(cr));
        }
    }
    if (file.contains("numberOfTests") && file["numberOfTests"].get<std::size_t>() != rep.cases)
        rep.error = "file says numberOfTests=" + std::to_string(file["numberOfTests"].get<std::size_t>()) +
                    " but holds " + std::to_string(rep.cases);
    if (rep.cases == 0 && rep.error.empty()) rep.error = "file has no test cases";
    return rep;
}

FileReport run_file(const std::string& path) { return run_file(path, nullptr); }

json file_report_json(const FileReport& r, bool with_cases) {
    json j = {{"file", r.path}, {"algorithm", r.algorithm}, {"schema", r.schema}, {"cases", r.cases},
              {"passed", r.passed}, {"failed", r.failed}, {"acceptable", r.acceptable}, {"ok", r.ok()}};
    if (!r.error.empty()) j["error"] = r.error;
    if (with_cases) {
        json cases = json::array();
        for (const auto& c : r.results) {
            const char* verdict = !c.passed ? "fail" : c.expected == "acceptable" ? "acceptable" : "pass";
            cases.push_back({{"tcId", c.tc_id}, {"expected", c.expected},
                             {"decision", c.accepted ? "accepted" : "rejected"}, {"verdict", verdict},
                             {"flags", c.flags}, {"comment", c.comment}, {"note", c.note}});
        }
        j["tests"] = cases;
    }
    return j;
}

}  // namespace padlock::vectors
