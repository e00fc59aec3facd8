// Identity tokens from the environment a job runs in, found as the Python
// tool's `id` package finds them and tried in its order: GitHub Actions
// (ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN), Google
// Cloud (a service account named by GOOGLE_SERVICE_ACCOUNT_NAME through the
// IAM Credentials API, else the metadata server's own identity on Compute
// Engine or wherever GCE_METADATA_HOST points), Buildkite (`buildkite-agent
// oidc request-token`), GitLab CI (the `<AUDIENCE>_ID_TOKEN` variable),
// CircleCI (`circleci run oidc get`), and last SIGSTORE_ID_TOKEN wherever it
// is set.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "model_signing/http.h"

namespace model_signing::sigstore {

struct AmbientCredential {
  std::string token;
  std::string source;  // "GitHub Actions", "GCP metadata server", "Buildkite", ...
};

// Reads an environment variable; nullopt when unset.
using Getenv = std::function<std::optional<std::string>(const char* name)>;
std::optional<std::string> process_getenv(const char* name);

// What detection reads and calls; tests point these elsewhere.
struct AmbientEnvironment {
  Getenv getenv = process_getenv;
  std::string iam_credentials_url = "https://iamcredentials.googleapis.com";
  // GCE_METADATA_HOST, when set, replaces it.
  std::string metadata_host = "metadata.google.internal";
  // Says "Google" or "Google Compute Engine" on a Google Cloud VM.
  std::string product_name_file = "/sys/class/dmi/id/product_name";
  // For the CI agents' token commands.
  std::chrono::milliseconds command_timeout{60000};
};

// nullopt if this environment offers no credential. Throws Error(kNetwork)
// when it does but fetching the token fails, and Error(kInvalidArgument) for
// a half-configured environment (a GitHub job without `id-token: write`, a
// Buildkite job without the agent on PATH, a GitLab job without the token
// variable).
std::optional<AmbientCredential> detect_ambient_credential(
    const HttpOptions& http, std::string_view audience = "sigstore",
    const AmbientEnvironment& environment = {});

// The GitLab variable holding a token for `audience`: upper-cased, every
// character but A-Z, 0-9 and '_' (and a leading digit) replaced by '_',
// then "_ID_TOKEN" ("sigstore" -> "SIGSTORE_ID_TOKEN").
std::string gitlab_token_variable(std::string_view audience);

}  // namespace model_signing::sigstore
