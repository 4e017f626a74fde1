// SPDX-License-Identifier: Apache-2.0
// What the caller enables (GUIDE.md tls/config.hpp): the cipher suites, the record size limit
// (RFC 8449) and the key log; and the per-connection memory budget as visible arithmetic (STYLE.md
// item 2). Groups, signature schemes and roles join this file with the handshake state machines.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "tls/key_schedule.hpp"
#include "tls/record.hpp"
#include "tls/suite.hpp"
#include "tls/transcript.hpp"

namespace padlock::tls {

// The caller lists the suites it enables, by descriptor (tls/suite.hpp), in preference order:
//   static const CipherSuite* const suites[] = {&tls_aes_128_gcm_sha256};
//   Config config{suites};
// Only the named descriptors are referenced, so only their hash and AEAD are linked; nothing in
// tls/ holds a table of every suite.
struct Config {
    std::span<const CipherSuite* const> cipher_suites;
    // RFC 8449 §4: the largest TLSInnerPlaintext we accept (content + type + padding), 64 .. 2^14 + 1.
    // Must not exceed the ConnectionMemory it runs in (ConnectionMemory::record_size_limit).
    std::size_t record_size_limit = max_inner_plaintext_size;
    KeyLog key_log{};  // off by default: write == nullptr
};

// The memory of one connection, a compile-time constant that depends on the record size limit.
// Every term, and why it is there:
//   incoming record   5 (header, §5.1) + RecordSizeLimit (TLSInnerPlaintext: content + 1 type byte +
//                     padding, RFC 8449 §4) + 16 (AEAD tag, §5.2). A peer may send up to 2^14 + 256
//                     bytes of ciphertext (§5.2), but any such record beyond 2^14 + 1 + 16 would carry
//                     an inner plaintext over the §5.4 limit, so it is rejected (record_overflow)
//                     without being buffered: 16406 bytes is enough for every legal record.
//   outgoing record   the same sum: we never send a record larger than our own buffer (a smaller
//                     peer limit only makes records smaller).
//   record layer      two RecordProtection (AEAD state: AES-GCM round keys + GHASH powers, or the
//                     ChaCha20 key; the traffic secret, IV and sequence number) + limits + flags.
//   key schedule      the current stage secret (48) + hash pointer + key-log hook + client_random.
//   transcript        one running hash state (SHA-384's is the larger) + hash pointer.
// A small limit (e.g. 2048, negotiated with record_size_limit) shrinks both record buffers; it only
// works with a peer that honours record_size_limit (RFC 8449 §4; a peer that ignores the extension
// may send 2^14-byte records, which such a connection must reject with record_overflow).
template <std::size_t RecordSizeLimit = max_inner_plaintext_size>
struct ConnectionMemory {
    static_assert(RecordSizeLimit >= min_record_size_limit && RecordSizeLimit <= max_inner_plaintext_size,
                  "RFC 8449 §4: 64 <= record_size_limit <= 2^14 + 1");
    static constexpr std::size_t record_size_limit = RecordSizeLimit;
    static constexpr std::size_t record_buffer = record_header_size + RecordSizeLimit + tag_size;
    static_assert(record_buffer == record_buffer_size(RecordSizeLimit));

    std::uint8_t incoming[record_buffer];
    std::uint8_t outgoing[record_buffer];
    RecordLayer records;
    KeySchedule key_schedule;
    Transcript transcript;
};

// The arithmetic, checked: a full-size record buffer is 5 + 16385 + 16 bytes.
static_assert(ConnectionMemory<>::record_buffer == 16406);
static_assert(ConnectionMemory<2048>::record_buffer == 2069);
static_assert(sizeof(ConnectionMemory<>) >= 2 * 16406 + sizeof(RecordLayer) + sizeof(KeySchedule) +
                                                sizeof(Transcript));
// No hidden growth: the object is its parts plus at most alignment padding.
template <std::size_t L>
constexpr std::size_t connection_parts_size = 2 * ConnectionMemory<L>::record_buffer + sizeof(RecordLayer) +
                                              sizeof(KeySchedule) + sizeof(Transcript);
static_assert(sizeof(ConnectionMemory<>) <= connection_parts_size<max_inner_plaintext_size> + 3 * alignof(std::max_align_t) + 64);
static_assert(sizeof(ConnectionMemory<2048>) <= connection_parts_size<2048> + 3 * alignof(std::max_align_t) + 64);

}  // namespace padlock::tls
