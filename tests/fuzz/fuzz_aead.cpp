// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness for AEAD open (crypto/symmetric/aead.hpp over AES-GCM and ChaCha20-Poly1305, and
// crypto/symmetric/gcm.hpp directly for AES-192 and IVs that are not 12 bytes). Two modes:
//   tampered:  seal a fuzzer-chosen plaintext under a fuzzer-chosen key, nonce and AAD, then let
//              the fuzzer flip bits in ciphertext || tag || AAD || nonce and cut bytes off the
//              end. Open must succeed with the original plaintext exactly when nothing changed;
//              any other accept is a forgery, and a refused open must leave its output all zero
//              (RFC 5116 §2.2: no plaintext on failure).
//   any input: open any ciphertext and tag; a refusal zeroes the output, an accept re-seals to the
//              same bytes.
// Open runs both out of place and in place.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "crypto/symmetric/aead.hpp"
#include "crypto/symmetric/gcm.hpp"
#include "tests/fuzz/fuzz.hpp"

using padlock::Bytes;
using padlock::CryptoError;
using padlock::MutBytes;
using padlock::fuzz::equal;
using Vec = std::vector<std::uint8_t>;

namespace {

// One keyed AEAD behind seal(nonce, aad, pt) -> ct||tag and open(nonce, aad, sealed, out).
struct Subject {
    bool use_gcm = false;  // AesGcm directly (any IV length, 24-byte keys) instead of Aead
    padlock::Aead aead;
    padlock::AesGcm gcm;

    bool init(std::uint8_t alg, Bytes key_material) {
        if (alg < 3) {
            const auto a = padlock::AeadAlg(alg);
            return aead.init(a, key_material.first(padlock::aead_key_size(a))) == CryptoError::ok;
        }
        use_gcm = true;
        const std::size_t sizes[] = {16, 24, 32};
        return gcm.init(key_material.first(sizes[alg % 3])) == CryptoError::ok;
    }
    std::size_t nonce_size(std::size_t wanted) const {
        return use_gcm ? 1 + wanted % 32 : padlock::aead_nonce_size;
    }
    CryptoError seal(Bytes nonce, Bytes aad, Bytes pt, MutBytes out) const {
        if (!use_gcm) return aead.seal(nonce.first<padlock::aead_nonce_size>(), aad, pt, out);
        return gcm.seal(nonce, aad, pt, out.first(pt.size()), out.subspan(pt.size()).first<16>());
    }
    CryptoError open(Bytes nonce, Bytes aad, Bytes sealed, MutBytes out) const {
        if (!use_gcm) {
            if (nonce.size() != padlock::aead_nonce_size) return CryptoError::bad_nonce_length;
            return aead.open(nonce.first<padlock::aead_nonce_size>(), aad, sealed, out);
        }
        if (sealed.size() < 16) return CryptoError::bad_tag_length;
        const std::size_t n = sealed.size() - 16;
        return gcm.open(nonce, aad, sealed.first(n), sealed.subspan(n), out.first(n));
    }
};

bool all_zero(Bytes b) {
    return std::all_of(b.begin(), b.end(), [](std::uint8_t x) { return x == 0; });
}

// Opens out of place and in place; both must agree. Returns the verdict and the plaintext.
CryptoError open_both(const Subject& s, Bytes nonce, Bytes aad, Bytes sealed, Vec& plaintext) {
    const std::size_t n = sealed.size() >= 16 ? sealed.size() - 16 : 0;
    plaintext.assign(n, 0xA5);
    const CryptoError e = s.open(nonce, aad, sealed, plaintext);
    Vec in_place(sealed.begin(), sealed.end());
    const CryptoError e2 = s.open(nonce, aad, in_place, MutBytes(in_place).first(n));
    FUZZ_CHECK(e == e2);
    if (e == CryptoError::ok) {
        FUZZ_CHECK(equal(Bytes(in_place.data(), n), plaintext));
    } else if (sealed.size() >= 16) {
        FUZZ_CHECK(e == CryptoError::auth_failed);
        FUZZ_CHECK(all_zero(plaintext));
        FUZZ_CHECK(all_zero(Bytes(in_place.data(), n)));
    }
    return e;
}

void tampered(padlock::fuzz::Input& in, const Subject& s) {
    const auto nonce_material = in.fixed<32>();
    const Bytes nonce_orig(nonce_material.data(), s.nonce_size(in.byte()));
    const Bytes aad_orig = in.field(), pt = in.field();
    Vec sealed_orig(pt.size() + 16);
    FUZZ_CHECK(s.seal(nonce_orig, aad_orig, pt, sealed_orig) == CryptoError::ok);
    Vec opened;
    FUZZ_CHECK(open_both(s, nonce_orig, aad_orig, sealed_orig, opened) == CryptoError::ok);
    FUZZ_CHECK(equal(opened, pt));

    // ciphertext || tag || AAD || nonce, flipped under the fuzzer's control.
    Vec area = sealed_orig;
    area.insert(area.end(), aad_orig.begin(), aad_orig.end());
    area.insert(area.end(), nonce_orig.begin(), nonce_orig.end());
    const Vec original = area;
    const std::size_t cut = std::min<std::size_t>(in.byte() % 20, sealed_orig.size());
    while (in.rest().size() >= 3) {
        std::size_t at = std::size_t(in.byte()) << 8;
        at = (at | in.byte()) % area.size();
        area[at] ^= in.byte();
    }
    const std::size_t ct_len = sealed_orig.size();
    const Bytes sealed(area.data(), ct_len - cut), aad(area.data() + ct_len, aad_orig.size()),
        nonce(area.data() + ct_len + aad_orig.size(), nonce_orig.size());
    const CryptoError e = open_both(s, nonce, aad, sealed, opened);
    if (cut == 0 && area == original) {
        FUZZ_CHECK(e == CryptoError::ok && equal(opened, pt));
    } else {
        FUZZ_CHECK(e != CryptoError::ok);  // a modified input that opens is a forgery
    }
}

void any_input(padlock::fuzz::Input& in, const Subject& s) {
    const auto nonce_material = in.fixed<32>();
    const Bytes nonce(nonce_material.data(), s.nonce_size(in.byte()));
    const Bytes aad = in.field(), sealed = in.rest();
    Vec opened;
    const CryptoError e = open_both(s, nonce, aad, sealed, opened);
    if (sealed.size() < 16) FUZZ_CHECK(e == CryptoError::bad_tag_length);
    if (e != CryptoError::ok) return;
    Vec again(sealed.size());
    FUZZ_CHECK(s.seal(nonce, aad, opened, again) == CryptoError::ok);
    FUZZ_CHECK(equal(again, sealed));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    padlock::fuzz::Input in(data, size);
    const std::uint8_t mode = in.byte();
    const auto key = in.fixed<32>();
    Subject s;
    FUZZ_CHECK(s.init(std::uint8_t((mode >> 1) % 6), key));
    if (mode & 1) tampered(in, s);
    else any_input(in, s);
    return 0;
}
