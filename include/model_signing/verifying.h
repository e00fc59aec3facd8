// Verifying a model against its signature.
//
//   model_signing::VerifyingConfig()
//       .use_key_verifier("key.pub")
//       .verify("my-model", "my-model.sig");   // throws on any failure
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model_signing/bundle.h"
#include "model_signing/hashing.h"
#include "model_signing/manifest.h"

#pragma GCC visibility push(default)  // the public API (src/CMakeLists.txt)
namespace model_signing {

struct SigstoreVerifierOptions;  // sigstore.h

// What a verifier established about a bundle.
struct VerifiedPayload {
  std::string payload_type;
  std::string payload;                // the signed in-toto statement
  std::vector<std::string> warnings;  // e.g. legacy fallbacks taken
  std::vector<std::string> details;   // e.g. certificate fingerprints
};

// Checks a bundle's signature and signer. Throws Error on any failure.
class Verifier {
 public:
  virtual ~Verifier() = default;
  virtual VerifiedPayload verify(const Bundle& bundle) = 0;
};

std::unique_ptr<Verifier> make_key_verifier(const std::filesystem::path& public_key);

struct CertificateVerifierOptions {
  // PEM files whose certificates are trust anchors; empty = system store.
  std::vector<std::filesystem::path> trust_anchors;
  // Upstream behaviour: check the chain at the leaf's notBefore, so expired
  // leaves verify. Default (OMS): the leaf must be valid now.
  bool allow_expired_certificate = false;
  // Report SHA-256 fingerprints of the bundle's certificates in details.
  bool log_fingerprints = false;
};
std::unique_ptr<Verifier> make_certificate_verifier(const CertificateVerifierOptions& options);

struct VerificationResult {
  Manifest manifest;  // the verified, signed manifest
  std::vector<std::string> warnings;
  std::vector<std::string> details;
};

class VerifyingConfig {
 public:
  // Overrides the serialization recorded in the signature entirely.
  VerifyingConfig& set_hashing_config(HashingConfig hashing);
  // Added to the ignore paths recorded in the signature (CLI --ignore-paths).
  VerifyingConfig& add_ignore_paths(std::vector<std::filesystem::path> paths);
  VerifyingConfig& set_ignore_git_paths(bool ignore);
  VerifyingConfig& set_allow_symlinks(bool allow);
  VerifyingConfig& set_max_workers(unsigned workers);
  VerifyingConfig& set_progress(ProgressCallback progress);
  // Hash only the files the manifest names; extra files are not an error.
  VerifyingConfig& set_ignore_unsigned_files(bool ignore);

  // One helper per method, each the same as use_verifier(make_<method>_verifier(...)).
  // (Keys in PKCS#11 tokens verify with the key and certificate methods.)
  VerifyingConfig& use_verifier(std::unique_ptr<Verifier> verifier);
  VerifyingConfig& use_key_verifier(const std::filesystem::path& public_key);
  VerifyingConfig& use_certificate_verifier(const CertificateVerifierOptions& options);
  // Include sigstore.h for the options.
  VerifyingConfig& use_sigstore_verifier(const SigstoreVerifierOptions& options);

  // Throws Error; ModelMismatchError when the model differs from the signature.
  VerificationResult verify(const std::filesystem::path& model_path,
                            const std::filesystem::path& signature_path) const;
  VerificationResult verify_bundle(const std::filesystem::path& model_path, const Bundle& bundle,
                                   const std::filesystem::path& signature_path = {}) const;

 private:
  std::optional<HashingConfig> explicit_hashing_;
  std::vector<std::filesystem::path> extra_ignore_paths_;
  bool ignore_git_paths_ = true;
  bool allow_symlinks_ = false;
  unsigned max_workers_ = 0;
  ProgressCallback progress_;
  bool ignore_unsigned_files_ = false;
  std::shared_ptr<Verifier> verifier_;
};

}  // namespace model_signing
#pragma GCC visibility pop
