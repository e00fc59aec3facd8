// A PrivateKey whose private half stays in a PKCS#11 token: the key and
// certificate methods sign with it unchanged. What the rest of the library
// sees of PKCS#11 (no p11-kit types here: without MS_WITH_PKCS11 these are
// defined by pkcs11_unavailable.cpp and throw Error(kUnsupported)).
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "crypto/openssl.h"
#include "model_signing/private_key.h"

namespace model_signing::pkcs11 {

// Where Debian installs PKCS#11 modules: p11-kit's module directory
// (/usr/lib/<multiarch>/pkcs11), SoftHSM2's (/usr/lib/softhsm and
// /usr/lib/<multiarch>/softhsm), and the directories the Python tool searches
// (/usr/lib64/pkcs11, /usr/lib/pkcs11).
std::vector<std::filesystem::path> default_module_directories();

// Parses the URI, loads the module, selects the token, logs in and finds the
// EC key pair (private key object for signing, public key object for the
// verification material). Everything it opened is closed when the key is
// destroyed, or before it throws.
std::unique_ptr<PrivateKey> open_private_key(
    std::string_view uri, const std::vector<std::filesystem::path>& module_directories);

struct KeyWithCertificate {
  std::unique_ptr<PrivateKey> key;
  crypto::X509Ptr certificate;
};

// As open_private_key, plus the certificate object stored on the token with
// the key's label and/or id. Throws Error(kKey) if there is none.
KeyWithCertificate open_private_key_and_certificate(
    std::string_view uri, const std::vector<std::filesystem::path>& module_directories);

}  // namespace model_signing::pkcs11
