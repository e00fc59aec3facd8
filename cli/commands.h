// Registration of the CLI's commands. Each command parses into its own
// options and, when selected, runs and stores its exit code.
#pragma once

#include <CLI/CLI.hpp>

namespace model_signing::cli {

void add_digest_command(CLI::App& app, int& exit_code);
void add_sign_command(CLI::App& app, int& exit_code);
void add_verify_command(CLI::App& app, int& exit_code);

}  // namespace model_signing::cli
