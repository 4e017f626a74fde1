// SPDX-License-Identifier: Apache-2.0
// RFC 8446 §4.4.1 transcript hash, over the suite's hash (HashOps), with the message_hash
// substitution after a HelloRetryRequest.
#include "tls/transcript.hpp"

#include "crypto/ct.hpp"

namespace padlock::tls {

Transcript::~Transcript() {
    if (hash_ != nullptr) hash_->destroy(state_);
    secure_zero(state_);
}

void Transcript::start(const HashOps& hash) {
    if (hash_ != nullptr) hash_->destroy(state_);
    hash_ = &hash;
    hash_->start(state_);
}

TlsError Transcript::update(Bytes handshake_bytes) {
    if (hash_ == nullptr) return TlsError::api_misuse;
    hash_->update(state_, handshake_bytes);
    return TlsError::ok;
}

TlsError Transcript::current(MutBytes out) const {
    if (hash_ == nullptr) return TlsError::api_misuse;
    if (out.size() != hash_->size) return TlsError::buffer_too_small;
    hash_->digest(state_, out.data());
    return TlsError::ok;
}

TlsError Transcript::replace_with_message_hash() {
    if (hash_ == nullptr) return TlsError::api_misuse;
    constexpr std::uint8_t message_hash_type = 254;  // §4: HandshakeType message_hash(254)
    std::uint8_t message[4 + max_hash_size] = {message_hash_type, 0, 0, std::uint8_t(hash_->size)};
    hash_->digest(state_, message + 4);  // Hash(ClientHello1)
    hash_->destroy(state_);
    hash_->start(state_);
    hash_->update(state_, Bytes(message, 4 + hash_->size));
    return TlsError::ok;
}

}  // namespace padlock::tls
