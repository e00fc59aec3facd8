// The key method's signer: a private key signs the DSSE envelope; the bundle
// names the public key by its hint.
#include "signing/key/key_signer.h"

#include "crypto/digest.h"
#include "crypto/ec_key.h"
#include "model_signing/signing.h"
#include "signing/checked_key.h"
#include "signing/key/pem_private_key.h"
#include "signing/local_signer.h"
#include "util/encoding.h"

namespace model_signing {

namespace signing {

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

}  // namespace signing

std::unique_ptr<Signer> make_key_signer(std::unique_ptr<PrivateKey> private_key) {
  auto key = std::make_unique<signing::CheckedKey>(std::move(private_key));
  VerificationMaterial vm = signing::public_key_material(key->public_key());
  return signing::make_local_signer(std::move(key), std::move(vm));
}

std::unique_ptr<Signer> make_key_signer(const std::filesystem::path& private_key,
                                        const std::optional<std::string>& password) {
  return make_key_signer(signing::load_pem_private_key(private_key, password));
}

SigningConfig& SigningConfig::use_key_signer(std::unique_ptr<PrivateKey> private_key) {
  return use_signer(make_key_signer(std::move(private_key)));
}

SigningConfig& SigningConfig::use_key_signer(const std::filesystem::path& private_key,
                                             const std::optional<std::string>& password) {
  return use_signer(make_key_signer(private_key, password));
}

}  // namespace model_signing
