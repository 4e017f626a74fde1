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
#include <ctime>
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
#include "crypto/symmetric/poly1305.hpp"
#include "crypto/ec/ecdsa.hpp"
#include "crypto/symmetric/gcm.hpp"
#include "crypto/hash/hmac.hpp"
#include "crypto/ec/p256.hpp"
#include "crypto/rng.hpp"
#include "crypto/rsa/rsa.hpp"
#include "crypto/hash/sha2.hpp"
#include "crypto/ec/x25519.hpp"
#include "tls/engine.hpp"
#include "x509/certificate.hpp"
#include "x509/demo_pki.hpp"
#include "x509/path.hpp"

#if PADLOCK_BENCH_OPENSSL
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>
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

void check(CryptoError e, const char* what) {
    if (e != CryptoError::ok) throw std::runtime_error(std::string("padlock bench setup failed: ") + what);
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
    if (a.init(key) != CryptoError::ok) return "?";
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
    if (asn1::parse_pkcs8(*der, p8) != asn1::Asn1Error::ok || asn1::parse_rsa_private_key(p8.private_key, fields) != asn1::Asn1Error::ok)
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

// ---- TLS 1.3 in memory: full handshakes and 16 KiB records, client and server in one process on
// one core, x25519 and TLS_AES_128_GCM_SHA256 for the handshakes. Both columns use the same
// throw-away PKI (x509/demo_pki: a CA and a "localhost" server certificate, P-256 or RSA-2048), the
// client verifying the chain and the host name; no client certificate, no session tickets.
struct TlsPki {
    x509::TestPki pki;
    tls::EcdsaP256Key ec;
    RsaPrivateKey rsa;
    tls::SigningKey key;
    x509::Certificate anchor[1];
    Bytes chain[1];
};
std::shared_ptr<TlsPki> tls_pki(bool rsa) {
    static std::shared_ptr<TlsPki> made[2];
    if (made[rsa]) return made[rsa];
    auto p = std::make_shared<TlsPki>();
    x509::TestPkiOptions options;
    options.server_key = rsa ? x509::TestKeyType::rsa_2048 : x509::TestKeyType::ecdsa_p256;
    if (x509::make_test_pki(system_rng(), std::time(nullptr), options, p->pki) != x509::X509Error::ok)
        throw std::runtime_error("demo PKI");
    asn1::KeyType type{};
    const bool loaded = rsa ? tls::load_rsa_key(p->pki.server.private_key_pkcs8(), p->rsa, type) == tls::TlsError::ok
                            : tls::load_ecdsa_p256_key(p->pki.server.private_key_pkcs8(), p->ec) == tls::TlsError::ok;
    if (!loaded || x509::parse_certificate(p->pki.ca.certificate(), p->anchor[0]) != x509::X509Error::ok)
        throw std::runtime_error("demo PKI keys");
    p->key = rsa ? tls::signing_key_rsa(p->rsa, type) : tls::signing_key_ecdsa_p256(p->ec);
    p->chain[0] = p->pki.server.certificate();
    return made[rsa] = p;
}

const std::uint16_t tls_schemes[] = {tls::scheme::ecdsa_secp256r1_sha256, tls::scheme::rsa_pss_rsae_sha256};
const tls::KeyShareGroup* const tls_groups[] = {&tls::x25519_group};

struct TlsConfigs {
    std::shared_ptr<TlsPki> pki;
    const tls::CipherSuite* suites[1];
    tls::Config client, server;
    TlsConfigs(bool rsa, const tls::CipherSuite& suite) : pki(tls_pki(rsa)), suites{&suite} {
        for (tls::Config* c : {&client, &server}) {
            c->cipher_suites = suites;
            c->groups = tls_groups;
            c->signature_schemes = tls_schemes;
            c->time = std::time(nullptr);
        }
        client.trust_anchors = pki->anchor;
        client.signature_verifier = server.signature_verifier = asn1::verify_signature;
        client.server_name = "localhost";
        server.certificate_chain = pki->chain;
        server.signing_key = &pki->key;
    }
};

// One connection pair over memory.
struct TlsPair {
    std::unique_ptr<tls::ConnectionMemory<>> client_memory = std::make_unique<tls::ConnectionMemory<>>(),
                                             server_memory = std::make_unique<tls::ConnectionMemory<>>();
    tls::Connection client{*client_memory}, server{*server_memory};
    Bytes received;
};
// Moves what `from` queued into `to`; the last application data record's plaintext lands in `data`.
void tls_deliver(tls::Connection& from, tls::Connection& to, Bytes& data) {
    for (Bytes out = from.pending_output(); !out.empty(); out = from.pending_output()) {
        std::size_t at = 0;
        while (at < out.size()) {
            std::size_t used = 0;
            tls::Event event = tls::Event::none;
            if (to.feed(out.subspan(at), used, event) != tls::TlsError::ok) throw std::runtime_error("tls feed");
            if (event == tls::Event::application_data) data = to.application_data();
            at += used;
        }
        if (from.consume_output(out.size()) != tls::TlsError::ok) throw std::runtime_error("tls output");
    }
}
// A full handshake (the client authenticated the server's chain) or, with `resumed`, one that took
// the client's ticket (§4.2.11: no certificates).
void tls_handshake(TlsPair& p, const TlsConfigs& c, bool resumed = false) {
    const Rng rng = system_rng();
    if (p.client.start_client(c.client, rng) != tls::TlsError::ok || p.server.start_server(c.server, rng) != tls::TlsError::ok)
        throw std::runtime_error("tls start");
    for (int round = 0; round < 8 && !(p.client.handshake_done() && p.server.handshake_done()); round++) {
        tls_deliver(p.client, p.server, p.received);
        tls_deliver(p.server, p.client, p.received);
    }
    if (!p.client.handshake_done() || !p.server.handshake_done() ||
        !(resumed ? p.client.resumed() && p.server.resumed() : p.client.peer_authenticated()))
        throw std::runtime_error("tls handshake");
}

std::function<Op()> padlock_tls_handshake(bool rsa) {
    return [rsa] {
        auto c = std::make_shared<TlsConfigs>(rsa, tls::tls_aes_128_gcm_sha256);
        return [c] {
            TlsPair p;
            tls_handshake(p, *c);
        };
    };
}

// Resumed handshakes (§4.2.11 psk_dhe_ke with x25519): one full handshake (ECDSA) gives the client a
// ticket, which every later connection offers; the server seals a new ticket for each (§4.6.1), as
// the OpenSSL column does with num_tickets 1. The client does not read the new tickets.
struct TlsResumption {
    TlsConfigs configs{false, tls::tls_aes_128_gcm_sha256};
    tls::TicketKey key;
    tls::TicketKeys keys{&key, nullptr};
    tls::StoredSession session;
};
std::function<Op()> padlock_tls_resumed() {
    return [] {
        auto r = std::make_shared<TlsResumption>();
        r->key.aead = &tls::aes_256_gcm_ops;
        check(system_rng()(MutBytes(r->key.key, sizeof r->key.key)), "ticket key");
        r->configs.server.ticket_keys = &r->keys;
        r->configs.client.new_session = &r->session;
        {
            TlsPair first;
            tls_handshake(first, r->configs);
            tls_deliver(first.server, first.client, first.received);  // the NewSessionTicket
        }
        if (r->session.ticket_size == 0) throw std::runtime_error("no ticket");
        r->configs.client.new_session = nullptr;
        r->configs.client.resume = &r->session;
        return [r] {
            TlsPair p;
            tls_handshake(p, r->configs, true);
        };
    };
}

// One 16 KiB application data record from client to server, sealed, moved and opened.
std::function<Op()> padlock_tls_records(const tls::CipherSuite& suite) {
    return [&suite] {
        auto c = std::make_shared<TlsConfigs>(false, suite);
        auto p = std::make_shared<TlsPair>();
        tls_handshake(*p, *c);
        auto data = std::make_shared<std::vector<std::uint8_t>>(16384, 0x5a);
        return [c, p, data] {
            std::size_t accepted = 0;
            if (p->client.send(*data, accepted) != tls::TlsError::ok || accepted != data->size())
                throw std::runtime_error("tls send");
            p->received = {};
            tls_deliver(p->client, p->server, p->received);
            if (p->received.size() != data->size()) throw std::runtime_error("tls receive");
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
                if (x509::parse_certificate((*c)[i], certs[i]) != x509::X509Error::ok) throw std::runtime_error("chain parse");
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

// TLS 1.3 between two libssl objects over a BIO pair, with the same PKI and settings as padlock's.
struct OsslTls {
    std::shared_ptr<TlsPki> pki;
    SSL_CTX* client = nullptr;
    SSL_CTX* server = nullptr;
    ~OsslTls() {
        SSL_CTX_free(client);
        SSL_CTX_free(server);
    }
};
std::shared_ptr<OsslTls> ossl_tls(bool rsa, const char* suite) {
    auto t = std::make_shared<OsslTls>();
    t->pki = tls_pki(rsa);
    t->client = SSL_CTX_new(TLS_client_method());
    t->server = SSL_CTX_new(TLS_server_method());
    for (SSL_CTX* ctx : {t->client, t->server}) {
        ossl_check(ctx != nullptr && SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) == 1 &&
                       SSL_CTX_set_ciphersuites(ctx, suite) == 1 && SSL_CTX_set1_groups_list(ctx, "X25519") == 1,
                   "SSL_CTX");
    }
    SSL_CTX_set_num_tickets(t->server, 0);
    const Bytes cert = t->pki->pki.server.certificate(), key = t->pki->pki.server.private_key_pkcs8(),
                ca = t->pki->pki.ca.certificate();
    const unsigned char* p = cert.data();
    X509* x = d2i_X509(nullptr, &p, long(cert.size()));
    p = key.data();
    EVP_PKEY* k = d2i_AutoPrivateKey(nullptr, &p, long(key.size()));
    ossl_check(x && k && SSL_CTX_use_certificate(t->server, x) == 1 && SSL_CTX_use_PrivateKey(t->server, k) == 1,
               "server certificate");
    X509_free(x);
    EVP_PKEY_free(k);
    p = ca.data();
    X509* root = d2i_X509(nullptr, &p, long(ca.size()));
    ossl_check(root && X509_STORE_add_cert(SSL_CTX_get_cert_store(t->client), root) == 1, "trust anchor");
    X509_free(root);
    SSL_CTX_set_verify(t->client, SSL_VERIFY_PEER, nullptr);
    return t;
}
struct OsslPair {
    SSL* client = nullptr;
    SSL* server = nullptr;
    explicit OsslPair(const OsslTls& t) : client(SSL_new(t.client)), server(SSL_new(t.server)) {
        BIO *a = nullptr, *b = nullptr;
        ossl_check(client && server && BIO_new_bio_pair(&a, 1 << 17, &b, 1 << 17) == 1, "SSL pair");
        SSL_set_bio(client, a, a);
        SSL_set_bio(server, b, b);
        SSL_set_connect_state(client);
        SSL_set_accept_state(server);
        ossl_check(SSL_set_tlsext_host_name(client, "localhost") == 1 && SSL_set1_host(client, "localhost") == 1,
                   "host name");
    }
    ~OsslPair() {
        SSL_free(client);
        SSL_free(server);
    }
    void handshake() {
        int c = 0, s = 0;
        for (int round = 0; round < 16 && (c != 1 || s != 1); round++) {
            if (c != 1) c = SSL_do_handshake(client);
            if (s != 1) s = SSL_do_handshake(server);
        }
        ossl_check(c == 1 && s == 1 && SSL_get_verify_result(client) == X509_V_OK, "openssl handshake");
    }
};
std::function<Op()> openssl_tls_handshake(bool rsa) {
    return [rsa] {
        auto t = ossl_tls(rsa, "TLS_AES_128_GCM_SHA256");
        return [t] {
            OsslPair p(*t);
            p.handshake();
        };
    };
}
std::function<Op()> openssl_tls_resumed() {
    return [] {
        auto t = ossl_tls(false, "TLS_AES_128_GCM_SHA256");
        SSL_CTX_set_num_tickets(t->server, 1);
        std::shared_ptr<SSL_SESSION> session;
        {
            OsslPair first(*t);
            first.handshake();
            unsigned char byte = 0;  // the client reads the ticket (none of the data: there is none)
            ossl_check(SSL_read(first.client, &byte, 1) <= 0 && SSL_get_error(first.client, -1) == SSL_ERROR_WANT_READ,
                       "SSL_read ticket");
            session.reset(SSL_get1_session(first.client), SSL_SESSION_free);
            ossl_check(session && SSL_SESSION_is_resumable(session.get()) == 1, "SSL_SESSION");
            // SSL_free of a connection not shut down marks its session not resumable.
            SSL_set_shutdown(first.client, SSL_SENT_SHUTDOWN);
        }
        return [t, session] {
            OsslPair p(*t);
            ossl_check(SSL_set_session(p.client, session.get()) == 1, "SSL_set_session");
            p.handshake();
            ossl_check(SSL_session_reused(p.client) == 1 && SSL_session_reused(p.server) == 1, "openssl resumed");
            SSL_set_shutdown(p.client, SSL_SENT_SHUTDOWN);
        };
    };
}
std::function<Op()> openssl_tls_records(const char* suite) {
    return [suite] {
        auto t = ossl_tls(false, suite);
        auto p = std::make_shared<OsslPair>(*t);
        p->handshake();
        auto data = std::make_shared<std::vector<std::uint8_t>>(16384, 0x5a);
        auto in = std::make_shared<std::vector<std::uint8_t>>(16384);
        return [t, p, data, in] {
            ossl_check(SSL_write(p->client, data->data(), int(data->size())) == int(data->size()), "SSL_write");
            ossl_check(SSL_read(p->server, in->data(), int(in->size())) == int(in->size()), "SSL_read");
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
std::function<Op()> openssl_tls_handshake(bool) { return {}; }
std::function<Op()> openssl_tls_records(const char*) { return {}; }
std::function<Op()> openssl_tls_resumed() { return {}; }
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
    // ChaCha20-Poly1305: ChaCha20's backend, and Poly1305's after a '+' where it differs.
    const std::string gcm_backend = aead_backend<AesGcm>(),
                      chacha_backend = std::string(chacha20_backend_name()) +
                                       (std::string(chacha20_backend_name()) == poly1305_backend_name()
                                            ? std::string()
                                            : "+" + std::string(poly1305_backend_name()));
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
    backend = x25519_backend_name();
    add("x25519", 0, padlock_x25519(), openssl_x25519());
    backend = p256_backend_name();
    add("p256-ecdh", 0, padlock_p256_ecdh(), openssl_p256_ecdh());
    add("ecdsa-p256-sign", 0, padlock_ecdsa_sign(), openssl_ecdsa_sign());
    add("ecdsa-p256-verify", 0, padlock_ecdsa_verify(), openssl_ecdsa_verify());
    for (int bits : {2048, 3072, 4096}) {
        backend = bn::mod_exp2_backend_name(bn::limbs_for_bits(bits / 2));  // the CRT halves
        add("rsa" + std::to_string(bits) + "-sign", 0, padlock_rsa_sign(bits), openssl_rsa_sign(bits));
        backend = bn::mod_exp_public_backend_name(bn::limbs_for_bits(bits));
        add("rsa" + std::to_string(bits) + "-verify", 0, padlock_rsa_verify(bits), openssl_rsa_verify(bits));
    }
    backend = "portable";
    add("x509-chain-ecdsa", 0, padlock_chain("leaf", "inter", "root"), openssl_chain("leaf", "inter", "root"));
    add("x509-chain-rsa", 0, padlock_chain("rsa_leaf", "rsa_inter", "rsa_root"),
        openssl_chain("rsa_leaf", "rsa_inter", "rsa_root"));
    add("tls13-handshake-ecdsa", 0, padlock_tls_handshake(false), openssl_tls_handshake(false));
    add("tls13-handshake-rsa2048", 0, padlock_tls_handshake(true), openssl_tls_handshake(true));
    add("tls13-resumed-x25519", 0, padlock_tls_resumed(), openssl_tls_resumed());
    backend = gcm_backend;
    add("tls13-record-aes128gcm", 16384, padlock_tls_records(tls::tls_aes_128_gcm_sha256),
        openssl_tls_records("TLS_AES_128_GCM_SHA256"));
    add("tls13-record-aes256gcm", 16384, padlock_tls_records(tls::tls_aes_256_gcm_sha384),
        openssl_tls_records("TLS_AES_256_GCM_SHA384"));
    backend = chacha_backend;
    add("tls13-record-chacha20", 16384, padlock_tls_records(tls::tls_chacha20_poly1305_sha256),
        openssl_tls_records("TLS_CHACHA20_POLY1305_SHA256"));
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
