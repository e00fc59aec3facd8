// The signing flow: hash the model, build the statement, have the chosen
// method sign it, write the bundle atomically.
#include "model_signing/error.h"
#include "model_signing/signing.h"
#include "util/encoding.h"
#include "util/file_io.h"

namespace model_signing {

SigningConfig& SigningConfig::set_hashing_config(HashingConfig hashing) {
  hashing_ = std::move(hashing);
  return *this;
}

SigningConfig& SigningConfig::use_signer(std::unique_ptr<Signer> signer) {
  signer_ = std::move(signer);
  return *this;
}

namespace {

struct Signed {
  Manifest manifest;
  Bundle bundle;
};

Signed hash_and_sign(const HashingConfig& config, Signer* signer,
                     const std::filesystem::path& model_path,
                     const std::filesystem::path& signature_path) {
  if (!signer) throw Error(ErrorKind::kInvalidArgument, "no signer configured");
  HashingConfig hashing = config;
  if (!signature_path.empty()) {
    // The signature must never sign itself when it is written into the model.
    std::error_code ec;
    hashing.ignore_paths.push_back(std::filesystem::absolute(signature_path, ec));
  }
  Manifest manifest = hash_model(model_path, hashing);
  Bundle bundle = signer->sign(statement_json(manifest));
  return {std::move(manifest), std::move(bundle)};
}

}  // namespace

Bundle SigningConfig::sign_to_bundle(const std::filesystem::path& model_path,
                                     const std::filesystem::path& signature_path) const {
  return hash_and_sign(hashing_, signer_.get(), model_path, signature_path).bundle;
}

Manifest SigningConfig::sign(const std::filesystem::path& model_path,
                             const std::filesystem::path& signature_path) const {
  // Writing the signature over a single-file model would destroy the model.
  std::error_code ec;
  if (std::filesystem::equivalent(model_path, signature_path, ec)) {
    throw Error(ErrorKind::kInvalidArgument,
                "signature file " + util::printable(signature_path.string()) +
                    " would overwrite the model: choose another signature path");
  }
  Signed result = hash_and_sign(hashing_, signer_.get(), model_path, signature_path);
  util::write_file_atomically(signature_path, serialize_bundle(result.bundle));
  return std::move(result.manifest);
}

}  // namespace model_signing
