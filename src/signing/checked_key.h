// A PrivateKey (the public key seam) as the signers use it: its public key
// decoded once and held to the EC-only policy, and every signature checked
// against that public key before anything relies on it.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/ec_key.h"
#include "crypto/openssl.h"
#include "model_signing/private_key.h"

namespace model_signing::signing {

class CheckedKey {
 public:
  // Throws Error(kInvalidArgument) for a null key, Error(kKey) if its public
  // key does not decode, Error(kUnsupported) unless it is EC P-256/384/521.
  explicit CheckedKey(std::unique_ptr<PrivateKey> key);

  EVP_PKEY* public_key() const { return public_key_.get(); }
  std::string description() const { return key_->description(); }

  // The key's DER ECDSA signature over `message`, made one call at a time.
  // Throws Error(kKey) if it does not verify with the public key.
  std::vector<std::uint8_t> sign(std::string_view message);

 private:
  std::unique_ptr<PrivateKey> key_;
  crypto::PkeyPtr public_key_;
  crypto::EcCurve curve_;
  std::mutex mutex_;
};

}  // namespace model_signing::signing
