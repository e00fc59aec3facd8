// The walk's thread pool: every chunk of every job runs exactly once, the
// helpers take part, and a pool is reused job after job (run under
// ThreadSanitizer by scripts/test.sh).
#include "walk/chunk_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace model_signing::walk {
namespace {

TEST(ChunkPool, RunsEveryChunkOnceJobAfterJob) {
  ChunkPool pool(3);
  std::mutex mutex;
  std::set<std::thread::id> threads;
  for (std::size_t job = 0; job < 300; ++job) {
    std::size_t chunks = job % 17;  // including empty jobs
    std::vector<std::atomic<int>> runs(chunks);
    pool.run(chunks, [&](std::size_t i) {
      runs[i].fetch_add(1);
      if (job % 50 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
      std::lock_guard lock(mutex);
      threads.insert(std::this_thread::get_id());
    });
    for (std::size_t i = 0; i < chunks; ++i) ASSERT_EQ(runs[i].load(), 1) << "job " << job << " chunk " << i;
  }
  // The slow jobs give the helpers time to wake: some chunks ran on them.
  EXPECT_GT(threads.size(), 1u);
}

TEST(ChunkPool, WithoutHelpersTheCallerRunsEverything) {
  ChunkPool pool(0);
  std::vector<std::thread::id> ran;
  pool.run(5, [&](std::size_t) { ran.push_back(std::this_thread::get_id()); });
  EXPECT_EQ(ran, std::vector<std::thread::id>(5, std::this_thread::get_id()));
}

}  // namespace
}  // namespace model_signing::walk
