// `sign sigstore` (the default method): keyless signing through Fulcio and
// Rekor. Not implemented yet; the flags are parsed so usage stays stable.
#include <memory>
#include <string>

#include "cli_options.h"
#include "model_signing/error.h"
#include "sign_support.h"

namespace model_signing::cli {

namespace {

// Sigstore signing options, parsed now so scripts get the same usage errors
// they will get once the method is implemented.
struct SigstoreSignOptions {
  bool use_staging = false;
  std::string trust_config;
  bool use_ambient_credentials = false;
  std::string identity_token;
  bool oauth_force_oob = false;
  std::string client_id = "sigstore";
  std::string client_secret;
};

}  // namespace

void add_sign_sigstore_method(CLI::App* sign, int& exit_code) {
  std::shared_ptr<SignOptions> options;
  CLI::App* cmd = add_sign_method(sign, "sigstore", "Sign using Sigstore (DEFAULT signing method).",
                             options);
  auto sigstore = std::make_shared<SigstoreSignOptions>();
  cmd->add_flag(names("--use-staging"), sigstore->use_staging, "Use Sigstore's staging instance.");
  cmd->add_option(names("--trust-config"), sigstore->trust_config,
                  "Client trust configuration (trusted root + signing config).");
  cmd->add_flag(names("--use-ambient-credentials"), sigstore->use_ambient_credentials,
                "Use credentials from the ambient environment.");
  cmd->add_option(names("--identity-token"), sigstore->identity_token, "Fixed OIDC identity token.");
  cmd->add_flag(names("--oauth-force-oob"), sigstore->oauth_force_oob,
                "Force an out-of-band OAuth flow.");
  cmd->add_option(names("--client-id"), sigstore->client_id, "OAuth client id.")
      ->capture_default_str();
  cmd->add_option(names("--client-secret"), sigstore->client_secret, "OAuth client secret.");
  cmd->callback([&exit_code] {
    exit_code = report_failure(
        "Signing", Error(ErrorKind::kUnsupported,
                         "Sigstore signing is not available yet in this build; use `sign key` "
                         "or `sign certificate`"));
  });
}

}  // namespace model_signing::cli
