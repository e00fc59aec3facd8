// The public hashing facade (include/model_signing/hashing.h: hash_model,
// hash_model_files) and the internal entry points behind it.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "model_signing/hashing.h"
#include "walk/model_walk.h"

namespace model_signing::engine {

// Builds the walk options (ignore rules relative to the model root, symlink
// policy, single-file naming) from a hashing config.
walk::WalkOptions walk_options_for(const std::filesystem::path& model_path,
                                   const HashingConfig& config);

// Sees the files about to be hashed, before any is read, and may throw:
// verification fails early where the model cannot match its manifest.
using TreeCheck = std::function<void(const walk::ModelTree& tree)>;

// hash_model() and hash_model_files() with a check between the walk and
// the hashing.
Manifest hash_model_checked(const std::filesystem::path& model_path, const HashingConfig& config,
                            const TreeCheck& check);
Manifest hash_model_files_checked(const std::filesystem::path& model_path, const HashingConfig& config,
                                  const std::vector<std::string>& relative_names, const TreeCheck& check);

// hash_model() without the empty-model check: upstream's golden manifests
// include empty models, which signing must refuse but tests must reproduce.
Manifest hash_model_allow_empty(const std::filesystem::path& model_path,
                                const HashingConfig& config);

}  // namespace model_signing::engine
