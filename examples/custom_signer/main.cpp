// custom_signer MODEL_PATH SIGNATURE_PATH PRIVATE_KEY_PEM
//
// Signs a model with a key backend of its own: a model_signing::PrivateKey
// implemented here, outside the library, holding an EC key it loads with
// OpenSSL. A KMS or HSM backend has the same shape: report the public key,
// sign the bytes it is given. The signature is an ordinary key-method
// bundle:
//
//   model_signing verify key MODEL_PATH --signature SIGNATURE_PATH --public-key KEY.pub
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <model_signing/model_signing.h>

namespace {

using model_signing::Error;
using model_signing::ErrorKind;

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// An EC private key in memory. The contract (private_key.h): the public key
// as DER SubjectPublicKeyInfo; ECDSA over the message hashed with the
// curve's hash, DER-encoded.
class OpenSslEcKey final : public model_signing::PrivateKey {
 public:
  explicit OpenSslEcKey(const std::string& pem_path) {
    std::FILE* file = std::fopen(pem_path.c_str(), "r");
    if (!file) throw Error(ErrorKind::kKey, "cannot open private key " + pem_path);
    key_.reset(PEM_read_PrivateKey(file, nullptr, nullptr, nullptr));
    std::fclose(file);
    if (!key_) throw Error(ErrorKind::kKey, pem_path + " is not an unencrypted PEM private key");
    md_ = curve_hash();
  }

  std::vector<std::uint8_t> public_key_der() const override {
    int length = i2d_PUBKEY(key_.get(), nullptr);
    if (length <= 0) throw Error(ErrorKind::kKey, "cannot encode the public key");
    std::vector<std::uint8_t> der(static_cast<std::size_t>(length));
    unsigned char* out = der.data();
    i2d_PUBKEY(key_.get(), &out);
    return der;
  }

  std::vector<std::uint8_t> sign(std::string_view message) override {
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    std::size_t length = 0;
    const auto* data = reinterpret_cast<const unsigned char*>(message.data());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, md_, nullptr, key_.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &length, data, message.size()) != 1) {
      throw Error(ErrorKind::kKey, "cannot sign with the example key");
    }
    std::vector<std::uint8_t> signature(length);
    if (EVP_DigestSign(ctx.get(), signature.data(), &length, data, message.size()) != 1) {
      throw Error(ErrorKind::kKey, "cannot sign with the example key");
    }
    signature.resize(length);
    return signature;
  }

  std::string description() const override { return "the example's OpenSSL key"; }

 private:
  // P-256 signs with SHA-256, P-384 with SHA-384, P-521 with SHA-512. Other
  // keys are passed through: the library refuses them by their public key.
  const EVP_MD* curve_hash() const {
    char group[64] = {};
    std::size_t length = 0;
    EVP_PKEY_get_group_name(key_.get(), group, sizeof group, &length);
    std::string_view name(group, length);
    if (name == "secp384r1") return EVP_sha384();
    if (name == "secp521r1") return EVP_sha512();
    return EVP_sha256();
  }

  std::unique_ptr<EVP_PKEY, PkeyFree> key_;
  const EVP_MD* md_ = nullptr;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: custom_signer MODEL_PATH SIGNATURE_PATH PRIVATE_KEY_PEM\n");
    return 2;
  }
  try {
    model_signing::SigningConfig()
        .use_key_signer(std::make_unique<OpenSslEcKey>(argv[3]))
        .sign(argv[1], argv[2]);
    std::printf("Signing succeeded\n");
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "Signing failed with error: %s\n", e.what());
    return 1;
  }
}
