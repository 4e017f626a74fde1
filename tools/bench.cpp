// SPDX-License-Identifier: Apache-2.0
// `padlock bench`: throughput (MB/s) and operation rates (ops/s) of padlock's primitives, and —
// when built with OpenSSL (meson option openssl_bench) — the same operations through libcrypto in
// the same run, with the ratio padlock/OpenSSL per row.
//
// Method, identical for both columns: an untimed warm-up that calibrates each side's iteration count
// to about `seconds` of work, then five timed runs of each, padlock and OpenSSL alternating so that
// noise from the machine falls on both; the median rate of each side is reported, and beside the
// ratio of the medians, the lowest and highest ratio of a padlock run to the OpenSSL run after it
// (every run's rate is in the --json output).
#include "tools/bench.hpp"
#include "tools/data_dir.hpp"

#include <algorithm>
#include <array>
#include <memory>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "asn1/keys.hpp"
#include "crypto/symmetric/chacha20.hpp"
#include "crypto/symmetric/chacha20_poly1305.hpp"
#include "crypto/ec/ecdsa.hpp"
#include "crypto/symmetric/gcm.hpp"
#include "crypto/hash/hmac.hpp"
#include "crypto/ec/p256.hpp"
#include "crypto/rng.hpp"
#include "crypto/rsa/rsa.hpp"
#include "crypto/hash/sha2.hpp"
#include "crypto/ec/x25519.hpp"
#include "x509/certificate.hpp"
#include "x509/path.hpp"

#if PADLOCK_BENCH_OPENSSL
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#endif

