#include "walk/chunk_pool.h"

#include <system_error>

namespace model_signing::walk {

ChunkPool::ChunkPool(unsigned helpers) {
  for (unsigned i = 0; i < helpers; ++i) {
    try {
      threads_.emplace_back([this] { serve(); });
    } catch (const std::system_error&) {
      break;  // fewer helpers, or none
    }
  }
}

ChunkPool::~ChunkPool() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void ChunkPool::run(std::size_t chunks, const std::function<void(std::size_t)>& job) {
  {
    std::lock_guard lock(mutex_);
    job_ = &job;
    chunks_ = chunks;
    next_.store(0, std::memory_order_relaxed);
    ++generation_;
    open_ = true;
  }
  wake_.notify_all();
  drain();
  // A helper that wakes from now on stays out; wait for those inside the
  // job, which read job_ and chunks_ without the lock until they leave.
  std::unique_lock lock(mutex_);
  open_ = false;
  idle_.wait(lock, [&] { return active_ == 0; });
  job_ = nullptr;
}

void ChunkPool::drain() {
  for (std::size_t i; (i = next_.fetch_add(1, std::memory_order_relaxed)) < chunks_;) (*job_)(i);
}

void ChunkPool::serve() {
  std::uint64_t seen = 0;
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stop_ || (open_ && generation_ != seen); });
    if (stop_) return;
    seen = generation_;
    ++active_;
    lock.unlock();
    drain();
    lock.lock();
    if (--active_ == 0) idle_.notify_one();
  }
}

}  // namespace model_signing::walk
