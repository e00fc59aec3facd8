#include "engine/hashing_engine.h"

#include <unistd.h>

#include <algorithm>
#include <bit>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <memory>
#include <mutex>
#include <numeric>
#include <thread>
#include <unordered_map>

#include "engine/file_reader.h"
#include "hash/hasher.h"
#include "model_signing/error.h"

namespace model_signing::engine {

namespace {

// Small enough to stay in L2 between pread() and the hash, large enough that
// syscalls are noise.
constexpr std::size_t kReadBufferSize = std::size_t{256} << 10;
constexpr auto kProgressInterval = std::chrono::milliseconds(100);
// A stream is set aside only at a slice boundary; one that could finish last
// is taken up this much before it has to be.
constexpr std::uint64_t kCriticalMarginSlices = 1;

struct AlignedFree {
  void operator()(std::uint8_t* p) const { std::free(p); }
};

// Tree hashes cut a large piece into subtrees hashed as separate tasks, so
// one big file keeps every worker busy: about kSubtreesPerWorker subtrees
// per worker, each a power of two of at least kMinSubtree bytes.
constexpr std::uint64_t kMinSubtree = std::uint64_t{1} << 20;
constexpr std::uint64_t kSubtreesPerWorker = 8;

// Enumerates tasks without materializing them. A task hashes one piece of a
// file (the whole file, or one shard) or, for tree hashes, one subtree of a
// large piece. Task t is found by binary search over per-file prefix counts.
// Files are visited largest first so the long tasks start early and the pool
// ends together.
class TaskList {
 public:
  TaskList(const std::vector<walk::ModelFile>& files, const EngineOptions& options,
           unsigned workers, std::uint64_t subtree_unit)
      : files_(files),
        shard_size_(options.method == Serialization::kShards ? options.shard_size : 0),
        split_(workers > 1 && subtree_unit != 0 && std::has_single_bit(subtree_unit) &&
               subtree_unit <= kMinSubtree),
        workers_(workers) {
    order_.resize(files.size());
    std::iota(order_.begin(), order_.end(), std::size_t{0});
    std::stable_sort(order_.begin(), order_.end(),
                     [&](std::size_t a, std::size_t b) { return files[a].size > files[b].size; });
    first_task_.reserve(files.size() + 1);
    first_piece_.reserve(files.size() + 1);
    std::uint64_t tasks = 0, pieces = 0;
    for (std::size_t index : order_) {
      first_task_.push_back(tasks);
      first_piece_.push_back(pieces);
      Layout layout = layout_of(files[index].size);
      tasks += layout.tasks();
      pieces += layout.pieces;
    }
    first_task_.push_back(tasks);
    first_piece_.push_back(pieces);
  }

  std::uint64_t size() const { return first_task_.back(); }
  // Pieces, i.e. manifest items.
  std::uint64_t pieces() const { return first_piece_.back(); }

  struct Task {
    const walk::ModelFile* file;
    std::uint64_t piece;  // index of the manifest item
    std::uint64_t piece_start;
    std::uint64_t piece_length;
    std::uint64_t subtree;   // which subtree of the piece this task hashes
    std::uint64_t subtrees;  // subtrees the piece is cut into; 1: hashed whole
    std::uint64_t start;     // the bytes this task reads
    std::uint64_t length;
    bool last_piece;  // the range ends where the file should end
  };

  Task at(std::uint64_t t) const {
    auto it = std::upper_bound(first_task_.begin(), first_task_.end(), t);
    std::size_t i = static_cast<std::size_t>(it - first_task_.begin()) - 1;
    const walk::ModelFile& file = files_[order_[i]];
    Layout layout = layout_of(file.size);
    std::uint64_t k = t - first_task_[i];
    std::uint64_t full_tasks = (layout.pieces - 1) * layout.full.count;
    bool full = k < full_tasks;
    std::uint64_t piece = full ? k / layout.full.count : layout.pieces - 1;
    const Cut& cut = full ? layout.full : layout.last;
    std::uint64_t subtree = full ? k % layout.full.count : k - full_tasks;
    Task task;
    task.file = &file;
    task.piece = first_piece_[i] + piece;
    task.piece_start = piece * layout.full_length;
    task.piece_length = full ? layout.full_length : layout.last_length;
    task.subtree = subtree;
    task.subtrees = cut.count;
    task.start = task.piece_start + subtree * cut.size;
    task.length = cut.count == 1 ? task.piece_length
                                 : std::min(cut.size, task.piece_length - subtree * cut.size);
    task.last_piece = task.start + task.length == file.size;
    return task;
  }

