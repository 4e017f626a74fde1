// SPDX-License-Identifier: Apache-2.0
// RSA key generation with e = 65537: random probable primes (FIPS 186-5 §A.1.3), tested by trial
// division and Miller-Rabin (FIPS 186-5 §B.3.1), then the private values of RFC 8017 §3.2.
//
// Constant time, and where it is not: each candidate prime is a fresh draw, and whether it is
// rejected (a small factor, p - 1 divisible by e, a Miller-Rabin witness) is declassified, because a
// rejected candidate is thrown away and says nothing about the one finally kept (the argument of
// rejection sampling). On the kept primes every step runs in time independent of their value: the
// trial division reads all 308 small primes with Barrett reduction (no division instruction, a
// masked correction), Miller-Rabin uses the fixed-window bn::mod_exp, and d, dp, dq come from the
// small public e by the identity d = (1 + k·m) / e, k = -m^-1 mod e, in fixed byte loops. The
// primes are drawn ≡ 3 mod 4, so p - 1 = 2·odd and Miller-Rabin needs no secret count of
// trailing zero bits (one bit less of choice per prime; BearSSL does the same).
#include <array>

#include "crypto/ct.hpp"
#include "crypto/rsa/rsa.hpp"

namespace padlock {

using bn::Limb;
using bn::max_limbs;

namespace {

constexpr std::uint32_t public_exponent = 65537;
constexpr std::size_t miller_rabin_rounds = 8;  // FIPS 186-5 Table B.1 asks 4-5 for these sizes
constexpr std::size_t half_max_limbs = max_limbs / 2;
constexpr std::size_t half_max_bytes = rsa_max_bytes / 2;

// x mod s for x < 2^33 and 2 < s < 2^17, with m = floor(2^32 / s): q = floor(x·m / 2^32) falls
// short of floor(x / s) by at most 2, so two masked subtractions finish (no division instruction,
// whose time depends on its operands on many CPUs). Constant time.
struct SmallDivisor {
    std::uint32_t s = 0, m = 0;
};
constexpr SmallDivisor divisor(std::uint32_t s) { return {s, std::uint32_t((std::uint64_t(1) << 32) / s)}; }

std::uint32_t reduce(std::uint64_t x, SmallDivisor d, std::uint32_t* quotient = nullptr) {
    std::uint64_t q = (x * d.m) >> 32;
    std::uint64_t r = x - q * d.s;
    for (int i = 0; i < 2; i++) {
        const std::uint64_t ge = ~ct::mask_lt(r, std::uint64_t(d.s));
        r -= ge & d.s;
        q += ge & 1;
    }
    if (quotient) *quotient = std::uint32_t(q);
    return std::uint32_t(r);
}

// The odd primes below 2048, found by a sieve the compiler runs, with their Barrett constants.
struct SmallPrimes {
    std::array<SmallDivisor, 400> d{};
    std::size_t count = 0;
};
constexpr SmallPrimes make_small_primes() {
    SmallPrimes t;
    std::array<bool, 2048> composite{};
    for (std::size_t i = 3; i < composite.size(); i += 2) {
        if (composite[i]) continue;
        t.d[t.count++] = divisor(std::uint32_t(i));
        for (std::size_t j = i * i; j < composite.size(); j += 2 * i) composite[j] = true;
    }
    return t;
}
constexpr SmallPrimes small_primes = make_small_primes();
static_assert(small_primes.count == 308);  // pi(2048) = 309, less the prime 2

// a mod s over big-endian bytes (Horner's rule, one byte at a time). Constant time.
std::uint32_t mod_small(Bytes a, SmallDivisor d) {
    std::uint32_t r = 0;
    for (std::uint8_t b : a) r = reduce(std::uint64_t(r) << 8 | b, d);
    return r;
}

// a^(s-2) mod s = a^-1 mod s for the public prime s and 0 < a < s (Fermat). The exponent is public,
// so square-and-multiply over its bits is constant time in a.
std::uint32_t inverse_mod_prime(std::uint32_t a, SmallDivisor d) {
    std::uint32_t result = 1;
    const std::uint32_t exp = d.s - 2;
    for (int bit = 31; bit >= 0; bit--) {
        result = reduce(std::uint64_t(result) * result, d);
        if ((exp >> bit) & 1) result = reduce(std::uint64_t(result) * a, d);
    }
    return result;
}

// e^-1 mod m for an even m with gcd(m, e) = 1, written as `out_len` big-endian bytes: with
// k = -m^-1 mod e (1 <= k < e), 1 + k·m is divisible by e and (1 + k·m) / e < m is the inverse.
// m has km limbs; the quotient is taken byte by byte. Constant time in m.
void inverse_of_e(const Limb* m, std::size_t km, std::uint8_t* out, std::size_t out_len) {
    constexpr SmallDivisor e = divisor(public_exponent);
    std::uint8_t bytes[rsa_max_bytes + bn::limb_bytes];
    const std::size_t len = km * bn::limb_bytes;
    (void)bn::to_bytes(MutBytes(bytes, len), m, km);
    const std::uint32_t k = public_exponent - inverse_mod_prime(mod_small(Bytes(bytes, len), e), e);
    Limb t[max_limbs + 1] = {}, k_limb[1] = {Limb(k)}, one[max_limbs + 1] = {1};
    bn::mul(t, m, km, k_limb, 1);
    (void)bn::add(t, t, one, km + 1);
    const std::size_t tlen = (km + 1) * bn::limb_bytes;
    (void)bn::to_bytes(MutBytes(bytes, tlen), t, km + 1);
    std::uint32_t r = 0;
    for (std::size_t i = 0; i < tlen; i++) {  // schoolbook division by e, one quotient byte per step
        std::uint32_t q = 0;
        r = reduce(std::uint64_t(r) << 8 | bytes[i], e, &q);
        bytes[i] = std::uint8_t(q);
    }
    // The quotient is below m, so its top tlen - out_len bytes are zero.
    for (std::size_t i = 0; i < out_len; i++) out[i] = bytes[tlen - out_len + i];
    secure_zero(bytes, sizeof bytes);
    secure_zero(t, sizeof t);
}

// FIPS 186-5 §A.1.3 steps 4.2-4.7 for one prime of `bits` bits (kh limbs): a random odd candidate
// with its top two bits set (so p >= 1.5·2^(bits-1) > √2·2^(bits-1), and p·q has exactly 2·bits
// bits), ≡ 3 mod 4, with gcd(p - 1, e) = 1, no factor below 2048, passing Miller-Rabin.
// FIPS 186-5 gives up after 5·bits candidates: rng_failure (a broken generator).
CryptoError generate_prime(std::size_t bits, const Rng& rng, Limb* p) {
    const std::size_t kh = bits / bn::limb_bits, len = bits / 8;
    std::uint8_t bytes[half_max_bytes];
    Limb exp[half_max_limbs], minus_one[half_max_limbs], base[half_max_limbs], y[half_max_limbs];
    const Limb one[half_max_limbs] = {1};
    bn::MontModulus w;
    CryptoError err = CryptoError::rng_failure;
    for (std::size_t attempt = 0; attempt < 5 * bits && err != CryptoError::ok; attempt++) {
        if (rng(MutBytes(bytes, len)) != CryptoError::ok) break;
        bytes[0] |= 0xC0;
        bytes[len - 1] |= 0x03;
        (void)bn::from_bytes(p, kh, Bytes(bytes, len));

        // Trial division, and p mod e != 1 (so e does not divide p - 1). Every divisor is read.
        std::uint32_t reject = 0;
        for (std::size_t i = 0; i < small_primes.count; i++)
            reject |= ct::mask_zero(mod_small(Bytes(bytes, len), small_primes.d[i]));
        reject |= ct::mask_eq(mod_small(Bytes(bytes, len), divisor(public_exponent)), std::uint32_t(1));
        ct::declassify(reject);  // a rejected candidate is discarded (see the top of the file)
        if (reject) continue;

        // Miller-Rabin (FIPS 186-5 §B.3.1) with p - 1 = 2·m, m odd: a round passes when
        // b^m ≡ ±1 (mod p), for a random base 2 <= b < 2^(bits-2) < p - 1.
        (void)bn::mont_init_secret(w, p, kh);  // p is odd by construction
        for (std::size_t i = 0; i < kh; i++) {
            minus_one[i] = p[i];
            exp[i] = Limb(p[i] >> 1 | (i + 1 < kh ? p[i + 1] << (bn::limb_bits - 1) : 0));
        }
        minus_one[0] ^= 1;
        std::uint32_t composite = 0;
        bool rng_failed = false;
        for (std::size_t round = 0; round < miller_rabin_rounds && !rng_failed; round++) {
            if (rng(MutBytes(bytes, len)) != CryptoError::ok) {
                rng_failed = true;
                break;
            }
            bytes[0] &= 0x3F;
            bytes[len - 1] |= 0x02;
            (void)bn::from_bytes(base, kh, Bytes(bytes, len));
            bn::mod_exp(w, y, base, exp, kh);
            const Limb pass = bn::mask_equal(y, one, kh) | bn::mask_equal(y, minus_one, kh);
            composite |= std::uint32_t(~pass & 1);
        }
        if (rng_failed) break;
        ct::declassify(composite);  // as `reject`: a composite candidate is discarded
        if (composite == 0) err = CryptoError::ok;
    }
    secure_zero(bytes, sizeof bytes);
    secure_zero(exp, sizeof exp);
    secure_zero(minus_one, sizeof minus_one);
    secure_zero(y, sizeof y);
    secure_zero(w);
    return err;
}

CryptoError generate(std::size_t bits, const Rng& rng, RsaKeyMaterial& out) {
    const std::size_t hb = bits / 2, kh = hb / bn::limb_bits, hlen = hb / 8;
    Limb p[half_max_limbs], q[half_max_limbs], diff[half_max_limbs], t[half_max_limbs];
    Limb n[max_limbs], phi[max_limbs], pm1[half_max_limbs], qm1[half_max_limbs];
    CryptoError err = CryptoError::rng_failure;
    for (int attempt = 0; attempt < 8 && err != CryptoError::ok; attempt++) {
        if ((err = generate_prime(hb, rng, p)) != CryptoError::ok) break;
        if ((err = generate_prime(hb, rng, q)) != CryptoError::ok) break;
        // FIPS 186-5 §A.1.3 step 5.4: |p - q| > 2^(hb - 100), else draw q again (odds ~2^-98).
        const Limb borrow = bn::sub(diff, p, q, kh);
        (void)bn::sub(t, q, p, kh);
        bn::cmov(diff, t, kh, Limb(0) - borrow);
        Limb bound[half_max_limbs] = {};
        bound[(hb - 100) / bn::limb_bits] = Limb(1) << ((hb - 100) % bn::limb_bits);
        Limb too_close = bn::mask_less(diff, bound, kh);
        ct::declassify(too_close);  // a rejected pair is discarded
        if (too_close) {
            err = CryptoError::rng_failure;
            continue;
        }
        // Keep p > q, the usual order (qinv = q^-1 mod p then needs no reduction of q first).
        bn::cmov(t, p, kh, ~Limb(0));
        bn::cmov(p, q, kh, Limb(0) - borrow);
        bn::cmov(q, t, kh, Limb(0) - borrow);
        err = CryptoError::ok;
    }
    if (err == CryptoError::ok) {
        bn::mul(n, p, kh, q, kh);
        const Limb one[half_max_limbs] = {1};
        (void)bn::sub(pm1, p, one, kh);
        (void)bn::sub(qm1, q, one, kh);
        bn::mul(phi, pm1, kh, qm1, kh);
        // RFC 8017 §3.2: d·e ≡ 1 mod λ(n); d taken mod φ(n) = (p-1)(q-1), a multiple of λ(n).
        // (FIPS 186-5 asks d mod λ(n) and d > 2^hb; d mod φ(n) is as valid and loads everywhere.)
        inverse_of_e(phi, 2 * kh, out.d, 2 * hlen);
        inverse_of_e(pm1, kh, out.dp, hlen);
        inverse_of_e(qm1, kh, out.dq, hlen);
        // qinv = q^(p-2) mod p (Fermat), q < p.
        bn::MontModulus pm;
        (void)bn::mont_init_secret(pm, p, kh);
        Limb two[half_max_limbs] = {2}, exp[half_max_limbs], qinv[half_max_limbs];
        (void)bn::sub(exp, p, two, kh);
        bn::mod_exp(pm, qinv, q, exp, kh);
        (void)bn::to_bytes(MutBytes(out.n, 2 * hlen), n, 2 * kh);
        (void)bn::to_bytes(MutBytes(out.p, hlen), p, kh);
        (void)bn::to_bytes(MutBytes(out.q, hlen), q, kh);
        (void)bn::to_bytes(MutBytes(out.qinv, hlen), qinv, kh);
        out.bits = bits;
        secure_zero(pm);
        secure_zero(exp, sizeof exp);
        secure_zero(qinv, sizeof qinv);
    }
    secure_zero(p, sizeof p);
    secure_zero(q, sizeof q);
    secure_zero(diff, sizeof diff);
    secure_zero(t, sizeof t);
    secure_zero(phi, sizeof phi);
    secure_zero(pm1, sizeof pm1);
    secure_zero(qm1, sizeof qm1);
    secure_zero(n, sizeof n);
    return err;
}

}  // namespace

RsaPrivateKeyView RsaKeyMaterial::view() const {
    const std::size_t len = bits / 8, half = bits / 16;
    return {Bytes(n, len), Bytes(e, 3), Bytes(d, len), Bytes(p, half), Bytes(q, half),
            Bytes(dp, half),  Bytes(dq, half), Bytes(qinv, half)};
}

RsaKeyMaterial::~RsaKeyMaterial() { secure_zero(*this); }

CryptoError rsa_generate_key(std::size_t bits, const Rng& rng, RsaKeyMaterial& out) {
    if (bits < rsa_keygen_min_bits || bits > rsa_max_bits || bits % 128 != 0) return CryptoError::unsupported_key_size;
    CryptoError err = generate(bits, rng, out);
    // Pairwise consistency (FIPS 186-5 §A.1.3 ends with one; FIPS 140-3 asks it of a generator):
    // the key must load (p·q = n and the CRT ranges) and sign, which re-checks with e.
    if (err == CryptoError::ok) {
        RsaPrivateKey key;
        std::uint8_t em[rsa_max_bytes] = {0, 2}, sig[rsa_max_bytes];
        const std::size_t len = bits / 8;
        err = key.load(out.view());
        if (err == CryptoError::ok) err = key.private_op(Bytes(em, len), rng, MutBytes(sig, len));
        if (err != CryptoError::ok && err != CryptoError::rng_failure) err = CryptoError::fault_detected;
    }
    if (err != CryptoError::ok) secure_zero(out);
    secure_zero_stack<16 * 1024>();
    return err;
}

}  // namespace padlock
