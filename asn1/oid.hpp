// SPDX-License-Identifier: Apache-2.0
// OBJECT IDENTIFIERs (X.690 §8.19): the content octets of the OIDs padlock knows, as constants,
// plus comparison, encoding from arcs, and dotted-decimal printing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "asn1/error.hpp"
#include "crypto/common.hpp"

namespace padlock::asn1::oid {

using Oid = std::span<const std::uint8_t>;  // content octets only (no tag, no length)

// RFC 8017 Appendix C (PKCS #1) and RFC 4055.
inline constexpr std::uint8_t rsa_encryption[] = {0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01};  // 1.2.840.113549.1.1.1
inline constexpr std::uint8_t sha1_with_rsa[] = {0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x05};   // 1.2.840.113549.1.1.5
inline constexpr std::uint8_t mgf1[] = {0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x08};            // 1.2.840.113549.1.1.8
inline constexpr std::uint8_t rsassa_pss[] = {0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A};      // 1.2.840.113549.1.1.10
inline constexpr std::uint8_t sha256_with_rsa[] = {0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B}; // 1.2.840.113549.1.1.11
inline constexpr std::uint8_t sha384_with_rsa[] = {0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0C}; // 1.2.840.113549.1.1.12
inline constexpr std::uint8_t sha512_with_rsa[] = {0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0D}; // 1.2.840.113549.1.1.13

// RFC 5480 §2.1.1 (id-ecPublicKey), §2.1.1.1 (named curves); RFC 5758 §3.2 (ECDSA signatures).
inline constexpr std::uint8_t ec_public_key[] = {0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01};          // 1.2.840.10045.2.1
inline constexpr std::uint8_t prime256v1[] = {0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};       // 1.2.840.10045.3.1.7 (secp256r1)
inline constexpr std::uint8_t secp384r1[] = {0x2B, 0x81, 0x04, 0x00, 0x22};                          // 1.3.132.0.34
inline constexpr std::uint8_t secp521r1[] = {0x2B, 0x81, 0x04, 0x00, 0x23};                          // 1.3.132.0.35
inline constexpr std::uint8_t ecdsa_with_sha256[] = {0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02}; // 1.2.840.10045.4.3.2
inline constexpr std::uint8_t ecdsa_with_sha384[] = {0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x03}; // 1.2.840.10045.4.3.3
inline constexpr std::uint8_t ecdsa_with_sha512[] = {0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x04}; // 1.2.840.10045.4.3.4

// RFC 8410 §3.
inline constexpr std::uint8_t x25519[] = {0x2B, 0x65, 0x6E};   // 1.3.101.110
inline constexpr std::uint8_t ed25519[] = {0x2B, 0x65, 0x70};  // 1.3.101.112

// Hash functions: RFC 3279 §2.2.1 (SHA-1), RFC 5754 §2 (SHA-2).
inline constexpr std::uint8_t sha1[] = {0x2B, 0x0E, 0x03, 0x02, 0x1A};                                // 1.3.14.3.2.26
inline constexpr std::uint8_t sha224[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04};      // 2.16.840.1.101.3.4.2.4
inline constexpr std::uint8_t sha256[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01};      // 2.16.840.1.101.3.4.2.1
inline constexpr std::uint8_t sha384[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02};      // 2.16.840.1.101.3.4.2.2
inline constexpr std::uint8_t sha512[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03};      // 2.16.840.1.101.3.4.2.3

// Signature algorithms padlock recognises but does not verify (reported as unsupported, never
// accepted): RFC 8017 Appendix C, RFC 5758 §3.2, RFC 8410 §3.
inline constexpr std::uint8_t md5_with_rsa[] = {0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x04};    // 1.2.840.113549.1.1.4
inline constexpr std::uint8_t sha224_with_rsa[] = {0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0E}; // 1.2.840.113549.1.1.14
inline constexpr std::uint8_t ecdsa_with_sha1[] = {0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x01};         // 1.2.840.10045.4.1
inline constexpr std::uint8_t ecdsa_with_sha224[] = {0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x01}; // 1.2.840.10045.4.3.1
inline constexpr std::uint8_t ed448[] = {0x2B, 0x65, 0x71};                                           // 1.3.101.113

// X.509 certificate extensions (RFC 5280 §4.2.1, id-ce = 2.5.29; §4.2.2.1, id-pe).
inline constexpr std::uint8_t ce_subject_key_identifier[] = {0x55, 0x1D, 0x0E};    // 2.5.29.14
inline constexpr std::uint8_t ce_key_usage[] = {0x55, 0x1D, 0x0F};                 // 2.5.29.15
inline constexpr std::uint8_t ce_subject_alt_name[] = {0x55, 0x1D, 0x11};          // 2.5.29.17
inline constexpr std::uint8_t ce_issuer_alt_name[] = {0x55, 0x1D, 0x12};           // 2.5.29.18
inline constexpr std::uint8_t ce_basic_constraints[] = {0x55, 0x1D, 0x13};         // 2.5.29.19
inline constexpr std::uint8_t ce_crl_number[] = {0x55, 0x1D, 0x14};                // 2.5.29.20
inline constexpr std::uint8_t ce_crl_reason[] = {0x55, 0x1D, 0x15};                // 2.5.29.21
inline constexpr std::uint8_t ce_hold_instruction_code[] = {0x55, 0x1D, 0x17};     // 2.5.29.23
inline constexpr std::uint8_t ce_invalidity_date[] = {0x55, 0x1D, 0x18};           // 2.5.29.24
inline constexpr std::uint8_t ce_delta_crl_indicator[] = {0x55, 0x1D, 0x1B};       // 2.5.29.27
inline constexpr std::uint8_t ce_issuing_distribution_point[] = {0x55, 0x1D, 0x1C};// 2.5.29.28
inline constexpr std::uint8_t ce_certificate_issuer[] = {0x55, 0x1D, 0x1D};        // 2.5.29.29
inline constexpr std::uint8_t ce_freshest_crl[] = {0x55, 0x1D, 0x2E};              // 2.5.29.46
inline constexpr std::uint8_t ce_name_constraints[] = {0x55, 0x1D, 0x1E};          // 2.5.29.30
inline constexpr std::uint8_t ce_crl_distribution_points[] = {0x55, 0x1D, 0x1F};   // 2.5.29.31
inline constexpr std::uint8_t ce_certificate_policies[] = {0x55, 0x1D, 0x20};      // 2.5.29.32
inline constexpr std::uint8_t ce_policy_mappings[] = {0x55, 0x1D, 0x21};           // 2.5.29.33
inline constexpr std::uint8_t ce_authority_key_identifier[] = {0x55, 0x1D, 0x23};  // 2.5.29.35
inline constexpr std::uint8_t ce_policy_constraints[] = {0x55, 0x1D, 0x24};        // 2.5.29.36
inline constexpr std::uint8_t ce_ext_key_usage[] = {0x55, 0x1D, 0x25};             // 2.5.29.37
inline constexpr std::uint8_t ce_inhibit_any_policy[] = {0x55, 0x1D, 0x36};        // 2.5.29.54
inline constexpr std::uint8_t any_policy[] = {0x55, 0x1D, 0x20, 0x00};             // 2.5.29.32.0
inline constexpr std::uint8_t any_extended_key_usage[] = {0x55, 0x1D, 0x25, 0x00}; // 2.5.29.37.0
inline constexpr std::uint8_t pe_authority_info_access[] = {0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01}; // 1.3.6.1.5.5.7.1.1

// Key purposes (RFC 5280 §4.2.1.12, id-kp = 1.3.6.1.5.5.7.3), access methods (§4.2.2.1, id-ad)
// and policy qualifiers (§4.2.1.4, id-qt).
inline constexpr std::uint8_t kp_server_auth[] = {0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01};       // 1.3.6.1.5.5.7.3.1
inline constexpr std::uint8_t kp_client_auth[] = {0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02};       // 1.3.6.1.5.5.7.3.2
inline constexpr std::uint8_t kp_code_signing[] = {0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x03};      // 1.3.6.1.5.5.7.3.3
inline constexpr std::uint8_t kp_email_protection[] = {0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x04};  // 1.3.6.1.5.5.7.3.4
inline constexpr std::uint8_t kp_time_stamping[] = {0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08};     // 1.3.6.1.5.5.7.3.8
inline constexpr std::uint8_t kp_ocsp_signing[] = {0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x09};      // 1.3.6.1.5.5.7.3.9
inline constexpr std::uint8_t ad_ocsp[] = {0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01};              // 1.3.6.1.5.5.7.48.1
inline constexpr std::uint8_t ad_ca_issuers[] = {0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02};        // 1.3.6.1.5.5.7.48.2
inline constexpr std::uint8_t qt_cps[] = {0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x02, 0x01};               // 1.3.6.1.5.5.7.2.1
inline constexpr std::uint8_t qt_unotice[] = {0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x02, 0x02};           // 1.3.6.1.5.5.7.2.2

// Naming attributes (RFC 5280 §4.1.2.4 and Appendix A.1; X.520 id-at = 2.5.4).
inline constexpr std::uint8_t at_common_name[] = {0x55, 0x04, 0x03};          // 2.5.4.3
inline constexpr std::uint8_t at_serial_number[] = {0x55, 0x04, 0x05};        // 2.5.4.5
inline constexpr std::uint8_t at_country[] = {0x55, 0x04, 0x06};              // 2.5.4.6
inline constexpr std::uint8_t at_locality[] = {0x55, 0x04, 0x07};             // 2.5.4.7
inline constexpr std::uint8_t at_state[] = {0x55, 0x04, 0x08};                // 2.5.4.8
inline constexpr std::uint8_t at_organization[] = {0x55, 0x04, 0x0A};         // 2.5.4.10
inline constexpr std::uint8_t at_organizational_unit[] = {0x55, 0x04, 0x0B};  // 2.5.4.11
inline constexpr std::uint8_t domain_component[] = {0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x19};  // 0.9.2342.19200300.100.1.25
inline constexpr std::uint8_t email_address[] = {0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01};           // 1.2.840.113549.1.9.1

// OIDs are public: a plain (not constant-time) comparison of content octets.
[[nodiscard]] bool equal(Oid a, Oid b);

// Encodes arcs (e.g. {1, 2, 840, 10045, 2, 1}) as content octets (§8.19.4: the first two arcs
// become 40*X + Y). bad_argument for fewer than two arcs or a first arc > 2 (or second >= 40
// under 0 and 1); buffer_too_small when `out` is short.
Asn1Error encode(std::span<const std::uint64_t> arcs, MutBytes out, std::size_t& length);

// Prints content octets as dotted decimal ("1.2.840.10045.2.1") into `out`, without a NUL.
// Arcs of any size are printed (UUID arcs under 2.25 exceed 64 bits). bad_oid for malformed content.
Asn1Error to_dotted(Oid content, std::span<char> out, std::size_t& length);

}  // namespace padlock::asn1::oid
