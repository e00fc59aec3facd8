// What every `sign <method>` subcommand shares: the model/hash options and
// the run loop (hash, sign, write atomically, report).
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli_options.h"
#include "digest_sources.h"
#include "model_signing/signing.h"

namespace model_signing::cli {

struct SignOptions {
  ModelOptions model;
  HashOptions hash;
  SignSourceOptions sources;
};

// Adds `sign <name>` with the common options; `options` receives them.
CLI::App* add_sign_method(CLI::App* sign, const char* name, const char* help,
                          std::shared_ptr<SignOptions>& options);

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

// Hashes the model, signs with the signer `make_signer` builds and writes the
// signature; prints the outcome. Returns the exit code.
int run_sign(const SignOptions& options, const std::function<std::unique_ptr<Signer>()>& make_signer);

// Methods defined in their own files.
void add_sign_sigstore_method(CLI::App* sign, int& exit_code);
void add_sign_pkcs11_methods(CLI::App* sign, int& exit_code);

}  // namespace model_signing::cli
