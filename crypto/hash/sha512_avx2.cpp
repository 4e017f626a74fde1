// SPDX-License-Identifier: Apache-2.0
// The SHA-512 compression function (FIPS 180-4 §6.4.2) with AVX2 and BMI2: the code is
// crypto/hash/detail/sha512_x86_body.hpp. Selected by crypto/hash/sha2.cpp when cpu::features() has
// avx2 and bmi2 but not avx512.
#include "crypto/hash/detail/sha512_avx2.hpp"

#define SHA512_TARGET __attribute__((target("avx2,bmi,bmi2")))
#define SHA512_COMPRESS compress512_avx2
#define SHA512_VPRORQ 0
#include "crypto/hash/detail/sha512_x86_body.hpp"
