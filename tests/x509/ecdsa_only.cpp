// SPDX-License-Identifier: Apache-2.0
// A firmware-shaped program that verifies only ECDSA P-256 signatures through the signature entry
// point's per-algorithm function (asn1::verify_ecdsa_p256) and parses one SPKI, linked against
// libpadlock.a with --gc-sections. footprint_ecdsa.sh checks that no RSA or bignum code came along
// (GUIDE.md "Pay only for what you link"; asn1/signature.hpp).
#include <cstdio>

#include "asn1/keys.hpp"
#include "asn1/signature.hpp"

int main(int argc, char** argv) {
    using namespace padlock;
    static const std::uint8_t spki_der[91] = {0x30, 0x59};  // contents do not matter: never valid
    asn1::Spki spki;
    const asn1::Error e1 = asn1::parse_spki(spki_der, spki);
    const std::uint8_t sig[8] = {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01};
    const asn1::SignatureError e2 =
        asn1::verify_ecdsa_p256(HashAlg::sha256, spki, Bytes(reinterpret_cast<const std::uint8_t*>(argv[0]), 1), sig);
    std::printf("%d %d %d\n", argc, int(e1), int(e2));
    return 0;
}
