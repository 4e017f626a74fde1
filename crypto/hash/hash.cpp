// SPDX-License-Identifier: Apache-2.0
// AnyHash: one of the FIPS 180-4 hashes chosen at run time, as a tagged union of their states.
// Dispatch is on the algorithm (public), never on data; timing is that of the chosen hash.
#include "crypto/hash/hash.hpp"

#include <algorithm>

#include "crypto/ct.hpp"

namespace padlock {

AnyHash::AnyHash(HashAlg alg) : alg_(alg) { init(); }

AnyHash::~AnyHash() { secure_zero(s_); }

void AnyHash::init() {
    switch (alg_) {
    case HashAlg::sha1: detail::sha1_init(s_.sha1); break;
    case HashAlg::sha224: detail::sha224_init(s_.sha256); break;
    case HashAlg::sha256: detail::sha256_init(s_.sha256); break;
    case HashAlg::sha384: detail::sha384_init(s_.sha512); break;
    case HashAlg::sha512: detail::sha512_init(s_.sha512); break;
    }
}

void AnyHash::update(Bytes data) {
    switch (alg_) {
    case HashAlg::sha1: detail::sha1_update(s_.sha1, data); break;
    case HashAlg::sha224:
    case HashAlg::sha256: detail::sha256_update(s_.sha256, data); break;
    case HashAlg::sha384:
    case HashAlg::sha512: detail::sha512_update(s_.sha512, data); break;
    }
}

CryptoError AnyHash::final(MutBytes out) {
    // A digest is never truncated or padded silently: a wrong size is the caller's bug.
    if (out.size() != size()) return CryptoError::bad_output_length;
    const std::size_t n = out.size();
    switch (alg_) {
    case HashAlg::sha1: detail::sha1_finish(s_.sha1, out.data(), n); break;
    case HashAlg::sha224:
    case HashAlg::sha256: detail::sha256_finish(s_.sha256, out.data(), n); break;
    case HashAlg::sha384:
    case HashAlg::sha512: detail::sha512_finish(s_.sha512, out.data(), n); break;
    }
    init();
    return CryptoError::ok;
}

CryptoError hash(HashAlg alg, Bytes data, MutBytes out) {
    if (out.size() != hash_size(alg)) return CryptoError::bad_output_length;
    AnyHash ctx(alg);
    ctx.update(data);
    return ctx.final(out);
}

}  // namespace padlock
