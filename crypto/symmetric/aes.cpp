// SPDX-License-Identifier: Apache-2.0
// AES block cipher (FIPS 197 §5.2 KeyExpansion; §5.1 Cipher through the bitsliced core in
// crypto/symmetric/detail/aes_bitsliced.hpp), plus the CTR keystream of SP 800-38D §6.5 (GCTR with inc32).
#include "crypto/symmetric/aes.hpp"

#include <cstring>

#include "crypto/symmetric/detail/aes_bitsliced.hpp"
#include "crypto/ct.hpp"
#include "crypto/endian.hpp"

namespace padlock {
namespace {

using namespace aes_bitsliced;

// §5.2 SubWord, through the same circuit (the key is secret too): the four bytes go to the first
// column of block 0.
std::uint32_t sub_word(std::uint32_t w) {
    std::uint8_t block[state_bytes] = {};
    store_be32(block, w);
    State q;
    load_blocks(q, block);
    sub_bytes_without_constant(q);
    store_blocks(block, q);
    const std::uint32_t r = load_be32(block) ^ 0x6363'6363u;
    secure_zero(block, sizeof block);
    secure_zero(q);
    return r;
}

// Round key `round` (16 bytes, FIPS 197 byte order: row r, column c at r + 4*c) as eight planes in
// the representation of its round, (round mod 4), with the S-box constant 0x63 added to every byte
// of the keys after the first. That constant passes unchanged through ShiftRows and MixColumns (each
// MixColumns row has coefficients 2 + 3 + 1 + 1 = 1), so adding it here completes every S-box.
void round_key_planes(const std::uint8_t key[16], unsigned round, u64* planes) {
    const unsigned m = round % 4;
    std::uint8_t stored[16];
    for (unsigned r = 0; r < 4; r++)
        for (unsigned c = 0; c < 4; c++)  // stored(r, c) = true(r, c - m*r)
            stored[r + 4 * c] = std::uint8_t(key[r + 4 * ((c + 4 - m * r % 4) % 4)] ^ (round ? sbox_constant : 0));
    std::uint8_t blocks[state_bytes];
    for (unsigned k = 0; k < state_bytes / 16; k++) std::memcpy(blocks + 16 * k, stored, 16);
    State q;
    load_blocks(q, blocks);
    std::memcpy(planes, q, sizeof q);
    secure_zero(q);
    secure_zero(stored, sizeof stored);
    secure_zero(blocks, sizeof blocks);
}

// §5.2 KeyExpansion into w[0 .. 4*(Nr+1)), then each round key in bitsliced form. Branches depend
// only on the key length.
void expand_key(Bytes key, unsigned rounds, u64* schedule) {
    const unsigned nk = unsigned(key.size() / 4);
    std::uint32_t w[4 * (Aes::max_rounds + 1)];
    for (unsigned i = 0; i < nk; i++) w[i] = load_be32(key.data() + 4 * i);
    std::uint32_t rcon = 0x01;  // Rcon[i/Nk] = x^(i/Nk - 1) in GF(2^8), in the high byte
    for (unsigned i = nk; i < 4 * (rounds + 1); i++) {
        std::uint32_t temp = w[i - 1];
        if (i % nk == 0) {
            temp = sub_word((temp << 8) | (temp >> 24)) ^ (rcon << 24);  // RotWord, SubWord, Rcon
            rcon = (rcon << 1) ^ (0x11B & (0u - (rcon >> 7)));
        } else if (nk > 6 && i % nk == 4) {
            temp = sub_word(temp);
        }
        w[i] = w[i - nk] ^ temp;
    }
    for (unsigned r = 0; r <= rounds; r++) {
        std::uint8_t bytes[16];
        for (unsigned j = 0; j < 4; j++) store_be32(bytes + 4 * j, w[4 * r + j]);
        round_key_planes(bytes, r, schedule + key_words * r);
        secure_zero(bytes, sizeof bytes);
    }
    secure_zero(w, sizeof w);
}

}  // namespace

CryptoError Aes::init(Bytes key) {
    secure_zero(schedule_);
    rounds_ = 0;
    switch (key.size()) {  // FIPS 197 §5 Figure 4: Nr from Nk (the key length is public)
        case 16: rounds_ = 10; break;
        case 24: rounds_ = 12; break;
        case 32: rounds_ = 14; break;
        default: return CryptoError::bad_key_length;
    }
    expand_key(key, rounds_, schedule_.words);
    return CryptoError::ok;
}

CryptoError Aes::encrypt_blocks(Bytes in, MutBytes out) const {
    if (in.size() != out.size() || in.size() % block_size != 0 || rounds_ == 0) return CryptoError::bad_input_length;
    std::uint8_t blocks[state_bytes];
    for (std::size_t done = 0; done < in.size(); done += state_bytes) {
        const std::size_t n = in.size() - done < state_bytes ? in.size() - done : state_bytes;
        std::memset(blocks, 0, sizeof blocks);
        std::memcpy(blocks, in.data() + done, n);
        State q;
        load_blocks(q, blocks);
        encrypt_state(q, schedule_.words, rounds_);
        store_blocks(blocks, q);
        std::memcpy(out.data() + done, blocks, n);
    }
    secure_zero(blocks, sizeof blocks);
    return CryptoError::ok;
}

CryptoError Aes::ctr32_xor(std::span<std::uint8_t, block_size> counter, Bytes in, MutBytes out) const {
    if (in.size() != out.size() || rounds_ == 0) return CryptoError::bad_input_length;
    for (std::size_t done = 0; done < in.size(); done += state_bytes) {
        const std::size_t n = in.size() - done < state_bytes ? in.size() - done : state_bytes;
        ctr_pass(schedule_.words, rounds_, counter.data(), in.data() + done, out.data() + done, n);
    }
    return CryptoError::ok;
}

void aes_detail::sub_bytes(std::span<std::uint8_t, 64> bytes) {
    std::uint8_t blocks[state_bytes] = {};
    std::memcpy(blocks, bytes.data(), bytes.size());
    State q;
    load_blocks(q, blocks);
    sub_bytes_without_constant(q);
    store_blocks(blocks, q);
    for (std::size_t i = 0; i < bytes.size(); i++) bytes[i] = std::uint8_t(blocks[i] ^ sbox_constant);
}

Aes::~Aes() {
    secure_zero(schedule_);
    rounds_ = 0;
}

}  // namespace padlock
