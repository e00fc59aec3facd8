// The compression kernels themselves: every SIMD kernel (one input, two
// inputs, the last block) against the portable one, with counters that
// carry into the high word of the 128-bit counter, which no input this
// test could hash reaches.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <vector>

#include "hash/blake2b/blake2b_hasher.h"
#include "hash/blake2b/blake2b_kernels.h"

namespace model_signing::hash::blake2b {
namespace {

struct Kernels {
  const char* name;
  CompressFn compress;
  CompressLastFn last;
  CompressPairFn pair;  // null for the portable kernel
};

std::vector<Kernels> simd_kernels() {
  std::vector<Kernels> out;
#if defined(MS_BLAKE2B_X86)
  if (blake2b_backends().supported(Blake2bBackend::kAvx2)) {
    out.push_back({"avx2", compress_avx2, compress_last_avx2, compress_avx2_pair});
  }
  if (blake2b_backends().supported(Blake2bBackend::kAvx512)) {
    out.push_back({"avx512", compress_avx512, compress_last_avx512, compress_avx512_pair});
  }
#endif
  return out;
}

struct State {
  std::uint64_t h[8];
  std::uint64_t t[2];
  bool operator==(const State& o) const {
    return std::equal(h, h + 8, o.h) && t[0] == o.t[0] && t[1] == o.t[1];
  }
};

State start(std::uint64_t t0, std::uint64_t t1, std::mt19937_64& rng) {
  State s;
  for (auto& w : s.h) w = rng();
  s.t[0] = t0;
  s.t[1] = t1;
  return s;
}

TEST(Blake2bKernels, CounterCarriesIntoItsHighWord) {
  std::vector<std::uint8_t> block(kBlockSize, 0x5A);
  std::uint64_t h[8], t[2] = {~std::uint64_t{0} - 127, 7};  // 2^64 - 128
  std::memcpy(h, kInitialState, sizeof h);
  compress_portable(h, t, block.data(), 1);
  EXPECT_EQ(t[0], 0u);
  EXPECT_EQ(t[1], 8u);
  compress_portable(h, t, block.data(), 1);
  EXPECT_EQ(t[0], 128u);
  EXPECT_EQ(t[1], 8u);
  std::uint64_t a[2] = {~std::uint64_t{0}, 0};
  advance(a, 1);
  EXPECT_EQ(a[0], 0u);
  EXPECT_EQ(a[1], 1u);
}

TEST(Blake2bKernels, EverySimdKernelMatchesPortableAcrossTheCounterCarry) {
  auto kernels = simd_kernels();
  if (kernels.empty()) GTEST_SKIP() << "no SIMD kernels on this CPU";
  std::mt19937_64 rng(9);
  std::vector<std::uint8_t> data(64 * kBlockSize + 1), other(64 * kBlockSize + 3);
  for (auto& b : data) b = static_cast<std::uint8_t>(rng());
  for (auto& b : other) b = static_cast<std::uint8_t>(rng());
  const std::uint8_t* a = data.data() + 1;  // unaligned
  const std::uint8_t* b = other.data() + 3;
  const std::uint64_t near_carry = ~std::uint64_t{0} - 5 * kBlockSize + 1;
  struct Start {
    std::uint64_t t0, t1;
  };
  for (Start s0 : {Start{0, 0}, Start{near_carry, 0}, Start{near_carry, ~std::uint64_t{0} - 1},
                   Start{12345, 3}}) {
    for (std::size_t blocks : {1u, 2u, 9u, 64u}) {
      for (const Kernels& k : kernels) {
        SCOPED_TRACE(std::string(k.name) + " t=" + std::to_string(s0.t0) + "," +
                     std::to_string(s0.t1) + " blocks " + std::to_string(blocks));
        State ref_a = start(s0.t0, s0.t1, rng), ref_b = start(s0.t0 + 777, s0.t1 ^ 1, rng);
        State one = ref_a, pa = ref_a, pb = ref_b;
        compress_portable(ref_a.h, ref_a.t, a, blocks);
        compress_portable(ref_b.h, ref_b.t, b, blocks);
        k.compress(one.h, one.t, a, blocks);
        EXPECT_TRUE(one == ref_a) << "one input";
        k.pair(pa.h, pa.t, a, pb.h, pb.t, b, blocks);
        EXPECT_TRUE(pa == ref_a) << "first of a pair";
        EXPECT_TRUE(pb == ref_b) << "second of a pair";
        // The last block, with the counter as it stands.
        State last = ref_a;
        compress_last_portable(ref_a.h, ref_a.t, b);
        k.last(last.h, last.t, b);
        EXPECT_TRUE(last == ref_a) << "last block";
      }
    }
  }
}

}  // namespace
}  // namespace model_signing::hash::blake2b
