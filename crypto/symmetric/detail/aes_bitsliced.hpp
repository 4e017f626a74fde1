// SPDX-License-Identifier: Apache-2.0
// The bitsliced, fixsliced AES core (FIPS 197 §5.1 Cipher) shared by crypto/symmetric/aes.cpp (key schedule,
// block and CTR API) and crypto/symmetric/gcm.cpp (CTR passes with GHASH interleaved). Internal: not part of
// the public API. Constant time: only AND, XOR, shifts and fixed shuffles, no table, no branch on data.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "crypto/symmetric/aes.hpp"
#include "crypto/ct.hpp"
#include "crypto/endian.hpp"

namespace padlock::aes_bitsliced {

using u64 = std::uint64_t;

// Bitslice layout. Eight blocks are processed per pass, as two groups of four. A Plane is one bit
// plane of both groups: lane g holds bit b of all 64 bytes of group g. Byte (row r, column c) of
// block k of a group sits at bit 16*r + 4*c + k of its lane, so each row is one 16-bit field: moving
// to another column is a rotation inside the 16-bit fields, moving to another row a rotation of the
// 64-bit lane by a multiple of 16. Plane is a GCC/clang vector type: the compilers map it onto
// 128-bit registers (SSE2, NEON) where the target has them and onto pairs of words elsewhere.
constexpr unsigned groups = 2;
typedef u64 Plane __attribute__((vector_size(8 * groups)));
typedef std::uint16_t Rows __attribute__((vector_size(8 * groups)));  // the same bits as 16-bit fields

using State = Plane[8];  // q[b] is bit plane b (bit 0 = least significant bit of each byte)
constexpr std::size_t state_bytes = 64 * groups;

// Built for size (-Os: __OPTIMIZE_SIZE__, as firmware is), the same circuit and the same state run as
// rolled loops over one word at a time: the S-box over 32-bit words, MixColumns and the round loop
// with the representation known only at run time. Same operations, so constant time as well; the
// default build unrolls for speed. tests/cross/arm-linux-gnueabihf.ini runs the suite on this path.
#if defined(__OPTIMIZE_SIZE__)
constexpr bool compact = true;
using CircuitWord = std::uint32_t;  // what the S-box circuit runs on
#else
constexpr bool compact = false;
using CircuitWord = Plane;
#endif

// Every row rotated right by n bits: the byte of column c + n/4 moves to column c.
template <unsigned n>
inline Plane rotate_columns(Plane x) {
    if constexpr (n % 16 == 0) {
        return x;
    } else {
        const Rows r = std::bit_cast<Rows>(x);
        return std::bit_cast<Plane>(Rows((r >> (n % 16)) | (r << (16 - n % 16))));
    }
}
// Rows rotated up by n: the byte of row r + n moves to row r. On little-endian targets 16-bit field
// i of lane g is element 4*g + i of Rows, and a shuffle of those elements is cheaper than shifts.
template <unsigned n>
inline Plane rotate_rows(Plane x) {
    if constexpr (std::endian::native == std::endian::little && groups == 2) {
        const Rows r = std::bit_cast<Rows>(x);
        return std::bit_cast<Plane>(__builtin_shufflevector(r, r, n % 4, (n + 1) % 4, (n + 2) % 4, (n + 3) % 4,
                                                            4 + n % 4, 4 + (n + 1) % 4, 4 + (n + 2) % 4,
                                                            4 + (n + 3) % 4));
    } else {
        return (x >> (16 * n)) | (x << (64 - 16 * n));
    }
}

// FIPS 197 §5.1.1 SubBytes on all 128 bytes, without the final addition of 0x63. Boolean circuit of
// 32 AND and 78 XOR gates from the NIST Circuit Complexity project (usnistgov/Circuits,
// aes-sbox-a32-ad5-g110-gd23-xx78-3; the Boyar-Peralta tower-field construction), with its XNOR
// gates written as XOR: that drops the constant 0x63 (bits 0, 1, 5, 6), which is put back through
// the round keys instead (see round_key_planes). u0 is the most significant bit of the byte, s0 of
// the result; tests/test_aes.cpp compares it with the S-box computed from its definition (§5.1.1)
// for all 256 inputs. Constant time: only AND and XOR. The compact build names the circuit
// sub_bytes_circuit and runs it on one 32-bit word of each plane at a time (below); the unrolled
// build keeps it as this one function, as GCC inlines its hot loops less well through a wrapper.
#if defined(__OPTIMIZE_SIZE__)
inline void sub_bytes_circuit(CircuitWord* q) {
#else
inline void sub_bytes_without_constant(State& q) {
#endif
    const CircuitWord u0 = q[7], u1 = q[6], u2 = q[5], u3 = q[4], u4 = q[3], u5 = q[2], u6 = q[1], u7 = q[0];
    const CircuitWord t1 = u4 ^ u5; const CircuitWord t2 = u0 ^ u6; const CircuitWord t3 = u0 ^ u3;
    const CircuitWord t4 = u3 ^ u5; const CircuitWord t5 = u0 ^ u5; const CircuitWord t6 = u1 ^ u4;
    const CircuitWord t7 = t2 ^ t4; const CircuitWord t8 = u6 ^ t1; const CircuitWord t9 = u2 ^ t8;
    const CircuitWord t10 = u1 ^ t8; const CircuitWord t11 = t1 ^ t7; const CircuitWord t12 = t7 & t1;
    const CircuitWord t13 = u7 ^ t10; const CircuitWord t14 = u7 ^ t11; const CircuitWord t15 = t9 ^ t11;
    const CircuitWord t16 = t6 ^ t12; const CircuitWord t17 = t2 & t9; const CircuitWord t18 = t3 & t10;
    const CircuitWord t19 = t9 ^ t13; const CircuitWord t20 = t10 ^ t15; const CircuitWord t21 = t17 ^ t18;
    const CircuitWord t22 = t16 ^ t18; const CircuitWord t23 = t4 & t15; const CircuitWord t24 = u3 ^ t19;
    const CircuitWord t25 = u6 ^ t19; const CircuitWord t26 = u0 ^ t19; const CircuitWord t27 = t9 ^ t21;
    const CircuitWord t28 = t2 ^ t23; const CircuitWord t29 = t5 & t20; const CircuitWord t30 = t7 ^ t24;
    const CircuitWord t31 = u0 ^ t29; const CircuitWord t32 = t27 ^ t28; const CircuitWord t33 = t24 & u7;
    const CircuitWord t34 = t25 & t19; const CircuitWord t35 = t26 & t13; const CircuitWord t36 = t32 ^ t34;
    const CircuitWord t37 = u2 ^ t31; const CircuitWord t38 = t27 ^ t31; const CircuitWord t39 = t30 & t14;
    const CircuitWord t40 = t39 ^ t23; const CircuitWord t41 = t33 ^ t37; const CircuitWord t42 = t35 ^ t38;
    const CircuitWord t43 = t22 ^ t40; const CircuitWord t44 = t40 ^ t41; const CircuitWord t45 = t22 ^ t41;
    const CircuitWord t46 = t36 ^ t42; const CircuitWord t47 = t43 & t36; const CircuitWord t48 = t42 ^ t47;
    const CircuitWord t49 = t45 ^ t47; const CircuitWord t50 = t44 & t48; const CircuitWord t51 = t49 & t46;
    const CircuitWord t52 = t47 ^ t51; const CircuitWord t53 = t47 ^ t50; const CircuitWord t54 = t42 ^ t51;
    const CircuitWord t55 = t50 ^ t45; const CircuitWord t56 = t54 ^ t55; const CircuitWord t57 = t42 & t52;
    const CircuitWord t58 = t45 & t53; const CircuitWord t59 = t54 & u7; const CircuitWord t60 = t55 & t13;
    const CircuitWord t61 = t54 & t24; const CircuitWord t62 = t55 & t26; const CircuitWord t63 = t36 ^ t57;
    const CircuitWord t64 = t43 ^ t58; const CircuitWord t65 = t56 & t10; const CircuitWord t66 = t56 & t3;
    const CircuitWord t67 = t63 ^ t54; const CircuitWord t68 = t64 ^ t55; const CircuitWord t69 = t63 ^ t64;
    const CircuitWord t70 = t63 & t11; const CircuitWord t71 = t64 & t9; const CircuitWord t72 = t63 & t7;
    const CircuitWord t73 = t64 & t2; const CircuitWord t74 = t67 ^ t68; const CircuitWord t75 = t65 ^ t71;
    const CircuitWord t76 = t70 ^ t71; const CircuitWord t77 = t62 ^ t73; const CircuitWord t78 = t67 & t14;
    const CircuitWord t79 = t68 & t19; const CircuitWord t80 = t69 & t15; const CircuitWord t81 = t67 & t30;
    const CircuitWord t82 = t68 & t25; const CircuitWord t83 = t69 & t4; const CircuitWord t84 = t78 ^ t79;
    const CircuitWord t85 = t80 ^ t79; const CircuitWord t86 = t83 ^ t66; const CircuitWord t87 = t59 ^ t76;
    const CircuitWord t88 = t74 & t20; const CircuitWord t89 = t74 & t5; const CircuitWord t90 = t75 ^ t85;
    const CircuitWord t91 = t88 ^ t85; const CircuitWord t92 = t81 ^ t86; const CircuitWord t93 = t82 ^ t86;
    const CircuitWord t94 = t84 ^ t76; const CircuitWord t95 = t60 ^ t87; const CircuitWord t96 = t89 ^ t90;
    const CircuitWord t97 = t72 ^ t92; const CircuitWord t98 = t61 ^ t92; const CircuitWord t99 = t93 ^ t73;
    const CircuitWord t100 = t91 ^ t87; const CircuitWord t101 = t96 ^ t66; const CircuitWord s0 = t90 ^ t97;
    const CircuitWord s3 = t94 ^ t97; const CircuitWord s7 = t99 ^ t95; const CircuitWord t102 = t77 ^ t100;
    const CircuitWord s1 = t90 ^ s3; const CircuitWord s4 = s3 ^ t95; const CircuitWord s6 = s7 ^ t100;
    const CircuitWord s2 = t101 ^ t102; const CircuitWord s5 = t98 ^ t102;
    q[7] = s0; q[6] = s1; q[5] = s2; q[4] = s3; q[3] = s4; q[2] = s5; q[1] = s6; q[0] = s7;
}

#if defined(__OPTIMIZE_SIZE__)
// The compact build runs the circuit on 32-bit word w of every plane at a time (the same bit of the
// same byte in all eight): one copy of it, on the registers a 32-bit CPU has.
inline void sub_bytes_without_constant(State& q) {
    unsigned char* bytes = reinterpret_cast<unsigned char*>(q);
    std::uint32_t x[8];
    for (std::size_t w = 0; w < sizeof(Plane) / 4; w++) {
        for (unsigned b = 0; b < 8; b++) std::memcpy(&x[b], bytes + sizeof(Plane) * b + 4 * w, 4);
        sub_bytes_circuit(x);
        for (unsigned b = 0; b < 8; b++) std::memcpy(bytes + sizeof(Plane) * b + 4 * w, &x[b], 4);
    }
    secure_zero(x);  // a copy of the state (or of a key word)
}
#endif
constexpr std::uint8_t sbox_constant = 0x63;  // the S-box affine map's constant (FIPS 197 §5.1.1)

// Fixslicing (Adomnicai and Peyrin, "Fixslicing AES-like ciphers", TCHES 2021/1, ePrint 2020/1123):
// ShiftRows (§5.1.2) only moves bytes, so instead of moving them every round we keep the state "in
// representation m": the true state is ShiftRows^m of the stored one, true(r, c) = stored(r, c + m*r),
// with m = (rounds done) mod 4. ShiftRows then costs nothing (it increments m), the round keys are
// stored in the representation of their round, and MixColumns reads its column across the shifted
// positions: row r + j of a column is m*j columns further right.
//
// FIPS 197 §5.1.3 MixColumns in representation m. With x_j = row r + j of the column,
// s'_r = 2*x_0 + 3*x_1 + x_2 + x_3 = 2*(x_0 + x_1) + x_1 + (x_2 + x_3), and x_2 + x_3 is the row sum
// x_0 + x_1 moved up two rows (and 2*m columns). Multiplication by 2 (xtime, §4.2.1) is a shift of
// the bit planes with the carry q[7] folded into bits 0, 1, 3 and 4 (x^8 = x^4 + x^3 + x + 1).
template <unsigned m>
inline void mix_columns(State& q) {
    Plane next[8], sum[8];
    for (int b = 0; b < 8; b++) {
        next[b] = rotate_rows<1>(rotate_columns<4 * m>(q[b]));
        sum[b] = q[b] ^ next[b];
    }
    const Plane carry = sum[7];
    const Plane twice[8] = {carry, sum[0] ^ carry, sum[1], sum[2] ^ carry, sum[3] ^ carry, sum[4], sum[5], sum[6]};
    for (int b = 0; b < 8; b++) q[b] = twice[b] ^ next[b] ^ rotate_rows<2>(rotate_columns<8 * m>(sum[b]));
}

// The compact build's rotations, on one 64-bit lane (one group of one plane) with the amount known
// at run time: rotate_columns<n> for n in [0, 16) and rotate_rows<n> for n = 1, 2.
inline u64 rotate_columns(u64 x, unsigned n) {
    const u64 stay = 0x0001'0001'0001'0001 * (0xFFFFu >> n);  // the bits that move right in their field
    return ((x >> n) & stay) | ((x << (16 - n)) & ~stay);
}
inline u64 rotate_rows(u64 x, unsigned n) { return (x >> (16 * n)) | (x << (64 - 16 * n)); }

// mix_columns<m> for the compact build, one group at a time.
inline void mix_columns(State& q, unsigned m) {
    for (unsigned g = 0; g < groups; g++) {
        u64 next[8], sum[8];
        for (int b = 0; b < 8; b++) {
            next[b] = rotate_rows(rotate_columns(q[b][g], 4 * m % 16), 1);
            sum[b] = q[b][g] ^ next[b];
        }
        const u64 carry = sum[7];
        const u64 twice[8] = {carry,  sum[0] ^ carry, sum[1], sum[2] ^ carry,
                              sum[3] ^ carry, sum[4], sum[5], sum[6]};
        for (int b = 0; b < 8; b++)
            q[b][g] = twice[b] ^ next[b] ^ rotate_rows(rotate_columns(sum[b], 8 * m % 16), 2);
    }
}

// From representation 2 back to the true state: rows 1 and 3 rotate by two columns (ShiftRows^2).
inline void undo_shift_rows_twice(State& q) {
    constexpr u64 rows13 = 0xFFFF'0000'FFFF'0000;
    if constexpr (compact) {
        for (auto& w : q)
            for (unsigned g = 0; g < groups; g++)
                w[g] = (w[g] & ~rows13) | (rotate_columns(u64(w[g]), 8) & rows13);
    } else {
        for (auto& w : q) w = (w & ~rows13) | (rotate_columns<8>(w) & rows13);
    }
}

// §5.1.4 AddRoundKey. Round keys are stored as eight full-width planes (the same four blocks in each
// group), already in the representation of their round.
inline void add_round_key(State& q, const u64* round_key) {
    for (int b = 0; b < 8; b++) {
        Plane k;
        std::memcpy(&k, round_key + groups * b, sizeof k);
        q[b] ^= k;
    }
}
constexpr std::size_t key_words = 8 * groups;  // one round key in the schedule
static_assert(sizeof(Aes::Schedule::words) >= (Aes::max_rounds + 1) * key_words * sizeof(u64));

// Spreads the four bytes of a little-endian column word to bits 0, 16, 32, 48 (and back).
inline u64 spread_bytes(std::uint32_t x) {
    u64 v = x;
    v = (v | (v << 16)) & 0x0000'FFFF'0000'FFFF;
    return (v | (v << 8)) & 0x00FF'00FF'00FF'00FF;
}
inline std::uint32_t gather_bytes(u64 v) {
    v &= 0x00FF'00FF'00FF'00FF;
    v = (v | (v >> 8)) & 0x0000'FFFF'0000'FFFF;
    return std::uint32_t(v | (v >> 16));
}

// Transposes eight words seen as 8x8 bit matrices per byte lane: bit b of byte j of word k moves to
// bit k of byte j of word b. Three "swap-move" rounds; the transform is its own inverse.
inline void transpose(State& w) {
    constexpr u64 masks[3] = {0x5555'5555'5555'5555, 0x3333'3333'3333'3333, 0x0F0F'0F0F'0F0F'0F0F};
    for (unsigned level = 0; level < 3; level++) {
        const unsigned s = 1u << level;
        for (unsigned i = 0; i < 8; i++) {
            if (i & s) continue;
            const Plane t = ((w[i] >> s) ^ w[i + s]) & masks[level];
            w[i + s] ^= t;
            w[i] ^= t << s;
        }
    }
}

// Eight 16-byte blocks -> bitsliced state. In group g, word 4*(c & 1) + k gets, in byte
// 2*r + (c >> 1), the byte at row r, column c of block 4*g + k; after the transpose, byte j of word
// w is bit 8*j + w of each plane, which is 16*r + 4*c + k.
inline void load_blocks(State& q, const std::uint8_t* in) {
    for (unsigned g = 0; g < groups; g++)
        for (unsigned k = 0; k < 4; k++) {
            const std::uint8_t* p = in + 64 * g + 16 * k;
            for (unsigned c = 0; c < 2; c++)
                q[4 * c + k][g] = spread_bytes(load_le32(p + 4 * c)) | spread_bytes(load_le32(p + 4 * c + 8)) << 8;
        }
    transpose(q);
}
inline void store_blocks(std::uint8_t* out, State& q) {
    transpose(q);
    for (unsigned g = 0; g < groups; g++)
        for (unsigned k = 0; k < 4; k++) {
            std::uint8_t* p = out + 64 * g + 16 * k;
            for (unsigned c = 0; c < 2; c++) {
                store_le32(p + 4 * c, gather_bytes(q[4 * c + k][g]));
                store_le32(p + 4 * c + 8, gather_bytes(q[4 * c + k][g] >> 8));
            }
        }
}

// Work that a caller interleaves with the rounds (see encrypt_state); this one does nothing.
struct NoWork {
    void after_sub_bytes(unsigned) {}
    void after_mix_columns(unsigned) {}
};

// One full round (§5.1: SubBytes, ShiftRows, MixColumns, AddRoundKey) that ends in representation m.
template <unsigned m, class Work>
inline void full_round(State& q, const u64* round_key, unsigned round, Work& work) {
    sub_bytes_without_constant(q);
    work.after_sub_bytes(round);
    mix_columns<m>(q);
    work.after_mix_columns(round);
    add_round_key(q, round_key);
}

// FIPS 197 §5.1 Cipher on the eight blocks held in q. Rounds are unrolled by four so that each
// MixColumns knows its representation (the compact build: one rolled loop); the branches depend only
// on the key length. `work` is called inside every full round: the vector units run the cipher while
// other work (GCM's GHASH, on the integer multiplier) fills the gaps; an out-of-order CPU overlaps the
// two.
template <class Work = NoWork>
inline void encrypt_state(State& q, const u64* round_keys, unsigned rounds, Work&& work = {}) {
    add_round_key(q, round_keys);
    if constexpr (compact) {
        for (unsigned round = 1; round < rounds; round++) {
            sub_bytes_without_constant(q);
            work.after_sub_bytes(round);
            mix_columns(q, round % 4);
            work.after_mix_columns(round);
            add_round_key(q, round_keys + key_words * round);
        }
    } else {
        unsigned round = 1;
        for (; round + 4 <= rounds; round += 4) {
            full_round<1>(q, round_keys + key_words * round, round, work);
            full_round<2>(q, round_keys + key_words * (round + 1), round + 1, work);
            full_round<3>(q, round_keys + key_words * (round + 2), round + 2, work);
            full_round<0>(q, round_keys + key_words * (round + 3), round + 3, work);
        }
        if (round < rounds) full_round<1>(q, round_keys + key_words * round, round, work), round++;
        if (round < rounds) full_round<2>(q, round_keys + key_words * round, round, work), round++;
        if (round < rounds) full_round<3>(q, round_keys + key_words * round, round, work), round++;
    }
    // Final round: SubBytes, ShiftRows (representation rounds mod 4), AddRoundKey; then back to the
    // true state. Nr = 10, 12, 14 ends in representation 2, 0, 2.
    sub_bytes_without_constant(q);
    add_round_key(q, round_keys + key_words * rounds);
    if (rounds % 4 == 2) undo_shift_rows_twice(q);
}

// One CTR pass (SP 800-38D §6.5 GCTR): out = in XOR first n bytes (n <= state_bytes) of
// E(counter), E(inc32(counter)), ...; counter is advanced past the blocks used. `work` as above.
template <class Work = NoWork>
inline void ctr_pass(const u64* round_keys, unsigned rounds, std::uint8_t* counter, const std::uint8_t* in,
                     std::uint8_t* out, std::size_t n, Work&& work = {}) {
    std::uint8_t blocks[state_bytes];
    const std::uint32_t ctr = load_be32(counter + 12);
    for (unsigned k = 0; k < state_bytes / 16; k++) {
        std::memcpy(blocks + 16 * k, counter, 12);
        store_be32(blocks + 16 * k + 12, ctr + k);  // inc32: wraps modulo 2^32 (§6.2)
    }
    store_be32(counter + 12, ctr + std::uint32_t((n + 15) / 16));
    State q;
    load_blocks(q, blocks);
    encrypt_state(q, round_keys, rounds, work);
    store_blocks(blocks, q);
    for (std::size_t i = 0; i < n; i++) out[i] = std::uint8_t(in[i] ^ blocks[i]);
    secure_zero(blocks, sizeof blocks);
}

}  // namespace padlock::aes_bitsliced
