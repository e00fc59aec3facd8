// What the engine's scheduling buys, in one invocation: setting tasks aside
// (on, and off with slice_bytes = 0), hashing two streams per worker
// (pair_streams on and off) and, with both on, reading ahead from an idle
// core (read_ahead off too), on models whose tasks do not divide evenly
// among the workers: three equal 256 MiB files, and one file of four
// 128 MiB shards plus a 38 MiB tail (the 4 GiB / 1 GB-shard layout, scaled
// down); and eight 128 MiB files, which do. Also what a core with nothing
// to hash buys by reading ahead of the one that has (read_ahead on and off),
// on one 1 GiB file hashed whole, SHA-256 and BLAKE2b, the file written in
// 1 MiB writes or in 8 KiB ones (small_writes: held in small page-cache
// folios, as `head -c` leaves it, which map 4 KiB at a time). Two workers,
// warm page cache, real time.
// Run: build/bench/engine_schedule_bench
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "bench_files.h"
#include "engine/hashing_engine.h"

namespace {

using model_signing::Serialization;
namespace engine = model_signing::engine;
namespace walk = model_signing::walk;

constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;

walk::ModelFile make_file(const std::string& name, std::uint64_t size,
                          std::size_t write_size = std::size_t{1} << 20) {
  std::string path = model_signing::bench::scratch_path("schedule-" + name);
  model_signing::bench::write_random_file(path, size, size, write_size);
  return {name, path, size};
}

struct Models {
  Models() {
    for (int i = 0; i < 3; ++i) three.push_back(make_file("f" + std::to_string(i), 256 * kMiB));
    shards.push_back(make_file("sharded", 4 * 128 * kMiB + 38 * kMiB));
    for (int i = 0; i < 8; ++i) eight.push_back(make_file("e" + std::to_string(i), 128 * kMiB));
    one.push_back(make_file("one", 1024 * kMiB));
    one.push_back(make_file("one-small-writes", 1024 * kMiB, 8192));
  }
  ~Models() {
    for (const auto* set : {&three, &shards, &eight, &one}) {
      for (const auto& f : *set) ::unlink(f.open_path.c_str());
    }
  }
  std::vector<walk::ModelFile> three, shards, eight, one;
};

const Models& models() {
  static const Models instance;
  return instance;
}

void run(benchmark::State& state, const std::vector<walk::ModelFile>& files, bool sharded) {
  engine::EngineOptions options;
  options.method = sharded ? Serialization::kShards : Serialization::kFiles;
  options.shard_size = 128 * kMiB;
  options.workers = 2;
  if (state.range(0) == 0) options.slice_bytes = 0;
  options.pair_streams = state.range(1) != 0;
  options.read_ahead = state.range(2) != 0;
  engine::EngineStats stats;
  options.stats = &stats;
  std::uint64_t paired = 0;
  std::uint64_t bytes = 0;
  for (const auto& f : files) bytes += f.size;
  engine::hash_files(files, options);  // warm the page cache
  std::uint64_t switches = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(engine::hash_files(files, options));
    switches += stats.switches;
    paired += stats.paired_bytes;
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["switches"] =
      benchmark::Counter(static_cast<double>(switches), benchmark::Counter::kAvgIterations);
  state.counters["paired"] = benchmark::Counter(
      static_cast<double>(paired) / static_cast<double>(bytes), benchmark::Counter::kAvgIterations);
}

void BM_OneFileReadAhead(benchmark::State& state) {
  engine::EngineOptions options;
  options.workers = 2;
  options.read_ahead = state.range(0) != 0;
  options.hash = state.range(1) == 0 ? model_signing::HashAlgorithm::kSha256
                                     : model_signing::HashAlgorithm::kBlake2b;
  engine::EngineStats stats;
  options.stats = &stats;
  const std::vector<walk::ModelFile> files = {models().one[state.range(2)]};
  engine::hash_files(files, options);  // warm the page cache
  std::uint64_t warmed = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(engine::hash_files(files, options));
    warmed += stats.read_ahead_bytes;
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * files[0].size));
  state.counters["warmed"] =
      benchmark::Counter(static_cast<double>(warmed) / static_cast<double>(files[0].size),
                         benchmark::Counter::kAvgIterations);
}

void BM_ThreeEqualFiles(benchmark::State& state) { run(state, models().three, false); }
void BM_FourShardsAndATail(benchmark::State& state) { run(state, models().shards, true); }
void BM_EightEqualFiles(benchmark::State& state) { run(state, models().eight, false); }

void cases(benchmark::internal::Benchmark* b) {
  b->ArgNames({"set_aside", "pair", "read_ahead"})
      ->Args({0, 0, 1})
      ->Args({1, 0, 1})
      ->Args({0, 1, 1})
      ->Args({1, 1, 1})
      ->Args({1, 1, 0});
  b->UseRealTime()->Unit(benchmark::kMillisecond);
}
BENCHMARK(BM_ThreeEqualFiles)->Apply(cases);
BENCHMARK(BM_FourShardsAndATail)->Apply(cases);
BENCHMARK(BM_EightEqualFiles)->Apply(cases);
BENCHMARK(BM_OneFileReadAhead)
    ->ArgNames({"read_ahead", "blake2b", "small_writes"})
    ->ArgsProduct({{0, 1}, {0, 1}, {0, 1}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
