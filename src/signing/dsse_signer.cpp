#include "signing/dsse_signer.h"

#include "bundle/dsse.h"
#include "crypto/digest.h"
#include "crypto/ec_key.h"
#include "crypto/x509.h"
#include "model_signing/error.h"
#include "util/encoding.h"

namespace model_signing::signing {

namespace {

class MaterialSigner final : public Signer {
 public:
  MaterialSigner(std::unique_ptr<SigningKey> key, VerificationMaterial material)
      : key_(std::move(key)), material_(std::move(material)) {}

  Bundle sign(const std::string& statement) override {
    Bundle bundle;
    bundle.media_type = std::string(kBundleMediaTypeV03);
    bundle.verification_material = material_;
    bundle.dsse_envelope = sign_envelope(*key_, statement);
    return bundle;
  }

 private:
  std::unique_ptr<SigningKey> key_;
  VerificationMaterial material_;
};

}  // namespace

DsseEnvelope sign_envelope(SigningKey& key, const std::string& statement) {
  DsseEnvelope envelope;
  envelope.payload = statement;
  envelope.payload_type = std::string(kInTotoPayloadType);
  envelope.signatures.push_back({key.sign(dsse::pae(envelope.payload_type, statement)), ""});
  return envelope;
}

std::string public_key_hint(EVP_PKEY* public_key) {
  return util::to_hex(crypto::sha256(crypto::public_key_spki_pem(public_key)));
}

VerificationMaterial public_key_material(EVP_PKEY* public_key) {
  VerificationMaterial vm;
  vm.kind = VerificationMaterial::Kind::kPublicKey;
  vm.public_key_hint = public_key_hint(public_key);
  vm.tlog_entries_present = true;  // upstream writes "tlogEntries": []
  return vm;
}

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

std::unique_ptr<Signer> make_key_signer(std::unique_ptr<SigningKey> key) {
  VerificationMaterial vm = public_key_material(key->public_key());
  return std::make_unique<MaterialSigner>(std::move(key), std::move(vm));
}

std::unique_ptr<Signer> make_certificate_signer(std::unique_ptr<SigningKey> key,
                                                const std::filesystem::path& signing_certificate,
                                                const std::vector<std::filesystem::path>& chain_files) {
  auto leaf_certs = crypto::load_certificates_pem(signing_certificate);
  return make_certificate_signer(std::move(key), std::move(leaf_certs[0]), chain_files);
}

std::unique_ptr<Signer> make_certificate_signer(std::unique_ptr<SigningKey> key,
                                                crypto::X509Ptr signing_certificate,
                                                const std::vector<std::filesystem::path>& chain_files) {
  std::vector<crypto::X509Ptr> chain;
  for (const auto& file : chain_files) {
    for (auto& cert : crypto::load_certificates_pem(file)) chain.push_back(std::move(cert));
  }
  VerificationMaterial vm = certificate_material(key->public_key(), signing_certificate.get(), chain);
  return std::make_unique<MaterialSigner>(std::move(key), std::move(vm));
}

}  // namespace model_signing::signing

namespace model_signing {

std::unique_ptr<Signer> make_key_signer(const std::filesystem::path& private_key,
                                        const std::optional<std::string>& password) {
  return signing::make_key_signer(signing::load_pem_signing_key(private_key, password));
}

std::unique_ptr<Signer> make_certificate_signer(
    const std::filesystem::path& private_key, const std::filesystem::path& signing_certificate,
    const std::vector<std::filesystem::path>& certificate_chain,
    const std::optional<std::string>& password) {
  return signing::make_certificate_signer(signing::load_pem_signing_key(private_key, password),
                                          signing_certificate, certificate_chain);
}

}  // namespace model_signing
