#include "engine/hash_model.h"

#include <chrono>
#include <cstdio>
#include <limits>
#include <unordered_map>

#include "model_signing/error.h"
#include "util/log.h"

namespace model_signing::engine {

void validate(const HashingConfig& config) {
  if (config.serialization != Serialization::kShards) return;
  if (config.shard_size == 0) {
    throw Error(ErrorKind::kInvalidArgument, "shard size must be a positive number of bytes");
  }
  // The statement records it as a JSON integer, which verifiers read as int64.
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (config.shard_size > kMax) {
    throw Error(ErrorKind::kInvalidArgument,
                "shard size must be at most " + std::to_string(kMax) + " bytes");
  }
}

EngineOptions engine_options_for(const HashingConfig& config) {
  EngineOptions options;
  options.hash = config.hash;
  options.method = config.serialization;
  options.shard_size = config.shard_size;
  options.workers = config.max_workers;
  options.progress = config.progress;
  options.progress_report = config.progress_report;
  return options;
}

namespace {

using Clock = std::chrono::steady_clock;

// DEBUG: every item with its digest; INFO: what was hashed, how fast.
void log_hashed(const HashingConfig& config, const walk::ModelTree& tree,
                const std::vector<ManifestItem>& items, const HashingStats& stats) {
  if (log_enabled(LogLevel::kDebug)) {
    std::unordered_map<std::string, std::uint64_t> sizes;
    for (const auto& file : tree.files) sizes.emplace(file.name, file.size);
    for (const auto& item : items) {
      util::log(LogLevel::kDebug,
                "hashed " + walk::printable_name(item.resource_name()) + " (" +
                    std::to_string(item.is_shard() ? *item.end - *item.start : sizes[item.path]) +
                    " bytes): " + std::string(to_string(config.hash)) + ":" + digest_hex(item.digest));
    }
  }
  if (log_enabled(LogLevel::kInfo)) {
    char rate[64];
    std::snprintf(rate, sizeof(rate), "%.2f s (%.1f MB/s)", stats.seconds,
                  stats.seconds > 0 ? static_cast<double>(stats.bytes) / stats.seconds / 1e6 : 0.0);
    util::log(LogLevel::kInfo,
              "hashed " + std::to_string(stats.files) + " files, " + std::to_string(stats.bytes) +
                  " bytes (" + std::string(to_string(config.serialization)) + ", " +
                  std::string(to_string(config.hash)) + ", " + std::to_string(items.size()) +
                  " resources) in " + rate);
  }
}

// DEBUG: how the engine read the bytes (engine/read_path.h, read_ahead.h),
// which differs by machine and page-cache state.
void log_reading(const EngineStats& s) {
  if (!log_enabled(LogLevel::kDebug)) return;
  auto mb = [](std::uint64_t bytes) { return std::to_string((bytes + 500'000) / 1'000'000) + " MB"; };
  util::log(LogLevel::kDebug,
            "read " + mb(s.pread_bytes) + " of large files with pread (" + mb(s.buffered_bytes) +
                " of it from the read-ahead helper's buffers), " + mb(s.mapped_bytes) + " mapped (" +
                mb(s.populated_bytes) + " populated); " + mb(s.read_ahead_bytes) +
                " read ahead by an idle core; " + std::to_string(s.path_switches) + " read path switches");
}

Manifest build_manifest(const std::filesystem::path& model_path, const HashingConfig& config,
                        const walk::ModelTree& tree, const walk::IgnoreRules& ignore,
                        Clock::time_point started) {
  EngineOptions options = engine_options_for(config);
  EngineStats engine_stats;
  options.stats = &engine_stats;
  std::vector<ManifestItem> items = hash_files(tree.files, options);
  log_reading(engine_stats);
  HashingStats stats;
  stats.files = tree.files.size();
  for (const auto& file : tree.files) stats.bytes += file.size;
  stats.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  log_hashed(config, tree, items, stats);
  if (config.stats) *config.stats = stats;
  return assemble_manifest(model_path, config, tree, ignore, std::move(items));
}

}  // namespace

Manifest assemble_manifest(const std::filesystem::path& model_path, const HashingConfig& config,
                           const walk::ModelTree& tree, const walk::IgnoreRules& ignore,
                           std::vector<ManifestItem> items) {
  sort_upstream(items);
  SerializationSpec spec;
  spec.method = config.serialization;
  spec.hash = config.hash;
  spec.shard_size = config.serialization == Serialization::kShards ? config.shard_size : 0;
  spec.allow_symlinks = config.allow_symlinks;
  if (!tree.single_file) spec.ignore_paths = ignore.recorded_paths();
  return Manifest(walk::model_name(model_path), std::move(spec), std::move(items));
}

walk::WalkOptions walk_options_for(const std::filesystem::path& model_path,
                                   const HashingConfig& config) {
  walk::WalkOptions options;
  options.allow_symlinks = config.allow_symlinks;
  options.single_file_name = config.single_file_name;
  options.threads = worker_count(config.max_workers);
  options.ignore.set_ignore_git_paths(config.ignore_git_paths);
  for (const auto& path : config.ignore_paths) {
    if (auto rel = walk::relative_to_model(model_path, path)) options.ignore.add(*rel);
  }
  return options;
}

namespace {

walk::ModelTree walk_and_warn(const std::filesystem::path& model_path, const HashingConfig& config,
                              const walk::WalkOptions& options) {
  walk::ModelTree tree = walk::walk_model(model_path, options);
  if (config.warning) {
    for (const auto& warning : tree.warnings) config.warning(warning);
  }
  return tree;
}

}  // namespace

walk::ModelTree walk_for_signing(const std::filesystem::path& model_path, const HashingConfig& config,
                                 const walk::WalkOptions& options, std::string_view purpose) {
  validate(config);
  walk::ModelTree tree = walk_and_warn(model_path, config, options);
  if (tree.files.empty()) {
    throw Error(ErrorKind::kModelLayout,
                "model is empty: no files left to " + std::string(purpose) + " in " +
                    walk::printable_name(model_path.string()) + " after exclusions");
  }
  return tree;
}

Manifest hash_model_allow_empty(const std::filesystem::path& model_path,
                                const HashingConfig& config) {
  auto started = Clock::now();
  validate(config);
  walk::WalkOptions options = walk_options_for(model_path, config);
  walk::ModelTree tree = walk_and_warn(model_path, config, options);
  return build_manifest(model_path, config, tree, options.ignore, started);
}

Manifest hash_model_to(const std::filesystem::path& model_path, const HashingConfig& config,
                       std::string_view purpose, const TreeCheck& check) {
  auto started = Clock::now();
  walk::WalkOptions options = walk_options_for(model_path, config);
  walk::ModelTree tree = walk_for_signing(model_path, config, options, purpose);
  if (check) check(tree);
  return build_manifest(model_path, config, tree, options.ignore, started);
}

Manifest hash_model_files_checked(const std::filesystem::path& model_path, const HashingConfig& config,
                                  const std::vector<std::string>& relative_names, const TreeCheck& check) {
  auto started = Clock::now();
  validate(config);
  std::vector<std::string> missing;
  walk::ModelTree tree =
      walk::resolve_named_files(model_path, relative_names, config.allow_symlinks, missing);
  if (!missing.empty()) throw ModelMismatchError({}, std::move(missing), {});
  if (check) check(tree);
  walk::IgnoreRules ignore;
  ignore.set_ignore_git_paths(config.ignore_git_paths);
  return build_manifest(model_path, config, tree, ignore, started);
}

}  // namespace model_signing::engine

namespace model_signing {

Manifest hash_model(const std::filesystem::path& model_path, const HashingConfig& config) {
  return engine::hash_model_to(model_path, config, "hash");
}

std::optional<std::string> path_in_model(const std::filesystem::path& model_path,
                                         const std::filesystem::path& path) {
  return walk::relative_to_model(model_path, path);
}

Manifest hash_model_files(const std::filesystem::path& model_path, const HashingConfig& config,
                          const std::vector<std::string>& relative_names) {
  return engine::hash_model_files_checked(model_path, config, relative_names, {});
}

}  // namespace model_signing
