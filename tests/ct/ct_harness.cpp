// SPDX-License-Identifier: Apache-2.0
// Secret-taint harness: runs every padlock API that handles secrets with the secrets marked
// undefined for valgrind memcheck (VALGRIND_MAKE_MEM_UNDEFINED). Memcheck then reports any branch
// ("Conditional jump or move depends on uninitialised value") or address ("Use of uninitialised
// value of size N") computed from a secret, the two leaks of a non-constant-time implementation
// (the method of Langley's ctgrind). Outputs that are public by design (a ciphertext, a tag, a
// signature, a public key, an CryptoError verdict) are declassified here, at the API boundary; inside
// the library only ct::declassify (ct.hpp) may do that, and this file supplies its definition.
// Run through tests/ct/run_ct.py, which also runs the deliberately leaky modes and requires
// memcheck to catch them. The `stack` mode runs natively: it looks for a secret left on the stack.
#include <valgrind/memcheck.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "asn1/keys.hpp"
#include "crypto/symmetric/aead.hpp"
#include "crypto/rsa/bignum.hpp"
#include "crypto/symmetric/chacha20_poly1305.hpp"
#include "crypto/detail/cpu_testing.hpp"
#include "crypto/ct.hpp"
#include "crypto/ec/ecdsa.hpp"
#include "crypto/symmetric/gcm.hpp"
#include "crypto/hash/hash.hpp"
#include "crypto/hash/hkdf.hpp"
#include "crypto/hash/hmac.hpp"
#include "crypto/ec/p256.hpp"
#include "crypto/ec/p384.hpp"
#include "crypto/rsa/rsa.hpp"
#include "crypto/hash/sha2.hpp"
#include "crypto/ec/x25519.hpp"

// The library calls this where its code argues a secret-derived value is public (ct.hpp).
namespace padlock::ct {
void declassify(const void* p, std::size_t n) { VALGRIND_MAKE_MEM_DEFINED(p, n); }
}  // namespace padlock::ct

using namespace padlock;

namespace {

unsigned long calls = 0;  // API calls made under taint, reported at the end

void secret(const void* p, std::size_t n) { VALGRIND_MAKE_MEM_UNDEFINED(p, n); }
void secret(Bytes b) { secret(b.data(), b.size()); }
void public_(const void* p, std::size_t n) { VALGRIND_MAKE_MEM_DEFINED(p, n); }
template <class T> void public_(const T& v) { public_(&v, sizeof v); }

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "ct-harness: FAILED: %s\n", what);
    std::exit(3);
}
// Checks a call's verdict: the CryptoError is public once returned (declassified here), and a call that
// did not succeed would leave the code under test unexercised.
void expect(CryptoError got, CryptoError want, const char* what) {
    public_(got);
    calls++;
    if (got != want) {
        std::fprintf(stderr, "ct-harness: %s returned %s, expected %s\n", what, error_name(got), error_name(want));
        fail(what);
    }
}

// Deterministic bytes (public, for inputs the attacker knows).
void fill(std::uint8_t* p, std::size_t n, std::uint32_t seed) {
    for (std::size_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        p[i] = std::uint8_t(seed >> 24);
    }
}

// An Rng whose every output is secret (nonces, blinding factors, private keys from keygen).
CryptoError secret_fill(void* ctx, MutBytes out) {
    auto* state = static_cast<std::uint32_t*>(ctx);
    fill(out.data(), out.size(), *state);
    *state = *state * 2654435761u + 1;
    secret(out.data(), out.size());
    return CryptoError::ok;
}

