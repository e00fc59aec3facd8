// The verification flow: check the bundle with the chosen verifier, read the
// signed manifest, re-hash the model the way it was signed, compare.
#include <set>

#include "engine/hash_model.h"
#include "model_signing/error.h"
#include "model_signing/verifying.h"
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
  VerifiedPayload verified = verifier_->verify(bundle);
  Manifest expected = manifest_from_statement(verified.payload_type, verified.payload);

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
  }
  std::vector<std::string> walk_warnings;
  hashing.warning = [&, forward = hashing.warning](const std::string& warning) {
    walk_warnings.push_back(warning);
    if (forward) forward(warning);
  };
  for (const auto& p : extra_ignore_paths_) hashing.ignore_paths.push_back(p);
  if (!signature_path.empty()) {
    std::error_code ec;
    hashing.ignore_paths.push_back(std::filesystem::absolute(signature_path, ec));
  }

  // A model that cannot match is refused before it is read when hashing
  // it would cost more than the manifest lists.
  auto check = [&](const walk::ModelTree& tree) {
    if (hashing.serialization != Serialization::kShards) return;
    verifying::check_before_hashing(expected, tree, hashing.shard_size, ignore_unsigned_files_);
  };
  Manifest actual;
  if (ignore_unsigned_files_) {
    std::set<std::string> names;
    for (const auto& item : expected.items()) names.insert(item.path);
    actual = engine::hash_model_files_checked(model_path, hashing, {names.begin(), names.end()}, check);
  } else {
    actual = engine::hash_model_checked(model_path, hashing, check);
  }
  std::error_code ec;
  bool single_file = std::filesystem::is_regular_file(model_path, ec);
  verifying::compare_manifests(expected, actual, single_file, ignore_unsigned_files_);

  VerificationResult result;
  result.manifest = std::move(expected);
  result.warnings = std::move(verified.warnings);
  result.warnings.insert(result.warnings.end(), walk_warnings.begin(), walk_warnings.end());
  result.details = std::move(verified.details);
  return result;
}

}  // namespace model_signing
