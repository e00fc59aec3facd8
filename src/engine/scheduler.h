// The engine's threaded scheduler: runs the tasks of a ShardLayout on a
// pool of workers and returns one manifest item per shard. How it keeps the
// workers busy to the end is described in scheduler.cpp.
#pragma once

#include <vector>

#include "engine/hashing_engine.h"

namespace model_signing::engine {

// Hashes `files` as `options` says on `workers` (>= 1) threads. Throws
// Error(kIo) naming a file that cannot be read or changes size.
std::vector<ManifestItem> run_scheduler(const std::vector<walk::ModelFile>& files,
                                        const EngineOptions& options, unsigned workers);

}  // namespace model_signing::engine
