// SPDX-License-Identifier: Apache-2.0
// `padlock bench`: measured throughput of padlock's primitives, beside OpenSSL's in the same run.
#pragma once

#include <string>
#include <vector>

namespace padlock::bench {

struct Options {
    std::vector<std::string> only;  // primitive names to run; empty = all
    bool as_json = false;
    bool list = false;
    double seconds = 0.2;           // length of one timed run; the median of several runs is reported
};

int run(const Options& opts);

}  // namespace padlock::bench
