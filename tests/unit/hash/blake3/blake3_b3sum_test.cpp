// Property test with the official implementation (the b3sum program) as the
// oracle: random inputs of lengths around every structural boundary of the
// tree, fed in random pieces, on every supported backend.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "support/test_support.h"
#include "unit/hash/blake3/blake3_test_util.h"

namespace model_signing::hash::blake3 {
namespace {

namespace fs = std::filesystem;
using model_signing::testing::TempDir;

std::vector<std::size_t> boundary_lengths() {
  std::vector<std::size_t> lengths = {
      0,    1,    63,   64,   65,   1023,    1024,          1025,
      2047, 2048, 2049, 3072, 3073, 1 << 20, (1 << 20) - 1, (1 << 20) + 1};
  for (std::size_t k :
       {1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257}) {
    lengths.push_back(4096 * k - 1);
    lengths.push_back(4096 * k + 1);
  }
  std::sort(lengths.begin(), lengths.end());
  lengths.erase(std::unique(lengths.begin(), lengths.end()), lengths.end());
  return lengths;
}

TEST(Blake3Oracle, BoundaryLengthsMatchB3sumOnEveryBackend) {
  TempDir dir;
  std::mt19937_64 rng(20240611);
  std::vector<std::vector<std::uint8_t>> inputs;
  std::vector<fs::path> files;
  for (std::size_t len : boundary_lengths()) {
    inputs.push_back(testing::random_bytes(len, rng));
    files.push_back(dir / ("input-" + std::to_string(len)));
    model_signing::testing::write_file(files.back(),
                                       std::string(inputs.back().begin(), inputs.back().end()));
  }
  auto expected = testing::b3sum(files);
  ASSERT_EQ(expected.size(), files.size());
  for (Backend backend : supported_backends()) {
    testing::ForcedBackend forced(backend);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      SCOPED_TRACE(std::string(to_string(backend)) + " length " + std::to_string(inputs[i].size()));
      const std::string& want = expected[files[i].string()];
      EXPECT_EQ(testing::hash_at_once(Blake3(), inputs[i]), want);
      // Several random ways of cutting the same input.
      for (int split = 0; split < 3; ++split) {
        EXPECT_EQ(testing::hash_in_pieces(Blake3(), inputs[i], rng), want);
      }
    }
  }
}

TEST(Blake3Oracle, SixtyFourMebibytesPlusOneMatchesB3sum) {
  TempDir dir;
  std::mt19937_64 rng(64);
  auto input = testing::random_bytes((std::size_t{64} << 20) + 1, rng);
  fs::path file = dir / "big";
  model_signing::testing::write_file(file, std::string(input.begin(), input.end()));
  auto expected = testing::b3sum({file});
  ASSERT_EQ(expected.size(), 1u);
  for (Backend backend : supported_backends()) {
    testing::ForcedBackend forced(backend);
    EXPECT_EQ(testing::hash_at_once(Blake3(), input), expected[file.string()])
        << to_string(backend);
  }
  // Random pieces once, on the default backend.
  EXPECT_EQ(testing::hash_in_pieces(Blake3(), input, rng), expected[file.string()]);
}

}  // namespace
}  // namespace model_signing::hash::blake3
