// SPDX-License-Identifier: Apache-2.0
// Names of the x509 errors (x509/errors.hpp).
#include "x509/errors.hpp"

namespace padlock::x509 {

const char* error_name(X509Error e) {
    switch (e) {
    case X509Error::ok: return "ok";
    case X509Error::malformed_certificate: return "malformed_certificate";
    case X509Error::malformed_tbs_certificate: return "malformed_tbs_certificate";
    case X509Error::bad_version: return "bad_version";
    case X509Error::bad_serial_number: return "bad_serial_number";
    case X509Error::bad_signature_algorithm: return "bad_signature_algorithm";
    case X509Error::signature_algorithm_mismatch: return "signature_algorithm_mismatch";
    case X509Error::malformed_name: return "malformed_name";
    case X509Error::unsorted_rdn: return "unsorted_rdn";
    case X509Error::bad_name_string: return "bad_name_string";
    case X509Error::empty_issuer: return "empty_issuer";
    case X509Error::empty_subject_without_critical_san: return "empty_subject_without_critical_san";
    case X509Error::malformed_validity: return "malformed_validity";
    case X509Error::bad_time: return "bad_time";
    case X509Error::malformed_public_key: return "malformed_public_key";
    case X509Error::bad_unique_id: return "bad_unique_id";
    case X509Error::extensions_not_v3: return "extensions_not_v3";
    case X509Error::empty_extensions: return "empty_extensions";
    case X509Error::malformed_extension: return "malformed_extension";
    case X509Error::duplicate_extension: return "duplicate_extension";
    case X509Error::too_many_extensions: return "too_many_extensions";
    case X509Error::malformed_signature_value: return "malformed_signature_value";
    case X509Error::bad_basic_constraints: return "bad_basic_constraints";
    case X509Error::bad_key_usage: return "bad_key_usage";
    case X509Error::bad_ext_key_usage: return "bad_ext_key_usage";
    case X509Error::bad_subject_alt_name: return "bad_subject_alt_name";
    case X509Error::bad_general_name: return "bad_general_name";
    case X509Error::bad_name_constraints: return "bad_name_constraints";
    case X509Error::bad_authority_key_identifier: return "bad_authority_key_identifier";
    case X509Error::bad_subject_key_identifier: return "bad_subject_key_identifier";
    case X509Error::bad_certificate_policies: return "bad_certificate_policies";
    case X509Error::duplicate_policy: return "duplicate_policy";
    case X509Error::bad_crl_distribution_points: return "bad_crl_distribution_points";
    case X509Error::bad_authority_info_access: return "bad_authority_info_access";
    case X509Error::unknown_critical_extension: return "unknown_critical_extension";
    case X509Error::unsupported_signature_algorithm: return "unsupported_signature_algorithm";
    case X509Error::unknown_signature_algorithm: return "unknown_signature_algorithm";
    case X509Error::unsupported_public_key: return "unsupported_public_key";
    case X509Error::signature_key_mismatch: return "signature_key_mismatch";
    case X509Error::bad_signature: return "bad_signature";
    case X509Error::certificate_expired: return "certificate_expired";
    case X509Error::certificate_not_yet_valid: return "certificate_not_yet_valid";
    case X509Error::unknown_issuer: return "unknown_issuer";
    case X509Error::untrusted_self_signed: return "untrusted_self_signed";
    case X509Error::not_a_ca: return "not_a_ca";
    case X509Error::ca_not_v3: return "ca_not_v3";
    case X509Error::path_length_exceeded: return "path_length_exceeded";
    case X509Error::key_cert_sign_not_set: return "key_cert_sign_not_set";
    case X509Error::ext_key_usage_mismatch: return "ext_key_usage_mismatch";
    case X509Error::name_not_permitted: return "name_not_permitted";
    case X509Error::name_excluded: return "name_excluded";
    case X509Error::unsupported_name_constraint: return "unsupported_name_constraint";
    case X509Error::path_too_long: return "path_too_long";
    case X509Error::too_many_intermediates: return "too_many_intermediates";
    case X509Error::signature_budget_exceeded: return "signature_budget_exceeded";
    case X509Error::name_constraint_budget_exceeded: return "name_constraint_budget_exceeded";
    case X509Error::malformed_crl: return "malformed_crl";
    case X509Error::malformed_tbs_cert_list: return "malformed_tbs_cert_list";
    case X509Error::bad_crl_version: return "bad_crl_version";
    case X509Error::crl_extensions_not_v2: return "crl_extensions_not_v2";
    case X509Error::malformed_revoked_certificate: return "malformed_revoked_certificate";
    case X509Error::bad_crl_number: return "bad_crl_number";
    case X509Error::bad_issuing_distribution_point: return "bad_issuing_distribution_point";
    case X509Error::bad_crl_reason: return "bad_crl_reason";
    case X509Error::bad_invalidity_date: return "bad_invalidity_date";
    case X509Error::unsupported_indirect_crl: return "unsupported_indirect_crl";
    case X509Error::unsupported_delta_crl: return "unsupported_delta_crl";
    case X509Error::unsupported_crl_reason_partition: return "unsupported_crl_reason_partition";
    case X509Error::unknown_critical_crl_extension: return "unknown_critical_crl_extension";
    case X509Error::unknown_critical_crl_entry_extension: return "unknown_critical_crl_entry_extension";
    case X509Error::crl_issuer_mismatch: return "crl_issuer_mismatch";
    case X509Error::crl_sign_not_set: return "crl_sign_not_set";
    case X509Error::crl_bad_signature: return "crl_bad_signature";
    case X509Error::crl_not_yet_valid: return "crl_not_yet_valid";
    case X509Error::crl_expired: return "crl_expired";
    case X509Error::crl_missing_next_update: return "crl_missing_next_update";
    case X509Error::certificate_revoked: return "certificate_revoked";
    case X509Error::no_crl_for_certificate: return "no_crl_for_certificate";
    case X509Error::bad_reference_identifier: return "bad_reference_identifier";
    case X509Error::no_subject_alt_name: return "no_subject_alt_name";
    case X509Error::hostname_mismatch: return "hostname_mismatch";
    case X509Error::bad_pem: return "bad_pem";
    case X509Error::not_a_certificate: return "not_a_certificate";
    case X509Error::duplicate_certificate: return "duplicate_certificate";
    case X509Error::empty_bundle: return "empty_bundle";
    case X509Error::store_der_full: return "store_der_full";
    case X509Error::store_index_full: return "store_index_full";
    case X509Error::buffer_too_small: return "buffer_too_small";
    case X509Error::bad_certificate_spec: return "bad_certificate_spec";
    case X509Error::signing_failed: return "signing_failed";
    case X509Error::rng_failure: return "rng_failure";
    }
    return "unknown";
}

}  // namespace padlock::x509
