// The parallel hashing engine: hashes the files of a model, whole or in
// shards, on a pool of worker threads.
//
// Work is cut into tasks (a whole file, or one shard of one file; for tree
// hashes like BLAKE3, large files and shards are further cut into subtrees
// whose chaining values are combined, so one big file uses every worker);
// workers pull tasks from a shared list, largest files first. Large pieces
// are read through mapped windows of 4-8 MiB (no copy out of the page cache),
// small ones with pread() into a buffer each reader reuses (PieceReader), so
// every byte is read once and memory stays at a window or buffer per stream
// whatever the model size. Where the hash can interleave two inputs
// (SHA-256 with the SHA extensions), a worker hashes two streams at once.
// Near the end a worker may set a stream aside, hash state and all, for one
// that would otherwise finish last, or hand one of its two to an idle
// worker, so that the workers finish together even when the tasks do not
// divide evenly among them. A core left with nothing to hash (one big file,
// or the end of a run) reads just ahead of one that has, which speeds that
// one up where memory is slow to reach (ReadAheadBeacon).
#pragma once

#include <cstdint>
#include <vector>

#include "model_signing/hashing.h"
#include "model_signing/manifest.h"
#include "walk/model_walk.h"

namespace model_signing::engine {

struct EngineStats {
  std::uint64_t switches = 0;      // times a worker set its task aside for another
  std::uint64_t paired_bytes = 0;  // bytes hashed two streams at a time
  std::uint64_t read_ahead_bytes = 0;  // bytes warmed ahead of a hasher by an idle core
};

struct EngineOptions {
  HashAlgorithm hash = HashAlgorithm::kSha256;
  Serialization method = Serialization::kFiles;
  std::uint64_t shard_size = kDefaultShardSize;
  unsigned workers = 0;  // 0: one per online CPU
  ProgressCallback progress;
  // Bytes a worker hashes of one task between looks at the others; 0 turns
  // setting tasks aside off.
  std::uint64_t slice_bytes = std::uint64_t{4} << 20;
  // Lets a worker hash two streams at once where the hash supports it.
  bool pair_streams = true;
  // Lets cores with nothing to hash warm the pages just ahead of those that
  // have (ReadAheadBeacon).
  bool read_ahead = true;
  EngineStats* stats = nullptr;  // filled in when set
};

// Returns one item per file (kFiles) or per shard (kShards; empty files give
// none), in no particular order. Throws Error(kIo) if a file cannot be read
// or changes size while it is hashed.
std::vector<ManifestItem> hash_files(const std::vector<walk::ModelFile>& files,
                                     const EngineOptions& options);

unsigned default_worker_count();

}  // namespace model_signing::engine
