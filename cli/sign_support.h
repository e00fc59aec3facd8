// What every `sign <method>` subcommand shares: the model, hash and output
// options and the run loop (hash, sign, write atomically, report).
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli_options.h"
#include "commands.h"
#include "digest_sources.h"
#include "model_signing/signing.h"
#include "output.h"

namespace model_signing::cli {

struct SignOptions {
  ModelOptions model;
  HashOptions hash;
  OutputOptions output;
  std::string single_file_name = "basename";
  SignSourceOptions sources;
};

// Adds `sign <name>` with the common options; `options` receives them.
// `summary` is the one line shown in `sign --help`, `paragraph` the
// method's own text in `sign <name> --help` (the common text is added).
CLI::App* add_sign_method(CLI::App* sign, const char* name, const char* summary,
                          const std::string& paragraph, std::shared_ptr<SignOptions>& options);

// --signing-certificate and --certificate-chain, shared by `certificate` and
// `pkcs11-certificate`.
struct CertificateOptions {
  std::string signing_certificate;
  std::vector<std::string> chain;
  std::vector<std::filesystem::path> chain_paths() const {
    return {chain.begin(), chain.end()};
  }
};
// `when_absent`: what happens without --signing-certificate (help text); null
// makes the option required.
void add_certificate_options(CLI::App* cmd, CertificateOptions& options,
                             const char* when_absent = nullptr);

// Builds the signer (and checks its certificate, if it has one, is valid
// now), hashes the model, signs and writes the signature; prints the
// outcome. Returns the exit code.
int run_sign(const SignOptions& options, const std::function<std::unique_ptr<Signer>()>& make_signer);

// Methods defined in their own files.
void add_sign_sigstore_method(CLI::App* sign, Action& action);
void add_sign_pkcs11_methods(CLI::App* sign, Action& action);

}  // namespace model_signing::cli
