// The PEM private key of the key and certificate methods (an EC key on
// P-256, P-384 or P-521; PKCS#8 or traditional, encrypted or not), as a
// PrivateKey.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "model_signing/private_key.h"

namespace model_signing::signing {

// Throws Error(kKey) with the reason (missing file, wrong password, not a
// key...).
std::unique_ptr<PrivateKey> load_pem_private_key(const std::filesystem::path& path,
                                                 const std::optional<std::string>& password);

}  // namespace model_signing::signing
