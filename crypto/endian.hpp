// SPDX-License-Identifier: Apache-2.0
// Explicit big- and little-endian loads and stores. Every multi-byte access to a byte buffer in the
// library goes through these, so the code is correct on any host byte order and never type-puns.
#pragma once

#include <cstdint>

namespace padlock {

inline std::uint32_t load_be32(const std::uint8_t* p) {
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
}
inline std::uint64_t load_be64(const std::uint8_t* p) {
    return std::uint64_t(load_be32(p)) << 32 | load_be32(p + 4);
}
inline std::uint32_t load_le32(const std::uint8_t* p) {
    return std::uint32_t(p[3]) << 24 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[1]) << 8 | p[0];
}
inline std::uint64_t load_le64(const std::uint8_t* p) {
    return std::uint64_t(load_le32(p + 4)) << 32 | load_le32(p);
}
inline void store_be32(std::uint8_t* p, std::uint32_t v) {
    p[0] = std::uint8_t(v >> 24); p[1] = std::uint8_t(v >> 16); p[2] = std::uint8_t(v >> 8); p[3] = std::uint8_t(v);
}
inline void store_be64(std::uint8_t* p, std::uint64_t v) {
    store_be32(p, std::uint32_t(v >> 32)); store_be32(p + 4, std::uint32_t(v));
}
inline void store_le32(std::uint8_t* p, std::uint32_t v) {
    p[0] = std::uint8_t(v); p[1] = std::uint8_t(v >> 8); p[2] = std::uint8_t(v >> 16); p[3] = std::uint8_t(v >> 24);
}
inline void store_le64(std::uint8_t* p, std::uint64_t v) {
    store_le32(p, std::uint32_t(v)); store_le32(p + 4, std::uint32_t(v >> 32));
}

}  // namespace padlock
