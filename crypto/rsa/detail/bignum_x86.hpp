// SPDX-License-Identifier: Apache-2.0
// Two 1024-bit modular exponentiations at once with AVX-512 IFMA (crypto/rsa/bignum_x86.cpp), for
// the CRT halves of RSA-2048. Internal to crypto/rsa/bignum.cpp's dispatch; compiled only with
// PADLOCK_ACCEL_X86 (accel=auto on x86-64) and 64-bit limbs.
#pragma once

#include "crypto/rsa/bignum.hpp"

namespace padlock::bn::x86 {
// Limbs of 64 bits the backend takes: 1024-bit moduli.
inline constexpr std::size_t ifma_limbs = 16;
// For j = 1, 2: out_j = base_j^exp_j mod n_j, possibly equal to n_j (the caller reduces it), for odd
// n_j of ifma_limbs limbs and both exponents of exp_k limbs. base_j and one_j are given in the
// backend's Montgomery form x * 2^1040 mod n_j (both < n_j): the base, and 1. Constant time in
// the bases and the exponents.
void mod_exp2_ifma(const MontModulus& m1, const MontModulus& m2, Limb* out1, Limb* out2, const Limb* base1,
                   const Limb* base2, const Limb* one1, const Limb* one2, const Limb* exp1, const Limb* exp2,
                   std::size_t exp_k);
}  // namespace padlock::bn::x86
