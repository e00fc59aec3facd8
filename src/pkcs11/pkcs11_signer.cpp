// The public PKCS#11 signing API: the key and certificate signers, fed a
// SigningKey that lives in a token.
#include "model_signing/pkcs11.h"

#include "pkcs11/module_locator.h"
#include "pkcs11/pkcs11_signing_key.h"
#include "signing/dsse_signer.h"

namespace model_signing {

namespace {

std::vector<std::filesystem::path> module_directories(const Pkcs11Options& options) {
  return options.module_directories.value_or(pkcs11::default_module_directories());
}

std::unique_ptr<signing::SigningKey> open_key(const std::string& uri, const Pkcs11Options& options) {
  return pkcs11::open_signing_key(uri, module_directories(options));
}

}  // namespace

std::vector<std::filesystem::path> default_pkcs11_module_directories() {
  return pkcs11::default_module_directories();
}

std::unique_ptr<Signer> make_pkcs11_key_signer(const std::string& uri, const Pkcs11Options& options) {
  return signing::make_key_signer(open_key(uri, options));
}

std::unique_ptr<Signer> make_pkcs11_certificate_signer(
    const std::string& uri, const std::filesystem::path& signing_certificate,
    const std::vector<std::filesystem::path>& certificate_chain, const Pkcs11Options& options) {
  if (!signing_certificate.empty()) {
    return signing::make_certificate_signer(open_key(uri, options), signing_certificate,
                                            certificate_chain);
  }
  pkcs11::KeyWithCertificate opened =
      pkcs11::open_signing_key_and_certificate(uri, module_directories(options));
  return signing::make_certificate_signer(std::move(opened.key), std::move(opened.certificate),
                                          certificate_chain);
}

SigningConfig& SigningConfig::use_pkcs11_key_signer(const std::string& uri) {
  return use_signer(make_pkcs11_key_signer(uri));
}

SigningConfig& SigningConfig::use_pkcs11_certificate_signer(
    const std::string& uri, const std::filesystem::path& signing_certificate,
    const std::vector<std::filesystem::path>& chain) {
  return use_signer(make_pkcs11_certificate_signer(uri, signing_certificate, chain));
}

}  // namespace model_signing
