// SPDX-License-Identifier: Apache-2.0
// AES-GCM authenticated encryption (NIST SP 800-38D): GCTR encryption plus the GHASH universal hash
// over GF(2^128). Constant time: bitsliced AES and a table-free carry-less multiply; the tag is
// compared in constant time before any plaintext is released.
//
// Dispatch (crypto/cpu.hpp, the shared Backend idiom): init() picks a backend once from
// cpu::features() (on x86-64 with accel=auto: VAES + VPCLMULQDQ on 512-bit registers with AVX-512,
// else on 256-bit registers with AVX2, else AES-NI + PCLMULQDQ, else portable) and keeps the
// pointer; seal() and open() run the backend the object was keyed with.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/symmetric/aes.hpp"
#include "crypto/common.hpp"

namespace padlock {

class AesGcm {
public:
    static constexpr std::size_t tag_size = 16;

    // Key of 16, 24 or 32 bytes (AES-128/192/256); other sizes give bad_key_length and leave the
    // object unkeyed (seal/open then return bad_key_length).
    [[nodiscard]] CryptoError init(Bytes key);

    // SP 800-38D §7.1 GCM-AE. Any IV of at least one byte: 12 bytes is the fast path, other lengths
    // are hashed with GHASH (§7.1 step 2); an empty IV gives bad_nonce_length.
    // out.size() must equal plaintext.size() (else bad_input_length); out may be the plaintext buffer
    // itself (in place) but must not otherwise overlap it. Plaintext longer than 2^36 - 32 bytes
    // (SP 800-38D §5.2.1.1) gives bad_input_length.
    [[nodiscard]] CryptoError seal(Bytes iv, Bytes aad, Bytes plaintext, MutBytes out,
                             std::span<std::uint8_t, tag_size> tag) const;

    // SP 800-38D §7.2 GCM-AD. tag.size() must be tag_size (else bad_tag_length). The tag is checked
    // in constant time before plaintext is released; on mismatch out is filled with zeros and
    // auth_failed is returned. Same IV, size and aliasing rules as seal.
    [[nodiscard]] CryptoError open(Bytes iv, Bytes aad, Bytes ciphertext, Bytes tag, MutBytes out) const;

    ~AesGcm();  // wipes the round keys and the hash key H

    // Hash-key material for GHASH: H, H^2, H^3, H^4 (four blocks are hashed per reduction), as the
    // portable backend wants it: each power's 64-bit halves hi, lo and hi^lo (the Karatsuba
    // operands), each split into four interleaved parts of its low 60 bits plus four masks for its
    // top bits.
    struct HashKey {
        std::uint64_t powers[4][3][8];
    };
#if defined(PADLOCK_ACCEL_X86)
    // Key material of the x86 backends (crypto/symmetric/gcm_x86.cpp): H^16, H^15, ..., H as byte-reversed
    // 128-bit integers (H^(16 - m) at m, the order four-block registers multiply them in), the xor of
    // each power's two 64-bit halves in both halves (Karatsuba), and the FIPS 197 round keys in byte order.
    struct X86Key {
        alignas(64) std::uint8_t h_powers[16][16];
        alignas(64) std::uint8_t h_karatsuba[16][16];
        alignas(16) std::uint8_t round_keys[15][16];
        unsigned rounds;
    };
#endif
    // All key material; a backend fills and reads only its own part.
    struct Key {
        Aes aes;           // portable
        HashKey hash;      // portable
#if defined(PADLOCK_ACCEL_X86)
        X86Key x86;        // aesni, vaes256, vaes512
#endif
    };
    struct Backend;  // the dispatch point (crypto/symmetric/detail/gcm_backend.hpp), chosen once in init

    // The backend init() chose, for tests and the benchmark: "portable", "aesni", "vaes256" or
    // "vaes512" ("portable" before init).
    const char* backend_name() const;

private:
    Key key_{};
    const Backend* backend_ = nullptr;
};

}  // namespace padlock