 private:
  // A piece hashed whole (count 1) or as `count` subtrees of `size` bytes.
  struct Cut {
    std::uint64_t size;
    std::uint64_t count;
  };
  // A file as `pieces` pieces of full_length bytes, the last of last_length.
  struct Layout {
    std::uint64_t pieces;
    std::uint64_t full_length;
    std::uint64_t last_length;
    Cut full;
    Cut last;
    std::uint64_t tasks() const {
      return pieces == 0 ? 0 : (pieces - 1) * full.count + last.count;
    }
  };

  Cut cut_of(std::uint64_t length) const {
    if (!split_ || length <= kMinSubtree) return {length, 1};
    std::uint64_t per_task = (length - 1) / (kSubtreesPerWorker * workers_) + 1;
    std::uint64_t size = std::max(kMinSubtree, std::bit_ceil(per_task));
    return {size, (length - 1) / size + 1};
  }

  Layout layout_of(std::uint64_t file_size) const {
    Layout layout;
    if (shard_size_ == 0) {
      layout.pieces = 1;
      layout.full_length = layout.last_length = file_size;
    } else {
      // Rounded up without size + shard_size - 1, which wraps for huge
      // shards; none for an empty file.
      layout.pieces = file_size / shard_size_ + (file_size % shard_size_ != 0);
      layout.full_length = shard_size_;
      layout.last_length = file_size - (layout.pieces == 0 ? 0 : (layout.pieces - 1) * shard_size_);
    }
    layout.full = cut_of(layout.full_length);
    layout.last = cut_of(layout.last_length);
    return layout;
  }

  const std::vector<walk::ModelFile>& files_;
  std::uint64_t shard_size_;
  bool split_;
  unsigned workers_;
  std::vector<std::size_t> order_;
  std::vector<std::uint64_t> first_task_;
  std::vector<std::uint64_t> first_piece_;
};

class Run {
 public:
  Run(const std::vector<walk::ModelFile>& files, const EngineOptions& options, unsigned workers)
      : options_(options),
        workers_(workers),
        tasks_(files, options, workers, hash::make_hasher(options.hash)->subtree_unit()),
        items_(tasks_.pieces()) {
    for (const auto& f : files) total_bytes_ += f.size;
  }

  std::vector<ManifestItem> execute() {
    if (tasks_.size() == 0) return {};
    pool_size_ = static_cast<unsigned>(std::min<std::uint64_t>(workers_, tasks_.size()));
    slice_ = pool_size_ > 1 && options_.slice_bytes > 0 ? options_.slice_bytes : UINT64_MAX;
    if (pool_size_ <= 1) {
      work(/*report_progress=*/true);
    } else {
      std::vector<std::thread> pool;
      pool.reserve(pool_size_);
      for (unsigned i = 0; i < pool_size_; ++i) pool.emplace_back([this] { work(false); });
      monitor(pool_size_);
      for (auto& t : pool) t.join();
    }
    if (error_) std::rethrow_exception(error_);
    if (options_.stats) options_.stats->switches = switches_;
    if (options_.progress) options_.progress(total_bytes_, total_bytes_);
    return std::move(items_);
  }

 private:
  // A task under way: how far it got and the hasher holding its state, so
  // that it can be set aside and carried on by any worker.
  struct Stream {
    TaskList::Task task;
    std::uint64_t done = 0;
    std::unique_ptr<hash::Hasher> hasher;
    std::uint64_t left() const { return task.length - done; }
  };

