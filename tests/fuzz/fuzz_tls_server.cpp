// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness for the TLS 1.3 server state machine (tls/server.cpp, tls/engine.cpp): the input
// is fed as the client's bytes (ClientHello, then the second flight) at every state the server
// reaches, in chunks of a size the second byte sets (the first picks the pair of configurations:
// stateless and secp384r1 among them); the server's randomness is deterministic so a recorded
// client flight stays valid. Properties: see fuzz_tls_engine.hpp.
#include "tests/fuzz/fuzz_tls_engine.hpp"

using namespace padlock;
using namespace padlock::tls;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    padlock::fuzz::engine_setup();
    if (const char* dir = std::getenv("PADLOCK_FUZZ_WRITE_SEEDS")) padlock::fuzz::write_seeds(dir, true);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto memory = std::make_unique<ConnectionMemory<>>();
    Connection conn(*memory);
    std::uint32_t counter = 9;  // as in write_seeds
    const Config& config = padlock::fuzz::engine_setup().server[padlock::fuzz::pair_of(Bytes(data, size))];
    if (conn.start_server(config, Rng{padlock::fuzz::counter_fill, &counter}) != TlsError::ok)
        std::abort();
    padlock::fuzz::feed_checked(conn, Bytes(data, size));
    return 0;
}
