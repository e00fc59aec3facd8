// The Sigstore method's signer: the model's statement, signed keylessly as
// an in-toto DSSE payload (sigstore/sign/).
#include "model_signing/sigstore_sign.h"
#include "sigstore/sign/keyless_signer.h"

namespace model_signing {

namespace {

class SigstoreSigner final : public Signer {
 public:
  explicit SigstoreSigner(SigstoreSigningOptions options) : signer_(std::move(options)) {}
  Bundle sign(const std::string& statement) override {
    return signer_.sign({std::string(kInTotoPayloadType), statement});
  }

 private:
  sigstore::KeylessSigner signer_;
};

}  // namespace

std::unique_ptr<Signer> make_sigstore_signer(SigstoreSigningOptions options) {
  return std::make_unique<SigstoreSigner>(std::move(options));
}

SigningConfig& SigningConfig::use_sigstore_signer(const SigstoreSigningOptions& options) {
  return use_signer(make_sigstore_signer(options));
}

}  // namespace model_signing
