// The public hashing facade (include/model_signing/hashing.h: hash_model,
// hash_model_files) and the internal entry points behind it.
#pragma once

#include <filesystem>
#include <string_view>

#include "model_signing/hashing.h"
#include "walk/model_walk.h"

namespace model_signing::engine {

// Builds the walk options (ignore rules relative to the model root, symlink
// policy, single-file naming) from a hashing config.
walk::WalkOptions walk_options_for(const std::filesystem::path& model_path,
                                   const HashingConfig& config);

// hash_model() without the empty-model check: upstream's golden manifests
// include empty models, which signing must refuse but tests must reproduce.
Manifest hash_model_allow_empty(const std::filesystem::path& model_path,
                                const HashingConfig& config);

// hash_model() with the empty-model error naming what the files were for
// ("sign", "verify", "hash").
Manifest hash_model_to(const std::filesystem::path& model_path, const HashingConfig& config,
                       std::string_view purpose);

}  // namespace model_signing::engine
