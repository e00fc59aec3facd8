// The verification flow: check the bundle with the chosen verifier, read the
// signed manifest, re-hash the model the way it was signed, compare.
#include <chrono>
#include <cstdio>
#include <set>

#include "engine/hash_model.h"
#include "model_signing/error.h"
#include "model_signing/verifying.h"
#include "util/log.h"
#include "verifying/manifest_compare.h"

namespace model_signing {

VerifyingConfig& VerifyingConfig::set_hashing_config(HashingConfig hashing) {
  explicit_hashing_ = std::move(hashing);
  return *this;
}

VerifyingConfig& VerifyingConfig::add_ignore_paths(std::vector<std::filesystem::path> paths) {
  for (auto& p : paths) extra_ignore_paths_.push_back(std::move(p));
  return *this;
}

VerifyingConfig& VerifyingConfig::set_ignore_git_paths(bool ignore) {
  ignore_git_paths_ = ignore;
  return *this;
}

VerifyingConfig& VerifyingConfig::set_allow_symlinks(bool allow) {
  allow_symlinks_ = allow;
  return *this;
}

VerifyingConfig& VerifyingConfig::set_max_workers(unsigned workers) {
  max_workers_ = workers;
  return *this;
}

VerifyingConfig& VerifyingConfig::set_progress(ProgressCallback progress) {
  progress_ = std::move(progress);
  return *this;
}

VerifyingConfig& VerifyingConfig::set_progress_report(ProgressReport progress) {
  progress_report_ = std::move(progress);
  return *this;
}

VerifyingConfig& VerifyingConfig::set_ignore_unsigned_files(bool ignore) {
  ignore_unsigned_files_ = ignore;
  return *this;
}

VerifyingConfig& VerifyingConfig::use_verifier(std::unique_ptr<Verifier> verifier) {
  verifier_ = std::move(verifier);
  return *this;
}

namespace {

bool lists_git_path(const Manifest& manifest) {
  for (const auto& item : manifest.items()) {
    std::string_view top = std::string_view(item.path).substr(0, item.path.find('/'));
    for (std::string_view git : kGitPaths) {
      if (top == git) return true;
    }
  }
  return false;
}

}  // namespace

VerificationResult VerifyingConfig::verify(const std::filesystem::path& model_path,
                                           const std::filesystem::path& signature_path) const {
  return verify_bundle(model_path, read_bundle_file(signature_path.string()), signature_path);
}

VerificationResult VerifyingConfig::verify_bundle(const std::filesystem::path& model_path,
                                                  const Bundle& bundle,
                                                  const std::filesystem::path& signature_path) const {
  if (!verifier_) throw Error(ErrorKind::kInvalidArgument, "no verifier configured");
  auto started = std::chrono::steady_clock::now();
  VerifiedPayload verified = verifier_->verify(bundle);
  Manifest expected = manifest_from_statement(verified.payload_type, verified.payload);
  if (log_enabled(LogLevel::kInfo)) {
    char took[32];
    std::snprintf(took, sizeof(took), "%.2f s",
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    util::log(LogLevel::kInfo, "verified the signature and its signer in " + std::string(took) +
                                   "; re-hashing the model as signed (" +
                                   std::string(to_string(expected.serialization().method)) + ", " +
                                   std::string(to_string(expected.serialization().hash)) + ")");
  }

  HashingConfig hashing;
  if (explicit_hashing_) {
    hashing = *explicit_hashing_;
  } else {
    const SerializationSpec& spec = expected.serialization();
    hashing.serialization = spec.method;
    hashing.hash = spec.hash;
    hashing.shard_size = spec.method == Serialization::kShards ? spec.shard_size : kDefaultShardSize;
    hashing.allow_symlinks = spec.allow_symlinks || allow_symlinks_;
    for (const auto& p : spec.ignore_paths) hashing.ignore_paths.emplace_back(p);
    // A signature that lists git files was made without ignoring them.
    hashing.ignore_git_paths = ignore_git_paths_ && !lists_git_path(expected);
    hashing.max_workers = max_workers_;
    hashing.progress = progress_;
    hashing.progress_report = progress_report_;
  }
  VerificationResult result;
  hashing.stats = &result.hashing;
  for (const auto& p : extra_ignore_paths_) hashing.ignore_paths.push_back(p);
  if (!signature_path.empty()) {
    std::error_code ec;
    hashing.ignore_paths.push_back(std::filesystem::absolute(signature_path, ec));
  }

  Manifest actual;
  if (ignore_unsigned_files_) {
    std::set<std::string> names;
    for (const auto& item : expected.items()) names.insert(item.path);
    actual = hash_model_files(model_path, hashing, {names.begin(), names.end()});
  } else {
    actual = engine::hash_model_to(model_path, hashing, "verify");
  }
  std::error_code ec;
  bool single_file = std::filesystem::is_regular_file(model_path, ec);
  verifying::compare_manifests(expected, actual, single_file, ignore_unsigned_files_);

  result.signature = describe_signature(bundle);
  result.manifest = std::move(expected);
  result.warnings = std::move(verified.warnings);
  result.details = std::move(verified.details);
  result.identity = std::move(verified.identity);
  result.oidc_issuer = std::move(verified.oidc_issuer);
  result.verified_times = std::move(verified.verified_times);
  return result;
}

}  // namespace model_signing
