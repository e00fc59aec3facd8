// The signing flow: hash the model, build the statement, have the chosen
// method sign it, write the bundle atomically.
#include <chrono>
#include <cstdio>

#include "engine/hash_model.h"
#include "model_signing/error.h"
#include "model_signing/signing.h"
#include "util/encoding.h"
#include "util/file_io.h"
#include "util/log.h"

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

SigningResult hash_and_sign(const HashingConfig& config, Signer* signer,
                            const std::filesystem::path& model_path,
                            const std::filesystem::path& signature_path) {
  if (!signer) throw Error(ErrorKind::kInvalidArgument, "no signer configured");
  SigningResult result;
  HashingConfig hashing = config;
  hashing.stats = &result.hashing;
  if (!signature_path.empty()) {
    // The signature must never sign itself when it is written into the model.
    std::error_code ec;
    hashing.ignore_paths.push_back(std::filesystem::absolute(signature_path, ec));
  }
  result.manifest = engine::hash_model_to(model_path, hashing, "sign");
  auto started = std::chrono::steady_clock::now();
  result.bundle = signer->sign(statement_json(result.manifest));
  if (log_enabled(LogLevel::kInfo)) {
    char took[32];
    std::snprintf(took, sizeof(took), "%.2f s",
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    util::log(LogLevel::kInfo, std::string("signed the statement in ") + took);
  }
  if (config.stats) *config.stats = result.hashing;
  return result;
}

bool is_sigstore_bundle(const std::filesystem::path& path) {
  try {
    read_bundle_file(path.string());
    return true;
  } catch (const Error&) {
    return false;
  }
}

// Writing the signature over the model, or over one of its files, would
// destroy what was just signed; over a previous signature it is expected.
void check_signature_destination(const HashingConfig& hashing,
                                 const std::filesystem::path& model_path,
                                 const std::filesystem::path& signature_path) {
  std::error_code ec;
  if (std::filesystem::equivalent(model_path, signature_path, ec)) {
    throw Error(ErrorKind::kInvalidArgument,
                "signature file " + util::printable(signature_path.string()) +
                    " would overwrite the model: choose another signature path");
  }
  if (!std::filesystem::is_regular_file(std::filesystem::symlink_status(signature_path, ec)) ||
      !std::filesystem::is_directory(model_path, ec)) {
    return;
  }
  std::optional<std::string> inside = path_in_model(model_path, signature_path);
  if (!inside) return;
  walk::WalkOptions options = engine::walk_options_for(model_path, hashing);
  if (options.ignore.is_ignored(*inside) || is_sigstore_bundle(signature_path)) return;
  throw Error(ErrorKind::kInvalidArgument,
              "signature file " + util::printable(signature_path.string()) +
                  " would overwrite " + util::printable(*inside) +
                  ", a file of the model that is not a signature: choose another signature path");
}

}  // namespace

Bundle SigningConfig::sign_to_bundle(const std::filesystem::path& model_path,
                                     const std::filesystem::path& signature_path) const {
  return hash_and_sign(hashing_, signer_.get(), model_path, signature_path).bundle;
}

SigningResult SigningConfig::sign_with_details(const std::filesystem::path& model_path,
                                               const std::filesystem::path& signature_path) const {
  check_signature_destination(hashing_, model_path, signature_path);
  SigningResult result = hash_and_sign(hashing_, signer_.get(), model_path, signature_path);
  util::write_file_atomically(signature_path, serialize_bundle(result.bundle));
  util::log(LogLevel::kInfo, "wrote the signature to " + util::printable(signature_path.string()));
  return result;
}

Manifest SigningConfig::sign(const std::filesystem::path& model_path,
                             const std::filesystem::path& signature_path) const {
  return std::move(sign_with_details(model_path, signature_path).manifest);
}

}  // namespace model_signing
