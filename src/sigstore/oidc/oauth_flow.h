// The interactive sign-in: OAuth 2.0 authorization code flow with PKCE
// (RFC 7636) against an OpenID Connect issuer found through discovery
// (/.well-known/openid-configuration). The browser comes back to a loopback
// listener, or, out of band, the user pastes the code.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "model_signing/http.h"

namespace model_signing::sigstore {

struct OAuthFlowConfig {
  std::string issuer;  // e.g. https://oauth2.sigstore.dev/auth
  std::string client_id = "sigstore";
  std::string client_secret;
  bool force_oob = false;
  std::function<void(const std::string& url)> show_url;
  std::function<std::optional<std::string>()> read_code;  // out-of-band only
  std::chrono::seconds timeout{300};
  HttpOptions http;
};

// Returns the raw ID token. Throws Error(kNetwork) for service failures and
// Error(kInvalidArgument) when the user's side fails (no code, wrong state,
// an error from the issuer).
std::string interactive_identity_token(const OAuthFlowConfig& config);

}  // namespace model_signing::sigstore
