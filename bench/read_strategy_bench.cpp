// How the hashing engine should read: a warm file hashed with SHA-256 on one
// thread, and as two halves on two threads at once (two workers, as on a
// 2-core machine, each on its own bytes as the engine's are), reading
// with pread() into a 256 KiB buffer or through the engine's 8 MiB mapped
// windows, hashing with OpenSSL (fed whole windows, or in prefetched 1 KiB
// pieces as the engine does) or with our SHA-NI kernel (which prefetches
// itself). Run: build/bench/read_strategy_bench (MS_READ_STRATEGY_FILE=path
// to read an existing file instead of a 256 MiB scratch file).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>

#include "bench_files.h"
#include "engine/shard_reader.h"
#include "hash/evp_hasher.h"
#include "hash/sha256/sha256_hasher.h"

namespace {

namespace engine = model_signing::engine;
namespace hash = model_signing::hash;

constexpr std::size_t kScratchSize = std::size_t{256} << 20;

struct TestFile {
  std::string path;
  std::size_t size;
};

// MS_READ_STRATEGY_FILE if set (an existing file, e.g. bench_digest.sh's
// 4 GiB one, kept with KEEP_DATA=1), else 256 MiB of random bytes written
// for the run and removed after it.
const TestFile& test_file() {
  static const TestFile file = [] {
    if (const char* given = std::getenv("MS_READ_STRATEGY_FILE"); given && *given) {
      struct stat st;
      if (::stat(given, &st) != 0) std::abort();
      return TestFile{given, static_cast<std::size_t>(st.st_size)};
    }
    std::string p = model_signing::bench::scratch_path("read-strategy.bin");
    model_signing::bench::write_random_file(p, kScratchSize, 42);
    std::atexit([] { ::unlink(model_signing::bench::scratch_path("read-strategy.bin").c_str()); });
    return TestFile{p, kScratchSize};
  }();
  return file;
}

enum Hash { kOpenSsl, kOpenSslPrefetched, kShaNi };

std::unique_ptr<hash::Hasher> make(Hash h) {
  if (h == kShaNi) return std::make_unique<hash::Sha256Hasher>(hash::Sha256Backend::kShaNi);
  return std::make_unique<hash::EvpHasher>("SHA256");
}

void feed(hash::Hasher& hasher, Hash h, const engine::ShardView& v) {
  if (h != kOpenSslPrefetched) {
    hasher.update(v.data, v.size);
    return;
  }
  constexpr std::size_t kPiece = 1024;
  for (std::size_t at = 0; at < v.size; at += kPiece) {
    for (std::size_t line = at + kPiece; line < at + 2 * kPiece && line < v.size; line += 64) {
      __builtin_prefetch(v.data + line, 0, 3);
    }
    hasher.update(v.data + at, std::min(kPiece, v.size - at));
  }
}

// range(0): 1 mapped windows, 0 pread; range(1): the Hash.
void BM_Read(benchmark::State& state) {
  const bool mapped = state.range(0) != 0;
  const Hash h = static_cast<Hash>(state.range(1));
  if (h == kShaNi && !hash::sha256_backends().supported(hash::Sha256Backend::kShaNi)) {
    state.SkipWithError("no SHA-NI on this CPU");
    return;
  }
  const TestFile& file = test_file();
  const std::size_t share = file.size / static_cast<std::size_t>(state.threads());
  const std::size_t begin = share * static_cast<std::size_t>(state.thread_index());
  // The piece length decides the reader's strategy: over 256 KiB is mapped.
  const std::uint64_t piece = mapped ? file.size : engine::ShardReader::kReadBuffer;
  const std::size_t step = engine::ShardReader::view_limit(piece);
  for (auto _ : state) {
    engine::ShardReader reader;
    auto hasher = make(h);
    for (std::size_t off = begin; off < begin + share; off += step) {
      std::size_t n = std::min(step, begin + share - off);
      engine::ShardView v = reader.view(file.path, file.path, piece, off, n, false);
      feed(*hasher, h, v);
    }
    benchmark::DoNotOptimize(hasher->finish());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * share));
}
BENCHMARK(BM_Read)
    ->ArgNames({"mapped", "hash"})
    ->Args({0, kOpenSsl})->Args({1, kOpenSsl})->Args({1, kOpenSslPrefetched})
    ->Args({0, kShaNi})->Args({1, kShaNi})
    ->Threads(1)->Threads(2)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
