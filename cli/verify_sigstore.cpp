// `verify sigstore` (the default method): Sigstore bundle verification with
// the instance's trusted root (from its TUF repository, the cache or the
// embedded copy; or --trust-config: see trust_flags.h), then the usual
// manifest comparison.
#include <memory>
#include <string>

#include "cli_options.h"
#include "model_signing/sigstore.h"
#include "trust_flags.h"
#include "verify_support.h"

namespace model_signing::cli {

namespace {

struct SigstoreVerifyOptions {
  std::string identity;
  std::string identity_provider;
  TrustFlags trust;
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
  add_trust_flags(cmd, sigstore->trust,
                  "Client trust configuration or trusted root file (overrides --use-staging).");
  cmd->callback([options, sigstore, &exit_code] {
    exit_code = run_verify(*options, [&] {
      SigstoreVerifierOptions opts;
      opts.identity = sigstore->identity;
      opts.identity_provider = sigstore->identity_provider;
      opts.trust = select_trust(sigstore->trust, false);
      return make_sigstore_verifier(opts);
    });
  });
}

}  // namespace model_signing::cli
