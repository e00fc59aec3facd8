// BLAKE3 (hash mode, 32-byte digest) behind the streaming Hasher interface,
// including hashing one input in subtrees on several threads.
#pragma once

#include "hash/blake3/blake3.h"
#include "hash/hasher.h"

namespace model_signing::hash {

class Blake3Hasher final : public Hasher {
 public:
  void update(const std::uint8_t* data, std::size_t size) override { state_.update(data, size); }
  void finish(std::uint8_t* out) override { state_.finalize(out, blake3::kOutLen); }
  void reset() override { state_.reset(); }
  std::size_t digest_size() const override { return blake3::kOutLen; }
  // Hashing 16 chunks side by side, it needs whole windows, and it keeps
  // pace with memory as it is (feeding it prefetched pieces measured slower).
  std::size_t prefetch_stride() const override { return 0; }

  std::uint64_t subtree_unit() const override { return blake3::kChunkLen; }
  void reset_subtree(std::uint64_t offset) override;
  void finish_subtree(std::uint8_t* out) override { state_.finalize_subtree(out); }
  void finish_from_subtrees(const std::uint8_t* values, std::size_t count,
                            std::uint8_t* out) override {
    state_.finalize_from_subtrees(values, count, out, blake3::kOutLen);
  }

 private:
  blake3::Blake3 state_;
};

}  // namespace model_signing::hash
