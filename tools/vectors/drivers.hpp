// SPDX-License-Identifier: Apache-2.0
// One driver per Wycheproof schema (see runner.hpp for the contract). Each lives in drv_<area>.cpp.
#pragma once

#include "tools/vectors/runner.hpp"

namespace padlock::vectors {

Verdict aead_case(const Case& c);              // aead_test_schema_v1 (AES-GCM, ChaCha20-Poly1305)
Verdict mac_case(const Case& c);               // mac_test_schema_v1 (HMAC-SHA2)
Verdict hkdf_case(const Case& c);              // hkdf_test_schema_v1
Verdict xdh_case(const Case& c);               // xdh_comp_schema_v1 (raw X25519 keys)
Verdict xdh_asn_case(const Case& c);           // xdh_asn_comp_schema_v1 (SPKI / PKCS#8 DER)
Verdict xdh_pem_case(const Case& c);           // xdh_pem_comp_schema_v1 (PEM)
Verdict ecdh_case(const Case& c);              // ecdh_test_schema_v1 (SPKI DER public keys)
Verdict ecdh_ecpoint_case(const Case& c);      // ecdh_ecpoint_test_schema_v1 (raw points)
Verdict ecdsa_der_case(const Case& c);         // ecdsa_verify_schema_v1 (DER signatures)
Verdict ecdsa_p1363_case(const Case& c);       // ecdsa_p1363_verify_schema_v1 (r || s)
Verdict rsa_pkcs1_verify_case(const Case& c);  // rsassa_pkcs1_verify_schema_v1
Verdict rsa_pkcs1_sign_case(const Case& c);    // rsassa_pkcs1_generate_schema_v1
Verdict rsa_pss_case(const Case& c);           // rsassa_pss_verify_schema_v1
Verdict rsa_pss_params_case(const Case& c);    // rsassa_pss_with_parameters_verify_schema

}  // namespace padlock::vectors
