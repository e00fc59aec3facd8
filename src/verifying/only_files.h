// Partial verification (VerifyingConfig::set_only_files): which signed files
// the user's paths select.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "model_signing/manifest.h"

namespace model_signing::verifying {

// The signed file names `paths` select: a path names a signed file, or a
// directory holding signed files, or the model itself (every file). Throws
// Error(kInvalidArgument) for a path outside the model or one that selects
// no signed file.
std::vector<std::string> select_signed_files(const std::filesystem::path& model_path,
                                             const Manifest& signed_manifest,
                                             const std::vector<std::filesystem::path>& paths);

// The items of `manifest` whose file is one of `names` (sorted).
Manifest restrict_to(const Manifest& manifest, const std::vector<std::string>& names);

// How many files (not shards) a manifest lists.
std::size_t file_count(const Manifest& manifest);

}  // namespace model_signing::verifying
