// SPDX-License-Identifier: Apache-2.0
// Not yet written: every case fails honestly until the driver exists.
#include "tools/vectors/drivers.hpp"

namespace padlock::vectors {
Verdict ecdh_case(const Case&) { return {false, false, "driver not implemented"}; }
Verdict ecdh_ecpoint_case(const Case&) { return {false, false, "driver not implemented"}; }
}  // namespace padlock::vectors
