// The certificate method's signer: a private key signs the DSSE envelope;
// the bundle carries its certificate and the chain.
#include "signing/certificate/certificate_signer.h"

#include "crypto/x509.h"
#include "model_signing/error.h"
#include "signing/checked_key.h"
#include "signing/key/pem_private_key.h"
#include "signing/local_signer.h"

namespace model_signing {

namespace signing {

namespace {

// Throws Error(kKey) if the key does not match the leaf certificate.
VerificationMaterial certificate_material(EVP_PKEY* public_key, X509* leaf,
                                          const std::vector<crypto::X509Ptr>& chain) {
  EVP_PKEY* cert_key = X509_get0_pubkey(leaf);
  if (!cert_key || !crypto::same_public_key(cert_key, public_key)) {
    throw Error(ErrorKind::kKey, "the private key does not match the signing certificate (" +
                                     crypto::subject_name(leaf) + ")");
  }
  VerificationMaterial vm;
  vm.kind = VerificationMaterial::Kind::kX509CertificateChain;
  vm.certificates.push_back(crypto::certificate_der(leaf));
  for (const auto& cert : chain) vm.certificates.push_back(crypto::certificate_der(cert.get()));
  vm.tlog_entries_present = true;
  return vm;
}

}  // namespace

std::unique_ptr<Signer> make_certificate_signer(std::unique_ptr<PrivateKey> private_key,
                                                crypto::X509Ptr signing_certificate,
                                                const std::vector<std::filesystem::path>& chain_files) {
  auto key = std::make_unique<CheckedKey>(std::move(private_key));
  std::vector<crypto::X509Ptr> chain;
  for (const auto& file : chain_files) {
    for (auto& cert : crypto::load_certificates_pem(file)) chain.push_back(std::move(cert));
  }
  VerificationMaterial vm = certificate_material(key->public_key(), signing_certificate.get(), chain);
  return make_local_signer(std::move(key), std::move(vm));
}

}  // namespace signing

std::unique_ptr<Signer> make_certificate_signer(
    std::unique_ptr<PrivateKey> private_key, const std::filesystem::path& signing_certificate,
    const std::vector<std::filesystem::path>& certificate_chain) {
  auto leaf_certs = crypto::load_certificates_pem(signing_certificate);
  return signing::make_certificate_signer(std::move(private_key), std::move(leaf_certs[0]),
                                          certificate_chain);
}

std::unique_ptr<Signer> make_certificate_signer(
    const std::filesystem::path& private_key, const std::filesystem::path& signing_certificate,
    const std::vector<std::filesystem::path>& certificate_chain,
    const std::optional<std::string>& password) {
  return make_certificate_signer(signing::load_pem_private_key(private_key, password),
                                 signing_certificate, certificate_chain);
}

SigningConfig& SigningConfig::use_certificate_signer(
    std::unique_ptr<PrivateKey> private_key, const std::filesystem::path& signing_certificate,
    const std::vector<std::filesystem::path>& chain) {
  return use_signer(make_certificate_signer(std::move(private_key), signing_certificate, chain));
}

SigningConfig& SigningConfig::use_certificate_signer(const std::filesystem::path& private_key,
                                                     const std::filesystem::path& signing_certificate,
                                                     const std::vector<std::filesystem::path>& chain,
                                                     const std::optional<std::string>& password) {
  return use_signer(make_certificate_signer(private_key, signing_certificate, chain, password));
}

}  // namespace model_signing
