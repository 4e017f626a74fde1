// SPDX-License-Identifier: Apache-2.0
// Wycheproof driver for aead_test_schema_v1: AES-GCM (any key and IV size AesGcm takes) and
// ChaCha20-Poly1305. A valid case must open to exactly msg and seal to exactly ct || tag; an
// invalid case must be rejected by open. Other algorithms (AES-CCM, ...) are rejected with a note.
#include <string>
#include <vector>

#include "crypto/symmetric/chacha20_poly1305.hpp"
#include "crypto/symmetric/gcm.hpp"
#include "tools/vectors/drivers.hpp"

namespace padlock::vectors {
namespace {

template <class Cipher>
Verdict run_case(const Case& c) {
    const auto key = hex(c.test["key"]), iv = hex(c.test["iv"]), aad = hex(c.test["aad"]);
    const auto msg = hex(c.test["msg"]), ct = hex(c.test["ct"]), tag = hex(c.test["tag"]);
    Cipher cipher;
    if (CryptoError e = cipher.init(key); e != CryptoError::ok) return {false, true, std::string("init: ") + error_name(e)};
    if (tag.size() != Cipher::tag_size) return {false, true, "unsupported tag size: rejected"};

    // Decryption decides acceptance.
    std::vector<std::uint8_t> opened(ct.size());
    if (CryptoError e = cipher.open(iv, aad, ct, tag, opened); e != CryptoError::ok)
        return {false, true, std::string("open: ") + error_name(e)};
    bool output_ok = opened == msg;

    // Encryption must reproduce the expected ciphertext and tag exactly.
    std::vector<std::uint8_t> sealed(msg.size());
    std::uint8_t sealed_tag[Cipher::tag_size];
    CryptoError e = cipher.seal(iv, aad, msg, sealed, sealed_tag);
    output_ok = output_ok && e == CryptoError::ok && sealed == ct &&
                std::vector<std::uint8_t>(sealed_tag, sealed_tag + Cipher::tag_size) == tag;
    return {true, output_ok, output_ok ? "" : "output differs"};
}

}  // namespace

Verdict aead_case(const Case& c) {
    const std::string algorithm = c.file.value("algorithm", "");
    if (algorithm == "AES-GCM") return run_case<AesGcm>(c);
    if (algorithm == "CHACHA20-POLY1305") return run_case<ChaCha20Poly1305>(c);
    return {false, true, "unsupported algorithm: rejected"};
}

}  // namespace padlock::vectors
