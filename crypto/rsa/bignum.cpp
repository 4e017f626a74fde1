// SPDX-License-Identifier: Apache-2.0
// Fixed-capacity natural numbers for RSA (RFC 8017 §5.2.1 needs x^d mod n): schoolbook arithmetic,
// Montgomery multiplication and squaring by product scanning (Koc-Acar-Kaliski 1996), REDC
// (HAC §14.32), fixed-window modular exponentiation (HAC §14.82) and a variable-time inverse.
// Unless a function says "vartime", its running time depends only on limb counts, never on values.
#include "crypto/rsa/bignum.hpp"

#include "crypto/ct.hpp"

// The AVX-512 IFMA backend exists with 64-bit limbs on an x86-64 build with accel=auto
// (crypto/meson.build).
#if defined(PADLOCK_ACCEL_X86) && !defined(PADLOCK_LIMB32)
#define PADLOCK_BIGNUM_X86
#include "crypto/cpu.hpp"
#include "crypto/rsa/detail/bignum_x86.hpp"
#endif

namespace padlock::bn {

namespace {

inline Limb lo(DLimb x) { return Limb(x); }
inline Limb hi(DLimb x) { return Limb(x >> limb_bits); }

void copy(Limb* dst, const Limb* src, std::size_t k) {
    for (std::size_t i = 0; i < k; i++) dst[i] = src[i];
}
void zero(Limb* dst, std::size_t k) {
    for (std::size_t i = 0; i < k; i++) dst[i] = 0;
}

// (top : x) is a (k+1)-limb value below 2n; writes it reduced (< n) to out, which may alias x.
// The subtraction always runs; the choice between x and x - n is a mask, so this is constant time.
inline void reduce_once(const Limb* n, std::size_t k, Limb* out, const Limb* x, Limb top) {
    Limb diff[max_limbs];
    Limb borrow = 0;
    for (std::size_t i = 0; i < k; i++) {
        DLimb d = DLimb(x[i]) - n[i] - borrow;
        diff[i] = lo(d);
        borrow = hi(d) & 1;
    }
    // x - n underflows only when top == 0 and the k-limb subtraction borrowed.
    const Limb keep_x = ct::mask_lt(top, borrow);
    // keep_x left ct::mask_lt through ct::barrier, so the compiler cannot see it is 0 or all-ones;
    // the select is spelled out so that it is not passed through the barrier once per limb.
    for (std::size_t i = 0; i < k; i++) out[i] = diff[i] ^ (keep_x & (x[i] ^ diff[i]));
}

// x = 2x mod n, for x < n.
void double_mod(const MontModulus& m, Limb* x) {
    Limb top = x[m.k - 1] >> (limb_bits - 1);
    for (std::size_t i = m.k - 1; i > 0; i--) x[i] = Limb(x[i] << 1 | x[i - 1] >> (limb_bits - 1));
    x[0] = Limb(x[0] << 1);
    reduce_once(m.n, m.k, x, x, top);
}

}  // namespace

// --- Conversions -------------------------------------------------------------------------------

CryptoError from_bytes(Limb* out, std::size_t k, Bytes in) {
    return from_bytes_mask(out, k, in) != 0 ? CryptoError::ok : CryptoError::bad_input_length;
}

Limb from_bytes_mask(Limb* out, std::size_t k, Bytes in) {
    zero(out, k);
    Limb overflow = 0;
    // Byte i counts from the least significant end.
    for (std::size_t i = 0; i < in.size(); i++) {
        std::uint8_t byte = in[in.size() - 1 - i];
        std::size_t limb = i / limb_bytes;
        if (limb < k)
            out[limb] |= Limb(byte) << (8 * (i % limb_bytes));
        else
            overflow |= byte;
    }
    return ct::mask_zero(overflow);
}

CryptoError to_bytes(MutBytes out, const Limb* a, std::size_t k) {
    std::size_t n = out.size();
    Limb overflow = 0;
    for (std::size_t i = 0; i < n; i++) {
        std::size_t limb = i / limb_bytes;
        out[n - 1 - i] = limb < k ? std::uint8_t(a[limb] >> (8 * (i % limb_bytes))) : 0;
    }
    for (std::size_t i = n; i < k * limb_bytes; i++) overflow |= (a[i / limb_bytes] >> (8 * (i % limb_bytes))) & 0xff;
    return overflow == 0 ? CryptoError::ok : CryptoError::buffer_too_small;
}

std::size_t limb_length_vartime(const Limb* a, std::size_t k) {
    while (k > 1 && a[k - 1] == 0) k--;
    return k;
}

std::size_t bit_length_vartime(const Limb* a, std::size_t k) {
    for (std::size_t i = k; i-- > 0;) {
        if (a[i] == 0) continue;
        std::size_t bits = 0;
        for (Limb top = a[i]; top != 0; top >>= 1) bits++;
        return i * limb_bits + bits;
    }
    return 0;
}

// --- Schoolbook arithmetic ---------------------------------------------------------------------

Limb add(Limb* out, const Limb* a, const Limb* b, std::size_t k) {
    Limb carry = 0;
    for (std::size_t i = 0; i < k; i++) {
        DLimb s = DLimb(a[i]) + b[i] + carry;
        out[i] = lo(s);
        carry = hi(s);
    }
    return carry;
}

Limb sub(Limb* out, const Limb* a, const Limb* b, std::size_t k) {
    Limb borrow = 0;
    for (std::size_t i = 0; i < k; i++) {
        DLimb d = DLimb(a[i]) - b[i] - borrow;
        out[i] = lo(d);
        borrow = hi(d) & 1;  // the high limb is all-ones after a wrap
    }
    return borrow;
}

void mul(Limb* out, const Limb* a, std::size_t ka, const Limb* b, std::size_t kb) {
    zero(out, ka + kb);
    for (std::size_t i = 0; i < ka; i++) {
        Limb carry = 0;
        for (std::size_t j = 0; j < kb; j++) {
            DLimb p = DLimb(a[i]) * b[j] + out[i + j] + carry;
            out[i + j] = lo(p);
            carry = hi(p);
        }
        out[i + kb] = carry;
    }
}

Limb mask_less(const Limb* a, const Limb* b, std::size_t k) {
    Limb diff[max_limbs * 2];
    Limb borrow = sub(diff, a, b, k);
    secure_zero(diff, k * sizeof(Limb));
    return Limb(0) - borrow;
}

Limb mask_is_zero(const Limb* a, std::size_t k) {
    Limb acc = 0;
    for (std::size_t i = 0; i < k; i++) acc |= a[i];
    return ct::mask_zero(acc);
}

Limb mask_equal(const Limb* a, const Limb* b, std::size_t k) {
    Limb acc = 0;
    for (std::size_t i = 0; i < k; i++) acc |= a[i] ^ b[i];
    return ct::mask_zero(acc);
}

void cmov(Limb* dst, const Limb* src, std::size_t k, Limb mask) {
    mask = ct::barrier(mask);  // once, then the select spelled out (as in reduce_once)
    for (std::size_t i = 0; i < k; i++) dst[i] = dst[i] ^ (mask & (src[i] ^ dst[i]));
}

// --- Montgomery arithmetic ---------------------------------------------------------------------

CryptoError mont_init(MontModulus& m, const Limb* n, std::size_t k) {
    if (k == 0 || k > max_limbs) return CryptoError::unsupported_key_size;
    if ((n[0] & 1) == 0) return CryptoError::invalid_key;
    m = MontModulus{};
    copy(m.n, n, k);
    m.k = k;
    m.bits = bit_length_vartime(n, k);
    if (m.bits < 2) return CryptoError::invalid_key;

    // n0inv = -n^-1 mod 2^limb_bits by Newton iteration: an odd n is its own inverse mod 8, and each
    // step x = x(2 - nx) doubles the number of correct low bits (3, 6, 12, 24, 48, 96).
    Limb inv = n[0];
    for (int i = 0; i < 5; i++) inv = Limb(inv * (Limb(2) - n[0] * inv));
    m.n0inv = Limb(0) - inv;

    // R mod n: start from 2^(bits-1) < n and double up to 2^(limb_bits*k).
    Limb x[max_limbs] = {};
    x[(m.bits - 1) / limb_bits] = Limb(1) << ((m.bits - 1) % limb_bits);
    for (std::size_t i = m.bits - 1; i < limb_bits * k; i++) double_mod(m, x);
    copy(m.one, x, k);

    // R^2 mod n: double k more times to get R * 2^k, then square log2(limb_bits) times in the
    // Montgomery domain; each squaring maps R * 2^j to R * 2^(2j), ending at R * 2^(limb_bits*k).
    for (std::size_t i = 0; i < k; i++) double_mod(m, x);
    for (std::size_t bits = 1; bits < limb_bits; bits *= 2) mont_sqr(m, x, x);
    copy(m.rr, x, k);
    secure_zero(x, sizeof x);
    return CryptoError::ok;
}

// As mont_init, without the branches on the bit length and parity of n: R mod n is reached from 1
// by limb_bits * k doublings (each one a masked reduction) instead of from the top bit of n.
// That costs a key load about 0.1 ms for RSA-2048 and 0.3 ms for RSA-3072 (about 5 times the
// variable-time setup), once per key.
Limb mont_init_secret(MontModulus& m, const Limb* n, std::size_t k) {
    m = MontModulus{};
    copy(m.n, n, k);
    m.k = k;
    m.bits = limb_bits * k;
    Limb inv = n[0];  // Newton iteration as in mont_init (for an even n the result is meaningless)
    for (int i = 0; i < 5; i++) inv = Limb(inv * (Limb(2) - n[0] * inv));
    m.n0inv = Limb(0) - inv;

    Limb x[max_limbs] = {1};  // 1 < n for any valid modulus, and each doubling keeps x < n
    for (std::size_t i = 0; i < limb_bits * k; i++) double_mod(m, x);
    copy(m.one, x, k);
    for (std::size_t i = 0; i < k; i++) double_mod(m, x);
    for (std::size_t bits = 1; bits < limb_bits; bits *= 2) mont_sqr(m, x, x);
    copy(m.rr, x, k);
    secure_zero(x, sizeof x);
    return ct::mask_nonzero(Limb(n[0] & 1));
}

// --- Montgomery multiplication and squaring by product scanning --------------------------------
// Column i of the double-width product a*b + q*n is summed in a three-limb accumulator before
// anything is written (Comba; the "FIPS" method of Koc, Acar and Kaliski, 1996). In the first k
// columns the quotient limb q[i] is chosen so that column i becomes zero mod 2^limb_bits; columns
// k..2k-1 are then (a*b + q*n) / R, which is below 2n when a*b < n*R, so one masked subtraction ends
// the reduction. The accumulator stays in registers and each product costs one multiply and three
// additions; the row-wise (CIOS) form instead loads and stores a limb of t per product.
// Every loop bound depends on k only, never on the values: constant time.

namespace {

// c0 + c1*2^w + c2*2^2w. A column holds at most 2k products below 2^2w, so c2 < 2k never wraps.
struct Accumulator {
    Limb c0 = 0, c1 = 0, c2 = 0;

