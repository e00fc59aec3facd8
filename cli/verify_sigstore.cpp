// `verify sigstore` (the default method): offline Sigstore bundle
// verification with the embedded public-good trusted root (or --use-staging,
// or --trust-config), then the usual manifest comparison.
#include <memory>
#include <string>

#include "cli_options.h"
#include "model_signing/sigstore.h"
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

void add_verify_sigstore_method(CLI::App* verify, Action& action) {
  std::shared_ptr<VerifyOptions> options;
  CLI::App* cmd = add_verify_method(
      verify, "sigstore", "Verify using Sigstore (DEFAULT verification method).",
      "The signature must carry a certificate issued by a Fulcio CA of the trusted root to "
      "the expected --identity (email, URI or username) from the expected "
      "--identity-provider (the OIDC issuer), and be recorded in a transparency log and/or "
      "timestamped by a timestamp authority of the trusted root, with the certificate valid "
      "at each verified time. Nothing is fetched: the trusted root is Sigstore's public one "
      "(built in), its staging one with --use-staging, or a private instance's with "
      "--trust-config.",
      options);
  auto sigstore = std::make_shared<SigstoreVerifyOptions>();
  const char* group = "Sigstore";
  cmd->add_option("--identity", sigstore->identity,
                  "The expected identity of the signer (e.g., name@example.com).")
      ->type_name("IDENTITY")
      ->required()
      ->group(group);
  cmd->add_option("--identity-provider", sigstore->identity_provider,
                  "The expected identity provider (e.g., https://accounts.example.com).")
      ->type_name("IDENTITY_PROVIDER")
      ->required()
      ->group(group);
  cmd->add_flag("--use-staging", sigstore->use_staging, "Use Sigstore's staging instance.")
      ->group(group);
  cmd->add_option("--trust-config", sigstore->trust_config,
                  "Client trust configuration or trusted root file (overrides --use-staging).")
      ->type_name("TRUST_CONFIG_PATH")
      ->group(group);
  cmd->callback([options, sigstore, &action] {
    action = [options, sigstore] {
      return run_verify(*options, [&] {
        SigstoreVerifierOptions opts;
        opts.identity = sigstore->identity;
        opts.identity_provider = sigstore->identity_provider;
        opts.use_staging = sigstore->use_staging;
        if (!sigstore->trust_config.empty()) opts.trust_config = sigstore->trust_config;
        return make_sigstore_verifier(opts);
      });
    };
  });
}

}  // namespace model_signing::cli
