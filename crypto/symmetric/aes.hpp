// SPDX-License-Identifier: Apache-2.0
// AES-128/192/256 block cipher (FIPS 197) and the CTR keystream GCM needs (SP 800-38D §6.5 GCTR).
// The portable implementation is bitsliced: no table is indexed by key or data, so every function
// here runs in time that depends only on the lengths of its inputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/common.hpp"

namespace padlock {

class Aes {
public:
    static constexpr std::size_t block_size = 16;
    static constexpr std::size_t max_rounds = 14;  // AES-256 (FIPS 197 §5, Nr = 14)

    // Expands a 16-, 24- or 32-byte key (FIPS 197 §5.2); any other size gives bad_key_length and
    // leaves the object without a key (every later call then fails or does nothing).
    [[nodiscard]] CryptoError init(Bytes key);

    // ECB encryption of whole blocks (FIPS 197 §5.1 Cipher). in.size() must equal out.size() and be
    // a multiple of 16 (else bad_input_length). in and out may be the same buffer.
    [[nodiscard]] CryptoError encrypt_blocks(Bytes in, MutBytes out) const;

    // CTR mode with a 32-bit big-endian counter in the last four bytes of `counter`
    // (SP 800-38D §6.2 inc32, §6.5 GCTR): out = in XOR E(counter), E(inc32(counter)), ...
    // `counter` is advanced past the blocks used, so a message can be processed in pieces that are
    // multiples of 16 bytes. in.size() must equal out.size() (else bad_input_length); in and out
    // may be the same buffer (but must not otherwise overlap).
    [[nodiscard]] CryptoError ctr32_xor(std::span<std::uint8_t, block_size> counter, Bytes in, MutBytes out) const;

    bool has_key() const { return rounds_ != 0; }

    // The expanded key, for GCM backends that drive the cipher themselves (crypto/symmetric/gcm.cpp).
    unsigned rounds() const { return rounds_; }
    ~Aes();

    // Round keys as the selected backend wants them (the portable one: each round key as eight
    // 128-bit bit planes). Opaque storage so that an accelerated backend can keep its own layout
    // behind the same object.
    struct Schedule {
        alignas(16) std::uint64_t words[(max_rounds + 1) * 8 * 2];
    };
    const Schedule& schedule() const { return schedule_; }

private:
    Schedule schedule_{};
    unsigned rounds_ = 0;  // Nr: 10, 12 or 14; 0 = no key
};

// FIPS 197 §5.1.1 SubBytes through the bitsliced circuit, on 64 bytes in place. Not for callers: it
// exists so the tests can compare the circuit with the S-box definition for every input.
namespace aes_detail {
void sub_bytes(std::span<std::uint8_t, 64> bytes);
}

}  // namespace padlock
