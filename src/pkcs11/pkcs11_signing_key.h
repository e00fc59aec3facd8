// A SigningKey whose private half stays in a PKCS#11 token: the signers of
// the key and certificate methods sign with it unchanged.
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "signing/signing_key.h"

namespace model_signing::pkcs11 {

// Parses the URI, loads the module, selects the token, logs in and finds the
// EC key pair (private key object for signing, public key object for the
// verification material). Everything it opened is closed when the key is
// destroyed, or before it throws.
std::unique_ptr<signing::SigningKey> open_signing_key(
    std::string_view uri, const std::vector<std::filesystem::path>& module_directories);

}  // namespace model_signing::pkcs11