namespace padlock::bench {
namespace {

using Clock = std::chrono::steady_clock;
using Op = std::function<void()>;

// The number of calls of `op` that take about `seconds` (an untimed warm-up that also calibrates).
std::size_t calibrate(const Op& op, double seconds) {
    for (std::size_t iters = 1;; iters *= 2) {
        auto t0 = Clock::now();
        for (std::size_t i = 0; i < iters; i++) op();
        double dt = std::chrono::duration<double>(Clock::now() - t0).count();
        if (dt >= seconds / 10) return std::max<std::size_t>(1, std::size_t(double(iters) * seconds / dt));
    }
}

// Calls per second over one timed run of `iters` calls.
double timed_rate(const Op& op, std::size_t iters) {
    auto t0 = Clock::now();
    for (std::size_t i = 0; i < iters; i++) op();
    return double(iters) / std::chrono::duration<double>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// OpenSSL's AVX/AVX-512 code paths can return with the upper halves of the vector registers still
// dirty. Code compiled for baseline x86-64 (SSE, as padlock's portable build is) then runs up to
// twice as slowly until something executes VZEROUPPER — measured here: ChaCha20-Poly1305 at 16 KiB
// drops from ~780 to ~440 MB/s right after OpenSSL's row. So each OpenSSL measurement is followed
// by a VZEROUPPER, and padlock's figures are those of a clean register state.
#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx"))) void vzeroupper() { __builtin_ia32_vzeroupper(); }
void clear_upper_vector_state() {
    if (__builtin_cpu_supports("avx")) vzeroupper();
}
#else
void clear_upper_vector_state() {}
#endif

// One benchmark row: a primitive at a message size (0 = an operation, reported in ops/s).
struct Case {
    std::string primitive;
    std::size_t size;
    std::function<Op()> padlock;   // builds the operation (setup is not timed)
    std::function<Op()> openssl;   // empty when OpenSSL is not linked
    std::string backend;           // the padlock backend that runs it (crypto/cpu.hpp)
};

constexpr std::size_t sizes[] = {16, 256, 1024, 16384};

std::string kat_path(const std::string& name) { return tools::vectors_dir() + "/" + name; }

std::vector<std::uint8_t> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    return {std::istreambuf_iterator<char>(in), {}};
}

void check(Error e, const char* what) {
    if (e != Error::ok) throw std::runtime_error(std::string("padlock bench setup failed: ") + what);
}

// ---- padlock operations ----

template <class H>
std::function<Op()> padlock_hash(std::size_t n) {
    return [n] {
        return [msg = std::vector<std::uint8_t>(n, 0xa5)]() mutable {
            std::uint8_t out[H::digest_size];
            H::hash(msg, out);
            msg[0] = out[0];
        };
    };
}

std::function<Op()> padlock_hmac_sha256(std::size_t n) {
    return [n] {
        return [msg = std::vector<std::uint8_t>(n, 0xa5), key = std::vector<std::uint8_t>(32, 7)]() mutable {
            std::uint8_t out[32];
            hmac<Sha256>(key, msg, out);
            msg[0] = out[0];
        };
    };
}

template <class Aead>
std::function<Op()> padlock_aead(std::size_t key_len, std::size_t n) {
    return [key_len, n] {
        auto ctx = std::make_shared<Aead>();
        std::vector<std::uint8_t> key(key_len, 0x42);
        check(ctx->init(key), "aead key");
        return [ctx, buf = std::vector<std::uint8_t>(n, 0x11)]() mutable {
            const std::uint8_t nonce[12] = {1}, aad[13] = {2};
            std::uint8_t tag[16];
            check(ctx->seal(nonce, aad, buf, buf, tag), "aead seal");
        };
    };
}

// Opening: the message is sealed once (untimed); each op checks the tag and decrypts into a second buffer.
template <class Aead>
std::function<Op()> padlock_aead_open(std::size_t key_len, std::size_t n) {
    return [key_len, n] {
        auto ctx = std::make_shared<Aead>();
        std::vector<std::uint8_t> key(key_len, 0x42);
        check(ctx->init(key), "aead key");
        auto ct = std::make_shared<std::vector<std::uint8_t>>(n + 16, 0x11);
        const std::uint8_t nonce[12] = {1}, aad[13] = {2};
        check(ctx->seal(nonce, aad, Bytes(ct->data(), n), MutBytes(ct->data(), n),
                        std::span<std::uint8_t, 16>(ct->data() + n, 16)), "aead seal");
        return [ctx, ct, n, out = std::vector<std::uint8_t>(n)]() mutable {
            const std::uint8_t nonce[12] = {1}, aad[13] = {2};
            check(ctx->open(nonce, aad, Bytes(ct->data(), n), Bytes(ct->data() + n, 16), out), "aead open");
        };
    };
}

// Which backend produced a row (crypto/cpu.hpp), as the library would choose it now.
template <class Aead>
std::string aead_backend() {
    Aead a;
    std::vector<std::uint8_t> key(32, 0x42);  // both AEADs take 32 bytes
    if (a.init(key) != Error::ok) return "?";
    if constexpr (requires { a.backend_name(); }) return a.backend_name();
    else return "portable";
}

std::function<Op()> padlock_x25519() {
    return [] {
        auto keys = std::make_shared<std::array<std::uint8_t, 96>>();  // priv | own pub | peer pub
        std::span<std::uint8_t, 96> k(*keys);
        check(x25519_keygen(system_rng(), k.subspan<0, 32>(), k.subspan<32, 32>()), "x25519 keygen");
        check(x25519_keygen(system_rng(), k.subspan<32, 32>(), k.subspan<64, 32>()), "x25519 keygen");
        return [keys] {
            std::uint8_t shared[32];
            check(x25519(std::span<const std::uint8_t, 32>(keys->data(), 32), std::span<const std::uint8_t, 32>(keys->data() + 64, 32),
                         shared), "x25519");
        };
    };
}

// A P-256 key pair of ours: private scalar and uncompressed public point.
struct P256Key {
    std::uint8_t priv[32];
    std::uint8_t pub[65];
};
std::shared_ptr<P256Key> p256_key() {
    auto key = std::make_shared<P256Key>();
    check(p256_keygen(system_rng(), key->priv, key->pub), "p256 keygen");
    return key;
}

std::function<Op()> padlock_p256_ecdh() {
    return [] {
        auto ours = p256_key(), peer = p256_key();
        return [ours, peer] {
            std::uint8_t shared[32];
            check(p256_ecdh(ours->priv, peer->pub, shared), "p256 ecdh");
        };
    };
}

const std::uint8_t digest32[32] = {0x5a, 1, 2, 3};  // the "message digest" every signature row signs

std::function<Op()> padlock_ecdsa_sign() {
    return [] {
        auto key = p256_key();
        return [key] {
            std::uint8_t sig[64];
            check(ecdsa_p256_sign_digest(key->priv, HashAlg::sha256, digest32, sig), "ecdsa sign");
        };
    };
}

std::function<Op()> padlock_ecdsa_verify() {
    return [] {
        auto key = p256_key();
        auto sig = std::make_shared<std::array<std::uint8_t, 64>>();
        check(ecdsa_p256_sign_digest(key->priv, HashAlg::sha256, digest32, *sig), "ecdsa sign");
        return [key, sig] { check(ecdsa_p256_verify_digest_p1363(key->pub, digest32, *sig), "ecdsa verify"); };
    };
}

// The RSA test keys under vectors/rsa/ (PKCS#8 DER), loaded through our asn1 layer.
std::shared_ptr<RsaPrivateKey> rsa_key(int bits) {
    auto der = std::make_shared<std::vector<std::uint8_t>>(read_file(kat_path("rsa/key" + std::to_string(bits) + ".der")));
    asn1::Pkcs8 p8;
    asn1::RsaPrivateKeyDer fields;
    if (asn1::parse_pkcs8(*der, p8) != asn1::Error::ok || asn1::parse_rsa_private_key(p8.private_key, fields) != asn1::Error::ok)
        throw std::runtime_error("cannot parse RSA test key");
    auto key = std::make_shared<RsaPrivateKey>();
    check(key->load({fields.n, fields.e, fields.d, fields.p, fields.q, fields.dp, fields.dq, fields.qinv}), "rsa key");
    return key;
}

std::function<Op()> padlock_rsa_sign(int bits) {
    return [bits] {
        auto key = rsa_key(bits);
        return [key] {
            std::uint8_t sig[rsa_max_bytes];
            check(rsa_pkcs1_sign_digest(*key, HashAlg::sha256, digest32, system_rng(),
                                        MutBytes(sig, key->modulus_bytes())), "rsa sign");
        };
    };
}

std::function<Op()> padlock_rsa_verify(int bits) {
    return [bits] {
        auto key = rsa_key(bits);
        auto sig = std::make_shared<std::vector<std::uint8_t>>(key->modulus_bytes());
        check(rsa_pkcs1_sign_digest(*key, HashAlg::sha256, digest32, system_rng(), *sig), "rsa sign");
        return [key, sig] {
            check(rsa_pkcs1_verify_digest(key->public_key(), HashAlg::sha256, digest32, *sig), "rsa verify");
        };
    };
}

// ---- OpenSSL operations (comparison column only) ----
// Chain verification (vectors/x509, made by make_pki.sh): parse leaf, intermediate and root from
// DER, then build and validate the path at 2027-01-01 for serverAuth, each op from scratch.
constexpr std::int64_t chain_time = 1798761600;
using Chain = std::array<std::vector<std::uint8_t>, 3>;  // leaf, intermediate, root
std::shared_ptr<Chain> read_chain(const char* leaf, const char* inter, const char* root) {
    auto c = std::make_shared<Chain>();
    (*c)[0] = read_file(kat_path(std::string("x509/") + leaf + ".der"));
    (*c)[1] = read_file(kat_path(std::string("x509/") + inter + ".der"));
    (*c)[2] = read_file(kat_path(std::string("x509/") + root + ".der"));
    return c;
}

std::function<Op()> padlock_chain(const char* leaf, const char* inter, const char* root) {
    return [=] {
        std::shared_ptr<Chain> c = read_chain(leaf, inter, root);
        return [c] {
            x509::Certificate certs[3];
            for (int i = 0; i < 3; i++)
                if (x509::parse_certificate((*c)[i], certs[i]) != x509::Error::ok) throw std::runtime_error("chain parse");
            x509::PathInput in;
            in.leaf = &certs[0];
            in.intermediates = std::span<const x509::Certificate>(&certs[1], 1);
            in.anchors = std::span<const x509::Certificate>(&certs[2], 1);
            in.time = chain_time;
            x509::PathScratch scratch;
            if (!x509::build_path(in, scratch).ok()) throw std::runtime_error("chain verify");
        };
    };
}

#if PADLOCK_BENCH_OPENSSL

void ossl_check(int ok, const char* what) {
    if (ok <= 0) throw std::runtime_error(std::string("OpenSSL bench setup failed: ") + what);
}

std::function<Op()> openssl_hash(const char* name, std::size_t n) {
    return [name, n] {
        std::shared_ptr<EVP_MD_CTX> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
        std::shared_ptr<EVP_MD> md(EVP_MD_fetch(nullptr, name, nullptr), EVP_MD_free);
        return [ctx, md, msg = std::vector<std::uint8_t>(n, 0xa5)]() mutable {
            unsigned char out[EVP_MAX_MD_SIZE];
            unsigned len = 0;
            EVP_DigestInit_ex2(ctx.get(), md.get(), nullptr);
            EVP_DigestUpdate(ctx.get(), msg.data(), msg.size());
            EVP_DigestFinal_ex(ctx.get(), out, &len);
            msg[0] = out[0];
        };
    };
}

std::function<Op()> openssl_hmac_sha256(std::size_t n) {
    return [n] {
        std::shared_ptr<EVP_MAC> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr), EVP_MAC_free);
        std::shared_ptr<EVP_MAC_CTX> ctx(EVP_MAC_CTX_new(mac.get()), EVP_MAC_CTX_free);
        return [mac, ctx, msg = std::vector<std::uint8_t>(n, 0xa5), key = std::vector<std::uint8_t>(32, 7)]() mutable {
            char digest[] = "SHA256";
            OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                   OSSL_PARAM_construct_end()};
            unsigned char out[32];
            std::size_t len = 0;
            EVP_MAC_init(ctx.get(), key.data(), key.size(), params);
            EVP_MAC_update(ctx.get(), msg.data(), msg.size());
            EVP_MAC_final(ctx.get(), out, &len, sizeof out);
            msg[0] = out[0];
        };
    };
}

