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
#include "model_signing/digest_sources.h"
#include "model_signing/hashing.h"
#include "model_signing/http.h"
#include "model_signing/manifest.h"
#include "model_signing/private_key.h"
#include "model_signing/verifying.h"

#pragma GCC visibility push(default)  // the public API (src/CMakeLists.txt)
namespace model_signing {

struct SigstoreSigningOptions;  // sigstore_sign.h

// Turns an in-toto statement (the DSSE payload) into a signed bundle.
class Signer {
 public:
  virtual ~Signer() = default;
  virtual Bundle sign(const std::string& statement_json) = 0;
  // The verification material every bundle of this signer carries, when it
  // is known before signing (the key and certificate methods; Sigstore's
  // certificate is only issued when signing). Lets a caller check the
  // signing certificate before hashing a large model.
  virtual const VerificationMaterial* material() const { return nullptr; }
  // A verifier for this signer's own signatures when the signer holds what
  // verifies them (a key method's public key); null otherwise. Used to check
  // an earlier signature before its digests are reused.
  virtual std::unique_ptr<Verifier> own_verifier() const { return nullptr; }
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

// What SigningConfig::sign_with_details() produced.
struct SigningResult {
  Manifest manifest;     // what was signed
  Bundle bundle;         // the signature, as written
  HashingStats hashing;  // files and bytes hashed (reused digests not counted)
  DigestCounts counts;   // files and bytes hashed and reused (reuse_digests)
  // One line each: symbolic links leading out of the model or into a cycle
  // (OMS 6.1.1, also passed to HashingConfig::warning), no stat record kept.
  std::vector<std::string> warnings;
};

// RFC 3161 timestamps for key and certificate signatures (the key,
// certificate, PKCS#11 and custom-key methods): after `signer` signs, each
// timestamp authority is asked to timestamp the DSSE signature (SHA-256 of
// its bytes, as Sigstore timestamps signatures for Rekor v2 bundles); each
// response is checked (granted, this request's nonce and imprint, CMS
// signature, the TSA certificate's timeStamping usage and validity at the
// timestamp's time, its chain to `tsa_certificate_chain` when given, else
// to the certificates the response carries) and goes into the bundle's
// verificationMaterial.timestampVerificationData. The Python tool ignores
// that field for these bundles, which otherwise stay as they were.
struct TimestampingOptions {
  std::vector<std::string> tsa_urls;  // every one is asked; all must answer
  // PEM files; any certificate in them may be the anchor of the TSA's chain.
  std::vector<std::filesystem::path> tsa_certificate_chain;
  HttpOptions http;
};
// Throws Error(kInvalidArgument) without URLs, Error(kIo) for unreadable
// chain files, Error(kUnsupported) when built without the network client.
// Its sign() throws Error(kNetwork) when a TSA fails, Error(kUntrustedSigner)
// when a response does not verify, Error(kMalformedBundle) when the bundle
// is not a single-signature DSSE envelope.
std::unique_ptr<Signer> make_timestamping_signer(std::unique_ptr<Signer> signer,
                                                 TimestampingOptions options);

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

  // Incremental re-signing (digest_sources.h): digests of unchanged files
  // come from `reuse.old_signature` once it has verified. The new signature
  // gets a stat record when it lies outside the model.
  SigningConfig& reuse_digests(ReuseDigests reuse);
  // Also write the stat record (stat_record_path()) of the signature, so a
  // later signing can reuse its digests without being told what changed.
  // Refused when the signature lies inside the model (the record would
  // become part of the model).
  SigningConfig& set_write_stat_record(bool write);

  // Hashes the model, signs the statement and writes the bundle atomically:
  // on failure no new file exists and an existing signature is untouched.
  // The signature file is excluded from the model when it lies inside it.
  // Refuses (Error(kInvalidArgument)) to write over the model itself, or
  // over a file of the model (one inside it that is not ignored) unless
  // that file is a Sigstore bundle: a previous signature.
  Manifest sign(const std::filesystem::path& model_path,
                const std::filesystem::path& signature_path) const;
  // sign(), returning the bundle, how much of the model was read and
  // reused, and warnings (e.g. no stat record could be kept).
  SigningResult sign_with_details(const std::filesystem::path& model_path,
                                  const std::filesystem::path& signature_path) const;

  // Hashes and signs without writing anything.
  Bundle sign_to_bundle(const std::filesystem::path& model_path,
                        const std::filesystem::path& signature_path = {}) const;

  // Signs a manifest made elsewhere (manifest_from_digest_list(),
  // manifest_from_oci_manifest()) and writes the bundle atomically.
  // Returns the bundle written.
  Bundle sign_manifest(const Manifest& manifest, const std::filesystem::path& signature_path) const;
  Bundle sign_manifest_to_bundle(const Manifest& manifest) const;

 private:
  HashingConfig hashing_;
  std::shared_ptr<Signer> signer_;
  std::optional<ReuseDigests> reuse_;
  bool write_stat_record_ = false;
};

}  // namespace model_signing
#pragma GCC visibility pop
