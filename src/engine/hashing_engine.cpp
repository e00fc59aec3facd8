#include "engine/hashing_engine.h"

#include <unistd.h>

#include "engine/scheduler.h"
#include "model_signing/error.h"

namespace model_signing::engine {

unsigned worker_count(unsigned requested) {
  if (requested) return requested;
  long n = ::sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<unsigned>(n) : 1u;
}

std::vector<ManifestItem> hash_files(const std::vector<walk::ModelFile>& files,
                                     const EngineOptions& options) {
  if (options.method == Serialization::kShards && options.shard_size == 0) {
    throw Error(ErrorKind::kInvalidArgument, "shard size must be positive");
  }
  return run_scheduler(files, options, worker_count(options.workers));
}

}  // namespace model_signing::engine
