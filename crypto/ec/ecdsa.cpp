// SPDX-License-Identifier: Apache-2.0
// ECDSA over NIST P-256: FIPS 186-5 §6.4.1 signing with RFC 6979 §3.2 nonces (hedged per §3.6 when
// given an Rng), §6.4.2 verification (the generic one of ec_curve.hpp, shared with P-384). The group
// arithmetic is in p256_curve.cpp.
#include "crypto/ec/ecdsa.hpp"

#include <algorithm>

#include "crypto/ct.hpp"
#include "crypto/hash/hmac.hpp"
#include "crypto/ec/detail/p256_curve.hpp"
#include "crypto/hash/sha1.hpp"
#include "crypto/hash/sha2.hpp"

namespace padlock {
namespace {

using Bytes32 = std::span<const std::uint8_t, 32>;

// bits2int and bits2octets (RFC 6979 §2.3.2, §2.3.4) for qlen = 256.
void digest_to_scalar(p256::Scalar& e, Bytes digest) { ec::digest_to_scalar(e, digest); }

// The HMAC_DRBG of RFC 6979 §3.2 steps b-h, instantiated with the signing hash H.
template <class H>
class NonceGenerator {
public:
    static constexpr std::size_t hlen = H::digest_size;

    // Steps b-g: K and V from int2octets(x), bits2octets(h1) and the optional extra data k'.
    NonceGenerator(Bytes32 x_octets, Bytes32 h1_octets, Bytes extra) {
        std::fill_n(v_, hlen, std::uint8_t(0x01));  // b
        std::fill_n(k_, hlen, std::uint8_t(0x00));  // c
        for (std::uint8_t round : {std::uint8_t(0x00), std::uint8_t(0x01)}) {
            Hmac<H> mac(k_);                           // d, f: K = HMAC_K(V || round || x || h1 || k')
            mac.update(v_);
            mac.update(Bytes(&round, 1));
            mac.update(x_octets);
            mac.update(h1_octets);
            mac.update(extra);
            mac.final(k_);
            update_v();                                // e, g: V = HMAC_K(V)
        }
    }
    ~NonceGenerator() {
        secure_zero(k_);
        secure_zero(v_);
    }

    // Step h.1-h.2: the next candidate T (qlen = 256 bits, the leftmost bits of V || V || ...).
    void candidate(std::span<std::uint8_t, 32> t) {
        for (std::size_t have = 0; have < 32;) {
            update_v();
            std::size_t take = std::min(hlen, 32 - have);
            std::copy_n(v_, take, t.data() + have);
            have += take;
        }
    }

