// Built instead of the PKCS#11 sources when the library is configured with
// MS_WITH_PKCS11=OFF (no p11-kit): every way in says so.
#include "model_signing/error.h"
#include "signing/pkcs11/pkcs11_private_key.h"

namespace model_signing::pkcs11 {

namespace {

[[noreturn]] void not_built_in() {
  throw Error(ErrorKind::kUnsupported,
              "PKCS#11 signing is not built into this model_signing (configured with "
              "MS_WITH_PKCS11=OFF)");
}

}  // namespace

std::vector<std::filesystem::path> default_module_directories() { return {}; }

std::unique_ptr<PrivateKey> open_private_key(std::string_view,
                                             const std::vector<std::filesystem::path>&) {
  not_built_in();
}

KeyWithCertificate open_private_key_and_certificate(std::string_view,
                                                    const std::vector<std::filesystem::path>&) {
  not_built_in();
}

}  // namespace model_signing::pkcs11