std::vector<std::uint8_t> read_file(const std::string& name) {
    std::ifstream f(std::string(PADLOCK_KAT_DIR) + "/" + name, std::ios::binary);
    if (!f) fail(("cannot read " + name).c_str());
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

// --- The ct helpers and the bignum layer ---------------------------------------------------------

template <class T>
void helpers_for() {
    T a = T(0x5a), b = T(0xa5), m = T(~T(0));
    secret(&a, sizeof a);
    secret(&b, sizeof b);
    secret(&m, sizeof m);
    volatile T sink = 0;  // results stay secret; storing them is not a use
    sink = ct::mask_nonzero(a);
    sink = ct::mask_zero(a);
    sink = ct::mask_eq(a, b);
    sink = ct::mask_lt(a, b);
    sink = ct::select(m, a, b);
    sink = ct::select(ct::mask_lt(b, a), a, b);
    sink = ct::barrier(a);
    (void)sink;
    calls += 7;
}

void run_helpers() {
    helpers_for<std::uint8_t>();
    helpers_for<std::uint32_t>();
    helpers_for<std::uint64_t>();
    std::uint8_t x[64], y[64], mask = 0xff;
    fill(x, sizeof x, 1);
    fill(y, sizeof y, 2);
    secret(x, sizeof x);
    secret(y, sizeof y);
    secret(&mask, 1);
    ct::cmov(x, y, sizeof x, mask);
    volatile std::uint8_t sink = ct::equal_mask(x, y, sizeof x);
    ct::keep_if(x, sizeof x, mask);
    (void)sink;
    bool same = ct::equal(x, y, sizeof x);  // the answer of equal() is for the caller to declassify
    public_(same);
    calls += 4;

    // Bignum: a public odd modulus (the RSA-2048 test key's n) and secret operands.
    std::vector<std::uint8_t> der = read_file("rsa/key2048.der");
    asn1::Pkcs8 p8;
    asn1::RsaPrivateKeyDer f;
    if (asn1::parse_pkcs8(der, p8) != asn1::Asn1Error::ok || asn1::parse_rsa_private_key(p8.private_key, f) != asn1::Asn1Error::ok)
        fail("key2048.der does not parse");
    using bn::Limb;
    const std::size_t k = bn::limbs_for_bits(2048);
    Limb n[bn::max_limbs], u[bn::max_limbs], v[bn::max_limbs], w[2 * bn::max_limbs], e[bn::max_limbs];
    expect(bn::from_bytes(n, k, f.n), CryptoError::ok, "bn::from_bytes(n)");
    bn::MontModulus mm;
    expect(bn::mont_init(mm, n, k), CryptoError::ok, "bn::mont_init(public n)");
    std::uint8_t bytes[256];
    fill(bytes, sizeof bytes, 3);
    bytes[0] = 0x01;  // below n
    secret(bytes, sizeof bytes);
    Limb fits = bn::from_bytes_mask(u, k, Bytes(bytes, sizeof bytes));
    (void)fits;
    fill(bytes, sizeof bytes, 4);
    bytes[0] = 0x02;
    secret(bytes, sizeof bytes);
    (void)bn::from_bytes_mask(v, k, Bytes(bytes, sizeof bytes));
    (void)bn::add(w, u, v, k);
    (void)bn::sub(w, u, v, k);
    bn::mul(w, u, k, v, k);
    volatile Limb sink2 = bn::mask_less(u, v, k) ^ bn::mask_equal(u, v, k) ^ bn::mask_is_zero(u, k);
    (void)sink2;
    bn::cmov(u, v, k, ~Limb(0));
    bn::mont_mul(mm, w, u, v);
    bn::mont_sqr(mm, w, u);
    bn::mont_enter(mm, w, u);
    bn::mont_leave(mm, w, u);
    bn::mod_sub(mm, w, u, v);
    for (std::size_t i = 0; i < k; i++) e[i] = v[i];
    bn::mod_exp(mm, w, u, e, k);
    Limb prime[bn::max_limbs];  // a secret modulus: the key's p
    (void)bn::from_bytes(prime, k / 2, f.p);
    secret(prime, sizeof prime);
    bn::MontModulus mp;
    volatile Limb odd = bn::mont_init_secret(mp, prime, k / 2);
    (void)odd;
    bn::mod_exp(mp, w, u, e, k / 2);
    (void)bn::to_bytes(MutBytes(bytes, sizeof bytes), w, k);
    calls += 16;
}

// --- AEADs, hashes, MACs, KDFs -------------------------------------------------------------------

void run_aead() {
    for (AeadAlg alg : {AeadAlg::aes128_gcm, AeadAlg::aes256_gcm, AeadAlg::chacha20_poly1305}) {
        // 960 and 1000: ChaCha20-Poly1305's AVX2 composition with a whole 512-byte pass and a rest
        // of seven blocks or fewer, or of more (a second key-stream pass); 1024: no rest (the key
        // from the scalar block); 2100: Poly1305's AVX2 code two steps at a time (runs of 128
        // blocks and more).
        for (std::size_t len : {std::size_t(0), std::size_t(1), std::size_t(16), std::size_t(63), std::size_t(300),
                                std::size_t(960), std::size_t(1000), std::size_t(1024), std::size_t(2100)}) {
            std::uint8_t key[32], nonce[12], aad[20], pt[2100], sealed[2116], opened[2100];
            fill(key, sizeof key, 10);
            fill(nonce, sizeof nonce, 11);
            fill(aad, sizeof aad, 12);
            fill(pt, sizeof pt, 13);
            secret(key, sizeof key);
            secret(nonce, sizeof nonce);
            secret(pt, sizeof pt);
            Aead aead;
            expect(aead.init(alg, Bytes(key, aead_key_size(alg))), CryptoError::ok, "Aead::init");
            expect(aead.seal(nonce, aad, Bytes(pt, len), MutBytes(sealed, len + aead_tag_size)), CryptoError::ok, "Aead::seal");
            public_(sealed, len + aead_tag_size);  // ciphertext and tag go on the wire
            expect(aead.open(nonce, aad, Bytes(sealed, len + aead_tag_size), MutBytes(opened, len)), CryptoError::ok,
                   "Aead::open");
            sealed[len] ^= 0x80;  // a forged tag: the verdict must come out without a branch
            expect(aead.open(nonce, aad, Bytes(sealed, len + aead_tag_size), MutBytes(opened, len)),
                   CryptoError::auth_failed, "Aead::open (forged)");
        }
    }
    // GCM with a nonce that is not 12 bytes (hashed with GHASH, SP 800-38D §7.1 step 2).
    std::uint8_t key[16], iv[20], pt[40], ct_[40], tag[16], out[40];
    fill(key, sizeof key, 20);
    fill(iv, sizeof iv, 21);
    fill(pt, sizeof pt, 22);
    secret(key, sizeof key);
    secret(iv, sizeof iv);
    secret(pt, sizeof pt);
    AesGcm gcm;
    expect(gcm.init(key), CryptoError::ok, "AesGcm::init");
    expect(gcm.seal(iv, {}, pt, ct_, tag), CryptoError::ok, "AesGcm::seal (20-byte IV)");
    public_(ct_, sizeof ct_);
    public_(tag, sizeof tag);
    expect(gcm.open(iv, {}, ct_, tag, out), CryptoError::ok, "AesGcm::open (20-byte IV)");
}

void run_mac() {
    std::uint8_t key[200], msg[300], out[64], okm[100];
    for (HashAlg alg : {HashAlg::sha1, HashAlg::sha224, HashAlg::sha256, HashAlg::sha384, HashAlg::sha512}) {
        const std::size_t h = hash_size(alg);
        for (std::size_t klen : {std::size_t(16), std::size_t(200)}) {  // 200 > every block: key hashed
            fill(key, sizeof key, 30);
            fill(msg, sizeof msg, 31);
            secret(key, sizeof key);
            secret(msg, sizeof msg);
            expect(padlock::hash(alg, msg, MutBytes(out, h)), CryptoError::ok, "hash");
            calls++;
            expect(hmac(alg, Bytes(key, klen), msg, MutBytes(out, h)), CryptoError::ok, "hmac");
            public_(out, h);  // a MAC tag goes on the wire
            expect(hmac_verify(alg, Bytes(key, klen), msg, Bytes(out, h)), CryptoError::ok, "hmac_verify");
            out[0] ^= 1;
            expect(hmac_verify(alg, Bytes(key, klen), msg, Bytes(out, h)), CryptoError::auth_failed, "hmac_verify (bad)");
            std::uint8_t salt[32];
            fill(salt, sizeof salt, 32);
            std::uint8_t prk[64];
            expect(hkdf_extract(alg, salt, Bytes(key, klen), MutBytes(prk, h)), CryptoError::ok, "hkdf_extract");
            expect(hkdf_expand(alg, Bytes(prk, h), Bytes(msg, 10), okm), CryptoError::ok, "hkdf_expand");
            expect(hkdf(alg, salt, Bytes(key, klen), Bytes(msg, 10), okm), CryptoError::ok, "hkdf");
        }
    }
}

// --- Curves --------------------------------------------------------------------------------------

void run_x25519() {
    std::uint32_t state = 40;
    const Rng rng{secret_fill, &state};
    std::uint8_t scalar[32], peer_scalar[32], peer[32], shared[32], pub[32], priv[32];
    fill(peer_scalar, 32, 41);
    x25519_base(peer_scalar, peer);  // a public peer value
    for (int i = 0; i < 3; i++) {
        fill(scalar, 32, std::uint32_t(42 + i));
        secret(scalar, 32);
        x25519_base(scalar, pub);
        calls++;
        expect(x25519(scalar, peer, shared), CryptoError::ok, "x25519");
        expect(x25519_keygen(rng, priv, pub), CryptoError::ok, "x25519_keygen");
    }
    std::uint8_t small_order[32] = {};  // u = 0: the all-zero result must be reported without a branch
    expect(x25519(scalar, small_order, shared), CryptoError::all_zero_shared_secret, "x25519 (small order)");
}

void run_p256() {
    std::uint32_t state = 50;
    const Rng rng{secret_fill, &state};
    std::uint8_t peer_priv[32], peer[65], priv[32], pub[65], shared[32], sig[64], digest[32];
    fill(peer_priv, 32, 51);
    expect(p256_public_from_private(peer_priv, peer), CryptoError::ok, "p256_public_from_private (public)");
    for (int i = 0; i < 2; i++) {
        fill(priv, 32, std::uint32_t(52 + i));
        secret(priv, 32);
        expect(p256_public_from_private(priv, pub), CryptoError::ok, "p256_public_from_private");
        expect(p256_ecdh(priv, peer, shared), CryptoError::ok, "p256_ecdh");
        fill(digest, 32, std::uint32_t(60 + i));
        expect(ecdsa_p256_sign_digest(priv, HashAlg::sha256, digest, sig), CryptoError::ok, "ecdsa_p256_sign_digest");
        expect(ecdsa_p256_sign_digest(priv, HashAlg::sha256, digest, sig, &rng), CryptoError::ok,
               "ecdsa_p256_sign_digest (hedged)");
        expect(ecdsa_p256_sign(priv, HashAlg::sha384, Bytes(digest, 32), sig, &rng), CryptoError::ok, "ecdsa_p256_sign");
        public_(sig, sizeof sig);
        expect(p256_keygen(rng, priv, pub), CryptoError::ok, "p256_keygen");
    }
}

void run_p384() {
    std::uint32_t state = 55;
    const Rng rng{secret_fill, &state};
    std::uint8_t peer_priv[48], peer[97], priv[48], pub[97], shared[48];
    fill(peer_priv, 48, 56);
    expect(p384_public_from_private(peer_priv, peer), CryptoError::ok, "p384_public_from_private (public)");
    for (int i = 0; i < 2; i++) {
        fill(priv, 48, std::uint32_t(57 + i));
        secret(priv, 48);
        expect(p384_public_from_private(priv, pub), CryptoError::ok, "p384_public_from_private");
        expect(p384_ecdh(priv, peer, shared), CryptoError::ok, "p384_ecdh");
        expect(p384_keygen(rng, priv, pub), CryptoError::ok, "p384_keygen");
    }
}

// --- RSA -----------------------------------------------------------------------------------------

void run_rsa(const char* file, int signatures) {
    std::vector<std::uint8_t> der = read_file(file);
    asn1::Pkcs8 p8;
    asn1::RsaPrivateKeyDer f;
    if (asn1::parse_pkcs8(der, p8) != asn1::Asn1Error::ok || asn1::parse_rsa_private_key(p8.private_key, f) != asn1::Asn1Error::ok)
        fail("RSA test key does not parse");
    for (Bytes field : {f.d, f.p, f.q, f.dp, f.dq, f.qinv}) secret(field);
    RsaPrivateKey key;
    expect(key.load({f.n, f.e, f.d, f.p, f.q, f.dp, f.dq, f.qinv}), CryptoError::ok, "RsaPrivateKey::load");
    std::uint32_t state = 70;
    const Rng rng{secret_fill, &state};
    std::vector<std::uint8_t> sig(key.modulus_bytes());
    std::uint8_t msg[50];
    fill(msg, sizeof msg, 71);
    for (int i = 0; i < signatures; i++) {
        msg[0] = std::uint8_t(i);
        expect(rsa_pkcs1_sign(key, HashAlg::sha256, msg, rng, sig), CryptoError::ok, "rsa_pkcs1_sign");
        public_(sig.data(), sig.size());  // a signature is public once made
        expect(rsa_pkcs1_verify(key.public_key(), HashAlg::sha256, msg, sig), CryptoError::ok, "rsa_pkcs1_verify");
        // The PSS salt is not a secret: any verifier recovers it from the signature (RFC 8017
        // §9.1.2 step 10), so it is drawn public here; the blinding factor stays secret.
        std::uint8_t salt[32];
        fill(salt, sizeof salt, std::uint32_t(72 + i));
        expect(rsa_pss_sign_with_salt(key, HashAlg::sha256, HashAlg::sha256, salt, msg, rng, sig), CryptoError::ok,
               "rsa_pss_sign_with_salt");
        public_(sig.data(), sig.size());
        expect(rsa_pss_verify(key.public_key(), HashAlg::sha256, HashAlg::sha256, 32, msg, sig), CryptoError::ok,
               "rsa_pss_verify");
    }
    // A key that does not match its modulus is refused, with no branch on the secret fields.
    RsaPrivateKey bad;
    expect(bad.load({f.n, f.e, f.d, f.p, f.p, f.dp, f.dq, f.qinv}), CryptoError::invalid_key, "RsaPrivateKey::load (p*p)");
}

// --- Deliberately leaky code: memcheck must flag both (run_ct.py checks that it does) ----------

[[gnu::noinline]] int leaky_branch(const std::uint8_t* s) {
    int spins = 0;
    for (int i = 0; i < (s[0] & 7); i++) {  // the loop's trip count is the secret
        __asm__ __volatile__("");
        spins++;
    }
    return spins;
}
volatile std::uint8_t leaky_table[256];
[[gnu::noinline]] std::uint8_t leaky_index(const std::uint8_t* s) { return leaky_table[s[0]]; }

void run_leak(bool branch) {
    std::uint8_t s[1] = {5};
    secret(s, 1);
    int r = branch ? leaky_branch(s) : leaky_index(s);
    public_(r);
    calls++;
}

// --- Stack residue (native run, no valgrind) -----------------------------------------------------
// Fills a stack region with a marker, makes a call, and then looks in the region the call used
// below this frame for any 8 consecutive bytes of a secret (a key, a prime's limbs, a keystream
// block, HMAC's padded key), at any byte offset. Reading below the stack pointer is outside the
// C++ model, which is why this runs natively and only as a check of the library's wiping.

constexpr std::size_t scan_bytes = 64 * 1024;

[[gnu::noinline]] void paint_stack() {
    std::uint8_t area[scan_bytes];
    std::memset(area, 0xa5, scan_bytes);
    __asm__ __volatile__("" : : "r"(area) : "memory");  // the stores must happen
}

// The 8-byte windows of the secrets to look for. Kept off the stack, so the scan finds only copies.
std::vector<std::uint64_t>* windows = new std::vector<std::uint64_t>;

void look_for(Bytes secret_bytes) {
    for (std::size_t i = 0; i + 8 <= secret_bytes.size(); i++) {
        std::uint64_t w;
        std::memcpy(&w, secret_bytes.data() + i, 8);
        windows->push_back(w);
    }
}

// Counts the windows found in the scan_bytes below this function's frame, skipping the frame
// itself (it has no arrays: 256 bytes cover it), which overlays the top of what the call used.
[[gnu::noinline]] std::size_t count_copies() {
    const std::uintptr_t top = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
    const std::uint64_t* w = windows->data();
    const std::size_t n = windows->size();
    std::size_t found = 0;
    for (std::uintptr_t a = top - scan_bytes; a + 8 <= top - 256; a++) {
        std::uint64_t v = 0;
        for (int i = 0; i < 8; i++) v |= std::uint64_t(*reinterpret_cast<const volatile std::uint8_t*>(a + i)) << (8 * i);
        for (std::size_t j = 0; j < n; j++)
            if (v == w[j]) {
                found++;
                if (std::getenv("CT_STACK_DEBUG"))  // which secret window, how far below the frame
                    std::printf("  window %zu at %zu bytes below\n", j, std::size_t(top - a));
            }
    }
    return found;
}

// Leaves copies of a secret word in its frame, as unwiped library code would: the scan must see it.
[[gnu::noinline]] void leave_on_stack(std::uint64_t word) {
    volatile std::uint64_t copy[128];  // 1 KiB of copies: most of it lies below the scan's skip
    for (auto& c : copy) c = word;
}

int residue_failures = 0;

template <class F>
void check_residue(const char* what, F&& call) {
    paint_stack();
    call();
    const std::size_t found = count_copies();
    std::printf("ct-harness: stack: %s: %zu secret windows left\n", what, found);
    if (found != 0) residue_failures++;
    calls++;
}

void run_stack() {
    // The scan itself first: it must see a word left on purpose.
    const std::uint8_t probe[8] = {0x13, 0x57, 0x9b, 0xdf, 0x02, 0x46, 0x8a, 0xce};
    look_for(probe);
    paint_stack();
    std::uint64_t probe_word;
    std::memcpy(&probe_word, probe, 8);
    leave_on_stack(probe_word);
    if (count_copies() == 0) fail("the stack scan does not see a word left on purpose");
    windows->clear();

    // RSA: the primes and CRT exponents, in the limb order the bignum code keeps them.
    std::vector<std::uint8_t> der = read_file("rsa/key2048.der");
    asn1::Pkcs8 p8;
    asn1::RsaPrivateKeyDer f;
    if (asn1::parse_pkcs8(der, p8) != asn1::Asn1Error::ok || asn1::parse_rsa_private_key(p8.private_key, f) != asn1::Asn1Error::ok)
        fail("key2048.der does not parse");
    auto* reversed = new std::vector<std::uint8_t>[4];
    int fi = 0;
    for (Bytes field : {f.p, f.q, f.dp, f.dq}) {
        reversed[fi].assign(field.rbegin(), field.rend());  // little-endian limbs, as in memory
        look_for(reversed[fi++]);
    }
    std::uint32_t state = 80;
    const Rng rng{secret_fill, &state};
    auto* sig = new std::vector<std::uint8_t>(256);
    static const std::uint8_t msg[10] = {1, 2, 3};
    auto* key = new RsaPrivateKey;  // off the stack: its own wipe is the destructor's
    check_residue("RsaPrivateKey::load", [&] {
        expect(key->load({f.n, f.e, f.d, f.p, f.q, f.dp, f.dq, f.qinv}), CryptoError::ok, "RsaPrivateKey::load");
    });
    check_residue("rsa_pkcs1_sign", [&] { expect(rsa_pkcs1_sign(*key, HashAlg::sha256, msg, rng, *sig), CryptoError::ok, "sign"); });
    delete key;
    windows->clear();

    // AEADs: the key and the keystream (ciphertext XOR plaintext) of the messages sealed.
    static std::uint8_t aead_key[32], nonce[12], pt[256], sealed[256 + 16], keystream[256], opened[256];
    fill(aead_key, sizeof aead_key, 90);
    fill(nonce, sizeof nonce, 91);
    fill(pt, sizeof pt, 92);
    for (AeadAlg alg : {AeadAlg::aes128_gcm, AeadAlg::aes256_gcm, AeadAlg::chacha20_poly1305}) {
        auto* aead = new Aead;
        look_for(Bytes(aead_key, aead_key_size(alg)));
        check_residue("Aead::init", [&] { expect(aead->init(alg, Bytes(aead_key, aead_key_size(alg))), CryptoError::ok, "init"); });
        expect(aead->seal(nonce, {}, pt, sealed), CryptoError::ok, "seal");
        for (std::size_t i = 0; i < sizeof pt; i++) keystream[i] = std::uint8_t(sealed[i] ^ pt[i]);
        look_for(keystream);
        check_residue("Aead::seal", [&] { expect(aead->seal(nonce, {}, pt, sealed), CryptoError::ok, "seal"); });
        check_residue("Aead::open", [&] { expect(aead->open(nonce, {}, sealed, opened), CryptoError::ok, "open"); });
        delete aead;
        windows->clear();
    }

    // HMAC over SHA-256 and SHA-512: the key and the padded keys K0 ^ ipad, K0 ^ opad.
    static std::uint8_t mac_key[32], ipad[128], opad[128], tag[64];
    fill(mac_key, sizeof mac_key, 93);
    for (HashAlg alg : {HashAlg::sha256, HashAlg::sha512}) {
        const std::size_t block = alg == HashAlg::sha256 ? 64 : 128;
        for (std::size_t i = 0; i < block; i++) {
            const std::uint8_t k0 = i < sizeof mac_key ? mac_key[i] : 0;
            ipad[i] = std::uint8_t(k0 ^ 0x36);
            opad[i] = std::uint8_t(k0 ^ 0x5c);
        }
        look_for(mac_key);
        look_for(Bytes(ipad, sizeof mac_key));  // the key-dependent part of each pad
        look_for(Bytes(opad, sizeof mac_key));
        // The same as the hash's message schedule holds them (big-endian words, so byte-swapped
        // in memory here), and the keyed chaining values after the first block (what a forger needs).
        const std::size_t word = alg == HashAlg::sha256 ? 4 : 8;
        static std::uint8_t swapped[2][32];
        for (std::size_t i = 0; i < 32; i++) {
            swapped[0][i] = ipad[i - i % word + (word - 1 - i % word)];
            swapped[1][i] = opad[i - i % word + (word - 1 - i % word)];
        }
        look_for(swapped[0]);
        look_for(swapped[1]);
        static detail::Sha256State s256[2];
        static detail::Sha512State s512[2];
        for (int i = 0; i < 2; i++) {
            const Bytes pad(i == 0 ? ipad : opad, block);
            if (alg == HashAlg::sha256) {
                detail::sha256_init(s256[i]);
                detail::sha256_update(s256[i], pad);
                look_for(Bytes(reinterpret_cast<const std::uint8_t*>(s256[i].h), sizeof s256[i].h));
            } else {
                detail::sha512_init(s512[i]);
                detail::sha512_update(s512[i], pad);
                look_for(Bytes(reinterpret_cast<const std::uint8_t*>(s512[i].h), sizeof s512[i].h));
            }
        }
        check_residue(alg == HashAlg::sha256 ? "hmac sha256" : "hmac sha512", [&] {
            expect(hmac(alg, mac_key, msg, MutBytes(tag, hash_size(alg))), CryptoError::ok, "hmac");
        });
        windows->clear();
    }
    if (residue_failures != 0) fail("secrets left on the stack");
}

}  // namespace

