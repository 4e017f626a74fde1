// SPDX-License-Identifier: Apache-2.0
// NIST P-256 group arithmetic (FIPS 186-5 / SP 800-186 §3.2.1.3), internal to padlock: field elements
// mod p and scalars mod n on fixed-size limbs, points in projective coordinates with the complete
// addition formulas of Renes–Costello–Batina 2015 (eprint 2015/1060, Algorithms 4–6, a = -3).
// Used by p256.cpp (ECDH, keys) and ecdsa.cpp. Not a public header.
#pragma once

#include <cstdint>
#include <span>

#include "crypto/common.hpp"

namespace padlock::p256 {

// 4 x 64-bit limbs with a 128-bit product where the compiler has one, else 8 x 32-bit limbs.
// PADLOCK_LIMB32 (crypto/config.hpp, -Dlimb32=true) forces the 32-bit path (the tests are run that way once too).
#if defined(__SIZEOF_INT128__) && !defined(PADLOCK_LIMB32)
using Limb = std::uint64_t;
using Wide = unsigned __int128;
#else
using Limb = std::uint32_t;
using Wide = std::uint64_t;
#endif
inline constexpr int limb_bits = int(sizeof(Limb) * 8);
inline constexpr int limbs = 256 / limb_bits;

// A field element mod p in Montgomery form (x·2^256 mod p), always fully reduced, least significant
// limb first.
struct Fe {
    Limb v[limbs];
};

// A scalar mod n as a plain integer in [0, n), least significant limb first.
struct Scalar {
    Limb v[limbs];
};

// A point in projective coordinates: (X:Y:Z) stands for the affine point (X/Z, Y/Z); the point at
// infinity is (0:1:0). Coordinates are field elements in Montgomery form.
struct Point {
    Fe x, y, z;
};

// --- Scalars mod n (all constant time in the values) ---

// Loads a big-endian scalar; true iff 0 < value < n (the range of private keys, nonces, r and s).
[[nodiscard]] bool scalar_from_bytes(Scalar& out, std::span<const std::uint8_t, 32> in);
// Loads a big-endian 256-bit value reduced mod n (a 256-bit value is below 2n, so one subtraction).
void scalar_from_bytes_reduced(Scalar& out, std::span<const std::uint8_t, 32> in);
void scalar_to_bytes(std::span<std::uint8_t, 32> out, const Scalar& a);
void scalar_add(Scalar& r, const Scalar& a, const Scalar& b);
void scalar_mul(Scalar& r, const Scalar& a, const Scalar& b);
// Inverse by Fermat's little theorem, a^(n-2) mod n; the operation sequence depends only on n.
void scalar_inv(Scalar& r, const Scalar& a);
[[nodiscard]] bool scalar_is_zero(const Scalar& a);
[[nodiscard]] bool scalar_equal(const Scalar& a, const Scalar& b);

// --- Points ---

// SEC 1 §2.3.4 octet-string-to-point with the public-key checks of §3.2.2.1 (coordinates below p,
// on the curve, not infinity; the cofactor is 1 so no order check is needed). Accepts
// 04||X||Y and 02/03||X. Not constant time: public keys are public.
[[nodiscard]] Error point_decode(Point& out, Bytes encoded);
// SEC 1 §2.3.3 uncompressed and compressed encodings; false for the point at infinity.
[[nodiscard]] bool point_encode(std::span<std::uint8_t, 65> out, const Point& p);
[[nodiscard]] bool point_encode_compressed(std::span<std::uint8_t, 33> out, const Point& p);
// The affine x-coordinate, big-endian; false for the point at infinity.
[[nodiscard]] bool point_x_bytes(std::span<std::uint8_t, 32> out, const Point& p);
[[nodiscard]] bool point_is_infinity(const Point& p);

// k·P for a valid point P. Constant time in k and P.
void point_mul(Point& r, const Point& p, const Scalar& k);
// k·G with a precomputed table (constant data, computed at compile time). Constant time in k.
void point_mul_base(Point& r, const Scalar& k);
// The same with the projective coordinates of every intermediate point randomised by λ taken
// from 32 random bytes (the accumulator starts as (0 : λ : 0), the point at infinity). The result
// is the same point; the values a side channel could observe are not predictable.
void point_mul_base(Point& r, const Scalar& k, std::span<const std::uint8_t, 32> blinding);
// u1·G + u2·Q for signature verification, where every input is public.
void point_mul2(Point& r, const Scalar& u1, const Scalar& u2, const Point& q);

}  // namespace padlock::p256
