// Hashing one input as separately hashed subtrees (what the engine does on
// several threads) gives the same output as hashing it in one go.
#include <gtest/gtest.h>

#include "model_signing/error.h"
#include "unit/hash/blake3/blake3_test_util.h"
#include "util/encoding.h"

namespace model_signing::hash::blake3 {
namespace {

std::string hash_by_subtrees(const Blake3& mode, const std::vector<std::uint8_t>& input,
                             std::size_t subtree_chunks, std::size_t out_len) {
  const std::size_t subtree_len = subtree_chunks * kChunkLen;
  std::vector<std::uint8_t> cvs;
  for (std::size_t start = 0; start < input.size(); start += subtree_len) {
    Blake3 h = mode;
    h.reset(start / kChunkLen);
    std::size_t n = std::min(subtree_len, input.size() - start);
    // Fed in two uneven pieces to exercise the incremental path too.
    h.update(input.data() + start, n / 3);
    h.update(input.data() + start + n / 3, n - n / 3);
    std::uint8_t cv[kOutLen];
    h.finalize_subtree(cv);
    cvs.insert(cvs.end(), cv, cv + kOutLen);
  }
  std::vector<std::uint8_t> out(out_len);
  mode.finalize_from_subtrees(cvs.data(), cvs.size() / kOutLen, out.data(), out.size());
  return util::to_hex(out);
}

class Blake3Subtrees : public ::testing::TestWithParam<Backend> {};

TEST_P(Blake3Subtrees, MatchOneShotHash) {
  testing::ForcedBackend forced(GetParam());
  std::mt19937_64 rng(99);
  const std::uint8_t key[kKeyLen] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                     12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                     23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
  for (const Blake3& mode : {Blake3(), Blake3::keyed(key), Blake3::derive_key("ctx")}) {
    for (std::size_t subtree_chunks : {1, 2, 4, 16, 64}) {
      const std::size_t s = subtree_chunks * kChunkLen;
      for (std::size_t size : {s + 1, 2 * s, 2 * s + 1, 3 * s - 1, 3 * s, 5 * s + 7, 8 * s,
                               9 * s + 1000, 17 * s - 1}) {
        auto input = testing::random_bytes(size, rng);
        SCOPED_TRACE("subtree_chunks=" + std::to_string(subtree_chunks) +
                     " size=" + std::to_string(size));
        EXPECT_EQ(hash_by_subtrees(mode, input, subtree_chunks, 100),
                  testing::hash_at_once(mode, input, 100));
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllSupportedBackends, Blake3Subtrees,
                         ::testing::ValuesIn(supported_backends()),
                         [](const auto& info) { return std::string(to_string(info.param)); });

TEST(Blake3Subtrees, RootNeedsTwoSubtrees) {
  std::uint8_t cv[kOutLen] = {};
  std::uint8_t out[kOutLen];
  EXPECT_THROW(Blake3().finalize_from_subtrees(cv, 1, out), Error);
}

TEST(Blake3Subtrees, OneChunkSubtreeIsTheChunkChainingValue) {
  // Two one-chunk subtrees make the 2-chunk tree: parent(cv0, cv1) as root.
  std::mt19937_64 rng(5);
  auto input = testing::random_bytes(2 * kChunkLen, rng);
  EXPECT_EQ(hash_by_subtrees(Blake3(), input, 1, kOutLen), testing::hash_at_once(Blake3(), input));
}

}  // namespace
}  // namespace model_signing::hash::blake3