// Runs `body` once per backend this CPU (as valgrind emulates it) can run, the portable code first:
// the dispatch would otherwise test only the best one. Valgrind 3.19 emulates neither SHA-NI nor
// AVX-512 nor VAES / VPCLMULQDQ (its CPUID hides them), so shani, vaes256, avx512 and ifma are not
// checked here (their cross-checks in tests/test_accel.cpp are); portable, aesni, bmi2 (P-256's and
// X25519's MULX multiplications) and avx2 (ChaCha20, Poly1305 four lanes, SHA-512 with AVX2 + BMI2)
// are. Valgrind hides ADX too; the MULX code needs BMI2 only (it adds with ADC, not ADCX / ADOX).
template <class Body>
void per_backend(Body body) {
    for (const auto& b : cpu::backends) {
        if (!cpu::supported(b)) continue;
        cpu::restrict_for_testing(b.features);
        body();
        std::printf("ct-harness: backend %s checked\n", b.name);
    }
    cpu::restrict_for_testing(~std::uint32_t(0));
}

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: ct_harness helpers|aead|mac|x25519|p256|p384|rsa2048|rsa3072|leak-branch|leak-index|stack\n");
        return 2;
    }
    const std::string mode = argv[1];
    if (mode == "stack") {
        if (RUNNING_ON_VALGRIND) fail("the stack mode runs natively");
        run_stack();
    } else {
        // Without memcheck the client requests do nothing and nothing would be checked.
        if (!RUNNING_ON_VALGRIND) fail("run under valgrind --tool=memcheck (tests/ct/run_ct.py does)");
        if (mode == "helpers") run_helpers();
        else if (mode == "aead") per_backend(run_aead);
        else if (mode == "mac") per_backend(run_mac);
        else if (mode == "x25519") per_backend(run_x25519);
        else if (mode == "p256") per_backend(run_p256);
        else if (mode == "p384") run_p384();
        else if (mode == "rsa2048") run_rsa("rsa/key2048.der", 3);
        else if (mode == "rsa3072") run_rsa("rsa/key3072.der", 2);
        else if (mode == "leak-branch") run_leak(true);
        else if (mode == "leak-index") run_leak(false);
        else {
            std::fprintf(stderr, "ct-harness: unknown mode %s\n", mode.c_str());
            return 2;
        }
    }
    std::printf("ct-harness: %s: done, %lu calls\n", mode.c_str(), calls);
    return 0;
}
