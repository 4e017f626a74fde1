// SPDX-License-Identifier: Apache-2.0
// Fixed-capacity natural numbers for RSA: schoolbook arithmetic, Montgomery multiplication (CIOS),
// fixed-window modular exponentiation (HAC §14.82) and a variable-time inverse for blinding.
// Unless a function says "vartime", its running time depends only on limb counts, never on values.
#include "crypto/bignum.hpp"

#include "crypto/ct.hpp"

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

// (top : x) is a (k+1)-limb value below 2n; reduces it into x (< n). The subtraction always runs;
// the choice between x and x - n is a mask, so this is constant time.
void reduce_once(const MontModulus& m, Limb* x, Limb top) {
    Limb diff[max_limbs];
    Limb borrow = sub(diff, x, m.n, m.k);
    // x - n underflows only when top == 0 and the k-limb subtraction borrowed.
    Limb keep_x = ct::mask_lt(top, borrow);
    cmov(x, diff, m.k, Limb(~keep_x));
}

// x = 2x mod n, for x < n.
void double_mod(const MontModulus& m, Limb* x) {
    Limb top = x[m.k - 1] >> (limb_bits - 1);
    for (std::size_t i = m.k - 1; i > 0; i--) x[i] = Limb(x[i] << 1 | x[i - 1] >> (limb_bits - 1));
    x[0] = Limb(x[0] << 1);
    reduce_once(m, x, top);
}

// x = x / 2 mod n (n odd): add n first when x is odd so the shift is exact. Constant time.
void halve_mod(const MontModulus& m, Limb* x) {
    Limb odd = Limb(0) - (x[0] & 1);
    Limb addend[max_limbs];
    for (std::size_t i = 0; i < m.k; i++) addend[i] = m.n[i] & odd;
    Limb top = add(x, x, addend, m.k);
    for (std::size_t i = 0; i + 1 < m.k; i++) x[i] = Limb(x[i] >> 1 | x[i + 1] << (limb_bits - 1));
    x[m.k - 1] = Limb(x[m.k - 1] >> 1 | top << (limb_bits - 1));
}

}  // namespace

// --- Conversions -------------------------------------------------------------------------------

Error from_bytes(Limb* out, std::size_t k, Bytes in) {
    zero(out, k);
    std::uint8_t overflow = 0;
    // Byte i counts from the least significant end.
    for (std::size_t i = 0; i < in.size(); i++) {
        std::uint8_t byte = in[in.size() - 1 - i];
        std::size_t limb = i / limb_bytes;
        if (limb < k)
            out[limb] |= Limb(byte) << (8 * (i % limb_bytes));
        else
            overflow |= byte;
    }
    return overflow == 0 ? Error::ok : Error::bad_input_length;
}

Error to_bytes(MutBytes out, const Limb* a, std::size_t k) {
    std::size_t n = out.size();
    Limb overflow = 0;
    for (std::size_t i = 0; i < n; i++) {
        std::size_t limb = i / limb_bytes;
        out[n - 1 - i] = limb < k ? std::uint8_t(a[limb] >> (8 * (i % limb_bytes))) : 0;
    }
    for (std::size_t i = n; i < k * limb_bytes; i++) overflow |= (a[i / limb_bytes] >> (8 * (i % limb_bytes))) & 0xff;
    return overflow == 0 ? Error::ok : Error::buffer_too_small;
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
    mask = ct::barrier(mask);
    for (std::size_t i = 0; i < k; i++) dst[i] = ct::select(mask, src[i], dst[i]);
}

// --- Montgomery arithmetic ---------------------------------------------------------------------

Error mont_init(MontModulus& m, const Limb* n, std::size_t k) {
    if (k == 0 || k > max_limbs) return Error::unsupported_key_size;
    if ((n[0] & 1) == 0) return Error::invalid_key;
    m = MontModulus{};
    copy(m.n, n, k);
    m.k = k;
    m.bits = bit_length_vartime(n, k);
    if (m.bits < 2) return Error::invalid_key;

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
    for (std::size_t bits = 1; bits < limb_bits; bits *= 2) mont_mul(m, x, x, x);
    copy(m.rr, x, k);
    return Error::ok;
}

// CIOS: interleaves one row of a*b with one step of the reduction, so the accumulator t needs only
// k+2 limbs. Invariant: t < 2n after every row (for b < n), hence a single final subtraction.
// The two inner loops are kept apart: each is a plain multiply-accumulate that compilers keep in
// registers (a fused loop spills on x86-64 and runs at half the speed).
void mont_mul(const MontModulus& m, Limb* out, const Limb* a, const Limb* b) {
    const std::size_t k = m.k;
    const Limb* n = m.n;
    Limb t[max_limbs + 2];
    zero(t, k + 2);
    for (std::size_t i = 0; i < k; i++) {
        // t += a[i] * b
        const Limb ai = a[i];
        Limb carry = 0;
        for (std::size_t j = 0; j < k; j++) {
            DLimb x = DLimb(ai) * b[j] + t[j] + carry;
            t[j] = lo(x);
            carry = hi(x);
        }
        DLimb s = DLimb(t[k]) + carry;
        t[k] = lo(s);
        t[k + 1] = hi(s);
        // t = (t + q*n) / 2^limb_bits, with q chosen so that the division is exact.
        const Limb q = Limb(t[0] * m.n0inv);
        DLimb x = DLimb(q) * n[0] + t[0];
        carry = hi(x);
        for (std::size_t j = 1; j < k; j++) {
            x = DLimb(q) * n[j] + t[j] + carry;
            t[j - 1] = lo(x);
            carry = hi(x);
        }
        s = DLimb(t[k]) + carry;
        t[k - 1] = lo(s);
        t[k] = t[k + 1] + hi(s);
    }
    reduce_once(m, t, t[k]);
    copy(out, t, k);
}