    void add_product(Limb x, Limb y) {
        const DLimb p = DLimb(x) * y;
        const DLimb sum = (DLimb(c1) << limb_bits | c0) + p;
        c2 += Limb(sum < p);  // the carry out of the two-limb addition (compilers emit adc)
        c0 = lo(sum);
        c1 = hi(sum);
    }
    void add(const Accumulator& d) {  // d may be *this (doubling): it is read before any write
        const DLimb low = DLimb(d.c1) << limb_bits | d.c0;
        const DLimb sum = (DLimb(c1) << limb_bits | c0) + low;
        c2 = Limb(c2 + d.c2 + Limb(sum < low));
        c0 = lo(sum);
        c1 = hi(sum);
    }
    Limb shift_out() {  // returns the finished low limb and moves to the next column
        const Limb low = c0;
        c0 = c1;
        c1 = c2;
        c2 = 0;
        return low;
    }
};

// The state of one Montgomery product (a*b or a^2) / R mod n, computed column by column.
struct MontColumns {
    const Limb* n;
    Limb n0inv;
    std::size_t k;
    Limb q[max_limbs];  // quotient limbs, fixed by the first k columns (each written before use)
    Limb t[max_limbs];     // the result limbs, from the last k columns
    Limb diff[max_limbs];  // t - n, for squarings (subtract_limb)
    Limb carry = 1;        // of t + ~n + 1 = t - n + R: ends at 1 exactly when t >= n
    Accumulator acc;