    // Step h.3, after a candidate was unsuitable: K = HMAC_K(V || 0x00), V = HMAC_K(V).
    void reject() {
        Hmac<H> mac(k_);
        mac.update(v_);
        const std::uint8_t zero = 0;
        mac.update(Bytes(&zero, 1));
        mac.final(k_);
        update_v();
    }

private:
    void update_v() {
        Hmac<H> mac(k_);
        mac.update(v_);
        mac.final(v_);
    }
    std::uint8_t k_[hlen], v_[hlen];
};

// FIPS 186-5 §6.4.1 steps 4-13 with RFC 6979 nonces; d is the private key, e the reduced digest.
// `blinding`, when not empty, is 32 random bytes for the projective blinding of k·G.
template <class H>
CryptoError sign_with(std::span<std::uint8_t, 64> signature, const p256::Scalar& d, Bytes32 priv,
                const p256::Scalar& e, Bytes extra, Bytes blinding) {
    std::uint8_t e_octets[32];
    p256::scalar_to_bytes(e_octets, e);
    NonceGenerator<H> nonces(priv, e_octets, extra);
    // Each round fails with probability about 2^-32 (k >= n, r = 0 or s = 0); a failed round
    // reveals nothing about the nonce finally used.
    for (int attempt = 0; attempt < 32; attempt++) {
        std::uint8_t t[32];
        nonces.candidate(t);
        p256::Scalar k;
        bool k_ok = p256::scalar_from_bytes(k, t);  // h.3: 1 <= k <= n-1
        secure_zero(t);
        // R = k·G; r = x_R mod n (steps 5-8).
        p256::Point big_r;
        if (blinding.size() == 32)
            p256::point_mul_base(big_r, k, blinding.first<32>());
        else
            p256::point_mul_base(big_r, k);
        std::uint8_t x_octets[32];
        bool finite = p256::point_x_bytes(x_octets, big_r);
        p256::Scalar r;
        p256::scalar_from_bytes_reduced(r, x_octets);
        // s = k^-1 (e + r·d) mod n (steps 9-11).
        p256::Scalar k_inv, rd, sum, s;
        p256::scalar_inv(k_inv, k);
        p256::scalar_mul(rd, r, d);
        p256::scalar_add(sum, e, rd);
        p256::scalar_mul(s, k_inv, sum);
        // One decision for the round, combined without short-circuit branches on the parts.
        const bool r_ok = !p256::scalar_is_zero(r), s_ok = !p256::scalar_is_zero(s);
        bool ok = k_ok & finite & r_ok & s_ok;
        // Rejection sampling (RFC 6979 §3.2 h.3): a rejected nonce is discarded, so whether a
        // round succeeded says nothing about the nonce finally used.
        ct::declassify(ok);
        secure_zero(k);
        secure_zero(k_inv);
        secure_zero(rd);
        secure_zero(sum);
        secure_zero(big_r);
        if (ok) {
            p256::scalar_to_bytes(signature.first<32>(), r);
            p256::scalar_to_bytes(signature.last<32>(), s);
            return CryptoError::ok;
        }
        nonces.reject();
    }
    return CryptoError::fault_detected;
}

}  // namespace

CryptoError ecdsa_p256_sign_digest(std::span<const std::uint8_t, 32> priv, HashAlg hash, Bytes digest,
                             std::span<std::uint8_t, 64> signature, const Rng* hedge) {
    if (digest.size() != hash_size(hash)) return CryptoError::bad_input_length;
    p256::Scalar d;
    bool in_range = p256::scalar_from_bytes(d, priv);
    ct::declassify(in_range);  // public: a key outside [1, n-1] is refused on every use
    if (!in_range) {
        secure_zero(d);
        return CryptoError::invalid_scalar;
    }
    p256::Scalar e;
    digest_to_scalar(e, digest);
    // With an Rng: 32 bytes of k' (RFC 6979 §3.6 additional data) and 32 bytes of blinding for
    // the projective coordinates of k·G. Without: the plain deterministic RFC 6979 signature.
    std::uint8_t randomness[64];
    Bytes extra_data, blinding;
    if (hedge) {
        if ((*hedge)(randomness) != CryptoError::ok) {
            secure_zero(d);
            secure_zero(randomness);  // a caller's Rng may have written part of it
            return CryptoError::rng_failure;
        }
        extra_data = Bytes(randomness, 32);
        blinding = Bytes(randomness + 32, 32);
    }
    CryptoError err = CryptoError::unsupported_hash;
    switch (hash) {
    case HashAlg::sha1: err = sign_with<Sha1>(signature, d, priv, e, extra_data, blinding); break;
    case HashAlg::sha224: err = sign_with<Sha224>(signature, d, priv, e, extra_data, blinding); break;
    case HashAlg::sha256: err = sign_with<Sha256>(signature, d, priv, e, extra_data, blinding); break;
    case HashAlg::sha384: err = sign_with<Sha384>(signature, d, priv, e, extra_data, blinding); break;
    case HashAlg::sha512: err = sign_with<Sha512>(signature, d, priv, e, extra_data, blinding); break;
    }
    secure_zero(d);
    secure_zero(randomness);
    return err;
}

CryptoError ecdsa_p256_sign(std::span<const std::uint8_t, 32> priv, HashAlg hash, Bytes message,
                      std::span<std::uint8_t, 64> signature, const Rng* hedge) {
    std::uint8_t digest[max_digest_size];
    MutBytes out(digest, hash_size(hash));
    if (CryptoError err = padlock::hash(hash, message, out); err != CryptoError::ok) return err;
    return ecdsa_p256_sign_digest(priv, hash, out, signature, hedge);
}

CryptoError ecdsa_p256_verify_digest(Bytes pub, Bytes digest, Bytes r, Bytes s) {
    return p256::ecdsa_verify_digest(pub, digest, r, s);
}

CryptoError ecdsa_p256_verify_digest_p1363(Bytes pub, Bytes digest, Bytes signature) {
    if (signature.size() != ecdsa_p256_signature_size) return CryptoError::invalid_signature;
    return ecdsa_p256_verify_digest(pub, digest, signature.first(32), signature.last(32));
}

CryptoError ecdsa_p256_verify(Bytes pub, HashAlg hash, Bytes message, Bytes signature) {
    std::uint8_t digest[max_digest_size];
    MutBytes out(digest, hash_size(hash));
    if (CryptoError err = padlock::hash(hash, message, out); err != CryptoError::ok) return err;
    return ecdsa_p256_verify_digest_p1363(pub, out, signature);
}

}  // namespace padlock
