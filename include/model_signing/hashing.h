// Hashing a model into a manifest.
//
//   model_signing::HashingConfig config;
//   config.serialization = model_signing::Serialization::kShards;
//   model_signing::Manifest manifest = model_signing::hash_model("my-model", config);
//
// Signing and verification use the same configuration type, so a config can be
// shared between both sides.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model_signing/manifest.h"

#pragma GCC visibility push(default)  // the public API (src/CMakeLists.txt)
namespace model_signing {

// Called from the hashing engine's coordinating thread (never concurrently)
// about ten times a second with the bytes hashed so far and the total.
using ProgressCallback = std::function<void(std::uint64_t done, std::uint64_t total)>;

// The same reports with files counted too (a file is done when all of its
// shards are).
struct HashProgress {
  std::uint64_t bytes_done = 0;
  std::uint64_t bytes_total = 0;
  std::uint64_t files_done = 0;
  std::uint64_t files_total = 0;
};
using ProgressReport = std::function<void(const HashProgress& progress)>;

// What one hashing run did.
struct HashingStats {
  std::uint64_t files = 0;  // files hashed
  std::uint64_t bytes = 0;  // their total size
  double seconds = 0;       // wall time, walking the model included
};

// Called (never concurrently) with each warning about the model, one line
// naming the file: with allow_symlinks, a symbolic link whose target lies
// outside the model or that leads back into a directory containing it
// (OMS 6.1.1), or that points to a directory (not descended).
using WarningCallback = std::function<void(const std::string& warning)>;

inline constexpr std::uint64_t kDefaultShardSize = 1'000'000'000;

// Top-level names ignored unless HashingConfig::ignore_git_paths is false.
inline constexpr std::string_view kGitPaths[] = {".git", ".gitattributes", ".github",
                                                 ".gitignore"};

// How a single-file model's resource is named. OMS says the file's basename;
// upstream model_signing writes ".". Both are accepted when verifying.
enum class SingleFileName { kBasename, kDot };

struct HashingConfig {
  Serialization serialization = Serialization::kFiles;
  HashAlgorithm hash = HashAlgorithm::kSha256;
  // Shard size in bytes for Serialization::kShards; must be positive.
  std::uint64_t shard_size = kDefaultShardSize;
  // Paths to exclude with their subtrees. Relative paths are relative to the
  // model root; absolute paths are kept only if they lie inside the model.
  std::vector<std::filesystem::path> ignore_paths;
  bool ignore_git_paths = true;
  bool allow_symlinks = false;
  // Worker threads; 0 means one per online CPU.
  unsigned max_workers = 0;
  SingleFileName single_file_name = SingleFileName::kBasename;
  ProgressCallback progress;
  ProgressReport progress_report;  // may be set with or instead of `progress`
  // Filled in when set, once hashing has finished.
  HashingStats* stats = nullptr;
  WarningCallback warning;
};

// Walks and hashes the model (a directory or a single regular file).
// Throws model_signing::Error. An empty model is rejected.
Manifest hash_model(const std::filesystem::path& model_path, const HashingConfig& config);

// Like hash_model, but hashes only the given files (names relative to the
// model root, as recorded in a manifest). Used by --ignore-unsigned-files.
// Every name is checked first: no absolute paths, no "..", no escaping the
// root through a symlinked directory.
Manifest hash_model_files(const std::filesystem::path& model_path, const HashingConfig& config,
                          const std::vector<std::string>& relative_names);

// How ignore paths are matched and recorded: `path` (absolute, or relative
// to the model root) as a '/'-separated path relative to the model root;
// nullopt if it lies outside the model or is the root itself. Spellings
// through symbolic links (/tmp vs /private/tmp) are resolved.
std::optional<std::string> path_in_model(const std::filesystem::path& model_path,
                                         const std::filesystem::path& path);

}  // namespace model_signing
#pragma GCC visibility pop
