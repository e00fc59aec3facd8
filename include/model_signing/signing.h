// Signing a model.
//
//   model_signing::SigningConfig()
//       .use_key_signer("key.pem")
//       .set_hashing_config(hashing)
//       .sign("my-model", "my-model.sig");
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model_signing/bundle.h"
#include "model_signing/hashing.h"
#include "model_signing/manifest.h"
#include "model_signing/private_key.h"

#pragma GCC visibility push(default)  // the public API (src/CMakeLists.txt)
namespace model_signing {

struct SigstoreSigningOptions;  // sigstore_sign.h

// Turns an in-toto statement (the DSSE payload) into a signed bundle.
class Signer {
 public:
  virtual ~Signer() = default;
  virtual Bundle sign(const std::string& statement_json) = 0;
};

// The key method. The private key is a PEM EC key (P-256, P-384, P-521),
// optionally encrypted, or any PrivateKey (private_key.h).
std::unique_ptr<Signer> make_key_signer(const std::filesystem::path& private_key,
                                        const std::optional<std::string>& password = {});
std::unique_ptr<Signer> make_key_signer(std::unique_ptr<PrivateKey> private_key);

// The certificate method: a key plus its certificate and optional chain
// files (PEM, any number of certificates each). The key must match the
// certificate (Error(kKey) if not).
std::unique_ptr<Signer> make_certificate_signer(
    const std::filesystem::path& private_key, const std::filesystem::path& signing_certificate,
    const std::vector<std::filesystem::path>& certificate_chain,
    const std::optional<std::string>& password = {});
std::unique_ptr<Signer> make_certificate_signer(
    std::unique_ptr<PrivateKey> private_key, const std::filesystem::path& signing_certificate,
    const std::vector<std::filesystem::path>& certificate_chain);

class SigningConfig {
 public:
  SigningConfig& set_hashing_config(HashingConfig hashing);
  // One helper per method, each the same as use_signer(make_<method>_signer(...)).
  SigningConfig& use_signer(std::unique_ptr<Signer> signer);
  SigningConfig& use_key_signer(const std::filesystem::path& private_key,
                                const std::optional<std::string>& password = {});
  SigningConfig& use_key_signer(std::unique_ptr<PrivateKey> private_key);
  SigningConfig& use_certificate_signer(const std::filesystem::path& private_key,
                                        const std::filesystem::path& signing_certificate,
                                        const std::vector<std::filesystem::path>& chain,
                                        const std::optional<std::string>& password = {});
  SigningConfig& use_certificate_signer(std::unique_ptr<PrivateKey> private_key,
                                        const std::filesystem::path& signing_certificate,
                                        const std::vector<std::filesystem::path>& chain);
  // Keys in a PKCS#11 token, named by an RFC 7512 URI (see pkcs11.h for the
  // URI and for options such as the module directories).
  SigningConfig& use_pkcs11_key_signer(const std::string& uri);
  SigningConfig& use_pkcs11_certificate_signer(const std::string& uri,
                                               const std::filesystem::path& signing_certificate,
                                               const std::vector<std::filesystem::path>& chain);
  // Keyless signing with Sigstore (include sigstore_sign.h for the options).
  SigningConfig& use_sigstore_signer(const SigstoreSigningOptions& options);

  const HashingConfig& hashing_config() const { return hashing_; }

  // Hashes the model, signs the statement and writes the bundle atomically:
  // on failure no new file exists and an existing signature is untouched.
  // The signature file is excluded from the model when it lies inside it.
  Manifest sign(const std::filesystem::path& model_path,
                const std::filesystem::path& signature_path) const;

  // Hashes and signs without writing anything.
  Bundle sign_to_bundle(const std::filesystem::path& model_path,
                        const std::filesystem::path& signature_path = {}) const;

 private:
  HashingConfig hashing_;
  std::shared_ptr<Signer> signer_;
};

}  // namespace model_signing
#pragma GCC visibility pop
