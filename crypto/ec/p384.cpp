// SPDX-License-Identifier: Apache-2.0
// NIST P-384 (curve constants from SP 800-186 §3.2.1.4): the generic curve code of ec_curve.hpp
// instantiated here, in its own translation unit, for FIPS 186-5 A.2.2 key generation, SEC 1 §3.3.1
// ECDH, point validation, and FIPS 186-5 §6.4.2 ECDSA verification.
#include "crypto/ec/p384.hpp"

#include "crypto/ec/detail/ec_curve.hpp"
#include "crypto/ec/ecdsa.hpp"
#include "crypto/hash/hash.hpp"

namespace padlock {
namespace p384 {

struct Curve {
    static constexpr int bits = 384;
    static constexpr int limbs = 384 / ec::limb_bits;
    static constexpr ec::Num<limbs> p = ec::from_hex<limbs>(
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff");
    static constexpr ec::Num<limbs> n = ec::from_hex<limbs>(
        "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973");
    static constexpr ec::Num<limbs> b = ec::from_hex<limbs>(
        "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef");
    static constexpr ec::Num<limbs> gx = ec::from_hex<limbs>(
        "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7");
    static constexpr ec::Num<limbs> gy = ec::from_hex<limbs>(
        "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f");
};

using Scalar = ec::Scalar<Curve>;
using Point = ec::Point<Curve>;

}  // namespace p384

CryptoError p384_decode_point(Bytes encoded, std::span<std::uint8_t, 97> uncompressed) {
    p384::Point q;
    if (CryptoError e = ec::point_decode(q, encoded); e != CryptoError::ok) return e;
    return ec::point_encode(uncompressed.data(), q) ? CryptoError::ok : CryptoError::invalid_point;
}

namespace {

// Q = d·G, then encoded. With 48 bytes of blinding, G enters the ladder as (λ·gx : λ·gy : λ) for a
// random λ in [1, p-1] (randomised projective coordinates; λ = 1 when the bytes are not in range,
// about 2^-32 of the time), so the intermediate values do not repeat from one key to the next.
// Constant time in d and λ.
CryptoError public_from_private(std::span<std::uint8_t, 97> pub, std::span<const std::uint8_t, 48> priv,
                                Bytes blinding) {
    using K = ec::Consts<p384::Curve>;
    p384::Point g{K::gx, K::gy, K::one};
    if (blinding.size() == 48) {
        ec::Fe<p384::Curve> lambda;
        ec::Limb usable = ec::Limb(0) - ec::Limb(ec::fe_from_bytes(lambda, blinding.data()));
        ec::Limb any = 0;
        for (int i = 0; i < p384::Curve::limbs; i++) any |= lambda.v[i];
        usable &= ct::mask_nonzero(any);
        ec::Fe<p384::Curve> chosen = K::one;
        ec::fe_cmov(chosen, lambda, usable);
        g = p384::Point{ec::fe_mul(K::gx, chosen), ec::fe_mul(K::gy, chosen), chosen};
        secure_zero(lambda);
        secure_zero(chosen);
    }
    p384::Scalar d;
    bool in_range = ec::scalar_from_bytes(d, priv.data());
    p384::Point q;
    ec::point_mul(q, g, d);  // computed either way, so timing does not tell a bad key apart
    secure_zero(d);
    secure_zero(g);
    // Whether a private key is in range is public: a key outside [1, n-1] is refused on every use.
    ct::declassify(in_range);
    if (!in_range) {
        secure_zero(q);
        return CryptoError::invalid_scalar;
    }
    bool finite = ec::point_encode(pub.data(), q);
    secure_zero(q);
    ct::declassify(finite);  // a fault verdict: d in [1, n-1] never gives infinity
    return finite ? CryptoError::ok : CryptoError::fault_detected;
}

}  // namespace

CryptoError p384_public_from_private(std::span<const std::uint8_t, 48> priv, std::span<std::uint8_t, 97> pub) {
    return public_from_private(pub, priv, {});
}

CryptoError p384_keygen(const Rng& rng, std::span<std::uint8_t, 48> priv, std::span<std::uint8_t, 97> pub) {
    // A.2.2: draw 384 bits until the value is in [1, n-1]. Each draw fails with probability about
    // 2^-190; a rejected candidate says nothing about the accepted one.
    for (int attempt = 0; attempt < 64; attempt++) {
        if (CryptoError e = rng(priv); e != CryptoError::ok) break;
        p384::Scalar d;
        bool in_range = ec::scalar_from_bytes(d, priv.data());
        secure_zero(d);
        ct::declassify(in_range);  // rejection sampling: a rejected draw is discarded
        if (!in_range) continue;
        std::uint8_t blinding[48];  // λ for the projective coordinates of G
        if (CryptoError e = rng(blinding); e != CryptoError::ok) break;
        CryptoError err = public_from_private(pub, priv, blinding);
        secure_zero(blinding);
        if (err != CryptoError::ok) secure_zero(priv.data(), priv.size());
        return err;
    }
    secure_zero(priv.data(), priv.size());
    return CryptoError::rng_failure;
}

CryptoError p384_ecdh(std::span<const std::uint8_t, 48> priv, Bytes peer_point, std::span<std::uint8_t, 48> shared_x) {
    p384::Point q;
    if (CryptoError e = ec::point_decode(q, peer_point); e != CryptoError::ok) return e;
    p384::Scalar d;
    bool in_range = ec::scalar_from_bytes(d, priv.data());
    p384::Point s;
    ec::point_mul(s, q, d);
    secure_zero(d);
    ct::declassify(in_range);  // public: a key outside [1, n-1] is refused on every use
    if (!in_range) {
        secure_zero(s);
        return CryptoError::invalid_scalar;
    }
    // §3.3.1 step 2: P = infinity is an error. With a valid Q of prime order n and d in [1, n-1]
    // it cannot happen; reaching it means a fault.
    bool finite = ec::point_x_bytes(shared_x.data(), s);
    secure_zero(s);
    ct::declassify(finite);  // a fault verdict: only a fault (or a bug) makes it false
    if (!finite) {
        secure_zero(shared_x.data(), shared_x.size());
        return CryptoError::fault_detected;
    }
    return CryptoError::ok;
}

CryptoError ecdsa_p384_verify_digest(Bytes pub, Bytes digest, Bytes r, Bytes s) {
    return ec::ecdsa_verify_digest<p384::Curve>(pub, digest, r, s);
}

CryptoError ecdsa_p384_verify_digest_p1363(Bytes pub, Bytes digest, Bytes signature) {
    if (signature.size() != ecdsa_p384_signature_size) return CryptoError::invalid_signature;
    return ecdsa_p384_verify_digest(pub, digest, signature.first(48), signature.last(48));
}

CryptoError ecdsa_p384_verify(Bytes pub, HashAlg hash, Bytes message, Bytes signature) {
    std::uint8_t digest[max_digest_size];
    MutBytes out(digest, hash_size(hash));
    if (CryptoError err = padlock::hash(hash, message, out); err != CryptoError::ok) return err;
    return ecdsa_p384_verify_digest_p1363(pub, out, signature);
}

}  // namespace padlock
