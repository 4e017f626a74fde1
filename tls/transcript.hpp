// SPDX-License-Identifier: Apache-2.0
// The TLS 1.3 transcript hash (RFC 8446 §4.4.1): a running hash of the handshake messages (type,
// length and body, as sent), with the HelloRetryRequest substitution of ClientHello1 by a synthetic
// message_hash message. Hash state lives inside the object (no heap); constant time in the data.
#pragma once

#include <cstddef>
#include <cstdint>

#include "crypto/common.hpp"
#include "tls/alert.hpp"
#include "tls/suite.hpp"

namespace padlock::tls {

class Transcript {
public:
    Transcript() = default;
    ~Transcript();                              // wipes the hash state
    Transcript(const Transcript&) = delete;
    Transcript& operator=(const Transcript&) = delete;

    // Starts an empty transcript over the suite's hash (wipes any previous one).
    void start(const HashOps& hash);
    // Appends handshake message bytes; a message may come in several pieces (e.g. a ClientHello up to
    // its binders, §4.2.11.2, then the binders). api_misuse before start().
    TlsError update(Bytes handshake_bytes);
    // Transcript-Hash of everything so far into out (exactly Hash.length bytes); the running hash
    // continues unchanged.
    TlsError current(MutBytes out) const;
    // §4.4.1: on HelloRetryRequest, the transcript so far (ClientHello1) is replaced by
    //   message_hash (254) || 00 00 Hash.length || Hash(ClientHello1).
    // Call after hashing ClientHello1 and before hashing the HelloRetryRequest.
    TlsError replace_with_message_hash();

    std::size_t hash_size() const { return hash_ ? hash_->size : 0; }

private:
    const HashOps* hash_ = nullptr;
    alignas(hash_state_align) std::uint8_t state_[hash_state_size] = {};
};

}  // namespace padlock::tls
