// SPDX-License-Identifier: Apache-2.0
// Reading the RFC 8448 traces (vectors/rfc8448/*.json, made by extract.py) in the tests of the TLS
// handshake pieces: a field of a step, and the transcript hash over a run of a trace's messages.
#pragma once

#include <string>
#include <vector>

#include "crypto/hash/hash.hpp"
#include "tests/support.hpp"

namespace padlock::test {

// A field of the nth step of `file` whose action starts with `action` and is done by `actor`.
inline Buf trace_field(const std::string& file, const std::string& actor, const std::string& action,
                       const std::string& field, int nth = 0) {
    const nlohmann::json doc = load_kat("rfc8448/" + file);
    for (const auto& s : doc["steps"])
        if (s["actor"] == actor && std::string(s["action"]).find(action) == 0 && nth-- == 0)
            return unhex(s["fields"][field]);
    FAIL("no step " << actor << " " << action << " in " << file);
    return {};
}

// The handshake message a "construct a <name> handshake message" step of `actor` prints.
inline Buf trace_message(const std::string& file, const std::string& actor, const std::string& name, int nth = 0) {
    return trace_field(file, actor, "construct a " + name + " handshake message", name, nth);
}

// Hash of the concatenation of messages (RFC 8446 §4.4.1 Transcript-Hash), computed directly.
inline Buf transcript_hash_of(HashAlg alg, const std::vector<Buf>& messages) {
    Buf all;
    for (const Buf& m : messages) all.insert(all.end(), m.begin(), m.end());
    Buf out(hash_size(alg));
    REQUIRE(padlock::hash(alg, all, out) == padlock::CryptoError::ok);
    return out;
}

}  // namespace padlock::test
