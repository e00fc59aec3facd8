// Comparing the manifest a signature lists with the one computed locally.
#pragma once

#include "model_signing/manifest.h"
#include "walk/model_walk.h"

namespace model_signing::verifying {

// Throws ModelMismatchError listing extra, missing and modified resources.
// Resources are matched by name in any order. A single-file model's
// resource may be named "." (upstream) or after the file (OMS).
// With ignore_extra, files the manifest does not name are not an error, but
// a shard of a named file that the manifest does not list still is.
void compare_manifests(const Manifest& expected, const Manifest& actual, bool single_file,
                       bool ignore_extra);

// Before hashing `tree` as `expected` was made (sharded by `shard_size`):
// when the model would give more resources than the manifest lists, it
// cannot match, and hashing it could cost far more than the manifest (a
// shard_size of 1 on a large file). Throws ModelMismatchError naming the
// files whose shards differ, extra and missing files, without reading them.
void check_before_hashing(const Manifest& expected, const walk::ModelTree& tree, std::uint64_t shard_size,
                          bool ignore_extra);

}  // namespace model_signing::verifying