std::function<Op()> openssl_aead(const char* name, std::size_t key_len, std::size_t n) {
    return [name, key_len, n] {
        std::shared_ptr<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
        std::shared_ptr<EVP_CIPHER> cipher(EVP_CIPHER_fetch(nullptr, name, nullptr), EVP_CIPHER_free);
        std::vector<std::uint8_t> key(key_len, 0x42);
        ossl_check(EVP_EncryptInit_ex2(ctx.get(), cipher.get(), key.data(), nullptr, nullptr), name);
        return [ctx, cipher, buf = std::vector<std::uint8_t>(n, 0x11)]() mutable {
            const unsigned char nonce[12] = {1}, aad[13] = {2};
            unsigned char tag[16];
            int len = 0;
            EVP_EncryptInit_ex2(ctx.get(), nullptr, nullptr, nonce, nullptr);
            EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad, sizeof aad);
            EVP_EncryptUpdate(ctx.get(), buf.data(), &len, buf.data(), int(buf.size()));
            EVP_EncryptFinal_ex(ctx.get(), buf.data() + len, &len);
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, 16, tag);
        };
    };
}

std::function<Op()> openssl_aead_open(const char* name, std::size_t key_len, std::size_t n) {
    return [name, key_len, n] {
        std::shared_ptr<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
        std::shared_ptr<EVP_CIPHER> cipher(EVP_CIPHER_fetch(nullptr, name, nullptr), EVP_CIPHER_free);
        std::vector<std::uint8_t> key(key_len, 0x42);
        const unsigned char nonce[12] = {1}, aad[13] = {2};
        auto ct = std::make_shared<std::vector<std::uint8_t>>(n + 16, 0x11);
        int len = 0;
        ossl_check(EVP_EncryptInit_ex2(ctx.get(), cipher.get(), key.data(), nonce, nullptr), name);
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad, sizeof aad);
        EVP_EncryptUpdate(ctx.get(), ct->data(), &len, ct->data(), int(n));
        EVP_EncryptFinal_ex(ctx.get(), ct->data() + len, &len);
        ossl_check(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, 16, ct->data() + n), "get tag");
        ossl_check(EVP_DecryptInit_ex2(ctx.get(), cipher.get(), key.data(), nullptr, nullptr), name);
        return [ctx, cipher, ct, n, out = std::vector<std::uint8_t>(n + 16)]() mutable {
            const unsigned char nonce[12] = {1}, aad[13] = {2};
            int len = 0;
            EVP_DecryptInit_ex2(ctx.get(), nullptr, nullptr, nonce, nullptr);
            EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad, sizeof aad);
            EVP_DecryptUpdate(ctx.get(), out.data(), &len, ct->data(), int(n));
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, 16, ct->data() + n);
            ossl_check(EVP_DecryptFinal_ex(ctx.get(), out.data() + len, &len), "open");
        };
    };
}