  void work(bool report_progress) {
    try {
      std::unique_ptr<std::uint8_t, AlignedFree> buffer(
          static_cast<std::uint8_t*>(std::aligned_alloc(4096, kReadBufferSize)));
      if (!buffer) throw std::bad_alloc();
      std::unique_ptr<hash::Hasher> spare;
      Stream current;
      FileReader reader;
      auto last_report = std::chrono::steady_clock::now();
      while (!stop_.load(std::memory_order_relaxed)) {
        if (!current.hasher && !acquire(current, spare)) break;
        const TaskList::Task& task = current.task;
        std::uint64_t length = std::min(current.left(), slice_);
        bool ends = length == current.left();
        hash::Hasher& hasher = *current.hasher;
        reader.read_range(task.file->open_path, task.file->open_path, task.start + current.done,
                          length, ends && task.last_piece, buffer.get(), kReadBufferSize,
                          [&](const std::uint8_t* data, std::size_t size) {
                            hasher.update(data, size);
                            done_bytes_.fetch_add(size, std::memory_order_relaxed);
                            if (report_progress && options_.progress) {
                              auto now = std::chrono::steady_clock::now();
                              if (now - last_report >= kProgressInterval) {
                                last_report = now;
                                options_.progress(done_bytes_.load(), total_bytes_);
                              }
                            }
                          });
        current.done += length;
        if (!ends) {
          maybe_switch(current, spare);
          continue;
        }
        if (task.subtrees == 1) {
          describe(task, items_[task.piece]).digest = hasher.finish();
        } else {
          finish_subtree(task, hasher);
        }
        spare = std::move(current.hasher);
      }
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!error_) error_ = std::current_exception();
      stop_ = true;
    }
    {
      std::lock_guard lock(mutex_);
      ++finished_;
    }
    cv_.notify_all();
  }

  // Scheduling: tasks start largest first, and a worker keeps its task
  // until the task waiting with the most bytes left is critical, i.e. could
  // no longer finish by the time the pool as a whole runs out of work if it
  // waited longer. Then the worker sets its own task aside (hasher and all)
  // and takes that one; whoever is free next carries on the one set aside.
  // Without this, three equal files (or five 1 GB shards) on two workers end
  // with one worker hashing the last alone while the other idles; with it,
  // both finish within about a slice of each other, after a few switches
  // near the end.

  // Starts task `t` with the spare hasher or a new one.
  void start(Stream& stream, std::uint64_t t, std::unique_ptr<hash::Hasher>& spare) {
    stream.task = tasks_.at(t);
    stream.done = 0;
    stream.hasher = spare ? std::move(spare) : hash::make_hasher(options_.hash);
    if (stream.task.subtrees == 1) {
      stream.hasher->reset();
    } else {
      stream.hasher->reset_subtree(stream.task.start - stream.task.piece_start);
    }
  }

  // Bytes of the next task not yet started; 0 when there is none.
  std::uint64_t next_task_length() const {
    std::uint64_t t = next_.load(std::memory_order_relaxed);
    return t < tasks_.size() ? tasks_.at(t).length : 0;
  }

  // The set-aside stream with the most bytes left; needs mutex_.
  std::size_t largest_parked() const {
    std::size_t best = 0;
    for (std::size_t i = 1; i < parked_.size(); ++i) {
      if (parked_[i].left() > parked_[best].left()) best = i;
    }
    return best;
  }

  Stream take_parked(std::size_t i) {
    Stream stream = std::move(parked_[i]);
    if (i + 1 != parked_.size()) parked_[i] = std::move(parked_.back());
    parked_.pop_back();
    parked_count_.store(parked_.size(), std::memory_order_release);
    return stream;
  }

  // The next thing to hash: the waiting stream with the most bytes left.
  // False when nothing is left.
  bool acquire(Stream& stream, std::unique_ptr<hash::Hasher>& spare) {
    if (parked_count_.load(std::memory_order_acquire) == 0) {
      std::uint64_t t = next_.fetch_add(1, std::memory_order_relaxed);
      if (t < tasks_.size()) {
        start(stream, t, spare);
        return true;
      }
    }
    std::lock_guard lock(mutex_);
    bool fresh = next_.load(std::memory_order_relaxed) < tasks_.size();
    if (!parked_.empty()) {
      std::size_t p = largest_parked();
      if (!fresh || parked_[p].left() >= next_task_length()) {
        stream = take_parked(p);
        return true;
      }
    }
    if (fresh) {
      std::uint64_t t = next_.fetch_add(1, std::memory_order_relaxed);
      if (t < tasks_.size()) {
        start(stream, t, spare);
        return true;
      }
    }
    if (parked_.empty()) return false;
    stream = take_parked(largest_parked());
    return true;
  }

