#include "signing/checked_key.h"

#include "crypto/signature.h"
#include "model_signing/error.h"

namespace model_signing::signing {

namespace {

crypto::PkeyPtr decode_public_key(const PrivateKey& key) {
  std::vector<std::uint8_t> der = key.public_key_der();
  crypto::PkeyPtr public_key = crypto::parse_public_key(
      std::string_view(reinterpret_cast<const char*>(der.data()), der.size()));
  if (!public_key) {
    throw Error(ErrorKind::kKey, "the public key of " + key.description() +
                                     " is not a DER SubjectPublicKeyInfo");
  }
  return public_key;
}

const PrivateKey& require(const std::unique_ptr<PrivateKey>& key) {
  if (!key) throw Error(ErrorKind::kInvalidArgument, "no private key given");
  return *key;
}

}  // namespace

CheckedKey::CheckedKey(std::unique_ptr<PrivateKey> key)
    : key_(std::move(key)),
      public_key_(decode_public_key(require(key_))),
      curve_(crypto::require_supported_ec_key(public_key_.get(), key_->description())) {}

std::vector<std::uint8_t> CheckedKey::sign(std::string_view message) {
  std::lock_guard lock(mutex_);
  std::vector<std::uint8_t> signature = key_->sign(message);
  // A signature nobody can verify must never reach a bundle.
  if (!crypto::verify_signature(public_key_.get(), crypto::hash_for_curve(curve_), message,
                                signature)) {
    throw Error(ErrorKind::kKey, "the signature of " + key_->description() +
                                     " does not verify with its public key: the private key and "
                                     "the public key it reports are not a pair, or it does not "
                                     "sign ECDSA with the curve's hash");
  }
  return signature;
}

}  // namespace model_signing::signing