using PkeyPtr = std::shared_ptr<EVP_PKEY>;
using PkeyCtxPtr = std::shared_ptr<EVP_PKEY_CTX>;

PkeyPtr ossl_keygen(const char* type, const char* curve = nullptr) {
    EVP_PKEY* key = curve ? EVP_PKEY_Q_keygen(nullptr, nullptr, type, curve) : EVP_PKEY_Q_keygen(nullptr, nullptr, type);
    ossl_check(key != nullptr, type);
    return PkeyPtr(key, EVP_PKEY_free);
}

// Key agreement: the context is set up once, as `openssl speed` does; each op is one derive.
std::function<Op()> openssl_derive(const char* type, const char* curve) {
    return [type, curve] {
        PkeyPtr ours = ossl_keygen(type, curve), peer = ossl_keygen(type, curve);
        PkeyCtxPtr ctx(EVP_PKEY_CTX_new(ours.get(), nullptr), EVP_PKEY_CTX_free);
        ossl_check(EVP_PKEY_derive_init(ctx.get()), "derive init");
        ossl_check(EVP_PKEY_derive_set_peer(ctx.get(), peer.get()), "derive peer");
        return [ours, peer, ctx] {
            unsigned char shared[64];
            std::size_t len = sizeof shared;
            ossl_check(EVP_PKEY_derive(ctx.get(), shared, &len), "derive");
        };
    };
}

