// The Sigstore method of model verification: a BundleVerifier with the
// chosen trusted root and identity, feeding the verified DSSE payload to the
// core manifest comparison.
#include "model_signing/error.h"
#include "model_signing/sigstore.h"
#include "verifying/envelope_signature.h"

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
    const VerificationMaterial& vm = bundle.verification_material;
    if (vm.kind == VerificationMaterial::Kind::kPublicKey) {
      throw Error(ErrorKind::kMalformedBundle,
                  "bundle was not signed with Sigstore: its verification material is a public key "
                  "(use verify key)");
    }
    verifying::require_single_signature_envelope(bundle);
    sigstore::BundleVerificationResult checked =
        verifier_.verify(bundle, sigstore::Artifact::none(), policy_);
    VerifiedPayload result;
    result.payload_type = checked.payload_type;
    result.payload = checked.payload;
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

}  // namespace model_signing
