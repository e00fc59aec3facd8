// verify-bundle [--staging] --bundle FILE
//     (--certificate-identity I --certificate-oidc-issuer URL | --key KEY)
//     [--trusted-root FILE] FILE_OR_DIGEST
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "commands.h"
#include "file_text.h"
#include "model_signing/bundle.h"
#include "model_signing/error.h"
#include "model_signing/sigstore.h"

namespace model_signing::conformance {

namespace {

struct VerifyBundleOptions {
  bool staging = false;
  std::string bundle;
  std::string identity;
  std::string issuer;
  std::string key;
  std::string trusted_root;
  std::string artifact;
};

bool is_hex(const std::string& s) {
  return s.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
}

// "sha256:<64 hex>" that is not a path on disk is a digest; anything else
// is a file (the protocol's rule).
sigstore::Artifact artifact_from(const std::string& arg) {
  const std::string prefix = "sha256:";
  std::error_code ec;
  if (arg.rfind(prefix, 0) == 0 && arg.size() == prefix.size() + 64 &&
      is_hex(arg.substr(prefix.size())) && !std::filesystem::exists(arg, ec)) {
    Bytes digest;
    for (std::size_t i = prefix.size(); i < arg.size(); i += 2) {
      digest.push_back(static_cast<std::uint8_t>(std::stoi(arg.substr(i, 2), nullptr, 16)));
    }
    return sigstore::Artifact::from_sha256(std::move(digest));
  }
  return sigstore::Artifact::from_file(arg);
}

int run(const VerifyBundleOptions& options) {
  try {
    sigstore::TrustedRoot root =
        sigstore::select_trust_config(options.staging, options.trusted_root).trusted_root;
    sigstore::VerificationPolicy policy;
    if (!options.key.empty()) {
      policy.public_key_pem = read_text(options.key);
    } else {
      policy.identity = sigstore::CertificateIdentity{options.identity, options.issuer};
    }
    Bundle bundle = read_bundle_file(options.bundle);
    sigstore::BundleVerifier(root).verify(bundle, artifact_from(options.artifact), policy);
    std::printf("OK: %s\n", options.bundle.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "verify-bundle failed: %s\n", e.what());
    return 1;
  }
}

}  // namespace

void add_verify_bundle_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<VerifyBundleOptions>();
  CLI::App* cmd = app.add_subcommand("verify-bundle", "Verify a Sigstore bundle, offline.");
  cmd->add_flag("--staging", options->staging, "Use Sigstore's staging trusted root.");
  cmd->add_option("--bundle", options->bundle, "The bundle to verify.")->required();
  auto* identity = cmd->add_option("--certificate-identity", options->identity,
                                   "Expected identity (SAN) of the signing certificate.");
  auto* issuer = cmd->add_option("--certificate-oidc-issuer", options->issuer,
                                 "Expected OIDC issuer of the signing certificate.");
  auto* key = cmd->add_option("--key", options->key, "PEM public key for managed-key bundles.");
  identity->needs(issuer);
  issuer->needs(identity);
  key->excludes(identity)->excludes(issuer);
  cmd->add_option("--trusted-root", options->trusted_root,
                  "A trusted root (or client trust config) instead of the embedded one.");
  cmd->add_option("FILE_OR_DIGEST", options->artifact,
                  "The artifact, or its digest as sha256:<hex>.")
      ->required();
  cmd->callback([options, cmd, &exit_code] {
    if (cmd->count("--key") == 0 && cmd->count("--certificate-identity") == 0) {
      std::fprintf(stderr, "Error: give --certificate-identity and --certificate-oidc-issuer, or --key\n");
      exit_code = 2;
      return;
    }
    exit_code = run(*options);
  });
}

}  // namespace model_signing::conformance
