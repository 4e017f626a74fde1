// SPDX-License-Identifier: Apache-2.0
// RFC 8446 §5 record protection over the suite's AEAD (AeadOps), with RFC 8449 record size limits,
// §4.6.3 KeyUpdate and the §5.5 key usage limit.
#include "tls/record.hpp"

#include <algorithm>
#include <cstring>

#include "crypto/bytes.hpp"
#include "crypto/ct.hpp"
#include "crypto/endian.hpp"

namespace padlock::tls {
namespace {

constexpr std::uint8_t legacy_record_version[2] = {0x03, 0x03};  // §5.1, §5.2
constexpr std::uint8_t handshake_key_update = 24;                 // §4: HandshakeType key_update

// §5.2 TLSCiphertext header: opaque_type, legacy_record_version, length. record holds at least 5 bytes.
void write_header(MutBytes record, ContentType type, std::size_t length) {
    ByteWriter w(record.first(record_header_size));
    w.add_u8(std::uint8_t(type));
    w.add_bytes(legacy_record_version);
    w.add_u16(std::uint16_t(length));
}

// A refused seal that changed nothing (a fragment too large for the limit, a small buffer, a KeyUpdate
// owed) leaves the connection usable; anything else ends it.
bool sticky_seal_error(TlsError e) {
    return e != TlsError::ok && e != TlsError::api_misuse && e != TlsError::buffer_too_small &&
           e != TlsError::key_update_required;
}

}  // namespace

TlsError parse_record_header(std::span<const std::uint8_t, record_header_size> header, RecordHeader& out) {
    ByteReader r(header);
    std::uint8_t type_byte = 0;
    std::uint16_t legacy_version = 0, length_field = 0;
    // Five octets always hold the three fields; the reads cannot fail.
    if (!r.read_u8(type_byte) || !r.read_u16(legacy_version) || !r.read_u16(length_field) || !r.done())
        return TlsError::api_misuse;
    const auto type = ContentType(type_byte);
    const std::size_t length = length_field;
    out = RecordHeader{type, length};
    switch (type) {
    case ContentType::change_cipher_spec:
    case ContentType::alert:
    case ContentType::handshake:
        return length > max_plaintext_size ? TlsError::plaintext_too_long : TlsError::ok;
    case ContentType::application_data:
        return length > max_ciphertext_size ? TlsError::record_too_long : TlsError::ok;
    case ContentType::invalid:
        break;
    }
    return TlsError::unexpected_content_type;
}

void RecordProtection::clear() {
    if (suite_ != nullptr) suite_->aead->destroy(aead_);
    secure_zero(aead_);
    traffic_secret_.wipe();
    secure_zero(iv_);
    sequence_ = 0;
    suite_ = nullptr;
}

TlsError RecordProtection::install(const CipherSuite& suite, Bytes traffic_secret) {
    clear();
    if (traffic_secret.size() != suite.hash->size) return TlsError::api_misuse;
    TrafficKeys keys;
    TlsError err = traffic_keys(suite, traffic_secret, keys);
    if (err != TlsError::ok) return err;
    if (suite.aead->init(aead_, keys.key.view()) != CryptoError::ok) {
        suite.aead->destroy(aead_);
        return TlsError::crypto_failure;
    }
    std::copy(keys.iv.view().begin(), keys.iv.view().end(), iv_);
    err = traffic_secret_.assign(traffic_secret);
    suite_ = &suite;
    return err;  // keys wipes itself here
}

TlsError RecordProtection::update_traffic_secret() {
    if (suite_ == nullptr) return TlsError::api_misuse;
    const CipherSuite& suite = *suite_;
    Secret next;
    TlsError err = next.assign(traffic_secret_.view());
    if (err == TlsError::ok) err = next_application_traffic_secret(*suite.hash, next);
    if (err == TlsError::ok) err = install(suite, next.view());  // install wipes the old key and secret
    return err;
}

bool RecordProtection::key_update_due() const {
    return suite_ != nullptr && sequence_ >= suite_->aead->record_limit - 1;
}

void RecordProtection::nonce(std::uint8_t out[iv_size]) const {
    // §5.3: the 64-bit sequence number in network byte order, left-padded with zeros to iv_length,
    // XORed with the static IV.
    std::uint8_t padded[iv_size] = {};
    store_be64(padded + iv_size - 8, sequence_);
    for (std::size_t i = 0; i < iv_size; i++) out[i] = std::uint8_t(iv_[i] ^ padded[i]);
}

TlsError RecordProtection::seal(ContentType type, MutBytes record, std::size_t content_size,
                                std::size_t padding, std::size_t inner_limit, std::size_t& record_size) {
    record_size = 0;
    if (suite_ == nullptr) return TlsError::api_misuse;
    if (type != ContentType::alert && type != ContentType::handshake && type != ContentType::application_data)
        return TlsError::api_misuse;  // §5: change_cipher_spec is never protected
    // §5.4: the whole TLSInnerPlaintext (content, type, padding) within the limit.
    if (content_size >= inner_limit || padding > inner_limit - 1 - content_size)
        return TlsError::api_misuse;
    const std::size_t inner_size = content_size + 1 + padding;
    const std::size_t length = inner_size + tag_size;
    if (record.size() < record_header_size + length) return TlsError::buffer_too_small;
    // §5.3: never wrap; the last sequence number is left unused. §5.5: no record past the usage limit.
    if (sequence_ == UINT64_MAX) return TlsError::sequence_number_exhausted;
    if (sequence_ >= suite_->aead->record_limit) return TlsError::key_update_required;

    std::uint8_t* inner = record.data() + record_header_size;
    inner[content_size] = std::uint8_t(type);
    std::fill(inner + content_size + 1, inner + inner_size, std::uint8_t(0));
    write_header(record, ContentType::application_data, length);  // §5.2: opaque_type 23
    std::uint8_t n[iv_size];
    nonce(n);
    // §5.2: additional_data = TLSCiphertext.opaque_type || legacy_record_version || length.
    CryptoError err = suite_->aead->seal(aead_, std::span<const std::uint8_t, iv_size>(n, iv_size),
                                   Bytes(record.data(), record_header_size), Bytes(inner, inner_size),
                                   MutBytes(inner, inner_size),
                                   std::span<std::uint8_t, tag_size>(inner + inner_size, tag_size));
    if (err != CryptoError::ok) return TlsError::crypto_failure;
    sequence_++;
    record_size = record_header_size + length;
    return TlsError::ok;
}

TlsError RecordProtection::open(MutBytes record, std::size_t inner_limit, ContentType& type, MutBytes& content) {
    type = ContentType::invalid;
    content = {};
    if (suite_ == nullptr || record.size() < record_header_size) return TlsError::api_misuse;
    RecordHeader header;
    TlsError err = parse_record_header(record.first<record_header_size>(), header);
    if (err != TlsError::ok) return err;
    if (header.type != ContentType::application_data) return TlsError::unexpected_content_type;  // §5.2
    if (record.size() != record_header_size + header.length) return TlsError::api_misuse;
    if (header.length > inner_limit + tag_size) return TlsError::record_over_limit;  // RFC 8449 §4
    if (header.length < tag_size) return TlsError::bad_record_mac;  // cannot authenticate
    if (sequence_ == UINT64_MAX) return TlsError::sequence_number_exhausted;

    std::uint8_t* inner = record.data() + record_header_size;
    const std::size_t inner_size = header.length - tag_size;
    std::uint8_t n[iv_size];
    nonce(n);
    CryptoError aead_err = suite_->aead->open(aead_, std::span<const std::uint8_t, iv_size>(n, iv_size),
                                        Bytes(record.data(), record_header_size), Bytes(inner, inner_size),
                                        Bytes(inner + inner_size, tag_size), MutBytes(inner, inner_size));
    if (aead_err != CryptoError::ok) return TlsError::bad_record_mac;  // the AEAD zeroed the output
    sequence_++;

    // §5.4: the content type is the last non-zero byte; everything after it is padding. Scan every
    // byte with masks so the time does not depend on where the padding starts: eight bytes a step,
    // keeping the last non-zero word and its offset, then the last non-zero byte of that word.
    std::size_t word_at = 0;
    std::uint64_t word = 0;
    for (std::size_t at = 0; at < inner_size; at += 8) {
        std::uint8_t b[8] = {};
        std::memcpy(b, inner + at, std::min<std::size_t>(8, inner_size - at));  // the tail: zeros after it
        const std::uint64_t w = load_le64(b);
        const std::uint64_t nonzero = ct::mask_nonzero(w);
        word_at = ct::select(std::size_t(nonzero), at, word_at);
        word = ct::select(nonzero, w, word);
    }
    std::size_t type_at = word_at;
    std::uint8_t type_byte = 0;
    for (unsigned j = 0; j < 8; j++) {
        const auto byte = std::uint8_t(word >> (8 * j));
        const std::uint8_t nonzero = ct::mask_nonzero(byte);
        type_at = ct::select(std::size_t(0) - std::size_t(nonzero & 1), word_at + j, type_at);
        type_byte = ct::select(nonzero, byte, type_byte);
    }
    const std::uint8_t found = type_byte;
    const auto inner_type = ContentType(type_byte);
    TlsError reject = TlsError::ok;
    if (found == 0) {
        reject = TlsError::missing_content_type;  // §5.4: all zeros -> unexpected_message
    } else if (inner_type != ContentType::alert && inner_type != ContentType::handshake &&
               inner_type != ContentType::application_data) {
        reject = TlsError::unexpected_content_type;  // §5: e.g. a protected change_cipher_spec
    }
    if (reject != TlsError::ok) {
        secure_zero(inner, inner_size);  // a refused record leaves no plaintext behind either
        return reject;
    }
    type = inner_type;
    content = MutBytes(inner, type_at);
    return TlsError::ok;
}

TlsError RecordLayer::set_record_size_limits(std::size_t receive_limit, std::size_t send_limit) {
    if (error_ != TlsError::ok) return error_;
    if (receive_limit < min_record_size_limit || send_limit < min_record_size_limit)
        return fail(TlsError::record_size_limit_invalid);
    receive_limit_ = std::min(receive_limit, max_inner_plaintext_size);
    send_limit_ = std::min(send_limit, max_inner_plaintext_size);
    return TlsError::ok;
}

TlsError RecordLayer::seal(ContentType type, MutBytes record, std::size_t content_size, std::size_t padding,
                           std::size_t& record_size) {
    record_size = 0;
    if (error_ != TlsError::ok) return error_;
    if (key_update_pending()) return TlsError::key_update_required;  // not sticky: send the KeyUpdate
    TlsError err = write.seal(type, record, content_size, padding, send_limit_, record_size);
    return sticky_seal_error(err) ? fail(err) : err;
}

TlsError RecordLayer::open(MutBytes record, ContentType& type, MutBytes& content) {
    type = ContentType::invalid;
    content = {};
    if (error_ != TlsError::ok) return error_;
    TlsError err = read.open(record, receive_limit_, type, content);
    return err == TlsError::ok ? err : fail(err);
}

TlsError RecordLayer::receive_key_update(Bytes body) {
    if (error_ != TlsError::ok) return error_;
    if (body.size() != 1) return fail(TlsError::key_update_malformed);
    // §4.6.3: enum { update_not_requested(0), update_requested(1) }; other values: illegal_parameter.
    if (body[0] > 1) return fail(TlsError::key_update_bad_request);
    TlsError err = read.update_traffic_secret();
    if (err != TlsError::ok) return fail(err);
    if (body[0] == 1) response_owed_ = true;
    return TlsError::ok;
}

TlsError RecordLayer::send_key_update(bool request_peer_update, MutBytes record, std::size_t& record_size) {
    record_size = 0;
    if (error_ != TlsError::ok) return error_;
    // §4.6.3 KeyUpdate: msg_type key_update(24), uint24 length, KeyUpdateRequest request_update.
    ByteWriter w(record.subspan(std::min(record.size(), record_header_size)));
    w.add_u8(handshake_key_update);
    auto body = w.begin_prefixed(3);
    w.add_u8(request_peer_update ? 1 : 0);
    w.end_prefixed(body);
    std::size_t message_size = 0;
    if (!w.finish(message_size)) return TlsError::buffer_too_small;
    TlsError err = write.seal(ContentType::handshake, record, message_size, 0, send_limit_, record_size);
    if (err != TlsError::ok) return sticky_seal_error(err) ? fail(err) : err;
    err = write.update_traffic_secret();
    if (err != TlsError::ok) return fail(err);
    response_owed_ = false;
    return TlsError::ok;
}

}  // namespace padlock::tls
