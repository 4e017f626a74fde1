// SPDX-License-Identifier: Apache-2.0
// Wycheproof drivers for mac_test_schema_v1 (HMAC-SHA-1/SHA-2, tags possibly truncated to the
// group's tagSize) and hkdf_test_schema_v1 (HKDF over SHA-1/SHA-2). Other MACs (HMAC-SHA3, CMAC,
// ...) and hashes (SHA-512/224, ...) are rejected with a note.
#include <optional>
#include <string>
#include <vector>

#include "crypto/hash/hkdf.hpp"
#include "crypto/hash/hmac.hpp"
#include "tools/vectors/drivers.hpp"

namespace padlock::vectors {
namespace {

std::optional<HashAlg> hash_from_name(const std::string& name) {
    if (name == "SHA1" || name == "SHA-1") return HashAlg::sha1;
    if (name == "SHA224" || name == "SHA-224") return HashAlg::sha224;
    if (name == "SHA256" || name == "SHA-256") return HashAlg::sha256;
    if (name == "SHA384" || name == "SHA-384") return HashAlg::sha384;
    if (name == "SHA512" || name == "SHA-512") return HashAlg::sha512;
    return std::nullopt;
}

}  // namespace

// A case is accepted iff HMAC(key, msg) truncated to tagSize bits equals the given tag. The tag's
// length must be exactly tagSize: a shorter tag would otherwise pass as a matching prefix.
Verdict mac_case(const Case& c) {
    const std::string algorithm = c.file.value("algorithm", "");
    const std::string prefix = "HMAC";
    if (algorithm.rfind(prefix, 0) != 0) return {false, true, "unsupported MAC " + algorithm + ": rejected"};
    const auto alg = hash_from_name(algorithm.substr(prefix.size()));
    if (!alg) return {false, true, "unsupported hash " + algorithm + ": rejected"};

    const auto key = hex(c.test["key"]), msg = hex(c.test["msg"]), tag = hex(c.test["tag"]);
    const std::size_t tag_bits = c.group.value("tagSize", std::size_t(0));
    if (tag_bits == 0 || tag_bits % 8 != 0 || tag_bits / 8 > hash_size(*alg))
        return {false, true, "unsupported tagSize " + std::to_string(tag_bits) + ": rejected"};
    if (tag.size() != tag_bits / 8) return {false, true, "tag length differs from tagSize: rejected"};

    // hmac_verify compares in constant time; acceptance is exactly "the output matches".
    switch (hmac_verify(*alg, key, msg, tag)) {
    case CryptoError::ok: return {true, true, ""};
    case CryptoError::auth_failed: return {false, true, "tag mismatch"};
    default: return {false, true, "bad tag length"};
    }
}

// A case is accepted iff HKDF produces `size` bytes; the output must then equal okm.
// Sizes above 255 * HashLen are refused by hkdf (RFC 5869 §2.3) with output_too_long.
Verdict hkdf_case(const Case& c) {
    const std::string algorithm = c.file.value("algorithm", "");
    const std::string prefix = "HKDF-";
    if (algorithm.rfind(prefix, 0) != 0) return {false, true, "unsupported KDF " + algorithm + ": rejected"};
    const auto alg = hash_from_name(algorithm.substr(prefix.size()));
    if (!alg) return {false, true, "unsupported hash " + algorithm + ": rejected"};

    const auto ikm = hex(c.test["ikm"]), salt = hex(c.test["salt"]), info = hex(c.test["info"]);
    const auto okm = hex(c.test["okm"]);
    const std::size_t size = c.test.value("size", std::size_t(0));
    std::vector<std::uint8_t> out(size);
    if (CryptoError e = hkdf(*alg, salt, ikm, info, out); e != CryptoError::ok)
        return {false, true, e == CryptoError::output_too_long ? "output_too_long" : "hkdf failed"};
    const bool output_ok = out == okm;
    return {true, output_ok, output_ok ? "" : "output differs"};
}

}  // namespace padlock::vectors
