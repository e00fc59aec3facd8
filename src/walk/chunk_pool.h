// Threads that share a job of numbered chunks with the thread that asks
// for it, kept from job to job (the walk makes its pool at its first large
// directory and hands it one job per large directory: starting a thread
// costs more than stat'ing a few dozen files on a VM).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace model_signing::walk {

class ChunkPool {
 public:
  // Starts `helpers` threads besides the caller of run(), or as many as it
  // can have.
  explicit ChunkPool(unsigned helpers);
  ~ChunkPool();
  ChunkPool(const ChunkPool&) = delete;
  ChunkPool& operator=(const ChunkPool&) = delete;

  // Calls job(i) once for each i in [0, chunks), on this thread and the
  // helpers, and returns when all calls have returned. `job` must not
  // throw. With no thread to be had, this thread does every chunk.
  void run(std::size_t chunks, const std::function<void(std::size_t)>& job);

 private:
  void serve();
  void drain();

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  // The current job, set under mutex_ and read without it by the threads
  // inside it (run() waits for them to leave before the next); chunks are
  // claimed through next_.
  const std::function<void(std::size_t)>* job_ = nullptr;
  std::size_t chunks_ = 0;
  std::uint64_t generation_ = 0;
  bool open_ = false;    // helpers may join the current job; under mutex_
  unsigned active_ = 0;  // helpers inside the current job; under mutex_
  bool stop_ = false;
  std::atomic<std::size_t> next_{0};
};

}  // namespace model_signing::walk
