// SPDX-License-Identifier: Apache-2.0
// TLS 1.3 record protection (RFC 8446 §5): TLSCiphertext sealed and opened in place in caller
// buffers, the per-record nonce (§5.3), TLSInnerPlaintext content type and zero padding (§5.4), the
// length limits (§5.1, §5.2, RFC 8449), sequence numbers, key update (§4.6.3, §7.2) and the §5.5 key
// usage limit. Sans-IO: the caller frames records (parse_record_header) and moves the bytes.
//
// In-place layout of a record buffer (both directions):
//   [0, 5)            header: opaque_type(23) || legacy_record_version(03 03) || length (§5.2)
//   [5, 5 + n)        content (the TLSPlaintext fragment), then its content type byte and padding
//   [.., .. + 16)     AEAD tag
// Constant time: the AEADs are; the padding scan reads every byte of the inner plaintext and finds the
// content type with masks (§5.4 warns that padding removal can leak through timing).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/common.hpp"
#include "tls/alert.hpp"
#include "tls/key_schedule.hpp"
#include "tls/suite.hpp"

namespace padlock::tls {

enum class ContentType : std::uint8_t {  // §5.1
    invalid = 0,
    change_cipher_spec = 20,
    alert = 21,
    handshake = 22,
    application_data = 23,
};

inline constexpr std::size_t record_header_size = 5;                       // §5.1: type, version, length
inline constexpr std::size_t max_plaintext_size = 1u << 14;               // §5.1: TLSPlaintext.length
inline constexpr std::size_t max_inner_plaintext_size = max_plaintext_size + 1;  // §5.4 (+ content type)
inline constexpr std::size_t max_ciphertext_size = max_plaintext_size + 256;     // §5.2
inline constexpr std::size_t min_record_size_limit = 64;                  // RFC 8449 §4
// Bytes of a buffer that holds one protected record whose TLSInnerPlaintext is at most inner_limit
// bytes (RFC 8449 §4: the record_size_limit counts the content type and padding).
constexpr std::size_t record_buffer_size(std::size_t inner_limit) {
    return record_header_size + inner_limit + tag_size;
}

struct RecordHeader {
    ContentType type;
    std::size_t length;  // of the fragment that follows the header
};
// §5.1 record header. Errors: unexpected_content_type (not 20..23), plaintext_too_long (an
// unprotected record longer than 2^14, §5.1), record_too_long (a protected one beyond 2^14 + 256,
// §5.2). legacy_record_version is not checked (§5.1: "MUST be ignored for all purposes").
TlsError parse_record_header(std::span<const std::uint8_t, record_header_size> header, RecordHeader& out);

// One direction of record protection: the traffic secret, the key and IV derived from it (§7.3),
// and the sequence number (§5.3). Not copyable; wipes everything on destruction.
class RecordProtection {
public:
    RecordProtection() = default;
    ~RecordProtection() { clear(); }
    RecordProtection(const RecordProtection&) = delete;
    RecordProtection& operator=(const RecordProtection&) = delete;

    // §7.3: key and IV from traffic_secret; the sequence number restarts at 0 (§5.3). The secret is
    // kept for update_traffic_secret (§7.2); the caller may wipe its copy.
    TlsError install(const CipherSuite& suite, Bytes traffic_secret);
    // §7.2: application_traffic_secret_N+1 and new keys; the old secret, key and IV are wiped.
    TlsError update_traffic_secret();
    void clear();  // back to unkeyed, everything wiped
    bool keyed() const { return suite_ != nullptr; }
    const CipherSuite* suite() const { return suite_; }

    std::uint64_t sequence() const { return sequence_; }
    // Moves the sequence number (tests of the §5.3/§5.5 limits; a real connection never needs it).
    void set_sequence(std::uint64_t sequence) { sequence_ = sequence; }
    // §5.5: one record is left under this key (kept for the KeyUpdate that replaces it).
    bool key_update_due() const;

