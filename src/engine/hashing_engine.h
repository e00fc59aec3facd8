// The parallel hashing engine: hashes the files of a model, whole or in
// shards, on a pool of worker threads.
//
// Work is cut into tasks (a whole file, or one shard of one file; for tree
// hashes like BLAKE3, large files and shards are further cut into subtrees
// whose chaining values are combined, so one big file uses every worker);
// workers pull tasks from a shared counter, largest files first, and read
// with pread() into a buffer each worker reuses, so every byte is read once
// and memory stays at one buffer per worker whatever the model size.
#pragma once

#include <cstdint>
#include <vector>

#include "model_signing/hashing.h"
#include "model_signing/manifest.h"
#include "walk/model_walk.h"

namespace model_signing::engine {

struct EngineOptions {
  HashAlgorithm hash = HashAlgorithm::kSha256;
  Serialization method = Serialization::kFiles;
  std::uint64_t shard_size = kDefaultShardSize;
  unsigned workers = 0;  // 0: one per online CPU
  ProgressCallback progress;
};

// Returns one item per file (kFiles) or per shard (kShards; empty files give
// none), in no particular order. Throws Error(kIo) if a file cannot be read
// or changes size while it is hashed.
std::vector<ManifestItem> hash_files(const std::vector<walk::ModelFile>& files,
                                     const EngineOptions& options);

unsigned default_worker_count();

}  // namespace model_signing::engine
