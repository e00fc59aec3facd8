// The conformance protocol's subcommands; each registers itself on the app
// and stores its exit code when it runs.
#pragma once

#include <CLI/CLI.hpp>

namespace model_signing::conformance {

void add_verify_bundle_command(CLI::App& app, int& exit_code);
void add_sign_bundle_command(CLI::App& app, int& exit_code);

}  // namespace model_signing::conformance
