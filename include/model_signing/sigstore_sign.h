// Keyless signing with Sigstore: an OIDC identity token buys a short-lived
// certificate from Fulcio for an ephemeral key; the signature is recorded in
// a Rekor log (and timestamped by the TSAs the signing config lists); the
// bundle carries all of it. Everything the services return is checked
// against the trusted root before it is used, and the finished bundle is
// verified before it is handed back.
//
//   model_signing::SigstoreSigningOptions options;
//   options.identity_token = token;                      // or ambient / interactive
//   model_signing::SigningConfig()
//       .use_signer(model_signing::make_sigstore_signer(options))
//       .sign("my-model", "my-model.sig");
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "model_signing/bundle.h"
#include "model_signing/http.h"
#include "model_signing/signing.h"
#include "model_signing/sigstore_trust.h"

#pragma GCC visibility push(default)  // the public API (src/CMakeLists.txt)
namespace model_signing {

struct SigstoreSigningOptions {
  // Which Sigstore instance: production by default, staging, or a private
  // one described by a client trust config (trusted root + signing config),
  // which overrides use_staging (sigstore::select_trust_config()).
  bool use_staging = false;
  std::filesystem::path trust_config;
  // Without a trust config: the embedded trust (the default), or the
  // instance's (or a private) TUF repository through a cache. Warnings
  // about fallbacks are not reported from here: to show them, call
  // sigstore::select_trust_config() and pass its config as `trust`.
  sigstore::TufTrustOptions tuf;
  // Trust material already in memory; when set, the three above are ignored.
  std::optional<sigstore::ClientTrustConfig> trust;

  // Identity token, in this order of precedence: a fixed token; ambient
  // credentials (GitHub Actions, GCP, SIGSTORE_ID_TOKEN) when allowed; else
  // the interactive OAuth flow against the signing config's OIDC issuer.
  std::string identity_token;
  bool use_ambient_credentials = false;
  bool oauth_force_oob = false;
  std::string client_id = "sigstore";
  std::string client_secret;

  // The interactive flow's user interface, supplied by the caller. It is
  // given the authorization URL to show (and open in a browser); in the
  // out-of-band flow it must then return the code the user pasted
  // (nullopt if there is none).
  std::function<void(const std::string& url)> show_authorization_url;
  std::function<std::optional<std::string>()> read_authorization_code;
  // How long the browser flow waits for the redirect.
  std::chrono::seconds authorization_timeout{300};

  HttpOptions http;
};

// Throws Error(kInvalidArgument) for unusable options or trust material.
// The token is obtained, and the services contacted, when sign() runs.
std::unique_ptr<Signer> make_sigstore_signer(SigstoreSigningOptions options);

namespace sigstore {

// Keyless signing of anything, not just models (the conformance protocol's
// sign-bundle): a message signature over the artifact's bytes, or a DSSE
// envelope around `payload`. Same checks as the model signer.
Bundle sign_message_keyless(const SigstoreSigningOptions& options, const std::string& artifact);
Bundle sign_dsse_keyless(const SigstoreSigningOptions& options, const std::string& payload_type,
                         const std::string& payload);

}  // namespace sigstore

}  // namespace model_signing
#pragma GCC visibility pop