PkeyPtr ossl_rsa_key(int bits) {
    std::vector<std::uint8_t> der = read_file(kat_path("rsa/key" + std::to_string(bits) + ".der"));
    const unsigned char* p = der.data();
    EVP_PKEY* key = d2i_AutoPrivateKey(nullptr, &p, long(der.size()));
    ossl_check(key != nullptr, "rsa key");
    return PkeyPtr(key, EVP_PKEY_free);
}

// Signing a SHA-256 digest: ECDSA for EC keys, PKCS#1 v1.5 for RSA keys.
PkeyCtxPtr ossl_sign_ctx(const PkeyPtr& key, bool sign) {
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new(key.get(), nullptr), EVP_PKEY_CTX_free);
    ossl_check(sign ? EVP_PKEY_sign_init(ctx.get()) : EVP_PKEY_verify_init(ctx.get()), "sign init");
    ossl_check(EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256()), "signature md");
    if (EVP_PKEY_is_a(key.get(), "RSA")) ossl_check(EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING), "padding");
    return ctx;
}

std::function<Op()> openssl_sign(std::function<PkeyPtr()> make_key) {
    return [make_key] {
        PkeyPtr key = make_key();
        PkeyCtxPtr ctx = ossl_sign_ctx(key, true);
        return [key, ctx] {
            unsigned char sig[1024];
            std::size_t len = sizeof sig;
            ossl_check(EVP_PKEY_sign(ctx.get(), sig, &len, digest32, sizeof digest32), "sign");
        };
    };
}

