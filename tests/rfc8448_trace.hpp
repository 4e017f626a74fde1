// SPDX-License-Identifier: Apache-2.0
// Reading the RFC 8448 traces (vectors/rfc8448/*.json, made by extract.py) in the tests of the TLS
// handshake pieces: a field of a step, and the transcript hash over a run of a trace's messages.
#pragma once

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "crypto/hash/hash.hpp"
#include "crypto/rsa/rsa.hpp"
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

// The RSA key of the RFC 8448 server, and the PSS salt inside its CertificateVerify (so a test
// can hand the engine the trace's salt through its Rng).

// vectors/rfc8448/server_rsa_key.txt: "name hex" lines (RFC 8448 §2).
inline std::map<std::string, Buf> rfc8448_rsa_key() {
    std::ifstream in(kat_path("rfc8448/server_rsa_key.txt"));
    REQUIRE(in.good());
    std::map<std::string, Buf> f;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream ls(line);
        std::string name, value;
        ls >> name >> value;
        f[name] = unhex(value);
    }
    REQUIRE(f.size() == 8);
    return f;
}

// MGF1 (RFC 8017 §B.2.1) with SHA-256, written here from the RFC to undo EMSA-PSS in the test.
inline Buf mgf1_sha256(Bytes seed, std::size_t length) {
    Buf out;
    for (std::uint32_t counter = 0; out.size() < length; counter++) {
        Buf block(seed.begin(), seed.end());
        for (int i = 3; i >= 0; i--) block.push_back(std::uint8_t(counter >> (8 * i)));
        Buf digest(32);
        REQUIRE(padlock::hash(HashAlg::sha256, block, digest) == CryptoError::ok);
        out.insert(out.end(), digest.begin(), digest.end());
    }
    out.resize(length);
    return out;
}

// RFC 8017 §9.1.2 steps 5-10 read backwards: the salt inside an RSA-PSS signature, from the public key.
inline Buf recover_pss_salt_sha256(const padlock::RsaPublicKey& key, Bytes signature) {
    const std::size_t em_bits = key.modulus_bits() - 1, em_len = (em_bits + 7) / 8, h_len = 32;
    Buf em(em_len);
    REQUIRE(key.public_op(signature, em) == CryptoError::ok);
    REQUIRE(em.back() == 0xbc);
    const Bytes masked_db(em.data(), em_len - h_len - 1), h(em.data() + em_len - h_len - 1, h_len);
    const Buf mask = mgf1_sha256(h, masked_db.size());
    Buf db(masked_db.size());
    for (std::size_t i = 0; i < db.size(); i++) db[i] = masked_db[i] ^ mask[i];
    db[0] &= std::uint8_t(0xff >> (8 * em_len - em_bits));
    // DB = PS (zeros) || 0x01 || salt, with a salt of hLen octets (RFC 8446 §4.2.3).
    const std::size_t one = db.size() - h_len - 1;
    for (std::size_t i = 0; i < one; i++) REQUIRE(db[i] == 0);
    REQUIRE(db[one] == 0x01);
    return Buf(db.begin() + std::ptrdiff_t(one + 1), db.end());
}

}  // namespace padlock::test
