// SPDX-License-Identifier: Apache-2.0
// Which driver handles which Wycheproof schema, and which files `padlock vectors` runs by default.
#include <cstring>

#include "tools/vectors/drivers.hpp"

namespace padlock::vectors {

Driver find_driver(const std::string& schema) {
    static const struct { const char* schema; Driver driver; } table[] = {
        {"aead_test_schema_v1.json", aead_case},
        {"mac_test_schema_v1.json", mac_case},
        {"hkdf_test_schema_v1.json", hkdf_case},
        {"xdh_comp_schema_v1.json", xdh_case},
        {"xdh_asn_comp_schema_v1.json", xdh_asn_case},
        {"xdh_pem_comp_schema_v1.json", xdh_pem_case},
        {"ecdh_test_schema_v1.json", ecdh_case},
        {"ecdh_ecpoint_test_schema_v1.json", ecdh_ecpoint_case},
        {"ecdsa_verify_schema_v1.json", ecdsa_der_case},
        {"ecdsa_p1363_verify_schema_v1.json", ecdsa_p1363_case},
        {"rsassa_pkcs1_verify_schema_v1.json", rsa_pkcs1_verify_case},
        {"rsassa_pkcs1_generate_schema_v1.json", rsa_pkcs1_sign_case},
        {"rsassa_pss_verify_schema_v1.json", rsa_pss_case},
        {"rsassa_pss_with_parameters_verify_schema.json", rsa_pss_params_case},
    };
    for (const auto& e : table)
        if (schema == e.schema) return e.driver;
    return nullptr;
}

const std::vector<std::string>& known_files() {
    static const std::vector<std::string> files = {
        "aes_gcm_test.json",
        "chacha20_poly1305_test.json",
        "hmac_sha256_test.json",
        "hmac_sha384_test.json",
        "hmac_sha512_test.json",
        "hkdf_sha256_test.json",
        "hkdf_sha384_test.json",
        "hkdf_sha512_test.json",
        "x25519_test.json",
        "x25519_asn_test.json",
        "x25519_pem_test.json",
        "ecdh_secp256r1_test.json",
        "ecdh_secp256r1_ecpoint_test.json",
        "ecdsa_secp256r1_sha256_test.json",
        "ecdsa_secp256r1_sha256_p1363_test.json",
        "ecdsa_secp256r1_sha512_test.json",
        "ecdh_secp384r1_test.json",
        "ecdh_secp384r1_ecpoint_test.json",
        "ecdsa_secp384r1_sha384_test.json",
        "ecdsa_secp384r1_sha384_p1363_test.json",
        "rsa_signature_2048_sha256_test.json",
        "rsa_signature_2048_sha384_test.json",
        "rsa_signature_2048_sha512_test.json",
        "rsa_signature_3072_sha256_test.json",
        "rsa_signature_3072_sha384_test.json",
        "rsa_signature_3072_sha512_test.json",
        "rsa_signature_4096_sha256_test.json",
        "rsa_signature_4096_sha384_test.json",
        "rsa_signature_4096_sha512_test.json",
        "rsa_pkcs1_2048_sig_gen_test.json",
        "rsa_pkcs1_3072_sig_gen_test.json",
        "rsa_pkcs1_4096_sig_gen_test.json",
        "rsa_pss_2048_sha256_mgf1_0_test.json",
        "rsa_pss_2048_sha256_mgf1_0_params_test.json",
        "rsa_pss_2048_sha256_mgf1_32_test.json",
        "rsa_pss_2048_sha256_mgf1_32_params_test.json",
        "rsa_pss_2048_sha384_mgf1_48_test.json",
        "rsa_pss_3072_sha256_mgf1_32_test.json",
        "rsa_pss_3072_sha256_mgf1_32_params_test.json",
        "rsa_pss_4096_sha256_mgf1_32_test.json",
        "rsa_pss_4096_sha384_mgf1_48_test.json",
        "rsa_pss_4096_sha512_mgf1_32_test.json",
        "rsa_pss_4096_sha512_mgf1_32_params_test.json",
        "rsa_pss_4096_sha512_mgf1_64_test.json",
        "rsa_pss_4096_sha512_mgf1_64_params_test.json",
        "rsa_pss_misc_test.json",
        "rsa_pss_misc_params_test.json",
    };
    return files;
}

}  // namespace padlock::vectors