    MontColumns(const MontModulus& m, std::size_t limbs) : n(m.n), n0inv(m.n0inv), k(limbs) {}

    // Ends column i: below k, picks q[i] so that the column's low limb becomes zero (adding q[i]*n[0]);
    // from k on, the low limb is result limb i - k.
    void finish_column(std::size_t i) {
        if (i < k) {
            q[i] = Limb(acc.c0 * n0inv);
            acc.add_product(q[i], n[0]);
            (void)acc.shift_out();
        } else {
            t[i - k] = acc.shift_out();
        }
    }
    // Column i of a*b + q*n. j runs over the pairs with both indices below k; q[i] is not known yet.
    void mul_column(const Limb* a, const Limb* b, std::size_t i) {
        const std::size_t first = i < k ? 0 : i - k + 1, last_q = i < k ? i : k;
#pragma GCC unroll 32
        for (std::size_t j = first; j < last_q; j++) {
            acc.add_product(a[j], b[i - j]);
            acc.add_product(q[j], n[i - j]);
        }
        if (i < k) acc.add_product(a[i], b[0]);
        finish_column(i);
    }
    // Column i of a^2 + q*n: the cross products a[j]*a[i-j] with j < i-j are summed once and
    // doubled, so a square costs k^2/2 products plus the k^2 of the reduction.
    void sqr_column(const Limb* a, std::size_t i) {
        const std::size_t first = i < k ? 0 : i - k + 1, last_q = i < k ? i : k;
        const std::size_t last_cross = (i + 1) / 2;  // j < i - j
        Accumulator cross;
#pragma GCC unroll 32
        for (std::size_t j = first; j < last_cross; j++) cross.add_product(a[j], a[i - j]);
        cross.add(cross);  // two add/adc/adc chains: cheaper than shifting three limbs left
        acc.add(cross);
        if (i % 2 == 0) acc.add_product(a[i / 2], a[i / 2]);
#pragma GCC unroll 32
        for (std::size_t j = first; j < last_q; j++) acc.add_product(q[j], n[i - j]);
        finish_column(i);
        if (i >= k) subtract_limb(i - k);
    }
    // The 2k-1 columns leave (acc.c1 : acc.c0 : t[0..k-2]) < 2n.
    void finish(Limb* out) {
        t[k - 1] = acc.c0;
        reduce_once(n, k, out, t, acc.c1);
    }

