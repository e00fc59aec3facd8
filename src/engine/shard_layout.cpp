#include "engine/shard_layout.h"

#include <algorithm>
#include <bit>
#include <numeric>

namespace model_signing::engine {

ShardLayout::ShardLayout(const std::vector<walk::ModelFile>& files, std::uint64_t shard_size,
                         unsigned workers, std::uint64_t subtree_unit)
    : files_(files),
      shard_size_(shard_size),
      split_(workers > 1 && subtree_unit != 0 && std::has_single_bit(subtree_unit) &&
             subtree_unit <= kMinSubtree),
      workers_(workers) {
  order_.resize(files.size());
  std::iota(order_.begin(), order_.end(), std::size_t{0});
  std::stable_sort(order_.begin(), order_.end(),
                   [&](std::size_t a, std::size_t b) { return files[a].size > files[b].size; });
  first_task_.reserve(files.size() + 1);
  first_shard_.reserve(files.size() + 1);
  std::uint64_t tasks = 0, shards = 0;
  for (std::size_t index : order_) {
    first_task_.push_back(tasks);
    first_shard_.push_back(shards);
    FileLayout layout = layout_of(files[index].size);
    tasks += layout.tasks();
    shards += layout.shards;
  }
  first_task_.push_back(tasks);
  first_shard_.push_back(shards);
}

HashTask ShardLayout::at(std::uint64_t t) const {
  auto it = std::upper_bound(first_task_.begin(), first_task_.end(), t);
  std::size_t i = static_cast<std::size_t>(it - first_task_.begin()) - 1;
  const walk::ModelFile& file = files_[order_[i]];
  FileLayout layout = layout_of(file.size);
  std::uint64_t k = t - first_task_[i];
  std::uint64_t full_tasks = (layout.shards - 1) * layout.full.count;
  bool full = k < full_tasks;
  std::uint64_t shard = full ? k / layout.full.count : layout.shards - 1;
  const Cut& cut = full ? layout.full : layout.last;
  std::uint64_t subtree = full ? k % layout.full.count : k - full_tasks;
  HashTask task;
  task.file = &file;
  task.shard = first_shard_[i] + shard;
  task.shard_start = shard * layout.full_length;
  task.shard_length = full ? layout.full_length : layout.last_length;
  task.subtree = subtree;
  task.subtrees = cut.count;
  task.start = task.shard_start + subtree * cut.size;
  task.length = cut.count == 1 ? task.shard_length
                               : std::min(cut.size, task.shard_length - subtree * cut.size);
  task.last_shard = task.start + task.length == file.size;
  return task;
}

ShardLayout::Cut ShardLayout::cut_of(std::uint64_t length) const {
  if (!split_ || length <= kMinSubtree) return {length, 1};
  std::uint64_t per_task = (length - 1) / (kSubtreesPerWorker * workers_) + 1;
  std::uint64_t size = std::max(kMinSubtree, std::bit_ceil(per_task));
  return {size, (length - 1) / size + 1};
}

ShardLayout::FileLayout ShardLayout::layout_of(std::uint64_t file_size) const {
  FileLayout layout;
  if (shard_size_ == 0) {
    layout.shards = 1;
    layout.full_length = layout.last_length = file_size;
  } else {
    // Rounded up without size + shard_size - 1, which wraps for huge
    // shards; none for an empty file.
    layout.shards = file_size / shard_size_ + (file_size % shard_size_ != 0);
    layout.full_length = shard_size_;
    layout.last_length = file_size - (layout.shards == 0 ? 0 : (layout.shards - 1) * shard_size_);
  }
  layout.full = cut_of(layout.full_length);
  layout.last = cut_of(layout.last_length);
  return layout;
}

}  // namespace model_signing::engine
