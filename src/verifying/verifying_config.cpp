// The verification flow: check the bundle with the chosen verifier, read the
// signed manifest, re-hash the model the way it was signed (all of it, or
// only the files set_only_files() names), compare.
#include <chrono>
#include <cstdio>
#include <set>

#include "engine/hash_model.h"
#include "model_signing/error.h"
#include "model_signing/verifying.h"
#include "signing/signature_info.h"
#include "util/log.h"
#include "verifying/manifest_compare.h"
#include "verifying/only_files.h"
#include "walk/ignore_rules.h"

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

VerifyingConfig& VerifyingConfig::set_only_files(std::vector<std::filesystem::path> paths) {
  only_files_ = std::move(paths);
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

namespace {

struct SignedManifest {
  Manifest manifest;
  VerifiedPayload verified;
};

SignedManifest verify_signature(const std::shared_ptr<Verifier>& verifier, const Bundle& bundle) {
  if (!verifier) throw Error(ErrorKind::kInvalidArgument, "no verifier configured");
  auto started = std::chrono::steady_clock::now();
  SignedManifest out;
  out.verified = verifier->verify(bundle);
  out.manifest = manifest_from_statement(out.verified.payload_type, out.verified.payload);
  if (log_enabled(LogLevel::kInfo)) {
    char took[32];
    std::snprintf(took, sizeof(took), "%.2f s",
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    util::log(LogLevel::kInfo, "verified the signature and its signer in " + std::string(took) + " (" +
                                   std::string(to_string(out.manifest.serialization().method)) + ", " +
                                   std::string(to_string(out.manifest.serialization().hash)) + ")");
  }
  return out;
}

VerificationResult result_of(SignedManifest signed_manifest, const Bundle& bundle, std::size_t files_checked,
                             const HashingStats& hashing, const std::vector<std::string>& walk_warnings = {}) {
  VerificationResult result;
  result.files_signed = verifying::file_count(signed_manifest.manifest);
  result.files_checked = files_checked;
  result.hashing = hashing;
  result.signature = signing::describe_signature(bundle, signed_manifest.manifest);
  result.manifest = std::move(signed_manifest.manifest);
  VerifiedPayload& verified = signed_manifest.verified;
  result.warnings = std::move(verified.warnings);
  result.warnings.insert(result.warnings.end(), walk_warnings.begin(), walk_warnings.end());
  result.details = std::move(verified.details);
  result.identity = std::move(verified.identity);
  result.oidc_issuer = std::move(verified.oidc_issuer);
  result.verified_times = std::move(verified.verified_times);
  return result;
}

}  // namespace

VerificationResult VerifyingConfig::verify_bundle(const std::filesystem::path& model_path,
                                                  const Bundle& bundle,
                                                  const std::filesystem::path& signature_path) const {
  SignedManifest signed_manifest = verify_signature(verifier_, bundle);
  const Manifest& expected = signed_manifest.manifest;

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
  HashingStats stats;
  hashing.stats = &stats;
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
  auto check_against = [&](const Manifest& listed, bool ignore_extra) {
    return [&hashing, &listed, ignore_extra](const walk::ModelTree& tree) {
      if (hashing.serialization != Serialization::kShards) return;
      verifying::check_before_hashing(listed, tree, hashing.shard_size, ignore_extra);
    };
  };
  std::error_code ec;
  bool single_file = std::filesystem::is_regular_file(model_path, ec);
  if (!only_files_.empty()) {
    // Only the named files are read; the rest of the model is not looked at.
    std::vector<std::string> names = verifying::select_signed_files(model_path, expected, only_files_);
    Manifest listed = verifying::restrict_to(expected, names);
    Manifest actual = engine::hash_model_files_checked(model_path, hashing, names, check_against(listed, false));
    verifying::compare_manifests(listed, actual, single_file, false);
    return result_of(std::move(signed_manifest), bundle, names.size(), stats, walk_warnings);
  }
  Manifest actual;
  if (ignore_unsigned_files_) {
    std::set<std::string> names;
    for (const auto& item : expected.items()) names.insert(item.path);
    actual = engine::hash_model_files_checked(model_path, hashing, {names.begin(), names.end()},
                                              check_against(expected, true));
  } else {
    actual = engine::hash_model_to(model_path, hashing, "verify", check_against(expected, false));
  }
  verifying::compare_manifests(expected, actual, single_file, ignore_unsigned_files_);
  std::size_t files = verifying::file_count(expected);
  return result_of(std::move(signed_manifest), bundle, files, stats, walk_warnings);
}

VerificationResult VerifyingConfig::verify_manifest(const Manifest& local,
                                                    const std::filesystem::path& signature_path) const {
  Bundle bundle = read_bundle_file(signature_path.string());
  SignedManifest signed_manifest = verify_signature(verifier_, bundle);
  const SerializationSpec& spec = signed_manifest.manifest.serialization();
  const SerializationSpec& have = local.serialization();
  if (spec.method != have.method || spec.hash != have.hash) {
    throw Error(ErrorKind::kInvalidArgument,
                "the signature lists " + std::string(to_string(spec.method)) + " of " +
                    std::string(to_string(spec.hash)) + ", the manifest to compare it with " +
                    std::string(to_string(have.method)) + " of " + std::string(to_string(have.hash)) +
                    ": they cannot be compared");
  }
  // What the signature excluded from the model is not compared.
  walk::IgnoreRules ignored;
  ignored.set_ignore_git_paths(false);
  for (const auto& path : spec.ignore_paths) ignored.add(path);
  std::vector<ManifestItem> kept;
  for (const auto& item : local.items()) {
    if (!ignored.is_ignored(item.path)) kept.push_back(item);
  }
  verifying::compare_manifests(signed_manifest.manifest, Manifest(local.model_name(), have, std::move(kept)), false,
                               ignore_unsigned_files_);
  std::size_t files = verifying::file_count(signed_manifest.manifest);
  return result_of(std::move(signed_manifest), bundle, files, HashingStats{});
}

}  // namespace model_signing
