// SPDX-License-Identifier: Apache-2.0
// Run-time lookup of the vectors/ directory (see data_dir.hpp).
#include "tools/data_dir.hpp"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace padlock::tools {

namespace fs = std::filesystem;

std::vector<std::string> vectors_dir_candidates() {
    std::vector<std::string> out;
    if (const char* env = std::getenv("PADLOCK_VECTORS_DIR"); env && *env) out.push_back(env);
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path bin = exe.parent_path();
        out.push_back((bin / ".." / "share" / "padlock" / "vectors").lexically_normal().string());
        out.push_back((bin / ".." / "vectors").lexically_normal().string());
    }
    out.push_back("vectors");
    return out;
}

std::string vectors_dir() {
    for (const auto& dir : vectors_dir_candidates()) {
        std::error_code ec;
        if (fs::is_directory(fs::path(dir) / "wycheproof" / "testvectors_v1", ec)) return dir;
    }
    return {};
}

}  // namespace padlock::tools
