// BLAKE3, from the specification: incremental hashing in the hash, keyed_hash
// and derive_key modes with extendable output, and hashing one input in
// subtrees (on several threads) whose chaining values are then combined.
//
//   Blake3 h;                 // hash mode
//   h.update(data, size);     // any number of times, any sizes
//   h.finalize(out, 32);      // the 32-byte hash (or more bytes of output)
//
// Large updates are hashed a subtree at a time on the active backend's
// many-inputs kernel, so feeding big buffers is the fast path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hash/blake3/backend.h"
#include "hash/blake3/blake3_constants.h"

namespace model_signing::hash::blake3 {

// The state of the chunk being filled: its chaining value so far and its
// last (possibly full) block, kept until we know whether it ends the chunk.
struct ChunkState {
  std::uint32_t cv[8];
  std::uint64_t counter;
  std::uint8_t block[kBlockLen];
  std::uint8_t block_len;
  std::uint8_t blocks_compressed;

  void reset(const std::uint32_t key[8], std::uint64_t chunk_counter);
  std::size_t len() const { return kBlockLen * blocks_compressed + block_len; }
};

// What the last compression of a tree node takes (defined in blake3.cpp).
struct NodeOutput;

class Blake3 {
 public:
  // Hash mode.
  Blake3();
  static Blake3 keyed(const std::uint8_t key[kKeyLen]);
  static Blake3 derive_key(std::string_view context);

  void update(const std::uint8_t* data, std::size_t size);
  // Writes `size` bytes of output (32 is the standard hash); does not change
  // the state, so more input can follow.
  void finalize(std::uint8_t* out, std::size_t size = kOutLen) const;

  // Forgets the input and starts again, at chunk `start_chunk` of a larger
  // input for subtree hashing. Also picks up the active backend again.
  void reset(std::uint64_t start_chunk = 0);

  // Subtree hashing. After reset(start_chunk), feed one subtree of a larger
  // input: 2^k whole chunks starting at a chunk index that is a multiple of
  // 2^k, or the input's last (shorter) piece starting at such an index. The
  // chaining value that node contributes to the input's tree:
  void finalize_subtree(std::uint8_t cv[kOutLen]) const;
  // The output of an input hashed as `count` >= 2 consecutive subtrees of
  // one power-of-two size (the last may be shorter), from their chaining
  // values in order (count * 32 bytes). Uses this hasher's mode and key.
  void finalize_from_subtrees(const std::uint8_t* cvs, std::size_t count, std::uint8_t* out,
                              std::size_t size = kOutLen) const;

  const Kernels& kernels() const { return *kernels_; }

 private:
  Blake3(const std::uint32_t key[8], std::uint8_t flags);

  NodeOutput final_output() const;
  void push_cv(const std::uint8_t cv[kOutLen], std::uint64_t chunk_index);
  void merge_cv_stack(std::uint64_t chunks_done);

  std::uint32_t key_[8];
  std::uint8_t flags_;
  const Kernels* kernels_;
  std::uint64_t start_chunk_ = 0;
  ChunkState chunk_;
  // Chaining values of the completed subtrees left of the current chunk,
  // largest first. Every entry but the top is merged as far as it can be;
  // the top waits until more input shows it is not the root's child.
  std::uint8_t cv_stack_[(kMaxTreeDepth + 1) * kOutLen];
  std::size_t cv_stack_len_ = 0;
};

}  // namespace model_signing::hash::blake3
