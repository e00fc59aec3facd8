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

void add_sign_sigstore_method(CLI::App* sign, int& exit_code) {
  std::shared_ptr<SignOptions> options;
  CLI::App* cmd = add_sign_method(sign, "sigstore", "Sign using Sigstore (DEFAULT signing method).",
                                  options);
  auto sigstore = std::make_shared<SigstoreSigningOptions>();
  auto trust = std::make_shared<TrustFlags>();
  add_trust_flags(cmd, *trust,
                  "Client trust configuration (trusted root + signing config) of a private "
                  "Sigstore instance (overrides --use-staging).");
  cmd->add_flag(names("--use-ambient-credentials"), sigstore->use_ambient_credentials,
                "Use credentials from the ambient environment (GitHub Actions, Google "
                "Cloud, Buildkite, GitLab CI, CircleCI, SIGSTORE_ID_TOKEN).");
  cmd->add_option(names("--identity-token"), sigstore->identity_token,
                  "Fixed OIDC identity token to use instead of signing in.")
      ->type_name("TOKEN");
  cmd->add_flag(names("--oauth-force-oob"), sigstore->oauth_force_oob,
                "Force an out-of-band OAuth flow: print the URL and read the code from stdin.");
  cmd->add_option(names("--client-id"), sigstore->client_id, "OAuth client id.")
      ->capture_default_str();
  cmd->add_option(names("--client-secret"), sigstore->client_secret, "OAuth client secret.");
  cmd->callback([=, &exit_code] {
    exit_code = run_sign(*options, [&] {
      SigstoreSigningOptions settings = *sigstore;
      settings.trust = select_trust(*trust, true);
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
  });
}

}  // namespace model_signing::cli
