// SPDX-License-Identifier: Apache-2.0
// `padlock x509`: show, verify and embed certificates (tools/x509_cmd.cpp).
#pragma once

#include <CLI/CLI.hpp>

namespace padlock::tools {

// Registers `x509` and its subcommands on `app`; the one that runs sets `exit_status`.
void add_x509_command(CLI::App& app, int& exit_status);

}  // namespace padlock::tools
