// SPDX-License-Identifier: Apache-2.0
// Wycheproof ECDSA verification drivers: DER Ecdsa-Sig-Value signatures (ecdsa_verify_schema_v1)
// and IEEE P1363 r || s (ecdsa_p1363_verify_schema_v1). Both go through the library's one entry
// point, asn1::verify_signature: the group's curve and hash select the SignatureAlg (through
// select_signature_alg with the group's SPKI, as a certificate's issuer key would), and a P1363
// signature of the right size is re-encoded as the DER that X.509 and TLS carry.
// These files have no "acceptable" cases; curves and hashes outside SignatureAlg are rejected as
// unsupported.
#include <string>
#include <vector>

#include "asn1/keys.hpp"
#include "asn1/signature.hpp"
#include "crypto/ec/ecdsa.hpp"
#include "crypto/hash/hash.hpp"
#include "tools/vectors/drivers.hpp"

namespace padlock::vectors {

namespace {

Verdict reject(std::string why) { return {false, true, std::move(why)}; }

// What every case of a group shares: the key and the algorithm.
struct Prepared {
    std::vector<std::uint8_t> der;  // owns the SPKI the key views into
    asn1::Spki spki;
    asn1::SignatureAlg alg = asn1::SignatureAlg::ecdsa_p256_sha256;
    std::size_t scalar_size = 32;
    HashAlg hash = HashAlg::sha256;
};

// Returns an empty string on success, else the reason to reject.
std::string prepare(const Case& c, Prepared& p) {
    const std::string curve = c.group["publicKey"].value("curve", "");
    if (curve != "secp256r1" && curve != "secp384r1") return "unsupported curve " + curve + ": rejected";
    p.scalar_size = curve == "secp256r1" ? 32 : 48;
    const std::string sha = c.group.value("sha", "");
    asn1::SignatureAlgorithmId id{asn1::SignatureFamily::ecdsa, HashAlg::sha256};
    if (sha == "SHA-256") id.hash = HashAlg::sha256;
    else if (sha == "SHA-384") id.hash = HashAlg::sha384;
    else if (sha == "SHA-512") id.hash = HashAlg::sha512;
    else return "unsupported hash " + sha + ": rejected";
    p.hash = id.hash;
    p.der = hex(c.group["publicKeyDer"]);
    if (const auto e = asn1::parse_spki(p.der, p.spki); e != asn1::Asn1Error::ok)
        return std::string("public key SPKI: ") + asn1::error_name(e);
    if (const auto e = asn1::select_signature_alg(id, p.spki, p.alg); e != asn1::SignatureError::ok)
        return std::string("public key: ") + asn1::error_name(e);
    return "";
}

Verdict verify(const Case& c, const Prepared& p, Bytes der_signature) {
    const auto msg = hex(c.test["msg"]);
    const auto e = asn1::verify_signature(p.alg, p.spki, msg, der_signature);
    if (e == asn1::SignatureError::ok) return {true, true, ""};
    return reject(std::string(asn1::signature_alg_name(p.alg)) + ": " + asn1::error_name(e));
}

}  // namespace

Verdict ecdsa_der_case(const Case& c) {
    Prepared p;
    if (auto why = prepare(c, p); !why.empty()) return reject(why);
    const auto sig = hex(c.test["sig"]);
    return verify(c, p, sig);
}

Verdict ecdsa_p1363_case(const Case& c) {
    Prepared p;
    if (auto why = prepare(c, p); !why.empty()) return reject(why);
    const auto sig = hex(c.test["sig"]);
    if (sig.size() != 2 * p.scalar_size) return reject("P1363 signature is not 2 x scalar size");
    std::uint8_t der[2 * 48 + 16];
    std::size_t len = 0;
    const Bytes rs(sig);
    if (asn1::write_ecdsa_signature(rs.first(p.scalar_size), rs.last(p.scalar_size), der, len) != asn1::Asn1Error::ok)
        return reject("cannot re-encode r || s");
    return verify(c, p, Bytes(der, len));
}

}  // namespace padlock::vectors
