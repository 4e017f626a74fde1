// SPDX-License-Identifier: Apache-2.0
// Wycheproof ECDSA P-256 verification drivers: DER Ecdsa-Sig-Value signatures
// (ecdsa_verify_schema_v1, parsed strictly by asn1::parse_ecdsa_signature) and IEEE P1363 r || s
// (ecdsa_p1363_verify_schema_v1, exactly 64 bytes). The public key comes from the group's SPKI
// DER; the digest of "msg" with the group's hash is verified per FIPS 186-5 §6.4.2.
// These files have no "acceptable" cases; other curves and hashes are rejected as unsupported.
#include <string>
#include <vector>

#include "asn1/keys.hpp"
#include "crypto/ecdsa.hpp"
#include "crypto/hash.hpp"
#include "tools/vectors/drivers.hpp"

namespace padlock::vectors {

namespace {

Verdict reject(std::string why) { return {false, true, std::move(why)}; }

// What every case of a group shares: the public point and the message digest.
struct Prepared {
    std::vector<std::uint8_t> der;  // owns the SPKI the point views into
    Bytes point;
    std::uint8_t digest[max_digest_size];
    std::size_t digest_len = 0;
};

// Returns an empty string on success, else the reason to reject.
std::string prepare(const Case& c, Prepared& p) {
    const json& key = c.group["publicKey"];
    if (key.value("curve", "") != "secp256r1") return "unsupported curve: rejected";
    const std::string sha = c.group.value("sha", "");
    HashAlg alg;
    if (sha == "SHA-256")
        alg = HashAlg::sha256;
    else if (sha == "SHA-512")
        alg = HashAlg::sha512;
    else if (sha == "SHA-384")
        alg = HashAlg::sha384;
    else if (sha == "SHA-224")
        alg = HashAlg::sha224;
    else
        return "unsupported hash " + sha + ": rejected";
    p.der = hex(c.group["publicKeyDer"]);
    asn1::Spki spki;
    if (const auto e = asn1::parse_spki(p.der, spki); e != asn1::Error::ok)
        return std::string("public key SPKI: ") + asn1::error_name(e);
    if (spki.type != asn1::KeyType::ec_p256) return "public key is not a P-256 key";
    p.point = spki.key;
    const auto msg = hex(c.test["msg"]);
    p.digest_len = hash_size(alg);
    hash(alg, msg, MutBytes(p.digest, p.digest_len));
    return "";
}

Verdict verdict(Error e) {
    if (e == Error::ok) return {true, true, ""};
    return reject(e == Error::invalid_point ? "invalid public key" : "signature does not verify");
}

}  // namespace

Verdict ecdsa_der_case(const Case& c) {
    Prepared p;
    if (auto why = prepare(c, p); !why.empty()) return reject(why);
    const auto sig = hex(c.test["sig"]);
    Bytes r, s;
    if (const auto e = asn1::parse_ecdsa_signature(sig, r, s); e != asn1::Error::ok)
        return reject(std::string("DER signature: ") + asn1::error_name(e));
    return verdict(ecdsa_p256_verify_digest(p.point, Bytes(p.digest, p.digest_len), r, s));
}

Verdict ecdsa_p1363_case(const Case& c) {
    Prepared p;
    if (auto why = prepare(c, p); !why.empty()) return reject(why);
    const auto sig = hex(c.test["sig"]);
    if (sig.size() != ecdsa_p256_signature_size) return reject("P1363 signature is not 64 bytes");
    return verdict(ecdsa_p256_verify_digest_p1363(p.point, Bytes(p.digest, p.digest_len), sig));
}

}  // namespace padlock::vectors
