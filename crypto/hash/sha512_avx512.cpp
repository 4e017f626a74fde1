// SPDX-License-Identifier: Apache-2.0
// The SHA-512 compression function (FIPS 180-4 §6.4.2) with AVX2, BMI2 and AVX-512VL's 64-bit
// rotate (VPRORQ) and three-input logic (VPTERNLOGQ) for the schedule's σ0 and σ1, on 256-bit
// registers: the code is crypto/hash/detail/sha512_x86_body.hpp. Selected by crypto/hash/sha2.cpp
// when cpu::features() has avx2, bmi2 and avx512.
#include "crypto/hash/detail/sha512_avx2.hpp"

#define SHA512_TARGET __attribute__((target("avx2,bmi,bmi2,avx512f,avx512vl")))
#define SHA512_COMPRESS compress512_avx512
#define SHA512_VPRORQ 1
#include "crypto/hash/detail/sha512_x86_body.hpp"
