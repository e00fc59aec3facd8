#include "signing/local_signer.h"

#include "signing/dsse_envelope.h"
#include "signing/key/key_signer.h"

namespace model_signing::signing {

namespace {

class LocalSigner final : public Signer {
 public:
  LocalSigner(std::unique_ptr<CheckedKey> key, VerificationMaterial material)
      : key_(std::move(key)), material_(std::move(material)) {}

  Bundle sign(const std::string& statement) override {
    Bundle bundle;
    bundle.media_type = std::string(kBundleMediaTypeV03);
    bundle.verification_material = material_;
    bundle.dsse_envelope = sign_envelope(*key_, statement);
    return bundle;
  }

  const VerificationMaterial* material() const override { return &material_; }
  // A bundle naming a public key verifies with the key's public half; one
  // carrying a certificate needs the user's trust anchors.
  std::unique_ptr<Verifier> own_verifier() const override {
    if (material_.kind != VerificationMaterial::Kind::kPublicKey) return nullptr;
    return make_key_verifier(crypto::up_ref(key_->public_key()));
  }

 private:
  std::unique_ptr<CheckedKey> key_;
  VerificationMaterial material_;
};

}  // namespace

std::unique_ptr<Signer> make_local_signer(std::unique_ptr<CheckedKey> key,
                                          VerificationMaterial material) {
  return std::make_unique<LocalSigner>(std::move(key), std::move(material));
}

}  // namespace model_signing::signing
