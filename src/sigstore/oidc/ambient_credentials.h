// Identity tokens from the environment a job runs in, as the Python tool's
// `id` package finds them: GitHub Actions (ACTIONS_ID_TOKEN_REQUEST_URL /
// ACTIONS_ID_TOKEN_REQUEST_TOKEN), the GCP metadata server (on Google
// Compute Engine, or wherever GCE_METADATA_HOST points), and
// SIGSTORE_ID_TOKEN (set by GitLab and others), in that order.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "model_signing/sigstore_sign.h"

namespace model_signing::sigstore {

struct AmbientCredential {
  std::string token;
  std::string source;  // "GitHub Actions", "GCP metadata server", "SIGSTORE_ID_TOKEN"
};

// Reads an environment variable; nullopt when unset.
using Getenv = std::function<std::optional<std::string>(const char* name)>;
std::optional<std::string> process_getenv(const char* name);

// nullopt if this environment offers no credential. Throws Error(kNetwork)
// when it does but fetching the token fails, and Error(kInvalidArgument) for
// a half-configured environment (a GitHub job without `id-token: write`).
std::optional<AmbientCredential> detect_ambient_credential(
    const HttpOptions& http, std::string_view audience = "sigstore",
    const Getenv& getenv = process_getenv);

}  // namespace model_signing::sigstore
