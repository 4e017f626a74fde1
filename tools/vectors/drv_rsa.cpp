// SPDX-License-Identifier: Apache-2.0
// Not yet written: every case fails honestly until the driver exists.
#include "tools/vectors/drivers.hpp"

namespace padlock::vectors {
Verdict rsa_pkcs1_verify_case(const Case&) { return {false, false, "driver not implemented"}; }
Verdict rsa_pkcs1_sign_case(const Case&) { return {false, false, "driver not implemented"}; }
Verdict rsa_pss_case(const Case&) { return {false, false, "driver not implemented"}; }
Verdict rsa_pss_params_case(const Case&) { return {false, false, "driver not implemented"}; }
}  // namespace padlock::vectors
