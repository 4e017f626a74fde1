// SPDX-License-Identifier: Apache-2.0
// NIST P-384 (curve constants from SP 800-186 §3.2.1.4): the generic curve code of ec_curve.hpp
// instantiated here, in its own translation unit, for SEC 1 §3.3.1 ECDH, point validation, and
// FIPS 186-5 §6.4.2 ECDSA verification.
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

CryptoError p384_ecdh(std::span<const std::uint8_t, 48> priv, Bytes peer_point, std::span<std::uint8_t, 48> shared_x) {
    p384::Point q;
    if (CryptoError e = ec::point_decode(q, peer_point); e != CryptoError::ok) return e;
    p384::Scalar d;
    bool in_range = ec::scalar_from_bytes(d, priv.data());
    p384::Point s;
    ec::point_mul(s, q, d);
    secure_zero(d);
    if (!in_range) {
        secure_zero(s);
        return CryptoError::invalid_scalar;
    }
    // §3.3.1 step 2: P = infinity is an error. With a valid Q of prime order n and d in [1, n-1]
    // it cannot happen; reaching it means a fault.
    bool finite = ec::point_x_bytes(shared_x.data(), s);
    secure_zero(s);
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
