// What every `verify <method>` subcommand shares.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>

#include "cli_options.h"
#include "commands.h"
#include "digest_sources.h"
#include "model_signing/verifying.h"
#include "output.h"

namespace model_signing::cli {

struct VerifyOptions {
  ModelOptions model;
  OutputOptions output;
  bool ignore_unsigned_files = false;
  VerifySourceOptions sources;
};

// Adds `verify <name>` with the common options (see add_sign_method).
CLI::App* add_verify_method(CLI::App* verify, const char* name, const char* summary,
                            const std::string& paragraph, std::shared_ptr<VerifyOptions>& options);

// Verifies the model with the verifier `make_verifier` builds; prints the
// outcome, warnings and details. Returns the exit code.
int run_verify(const VerifyOptions& options,
               const std::function<std::unique_ptr<Verifier>()>& make_verifier);

void add_verify_sigstore_method(CLI::App* verify, Action& action);

}  // namespace model_signing::cli
