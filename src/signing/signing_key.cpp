#include "signing/signing_key.h"

#include "crypto/signature.h"

namespace model_signing::signing {

namespace {

class InMemorySigningKey final : public SigningKey {
 public:
  explicit InMemorySigningKey(crypto::PkeyPtr key)
      : key_(std::move(key)),
        curve_(crypto::require_supported_ec_key(key_.get(), "private key")) {}

  EVP_PKEY* public_key() const override { return key_.get(); }

  std::vector<std::uint8_t> sign(std::string_view message) override {
    return crypto::sign_message(key_.get(), crypto::hash_for_curve(curve_), message);
  }

 private:
  crypto::PkeyPtr key_;
  crypto::EcCurve curve_;
};

}  // namespace

std::unique_ptr<SigningKey> make_signing_key(crypto::PkeyPtr private_key) {
  return std::make_unique<InMemorySigningKey>(std::move(private_key));
}

std::unique_ptr<SigningKey> load_pem_signing_key(const std::filesystem::path& path,
                                                 const std::optional<std::string>& password) {
  return make_signing_key(crypto::load_private_key_pem(path, password));
}

}  // namespace model_signing::signing
