// SPDX-License-Identifier: Apache-2.0
// Modular exponentiation with AVX-512 IFMA (crypto/rsa/bignum_x86.cpp): two at once for the CRT
// halves of RSA-2048, -3072 and -4096, one with a public exponent for the public operations. Internal to crypto/rsa/bignum.cpp's dispatch; compiled only with
// PADLOCK_ACCEL_X86 (accel=auto on x86-64) and 64-bit limbs.
#pragma once

#include "crypto/rsa/bignum.hpp"

namespace padlock::bn::x86 {
// The limb counts (of 64 bits) the backend takes: 1024-, 1536- and 2048-bit moduli for the
// exponentiations in pairs, 2048-, 3072- and 4096-bit ones for the public exponentiation.
constexpr bool ifma_supports(std::size_t k) { return k == 16 || k == 24 || k == 32; }
constexpr bool ifma_supports_public(std::size_t k) { return k == 32 || k == 48 || k == 64; }
// Its Montgomery radix is R = 2^(64 k + ifma_extra_bits(k)): the multiple of 52 bits at least 2 bits
// above the modulus (16, 24, 32, 48 and 12 extra bits for k = 16, 24, 32, 48, 64).
constexpr std::size_t ifma_extra_bits(std::size_t k) { return 52 * ((64 * k + 2 + 51) / 52) - 64 * k; }
// For j = 1, 2: out_j = base_j^exp_j mod n_j, possibly equal to n_j (the caller reduces it), for odd
// n_j of k limbs (both the same, ifma_supports(k)) and both exponents of exp_k limbs. base_j and
// one_j are given in the backend's Montgomery form x * R mod n_j (both < n_j): the base, and 1. Constant time in
// the bases and the exponents.
void mod_exp2_ifma(const MontModulus& m1, const MontModulus& m2, Limb* out1, Limb* out2, const Limb* base1,
                   const Limb* base2, const Limb* one1, const Limb* one2, const Limb* exp1, const Limb* exp2,
                   std::size_t exp_k);
// out = base^exp mod n for n of k limbs (ifma_supports_public(k)), possibly equal to n (the
// caller reduces it); exp has `bits` >= 1 significant bits. base is given in the backend's
// Montgomery form base * R mod n (< n). Branches on the exponent (public): constant time in the
// base only, like bn::mod_exp_public.
void mod_exp_public_ifma(const MontModulus& m, Limb* out, const Limb* base, const Limb* exp, std::size_t bits);
}  // namespace padlock::bn::x86