    // For squarings, the final subtraction runs limb by limb as the result limbs appear: its carry
    // chain then overlaps the multiplications, which leave the adders idle much of the time
    // (squaring gets 4% faster; in mul_column the extra live values cost more than they save).
    void subtract_limb(std::size_t j) {
        const DLimb sum = DLimb(t[j]) + Limb(~n[j]) + carry;
        diff[j] = lo(sum);
        carry = hi(sum);
    }
    void finish_subtracted(Limb* out) {
        t[k - 1] = acc.c0;
        subtract_limb(k - 1);
        // (acc.c1 : t) < 2n, so acc.c1 is 0 or 1, and t - n is the answer unless it is negative.
        const Limb keep_t = ct::mask_zero(Limb(acc.c1 | carry));
        for (std::size_t j = 0; j < k; j++) out[j] = diff[j] ^ (keep_t & (t[j] ^ diff[j]));  // opaque mask
    }
};

// The same two products for a limb count K fixed at compile time. The pragmas (here and on the
// inner loops, which GCC would otherwise unroll only up to 16 iterations) ask for complete
// unrolling: with every index a constant, the 2K^2 (or 1.5K^2) products become straight-line code
// with the accumulator in registers and no loop or index arithmetic, 1.3 to 1.5 times faster than
// the loops. For a run-time k the inner pragmas only unroll partially, which is harmless.
template <std::size_t K>
void mont_mul_unrolled(const MontModulus& m, Limb* out, const Limb* a, const Limb* b) {
    MontColumns c(m, K);
#pragma GCC unroll 128
    for (std::size_t i = 0; i < 2 * K - 1; i++) c.mul_column(a, b, i);
    c.finish(out);
}

template <std::size_t K>
void mont_sqr_unrolled(const MontModulus& m, Limb* out, const Limb* a) {
    MontColumns c(m, K);
#pragma GCC unroll 128
    for (std::size_t i = 0; i < 2 * K - 1; i++) c.sqr_column(a, i);
    c.finish_subtracted(out);
}

// Unrolled copies exist for 16, 24 and 32 limbs of 64 bits: the CRT halves of 2048-, 3072- and
// 4096-bit RSA keys (and 2048-bit public operations). They cost about 170 KiB of code; 32-bit-limb
// targets, typically small devices, use only the loops.
constexpr bool unroll_rsa_sizes = limb_bits == 64;

}  // namespace

// The limb count (public) picks an unrolled copy or the loops; all compute the same function.
void mont_mul(const MontModulus& m, Limb* out, const Limb* a, const Limb* b) {
    if constexpr (unroll_rsa_sizes) {
        switch (m.k) {
        case 16: return mont_mul_unrolled<16>(m, out, a, b);
        case 24: return mont_mul_unrolled<24>(m, out, a, b);
        case 32: return mont_mul_unrolled<32>(m, out, a, b);
        default: break;
        }
    }
    MontColumns c(m, m.k);
    for (std::size_t i = 0; i < 2 * m.k - 1; i++) c.mul_column(a, b, i);
    c.finish(out);
}

void mont_sqr(const MontModulus& m, Limb* out, const Limb* a) {
    if constexpr (unroll_rsa_sizes) {
        switch (m.k) {
        case 16: return mont_sqr_unrolled<16>(m, out, a);
        case 24: return mont_sqr_unrolled<24>(m, out, a);
        case 32: return mont_sqr_unrolled<32>(m, out, a);
        default: break;
        }
    }
    MontColumns c(m, m.k);
    for (std::size_t i = 0; i < 2 * m.k - 1; i++) c.sqr_column(a, i);
    c.finish_subtracted(out);
}

// REDC (HAC Algorithm 14.32) on a 2k-limb t. The carry out of row i lands in limb i+k+1, which row
// i+1 adds in (`top`), so no carry chain runs to the end and the time is fixed. Used only to bring
// a value below n*R into range (twice per RSA signature), so the plain row-wise form is enough.
void mont_reduce(const MontModulus& m, Limb* out, const Limb* t) {
    const std::size_t k = m.k;
    const Limb* n = m.n;
    const Limb n0inv = m.n0inv;
    Limb w[2 * max_limbs];  // works on a copy, so t is left as it was
    copy(w, t, 2 * k);
    Limb top = 0;
    for (std::size_t i = 0; i < k; i++) {
        const Limb q = Limb(w[i] * n0inv);
        Limb carry = 0;
        for (std::size_t j = 0; j < k; j++) {
            DLimb p = DLimb(q) * n[j] + w[i + j] + carry;
            w[i + j] = lo(p);
            carry = hi(p);
        }
        DLimb s = DLimb(w[i + k]) + carry + top;
        w[i + k] = lo(s);
        top = hi(s);
    }
    reduce_once(n, k, out, w + k, top);
    secure_zero(w, 2 * k * sizeof(Limb));
}

void mont_enter(const MontModulus& m, Limb* out, const Limb* a) { mont_mul(m, out, a, m.rr); }

void mont_leave(const MontModulus& m, Limb* out, const Limb* a) {
    Limb one[max_limbs] = {1};
    mont_mul(m, out, a, one);
}

void mod_sub(const MontModulus& m, Limb* out, const Limb* a, const Limb* b) {
    Limb borrow = sub(out, a, b, m.k);
    Limb addend[max_limbs];
    for (std::size_t i = 0; i < m.k; i++) addend[i] = m.n[i] & (Limb(0) - borrow);
    (void)add(out, out, addend, m.k);
}

// HAC Algorithm 14.82 with a fixed 4-bit window. Constant time: every window costs four squarings
// and one multiplication, and the table lookup is a masked scan. (A 5-bit window saves about 35 of
// the ~1300 products for a 1024-bit exponent but scans twice the table: measured, no faster.)
void mod_exp(const MontModulus& m, Limb* out, const Limb* base, const Limb* exp, std::size_t exp_k) {
    constexpr std::size_t window = 4, entries = 1 << window;
    const std::size_t k = m.k;
    Limb table[entries * max_limbs];  // table[i] = base^i * R mod n, stride k
    Limb acc[max_limbs], pick[max_limbs];

    copy(table, m.one, k);
    mont_enter(m, table + k, base);
    for (std::size_t i = 2; i < entries; i++) mont_mul(m, table + i * k, table + (i - 1) * k, table + k);

    // Reads every entry and keeps entry `index` by mask, so the memory trace is independent of it.
    // One pass per output limb keeps the running OR in a register. The masks come out of
    // ct::mask_eq through ct::barrier: if the compiler could see that hit[i] is 0 or all-ones it
    // would turn the scan into one branch per entry and a single load of the chosen entry (clang
    // 14 -O2 did), which leaks the window through the branch predictor and the cache.
    auto select = [&](Limb* dst, Limb index) {
        Limb hit[entries];
        for (std::size_t i = 0; i < entries; i++) hit[i] = ct::mask_eq(Limb(i), index);
        for (std::size_t j = 0; j < k; j++) {
            Limb limb = 0;
            for (std::size_t i = 0; i < entries; i++) limb |= table[i * k + j] & hit[i];
            dst[j] = limb;
        }
    };
    auto window_at = [&](std::size_t w) {  // bits [4w, 4w+4) of exp; limb_bits is a multiple of 4
        std::size_t bit = w * window;
        return Limb(exp[bit / limb_bits] >> (bit % limb_bits)) & Limb(entries - 1);
    };

    const std::size_t windows = exp_k * limb_bits / window;
    select(acc, window_at(windows - 1));
    for (std::size_t w = windows - 1; w-- > 0;) {
        for (std::size_t s = 0; s < window; s++) mont_sqr(m, acc, acc);
        select(pick, window_at(w));
        mont_mul(m, acc, acc, pick);
    }
    mont_leave(m, out, acc);
    secure_zero(table, entries * k * sizeof(Limb));
    secure_zero(acc, sizeof acc);
    secure_zero(pick, sizeof pick);
}

// The dispatch point (crypto/cpu.hpp) of mod_exp2 and mod_exp_public: on a CPU with AVX-512 IFMA,
// moduli of 1024, 1536 or 2048 bits (pairs) and of 2048, 3072 or 4096 bits (public exponents) run
// crypto/rsa/bignum_x86.cpp; picked on each call from cpu::features() and the public limb counts.
namespace {
bool use_ifma(std::size_t k) {
#if defined(PADLOCK_BIGNUM_X86)
    return x86::ifma_supports(k) && cpu::has(cpu::avx512 | cpu::avx512ifma);
#else
    return (void)k, false;
#endif
}
bool use_ifma_public(std::size_t k) {
#if defined(PADLOCK_BIGNUM_X86)
    return x86::ifma_supports_public(k) && cpu::has(cpu::avx512 | cpu::avx512ifma);
#else
    return (void)k, false;
#endif
}

#if defined(PADLOCK_BIGNUM_X86)
// x * R * 2^extra mod n from x * R mod n (x_mont < n; R = 2^(64 k)): the IFMA backend's Montgomery
// form (crypto/rsa/detail/bignum_x86.hpp), by `extra` doublings.
void to_ifma_form(const MontModulus& m, Limb* out, const Limb* x_mont) {
    copy(out, x_mont, m.k);
    for (std::size_t i = 0; i < x86::ifma_extra_bits(m.k); i++) double_mod(m, out);
}
#endif
}  // namespace

const char* mod_exp2_backend_name(std::size_t k) { return use_ifma(k) ? "ifma" : "portable"; }
const char* mod_exp_public_backend_name(std::size_t k) { return use_ifma_public(k) ? "ifma" : "portable"; }

void mod_exp2(const MontModulus& m1, const MontModulus& m2, Limb* out1, Limb* out2, const Limb* base1,
              const Limb* base2, const Limb* exp1, const Limb* exp2, std::size_t exp_k) {
#if defined(PADLOCK_BIGNUM_X86)
    if (m1.k == m2.k && use_ifma(m1.k)) {
        const std::size_t k = m1.k;
        Limb b1[max_limbs], b2[max_limbs], one1[max_limbs], one2[max_limbs];
        mont_enter(m1, b1, base1);
        mont_enter(m2, b2, base2);
        to_ifma_form(m1, b1, b1);
        to_ifma_form(m2, b2, b2);
        to_ifma_form(m1, one1, m1.one);
        to_ifma_form(m2, one2, m2.one);
        x86::mod_exp2_ifma(m1, m2, out1, out2, b1, b2, one1, one2, exp1, exp2, exp_k);
        reduce_once(m1.n, k, out1, out1, 0);  // the backend leaves a value <= n
        reduce_once(m2.n, k, out2, out2, 0);
        for (Limb* v : {b1, b2, one1, one2}) secure_zero(v, k * sizeof(Limb));
        return;
    }
#endif
    mod_exp(m1, out1, base1, exp1, exp_k);
    mod_exp(m2, out2, base2, exp2, exp_k);
}

void mod_exp_public(const MontModulus& m, Limb* out, const Limb* base, const Limb* exp, std::size_t exp_k) {
    const std::size_t bits = bit_length_vartime(exp, exp_k);
    if (bits == 0) {  // base^0 = 1, and n > 1
        zero(out, m.k);
        out[0] = 1;
        return;
    }
    Limb x[max_limbs], acc[max_limbs];
    mont_enter(m, x, base);
#if defined(PADLOCK_BIGNUM_X86)
    if (use_ifma_public(m.k)) {
        to_ifma_form(m, x, x);
        x86::mod_exp_public_ifma(m, out, x, exp, bits);
        reduce_once(m.n, m.k, out, out, 0);  // the backend leaves a value <= n
        return;
    }
#endif
    copy(acc, x, m.k);
    for (std::size_t i = bits - 1; i-- > 0;) {
        mont_sqr(m, acc, acc);
        if ((exp[i / limb_bits] >> (i % limb_bits)) & 1) mont_mul(m, acc, acc, x);
    }
    mont_leave(m, out, acc);
}

// --- Modular inverse (variable time) ----------------------------------------------------------

namespace {

constexpr unsigned gcd_batch = limb_bits / 2 - 1;  // inner steps per round: 31 (or 15 for 32-bit limbs)
constexpr Limb low_mask = (Limb(1) << gcd_batch) - 1;

// Bits [pos, pos + count) of x (count < limb_bits), zero beyond k limbs.
Limb bits_at(const Limb* x, std::size_t k, std::size_t pos, unsigned count) {
    const std::size_t i = pos / limb_bits, s = pos % limb_bits;
    Limb v = i < k ? Limb(x[i] >> s) : 0;
    if (s != 0 && i + 1 < k) v |= Limb(x[i + 1] << (limb_bits - s));
    return v & ((Limb(1) << count) - 1);
}

// out = |a*f + b*g| / 2^gcd_batch (exact division); returns whether a*f + b*g was negative.
// |f| + |g| <= 2^gcd_batch keeps the result below max(a, b), so it fits in k limbs.
bool combine_shift(Limb* out, const Limb* a, SLimb f, const Limb* b, SLimb g, std::size_t k) {
    Limb w[max_limbs + 1];
    SDLimb acc = 0;
    for (std::size_t i = 0; i < k; i++) {
        acc += SDLimb(a[i]) * f + SDLimb(b[i]) * g;
        w[i] = Limb(acc);
        acc >>= limb_bits;
    }
    w[k] = Limb(acc);
    const bool negative = SLimb(w[k]) < 0;
    if (negative) {  // two's complement negation over k+1 limbs
        Limb carry = 1;
        for (std::size_t i = 0; i <= k; i++) {
            w[i] = Limb(~w[i] + carry);
            carry = carry & Limb(w[i] == 0);
        }
    }
    for (std::size_t i = 0; i < k; i++) out[i] = Limb(w[i] >> gcd_batch | w[i + 1] << (limb_bits - gcd_batch));
    return negative;
}

// a < b, comparing from the top limb down. Variable time (mask_less is the constant-time one).
bool less_vartime(const Limb* a, const Limb* b, std::size_t k) {
    for (std::size_t i = k; i-- > 0;)
        if (a[i] != b[i]) return a[i] < b[i];
    return false;
}

// out = (u*f + v*g) / 2^gcd_batch mod n, for u, v < n: adds the multiple q*n that makes the sum
// divisible by 2^gcd_batch (as in Montgomery reduction), shifts, then brings the result into [0, n).
void combine_mod(const MontModulus& m, Limb* out, const Limb* u, SLimb f, const Limb* v, SLimb g) {
    const std::size_t k = m.k;
    Limb w[max_limbs + 1];
    const Limb q = Limb(Limb(u[0] * Limb(f) + v[0] * Limb(g)) * m.n0inv) & low_mask;
    SDLimb acc = 0;
    for (std::size_t i = 0; i < k; i++) {
        acc += SDLimb(u[i]) * f + SDLimb(v[i]) * g + SDLimb(DLimb(q) * m.n[i]);
        w[i] = Limb(acc);
        acc >>= limb_bits;
    }
    w[k] = Limb(acc);
    for (std::size_t i = 0; i < k; i++) w[i] = Limb(w[i] >> gcd_batch | w[i + 1] << (limb_bits - gcd_batch));
    w[k] = Limb(SLimb(w[k]) >> gcd_batch);
    // Now -2n < w < 2n.
    while (SLimb(w[k]) < 0) w[k] = Limb(w[k] + add(w, w, m.n, k));
    while (w[k] != 0 || !less_vartime(w, m.n, k)) w[k] = Limb(w[k] - sub(w, w, m.n, k));
    copy(out, w, k);
}

}  // namespace

// Invariants: a == u*y and b == v*y (mod n), from a = y, u = 1, b = n, v = 0. Each round runs
// gcd_batch binary-GCD steps (subtract the smaller odd value from the larger, halve the even one)
// on words that hold the low and the top bits of a and b, recording them as a matrix (f0 g0; f1 g1)
// with entries up to 2^gcd_batch; one pass then applies it to a, b and, mod n, to u, v. Ends at
// a == 0 with b == gcd(y, n), so v is the inverse when b == 1.
CryptoError mod_inverse_vartime(const MontModulus& m, Limb* out, const Limb* y) {
    const std::size_t k = m.k;
    Limb a[max_limbs], b[max_limbs], u[max_limbs] = {1}, v[max_limbs] = {}, t0[max_limbs], t1[max_limbs];
    copy(a, y, k);
    copy(b, m.n, k);
    Limb one[max_limbs] = {1};
    // Each round shrinks len(a) + len(b) by about gcd_batch bits; the cap only guards a bug.
    for (std::size_t round = 0; !mask_is_zero(a, k); round++) {
        if (round > 4 * m.bits / gcd_batch + 16) return CryptoError::invalid_key;
        const std::size_t la = bit_length_vartime(a, k), lb = bit_length_vartime(b, k);
        const std::size_t len = la > lb ? la : lb;
        Limb as = a[0], bs = b[0];  // exact when both fit in a word
        if (len > limb_bits) {
            as = (a[0] & low_mask) | bits_at(a, k, len - gcd_batch - 2, gcd_batch + 2) << gcd_batch;
            bs = (b[0] & low_mask) | bits_at(b, k, len - gcd_batch - 2, gcd_batch + 2) << gcd_batch;
        }
        SLimb f0 = 1, g0 = 0, f1 = 0, g1 = 1;
        for (unsigned j = 0; j < gcd_batch; j++) {
            if (as & 1) {
                if (as < bs) {
                    Limb ts = as; as = bs; bs = ts;
                    SLimb tf = f0; f0 = f1; f1 = tf;
                    SLimb tg = g0; g0 = g1; g1 = tg;
                }
                as -= bs;
                f0 -= f1;
                g0 -= g1;
            }
            as >>= 1;
            f1 *= 2;
            g1 *= 2;
        }
        if (combine_shift(t0, a, f0, b, g0, k)) { f0 = -f0; g0 = -g0; }
        if (combine_shift(t1, a, f1, b, g1, k)) { f1 = -f1; g1 = -g1; }
        copy(a, t0, k);
        copy(b, t1, k);
        combine_mod(m, t0, u, f0, v, g0);
        combine_mod(m, t1, u, f1, v, g1);
        copy(u, t0, k);
        copy(v, t1, k);
    }
    if (!mask_equal(b, one, k)) return CryptoError::invalid_key;  // gcd(y, n) > 1
    copy(out, v, k);
    return CryptoError::ok;
}

}  // namespace padlock::bn
