// The PKCS#11 method's signers: the key and certificate signers, fed a
// PrivateKey that lives in a token. (Bundles made with it verify with the
// key and certificate verifiers.)
#include "model_signing/pkcs11.h"

#include "signing/certificate/certificate_signer.h"
#include "signing/pkcs11/pkcs11_private_key.h"

namespace model_signing {

namespace {

std::vector<std::filesystem::path> module_directories(const Pkcs11Options& options) {
  return options.module_directories.value_or(pkcs11::default_module_directories());
}

}  // namespace

std::vector<std::filesystem::path> default_pkcs11_module_directories() {
  return pkcs11::default_module_directories();
}

std::unique_ptr<Signer> make_pkcs11_key_signer(const std::string& uri, const Pkcs11Options& options) {
  return make_key_signer(pkcs11::open_private_key(uri, module_directories(options)));
}

std::unique_ptr<Signer> make_pkcs11_certificate_signer(
    const std::string& uri, const std::filesystem::path& signing_certificate,
    const std::vector<std::filesystem::path>& certificate_chain, const Pkcs11Options& options) {
  if (!signing_certificate.empty()) {
    return make_certificate_signer(pkcs11::open_private_key(uri, module_directories(options)),
                                   signing_certificate, certificate_chain);
  }
  pkcs11::KeyWithCertificate opened =
      pkcs11::open_private_key_and_certificate(uri, module_directories(options));
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
