// SPDX-License-Identifier: Apache-2.0
// A firmware-shaped TLS 1.3 client, linked against libpadlock.a with --gc-sections: the engine's
// client role (tls/client.cpp) configured with TLS_AES_128_GCM_SHA256, x25519 and ECDSA P-256 only,
// in a ConnectionMemory<2048, 4096> (record_size_limit 2048, RFC 8449). It starts a handshake and
// feeds the engine whatever bytes come on stdin, so the compiler cannot fold anything away.
// tests/footprint_tls.sh checks that ChaCha20-Poly1305, SHA-384/512, the other suites, the other
// key-share group, RSA and the server role did not come along (GUIDE.md "Pay only for what you link").
#include <cstdio>

#include "crypto/rng.hpp"
#include "tls/engine.hpp"

using namespace padlock;
using namespace padlock::tls;

namespace {
const CipherSuite* const suites[] = {&tls_aes_128_gcm_sha256};
const KeyShareGroup* const groups[] = {&x25519_group};
const std::uint16_t schemes[] = {scheme::ecdsa_secp256r1_sha256};
ConnectionMemory<2048, 4096> memory;
x509::Certificate anchor[1];
}  // namespace

int main(int argc, char** argv) {
    Config config;
    config.cipher_suites = suites;
    config.groups = groups;
    config.signature_schemes = schemes;
    config.record_size_limit = 2048;
    config.server_name = argc > 1 ? argv[1] : "device.example";
    config.trust_anchors = anchor;
    config.signature_verifier = asn1::verify_signature_ecdsa_p256_sha256_only;  // no RSA, P-384, SHA-384/512
    config.time = argc;
    Connection conn(memory);
    TlsError err = conn.start_client(config, system_rng());
    std::uint8_t in[512];
    std::size_t n = 0;
    while (err == TlsError::ok && (n = std::fread(in, 1, sizeof in, stdin)) > 0) {
        for (std::size_t at = 0; at < n && err == TlsError::ok;) {
            std::size_t used = 0;
            Event event = Event::none;
            err = conn.feed(Bytes(in + at, n - at), used, event);
            at += used;
            if (event == Event::application_data) std::fwrite(conn.application_data().data(), 1, conn.application_data().size(), stdout);
            if (used == 0) break;
        }
        const Bytes out = conn.pending_output();
        if (!out.empty()) (void)conn.consume_output(out.size());
    }
    std::printf("%s %s %zu\n", error_name(err), state_name(conn.state()), sizeof memory);
    return 0;
}
