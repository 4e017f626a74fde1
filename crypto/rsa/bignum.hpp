// SPDX-License-Identifier: Apache-2.0
// Fixed-capacity natural numbers for RSA (RFC 8017 §5.1.2, §5.2): byte conversion, schoolbook
// arithmetic, Montgomery multiplication by product scanning (Koc-Acar-Kaliski 1996) and modular
// exponentiation (HAC §14.82 fixed window).
// No heap: numbers are little-endian limb arrays of at most max_limbs; the caller passes lengths.
#pragma once

#include <cstddef>
#include <cstdint>

#include "crypto/common.hpp"

namespace padlock::bn {

// 64-bit limbs where the compiler has a 128-bit type, 32-bit limbs otherwise (or when forced with
// PADLOCK_LIMB32 from crypto/config.hpp, which is how the 32-bit path is tested on a 64-bit host).
#if defined(__SIZEOF_INT128__) && !defined(PADLOCK_LIMB32)
using Limb = std::uint64_t;
using DLimb = unsigned __int128;
using SLimb = std::int64_t;
using SDLimb = __int128;
#else
using Limb = std::uint32_t;
using DLimb = std::uint64_t;
using SLimb = std::int32_t;
using SDLimb = std::int64_t;
#endif

inline constexpr std::size_t limb_bits = sizeof(Limb) * 8;
inline constexpr std::size_t limb_bytes = sizeof(Limb);
inline constexpr std::size_t max_bits = 4096;  // largest RSA modulus we accept
inline constexpr std::size_t max_limbs = max_bits / limb_bits;

constexpr std::size_t limbs_for_bits(std::size_t bits) { return (bits + limb_bits - 1) / limb_bits; }

// --- Conversions (not constant time in the length, which is public) -----------------------------

// Big-endian magnitude -> k limbs. Leading zero bytes are allowed; a value that does not fit in k
// limbs gives bad_input_length. Constant time in the value.
[[nodiscard]] CryptoError from_bytes(Limb* out, std::size_t k, Bytes in);
// The same, returning an all-ones mask if the value fit (zero otherwise) instead of an CryptoError, for
// secret values whose fit must not be branched on. Constant time in the value.
Limb from_bytes_mask(Limb* out, std::size_t k, Bytes in);
// k limbs -> exactly out.size() big-endian bytes; buffer_too_small if the value does not fit.
// Constant time in the value (the fit check is a mask, reported at the end).
[[nodiscard]] CryptoError to_bytes(MutBytes out, const Limb* a, std::size_t k);
// Number of significant bits. Variable time: for public values only (moduli, public exponents).
std::size_t bit_length_vartime(const Limb* a, std::size_t k);
// Number of significant limbs (at least 1). Variable time: public values only.
std::size_t limb_length_vartime(const Limb* a, std::size_t k);

// --- Constant-time schoolbook arithmetic -----------------------------------------------------------

// out = a + b over k limbs; returns the carry (0 or 1). out may alias a or b.
Limb add(Limb* out, const Limb* a, const Limb* b, std::size_t k);
// out = a - b over k limbs; returns the borrow (0 or 1). out may alias a or b.
Limb sub(Limb* out, const Limb* a, const Limb* b, std::size_t k);
// out[ka + kb] = a[ka] * b[kb]. out must not alias a or b.
void mul(Limb* out, const Limb* a, std::size_t ka, const Limb* b, std::size_t kb);
// All-ones if a < b, else zero (k limbs each).
Limb mask_less(const Limb* a, const Limb* b, std::size_t k);
// All-ones if a == b (k limbs each).
Limb mask_equal(const Limb* a, const Limb* b, std::size_t k);
// All-ones if a == 0.
Limb mask_is_zero(const Limb* a, std::size_t k);
// dst = mask ? src : dst.
void cmov(Limb* dst, const Limb* src, std::size_t k, Limb mask);

// --- Montgomery arithmetic modulo an odd n (HAC §14.3.2) ----------------------------------------
// With R = 2^(limb_bits * k), the Montgomery form of x is x*R mod n. The modulus itself is public;
// every operation below is constant time in the other operands.

struct MontModulus {
    Limb n[max_limbs] = {};
    Limb rr[max_limbs] = {};  // R^2 mod n, to enter the Montgomery domain
    Limb one[max_limbs] = {}; // R mod n, the Montgomery form of 1
    Limb n0inv = 0;           // -n^-1 mod 2^limb_bits
    std::size_t k = 0;        // limbs of n (the top limb may be zero when several moduli share k)
    std::size_t bits = 0;     // bit length of n
};

// Sets up m for the odd public modulus n of k limbs (k <= max_limbs, n > 1). invalid_key if n is
// even or too small. Variable time in n (its bit length and parity are branched on).
[[nodiscard]] CryptoError mont_init(MontModulus& m, const Limb* n, std::size_t k);
// The same for a secret modulus (an RSA prime): constant time in n, only k is revealed. Returns an
// all-ones mask if n is odd (the caller folds it into its verdict; for an even n, m holds garbage
// that must not be used). m.bits is set to the bound limb_bits * k, not the exact bit length.
Limb mont_init_secret(MontModulus& m, const Limb* n, std::size_t k);

// out = a * b * R^-1 mod n, for a, b < n (more generally a*b < n*R: the result before the final
// subtraction is then below 2n). out may alias a or b. With 64-bit limbs, the limb counts
// of RSA-2048/3072/4096 CRT halves (16, 24, 32) run fully unrolled code; others run loops.
void mont_mul(const MontModulus& m, Limb* out, const Limb* a, const Limb* b);
// out = a^2 * R^-1 mod n, for a < n. out may alias a.
void mont_sqr(const MontModulus& m, Limb* out, const Limb* a);
// out = t * R^-1 mod n for a 2k-limb t < n*R (Montgomery reduction, REDC).
void mont_reduce(const MontModulus& m, Limb* out, const Limb* t);
// out = a * R mod n, for a < R with a * (R^2 mod n) < n*R (true for any a of k limbs).
void mont_enter(const MontModulus& m, Limb* out, const Limb* a);
// out = a * R^-1 mod n: leaves the Montgomery domain.
void mont_leave(const MontModulus& m, Limb* out, const Limb* a);
// out = (a - b) mod n for a, b < n.
void mod_sub(const MontModulus& m, Limb* out, const Limb* a, const Limb* b);

// out = base^exp mod n, all in normal (not Montgomery) form, base < n, exp of exp_k limbs.
// Constant time in base and exp: a fixed 4-bit window over all exp_k * limb_bits bits, and every
// table lookup reads all 16 entries and keeps one with opaque masks (ct.hpp). Only k and exp_k are
// revealed.
void mod_exp(const MontModulus& m, Limb* out, const Limb* base, const Limb* exp, std::size_t exp_k);
// Two exponentiations at once, out_j = base_j^exp_j mod m_j (j = 1, 2; both exponents of exp_k
// limbs; out_j may alias base_j), with mod_exp's contract and constant time: the two CRT halves of
// an RSA private operation. Dispatches (crypto/cpu.hpp): for two moduli of 1024, 1536 or 2048 bits
// (16, 24, 32 limbs of 64 bits) on a CPU with AVX-512 IFMA, both run in lockstep in radix 2^52
// (crypto/rsa/bignum_x86.cpp); otherwise this is two mod_exp calls.
void mod_exp2(const MontModulus& m1, const MontModulus& m2, Limb* out1, Limb* out2, const Limb* base1,
              const Limb* base2, const Limb* exp1, const Limb* exp2, std::size_t exp_k);
// The backend mod_exp2 runs for two moduli of k limbs under the current features: "ifma" or
// "portable" (for the tests).
const char* mod_exp2_backend_name(std::size_t k);
// The same for a public exponent (RSA verify): left-to-right square-and-multiply that branches on
// the exponent bits. Constant time in base only. Dispatches (crypto/cpu.hpp): moduli of 2048, 3072
// or 4096 bits (32, 48, 64 limbs of 64 bits) on a CPU with AVX-512 IFMA run in radix 2^52
// (crypto/rsa/bignum_x86.cpp). mod_exp_public_backend_name(k) names the code that serves k limbs:
// "ifma" or "portable" (for the tests and the bench).
const char* mod_exp_public_backend_name(std::size_t k);
void mod_exp_public(const MontModulus& m, Limb* out, const Limb* base, const Limb* exp, std::size_t exp_k);

// out = a^-1 mod n for 0 < a < n with gcd(a, n) = 1: binary extended GCD in batches of
// limb_bits/2 - 1 steps run on word-sized approximations (T. Pornin, "Optimized Binary GCD for
// Modular Inversion", IACR ePrint 2020/972, Algorithm 2), looping until done. VARIABLE TIME in a:
// call it only on values that are uniformly random and unrelated to any secret (the RSA blinding
// code inverts a product r*u, never r alone). invalid_key if a is not invertible.
[[nodiscard]] CryptoError mod_inverse_vartime(const MontModulus& m, Limb* out, const Limb* a);

}  // namespace padlock::bn
