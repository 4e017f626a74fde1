// SPDX-License-Identifier: Apache-2.0
// `padlock client` and `padlock server` (tools/tls_cmd.cpp): the engine over TCP, like
// `openssl s_client` / `openssl s_server`.
#pragma once

#include <CLI/CLI.hpp>

namespace padlock::tools {

// Registers `client` and `server` on `app`; the one that runs sets `exit_status`.
void add_tls_commands(CLI::App& app, int& exit_status);

}  // namespace padlock::tools
