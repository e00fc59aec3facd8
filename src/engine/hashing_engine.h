// The parallel hashing engine: hashes the files of a model, whole or in
// shards, on a pool of worker threads.
//
// The work is laid out as tasks (engine/shard_layout.h: a shard, or for
// tree hashes a subtree of one) and hashed by the scheduler
// (engine/scheduler.h): workers pull tasks largest file first, hash two
// streams at once where the hash can interleave them, set streams aside and
// hand them over near the end so the workers finish together, and a core
// with nothing to hash reads ahead of one that has (engine/read_ahead.h).
// Bytes come through a ShardReader (engine/shard_reader.h): mapped windows
// for large streams, pread() into a reused buffer for small ones, so every
// byte is read once and memory stays at a window or buffer per stream
// whatever the model size.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "engine/read_path.h"
#include "model_signing/hashing.h"
#include "model_signing/manifest.h"
#include "walk/model_walk.h"

namespace model_signing::engine {

struct EngineStats {
  std::uint64_t switches = 0;      // times a worker set its task aside for another
  std::uint64_t paired_bytes = 0;  // bytes hashed two streams at a time
  std::uint64_t read_ahead_bytes = 0;  // bytes warmed or read ahead of a hasher by an idle core
  // Bytes of streams with a choice of read path (engine/read_path.h), by
  // the path that read them; of the pread ones, those an idle core read
  // into buffers for the hasher; and steps that changed a stream's path.
  std::uint64_t pread_bytes = 0;
  std::uint64_t mapped_bytes = 0;     // of which populated_bytes with MAP_POPULATE
  std::uint64_t populated_bytes = 0;
  std::uint64_t buffered_bytes = 0;
  std::uint64_t path_switches = 0;
};

struct EngineOptions {
  HashAlgorithm hash = HashAlgorithm::kSha256;
  Serialization method = Serialization::kFiles;
  std::uint64_t shard_size = kDefaultShardSize;
  unsigned workers = 0;  // 0: one per online CPU
  ProgressCallback progress;
  ProgressReport progress_report;
  // Bytes a worker hashes of one task between looks at the others; 0 turns
  // setting tasks aside off.
  std::uint64_t slice_bytes = std::uint64_t{4} << 20;
  // Lets a worker hash two streams at once where the hash supports it.
  bool pair_streams = true;
  // Lets cores with nothing to hash read just ahead of those that have
  // (ReadAheadBeacon).
  bool read_ahead = true;
  // How large streams are read; unset: MS_READ_STRATEGY (auto, pread, mmap
  // or mmap-populate), auto by default: chosen by measurement.
  std::optional<ReadStrategy> read_strategy;
  // For tests: measure with this tuning, in choosers of this run's own
  // (else the process's, with the default tuning).
  std::optional<ReadPathChooser::Tuning> read_tuning;
  EngineStats* stats = nullptr;  // filled in when set
};

// Returns one item per file (kFiles) or per shard (kShards; empty files give
// none), in no particular order. Throws Error(kIo) if a file cannot be read
// or changes size while it is hashed.
std::vector<ManifestItem> hash_files(const std::vector<walk::ModelFile>& files,
                                     const EngineOptions& options);

// `requested` threads, or one per online CPU where it is 0 (the default of
// EngineOptions::workers and HashingConfig::max_workers).
unsigned worker_count(unsigned requested);

}  // namespace model_signing::engine
