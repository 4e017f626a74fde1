// SPDX-License-Identifier: Apache-2.0
// TLS 1.3 key schedule (RFC 8446 §7.1-§7.3, §4.4.4, §4.6.1): HKDF-Expand-Label, Derive-Secret and the
// Early -> Handshake -> Master chain. Every function goes through the suite's HashOps, so only the
// hashes of the enabled suites are linked.
#include "tls/key_schedule.hpp"

#include <algorithm>

#include "crypto/bytes.hpp"
#include "crypto/ct.hpp"

namespace padlock::tls {

void Secret::wipe() {
    secure_zero(bytes_);
    size_ = 0;
}

TlsError Secret::assign(Bytes bytes) {
    if (bytes.size() > max_hash_size) return TlsError::api_misuse;
    wipe();
    std::copy(bytes.begin(), bytes.end(), bytes_);
    size_ = bytes.size();
    return TlsError::ok;
}

MutBytes Secret::resize(std::size_t n) {
    wipe();
    size_ = std::min(n, max_hash_size);
    return MutBytes(bytes_, size_);
}

TlsError build_hkdf_label(std::size_t length, std::string_view label, Bytes context, MutBytes out,
                          std::size_t& written) {
    constexpr std::string_view prefix = "tls13 ";
    written = 0;
    // §7.1: uint16 length, opaque label<7..255>, opaque context<0..255>.
    if (prefix.size() + label.size() > 255 || context.size() > 255 || length > 0xffff) return TlsError::api_misuse;
    ByteWriter w(out);
    w.add_u16(std::uint16_t(length));
    auto label_vector = w.begin_prefixed(1);
    w.add_bytes(Bytes(reinterpret_cast<const std::uint8_t*>(prefix.data()), prefix.size()));
    w.add_bytes(Bytes(reinterpret_cast<const std::uint8_t*>(label.data()), label.size()));
    w.end_prefixed(label_vector);
    auto context_vector = w.begin_prefixed(1);
    w.add_bytes(context);
    w.end_prefixed(context_vector);
    return w.finish(written) ? TlsError::ok : TlsError::buffer_too_small;
}

TlsError hkdf_expand_label(const HashOps& hash, Bytes secret, std::string_view label, Bytes context,
                           MutBytes out) {
    std::uint8_t info[max_hkdf_label_size];
    std::size_t info_size = 0;
    TlsError err = build_hkdf_label(out.size(), label, context, info, info_size);
    if (err != TlsError::ok) return err;
    // The label and context are public (context is a transcript hash or a ticket nonce).
    if (hash.hkdf_expand(secret, Bytes(info, info_size), out) != CryptoError::ok) return TlsError::crypto_failure;
    return TlsError::ok;
}

TlsError derive_secret(const HashOps& hash, Bytes secret, std::string_view label, Bytes transcript_hash,
                       Secret& out) {
    if (transcript_hash.size() != hash.size) return TlsError::api_misuse;
    return hkdf_expand_label(hash, secret, label, transcript_hash, out.resize(hash.size));
}

TlsError finished_key(const HashOps& hash, Bytes base_key, Secret& out) {
    return hkdf_expand_label(hash, base_key, label::finished, {}, out.resize(hash.size));
}

TlsError finished_verify_data(const HashOps& hash, Bytes finished_key, Bytes transcript_hash, Secret& out) {
    if (transcript_hash.size() != hash.size) return TlsError::api_misuse;
    hash.hmac(finished_key, transcript_hash, out.resize(hash.size).data());
    return TlsError::ok;
}

TlsError resumption_psk(const HashOps& hash, Bytes resumption_master_secret, Bytes ticket_nonce, Secret& out) {
    return hkdf_expand_label(hash, resumption_master_secret, label::resumption, ticket_nonce,
                             out.resize(hash.size));
}

TlsError next_application_traffic_secret(const HashOps& hash, Secret& secret) {
    if (secret.size() != hash.size) return TlsError::api_misuse;
    Secret next;
    TlsError err = hkdf_expand_label(hash, secret.view(), label::traffic_upd, {}, next.resize(hash.size));
    if (err != TlsError::ok) return err;
    return secret.assign(next.view());  // assign wipes the old secret; next wipes itself
}

TlsError traffic_keys(const CipherSuite& suite, Bytes traffic_secret, TrafficKeys& out) {
    TlsError err = hkdf_expand_label(*suite.hash, traffic_secret, label::key, {},
                                     out.key.resize(suite.aead->key_size));
    if (err == TlsError::ok)
        err = hkdf_expand_label(*suite.hash, traffic_secret, label::iv, {}, out.iv.resize(iv_size));
    if (err != TlsError::ok) {
        out.key.wipe();
        out.iv.wipe();
    }
    return err;
}

TlsError format_key_log_line(const char* label, Bytes client_random, Bytes secret, MutBytes out,
                             std::size_t& written) {
    static const char digits[] = "0123456789abcdef";
    written = 0;
    std::size_t label_size = 0;
    while (label[label_size] != '\0') label_size++;
    const std::size_t total = label_size + 1 + 2 * client_random.size() + 1 + 2 * secret.size() + 1;
    if (out.size() < total) return TlsError::buffer_too_small;
    std::size_t at = 0;
    for (std::size_t i = 0; i < label_size; i++) out[at++] = std::uint8_t(label[i]);
    out[at++] = ' ';
    // Hex digits by table index: this line exists to disclose the secret, so its timing does not matter.
    for (std::uint8_t b : client_random) { out[at++] = std::uint8_t(digits[b >> 4]); out[at++] = std::uint8_t(digits[b & 15]); }
    out[at++] = ' ';
    for (std::uint8_t b : secret) { out[at++] = std::uint8_t(digits[b >> 4]); out[at++] = std::uint8_t(digits[b & 15]); }
    out[at++] = '\n';
    written = total;
    return TlsError::ok;
}

void KeySchedule::start(const HashOps& hash) {
    hash_ = &hash;
    stage_ = Stage::none;
    secret_.wipe();
    key_log_ = KeyLog{};
    secure_zero(client_random_);
}

void KeySchedule::set_key_log(const KeyLog& log, std::span<const std::uint8_t, 32> client_random) {
    key_log_ = log;
    std::copy(client_random.begin(), client_random.end(), client_random_);
}

namespace {

// Transcript-Hash("") (§7.1: Derive-Secret(., "derived", "") and the binder keys hash no messages).
void empty_hash(const HashOps& hash, std::uint8_t out[max_hash_size]) {
    alignas(hash_state_align) std::uint8_t state[hash_state_size];
    hash.start(state);
    hash.digest(state, out);
    hash.destroy(state);
}

}  // namespace

TlsError KeySchedule::derive_in(Stage stage, std::string_view label, Bytes transcript_hash, Secret& out,
                                const char* log_label) {
    if (hash_ == nullptr || stage_ != stage) return TlsError::api_misuse;
    TlsError err = derive_secret(*hash_, secret_.view(), label, transcript_hash, out);
    if (err == TlsError::ok && log_label != nullptr && key_log_.write != nullptr)
        key_log_.write(key_log_.context, log_label, Bytes(client_random_), out.view());
    return err;
}

// HKDF-Extract(salt = Derive-Secret(current, "derived", ""), ikm): the step between two stages.
TlsError KeySchedule::extract_next(Bytes ikm, Stage next) {
    std::uint8_t no_messages[max_hash_size];
    empty_hash(*hash_, no_messages);
    Secret salt;
    TlsError err = derive_secret(*hash_, secret_.view(), label::derived, Bytes(no_messages, hash_->size), salt);
    if (err != TlsError::ok) return err;
    const std::uint8_t zeros[max_hash_size] = {};
    if (next == Stage::handshake && !ikm.empty()) log_stage("(EC)DHE shared secret", ikm);
    if (ikm.empty()) ikm = Bytes(zeros, hash_->size);
    MutBytes out = secret_.resize(hash_->size);  // wipes the previous stage's secret
    hash_->hkdf_extract(salt.view(), ikm, out.data());
    stage_ = next;
    log_stage(next == Stage::handshake ? "Handshake Secret" : "Master Secret", secret_.view());
    return TlsError::ok;
}

void KeySchedule::log_stage(const char* name, Bytes secret) const {
    if (key_log_.stage != nullptr) key_log_.stage(key_log_.context, name, secret);
}

TlsError KeySchedule::derive_early_secret(Bytes psk) {
    if (hash_ == nullptr || stage_ != Stage::none) return TlsError::api_misuse;
    const std::uint8_t zeros[max_hash_size] = {};
    if (psk.empty()) psk = Bytes(zeros, hash_->size);
    // §7.1: the salt of the first extract is 0, i.e. Hash.length zero bytes.
    hash_->hkdf_extract(Bytes(zeros, hash_->size), psk, secret_.resize(hash_->size).data());
    stage_ = Stage::early;
    log_stage("Early Secret", secret_.view());
    return TlsError::ok;
}

TlsError KeySchedule::derive_binder_key(bool resumption, Secret& out) {
    if (hash_ == nullptr) return TlsError::api_misuse;
    std::uint8_t no_messages[max_hash_size];
    empty_hash(*hash_, no_messages);
    return derive_in(Stage::early, resumption ? label::res_binder : label::ext_binder,
                     Bytes(no_messages, hash_->size), out, nullptr);
}

TlsError KeySchedule::derive_client_early_traffic_secret(Bytes transcript_hash, Secret& out) {
    return derive_in(Stage::early, label::c_e_traffic, transcript_hash, out, key_log_label::client_early_traffic);
}

TlsError KeySchedule::derive_early_exporter_master_secret(Bytes transcript_hash, Secret& out) {
    return derive_in(Stage::early, label::e_exp_master, transcript_hash, out, key_log_label::early_exporter);
}

TlsError KeySchedule::derive_handshake_secret(Bytes shared_secret) {
    if (hash_ == nullptr || stage_ != Stage::early) return TlsError::api_misuse;
    return extract_next(shared_secret, Stage::handshake);
}

TlsError KeySchedule::derive_client_handshake_traffic_secret(Bytes transcript_hash, Secret& out) {
    return derive_in(Stage::handshake, label::c_hs_traffic, transcript_hash, out,
                     key_log_label::client_handshake_traffic);
}

TlsError KeySchedule::derive_server_handshake_traffic_secret(Bytes transcript_hash, Secret& out) {
    return derive_in(Stage::handshake, label::s_hs_traffic, transcript_hash, out,
                     key_log_label::server_handshake_traffic);
}

TlsError KeySchedule::derive_master_secret() {
    if (hash_ == nullptr || stage_ != Stage::handshake) return TlsError::api_misuse;
    return extract_next({}, Stage::master);
}

TlsError KeySchedule::derive_client_application_traffic_secret_0(Bytes transcript_hash, Secret& out) {
    return derive_in(Stage::master, label::c_ap_traffic, transcript_hash, out, key_log_label::client_traffic_0);
}

TlsError KeySchedule::derive_server_application_traffic_secret_0(Bytes transcript_hash, Secret& out) {
    return derive_in(Stage::master, label::s_ap_traffic, transcript_hash, out, key_log_label::server_traffic_0);
}

TlsError KeySchedule::derive_exporter_master_secret(Bytes transcript_hash, Secret& out) {
    return derive_in(Stage::master, label::exp_master, transcript_hash, out, key_log_label::exporter);
}

TlsError KeySchedule::derive_resumption_master_secret(Bytes transcript_hash, Secret& out) {
    TlsError err = derive_in(Stage::master, label::res_master, transcript_hash, out, nullptr);
    if (err == TlsError::ok) {
        secret_.wipe();  // nothing else derives from the Master Secret
        stage_ = Stage::done;
    }
    return err;
}

}  // namespace padlock::tls
