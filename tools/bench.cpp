// SPDX-License-Identifier: Apache-2.0
// `padlock bench`: throughput (MB/s) and operation rates (ops/s) of padlock's primitives, and —
// when built with OpenSSL (meson option openssl_bench) — the same operations through libcrypto in
// the same run, with the ratio padlock/OpenSSL per row.
//
// Method, identical for both columns: one untimed warm-up run that also calibrates the iteration
// count to about `seconds` of work, then five timed runs; the median rate is reported.
#include "tools/bench.hpp"

#include <algorithm>
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

#include "crypto/chacha20_poly1305.hpp"
#include "crypto/gcm.hpp"
#include "crypto/hmac.hpp"
#include "crypto/sha2.hpp"

#if PADLOCK_BENCH_OPENSSL
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#endif

namespace padlock::bench {
namespace {

using Clock = std::chrono::steady_clock;
using Op = std::function<void()>;

// Operations per second of `op`, as the median of five timed runs after a calibrating warm-up.
double rate(const Op& op, double seconds) {
    std::size_t iters = 1;
    for (;;) {  // warm-up: grow the batch until it takes at least a tenth of a run
        auto t0 = Clock::now();
        for (std::size_t i = 0; i < iters; i++) op();
        double dt = std::chrono::duration<double>(Clock::now() - t0).count();
        if (dt >= seconds / 10) {
            iters = std::max<std::size_t>(1, std::size_t(double(iters) * seconds / dt));
            break;
        }
        iters *= 2;
    }
    std::vector<double> rates;
    for (int run = 0; run < 5; run++) {
        auto t0 = Clock::now();
        for (std::size_t i = 0; i < iters; i++) op();
        double dt = std::chrono::duration<double>(Clock::now() - t0).count();
        rates.push_back(double(iters) / dt);
    }
    std::sort(rates.begin(), rates.end());
    return rates[rates.size() / 2];
}

// One benchmark row: a primitive at a message size (0 = an operation, reported in ops/s).
struct Case {
    std::string primitive;
    std::size_t size;
    std::function<Op()> padlock;   // builds the operation (setup is not timed)
    std::function<Op()> openssl;   // empty when OpenSSL is not linked
};

constexpr std::size_t sizes[] = {16, 256, 1024, 16384};

[[maybe_unused]] std::string kat_path(const std::string& name) { return std::string(PADLOCK_KAT_DIR) + "/" + name; }

[[maybe_unused]] std::vector<std::uint8_t> read_file(const std::string& path) {
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

// ---- OpenSSL operations (comparison column only) ----
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

#else  // without OpenSSL the comparison column is empty

std::function<Op()> openssl_hash(const char*, std::size_t) { return {}; }
std::function<Op()> openssl_hmac_sha256(std::size_t) { return {}; }
std::function<Op()> openssl_aead(const char*, std::size_t, std::size_t) { return {}; }

#endif  // PADLOCK_BENCH_OPENSSL

std::vector<Case> all_cases() {
    std::vector<Case> cases;
    auto add = [&](std::string name, std::size_t size, std::function<Op()> ours, std::function<Op()> theirs) {
        cases.push_back({std::move(name), size, std::move(ours), std::move(theirs)});
    };
    for (std::size_t n : sizes) {
        add("sha256", n, padlock_hash<Sha256>(n), openssl_hash("SHA256", n));
        add("sha384", n, padlock_hash<Sha384>(n), openssl_hash("SHA384", n));
        add("sha512", n, padlock_hash<Sha512>(n), openssl_hash("SHA512", n));
        add("hmac-sha256", n, padlock_hmac_sha256(n), openssl_hmac_sha256(n));
        add("aes-128-gcm", n, padlock_aead<AesGcm>(16, n), openssl_aead("AES-128-GCM", 16, n));
        add("aes-256-gcm", n, padlock_aead<AesGcm>(32, n), openssl_aead("AES-256-GCM", 32, n));
        add("chacha20-poly1305", n, padlock_aead<ChaCha20Poly1305>(32, n),
            openssl_aead("ChaCha20-Poly1305", 32, n));
    }
    std::stable_sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) {
        return a.primitive < b.primitive;
    });
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
        std::printf("%-20s %7s %14s %14s %8s\n", "primitive", "size", "padlock", "openssl", "ratio");
    for (const auto& c : cases) {
        if (!opts.only.empty() && std::find(opts.only.begin(), opts.only.end(), c.primitive) == opts.only.end())
            continue;
        double ours = rate(c.padlock(), opts.seconds);
        double theirs = c.openssl ? rate(c.openssl(), opts.seconds) : 0;
        // Byte-oriented rows in MB/s (10^6 bytes), operation rows in ops/s.
        double scale = c.size ? double(c.size) / 1e6 : 1.0;
        const char* unit = c.size ? "MB/s" : "ops/s";
        if (opts.as_json) {
            nlohmann::json row = {{"primitive", c.primitive}, {"size", c.size}, {"unit", unit},
                                  {"padlock", ours * scale}};
            if (c.openssl) row["openssl"] = theirs * scale, row["ratio"] = ours / theirs;
            rows.push_back(row);
        } else {
            std::string size = c.size ? std::to_string(c.size) : "-";
            if (c.openssl)
                std::printf("%-20s %7s %9.1f %-4s %9.1f %-4s %7.3fx\n", c.primitive.c_str(), size.c_str(),
                            ours * scale, unit, theirs * scale, unit, ours / theirs);
            else
                std::printf("%-20s %7s %9.1f %-4s %14s %8s\n", c.primitive.c_str(), size.c_str(), ours * scale,
                            unit, "n/a", "");
            std::fflush(stdout);
        }
    }
    if (opts.as_json) std::cout << nlohmann::json{{"rows", rows}}.dump(1) << "\n";
    return 0;
}

}  // namespace padlock::bench
