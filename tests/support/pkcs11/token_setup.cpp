#include "support/pkcs11/token_setup.h"

#include <openssl/pem.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "support/test_pki.h"

namespace model_signing::testing {

namespace {

struct Curve {
  const char* label;
  const char* name;
  const char* id;
};
constexpr Curve kCurves[] = {
    {"p256", "secp256r1", "01"}, {"p384", "secp384r1", "02"}, {"p521", "secp521r1", "03"}};

EVP_PKEY* load_public_pem(const std::filesystem::path& path) {
  std::string pem = read_file(path);
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!key) throw std::runtime_error("not a public key: " + path.string());
  return key;
}

void certify(const TestIdentity& ca, const TokenSetup& setup, const std::string& label) {
  EVP_PKEY* key = load_public_pem(setup.file(label + ".pub"));
  CertSpec spec;
  spec.common_name = "token key " + label;
  ca.issue_for_key(spec, key).write_cert_pem(setup.file(label + ".crt"));
  EVP_PKEY_free(key);
}

std::unique_ptr<TokenSetup> make_setup() {
  auto setup = std::make_unique<TokenSetup>();
  SoftHsm& hsm = setup->hsm;
  // The library runs in this process too: point SoftHSM2 at the private
  // configuration before anything loads the module.
  ::setenv("SOFTHSM2_CONF", hsm.config_path().c_str(), 1);

  setup->slot = hsm.init_token(TokenSetup::kToken, TokenSetup::kPin);
  for (const Curve& curve : kCurves) {
    hsm.generate_ec_key(TokenSetup::kToken, TokenSetup::kPin, curve.name, curve.label, curve.id);
    hsm.export_public_key(TokenSetup::kToken, TokenSetup::kPin, curve.label,
                          setup->file(std::string(curve.label) + ".pub"));
  }
  hsm.generate_rsa_key(TokenSetup::kToken, TokenSetup::kPin, 1024, "rsa", "09");

  setup->second_slot = hsm.init_token(TokenSetup::kSecondToken, TokenSetup::kSecondPin);
  hsm.generate_ec_key(TokenSetup::kSecondToken, TokenSetup::kSecondPin, "secp256r1", "p256", "01");
  hsm.export_public_key(TokenSetup::kSecondToken, TokenSetup::kSecondPin, "p256",
                        setup->file("second-p256.pub"));

  TestIdentity ca = TestIdentity::make_root("P-256", "Token Test CA");
  ca.write_cert_pem(setup->file("ca.pem"));
  certify(ca, *setup, "p256");
  certify(ca, *setup, "p384");
  // The p384 certificate is also kept on the token, next to its key.
  hsm.import_certificate(TokenSetup::kToken, TokenSetup::kPin, setup->file("p384.crt"), "p384", "02");
  CertSpec stranger;
  stranger.common_name = "not on the token";
  ca.issue(stranger, "P-256").write_cert_pem(setup->file("stranger.crt"));
  return setup;
}

}  // namespace

std::string TokenSetup::uri(const std::string& path, const std::string& query) const {
  return "pkcs11:" + path + "?module-path=" + SoftHsm::module_path().string() +
         (query.empty() ? "" : "&" + query);
}

const TokenSetup& token_setup() {
  static std::unique_ptr<TokenSetup> setup = make_setup();
  return *setup;
}

}  // namespace model_signing::testing
