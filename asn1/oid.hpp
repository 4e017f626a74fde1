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

// OIDs are public: a plain (not constant-time) comparison of content octets.
[[nodiscard]] bool equal(Oid a, Oid b);

// Encodes arcs (e.g. {1, 2, 840, 10045, 2, 1}) as content octets (§8.19.4: the first two arcs
// become 40*X + Y). bad_argument for fewer than two arcs or a first arc > 2 (or second >= 40
// under 0 and 1); buffer_too_small when `out` is short.
Error encode(std::span<const std::uint64_t> arcs, MutBytes out, std::size_t& length);

// Prints content octets as dotted decimal ("1.2.840.10045.2.1") into `out`, without a NUL.
// Arcs of any size are printed (UUID arcs under 2.25 exceed 64 bits). bad_oid for malformed content.
Error to_dotted(Oid content, std::span<char> out, std::size_t& length);

}  // namespace padlock::asn1::oid
