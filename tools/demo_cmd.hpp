// SPDX-License-Identifier: Apache-2.0
// `padlock demo`: a TLS 1.3 handshake narrated for a newcomer. With no files and no network it makes
// a throw-away PKI with padlock's own code (x509/demo_pki), runs a client and a server in this
// process over memory (tls/engine), and tells each step: the messages and their fields, the key
// shares, the shared secret and every derived secret (demo only), the certificate checks, data,
// a key update and the close; then what three failures look like.
#pragma once

#include <CLI/CLI.hpp>

namespace padlock::tools {

// Adds the `demo` subcommand. It runs from its CLI11 callback; a failure of the demo itself (not of
// the handshakes it shows failing on purpose) ends the parse with CLI::RuntimeError, exit status 1.
void add_demo_command(CLI::App& app);

}  // namespace padlock::tools