std::function<Op()> openssl_verify(std::function<PkeyPtr()> make_key) {
    return [make_key] {
        PkeyPtr key = make_key();
        PkeyCtxPtr sctx = ossl_sign_ctx(key, true), vctx = ossl_sign_ctx(key, false);
        auto sig = std::make_shared<std::vector<unsigned char>>(1024);
        std::size_t len = sig->size();
        ossl_check(EVP_PKEY_sign(sctx.get(), sig->data(), &len, digest32, sizeof digest32), "sign");
        sig->resize(len);
        return [key, vctx, sig] {
            ossl_check(EVP_PKEY_verify(vctx.get(), sig->data(), sig->size(), digest32, sizeof digest32), "verify");
        };
    };
}

// The same through libcrypto: d2i_X509 of the three certificates, a store holding the root, and
// X509_verify_cert with the intermediate untrusted, at the same time and purpose.
std::function<Op()> openssl_chain(const char* leaf, const char* inter, const char* root) {
    return [=] {
        std::shared_ptr<Chain> c = read_chain(leaf, inter, root);
        return [c] {
            X509* certs[3];
            for (int i = 0; i < 3; i++) {
                const unsigned char* p = (*c)[i].data();
                certs[i] = d2i_X509(nullptr, &p, long((*c)[i].size()));
                ossl_check(certs[i] != nullptr, "d2i_X509");
            }
            X509_STORE* store = X509_STORE_new();
            X509_STORE_add_cert(store, certs[2]);
            STACK_OF(X509)* untrusted = sk_X509_new_null();
            sk_X509_push(untrusted, certs[1]);
            X509_STORE_CTX* ctx = X509_STORE_CTX_new();
            X509_STORE_CTX_init(ctx, store, certs[0], untrusted);
            X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
            X509_VERIFY_PARAM_set_time(param, time_t(chain_time));
            X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
            const int ok = X509_verify_cert(ctx);
            X509_STORE_CTX_free(ctx);
            sk_X509_free(untrusted);
            X509_STORE_free(store);
            for (X509* x : certs) X509_free(x);
            ossl_check(ok == 1, "X509_verify_cert");
        };
    };
}

std::function<Op()> openssl_x25519() { return openssl_derive("X25519", nullptr); }
std::function<Op()> openssl_p256_ecdh() { return openssl_derive("EC", "P-256"); }
std::function<Op()> openssl_ecdsa_sign() { return openssl_sign([] { return ossl_keygen("EC", "P-256"); }); }
std::function<Op()> openssl_ecdsa_verify() { return openssl_verify([] { return ossl_keygen("EC", "P-256"); }); }
std::function<Op()> openssl_rsa_sign(int bits) { return openssl_sign([bits] { return ossl_rsa_key(bits); }); }
std::function<Op()> openssl_rsa_verify(int bits) { return openssl_verify([bits] { return ossl_rsa_key(bits); }); }

#else  // without OpenSSL the comparison column is empty

