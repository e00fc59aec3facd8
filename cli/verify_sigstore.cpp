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

void add_verify_sigstore_method(CLI::App* verify, Action& action) {
  std::shared_ptr<VerifyOptions> options;
  CLI::App* cmd = add_verify_method(
      verify, "sigstore", "Verify using Sigstore (DEFAULT verification method).",
      "The signature must carry a certificate issued by a Fulcio CA of the trusted root to "
      "the expected --identity (email, URI or username) from the expected "
      "--identity-provider (the OIDC issuer), and be recorded in a transparency log and/or "
      "timestamped by a timestamp authority of the trusted root, with the certificate valid "
      "at each verified time. The trusted root is Sigstore's public one (refreshed through "
      "its TUF repository and cached; built in when offline), its staging one with "
      "--use-staging, or a private instance's with --trust-config or --tuf-url.",
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
  add_trust_flags(cmd, sigstore->trust,
                  "Client trust configuration or trusted root file (overrides --use-staging).");
  cmd->callback([options, sigstore, &action] {
    action = [options, sigstore] {
      return run_verify(*options, [&] {
        SigstoreVerifierOptions opts;
        opts.identity = sigstore->identity;
        opts.identity_provider = sigstore->identity_provider;
        opts.trust = select_trust(sigstore->trust, false);
        return make_sigstore_verifier(opts);
      });
    };
  });
}

}  // namespace model_signing::cli
