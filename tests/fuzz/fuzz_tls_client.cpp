// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness for the TLS 1.3 client state machine (tls/client.cpp, tls/engine.cpp): the
// client sends its ClientHello (deterministic randomness), then the input is fed as the server's
// bytes at every state it reaches, in chunks of a size the second byte sets (the first picks the
// pair of configurations). Properties: see fuzz_tls_engine.hpp.
#include "tests/fuzz/fuzz_tls_engine.hpp"

using namespace padlock;
using namespace padlock::tls;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    padlock::fuzz::engine_setup();
    if (const char* dir = std::getenv("PADLOCK_FUZZ_WRITE_SEEDS")) padlock::fuzz::write_seeds(dir, false);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto memory = std::make_unique<ConnectionMemory<>>();
    Connection conn(*memory);
    std::uint32_t counter = 7;  // as in write_seeds: the same ClientHello every run
    const Config& config = padlock::fuzz::engine_setup().client[padlock::fuzz::pair_of(Bytes(data, size))];
    if (conn.start_client(config, Rng{padlock::fuzz::counter_fill, &counter}) != TlsError::ok)
        std::abort();
    (void)conn.consume_output(conn.pending_output().size());
    padlock::fuzz::feed_checked(conn, Bytes(data, size));
    return 0;
}
