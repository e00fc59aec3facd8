// A SigningKey whose private half stays in a PKCS#11 token: the signers of
// the key and certificate methods sign with it unchanged.
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "crypto/openssl.h"
#include "signing/signing_key.h"

namespace model_signing::pkcs11 {

// Parses the URI, loads the module, selects the token, logs in and finds the
// EC key pair (private key object for signing, public key object for the
// verification material). Everything it opened is closed when the key is
// destroyed, or before it throws.
std::unique_ptr<signing::SigningKey> open_signing_key(
    std::string_view uri, const std::vector<std::filesystem::path>& module_directories);

struct KeyWithCertificate {
  std::unique_ptr<signing::SigningKey> key;
  crypto::X509Ptr certificate;
};

// As open_signing_key, plus the certificate object stored on the token with
// the key's label and/or id. Throws Error(kKey) if there is none.
KeyWithCertificate open_signing_key_and_certificate(
    std::string_view uri, const std::vector<std::filesystem::path>& module_directories);

}  // namespace model_signing::pkcs11
