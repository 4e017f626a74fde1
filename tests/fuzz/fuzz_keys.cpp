// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness for the key and signature encodings (asn1/keys.hpp): SubjectPublicKeyInfo,
// PKCS#8, SEC1 ECPrivateKey, PKCS#1 RSA keys, Ecdsa-Sig-Value and RSASSA-PSS-params, every parser
// on every input. Property: what a parser accepts, its writer writes back byte for byte (DER has
// one encoding per value, and the parsers keep everything the writers need), and the inner
// structures a parser says it checked parse on their own.
#include <cstdint>
#include <vector>

#include "asn1/keys.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace padlock::asn1;
using padlock::Bytes;
using padlock::MutBytes;
using padlock::fuzz::equal;

namespace {

// Writes with `write` into a buffer a little larger than `der` and demands the same bytes.
template <class Write>
void check_rewrite(Bytes der, Write write) {
    std::vector<std::uint8_t> out(der.size() + 16);
    std::size_t len = 0;
    FUZZ_CHECK(write(MutBytes(out), len) == Asn1Error::ok);
    FUZZ_CHECK(equal(Bytes(out.data(), len), der));
}

bool is_rsa(KeyType t) { return t == KeyType::rsa || t == KeyType::rsa_pss; }
bool is_ec(KeyType t) { return t == KeyType::ec_p256 || t == KeyType::ec_p384; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const Bytes der(data, size);

    Spki spki;
    if (parse_spki(der, spki) == Asn1Error::ok) {
        check_rewrite(der, [&](MutBytes out, std::size_t& len) { return write_spki(spki, out, len); });
        if (is_rsa(spki.type)) {
            RsaPublicKeyDer rsa;
            FUZZ_CHECK(parse_rsa_public_key(spki.key, rsa) == Asn1Error::ok);
        }
        if (spki.type == KeyType::rsa_pss) {
            RsaPssParams pss;
            FUZZ_CHECK(parse_rsassa_pss_params(spki.params, pss) == Asn1Error::ok);
        }
    }

    RsaPublicKeyDer rsa_pub;
    if (parse_rsa_public_key(der, rsa_pub) == Asn1Error::ok)
        check_rewrite(der, [&](MutBytes out, std::size_t& len) { return write_rsa_public_key(rsa_pub, out, len); });

    RsaPrivateKeyDer rsa_priv;
    if (parse_rsa_private_key(der, rsa_priv) == Asn1Error::ok)
        check_rewrite(der, [&](MutBytes out, std::size_t& len) { return write_rsa_private_key(rsa_priv, out, len); });

    EcPrivateKey ec;
    if (parse_ec_private_key(der, ec) == Asn1Error::ok) {
        FUZZ_CHECK(ec.has_params);
        check_rewrite(der, [&](MutBytes out, std::size_t& len) { return write_ec_private_key(ec, out, len); });
    }
    for (KeyType curve : {KeyType::ec_p256, KeyType::ec_p384}) {
        if (parse_ec_private_key(der, curve, ec) == Asn1Error::ok) {
            FUZZ_CHECK(ec.curve == curve);
            check_rewrite(der, [&](MutBytes out, std::size_t& len) { return write_ec_private_key(ec, out, len); });
        }
    }
    FUZZ_CHECK(parse_ec_private_key(der, KeyType::x25519, ec) == Asn1Error::bad_argument);

    Pkcs8 p8;
    if (parse_pkcs8(der, p8) == Asn1Error::ok) {
        check_rewrite(der, [&](MutBytes out, std::size_t& len) { return write_pkcs8(p8, out, len); });
        if (is_rsa(p8.type)) {
            RsaPrivateKeyDer inner;
            FUZZ_CHECK(parse_rsa_private_key(p8.private_key, inner) == Asn1Error::ok);
        } else if (is_ec(p8.type)) {
            EcPrivateKey inner;
            FUZZ_CHECK(parse_ec_private_key(p8.private_key, p8.type, inner) == Asn1Error::ok);
        } else {
            FUZZ_CHECK(p8.private_key.size() == 32);
        }
    }

    Bytes r, s;
    if (parse_ecdsa_signature(der, r, s) == Asn1Error::ok)
        check_rewrite(der, [&](MutBytes out, std::size_t& len) { return write_ecdsa_signature(r, s, out, len); });

    // No writer to compare with: only memory safety, and the defaults when the input is empty.
    RsaPssParams pss;
    if (parse_rsassa_pss_params(der, pss) == Asn1Error::ok && der.empty()) FUZZ_CHECK(pss.salt_length == 20);
    return 0;
}
