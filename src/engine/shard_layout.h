// How the engine cuts a model's files into work, without doing any of it.
//
// A shard is the byte range one manifest item covers: a whole file in
// `files` mode, one shard_size range of a file in `shards` mode (the last
// one shorter; an empty file has none there). A task is what one worker
// hashes as one stream: a whole shard or, for tree hashes like BLAKE3 on
// several workers, one subtree of a large shard (whose chaining values are
// then combined), so that one big file keeps every worker busy. Tasks are
// numbered largest file first, so long tasks start early and the workers
// end together; task t is found by a binary search, never materialized.
#pragma once

#include <cstdint>
#include <vector>

#include "walk/model_walk.h"

namespace model_signing::engine {

// Tree hashes cut a large shard into about kSubtreesPerWorker subtrees per
// worker, each a power of two of at least kMinSubtree bytes.
inline constexpr std::uint64_t kMinSubtree = std::uint64_t{1} << 20;
inline constexpr std::uint64_t kSubtreesPerWorker = 8;

struct HashTask {
  const walk::ModelFile* file;
  std::uint64_t shard;  // index of the manifest item
  std::uint64_t shard_start;
  std::uint64_t shard_length;
  std::uint64_t subtree;   // which subtree of the shard this task hashes
  std::uint64_t subtrees;  // subtrees the shard is cut into; 1: hashed whole
  std::uint64_t start;     // the bytes this task reads
  std::uint64_t length;
  bool last_shard;  // the range ends where the file should end
};

class ShardLayout {
 public:
  // `shard_size` 0 means one shard per file (`files` mode). `subtree_unit`
  // is Hasher::subtree_unit(): tasks are subtrees only where it is a power
  // of two no larger than kMinSubtree and there are several workers.
  // `files` must outlive the layout.
  ShardLayout(const std::vector<walk::ModelFile>& files, std::uint64_t shard_size,
              unsigned workers, std::uint64_t subtree_unit);

  std::uint64_t tasks() const { return first_task_.back(); }
  // Shards, i.e. manifest items.
  std::uint64_t shards() const { return first_shard_.back(); }
  // Task `t` (< tasks()).
  HashTask at(std::uint64_t t) const;

 private:
  // A shard hashed whole (count 1) or as `count` subtrees of `size` bytes.
  struct Cut {
    std::uint64_t size;
    std::uint64_t count;
  };
  // A file as `shards` shards of full_length bytes, the last of last_length.
  struct FileLayout {
    std::uint64_t shards;
    std::uint64_t full_length;
    std::uint64_t last_length;
    Cut full;
    Cut last;
    std::uint64_t tasks() const {
      return shards == 0 ? 0 : (shards - 1) * full.count + last.count;
    }
  };

  Cut cut_of(std::uint64_t length) const;
  FileLayout layout_of(std::uint64_t file_size) const;

  const std::vector<walk::ModelFile>& files_;
  std::uint64_t shard_size_;
  bool split_;
  unsigned workers_;
  std::vector<std::size_t> order_;  // file indices, largest first
  std::vector<std::uint64_t> first_task_;
  std::vector<std::uint64_t> first_shard_;
};

}  // namespace model_signing::engine
