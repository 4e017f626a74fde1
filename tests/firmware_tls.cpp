// SPDX-License-Identifier: Apache-2.0
// A firmware-shaped TLS client floor: the record layer, key schedule and transcript configured with
// TLS_AES_128_GCM_SHA256 only, plus X25519 and ECDSA P-256 verification, linked against libpadlock.a
// with --gc-sections. tests/footprint_tls.sh checks that ChaCha20-Poly1305, SHA-384/512, the other
// suites and RSA did not come along (GUIDE.md "Pay only for what you link").
#include <cstdio>

#include "crypto/ec/ecdsa.hpp"
#include "crypto/ec/x25519.hpp"
#include "tls/config.hpp"

using namespace padlock;
using namespace padlock::tls;

namespace {
const CipherSuite* const enabled[] = {&tls_aes_128_gcm_sha256};
ConnectionMemory<2048> conn;  // record_size_limit 2048 (RFC 8449)
}  // namespace

int main(int argc, char**) {
    Config config;
    config.cipher_suites = enabled;
    config.record_size_limit = 2048;
    // Chosen at run time among the enabled suites, as a negotiation would (so the compiler cannot
    // fold the list away and the check sees exactly what the configuration references).
    const std::uint16_t offered = argc > 5 ? 0x1302 : 0x1301;
    const CipherSuite* chosen = config.cipher_suites[0];
    for (const CipherSuite* s : config.cipher_suites)
        if (s->code == offered) chosen = s;
    const CipherSuite& suite = *chosen;

    std::uint8_t priv[32] = {1}, peer[32] = {9}, shared[32];
    CryptoError e1 = x25519(priv, peer, shared);

    conn.transcript.start(*suite.hash);
    TlsError t1 = conn.transcript.update(Bytes(peer, 32));
    std::uint8_t hash[max_hash_size];
    TlsError t2 = conn.transcript.current(MutBytes(hash, suite.hash->size));
    conn.key_schedule.start(*suite.hash);
    TlsError t3 = conn.key_schedule.derive_early_secret({});
    TlsError t4 = conn.key_schedule.derive_handshake_secret(shared);
    Secret client_hs, server_hs;
    TlsError t5 = conn.key_schedule.derive_client_handshake_traffic_secret(Bytes(hash, suite.hash->size), client_hs);
    TlsError t6 = conn.key_schedule.derive_server_handshake_traffic_secret(Bytes(hash, suite.hash->size), server_hs);

    TlsError t7 = conn.records.set_record_size_limits(config.record_size_limit, config.record_size_limit);
    TlsError t8 = conn.records.write.install(suite, client_hs.view());
    TlsError t9 = conn.records.read.install(suite, client_hs.view());
    std::size_t n = 0;
    TlsError t10 = conn.records.seal(ContentType::handshake, conn.outgoing, 100, 0, n);
    ContentType type;
    MutBytes content;
    TlsError t11 = conn.records.open(MutBytes(conn.outgoing, n), type, content);
    TlsError t12 = conn.records.send_key_update(false, conn.outgoing, n);

    std::uint8_t pub[65] = {4}, digest[32] = {}, sig[64] = {};
    CryptoError e2 = ecdsa_p256_verify_digest_p1363(pub, digest, sig);
    std::printf("%d %d | %d %d %d %d %d %d %d %d %d %d %d %d | %zu\n", int(e1), int(e2), int(t1), int(t2), int(t3),
                int(t4), int(t5), int(t6), int(t7), int(t8), int(t9), int(t10), int(t11), int(t12), sizeof conn);
    return 0;
}
