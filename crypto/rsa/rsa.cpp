// SPDX-License-Identifier: Apache-2.0
// RSA signatures, RFC 8017: RSASP1/RSAVP1 (§5.2) with CRT, blinding and a fault check;
// RSASSA-PKCS1-v1_5 (§8.2, EMSA-PKCS1-v1_5 §9.2); RSASSA-PSS (§8.1, EMSA-PSS §9.1, MGF1 §B.2.1).
#include "crypto/rsa/rsa.hpp"

#include "crypto/ct.hpp"
#include "crypto/endian.hpp"

namespace padlock {

using bn::Limb;
using bn::max_limbs;

namespace {

// The stack the private-key code uses below RsaPrivateKey's functions: mod_exp's table of 16
// numbers (8 KiB at the 4096-bit maximum) plus its products' frames, with room to spare; where the
// x86-64 backends are compiled, the IFMA one's two tables in radix 2^52 (crypto/rsa/bignum_x86.cpp:
// frames of about 18 KiB at 4096 bits).
#if defined(PADLOCK_ACCEL_X86)
constexpr std::size_t rsa_stack_wipe_bytes = 24 * 1024;
#else
constexpr std::size_t rsa_stack_wipe_bytes = 16 * 1024;
#endif

// Loads a public modulus: 1024..4096 bits, odd (mont_init rejects even values).
CryptoError load_modulus(bn::MontModulus& m, Bytes n_bytes) {
    Limb n[max_limbs];
    if (bn::from_bytes(n, max_limbs, n_bytes) != CryptoError::ok) return CryptoError::unsupported_key_size;
    const std::size_t bits = bn::bit_length_vartime(n, max_limbs);
    if (bits < rsa_min_bits || bits > rsa_max_bits) return CryptoError::unsupported_key_size;
    return bn::mont_init(m, n, bn::limbs_for_bits(bits));
}

// A uniformly random value in [1, n) by rejection sampling. Variable time, but every rejected
// draw is discarded, so the time says nothing about the value returned.
CryptoError random_below(const bn::MontModulus& n, const Rng& rng, Limb* out) {
    std::uint8_t bytes[rsa_max_bytes];
    const std::size_t len = (n.bits + 7) / 8;
    CryptoError err = CryptoError::rng_failure;  // also after 64 rejections in a row (each below 1/2): a broken source
    for (int attempt = 0; attempt < 64; attempt++) {
        if (rng(MutBytes(bytes, len)) != CryptoError::ok) break;
        bytes[0] &= std::uint8_t(0xff >> (8 * len - n.bits));
        (void)bn::from_bytes(out, n.k, Bytes(bytes, len));
        // Whether a draw is kept is public: a rejected draw is thrown away, so the verdict says
        // nothing about the value finally used (ct::declassify tells the taint harness so).
        Limb in_range = Limb(~bn::mask_is_zero(out, n.k) & bn::mask_less(out, n.n, n.k));
        ct::declassify(in_range);
        if (in_range) {
            err = CryptoError::ok;
            break;
        }
    }
    secure_zero(bytes, len);
    return err;
}

// Blinding factors (Kocher's countermeasure to timing attacks, CRYPTO 1996 §10): a random r,
// r_e = r^e mod n and r_inv = r^-1 mod n. The inverse comes from a variable-time binary GCD, so it
// is never run on r itself: it inverts x = r*a/R (one Montgomery product) for a second random a
// (x is uniform and independent of r), and r^-1 = x^-1 * a / R, a second Montgomery product. What
// the GCD's timing reveals is about x only.
CryptoError make_blinding(const bn::MontModulus& n, const Limb* e, const Rng& rng, Limb* r_e, Limb* r_inv) {
    Limb r[max_limbs], a[max_limbs], ra[max_limbs];
    CryptoError err = CryptoError::rng_failure;
    for (int attempt = 0; attempt < 8 && err != CryptoError::ok; attempt++) {
        if (random_below(n, rng, r) != CryptoError::ok || random_below(n, rng, a) != CryptoError::ok) break;
        bn::mont_mul(n, ra, r, a);  // r*a/R: as uniform and as independent of r as r*a
        // The variable-time inverse may reveal ra, which is independent of r (see above).
        ct::declassify(ra, n.k * sizeof(Limb));
        // Fails only when gcd(r*a, n) > 1, i.e. we drew a multiple of p or q: draw again.
        err = bn::mod_inverse_vartime(n, r_inv, ra);
    }
    if (err == CryptoError::ok) {
        bn::mont_mul(n, r_inv, r_inv, a);  // (R / (r*a)) * a / R = 1/r
        bn::mod_exp_public(n, r_e, r, e, n.k);
    } else {
        err = CryptoError::rng_failure;
    }
    secure_zero(r, sizeof r);
    secure_zero(a, sizeof a);
    secure_zero(ra, sizeof ra);
    return err;
}

}  // namespace

// --- Keys ----------------------------------------------------------------------------------------

CryptoError RsaPublicKey::load(const RsaPublicKeyView& key) {
    *this = RsaPublicKey{};
    if (CryptoError err = load_modulus(n_, key.n); err != CryptoError::ok) return err;
    // §3.1: 3 <= e <= n - 1, and e odd (it must be coprime to the even lambda(n)).
    if (bn::from_bytes(e_, n_.k, key.e) != CryptoError::ok) return CryptoError::invalid_key;
    if ((e_[0] & 1) == 0 || bn::bit_length_vartime(e_, n_.k) < 2) return CryptoError::invalid_key;
    if (!bn::mask_less(e_, n_.n, n_.k)) return CryptoError::invalid_key;
    // Verification costs one squaring per bit of e, so a 4096-bit e would make it ~1,500 times
    // slower than e = 65537: e is capped at 32 bits, as Windows CNG does (BoringSSL allows 33, Go
    // 31); every exponent in use (3, 65537) and FIPS 186-5's e < 2^256 keys in practice fit.
    if (bn::bit_length_vartime(e_, n_.k) > rsa_max_e_bits) {
        *this = RsaPublicKey{};
        return CryptoError::unsupported_key_size;
    }
    return CryptoError::ok;
}

CryptoError RsaPublicKey::public_op(Bytes sig, MutBytes em) const {
    if (sig.size() != modulus_bytes()) return CryptoError::invalid_signature;
    Limb s[max_limbs], m[max_limbs];
    (void)bn::from_bytes(s, n_.k, sig);  // fits: modulus_bytes() bytes never exceed k limbs
    // RSAVP1 step 1: the representative must be in [0, n-1].
    if (!bn::mask_less(s, n_.n, n_.k)) return CryptoError::invalid_signature;
    bn::mod_exp_public(n_, m, s, e_, n_.k);
    return bn::to_bytes(em, m, n_.k);
}

RsaPrivateKey::~RsaPrivateKey() {
    secure_zero(p_);
    secure_zero(q_);
    secure_zero(dp_, sizeof dp_);
    secure_zero(dq_, sizeof dq_);
    secure_zero(qinv_, sizeof qinv_);
}

// Constant time in p, q, d, dp, dq and qinv: no branch or index depends on their values, only on
// the public modulus and the lengths of the encodings. What is public: both primes are held in
// kh = ceil(ceil(bits(n) / 2) / limb_bits) limbs, a number that follows from n alone; a key whose
// prime does not fit there (primes of unequal size across a limb boundary) is refused with
// invalid_key, and the load's ok/invalid verdict. The primes' exact bit lengths and parity are not
// branched on (mont_init_secret); the checks are masks folded into one verdict, and on failure the
// loaded values are wiped by mask.
CryptoError RsaPrivateKey::load(const RsaPrivateKeyView& key) {
    struct Scratch {
        Limb p[max_limbs], q[max_limbs], pq[2 * max_limbs], n[2 * max_limbs];
    } t{};
    CryptoError err = pub_.load({key.n, key.e});
    if (err != CryptoError::ok) return err;
    const std::size_t k = pub_.n_.k;
    // p * q = n with both below 2^(limb_bits * kh) gives n < p * R_kh, which the CRT reduction
    // needs, and 2 * kh >= k.
    const std::size_t kh = bn::limbs_for_bits((pub_.n_.bits + 1) / 2);
    secure_zero(dp_, sizeof dp_);  // from_bytes_mask fills kh limbs; a previous key may have had more
    secure_zero(dq_, sizeof dq_);
    secure_zero(qinv_, sizeof qinv_);
    Limb good = bn::from_bytes_mask(t.p, kh, key.p) & bn::from_bytes_mask(t.q, kh, key.q);
    good &= bn::from_bytes_mask(dp_, kh, key.dp) & bn::from_bytes_mask(dq_, kh, key.dq) &
            bn::from_bytes_mask(qinv_, kh, key.qinv);
    good &= bn::mont_init_secret(p_, t.p, kh) & bn::mont_init_secret(q_, t.q, kh);
    bn::mul(t.pq, t.p, kh, t.q, kh);
    for (std::size_t i = 0; i < k; i++) t.n[i] = pub_.n_.n[i];
    good &= bn::mask_equal(t.pq, t.n, 2 * kh);
    good &= bn::mask_less(dp_, t.p, kh) & bn::mask_less(dq_, t.q, kh) & bn::mask_less(qinv_, t.p, kh);
    // A refused key leaves nothing behind: every secret limb is kept only under the mask.
    good = ct::barrier(good);
    for (Limb* v : {p_.n, p_.rr, p_.one, q_.n, q_.rr, q_.one, dp_, dq_, qinv_})
        for (std::size_t i = 0; i < max_limbs; i++) v[i] &= good;
    p_.n0inv &= good;
    q_.n0inv &= good;
    secure_zero(t);
    secure_zero_stack<rsa_stack_wipe_bytes>();  // what mont_init_secret's products spilled
    return CryptoError(ct::select(std::uint8_t(good), std::uint8_t(CryptoError::ok), std::uint8_t(CryptoError::invalid_key)));
}

// RSASP1 (§5.2.1) in CRT form (step 2b), blinded, with a fault check.
// Constant time: every step is a bignum operation whose time depends only on the limb counts of
// n and of p, q (mod_exp uses a fixed window and masked table reads; mont_mul and mod_sub use
// masked subtractions). The only branches are on `blinding` (the caller's choice), on the RNG
// failing, and on the blinding's rejection sampling (declassified, see random_below). The
// fault-check verdict and the signature are outputs: they are computed with masks, and only the
// caller branches on them. The blinding factor makes the exponentiation inputs independent of the
// message.
CryptoError RsaPrivateKey::private_op(Bytes em, const Rng& rng, MutBytes sig, Blinding blinding) const {
    const bn::MontModulus& n = pub_.n_;
    const std::size_t k = n.k, kh = p_.k;
    if (sig.size() < modulus_bytes()) return CryptoError::buffer_too_small;
    if (sig.size() > modulus_bytes()) return CryptoError::bad_input_length;
    if (em.size() > modulus_bytes()) return CryptoError::message_too_long;

    struct Scratch {
        Limb m[max_limbs], c[max_limbs], r_e[max_limbs], r_inv[max_limbs];
        Limb wide[2 * max_limbs], m1[max_limbs], m2[max_limbs], h[max_limbs];
        Limb s[2 * max_limbs], m2_wide[2 * max_limbs], check[max_limbs];
    } t{};
    CryptoError err = CryptoError::ok;
    (void)bn::from_bytes(t.m, k, em);
    // §5.2.1 step 1: the message representative must be below n (it is public).
    if (!bn::mask_less(t.m, n.n, k)) err = CryptoError::message_too_long;

    // Blind: c = m * r^e mod n, so the exponentiations see a random value.
    if (err == CryptoError::ok && blinding == Blinding::on) {
        err = make_blinding(n, pub_.e_, rng, t.r_e, t.r_inv);
        bn::mont_mul(n, t.c, t.m, t.r_e);
        bn::mont_mul(n, t.c, t.c, n.rr);
    } else {
        for (std::size_t i = 0; i < k; i++) t.c[i] = t.m[i];
    }

    if (err == CryptoError::ok) {
        // m1 = c^dp mod p, m2 = c^dq mod q. c < n < p * R, so REDC reduces it (giving c/R mod p),
        // and a multiplication by R^2 restores c mod p.
        for (std::size_t i = 0; i < k; i++) t.wide[i] = t.c[i];
        bn::mont_reduce(p_, t.m1, t.wide);
        bn::mont_mul(p_, t.m1, t.m1, p_.rr);
        bn::mont_reduce(q_, t.m2, t.wide);
        bn::mont_mul(q_, t.m2, t.m2, q_.rr);
        bn::mod_exp2(p_, q_, t.m1, t.m2, t.m1, t.m2, dp_, dq_, kh);

        // h = (m1 - m2) * qInv mod p, in the Montgomery domain of p (m2 < q < R may exceed p;
        // mont_enter reduces it).
        bn::mont_enter(p_, t.h, t.m2);
        bn::mont_enter(p_, t.m1, t.m1);
        bn::mod_sub(p_, t.h, t.m1, t.h);
        bn::mont_mul(p_, t.h, t.h, qinv_);

        // s = m2 + q * h  (< q + q(p - 1) = n)
        bn::mul(t.s, q_.n, kh, t.h, kh);
        for (std::size_t i = 0; i < kh; i++) t.m2_wide[i] = t.m2[i];
        (void)bn::add(t.s, t.s, t.m2_wide, 2 * kh);

        // Unblind: s * r^-1 = (m r^e)^d r^-1 = m^d.
        if (blinding == Blinding::on) {
            bn::mont_mul(n, t.s, t.s, t.r_inv);
            bn::mont_mul(n, t.s, t.s, n.rr);
        }

        // Fault check: a glitch in one CRT half would let anyone factor n from the signature
        // (Boneh-DeMillo-Lipton), so the result is released only if s^e == m. The check and the
        // release are masks (s is secret until it is released); s < n always fits in sig.
        bn::mod_exp_public(n, t.check, t.s, pub_.e_, k);
        const Limb sound = bn::mask_equal(t.check, t.m, k);
        (void)bn::to_bytes(sig, t.s, k);
        for (std::uint8_t& byte : sig) byte = std::uint8_t(byte & sound);
        err = CryptoError(ct::select(std::uint8_t(sound), std::uint8_t(CryptoError::ok), std::uint8_t(CryptoError::fault_detected)));
    } else {
        secure_zero(sig.data(), sig.size());
    }
    secure_zero(t);
    secure_zero_stack<rsa_stack_wipe_bytes>();  // what the exponentiations left below this frame
    return err;
}

// --- EMSA-PKCS1-v1_5 (§9.2) --------------------------------------------------------------------

namespace {

// DER of DigestInfo up to the digest octets (§9.2 Note 1).
Bytes digest_info_prefix(HashAlg hash) {
    static constexpr std::uint8_t sha1[] = {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
                                            0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14};
    static constexpr std::uint8_t sha224[] = {0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                              0x65, 0x03, 0x04, 0x02, 0x04, 0x05, 0x00, 0x04, 0x1c};
    static constexpr std::uint8_t sha256[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                              0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
    static constexpr std::uint8_t sha384[] = {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                              0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30};
    static constexpr std::uint8_t sha512[] = {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                              0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40};
    switch (hash) {
    case HashAlg::sha1: return sha1;
    case HashAlg::sha224: return sha224;
    case HashAlg::sha256: return sha256;
    case HashAlg::sha384: return sha384;
    case HashAlg::sha512: return sha512;
    }
    return {};
}

// EM = 0x00 || 0x01 || PS (0xff...) || 0x00 || DigestInfo(H), emLen = em.size().
CryptoError emsa_pkcs1_encode(HashAlg hash, Bytes digest, MutBytes em) {
    const Bytes prefix = digest_info_prefix(hash);
    const std::size_t t_len = prefix.size() + digest.size();
    // Step 3: "intended encoded message length too short" (PS must have at least 8 octets).
    if (em.size() < t_len + 11) return CryptoError::encoding_error;
    const std::size_t ps_end = em.size() - t_len - 1;
    em[0] = 0x00;
    em[1] = 0x01;
    for (std::size_t i = 2; i < ps_end; i++) em[i] = 0xff;
    em[ps_end] = 0x00;
    for (std::size_t i = 0; i < prefix.size(); i++) em[ps_end + 1 + i] = prefix[i];
    for (std::size_t i = 0; i < digest.size(); i++) em[ps_end + 1 + prefix.size() + i] = digest[i];
    return CryptoError::ok;
}

}  // namespace

CryptoError rsa_pkcs1_sign_digest(const RsaPrivateKey& key, HashAlg hash, Bytes digest, const Rng& rng, MutBytes sig,
                            Blinding blinding) {
    if (digest.size() != hash_size(hash)) return CryptoError::bad_input_length;
    std::uint8_t em[rsa_max_bytes];
    const std::size_t k = key.modulus_bytes();
    // §8.2.1 step 1: EM of length k; step 2: RSASP1; the signature is k octets.
    CryptoError err = emsa_pkcs1_encode(hash, digest, MutBytes(em, k));
    if (err == CryptoError::ok) err = key.private_op(Bytes(em, k), rng, sig, blinding);
    return err;
}

CryptoError rsa_pkcs1_sign(const RsaPrivateKey& key, HashAlg hash, Bytes msg, const Rng& rng, MutBytes sig,
                     Blinding blinding) {
    std::uint8_t digest[max_digest_size];
    const std::size_t h_len = hash_size(hash);
    if (CryptoError err = padlock::hash(hash, msg, MutBytes(digest, h_len)); err != CryptoError::ok) return err;
    return rsa_pkcs1_sign_digest(key, hash, Bytes(digest, h_len), rng, sig, blinding);
}

// §8.2.2: recover EM with RSAVP1, build the expected EM from the digest, compare the two in full.
// Building rather than parsing means no DigestInfo variant (BER lengths, missing NULL, trailing
// bytes) can slip through. Nothing here is secret.
CryptoError rsa_pkcs1_verify_digest(const RsaPublicKey& key, HashAlg hash, Bytes digest, Bytes sig) {
    if (digest.size() != hash_size(hash)) return CryptoError::bad_input_length;
    const std::size_t k = key.modulus_bytes();
    std::uint8_t em[rsa_max_bytes], expected[rsa_max_bytes];
    if (key.public_op(sig, MutBytes(em, k)) != CryptoError::ok) return CryptoError::invalid_signature;
    if (emsa_pkcs1_encode(hash, digest, MutBytes(expected, k)) != CryptoError::ok) return CryptoError::invalid_signature;
    return ct::equal(em, expected, k) ? CryptoError::ok : CryptoError::invalid_signature;
}

CryptoError rsa_pkcs1_verify(const RsaPublicKey& key, HashAlg hash, Bytes msg, Bytes sig) {
    std::uint8_t digest[max_digest_size];
    const std::size_t h_len = hash_size(hash);
    if (CryptoError err = padlock::hash(hash, msg, MutBytes(digest, h_len)); err != CryptoError::ok) return err;
    return rsa_pkcs1_verify_digest(key, hash, Bytes(digest, h_len), sig);
}

CryptoError rsa_pkcs1_verify(const RsaPublicKeyView& view, HashAlg hash, Bytes msg, Bytes sig) {
    RsaPublicKey key;
    if (CryptoError err = key.load(view); err != CryptoError::ok) return err;
    return rsa_pkcs1_verify(key, hash, msg, sig);
}

// --- EMSA-PSS (§9.1) ---------------------------------------------------------------------------

namespace {

// out ^= MGF1(seed, out.size()) (§B.2.1): T = Hash(seed || C) for C = 0, 1, ... (4-octet counter).
CryptoError mgf1_xor(HashAlg hash, Bytes seed, MutBytes out) {
    std::uint8_t block[max_digest_size], counter[4];
    const std::size_t h_len = hash_size(hash);
    AnyHash h(hash);
    for (std::uint32_t c = 0; std::size_t(c) * h_len < out.size(); c++) {
        store_be32(counter, c);
        h.update(seed);
        h.update(counter);
        if (CryptoError err = h.final(MutBytes(block, h_len)); err != CryptoError::ok) return err;
        const std::size_t off = std::size_t(c) * h_len;
        for (std::size_t i = 0; i < h_len && off + i < out.size(); i++) out[off + i] ^= block[i];
    }
    secure_zero(block, sizeof block);
    return CryptoError::ok;
}

// H = Hash(M') with M' = (0x)00 00 00 00 00 00 00 00 || mHash || salt  (§9.1.1 steps 5-6).
CryptoError pss_hash(HashAlg hash, Bytes m_hash, Bytes salt, std::uint8_t* out) {
    static constexpr std::uint8_t zeros[8] = {};
    AnyHash h(hash);
    h.update(zeros);
    h.update(m_hash);
    h.update(salt);
    return h.final(MutBytes(out, hash_size(hash)));
}

// EMSA-PSS-ENCODE (§9.1.1) into em, whose size is emLen = ceil(emBits / 8).
CryptoError emsa_pss_encode(HashAlg hash, HashAlg mgf1_hash, Bytes m_hash, Bytes salt, std::size_t em_bits, MutBytes em) {
    const std::size_t h_len = hash_size(hash), em_len = em.size(), s_len = salt.size();
    if (s_len > em_len || em_len < h_len + s_len + 2) return CryptoError::encoding_error;  // step 3
    const std::size_t db_len = em_len - h_len - 1;
    std::uint8_t* h = em.data() + db_len;
    if (CryptoError err = pss_hash(hash, m_hash, salt, h); err != CryptoError::ok) return err;  // steps 5-6
    // Steps 7-8: DB = PS (zeros) || 0x01 || salt.
    for (std::size_t i = 0; i < db_len; i++) em[i] = 0;
    em[db_len - s_len - 1] = 0x01;
    for (std::size_t i = 0; i < s_len; i++) em[db_len - s_len + i] = salt[i];
    if (CryptoError err = mgf1_xor(mgf1_hash, Bytes(h, h_len), em.first(db_len)); err != CryptoError::ok) return err;  // 9-10
    em[0] &= std::uint8_t(0xff >> (8 * em_len - em_bits));  // step 11
    em[em_len - 1] = 0xbc;                                   // step 12
    return CryptoError::ok;
}

// EMSA-PSS-VERIFY (§9.1.2). Early exits are fine: the signature and message are public.
bool emsa_pss_verify(HashAlg hash, HashAlg mgf1_hash, Bytes m_hash, std::size_t s_len, std::size_t em_bits,
                     MutBytes em) {
    const std::size_t h_len = hash_size(hash), em_len = em.size();
    if (s_len > em_len || em_len < h_len + s_len + 2) return false;  // step 3
    if (em[em_len - 1] != 0xbc) return false;                      // step 4
    const std::size_t db_len = em_len - h_len - 1;
    const Bytes h(em.data() + db_len, h_len);                      // step 5
    const std::uint8_t top_mask = std::uint8_t(0xff >> (8 * em_len - em_bits));
    if (em[0] & ~top_mask) return false;                           // step 6
    if (mgf1_xor(mgf1_hash, h, em.first(db_len)) != CryptoError::ok) return false;  // steps 7-8
    em[0] &= top_mask;                                             // step 9
    // Step 10: DB = zeros || 0x01 || salt.
    const std::size_t ps_len = db_len - s_len - 1;
    for (std::size_t i = 0; i < ps_len; i++)
        if (em[i] != 0) return false;
    if (em[ps_len] != 0x01) return false;
    std::uint8_t h2[max_digest_size];                              // steps 11-13
    if (pss_hash(hash, m_hash, Bytes(em.data() + db_len - s_len, s_len), h2) != CryptoError::ok) return false;
    return ct::equal(h.data(), h2, h_len);                         // step 14
}

}  // namespace

CryptoError rsa_pss_sign_with_salt(const RsaPrivateKey& key, HashAlg hash, HashAlg mgf1_hash, Bytes salt, Bytes msg,
                             const Rng& rng, MutBytes sig, Blinding blinding) {
    std::uint8_t m_hash[max_digest_size], em[rsa_max_bytes];
    const std::size_t h_len = hash_size(hash);
    if (CryptoError err = padlock::hash(hash, msg, MutBytes(m_hash, h_len)); err != CryptoError::ok) return err;
    // §8.1.1: EMSA-PSS with emBits = modBits - 1, then RSASP1 on OS2IP(EM).
    const std::size_t em_bits = key.public_key().modulus_bits() - 1;
    const std::size_t em_len = (em_bits + 7) / 8;
    CryptoError err = emsa_pss_encode(hash, mgf1_hash, Bytes(m_hash, h_len), salt, em_bits, MutBytes(em, em_len));
    if (err == CryptoError::ok) err = key.private_op(Bytes(em, em_len), rng, sig, blinding);
    return err;
}

CryptoError rsa_pss_sign(const RsaPrivateKey& key, HashAlg hash, HashAlg mgf1_hash, std::size_t salt_len, Bytes msg,
                   const Rng& rng, MutBytes sig, Blinding blinding) {
    std::uint8_t salt[rsa_max_bytes];
    if (salt_len > sizeof salt) return CryptoError::encoding_error;
    if (rng(MutBytes(salt, salt_len)) != CryptoError::ok) return CryptoError::rng_failure;
    return rsa_pss_sign_with_salt(key, hash, mgf1_hash, Bytes(salt, salt_len), msg, rng, sig, blinding);
}

CryptoError rsa_pss_verify_digest(const RsaPublicKey& key, HashAlg hash, HashAlg mgf1_hash, std::size_t salt_len,
                            Bytes digest, Bytes sig) {
    if (digest.size() != hash_size(hash)) return CryptoError::bad_input_length;
    // §8.1.2 step 2: RSAVP1, then I2OSP into emLen octets (fails if m >= 256^emLen).
    const std::size_t em_bits = key.modulus_bits() - 1;
    const std::size_t em_len = (em_bits + 7) / 8;
    std::uint8_t em[rsa_max_bytes];
    if (key.public_op(sig, MutBytes(em, em_len)) != CryptoError::ok) return CryptoError::invalid_signature;
    return emsa_pss_verify(hash, mgf1_hash, digest, salt_len, em_bits, MutBytes(em, em_len))
               ? CryptoError::ok
               : CryptoError::invalid_signature;
}

CryptoError rsa_pss_verify(const RsaPublicKey& key, HashAlg hash, HashAlg mgf1_hash, std::size_t salt_len, Bytes msg,
                     Bytes sig) {
    std::uint8_t m_hash[max_digest_size];
    const std::size_t h_len = hash_size(hash);
    if (CryptoError err = padlock::hash(hash, msg, MutBytes(m_hash, h_len)); err != CryptoError::ok) return err;
    return rsa_pss_verify_digest(key, hash, mgf1_hash, salt_len, Bytes(m_hash, h_len), sig);
}

CryptoError rsa_pss_verify(const RsaPublicKeyView& view, HashAlg hash, HashAlg mgf1_hash, std::size_t salt_len,
                     Bytes msg, Bytes sig) {
    RsaPublicKey key;
    if (CryptoError err = key.load(view); err != CryptoError::ok) return err;
    return rsa_pss_verify(key, hash, mgf1_hash, salt_len, msg, sig);
}

}  // namespace padlock
