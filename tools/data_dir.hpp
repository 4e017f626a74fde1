// SPDX-License-Identifier: Apache-2.0
// Where the `padlock` tool finds its data (the vectors/ directory: RFC known answers, sample keys
// and the pinned Wycheproof copy) at run time. No source-tree path is compiled in, so an installed
// or copied binary looks only in places relative to itself or to the current directory.
#pragma once

#include <string>
#include <vector>

namespace padlock::tools {

// The places searched, in order: $PADLOCK_VECTORS_DIR; <bin>/../share/padlock/vectors (the
// installed layout); <bin>/../vectors (build/padlock inside a clone); ./vectors.
std::vector<std::string> vectors_dir_candidates();

// The first candidate that holds wycheproof/testvectors_v1, or "" when none does.
std::string vectors_dir();

}  // namespace padlock::tools
