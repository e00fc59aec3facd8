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
      : verifier_(sigstore::select_trust_config(options.use_staging,
                                                options.trust_config.value_or(""))
                      .trusted_root) {
    if (options.identity.empty() || options.identity_provider.empty()) {
      throw Error(ErrorKind::kInvalidArgument,
                  "Sigstore verification needs the expected identity and identity provider");
    }
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
    return result;
  }

 private:
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