std::function<Op()> openssl_hash(const char*, std::size_t) { return {}; }
std::function<Op()> openssl_hmac_sha256(std::size_t) { return {}; }
std::function<Op()> openssl_aead(const char*, std::size_t, std::size_t) { return {}; }
std::function<Op()> openssl_aead_open(const char*, std::size_t, std::size_t) { return {}; }
std::function<Op()> openssl_x25519() { return {}; }
std::function<Op()> openssl_p256_ecdh() { return {}; }
std::function<Op()> openssl_ecdsa_sign() { return {}; }
std::function<Op()> openssl_ecdsa_verify() { return {}; }
std::function<Op()> openssl_rsa_sign(int) { return {}; }
std::function<Op()> openssl_rsa_verify(int) { return {}; }
std::function<Op()> openssl_chain(const char*, const char*, const char*) { return {}; }

#endif  // PADLOCK_BENCH_OPENSSL

std::vector<Case> all_cases() {
    std::vector<Case> cases;
    std::string backend = "portable";
    auto add = [&](std::string name, std::size_t size, std::function<Op()> ours, std::function<Op()> theirs) {
        cases.push_back({std::move(name), size, std::move(ours), std::move(theirs), backend});
    };
    const std::string sha256_backend = detail::sha2_backend_name(64), sha512_backend = detail::sha2_backend_name(128);
    // ChaCha20-Poly1305: ChaCha20's backend; Poly1305 runs AVX2 whenever ChaCha20 does (crypto/symmetric/poly1305.cpp).
    const std::string gcm_backend = aead_backend<AesGcm>(), chacha_backend = chacha20_backend_name();
    for (std::size_t n : sizes) {
        backend = sha256_backend;
        add("sha256", n, padlock_hash<Sha256>(n), openssl_hash("SHA256", n));
        add("hmac-sha256", n, padlock_hmac_sha256(n), openssl_hmac_sha256(n));
        backend = sha512_backend;
        add("sha384", n, padlock_hash<Sha384>(n), openssl_hash("SHA384", n));
        add("sha512", n, padlock_hash<Sha512>(n), openssl_hash("SHA512", n));
        backend = gcm_backend;
        add("aes-128-gcm", n, padlock_aead<AesGcm>(16, n), openssl_aead("AES-128-GCM", 16, n));
        add("aes-128-gcm-open", n, padlock_aead_open<AesGcm>(16, n), openssl_aead_open("AES-128-GCM", 16, n));
        add("aes-256-gcm", n, padlock_aead<AesGcm>(32, n), openssl_aead("AES-256-GCM", 32, n));
        add("aes-256-gcm-open", n, padlock_aead_open<AesGcm>(32, n), openssl_aead_open("AES-256-GCM", 32, n));
        backend = chacha_backend;
        add("chacha20-poly1305", n, padlock_aead<ChaCha20Poly1305>(32, n),
            openssl_aead("ChaCha20-Poly1305", 32, n));
        add("chacha20-poly1305-open", n, padlock_aead_open<ChaCha20Poly1305>(32, n),
            openssl_aead_open("ChaCha20-Poly1305", 32, n));
    }
    backend = "portable";
    std::stable_sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) {
        return a.primitive < b.primitive;
    });
    add("x25519", 0, padlock_x25519(), openssl_x25519());
    add("p256-ecdh", 0, padlock_p256_ecdh(), openssl_p256_ecdh());
    add("ecdsa-p256-sign", 0, padlock_ecdsa_sign(), openssl_ecdsa_sign());
    add("ecdsa-p256-verify", 0, padlock_ecdsa_verify(), openssl_ecdsa_verify());
    for (int bits : {2048, 3072, 4096}) {
        add("rsa" + std::to_string(bits) + "-sign", 0, padlock_rsa_sign(bits), openssl_rsa_sign(bits));
        add("rsa" + std::to_string(bits) + "-verify", 0, padlock_rsa_verify(bits), openssl_rsa_verify(bits));
    }
    add("x509-chain-ecdsa", 0, padlock_chain("leaf", "inter", "root"), openssl_chain("leaf", "inter", "root"));
    add("x509-chain-rsa", 0, padlock_chain("rsa_leaf", "rsa_inter", "rsa_root"),
        openssl_chain("rsa_leaf", "rsa_inter", "rsa_root"));
    return cases;
}

}  // namespace

