// What setting tasks aside buys: the engine on models whose tasks do not
// divide evenly among the workers, with the default slice and with setting
// aside turned off (slice_bytes = 0), in one invocation. Cases: three equal
// 256 MiB files, and one file of four 128 MiB shards plus a 38 MiB tail
// (the 4 GiB / 1 GB-shard layout, scaled down). Warm page cache; real time.
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

walk::ModelFile make_file(const std::string& name, std::uint64_t size) {
  std::string path = model_signing::bench::scratch_path("schedule-" + name);
  model_signing::bench::write_random_file(path, size, size);
  return {name, path, size};
}

struct Models {
  Models() {
    for (int i = 0; i < 3; ++i) three.push_back(make_file("f" + std::to_string(i), 256 * kMiB));
    shards.push_back(make_file("sharded", 4 * 128 * kMiB + 38 * kMiB));
  }
  ~Models() {
    for (const auto& f : three) ::unlink(f.open_path.c_str());
    for (const auto& f : shards) ::unlink(f.open_path.c_str());
  }
  std::vector<walk::ModelFile> three, shards;
};

const Models& models() {
  static const Models instance;
  return instance;
}

void run(benchmark::State& state, bool sharded) {
  const auto& files = sharded ? models().shards : models().three;
  engine::EngineOptions options;
  options.method = sharded ? Serialization::kShards : Serialization::kFiles;
  options.shard_size = 128 * kMiB;
  options.workers = 2;
  if (state.range(0) == 0) options.slice_bytes = 0;
  engine::EngineStats stats;
  options.stats = &stats;
  std::uint64_t bytes = 0;
  for (const auto& f : files) bytes += f.size;
  engine::hash_files(files, options);  // warm the page cache
  std::uint64_t switches = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(engine::hash_files(files, options));
    switches += stats.switches;
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["switches"] =
      benchmark::Counter(static_cast<double>(switches), benchmark::Counter::kAvgIterations);
}

void BM_ThreeEqualFiles(benchmark::State& state) { run(state, false); }
void BM_FourShardsAndATail(benchmark::State& state) { run(state, true); }
BENCHMARK(BM_ThreeEqualFiles)->ArgName("set_aside")->Arg(0)->Arg(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FourShardsAndATail)->ArgName("set_aside")->Arg(0)->Arg(1)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
