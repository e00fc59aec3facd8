// The public hashing facade (include/model_signing/hashing.h: hash_model,
// hash_model_files) and the internal entry points behind it.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/hashing_engine.h"
#include "model_signing/hashing.h"
#include "walk/model_walk.h"

namespace model_signing::engine {

// Throws Error(kInvalidArgument) for a configuration hash_model() refuses
// (a shard size of 0 or beyond int64).
void validate(const HashingConfig& config);

EngineOptions engine_options_for(const HashingConfig& config);

// The manifest hash_model() returns for `tree` once its files are hashed
// into `items` (any order): sorted upstream's way, named after the model,
// with the serialization and ignore paths recorded. For sources of digests
// that hash only some files (src/sources/).
Manifest assemble_manifest(const std::filesystem::path& model_path, const HashingConfig& config,
                           const walk::ModelTree& tree, const walk::IgnoreRules& ignore,
                           std::vector<ManifestItem> items);

// Builds the walk options (ignore rules relative to the model root, symlink
// policy, single-file naming) from a hashing config.
walk::WalkOptions walk_options_for(const std::filesystem::path& model_path,
                                   const HashingConfig& config);

// Validates the config and walks the model as hash_model() does; an empty
// model is Error(kModelLayout), naming what the files were for ("sign",
// "verify", "hash"). The walk's warnings go to config.warning.
walk::ModelTree walk_for_signing(const std::filesystem::path& model_path, const HashingConfig& config,
                                 const walk::WalkOptions& options, std::string_view purpose = "sign");

// hash_model() without the empty-model check: upstream's golden manifests
// include empty models, which signing must refuse but tests must reproduce.
Manifest hash_model_allow_empty(const std::filesystem::path& model_path,
                                const HashingConfig& config);

// Sees the files about to be hashed, before any is read, and may throw:
// verification fails early where the model cannot match its manifest.
using TreeCheck = std::function<void(const walk::ModelTree& tree)>;

// hash_model() with the empty-model error naming what the files were for
// ("sign", "verify", "hash"), and `check` (if set) between the walk and the
// hashing.
Manifest hash_model_to(const std::filesystem::path& model_path, const HashingConfig& config,
                       std::string_view purpose, const TreeCheck& check = {});

// hash_model_files() with `check` (if set) between resolving the names and
// the hashing.
Manifest hash_model_files_checked(const std::filesystem::path& model_path, const HashingConfig& config,
                                  const std::vector<std::string>& relative_names, const TreeCheck& check);

}  // namespace model_signing::engine
