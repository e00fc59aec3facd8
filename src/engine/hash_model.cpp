#include "engine/hash_model.h"

#include <limits>

#include "engine/hashing_engine.h"
#include "model_signing/error.h"

namespace model_signing::engine {

namespace {

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
  return options;
}

Manifest build_manifest(const std::filesystem::path& model_path, const HashingConfig& config,
                        const walk::ModelTree& tree, const walk::IgnoreRules& ignore) {
  std::vector<ManifestItem> items = hash_files(tree.files, engine_options_for(config));
  sort_upstream(items);
  SerializationSpec spec;
  spec.method = config.serialization;
  spec.hash = config.hash;
  spec.shard_size = config.serialization == Serialization::kShards ? config.shard_size : 0;
  spec.allow_symlinks = config.allow_symlinks;
  if (!tree.single_file) spec.ignore_paths = ignore.recorded_paths();
  return Manifest(walk::model_name(model_path), std::move(spec), std::move(items));
}

}  // namespace

walk::WalkOptions walk_options_for(const std::filesystem::path& model_path,
                                   const HashingConfig& config) {
  walk::WalkOptions options;
  options.allow_symlinks = config.allow_symlinks;
  options.single_file_name = config.single_file_name;
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

Manifest hash_model_allow_empty(const std::filesystem::path& model_path,
                                const HashingConfig& config) {
  validate(config);
  walk::WalkOptions options = walk_options_for(model_path, config);
  walk::ModelTree tree = walk_and_warn(model_path, config, options);
  return build_manifest(model_path, config, tree, options.ignore);
}

Manifest hash_model_checked(const std::filesystem::path& model_path, const HashingConfig& config,
                            const TreeCheck& check) {
  validate(config);
  walk::WalkOptions options = walk_options_for(model_path, config);
  walk::ModelTree tree = walk_and_warn(model_path, config, options);
  if (tree.files.empty()) {
    throw Error(ErrorKind::kModelLayout,
                "model is empty: no files left to sign in " + walk::printable_name(model_path.string()) +
                    " after exclusions");
  }
  if (check) check(tree);
  return build_manifest(model_path, config, tree, options.ignore);
}

Manifest hash_model_files_checked(const std::filesystem::path& model_path, const HashingConfig& config,
                                  const std::vector<std::string>& relative_names, const TreeCheck& check) {
  validate(config);
  std::vector<std::string> missing;
  walk::ModelTree tree =
      walk::resolve_named_files(model_path, relative_names, config.allow_symlinks, missing);
  if (!missing.empty()) throw ModelMismatchError({}, std::move(missing), {});
  if (check) check(tree);
  walk::IgnoreRules ignore;
  ignore.set_ignore_git_paths(config.ignore_git_paths);
  return build_manifest(model_path, config, tree, ignore);
}

}  // namespace model_signing::engine

namespace model_signing {

Manifest hash_model(const std::filesystem::path& model_path, const HashingConfig& config) {
  return engine::hash_model_checked(model_path, config, {});
}

Manifest hash_model_files(const std::filesystem::path& model_path, const HashingConfig& config,
                          const std::vector<std::string>& relative_names) {
  return engine::hash_model_files_checked(model_path, config, relative_names, {});
}

}  // namespace model_signing