int run(const Options& opts) {
    std::vector<Case> cases = all_cases();
    if (opts.list) {
        std::string last;
        for (const auto& c : cases)
            if (c.primitive != last) std::printf("%s\n", (last = c.primitive).c_str());
        return 0;
    }
    for (const auto& name : opts.only)
        if (std::none_of(cases.begin(), cases.end(), [&](const Case& c) { return c.primitive == name; })) {
            std::fprintf(stderr, "padlock bench: unknown primitive '%s' (see padlock bench --list)\n", name.c_str());
            return 2;
        }
    nlohmann::json rows = nlohmann::json::array();
    if (!opts.as_json)
        std::printf("%-22s %7s %14s %14s %8s  %-9s  %s\n", "primitive", "size", "padlock", "openssl", "ratio",
                    "run pairs", "backend");
    for (const auto& c : cases) {
        if (!opts.only.empty() && std::find(opts.only.begin(), opts.only.end(), c.primitive) == opts.only.end())
            continue;
        const Op ours_op = c.padlock(), theirs_op = c.openssl ? c.openssl() : Op{};
        const std::size_t ours_iters = calibrate(ours_op, opts.seconds);
        const std::size_t theirs_iters = theirs_op ? calibrate(theirs_op, opts.seconds) : 0;
        clear_upper_vector_state();
        std::vector<double> ours_runs, theirs_runs;
        for (int run = 0; run < 5; run++) {
            ours_runs.push_back(timed_rate(ours_op, ours_iters));
            if (!theirs_op) continue;
            theirs_runs.push_back(timed_rate(theirs_op, theirs_iters));
            clear_upper_vector_state();
        }
        const double ours = median(ours_runs), theirs = theirs_op ? median(theirs_runs) : 0;
        // The spread: the lowest and highest ratio of a padlock run to the OpenSSL run right after it.
        std::vector<double> pair_ratios;
        for (std::size_t i = 0; i < theirs_runs.size(); i++) pair_ratios.push_back(ours_runs[i] / theirs_runs[i]);
        const auto [low, high] = std::minmax_element(pair_ratios.begin(), pair_ratios.end());
        // Byte-oriented rows in MB/s (10^6 bytes), operation rows in ops/s.
        double scale = c.size ? double(c.size) / 1e6 : 1.0;
        const char* unit = c.size ? "MB/s" : "ops/s";
        if (opts.as_json) {
            auto scaled = [&](const std::vector<double>& runs) {
                nlohmann::json out = nlohmann::json::array();
                for (double r : runs) out.push_back(r * scale);
                return out;
            };
            nlohmann::json row = {{"primitive", c.primitive}, {"size", c.size}, {"unit", unit}, {"backend", c.backend},
                                  {"padlock", ours * scale}, {"padlock_runs", scaled(ours_runs)}};
            if (theirs_op) {
                row["openssl"] = theirs * scale;
                row["openssl_runs"] = scaled(theirs_runs);
                row["ratio"] = ours / theirs;
            }
            rows.push_back(row);
        } else {
            std::string size = c.size ? std::to_string(c.size) : "-";
            if (theirs_op)
                std::printf("%-22s %7s %9.1f %-4s %9.1f %-4s %7.3fx  %.2f-%.2f  %s\n", c.primitive.c_str(),
                            size.c_str(), ours * scale, unit, theirs * scale, unit, ours / theirs, *low, *high,
                            c.backend.c_str());
            else
                std::printf("%-22s %7s %9.1f %-4s %14s %8s  %-9s  %s\n", c.primitive.c_str(), size.c_str(),
                            ours * scale, unit, "n/a", "", "", c.backend.c_str());
            std::fflush(stdout);
        }
    }
    if (opts.as_json) std::cout << nlohmann::json{{"rows", rows}}.dump(1) << "\n";
    return 0;
}

}  // namespace padlock::bench
