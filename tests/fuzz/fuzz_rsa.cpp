// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness for RSA signature verification (crypto/rsa/rsa.hpp), RSASSA-PKCS1-v1_5 and
// RSASSA-PSS, with attacker-chosen keys (n, e), messages, salt lengths and signatures. Property:
// the verdict equals that of a reference decoding written here from RFC 8017 (§8.2.2 with §9.2
// for PKCS #1 v1.5, §8.1.2 with §9.1.2 and MGF1 §B.2.1 for PSS) on top of the RSAVP1 primitive,
// in both directions: verify accepts exactly what the reference accepts.
#include <cstdint>
#include <vector>

#include "crypto/hash/hash.hpp"
#include "crypto/rsa/rsa.hpp"
#include "tests/fuzz/fuzz.hpp"

using padlock::Bytes;
using padlock::CryptoError;
using padlock::HashAlg;
using padlock::MutBytes;
using Vec = std::vector<std::uint8_t>;

namespace {

Vec hash_of(HashAlg alg, Bytes data) {
    Vec out(padlock::hash_size(alg));
    FUZZ_CHECK(padlock::hash(alg, data, out) == padlock::CryptoError::ok);
    return out;
}

// §9.2 Note 1: DER of DigestInfo up to the digest.
Vec digest_info_prefix(HashAlg alg) {
    switch (alg) {
    case HashAlg::sha1: return {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14};
    case HashAlg::sha224: return {0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04, 0x05, 0x00, 0x04, 0x1c};
    case HashAlg::sha256: return {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
    case HashAlg::sha384: return {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30};
    case HashAlg::sha512: return {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40};
    }
    return {};
}

// §8.2.2: RSAVP1 to k octets, then compare with EMSA-PKCS1-v1_5-ENCODE(M, k) (§9.2).
bool reference_pkcs1(const padlock::RsaPublicKey& key, HashAlg alg, Bytes msg, Bytes sig) {
    const std::size_t k = key.modulus_bytes();
    if (sig.size() != k) return false;  // step 1
    Vec em(k);
    if (key.public_op(sig, em) != CryptoError::ok) return false;  // step 2: s >= n
    const Vec t = [&] { Vec p = digest_info_prefix(alg), h = hash_of(alg, msg); p.insert(p.end(), h.begin(), h.end()); return p; }();
    if (k < t.size() + 11) return false;  // §9.2 step 3: "intended encoded message length too short"
    Vec want(k, 0xFF);
    want[0] = 0x00;
    want[1] = 0x01;
    want[k - t.size() - 1] = 0x00;
    std::copy(t.begin(), t.end(), want.end() - std::ptrdiff_t(t.size()));
    return em == want;
}

// §B.2.1 MGF1.
Vec mgf1(HashAlg alg, Bytes seed, std::size_t len) {
    Vec out;
    for (std::uint32_t counter = 0; out.size() < len; counter++) {
        Vec block(seed.begin(), seed.end());
        for (int i = 3; i >= 0; i--) block.push_back(std::uint8_t(counter >> (8 * i)));
        const Vec h = hash_of(alg, block);
        out.insert(out.end(), h.begin(), h.end());
    }
    out.resize(len);
    return out;
}

// §8.1.2: RSAVP1 into emLen = ceil((modBits - 1) / 8) octets, then EMSA-PSS-VERIFY (§9.1.2).
bool reference_pss(const padlock::RsaPublicKey& key, HashAlg alg, HashAlg mgf_alg, std::size_t s_len, Bytes msg,
                   Bytes sig) {
    if (sig.size() != key.modulus_bytes()) return false;  // §8.1.2 step 1
    const std::size_t em_bits = key.modulus_bits() - 1;
    const std::size_t em_len = (em_bits + 7) / 8;
    Vec em(em_len);
    if (key.public_op(sig, em) != CryptoError::ok) return false;  // s >= n, or m does not fit emLen octets
    const Vec m_hash = hash_of(alg, msg);                       // §9.1.2 step 2
    const std::size_t h_len = m_hash.size();
    if (em_len < h_len + s_len + 2) return false;               // step 3
    if (em[em_len - 1] != 0xBC) return false;                   // step 4
    const std::size_t db_len = em_len - h_len - 1;              // step 5
    const Bytes h(em.data() + db_len, h_len);
    const unsigned top_bits = unsigned(8 * em_len - em_bits);   // always 0..7
    const std::uint8_t top_mask = std::uint8_t(0xFF >> top_bits);
    if (em[0] & ~top_mask) return false;                        // step 6
    Vec db = mgf1(mgf_alg, h, db_len);                          // step 7
    for (std::size_t i = 0; i < db_len; i++) db[i] ^= em[i];    // step 8
    db[0] &= top_mask;                                          // step 9
    const std::size_t ps_len = em_len - h_len - s_len - 2;      // step 10
    for (std::size_t i = 0; i < ps_len; i++)
        if (db[i] != 0) return false;
    if (db[ps_len] != 0x01) return false;
    Vec m_prime(8, 0);                                          // steps 11-12
    m_prime.insert(m_prime.end(), m_hash.begin(), m_hash.end());
    m_prime.insert(m_prime.end(), db.end() - std::ptrdiff_t(s_len), db.end());
    return hash_of(alg, m_prime) == Vec(h.begin(), h.end());   // steps 13-14
}

constexpr HashAlg hashes[] = {HashAlg::sha1, HashAlg::sha224, HashAlg::sha256, HashAlg::sha384, HashAlg::sha512};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    padlock::fuzz::Input in(data, size);
    const std::uint8_t mode = in.byte();
    const HashAlg alg = hashes[in.byte() % 5];
    const HashAlg mgf_alg = hashes[in.byte() % 5];
    const std::size_t salt_len = in.byte();
    const Bytes n = in.field(), e = in.field(), msg = in.field(), sig = in.rest();

    padlock::RsaPublicKey key;
    const CryptoError loaded = key.load({n, e});
    if (loaded != CryptoError::ok) {
        FUZZ_CHECK(loaded == CryptoError::unsupported_key_size || loaded == CryptoError::invalid_key);
        // The one-shot form reports the same key error.
        FUZZ_CHECK(padlock::rsa_pkcs1_verify(padlock::RsaPublicKeyView{n, e}, alg, msg, sig) == loaded);
        return 0;
    }
    const Vec digest = hash_of(alg, msg);
    if ((mode & 1) == 0) {
        const CryptoError verdict = padlock::rsa_pkcs1_verify(key, alg, msg, sig);
        FUZZ_CHECK(verdict == CryptoError::ok || verdict == CryptoError::invalid_signature);
        FUZZ_CHECK((verdict == CryptoError::ok) == reference_pkcs1(key, alg, msg, sig));
        FUZZ_CHECK(padlock::rsa_pkcs1_verify_digest(key, alg, digest, sig) == verdict);
    } else {
        const CryptoError verdict = padlock::rsa_pss_verify(key, alg, mgf_alg, salt_len, msg, sig);
        FUZZ_CHECK(verdict == CryptoError::ok || verdict == CryptoError::invalid_signature);
        FUZZ_CHECK((verdict == CryptoError::ok) == reference_pss(key, alg, mgf_alg, salt_len, msg, sig));
        FUZZ_CHECK(padlock::rsa_pss_verify_digest(key, alg, mgf_alg, salt_len, digest, sig) == verdict);
    }
    return 0;
}
