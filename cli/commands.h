// Registration of the CLI's commands. Each command parses into its own
// options; when it is the one chosen, its callback stores the action that
// main() runs once parsing (and --log-level) is done.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace model_signing::cli {

// Runs the chosen command; returns the exit code.
using Action = std::function<int()>;

void add_digest_command(CLI::App& app, Action& action);
void add_sign_command(CLI::App& app, Action& action);
void add_verify_command(CLI::App& app, Action& action);
void add_inspect_command(CLI::App& app, Action& action);

}  // namespace model_signing::cli
