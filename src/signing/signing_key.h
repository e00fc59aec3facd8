// A private EC key that can sign, wherever it lives: a PEM file here, a
// PKCS#11 token elsewhere. Signers that only need "a key" take this.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/ec_key.h"
#include "crypto/openssl.h"

namespace model_signing::signing {

class SigningKey {
 public:
  virtual ~SigningKey() = default;
  // The matching public key; always an EC key on a supported curve.
  virtual EVP_PKEY* public_key() const = 0;
  // DER ECDSA signature over `message`, hashed with the curve's hash.
  virtual std::vector<std::uint8_t> sign(std::string_view message) = 0;
};

std::unique_ptr<SigningKey> load_pem_signing_key(const std::filesystem::path& path,
                                                 const std::optional<std::string>& password);

// Wraps a private key already in memory (e.g. an ephemeral Sigstore key).
std::unique_ptr<SigningKey> make_signing_key(crypto::PkeyPtr private_key);

}  // namespace model_signing::signing
