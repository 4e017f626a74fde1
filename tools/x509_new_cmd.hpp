// SPDX-License-Identifier: Apache-2.0
// `padlock x509 new`: writes a throw-away CA, server and client certificate with their keys
// (x509/demo_pki.hpp) as PEM files into a directory.
#pragma once

#include <CLI/CLI.hpp>

namespace padlock::tools {

// Adds the `new` subcommand to `x509` (the `padlock x509` command). It runs from its CLI11 callback;
// a failure is printed to stderr and ends the parse with CLI::RuntimeError carrying exit status 1.
void add_x509_new_command(CLI::App& x509);

}  // namespace padlock::tools