// REDC (HAC Algorithm 14.32) on a 2k-limb t. The carry out of row i lands in limb i+k+1, which row
// i+1 adds in (`top`), so no carry chain runs to the end and the time is fixed.
void mont_reduce(const MontModulus& m, Limb* out, Limb* t) {
    const std::size_t k = m.k;
    Limb top = 0;
    for (std::size_t i = 0; i < k; i++) {
        const Limb q = Limb(t[i] * m.n0inv);
        Limb carry = 0;
        for (std::size_t j = 0; j < k; j++) {
            DLimb p = DLimb(q) * m.n[j] + t[i + j] + carry;
            t[i + j] = lo(p);
            carry = hi(p);
        }
        DLimb s = DLimb(t[i + k]) + carry + top;
        t[i + k] = lo(s);
        top = hi(s);
    }
    reduce_once(m, t + k, top);
    copy(out, t + k, k);
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

// HAC Algorithm 14.82 with a 4-bit window, constant time: the table lookup is a masked scan.
void mod_exp(const MontModulus& m, Limb* out, const Limb* base, const Limb* exp, std::size_t exp_k) {
    constexpr std::size_t window = 4, entries = 1 << window;
    const std::size_t k = m.k;
    Limb table[entries * max_limbs];  // table[i] = base^i * R mod n, stride k
    Limb acc[max_limbs], pick[max_limbs];

    copy(table, m.one, k);
    mont_enter(m, table + k, base);
    for (std::size_t i = 2; i < entries; i++) mont_mul(m, table + i * k, table + (i - 1) * k, table + k);

    // Reads every entry and keeps entry `index` by mask, so the memory trace is independent of it.
    auto select = [&](Limb* dst, Limb index) {
        zero(dst, k);
        for (std::size_t i = 0; i < entries; i++) {
            Limb hit = ct::mask_eq(Limb(i), index);
            for (std::size_t j = 0; j < k; j++) dst[j] |= table[i * k + j] & hit;
        }
    };
    auto window_at = [&](std::size_t w) {  // bits [4w, 4w+4) of exp; limb_bits is a multiple of 4
        std::size_t bit = w * window;
        return Limb(exp[bit / limb_bits] >> (bit % limb_bits)) & Limb(entries - 1);
    };

    const std::size_t windows = exp_k * limb_bits / window;
    select(acc, window_at(windows - 1));
    for (std::size_t w = windows - 1; w-- > 0;) {
        for (std::size_t s = 0; s < window; s++) mont_mul(m, acc, acc, acc);
        select(pick, window_at(w));
        mont_mul(m, acc, acc, pick);
    }
    mont_leave(m, out, acc);
    secure_zero(table, entries * k * sizeof(Limb));
    secure_zero(acc, sizeof acc);
    secure_zero(pick, sizeof pick);
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
    copy(acc, x, m.k);
    for (std::size_t i = bits - 1; i-- > 0;) {
        mont_mul(m, acc, acc, acc);
        if ((exp[i / limb_bits] >> (i % limb_bits)) & 1) mont_mul(m, acc, acc, x);
    }
    mont_leave(m, out, acc);
}

// Invariants: x1 * a == u and x2 * a == v (mod n), starting from u = a, v = n. Halving u (or v)
// halves x1 (or x2) mod n; subtracting the smaller of u, v from the larger keeps both. The loop
// ends when u or v reaches 1 (then its x is the inverse), or 0 (gcd(a, n) > 1).
Error mod_inverse_vartime(const MontModulus& m, Limb* out, const Limb* a) {
    const std::size_t k = m.k;
    Limb u[max_limbs], v[max_limbs], x1[max_limbs] = {1}, x2[max_limbs] = {};
    copy(u, a, k);
    copy(v, m.n, k);
    Limb one[max_limbs] = {1};
    auto shift_right = [k](Limb* w) {
        for (std::size_t i = 0; i + 1 < k; i++) w[i] = Limb(w[i] >> 1 | w[i + 1] << (limb_bits - 1));
        w[k - 1] >>= 1;
    };
    for (;;) {
        if (mask_is_zero(u, k) || mask_is_zero(v, k)) return Error::invalid_key;
        while ((u[0] & 1) == 0) { shift_right(u); halve_mod(m, x1); }
        while ((v[0] & 1) == 0) { shift_right(v); halve_mod(m, x2); }
        if (mask_equal(u, one, k)) { copy(out, x1, k); return Error::ok; }
        if (mask_equal(v, one, k)) { copy(out, x2, k); return Error::ok; }
        if (!mask_less(u, v, k)) {
            (void)sub(u, u, v, k);
            mod_sub(m, x1, x1, x2);
        } else {
            (void)sub(v, v, u, k);
            mod_sub(m, x2, x2, x1);
        }
    }
}

}  // namespace padlock::bn
