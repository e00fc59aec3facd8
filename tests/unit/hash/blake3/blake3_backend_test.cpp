// Every SIMD backend's many-inputs kernel against the portable one, and the
// dispatcher.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#include "model_signing/error.h"
#include "unit/hash/blake3/blake3_test_util.h"
#include "util/encoding.h"

namespace model_signing::hash::blake3 {
namespace {

class Blake3Kernels : public ::testing::TestWithParam<Backend> {};

void check_hash_many(const Kernels& simd) {
  const Kernels& portable = kernels_for(Backend::kPortable);
  std::mt19937_64 rng(11);
  std::uint32_t key[8];
  for (auto& w : key) w = static_cast<std::uint32_t>(rng());
  // Counters whose low word wraps inside a batch check the carry into the
  // high word of every lane.
  const std::uint64_t counters[] = {0, 5, 0xFFFFFFFFull - 3, 0x1FFFFFFF8ull, ~0ull - 40};
  for (std::size_t blocks : {std::size_t{1}, std::size_t{3}, kBlocksPerChunk}) {
    for (std::size_t count = 0; count <= 2 * kMaxDegree + 3; ++count) {
      for (std::uint64_t counter : counters) {
        for (int layout = 0; layout < 4; ++layout) {
          bool increment = layout % 2 == 0;
          // Inputs at scattered, unaligned addresses, or one after another
          // (as the tree code passes chunks, which some kernels detect).
          std::size_t gap = layout < 2 ? 13 : 0;
          auto data = testing::random_bytes(count * (blocks * kBlockLen + gap) + 1, rng);
          std::vector<const std::uint8_t*> inputs;
          for (std::size_t i = 0; i < count; ++i) {
            inputs.push_back(data.data() + 1 + i * (blocks * kBlockLen + gap));
          }
          std::vector<std::uint8_t> a(count * kOutLen + 1, 0xAA), b(count * kOutLen + 1, 0xAA);
          simd.hash_many(inputs.data(), count, blocks, key, counter, increment, kKeyedHash,
                         kChunkStart, kChunkEnd, a.data());
          portable.hash_many(inputs.data(), count, blocks, key, counter, increment, kKeyedHash,
                             kChunkStart, kChunkEnd, b.data());
          ASSERT_EQ(a, b) << "blocks=" << blocks << " count=" << count << " counter=" << counter
                          << " increment=" << increment << " gap=" << gap;
          ASSERT_EQ(a.back(), 0xAA) << "wrote past the output";
        }
      }
    }
  }
}

// Every variant of the backend's kernel, not only the one this CPU gets.
TEST_P(Blake3Kernels, HashManyMatchesPortable) {
  for (const Kernels* variant : kernel_variants(GetParam())) {
    SCOPED_TRACE("variant " + std::string(variant->variant));
    check_hash_many(*variant);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST_P(Blake3Kernels, ChosenVariantComesFirst) {
  std::vector<const Kernels*> variants = kernel_variants(GetParam());
  ASSERT_FALSE(variants.empty());
  EXPECT_EQ(variants.front(), &kernels_for(GetParam()));
  for (const Kernels* k : variants) {
    EXPECT_EQ(k->backend, GetParam());
    EXPECT_EQ(k->degree, variants.front()->degree) << "the tree code batches by degree";
  }
}

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return std::string(to_string(info.param));
}

INSTANTIATE_TEST_SUITE_P(AllSupportedBackends, Blake3Kernels,
                         ::testing::ValuesIn(supported_backends()), backend_name);

TEST(Blake3Dispatch, NamesRoundTrip) {
  for (Backend b : {Backend::kPortable, Backend::kSse41, Backend::kAvx2, Backend::kAvx512}) {
    EXPECT_EQ(backends().parse(to_string(b)), b);
  }
  EXPECT_FALSE(backends().parse("avx"));
  EXPECT_FALSE(backends().parse(""));
}

TEST(Blake3Dispatch, ForcingSelectsAndRestores) {
  Backend automatic = active_kernels().backend;
  EXPECT_TRUE(backends().supported(automatic));
  for (Backend b : supported_backends()) {
    testing::ForcedBackend forced(b);
    EXPECT_EQ(active_kernels().backend, b);
    EXPECT_EQ(Blake3().kernels().backend, b);
  }
  EXPECT_EQ(active_kernels().backend, automatic);
  if (std::getenv("MS_BLAKE3_BACKEND") == nullptr) {
    EXPECT_EQ(automatic, supported_backends().back()) << "the best backend is the default";
  }
}

TEST(Blake3Dispatch, RefusesUnsupportedBackend) {
  for (Backend b : {Backend::kSse41, Backend::kAvx2, Backend::kAvx512}) {
    if (backends().supported(b)) continue;
    EXPECT_THROW(force_backend(b), Error);
    EXPECT_THROW(kernels_for(b), Error);
  }
  EXPECT_TRUE(backends().supported(Backend::kPortable));
}

}  // namespace
}  // namespace model_signing::hash::blake3
