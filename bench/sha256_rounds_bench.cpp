// What one SHA-256 stream leaves unused: the SHA-NI round instruction
// (SHA256RNDS2) in one dependency chain, as a single SHA-256 stream must run
// it, against two and four independent chains interleaved, as hashing two or
// four shards at once on one core could. Items/s is round instructions per
// second. Run: build/bench/sha256_rounds_bench (x86-64 with SHA-NI only).
#include <benchmark/benchmark.h>
#include <immintrin.h>

namespace {

template <int kChains>
void BM_Sha256Rnds2Chains(benchmark::State& state) {
  if (!__builtin_cpu_supports("sha")) {
    state.SkipWithError("this CPU has no SHA-NI");
    return;
  }
  __m128i abef[kChains], cdgh[kChains];
  for (int c = 0; c < kChains; ++c) {
    abef[c] = _mm_set1_epi32(c + 1);
    cdgh[c] = _mm_set1_epi32(c + 11);
  }
  const __m128i k = _mm_set1_epi32(0x428a2f98);
  constexpr int kRounds = 1024;
  for (auto _ : state) {
    for (int r = 0; r < kRounds; ++r) {
#pragma GCC unroll 4
      for (int c = 0; c < kChains; ++c) cdgh[c] = _mm_sha256rnds2_epu32(cdgh[c], abef[c], k);
#pragma GCC unroll 4
      for (int c = 0; c < kChains; ++c) abef[c] = _mm_sha256rnds2_epu32(abef[c], cdgh[c], k);
    }
  }
  // Only the result escapes: the chains stay in registers while they run.
  __m128i sum = _mm_setzero_si128();
  for (int c = 0; c < kChains; ++c) sum = _mm_xor_si128(sum, abef[c]);
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations() * kRounds * 2 * kChains);
}
BENCHMARK(BM_Sha256Rnds2Chains<1>);
BENCHMARK(BM_Sha256Rnds2Chains<2>);
BENCHMARK(BM_Sha256Rnds2Chains<4>);

}  // namespace

BENCHMARK_MAIN();
