// The Sigstore method's verifier: a BundleVerifier with the
// chosen trusted root and identity, feeding the verified DSSE payload to the
// core manifest comparison.
#include "model_signing/error.h"
#include "model_signing/sigstore.h"
#include "signing/dsse_envelope.h"

namespace model_signing {

namespace {

class SigstoreVerifier final : public Verifier {
 public:
  explicit SigstoreVerifier(const SigstoreVerifierOptions& options)
      : verifier_(trusted_root(check_identity(options))) {
    policy_.identity = sigstore::CertificateIdentity{options.identity, options.identity_provider};
  }

  VerifiedPayload verify(const Bundle& bundle) override {
    signing::method_envelope(bundle,
                             {VerificationMaterial::Kind::kCertificate,
                              VerificationMaterial::Kind::kX509CertificateChain},
                             "Sigstore");
    sigstore::BundleVerificationResult checked =
        verifier_.verify(bundle, sigstore::Artifact::none(), policy_);
    VerifiedPayload result;
    result.payload_type = checked.payload_type;
    result.payload = checked.payload;
    result.identity = checked.identity;
    result.oidc_issuer = checked.oidc_issuer;
    for (const auto& t : checked.timestamps) {
      result.verified_times.push_back(
          {t.source == sigstore::VerifiedTimestamp::Source::kTimestampAuthority
               ? VerifiedTime::Source::kTimestampAuthority
               : VerifiedTime::Source::kTransparencyLog,
           t.time});
    }
    result.warnings = trust_warnings_;
    result.details = trust_info_;
    return result;
  }

 private:
  static const SigstoreVerifierOptions& check_identity(const SigstoreVerifierOptions& options) {
    if (options.identity.empty() || options.identity_provider.empty()) {
      throw Error(ErrorKind::kInvalidArgument,
                  "Sigstore verification needs the expected identity and identity provider");
    }
    return options;
  }

  sigstore::TrustedRoot trusted_root(const SigstoreVerifierOptions& options) {
    if (options.trust) return options.trust->trusted_root;
    sigstore::TrustOptions trust;
    trust.use_staging = options.use_staging;
    trust.trust_config = options.trust_config.value_or("");
    trust.tuf = options.tuf;
    sigstore::SelectedTrust selected = sigstore::select_trust_config(trust);
    trust_warnings_ = std::move(selected.warnings);
    trust_info_ = std::move(selected.info);
    return std::move(selected.config.trusted_root);
  }

  // Before verifier_, whose initialization fills them.
  std::vector<std::string> trust_warnings_;
  std::vector<std::string> trust_info_;
  sigstore::BundleVerifier verifier_;
  sigstore::VerificationPolicy policy_;
};

}  // namespace

std::unique_ptr<Verifier> make_sigstore_verifier(const SigstoreVerifierOptions& options) {
  return std::make_unique<SigstoreVerifier>(options);
}

VerifyingConfig& VerifyingConfig::use_sigstore_verifier(const SigstoreVerifierOptions& options) {
  return use_verifier(make_sigstore_verifier(options));
}

}  // namespace model_signing
