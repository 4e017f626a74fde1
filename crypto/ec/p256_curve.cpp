// SPDX-License-Identifier: Apache-2.0
// NIST P-256 group arithmetic (FIPS 186-5; curve constants from SP 800-186 §3.2.1.3): the generic
// code of ec_curve.hpp instantiated for P-256, and the fixed-base comb for k·G with its table
// computed at compile time (in x86 builds also the wider table of the bmi2 backend's k·G and
// u1·G, p256_x86.cpp).
#include "crypto/ec/detail/p256_curve.hpp"

#include "crypto/cpu.hpp"
#include "crypto/ct.hpp"

namespace padlock::p256 {
namespace {

using K = ec::Consts<Curve>;
using Affine = ec::Affine<Curve>;

// ---------------------------------------------------------------------------------------------
// Fixed-base table for k·G. With k = sum d_i 16^i and i = 4c + e (c = 0..16, e = 0..3):
//   k·G = sum_e 16^e · sum_c d_{4c+e} · (2^(16c) G),
// so a table of j·2^(16c)·G (j = 1..8) turns k·G into 65 mixed additions and 12 doublings.
// 17 x 8 affine points = 8.5 KiB, computed by the compiler into constant data (flash on a
// microcontroller): no RAM, nothing to build at run time.

struct BaseTable {
    Affine entry[17][8];
};

// The multiples in projective form first, then all of them made affine with one inversion
// (Montgomery's trick: with prefix products z_0···z_k, 1/z_k = (z_0···z_k)^-1 · z_0···z_(k-1)), which
// keeps the compile-time evaluation within the compilers' default step limits.
constexpr BaseTable make_base_table() {
    constexpr int count = 17 * 8;
    Point multiples[count] = {};
    Point column = Point{K::gx, K::gy, K::one};  // 2^(16c)·G
    for (int c = 0; c < 17; c++) {
        Point multiple = column;
        for (int j = 0; j < 8; j++) {
            if (j == 1) multiple = point_double(column);
            if (j > 1) multiple = point_add(multiple, column);
            multiples[8 * c + j] = multiple;  // never infinity: the odd prime n does not divide j·2^(16c)
        }
        for (int k = 0; k < 16; k++) column = point_double(column);
    }
    Fe prefix[count] = {};
    prefix[0] = multiples[0].z;
    for (int k = 1; k < count; k++) prefix[k] = fe_mul(prefix[k - 1], multiples[k].z);
    Fe inverse = fe_inv(prefix[count - 1]);  // (z_0···z_k)^-1, for k from the last one down
    BaseTable table{};
    for (int k = count - 1; k >= 0; k--) {
        const Fe z_inv = k == 0 ? inverse : fe_mul(inverse, prefix[k - 1]);
        inverse = fe_mul(inverse, multiples[k].z);
        table.entry[k / 8][k % 8] = Affine{fe_mul(multiples[k].x, z_inv), fe_mul(multiples[k].y, z_inv)};
    }
    return table;
}

constexpr BaseTable base_table = make_base_table();

#if PADLOCK_P256_X86
// The bmi2 backend's wider table (p256_x86::point_mul_base_wide): j·32^i·G for i = 0..51 and
// j = 1..16, 52 x 16 affine points = 52 KiB of constant data, in x86 builds only (the firmware
// keeps the table above). With k = sum d_i 32^i (signed 5-bit digits) k·G takes 52 mixed
// additions and no doubling. Computed as BaseTable, 16 multiples per window.
struct WideTable {
    Affine entry[52][16];
};

constexpr WideTable make_wide_table() {
    constexpr int count = 52 * 16;
    Point multiples[count] = {};
    Point base = Point{K::gx, K::gy, K::one};  // 32^i·G
    for (int i = 0; i < 52; i++) {
        Point multiple = base;
        for (int j = 0; j < 16; j++) {
            if (j == 1) multiple = point_double(base);
            if (j > 1) multiple = point_add(multiple, base);
            multiples[16 * i + j] = multiple;  // never infinity: n does not divide j·32^i
        }
        base = point_double(multiple);  // 32·32^i·G = 2·(16·32^i·G)
    }
    Fe prefix[count] = {};
    prefix[0] = multiples[0].z;
    for (int k = 1; k < count; k++) prefix[k] = fe_mul(prefix[k - 1], multiples[k].z);
    Fe inverse = fe_inv(prefix[count - 1]);
    WideTable table{};
    for (int k = count - 1; k >= 0; k--) {
        const Fe z_inv = k == 0 ? inverse : fe_mul(inverse, prefix[k - 1]);
        inverse = fe_mul(inverse, multiples[k].z);
        table.entry[k / 16][k % 16] = Affine{fe_mul(multiples[k].x, z_inv), fe_mul(multiples[k].y, z_inv)};
    }
    return table;
}

constexpr WideTable wide_table = make_wide_table();
static_assert(sizeof(WideTable) == 52 * 16 * 8 * sizeof(std::uint64_t));

// k = sum d_i 32^i with d_i in [-16, 15] for i < 51 and d_51 in [0, 2] (bit 255 and the carry),
// branch-free in k (the limb boundaries depend only on i).
void recode_signed5(std::int8_t digits[52], const Scalar& k) {
    unsigned carry = 0;
    for (int i = 0; i < 52; i++) {
        const int pos = 5 * i, limb = pos / 64, shift = pos % 64;
        Limb w = k.v[limb] >> shift;
        if (shift > 59 && limb + 1 < limbs) w |= k.v[limb + 1] << (64 - shift);
        unsigned d = unsigned(w & 31) + carry;  // 0..32
        carry = (d + 16) >> 5;                  // 1 iff d >= 16
        digits[i] = std::int8_t(int(d) - int(carry << 5));
    }
}
#endif

}  // namespace

// ---------------------------------------------------------------------------------------------
// The one dispatch point (crypto/cpu.hpp): each call below that multiplies runs either the portable
// instantiation (Curve) or, where the CPU has BMI2, the MULX one (CurveX86, or p256_x86.cpp's
// scalar multiplications directly). Both use the same representation, so the values cross over by
// copying limbs. Checks the features on each call.

namespace {

#if PADLOCK_P256_X86
bool use_x86() { return cpu::has(cpu::bmi2); }

template <class To, class From>
ec::Fe<To> same(const ec::Fe<From>& a) {
    ec::Fe<To> r;
    for (int i = 0; i < limbs; i++) r.v[i] = a.v[i];
    return r;
}
template <class To, class From>
ec::Scalar<To> same(const ec::Scalar<From>& a) {
    ec::Scalar<To> r;
    for (int i = 0; i < limbs; i++) r.v[i] = a.v[i];
    return r;
}
template <class To, class From>
ec::Point<To> same(const ec::Point<From>& a) {
    return ec::Point<To>{same<To>(a.x), same<To>(a.y), same<To>(a.z)};
}

// ec::Point as the 12 limbs X, Y, Z of p256_x86's interface, and back.
template <class C>
void point_limbs(std::uint64_t out[12], const ec::Point<C>& a) {
    for (int i = 0; i < 4; i++) out[i] = a.x.v[i], out[4 + i] = a.y.v[i], out[8 + i] = a.z.v[i];
}
template <class C>
void limbs_point(ec::Point<C>& r, const std::uint64_t in[12]) {
    for (int i = 0; i < 4; i++) r.x.v[i] = in[i], r.y.v[i] = in[4 + i], r.z.v[i] = in[8 + i];
}

static_assert(ec::fe_equal(K::one, Fe{{p256_x86::one_mont[0], p256_x86::one_mont[1], p256_x86::one_mont[2],
                                       p256_x86::one_mont[3]}}));
#endif

}  // namespace

const char* backend_name() {
#if PADLOCK_P256_X86
    if (use_x86()) return "bmi2";
#endif
    return "portable";
}

// ---------------------------------------------------------------------------------------------
// Scalars

bool scalar_from_bytes(Scalar& out, std::span<const std::uint8_t, 32> in) { return ec::scalar_from_bytes(out, in.data()); }
void scalar_from_bytes_reduced(Scalar& out, std::span<const std::uint8_t, 32> in) {
    ec::scalar_from_bytes_reduced(out, in.data());
}
void scalar_to_bytes(std::span<std::uint8_t, 32> out, const Scalar& a) { ec::scalar_to_bytes(out.data(), a); }
void scalar_add(Scalar& r, const Scalar& a, const Scalar& b) { ec::scalar_add(r, a, b); }
void scalar_mul(Scalar& r, const Scalar& a, const Scalar& b) {
#if PADLOCK_P256_X86
    if (use_x86()) {
        ec::Scalar<CurveX86> t;
        ec::scalar_mul(t, same<CurveX86>(a), same<CurveX86>(b));
        r = same<Curve>(t);
        secure_zero(t);
        return;
    }
#endif
    ec::scalar_mul(r, a, b);
}
void scalar_inv(Scalar& r, const Scalar& a) {
#if PADLOCK_P256_X86
    if (use_x86()) {
        ec::Scalar<CurveX86> in = same<CurveX86>(a), t;
        ec::scalar_inv(t, in);
        r = same<Curve>(t);
        secure_zero(in);  // a nonce
        secure_zero(t);
        return;
    }
#endif
    ec::scalar_inv(r, a);
}
bool scalar_is_zero(const Scalar& a) { return ec::scalar_is_zero(a); }
bool scalar_equal(const Scalar& a, const Scalar& b) { return ec::scalar_equal(a, b); }

// ---------------------------------------------------------------------------------------------
// Points

CryptoError point_decode(Point& out, Bytes in) { return ec::point_decode(out, in); }
bool point_encode(std::span<std::uint8_t, 65> out, const Point& p) {
#if PADLOCK_P256_X86
    if (use_x86()) return ec::point_encode(out.data(), same<CurveX86>(p));
#endif
    return ec::point_encode(out.data(), p);
}
bool point_encode_compressed(std::span<std::uint8_t, 33> out, const Point& p) {
#if PADLOCK_P256_X86
    if (use_x86()) return ec::point_encode_compressed(out.data(), same<CurveX86>(p));
#endif
    return ec::point_encode_compressed(out.data(), p);
}
bool point_x_bytes(std::span<std::uint8_t, 32> out, const Point& p) {
#if PADLOCK_P256_X86
    if (use_x86()) {
        ec::Point<CurveX86> q = same<CurveX86>(p);
        bool finite = ec::point_x_bytes(out.data(), q);
        secure_zero(q);  // the ECDH shared point
        return finite;
    }
#endif
    return ec::point_x_bytes(out.data(), p);
}
void point_mul(Point& r, const Point& p, const Scalar& k) {
#if PADLOCK_P256_X86
    if (use_x86()) {
        std::int8_t digits[65];
        ec::recode_signed4(digits, k);
        std::uint64_t in[12], out[12];
        point_limbs(in, p);
        p256_x86::point_mul(out, in, digits);
        limbs_point(r, out);
        secure_zero(digits);
        secure_zero(in);  // the peer's point: public, but it shares the frame
        secure_zero(out);
        return;
    }
#endif
    ec::point_mul(r, p, k);
}
void point_mul2(Point& r, const Scalar& u1, const Scalar& u2, const Point& q) {
#if PADLOCK_P256_X86
    if (use_x86()) {
        ec::Point<CurveX86> rr;
        CurveX86::point_mul2(rr, same<CurveX86>(u1), same<CurveX86>(u2), same<CurveX86>(q));
        r = same<Curve>(rr);
        return;
    }
#endif
    ec::point_mul2(r, u1, u2, q);
}

#if PADLOCK_P256_X86
void CurveX86::point_mul2(ec::Point<CurveX86>& r, const ec::Scalar<CurveX86>& u1, const ec::Scalar<CurveX86>& u2,
                          const ec::Point<CurveX86>& q) {
    std::int8_t g_digits[52];
    recode_signed5(g_digits, same<Curve>(u1));
    std::uint16_t q_digits[ec::wnaf_max_digits<CurveX86>];
    const int q_count = ec::recode_wnaf5(q_digits, u2);
    std::uint64_t qq[12], out[12];
    point_limbs(qq, q);
    p256_x86::point_mul2(out, g_digits, q_digits, q_count, qq, &wide_table.entry[0][0].x.v[0]);
    limbs_point(r, out);
}
#endif

CryptoError ecdsa_verify_digest(Bytes pub, Bytes digest, Bytes r, Bytes s) {
#if PADLOCK_P256_X86
    if (use_x86()) return ec::ecdsa_verify_digest<CurveX86>(pub, digest, r, s);
#endif
    return ec::ecdsa_verify_digest<Curve>(pub, digest, r, s);
}

namespace {
// The fixed-base comb described at BaseTable, starting from the given representation of infinity,
// in the instantiation C (Curve or CurveX86; the table is Curve's, in the same representation).
template <class C>
void point_mul_base_from(ec::Point<C>& r, const ec::Scalar<C>& k, const ec::Point<C>& start) {
    const BaseTable& table = base_table;
    std::int8_t digits[65];
    recode_signed4(digits, k);
    ec::Point<C> acc = start;
    ec::Affine<C> q;   // the chosen table entry and the sum reveal the digit: wiped below
    ec::Point<C> sum;
    for (int e = 3; e >= 0; e--) {
        if (e != 3) {
            // The four doublings in Jacobian coordinates (half the cost of the complete formula).
            // Infinity, (0 : λ : 0), comes back as (0 : 0 : 0), which the complete addition would
            // not leave: it is replaced by `start` again, with a mask.
            ec::Jacobian<C> twice = ec::to_jacobian(acc);
            for (int s = 0; s < 4; s++) ec::jacobian_double(twice, twice);
            acc = ec::from_jacobian(twice);
            point_cmov(acc, start, ec::fe_zero_mask(acc.z));
            secure_zero(twice);
        }
        for (int c = 0; c < 17; c++) {
            int i = 4 * c + e;
            if (i > 64) break;  // public: depends only on the loop position
            Limb zero_digit = lookup_affine(q, table.entry[c], digits[i]);
            sum = point_add_affine(acc, q);
            point_cmov(acc, sum, ~zero_digit);
        }
    }
    r = acc;
    secure_zero(acc);
    secure_zero(q);
    secure_zero(sum);
    secure_zero(digits);
}

void point_mul_base_start(Point& r, const Scalar& k, const Point& start) {
#if PADLOCK_P256_X86
    if (use_x86()) {
        // The comb takes an odd scalar: k if k is odd, else n - k (odd, as n is), with
        // k·G = -((n - k)·G). (k = 0 and k >= n, private keys that are refused anyway, give
        // some point.)
        const Limb flip = Limb(0) - ((k.v[0] & 1) ^ 1);
        Scalar odd, negated;
        ec::sub_limbs<limbs>(negated.v, K::N.m, k.v);
        ec::select_limbs<limbs>(odd.v, flip, negated.v, k.v);
        std::int8_t digits[52];
        recode_signed5(digits, odd);
        std::uint64_t from[12], out[12];
        point_limbs(from, start);
        p256_x86::point_mul_base_wide(out, digits, from, &wide_table.entry[0][0].x.v[0]);
        limbs_point(r, out);
        fe_cmov(r.y, ec::fe_neg(r.y), flip);
        secure_zero(odd);
        secure_zero(negated);
        secure_zero(digits);
        secure_zero(from);  // the blinding
        secure_zero(out);
        return;
    }
#endif
    point_mul_base_from(r, k, start);
}
}  // namespace

void point_mul_base(Point& r, const Scalar& k) { point_mul_base_start(r, k, ec::infinity<Curve>()); }

void point_mul_base(Point& r, const Scalar& k, std::span<const std::uint8_t, 32> blinding) {
    // λ = the random value if it is in [1, p-1] (all but about 2^-32 of the time), else 1.
    Fe lambda;
    Limb usable = Limb(0) - Limb(fe_from_bytes(lambda, blinding.data()));
    Limb any = 0;
    for (int i = 0; i < limbs; i++) any |= lambda.v[i];
    usable &= ct::mask_nonzero(any);
    Fe chosen = K::one;
    fe_cmov(chosen, lambda, usable);
    point_mul_base_start(r, k, Point{Fe{}, chosen, Fe{}});
    secure_zero(lambda);
    secure_zero(chosen);
}

}  // namespace padlock::p256
