// The engine's read paths side by side (engine/read_path.h): a warm file
// hashed with SHA-256 on one thread, and as two halves on two threads at
// once (two workers, as on a 2-core machine, each on its own bytes as the
// engine's are), reading with pread() into a 256 KiB buffer, through the
// engine's 8 MiB mapped windows (faulted in, or populated up front: read 1
// and 2), or (one thread, read 3) from the ring of buffers a
// second thread pread()s ahead into (ReadAheadBeacon, as for a lone stream);
// hashing with OpenSSL (fed whole windows, or in prefetched 1 KiB steps as
// the engine does) or with our SHA-NI kernel (which prefetches itself). The
// engine picks between these by timing them as it goes; this shows what it
// picks from. Run: build/bench/read_strategy_bench (MS_READ_STRATEGY_FILE=
// path to read an existing file instead of a 256 MiB scratch file).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "bench_files.h"
#include "engine/read_ahead.h"
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

enum Read { kPread, kMapped, kMappedPopulated, kBuffered };

// range(0): the Read; range(1): the Hash.
void BM_Read(benchmark::State& state) {
  const Read read = static_cast<Read>(state.range(0));
  const Hash h = static_cast<Hash>(state.range(1));
  if (h == kShaNi && !hash::sha256_backends().supported(hash::Sha256Backend::kShaNi)) {
    state.SkipWithError("no SHA-NI on this CPU");
    return;
  }
  const TestFile& file = test_file();
  const std::size_t share = file.size / static_cast<std::size_t>(state.threads());
  const std::size_t begin = share * static_cast<std::size_t>(state.thread_index());
  const std::size_t step =
      read == kMapped || read == kMappedPopulated ? engine::ShardReader::kMapWindow
                                                  : engine::ShardReader::kReadBuffer;
  for (auto _ : state) {
    engine::ShardReader reader;
    auto hasher = make(h);
    engine::ReadAheadBeacon beacon;
    std::thread helper;
    if (read == kBuffered) {
      beacon.claim();
      helper = std::thread([&] { beacon.follow(); });
      beacon.update(file.path, begin, begin + share, engine::ReadAheadBeacon::Mode::kBuffer);
    }
    for (std::size_t off = begin; off < begin + share;) {
      std::size_t n = std::min(step, begin + share - off);
      engine::ShardView v;
      if (read == kBuffered) v = beacon.take(off, n);
      if (!v.data) {
        v = read == kPread || read == kBuffered
                ? reader.read(file.path, file.path, off, n, false)
                : reader.map(file.path, file.path, off, n, false, read == kMappedPopulated);
      }
      feed(*hasher, h, v);
      off += v.size;
    }
    beacon.close();
    if (helper.joinable()) helper.join();
    benchmark::DoNotOptimize(hasher->finish());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * share));
}
BENCHMARK(BM_Read)
    ->ArgNames({"read", "hash"})
    ->Args({kPread, kOpenSsl})->Args({kMapped, kOpenSsl})->Args({kMapped, kOpenSslPrefetched})
    ->Args({kMappedPopulated, kOpenSslPrefetched})
    ->Args({kPread, kShaNi})->Args({kMapped, kShaNi})->Args({kMappedPopulated, kShaNi})
    ->Threads(1)->Threads(2)->UseRealTime()->Unit(benchmark::kMillisecond);
// A lone stream with a helper thread: one hashing thread.
BENCHMARK(BM_Read)
    ->ArgNames({"read", "hash"})
    ->Args({kBuffered, kOpenSsl})->Args({kBuffered, kShaNi})
    ->Threads(1)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
