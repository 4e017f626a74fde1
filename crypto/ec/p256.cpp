// SPDX-License-Identifier: Apache-2.0
// NIST P-256 keys and ECDH: FIPS 186-5 A.2.2 key generation, SEC 1 §2.3.4/§3.2.2.1 public-key
// validation, SEC 1 §3.3.1 Diffie-Hellman. The group arithmetic is in p256_curve.cpp.
#include "crypto/ec/p256.hpp"

#include "crypto/ct.hpp"
#include "crypto/ec/detail/p256_curve.hpp"

namespace padlock {

CryptoError p256_decode_point(Bytes encoded, std::span<std::uint8_t, 65> uncompressed) {
    p256::Point q;
    if (CryptoError e = p256::point_decode(q, encoded); e != CryptoError::ok) return e;
    return p256::point_encode(uncompressed, q) ? CryptoError::ok : CryptoError::invalid_point;
}

CryptoError p256_compress_point(Bytes encoded, std::span<std::uint8_t, 33> compressed) {
    p256::Point q;
    if (CryptoError e = p256::point_decode(q, encoded); e != CryptoError::ok) return e;
    return p256::point_encode_compressed(compressed, q) ? CryptoError::ok : CryptoError::invalid_point;
}

namespace {

// Q = d·G, optionally with projective blinding (32 random bytes), then encoded.
CryptoError public_from_private(std::span<std::uint8_t, 65> pub, std::span<const std::uint8_t, 32> priv,
                          Bytes blinding) {
    p256::Scalar d;
    bool in_range = p256::scalar_from_bytes(d, priv);
    p256::Point q;
    // Computed either way, so timing does not tell a bad key apart.
    if (blinding.size() == 32)
        p256::point_mul_base(q, d, blinding.first<32>());
    else
        p256::point_mul_base(q, d);
    secure_zero(d);
    // Whether a private key is in range is public: a key outside [1, n-1] is refused on every use.
    ct::declassify(in_range);
    if (!in_range) return CryptoError::invalid_scalar;
    return p256::point_encode(pub, q) ? CryptoError::ok : CryptoError::fault_detected;
}

}  // namespace

CryptoError p256_public_from_private(std::span<const std::uint8_t, 32> priv, std::span<std::uint8_t, 65> pub) {
    return public_from_private(pub, priv, {});
}

CryptoError p256_keygen(const Rng& rng, std::span<std::uint8_t, 32> priv, std::span<std::uint8_t, 65> pub) {
    // A.2.2: draw 256 bits until the value is in [1, n-1]. Each draw fails with probability about
    // 2^-32; a rejected candidate says nothing about the accepted one.
    for (int attempt = 0; attempt < 64; attempt++) {
        if (CryptoError e = rng(priv); e != CryptoError::ok) break;
        p256::Scalar d;
        bool in_range = p256::scalar_from_bytes(d, priv);
        secure_zero(d);
        ct::declassify(in_range);  // rejection sampling: a rejected draw is discarded
        if (!in_range) continue;
        std::uint8_t blinding[32];  // for the projective coordinates of d·G
        if (CryptoError e = rng(blinding); e != CryptoError::ok) break;
        CryptoError err = public_from_private(pub, priv, blinding);
        secure_zero(blinding);
        return err;
    }
    secure_zero(priv.data(), priv.size());
    return CryptoError::rng_failure;
}

CryptoError p256_ecdh(std::span<const std::uint8_t, 32> priv, Bytes peer_point, std::span<std::uint8_t, 32> shared_x) {
    p256::Point q;
    if (CryptoError e = p256::point_decode(q, peer_point); e != CryptoError::ok) return e;
    p256::Scalar d;
    bool in_range = p256::scalar_from_bytes(d, priv);
    p256::Point s;
    p256::point_mul(s, q, d);
    secure_zero(d);
    ct::declassify(in_range);  // public: a key outside [1, n-1] is refused on every use
    if (!in_range) {
        secure_zero(s);
        return CryptoError::invalid_scalar;
    }
    // §3.3.1 step 2: P = infinity is an error. With a valid Q of prime order n and d in [1, n-1]
    // it cannot happen; reaching it means a fault.
    bool finite = p256::point_x_bytes(shared_x, s);
    secure_zero(s);
    ct::declassify(finite);  // a fault verdict: only a fault (or a bug) makes it false
    if (!finite) {
        secure_zero(shared_x.data(), shared_x.size());
        return CryptoError::fault_detected;
    }
    return CryptoError::ok;
}

const char* p256_backend_name() { return p256::backend_name(); }

}  // namespace padlock
