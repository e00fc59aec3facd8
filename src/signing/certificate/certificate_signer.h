// The certificate method's signer with the signing certificate already in
// hand (the PKCS#11 method reads it from the token).
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "crypto/openssl.h"
#include "model_signing/signing.h"

namespace model_signing::signing {

std::unique_ptr<Signer> make_certificate_signer(std::unique_ptr<PrivateKey> key,
                                                crypto::X509Ptr signing_certificate,
                                                const std::vector<std::filesystem::path>& chain_files);

}  // namespace model_signing::signing