  // At a slice boundary of `current`: swaps it for a waiting stream that
  // has become critical and has more bytes left.
  void maybe_switch(Stream& current, std::unique_ptr<hash::Hasher>& spare) {
    auto critical = [&](std::uint64_t waiting_left) {
      if (waiting_left <= current.left() + slice_) return false;
      std::uint64_t done = done_bytes_.load(std::memory_order_relaxed);
      std::uint64_t pool_left = (total_bytes_ - std::min(done, total_bytes_)) / pool_size_;
      return waiting_left + kCriticalMarginSlices * slice_ >= pool_left;
    };
    if (parked_count_.load(std::memory_order_acquire) == 0 && !critical(next_task_length())) {
      return;
    }
    std::lock_guard lock(mutex_);
    std::uint64_t fresh_left = next_task_length();
    if (!parked_.empty()) {
      std::size_t p = largest_parked();
      if (parked_[p].left() >= fresh_left) {
        if (critical(parked_[p].left())) {
          std::swap(current, parked_[p]);
          ++switches_;
        }
        return;
      }
    }
    if (!critical(fresh_left)) return;
    std::uint64_t t = next_.fetch_add(1, std::memory_order_relaxed);
    if (t >= tasks_.size()) return;
    parked_.push_back(std::move(current));
    parked_count_.store(parked_.size(), std::memory_order_release);
    start(current, t, spare);
    ++switches_;
  }

  ManifestItem& describe(const TaskList::Task& task, ManifestItem& item) const {
    item.path = task.file->name;
    if (options_.method == Serialization::kShards) {
      item.start = task.piece_start;
      item.end = task.piece_start + task.piece_length;
    }
    return item;
  }

  // Stores a subtree's chaining value; whoever stores a piece's last one
  // combines them into the piece's digest.
  void finish_subtree(const TaskList::Task& task, hash::Hasher& hasher) {
    const std::size_t value_size = hasher.digest_size();
    SubtreeValues* values;
    {
      std::lock_guard lock(mutex_);
      auto& slot = subtree_values_[task.piece];
      if (!slot) slot = std::make_unique<SubtreeValues>(task.subtrees, value_size);
      values = slot.get();
    }
    hasher.finish_subtree(values->bytes.data() + task.subtree * value_size);
    if (values->remaining.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    ManifestItem& item = describe(task, items_[task.piece]);
    item.digest.resize(value_size);
    hasher.finish_from_subtrees(values->bytes.data(), task.subtrees, item.digest.data());
    std::lock_guard lock(mutex_);
    subtree_values_.erase(task.piece);
  }

  // Runs on the calling thread while the pool works: progress reports come
  // from one thread only.
  void monitor(unsigned workers) {
    std::unique_lock lock(mutex_);
    while (finished_ < workers) {
      cv_.wait_for(lock, kProgressInterval);
      if (options_.progress && finished_ < workers) {
        lock.unlock();
        options_.progress(done_bytes_.load(), total_bytes_);
        lock.lock();
      }
    }
  }

  // The chaining values of a piece hashed as subtrees, until all are in.
  struct SubtreeValues {
    SubtreeValues(std::uint64_t count, std::size_t value_size)
        : bytes(count * value_size), remaining(count) {}
    std::vector<std::uint8_t> bytes;
    std::atomic<std::uint64_t> remaining;
  };

  const EngineOptions& options_;
  unsigned workers_;
  unsigned pool_size_ = 1;
  std::uint64_t slice_ = UINT64_MAX;  // bytes hashed between scheduling checks
  TaskList tasks_;
  std::vector<ManifestItem> items_;
  // By piece, only while some of its subtrees are done and some are not.
  std::unordered_map<std::uint64_t, std::unique_ptr<SubtreeValues>> subtree_values_;
  std::uint64_t total_bytes_ = 0;
  std::atomic<std::uint64_t> next_{0};
  // Streams set aside, under mutex_; parked_count_ mirrors their number.
  std::vector<Stream> parked_;
  std::atomic<std::size_t> parked_count_{0};
  std::uint64_t switches_ = 0;  // under mutex_
  std::atomic<std::uint64_t> done_bytes_{0};
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable cv_;
  unsigned finished_ = 0;
  std::exception_ptr error_;
};

}  // namespace

unsigned default_worker_count() {
  long n = ::sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<unsigned>(n) : 1u;
}

std::vector<ManifestItem> hash_files(const std::vector<walk::ModelFile>& files,
                                     const EngineOptions& options) {
  if (options.method == Serialization::kShards && options.shard_size == 0) {
    throw Error(ErrorKind::kInvalidArgument, "shard size must be positive");
  }
  unsigned workers = options.workers ? options.workers : default_worker_count();
  return Run(files, options, workers).execute();
}

}  // namespace model_signing::engine
