#include "hash/blake3/blake3_hasher.h"

#include <string>

#include "model_signing/error.h"

namespace model_signing::hash {

void Blake3Hasher::reset_subtree(std::uint64_t offset) {
  if (offset % blake3::kChunkLen != 0) {
    throw Error(ErrorKind::kInvalidArgument,
                "BLAKE3 subtree offset " + std::to_string(offset) + " is not chunk-aligned");
  }
  state_.reset(offset / blake3::kChunkLen);
}

}  // namespace model_signing::hash
