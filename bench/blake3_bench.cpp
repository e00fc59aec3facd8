// BLAKE3 micro-benchmarks: the single-block compression (shared by every
// backend), and per backend one batch of the many-chunks kernel and
// whole-buffer hashing. Compare backends
// with each other within one run; bench/blake3_vs_b3sum.sh compares whole
// commands with the official implementation.
//
//   build/bench/blake3_bench --benchmark_filter=Hash/
#include <benchmark/benchmark.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "hash/blake3/backend.h"
#include "hash/blake3/blake3.h"

namespace model_signing::hash::blake3 {
namespace {

std::vector<std::uint8_t> random_input(std::size_t size) {
  std::vector<std::uint8_t> data(size);
  std::mt19937_64 rng(1);
  for (auto& b : data) b = static_cast<std::uint8_t>(rng());
  return data;
}

void compress(benchmark::State& state) {
  const Kernels& k = kernels_for(Backend::kPortable);
  auto block = random_input(kBlockLen);
  std::uint32_t cv[8];
  std::memcpy(cv, kIv, sizeof cv);
  for (auto _ : state) {
    k.compress_in_place(cv, block.data(), kBlockLen, 0, kChunkStart);
    benchmark::DoNotOptimize(cv);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kBlockLen));
}

// One call of the many-inputs kernel on as many whole chunks as it takes at once.
void hash_many_chunks(benchmark::State& state, const Kernels* kernels) {
  const Kernels& k = *kernels;
  auto data = random_input(k.degree * kChunkLen);
  const std::uint8_t* inputs[kMaxDegree];
  for (std::size_t i = 0; i < k.degree; ++i) inputs[i] = data.data() + i * kChunkLen;
  std::uint8_t out[kMaxDegree * kOutLen];
  for (auto _ : state) {
    k.hash_many(inputs, k.degree, kBlocksPerChunk, kIv, 0, true, 0, kChunkStart, kChunkEnd, out);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * k.degree * kChunkLen));
}

// Blake3 update + finalize on a buffer of state.range(0) bytes.
void hash_buffer(benchmark::State& state, Backend backend) {
  force_backend(backend);
  auto data = random_input(static_cast<std::size_t>(state.range(0)));
  std::uint8_t out[kOutLen];
  for (auto _ : state) {
    Blake3 h;
    h.update(data.data(), data.size());
    h.finalize(out);
    benchmark::DoNotOptimize(out);
  }
  force_backend(std::nullopt);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
}

// Registers every benchmark for every backend this CPU runs.
[[maybe_unused]] const bool registered = [] {
  benchmark::RegisterBenchmark("Compress", compress);
  for (Backend b : supported_backends()) {
    std::string name(to_string(b));
    // Every variant of the kernel (the first is the one this CPU uses).
    for (const Kernels* k : kernel_variants(b)) {
      std::string variant = k->variant.empty() ? "" : "/" + std::string(k->variant);
      benchmark::RegisterBenchmark(("HashManyChunks/" + name + variant).c_str(), hash_many_chunks,
                                   k);
    }
    benchmark::RegisterBenchmark(("Hash/" + name).c_str(), hash_buffer, b)
        ->Arg(64)
        ->Arg(1024)
        ->Arg(16 << 10)
        ->Arg(256 << 10)
        ->Arg(16 << 20);
  }
  return true;
}();

}  // namespace
}  // namespace model_signing::hash::blake3

BENCHMARK_MAIN();
