#include "signing/key/pem_private_key.h"

#include "crypto/ec_key.h"
#include "crypto/signature.h"

namespace model_signing::signing {

namespace {

class PemPrivateKey final : public PrivateKey {
 public:
  explicit PemPrivateKey(crypto::PkeyPtr key)
      : key_(std::move(key)),
        curve_(crypto::require_supported_ec_key(key_.get(), "private key")) {}

  std::vector<std::uint8_t> public_key_der() const override {
    std::string der = crypto::public_key_spki_der(key_.get());
    return {der.begin(), der.end()};
  }

  std::vector<std::uint8_t> sign(std::string_view message) override {
    return crypto::sign_message(key_.get(), crypto::hash_for_curve(curve_), message);
  }

 private:
  crypto::PkeyPtr key_;
  crypto::EcCurve curve_;
};

}  // namespace

std::unique_ptr<PrivateKey> load_pem_private_key(const std::filesystem::path& path,
                                                 const std::optional<std::string>& password) {
  return std::make_unique<PemPrivateKey>(crypto::load_private_key_pem(path, password));
}

}  // namespace model_signing::signing
