// sign-bundle [--staging] [--in-toto] --identity-token TOKEN --bundle FILE
//     [--trusted-root FILE] [--signing-config FILE] FILE
//
// Keyless signing of FILE: a message signature over its bytes, or with
// --in-toto a DSSE envelope whose payload is FILE (an in-toto statement).
#include <cstdio>
#include <memory>
#include <string>

#include "commands.h"
#include "file_text.h"
#include "model_signing/bundle.h"
#include "model_signing/error.h"
#include "model_signing/sigstore_sign.h"
#include "model_signing/sigstore_trust.h"

namespace model_signing::conformance {

namespace {

struct SignBundleOptions {
  bool staging = false;
  bool in_toto = false;
  std::string identity_token;
  std::string bundle;
  std::string trusted_root;
  std::string signing_config;
  std::string artifact;
};

// The instance's trust material, with the given trusted root and signing
// config in place of its own.
sigstore::ClientTrustConfig trust_for(const SignBundleOptions& options) {
  sigstore::ClientTrustConfig trust = sigstore::select_trust_config(options.staging, {});
  if (!options.trusted_root.empty()) {
    trust.trusted_root = sigstore::load_trust_config(options.trusted_root).trusted_root;
  }
  if (!options.signing_config.empty()) {
    trust.signing_config = sigstore::parse_signing_config(read_text(options.signing_config));
  }
  return trust;
}

int run(const SignBundleOptions& options) {
  try {
    SigstoreSigningOptions settings;
    settings.identity_token = options.identity_token;
    settings.trust = trust_for(options);
    std::string artifact = read_text(options.artifact);
    Bundle bundle = options.in_toto
                        ? sigstore::sign_dsse_keyless(settings, std::string(kInTotoPayloadType),
                                                      artifact)
                        : sigstore::sign_message_keyless(settings, artifact);
    write_text(options.bundle, serialize_bundle(bundle));
    std::printf("OK: %s\n", options.bundle.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sign-bundle failed: %s\n", e.what());
    return 1;
  }
}

}  // namespace

void add_sign_bundle_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<SignBundleOptions>();
  CLI::App* cmd = app.add_subcommand("sign-bundle", "Sign an artifact keylessly into a bundle.");
  cmd->add_flag("--staging", options->staging, "Use Sigstore's staging instance.");
  cmd->add_flag("--in-toto", options->in_toto, "FILE is an in-toto statement: sign it as DSSE.");
  cmd->add_option("--identity-token", options->identity_token, "The OIDC identity token.")
      ->required();
  cmd->add_option("--bundle", options->bundle, "Where to write the bundle.")->required();
  cmd->add_option("--trusted-root", options->trusted_root,
                  "A trusted root to check the services' answers against.");
  cmd->add_option("--signing-config", options->signing_config,
                  "A signing config naming the services to use.");
  cmd->add_option("FILE", options->artifact, "The artifact (or in-toto statement) to sign.")
      ->required();
  cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace model_signing::conformance
