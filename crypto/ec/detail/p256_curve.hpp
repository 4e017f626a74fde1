// SPDX-License-Identifier: Apache-2.0
// NIST P-256 group arithmetic (FIPS 186-5 / SP 800-186 §3.2.1.3), internal to padlock: the generic
// curve code of ec_curve.hpp instantiated for P-256 behind a fixed-size interface (its field code
// from p256_field.hpp where limbs are 64-bit), plus the fixed-base comb for k·G. Used by p256.cpp
// (ECDH, keys) and ecdsa.cpp. Not a public header.
#pragma once

#include <cstdint>
#include <span>

#include "crypto/common.hpp"
#include "crypto/ec/detail/ec_curve.hpp"
#if PADLOCK_EC_LIMB64
#include "crypto/ec/detail/p256_field.hpp"
#endif
// The MULX backend (p256_x86.cpp): with accel=auto on x86-64 and 64-bit limbs (crypto/meson.build).
#if PADLOCK_EC_LIMB64 && defined(PADLOCK_ACCEL_X86)
#define PADLOCK_P256_X86 1
#include "crypto/ec/detail/p256_x86.hpp"
#else
#define PADLOCK_P256_X86 0
#endif

namespace padlock::p256 {

using ec::Limb;
inline constexpr int limbs = 256 / ec::limb_bits;

// The curve's parameters, SP 800-186 §3.2.1.3.
struct Curve {
    static constexpr int bits = 256;
    static constexpr int limbs = p256::limbs;
    static constexpr ec::Num<limbs> p =
        ec::from_hex<limbs>("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
    static constexpr ec::Num<limbs> n =
        ec::from_hex<limbs>("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
    static constexpr ec::Num<limbs> b =
        ec::from_hex<limbs>("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b");
    static constexpr ec::Num<limbs> gx =
        ec::from_hex<limbs>("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296");
    static constexpr ec::Num<limbs> gy =
        ec::from_hex<limbs>("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5");
#if PADLOCK_EC_LIMB64
    // The field code specialised to p (p256_field.hpp), in place of ec_curve.hpp's generic code.
    static constexpr void field_mul(Limb* r, const Limb* a, const Limb* b) { field::mul(r, a, b); }
    static constexpr void field_sqr(Limb* r, const Limb* a) { field::sqr(r, a); }
    static constexpr void field_add(Limb* r, const Limb* a, const Limb* b) { field::add(r, a, b); }
    static constexpr void field_sub(Limb* r, const Limb* a, const Limb* b) { field::sub(r, a, b); }
    static constexpr void field_inv(Limb* r, const Limb* a) { field::inv(r, a); }
#endif
};

#if PADLOCK_P256_X86
// The same curve with its multiplications mod p and mod n on MULX (p256_x86.cpp, BMI2), for CPUs
// that have it. A distinct type, so every template of ec_curve.hpp is instantiated a second time as
// distinct symbols: those stay baseline x86-64 code (no target attribute, so nothing compiled for
// BMI2 can be picked by the linker for the portable path); only the multiplications they call need
// BMI2. The representation is the same, so values convert by copying limbs (p256_curve.cpp). The
// heavy paths (k·P, k·G, u1·G + u2·Q, the inversions) do not go through these templates at all:
// p256_x86.cpp has them with the field code inlined, and p256_curve.cpp dispatches to them.
struct CurveX86 : Curve {
    static void field_mul(Limb* r, const Limb* a, const Limb* b) { p256_x86::field_mul(r, a, b); }
    static void field_sqr(Limb* r, const Limb* a) { p256_x86::field_sqr(r, a); }
    static void field_inv(Limb* r, const Limb* a) { p256_x86::field_inv(r, a); }
    static void scalar_mont_mul(Limb* r, const Limb* a, const Limb* b) { p256_x86::scalar_mont_mul(r, a, b); }
    static void scalar_mont_sqr(Limb* r, const Limb* a) { p256_x86::scalar_mont_sqr(r, a); }
    static void scalar_inv(Limb* r, const Limb* a) { p256_x86::scalar_inv(r, a); }
    // u1·G + u2·Q for ec::ecdsa_verify_digest, on p256_x86::point_mul2 (p256_curve.cpp).
    static void point_mul2(ec::Point<CurveX86>& r, const ec::Scalar<CurveX86>& u1, const ec::Scalar<CurveX86>& u2,
                           const ec::Point<CurveX86>& q);
};
#endif

// Which code P-256 runs on this CPU: "bmi2" (MULX, p256_x86.cpp) or "portable".
const char* backend_name();

// A field element mod p in Montgomery form (x·2^256 mod p), a scalar mod n as a plain integer in
// [0, n), and a point in projective coordinates (X:Y:Z), infinity being (0:1:0); see ec_curve.hpp.
using Fe = ec::Fe<Curve>;
using Scalar = ec::Scalar<Curve>;
using Point = ec::Point<Curve>;

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
[[nodiscard]] CryptoError point_decode(Point& out, Bytes encoded);
// SEC 1 §2.3.3 uncompressed and compressed encodings; false for the point at infinity.
[[nodiscard]] bool point_encode(std::span<std::uint8_t, 65> out, const Point& p);
[[nodiscard]] bool point_encode_compressed(std::span<std::uint8_t, 33> out, const Point& p);
// The affine x-coordinate, big-endian; false for the point at infinity.
[[nodiscard]] bool point_x_bytes(std::span<std::uint8_t, 32> out, const Point& p);

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

// FIPS 186-5 §6.4.2 verification of (r, s) on a digest under the SEC 1 encoded public key `pub`
// (ec::ecdsa_verify_digest). Variable time (public data).
[[nodiscard]] CryptoError ecdsa_verify_digest(Bytes pub, Bytes digest, Bytes r, Bytes s);

}  // namespace padlock::p256