    // Seals record[5, 5 + content_size) in place as one TLSCiphertext of outer type 23: appends the
    // content type and `padding` zero bytes, encrypts, writes the header in front and the tag after;
    // record_size receives the whole record's length. Errors: api_misuse (unkeyed, type invalid or
    // change_cipher_spec, content_size + 1 + padding over inner_limit), buffer_too_small,
    // sequence_number_exhausted, key_update_required (the §5.5 limit: no records left for this key).
    TlsError seal(ContentType type, MutBytes record, std::size_t content_size, std::size_t padding,
                  std::size_t inner_limit, std::size_t& record_size);
    // Opens one complete record (header + fragment) in place. On success type and content describe
    // the inner plaintext (content points into record). Errors: unexpected_content_type (outer type not
    // 23, or an inner type other than alert/handshake/application_data), record_too_long,
    // record_over_limit (fragment over inner_limit + tag), bad_record_mac (the ciphertext is then
    // zeroed: no unauthenticated plaintext is released), missing_content_type (inner plaintext all
    // zeros), sequence_number_exhausted, api_misuse (unkeyed, record size not header + length).
    TlsError open(MutBytes record, std::size_t inner_limit, ContentType& type, MutBytes& content);

private:
    void nonce(std::uint8_t out[iv_size]) const;  // §5.3: iv XOR (zero-padded big-endian sequence)

    const CipherSuite* suite_ = nullptr;
    Secret traffic_secret_;
    std::uint8_t iv_[iv_size] = {};
    std::uint64_t sequence_ = 0;
    alignas(aead_state_align) std::uint8_t aead_[aead_state_size] = {};
};

// Both directions, the negotiated record size limits, the pending-KeyUpdate bookkeeping (§4.6.3) and
// a sticky error: after the first failure every call returns that error (STYLE.md item 3). A seal
// refused before anything was written (api_misuse, buffer_too_small, key_update_required) is not a
// failure of the connection and does not stick.
class RecordLayer {
public:
    RecordProtection read, write;

    // RFC 8449 §4: receive_limit is what we advertised (we accept inner plaintexts up to it), send_limit
    // what the peer advertised. Values below 64: record_size_limit_invalid; values above 2^14 + 1 are
    // clamped to it (RFC 8449 §4: never exceed the protocol's limit).
    TlsError set_record_size_limits(std::size_t receive_limit, std::size_t send_limit);
    std::size_t receive_limit() const { return receive_limit_; }
    std::size_t send_limit() const { return send_limit_; }

    // write.seal with send_limit; refuses handshake/application data with key_update_required while a
    // KeyUpdate is owed (§4.6.3 update_requested received, or §5.5 limit reached).
    TlsError seal(ContentType type, MutBytes record, std::size_t content_size, std::size_t padding,
                  std::size_t& record_size);
    // read.open with receive_limit.
    TlsError open(MutBytes record, ContentType& type, MutBytes& content);

    // §4.6.3, receiving: body is the KeyUpdate message body (one byte, request_update). Updates the
    // read keys; when the peer set update_requested, a KeyUpdate of our own is owed before the next
    // application data (key_update_pending()). Errors: key_update_malformed, key_update_bad_request.
    TlsError receive_key_update(Bytes body);
    // §4.6.3, sending: writes KeyUpdate(request_update) into record[5..], seals it under the current
    // write key, then moves the write direction to the next traffic secret (§7.2).
    TlsError send_key_update(bool request_peer_update, MutBytes record, std::size_t& record_size);
    // A KeyUpdate must be sent before more handshake/application records (either reason above).
    bool key_update_pending() const { return response_owed_ || (write.keyed() && write.key_update_due()); }

    TlsError error() const { return error_; }

private:
    TlsError fail(TlsError e) { if (error_ == TlsError::ok) error_ = e; return error_; }

    std::size_t receive_limit_ = max_inner_plaintext_size;
    std::size_t send_limit_ = max_inner_plaintext_size;
    bool response_owed_ = false;
    TlsError error_ = TlsError::ok;
};

}  // namespace padlock::tls
