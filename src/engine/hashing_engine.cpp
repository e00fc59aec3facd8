#include "engine/hashing_engine.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <memory>
#include <mutex>
#include <numeric>
#include <thread>

#include "engine/file_reader.h"
#include "hash/hasher.h"
#include "model_signing/error.h"

namespace model_signing::engine {

namespace {

// Small enough to stay in L2 between pread() and the hash, large enough that
// syscalls are noise.
constexpr std::size_t kReadBufferSize = std::size_t{256} << 10;
constexpr auto kProgressInterval = std::chrono::milliseconds(100);

struct AlignedFree {
  void operator()(std::uint8_t* p) const { std::free(p); }
};

// Enumerates tasks without materializing them: task t is shard k of file
// order[i], found by binary search over prefix counts. Files are visited
// largest first so the long tasks start early and the pool ends together.
class TaskList {
 public:
  TaskList(const std::vector<walk::ModelFile>& files, const EngineOptions& options)
      : files_(files), shard_size_(options.method == Serialization::kShards ? options.shard_size : 0) {
    order_.resize(files.size());
    std::iota(order_.begin(), order_.end(), std::size_t{0});
    std::stable_sort(order_.begin(), order_.end(),
                     [&](std::size_t a, std::size_t b) { return files[a].size > files[b].size; });
    first_task_.reserve(files.size() + 1);
    std::uint64_t count = 0;
    for (std::size_t index : order_) {
      first_task_.push_back(count);
      // Rounded up without size + shard_size - 1, which wraps for huge shards.
      const std::uint64_t size = files[index].size;
      count += shard_size_ == 0 ? 1 : size / shard_size_ + (size % shard_size_ != 0);
    }
    first_task_.push_back(count);
  }

  std::uint64_t size() const { return first_task_.back(); }

  struct Task {
    const walk::ModelFile* file;
    std::uint64_t start;
    std::uint64_t length;
    bool last_piece;  // the range ends where the file should end
  };

  Task at(std::uint64_t t) const {
    auto it = std::upper_bound(first_task_.begin(), first_task_.end(), t);
    std::size_t i = static_cast<std::size_t>(it - first_task_.begin()) - 1;
    const walk::ModelFile& file = files_[order_[i]];
    if (shard_size_ == 0) return {&file, 0, file.size, true};
    std::uint64_t k = t - first_task_[i];
    std::uint64_t start = k * shard_size_;
    std::uint64_t end = std::min(file.size, start + shard_size_);
    return {&file, start, end - start, end == file.size};
  }

 private:
  const std::vector<walk::ModelFile>& files_;
  std::uint64_t shard_size_;
  std::vector<std::size_t> order_;
  std::vector<std::uint64_t> first_task_;
};

class Run {
 public:
  Run(const std::vector<walk::ModelFile>& files, const EngineOptions& options)
      : options_(options), tasks_(files, options), items_(tasks_.size()) {
    for (const auto& f : files) total_bytes_ += f.size;
  }

  std::vector<ManifestItem> execute(unsigned workers) {
    if (tasks_.size() == 0) return {};
    workers = static_cast<unsigned>(std::min<std::uint64_t>(workers, tasks_.size()));
    if (workers <= 1) {
      work(/*report_progress=*/true);
    } else {
      std::vector<std::thread> pool;
      pool.reserve(workers);
      for (unsigned i = 0; i < workers; ++i) pool.emplace_back([this] { work(false); });
      monitor(workers);
      for (auto& t : pool) t.join();
    }
    if (error_) std::rethrow_exception(error_);
    if (options_.progress) options_.progress(total_bytes_, total_bytes_);
    return std::move(items_);
  }

 private:
  void work(bool report_progress) {
    try {
      std::unique_ptr<std::uint8_t, AlignedFree> buffer(
          static_cast<std::uint8_t*>(std::aligned_alloc(4096, kReadBufferSize)));
      if (!buffer) throw std::bad_alloc();
      auto hasher = hash::make_hasher(options_.hash);
      FileReader reader;
      auto last_report = std::chrono::steady_clock::now();
      while (!stop_.load(std::memory_order_relaxed)) {
        std::uint64_t t = next_.fetch_add(1, std::memory_order_relaxed);
        if (t >= tasks_.size()) break;
        TaskList::Task task = tasks_.at(t);
        hasher->reset();
        reader.read_range(task.file->open_path, task.file->open_path, task.start, task.length,
                          task.last_piece, buffer.get(), kReadBufferSize,
                          [&](const std::uint8_t* data, std::size_t size) {
                            hasher->update(data, size);
                            done_bytes_.fetch_add(size, std::memory_order_relaxed);
                            if (report_progress && options_.progress) {
                              auto now = std::chrono::steady_clock::now();
                              if (now - last_report >= kProgressInterval) {
                                last_report = now;
                                options_.progress(done_bytes_.load(), total_bytes_);
                              }
                            }
                          });
        ManifestItem& item = items_[t];
        item.path = task.file->name;
        if (options_.method == Serialization::kShards) {
          item.start = task.start;
          item.end = task.start + task.length;
        }
        item.digest = hasher->finish();
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

  const EngineOptions& options_;
  TaskList tasks_;
  std::vector<ManifestItem> items_;
  std::uint64_t total_bytes_ = 0;
  std::atomic<std::uint64_t> next_{0};
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
  return Run(files, options).execute(workers);
}

}  // namespace model_signing::engine
