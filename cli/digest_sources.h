// Where the digests come from, when not from hashing the whole model: the
// flags of issue 17 on sign, verify and digest, and what they do.
//
//   sign:   --reuse-digests OLD_SIGNATURE [--changed PATH]... [--changed-from FILE]
//           (with --reuse-public-key, --reuse-certificate-chain or
//           --reuse-identity/--reuse-identity-provider, per method),
//           --write-stat-record, --from-digests FILE, --oci-manifest MANIFEST
//   verify: --only PATH..., --oci-manifest MANIFEST
//   digest: --from-digests FILE, --oci-manifest MANIFEST
//
// Each command file calls add_*_source_options() once and routes its work
// through the matching function here.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "cli_options.h"
#include "model_signing/digest_sources.h"
#include "model_signing/signing.h"
#include "model_signing/verifying.h"

namespace model_signing::cli {

struct SignSourceOptions {
  std::string method;          // the sign method's name
  CLI::App* command = nullptr;  // to read the method's own flags (Sigstore instance)
  std::string reuse_digests;
  std::vector<std::string> changed;
  std::string changed_from;
  bool write_stat_record = false;
  std::string reuse_public_key;
  std::vector<std::string> reuse_certificate_chain;
  std::string reuse_identity;
  std::string reuse_identity_provider;
  std::string from_digests;
  std::string oci_manifest;
};

void add_sign_source_options(CLI::App* cmd, const char* method, SignSourceOptions& options);

// What sign_from_sources() did, printed by print_sign_report() once the
// progress bar is gone.
struct SignReport {
  Manifest manifest;                  // what was signed
  Bundle bundle;                      // the signature written
  HashingStats hashing;               // what was read (nothing for precomputed digests)
  std::vector<std::string> lines;     // stdout, in text output
  std::vector<std::string> warnings;  // stderr, "Warning: ..."
};

// Signs the model (config has its hashing config and signer) from the
// chosen source and writes the signature. Throws on failure.
SignReport sign_from_sources(const SignSourceOptions& sources, SigningConfig& config,
                             const ModelOptions& model);
// Warnings on stderr; with `text`, the lines on stdout.
void print_sign_report(const SignReport& report, bool text);

struct VerifySourceOptions {
  std::vector<std::string> only;
  std::string oci_manifest;
};

// Also makes MODEL_PATH optional: --oci-manifest replaces it.
void add_verify_source_options(CLI::App* cmd, VerifySourceOptions& options);

VerificationResult verify_from_sources(const VerifySourceOptions& sources, VerifyingConfig& config,
                                       const ModelOptions& model);
// "Verification succeeded", saying what was not checked when anything was not.
std::string verify_success_line(const VerifySourceOptions& sources, const VerificationResult& result);

struct DigestSourceOptions {
  std::string from_digests;
  std::string oci_manifest;
};

void add_digest_source_options(CLI::App* cmd, DigestSourceOptions& options);

// The manifest `digest` prints the root of: from the chosen source, or by
// hashing the model with `config`.
Manifest digest_from_sources(const DigestSourceOptions& sources, const ModelOptions& model,
                             const HashingConfig& config);

}  // namespace model_signing::cli
