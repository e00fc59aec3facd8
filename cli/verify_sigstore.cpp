// `verify sigstore` (the default method). Not implemented yet; the flags are
// parsed so usage stays stable.
#include <memory>
#include <string>

#include "cli_options.h"
#include "model_signing/error.h"
#include "verify_support.h"

namespace model_signing::cli {

namespace {

struct SigstoreVerifyOptions {
  std::string identity;
  std::string identity_provider;
  bool use_staging = false;
  std::string trust_config;
};

}  // namespace

void add_verify_sigstore_method(CLI::App* verify, int& exit_code) {
  std::shared_ptr<VerifyOptions> options;
  CLI::App* cmd = add_verify_method(verify, "sigstore", "Verify using Sigstore (DEFAULT verification method).",
                             options);
  auto sigstore = std::make_shared<SigstoreVerifyOptions>();
  cmd->add_option("--identity", sigstore->identity,
                  "The expected identity of the signer (e.g., name@example.com).")
      ->required();
  cmd->add_option(names("--identity-provider"), sigstore->identity_provider,
                  "The expected identity provider (e.g., https://accounts.example.com).")
      ->required();
  cmd->add_flag(names("--use-staging"), sigstore->use_staging, "Use Sigstore's staging instance.");
  cmd->add_option(names("--trust-config"), sigstore->trust_config,
                  "Client trust configuration or trusted root file.");
  cmd->callback([&exit_code] {
    exit_code = report_failure(
        "Verification",
        Error(ErrorKind::kUnsupported,
              "Sigstore verification is not available yet in this build; use `verify key` or "
              "`verify certificate`"));
  });
}

}  // namespace model_signing::cli
