// Offline Sigstore bundle verification (Sigstore client spec section 4).
//
// For models, plug the verifier into the usual flow:
//
//   model_signing::SigstoreVerifierOptions options;
//   options.identity = "user@example.com";
//   options.identity_provider = "https://accounts.google.com";
//   model_signing::VerifyingConfig()
//       .use_verifier(model_signing::make_sigstore_verifier(options))
//       .verify("my-model", "my-model.sig");
//
// For any artifact, verify a bundle directly:
//
//   sigstore::BundleVerifier verifier(sigstore::embedded_trust_config(
//       sigstore::Instance::kProduction).trusted_root);
//   verifier.verify(bundle, sigstore::Artifact::from_file("a.txt"),
//                   {.identity = sigstore::CertificateIdentity{"me@example.com",
//                                                               "https://github.com/login/oauth"}});
//
// Nothing here touches the network.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model_signing/bundle.h"
#include "model_signing/sigstore_trust.h"
#include "model_signing/verifying.h"

#pragma GCC visibility push(default)  // the public API (src/CMakeLists.txt)
namespace model_signing {

struct SigstoreVerifierOptions {
  std::string identity;           // exact SAN: email, URI or username
  std::string identity_provider;  // exact OIDC issuer
  bool use_staging = false;
  // A client trust config or trusted root file; overrides use_staging.
  std::optional<std::filesystem::path> trust_config;
  // Without a trust config: the embedded trust (the default), or the
  // instance's (or a private) TUF repository through a cache; the
  // selection's warnings and information then come with every
  // verification's VerifiedPayload (warnings, details).
  sigstore::TufTrustOptions tuf;
  // Trust material already in memory (e.g. from
  // sigstore::select_trust_config()); when set, the three above are ignored.
  std::optional<sigstore::ClientTrustConfig> trust;
};

// The Sigstore method of model signing: full bundle verification, then the
// signed DSSE payload goes to the usual manifest comparison. The bundle must
// be certificate-based and carry at least one transparency log entry.
std::unique_ptr<Verifier> make_sigstore_verifier(const SigstoreVerifierOptions& options);

namespace sigstore {

// What the signing certificate must say (exact matches).
struct CertificateIdentity {
  std::string subject_alternative_name;  // email, URI or otherName username
  std::string oidc_issuer;               // extension 1.3.6.1.4.1.57264.1.8 (or .1.1)
};

// Whom to trust. Certificate bundles need `identity`; bundles signed with a
// managed key need `public_key_pem` (the key, not a certificate).
struct VerificationPolicy {
  std::optional<CertificateIdentity> identity;
  std::optional<std::string> public_key_pem;
};

// What the bundle is checked against. For a message signature the artifact
// is required; for a DSSE envelope, a given artifact must be a subject of
// the in-toto statement (none: the caller checks the payload itself).
class Artifact {
 public:
  static Artifact none();
  static Artifact from_bytes(std::string bytes);
  static Artifact from_file(std::filesystem::path path);
  // A SHA-256 digest of the artifact (32 bytes).
  static Artifact from_sha256(Bytes digest);

  enum class Kind { kNone, kBytes, kFile, kSha256 };
  Kind kind() const { return kind_; }
  const std::string& bytes() const { return bytes_; }
  const std::filesystem::path& path() const { return path_; }
  const Bytes& sha256() const { return digest_; }

 private:
  Kind kind_ = Kind::kNone;
  std::string bytes_;
  std::filesystem::path path_;
  Bytes digest_;
};

struct VerifiedTimestamp {
  enum class Source { kTransparencyLog, kTimestampAuthority };
  Source source;
  Time time;
};

struct BundleVerificationResult {
  std::vector<VerifiedTimestamp> timestamps;  // every time the checks used
  std::string identity;                       // the SAN that matched (certificate bundles)
  std::string oidc_issuer;
  std::string payload_type;  // DSSE bundles: the verified envelope's payload
  std::string payload;
};

// What a bundle must carry beyond evidence that verifies (every log entry
// and timestamp present must verify, whatever these say). The defaults are
// the Sigstore client spec's, and what verification has always required.
struct BundleVerifierOptions {
  // Transparency log entries: the signature must be logged.
  std::size_t min_tlog_entries = 1;
  // Verified times: integrated times vouched for by signed entry timestamps
  // (Rekor v1) plus RFC 3161 timestamps. The certificate is checked at each.
  std::size_t min_verified_times = 1;
  std::size_t min_rfc3161_timestamps = 0;
  // A Rekor v2 entry carries no integrated time: require an RFC 3161
  // timestamp, at which the log's key must also have been valid.
  bool rekor_v2_requires_timestamp = true;
};

// Verifies bundles against one trusted root; reusable and thread-compatible.
class BundleVerifier {
 public:
  // Throws Error(kInvalidArgument) if a key or certificate of the root does
  // not decode.
  explicit BundleVerifier(const TrustedRoot& root, const BundleVerifierOptions& options = {});
  ~BundleVerifier();
  BundleVerifier(BundleVerifier&&) noexcept;
  BundleVerifier& operator=(BundleVerifier&&) noexcept;

  // Throws Error on any failed check; the message names the check.
  BundleVerificationResult verify(const Bundle& bundle, const Artifact& artifact,
                                  const VerificationPolicy& policy) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sigstore
}  // namespace model_signing
#pragma GCC visibility pop
