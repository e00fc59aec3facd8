// `sign sigstore` (the default method): keyless signing through Fulcio,
// Rekor and the timestamp authorities of the chosen Sigstore instance.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "cli_options.h"
#include "http_options.h"
#include "model_signing/error.h"
#include "model_signing/sigstore_sign.h"
#include "sign_support.h"
#include "trust_flags.h"

namespace model_signing::cli {

namespace {

// Opens `url` with xdg-open, detached (double fork: no zombie, no waiting
// on the browser). Silently does nothing where there is no xdg-open.
void open_browser(const std::string& url) {
  pid_t child = fork();
  if (child < 0) return;
  if (child == 0) {
    setsid();
    if (fork() == 0) {
      int null = open("/dev/null", O_RDWR);
      if (null >= 0) {
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
      }
      execlp("xdg-open", "xdg-open", url.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    _exit(0);
  }
  waitpid(child, nullptr, 0);
}

}  // namespace

void add_sign_sigstore_method(CLI::App* sign, Action& action) {
  std::shared_ptr<SignOptions> options;
  CLI::App* cmd = add_sign_method(
      sign, "sigstore", "Sign using Sigstore (DEFAULT signing method).",
      "Keyless signing: an OpenID Connect identity token is exchanged with Fulcio for a "
      "short-lived certificate naming that identity, for a key generated in memory; the "
      "signature is timestamped by the instance's timestamp authorities and recorded in its "
      "Rekor transparency log. Whoever verifies names the identity and its provider (`verify "
      "sigstore --identity --identity-provider`).\n\n"
      "The token comes from an interactive sign-in in the browser (--oauth-force-oob prints "
      "the URL and reads the code instead), from the environment with "
      "--use-ambient-credentials (GitHub Actions, Google Cloud, Buildkite, GitLab CI, "
      "CircleCI, SIGSTORE_ID_TOKEN), or from --identity-token.\n\n"
      "The public Sigstore instance is used unless --use-staging (Sigstore's staging "
      "instance, for tests) or --trust-config names a client trust configuration: the "
      "trusted root and signing config of a private instance (its Fulcio, Rekor, timestamp "
      "authority and OIDC provider).",
      options);
  auto sigstore = std::make_shared<SigstoreSigningOptions>();
  auto trust = std::make_shared<TrustFlags>();
  const char* group = "Sigstore";
  add_trust_flags(cmd, *trust,
                  "Client trust configuration (trusted root + signing config) of a private "
                  "Sigstore instance (overrides --use-staging).");
  cmd->add_flag("--use-ambient-credentials", sigstore->use_ambient_credentials,
                "Use credentials from the ambient environment (GitHub Actions, Google "
                "Cloud, Buildkite, GitLab CI, CircleCI, SIGSTORE_ID_TOKEN).")
      ->group(group);
  cmd->add_option("--identity-token", sigstore->identity_token,
                  "Fixed OIDC identity token to use instead of signing in.")
      ->type_name("TOKEN")
      ->group(group);
  cmd->add_flag("--oauth-force-oob", sigstore->oauth_force_oob,
                "Force an out-of-band OAuth flow: print the URL and read the code from stdin.")
      ->group(group);
  cmd->add_option("--client-id", sigstore->client_id, "The OpenID Connect client ID for OAuth2.")
      ->type_name("ID")
      ->capture_default_str()
      ->group(group);
  cmd->add_option("--client-secret", sigstore->client_secret,
                  "The OpenID Connect client secret for OAuth2.")
      ->type_name("SECRET")
      ->group(group);
  cmd->callback([=, &action] {
    action = [=] {
      return run_sign(*options, [&] {
        SigstoreSigningOptions settings = *sigstore;
        settings.trust = select_trust(*trust, true);
        settings.trust_config = trust->trust_config;  // names it in errors
        settings.http = http_options();
        bool oob = settings.oauth_force_oob;
        settings.show_authorization_url = [oob](const std::string& url) {
          if (oob) {
            std::fprintf(stderr, "Go to the following link in a browser:\n\n    %s\n\n"
                                 "Enter verification code: ", url.c_str());
          } else {
            std::fprintf(stderr, "Opening your browser to sign in. If it does not open, visit:\n\n"
                                 "    %s\n\n", url.c_str());
            open_browser(url);
          }
          std::fflush(stderr);
        };
        settings.read_authorization_code = []() -> std::optional<std::string> {
          std::string line;
          if (!std::getline(std::cin, line)) return std::nullopt;
          return line;
        };
        return make_sigstore_signer(std::move(settings));
      });
    };
  });
}

}  // namespace model_signing::cli
