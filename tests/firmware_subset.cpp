// SPDX-License-Identifier: Apache-2.0
// A firmware-shaped program that uses only X25519, AES-128-GCM and ECDSA P-256 verification, linked
// against libpadlock.a with --gc-sections. tests/footprint.sh checks that RSA, the bignum code,
// ChaCha20-Poly1305 and signing did not come along (GUIDE.md "Pay only for what you link").
#include <cstdio>

#include "crypto/ec/ecdsa.hpp"
#include "crypto/symmetric/gcm.hpp"
#include "crypto/ec/x25519.hpp"

int main() {
    using namespace padlock;
    std::uint8_t priv[32] = {1}, peer[32] = {9}, shared[32];
    CryptoError e1 = x25519(priv, peer, shared);

    AesGcm gcm;
    std::uint8_t msg[16] = {}, tag[16];
    CryptoError e2 = gcm.init(Bytes(shared, 16));
    CryptoError e3 = gcm.seal(Bytes(priv, 12), {}, msg, msg, tag);

    std::uint8_t pub[65] = {4}, digest[32] = {}, sig[64] = {};
    CryptoError e4 = ecdsa_p256_verify_digest_p1363(pub, digest, sig);
    std::printf("%d %d %d %d\n", int(e1), int(e2), int(e3), int(e4));
    return 0;
}
