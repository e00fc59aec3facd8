// Verifying a model against its signature.
//
//   model_signing::VerifyingConfig()
//       .use_key_verifier("key.pub")
//       .verify("my-model", "my-model.sig");   // throws on any failure
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model_signing/bundle.h"
#include "model_signing/hashing.h"
#include "model_signing/manifest.h"
#include "model_signing/signature_info.h"

#pragma GCC visibility push(default)  // the public API (src/CMakeLists.txt)
namespace model_signing {

struct SigstoreVerifierOptions;  // sigstore.h

// A time the verification checked the signing certificate at.
struct VerifiedTime {
  enum class Source { kTransparencyLog, kTimestampAuthority };
  Source source = Source::kTransparencyLog;
  sigstore::Time time;
};

// What a verifier established about a bundle.
struct VerifiedPayload {
  std::string payload_type;
  std::string payload;                // the signed in-toto statement
  std::vector<std::string> warnings;  // e.g. legacy fallbacks taken
  std::vector<std::string> details;   // e.g. certificate fingerprints
  // Sigstore: the identity and OIDC issuer that matched the policy, and the
  // verified times (log integrated times, RFC 3161 timestamps).
  std::string identity;
  std::string oidc_issuer;
  std::vector<VerifiedTime> verified_times;
};

// Checks a bundle's signature and signer. Throws Error on any failure.
class Verifier {
 public:
  virtual ~Verifier() = default;
  virtual VerifiedPayload verify(const Bundle& bundle) = 0;
};

// RFC 3161 timestamps in key and certificate bundles
// (verificationMaterial.timestampVerificationData). With TSA trust anchors,
// every timestamp must verify (message imprint over the signature, the TSA's
// chain to an anchor, its timeStamping usage and validity at the
// timestamp's time), and the certificate method checks the signing
// certificate's chain at the timestamp's time instead of now. Without
// anchors, timestamps are not used (a warning says so) and cannot be
// required.
struct TimestampVerificationOptions {
  // PEM files; any certificate in them may be the anchor of a TSA's chain.
  std::vector<std::filesystem::path> tsa_trust_anchors;
  // Fail unless the bundle carries a timestamp (that verifies).
  bool require_timestamp = false;
};

std::unique_ptr<Verifier> make_key_verifier(const std::filesystem::path& public_key,
                                            const TimestampVerificationOptions& timestamps = {});

struct CertificateVerifierOptions {
  // PEM files whose certificates are trust anchors; empty = system store.
  std::vector<std::filesystem::path> trust_anchors;
  // Upstream behaviour: check the chain at the leaf's notBefore, so expired
  // leaves verify. Default (OMS): the leaf must be valid now.
  bool allow_expired_certificate = false;
  // Report SHA-256 fingerprints of the bundle's certificates in details.
  bool log_fingerprints = false;
  // With a verified timestamp, the chain is checked at its time (which
  // takes precedence over allow_expired_certificate).
  TimestampVerificationOptions timestamps;
};
std::unique_ptr<Verifier> make_certificate_verifier(const CertificateVerifierOptions& options);

struct VerificationResult {
  Manifest manifest;  // the verified, signed manifest
  // Files (not shards) the signature lists, and how many were compared:
  // fewer with set_only_files().
  std::size_t files_signed = 0;
  std::size_t files_checked = 0;
  std::vector<std::string> warnings;
  std::vector<std::string> details;
  // The signature as describe_signature() reads it; the verifier checked
  // the signer it names (key, certificate chain, or Sigstore identity).
  SignatureInfo signature;
  // Sigstore: what the verifier matched and the times it checked at.
  std::string identity;
  std::string oidc_issuer;
  std::vector<VerifiedTime> verified_times;
  HashingStats hashing;  // files and bytes re-hashed
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
  VerifyingConfig& set_progress_report(ProgressReport progress);
  // Hash only the files the manifest names; extra files are not an error.
  VerifyingConfig& set_ignore_unsigned_files(bool ignore);
  // Partial verification: after the signature has verified in full, hash
  // and compare only these files (relative to the model root, or absolute
  // inside it; a directory means the signed files below it). Every path must
  // name signed files; no other file is read. With shards, a file passes
  // when all its shards match.
  VerifyingConfig& set_only_files(std::vector<std::filesystem::path> paths);

  // One helper per method, each the same as use_verifier(make_<method>_verifier(...)).
  // (Keys in PKCS#11 tokens verify with the key and certificate methods.)
  VerifyingConfig& use_verifier(std::unique_ptr<Verifier> verifier);
  VerifyingConfig& use_key_verifier(const std::filesystem::path& public_key,
                                    const TimestampVerificationOptions& timestamps = {});
  VerifyingConfig& use_certificate_verifier(const CertificateVerifierOptions& options);
  // Include sigstore.h for the options.
  VerifyingConfig& use_sigstore_verifier(const SigstoreVerifierOptions& options);

  // Throws Error; ModelMismatchError when the model differs from the signature.
  VerificationResult verify(const std::filesystem::path& model_path,
                            const std::filesystem::path& signature_path) const;
  VerificationResult verify_bundle(const std::filesystem::path& model_path, const Bundle& bundle,
                                   const std::filesystem::path& signature_path = {}) const;
  // Verifies the signature, then compares what it signed with `local`, a
  // manifest obtained without reading the model (manifest_from_oci_manifest(),
  // manifest_from_digest_list() in digest_sources.h). Their serialization
  // and hash must agree (Error(kInvalidArgument) if not).
  VerificationResult verify_manifest(const Manifest& local,
                                     const std::filesystem::path& signature_path) const;

 private:
  std::optional<HashingConfig> explicit_hashing_;
  std::vector<std::filesystem::path> extra_ignore_paths_;
  bool ignore_git_paths_ = true;
  bool allow_symlinks_ = false;
  unsigned max_workers_ = 0;
  ProgressCallback progress_;
  ProgressReport progress_report_;
  bool ignore_unsigned_files_ = false;
  std::vector<std::filesystem::path> only_files_;
  std::shared_ptr<Verifier> verifier_;
};

}  // namespace model_signing
#pragma GCC visibility pop
