// The hashing engine with BLAKE3: large files and shards are cut into
// subtrees hashed on several workers; the digests must not depend on how
// many workers there are, and must match b3sum.
#include <gtest/gtest.h>

#include <map>

#include "engine/hashing_engine.h"
#include "support/test_support.h"
#include "unit/hash/blake3/blake3_test_util.h"
#include "util/encoding.h"

namespace model_signing::hash::blake3 {
namespace {

namespace fs = std::filesystem;
using model_signing::testing::TempDir;

constexpr std::uint64_t kMiB = 1 << 20;

class Blake3Engine : public ::testing::Test {
 protected:
  void SetUp() override {
    std::mt19937_64 rng(17);
    // Around the engine's smallest subtree (1 MiB) and well above it.
    for (std::uint64_t size : {std::uint64_t{0}, std::uint64_t{1}, kMiB, kMiB + 1, 3 * kMiB + 1024,
                               5 * kMiB - 1, 9 * kMiB + 7}) {
      std::string name = "f";
      name += std::to_string(size);
      auto bytes = testing::random_bytes(size, rng);
      model_signing::testing::write_file(dir_ / name, std::string(bytes.begin(), bytes.end()));
      files_.push_back({name, (dir_ / name).string(), size});
    }
  }

  std::map<std::string, std::string> digests(Serialization method, std::uint64_t shard_size,
                                             unsigned workers) {
    engine::EngineOptions options;
    options.hash = HashAlgorithm::kBlake3;
    options.method = method;
    options.shard_size = shard_size;
    options.workers = workers;
    std::map<std::string, std::string> out;
    for (const ManifestItem& item : engine::hash_files(files_, options)) {
      EXPECT_EQ(out.count(item.resource_name()), 0u) << item.resource_name();
      out[item.resource_name()] = util::to_hex(item.digest);
    }
    return out;
  }

  TempDir dir_;
  std::vector<walk::ModelFile> files_;
};

TEST_F(Blake3Engine, FilesMatchB3sumWithAnyWorkerCount) {
  std::vector<fs::path> paths;
  for (const auto& f : files_) paths.push_back(f.open_path);
  auto expected = testing::b3sum(paths);
  for (unsigned workers : {1u, 2u, 3u, 8u}) {
    auto got = digests(Serialization::kFiles, 0, workers);
    ASSERT_EQ(got.size(), files_.size());
    for (const auto& f : files_) {
      EXPECT_EQ(got[f.name], expected[f.open_path]) << f.name << " with " << workers << " workers";
    }
  }
}

TEST_F(Blake3Engine, ShardsDoNotDependOnWorkerCount) {
  // A shard size that is not a power of two: subtrees are aligned to the
  // start of each shard, not of the file.
  for (std::uint64_t shard : {3 * kMiB + 1024, 2 * kMiB}) {
    auto reference = digests(Serialization::kShards, shard, 1);
    for (unsigned workers : {2u, 3u, 8u}) {
      EXPECT_EQ(digests(Serialization::kShards, shard, workers), reference)
          << "shard " << shard << " with " << workers << " workers";
    }
  }
}

TEST_F(Blake3Engine, ShardMatchesB3sumOfItsBytes) {
  const std::uint64_t shard = 3 * kMiB + 1024;
  auto got = digests(Serialization::kShards, shard, 4);
  std::string bytes = model_signing::testing::read_file(dir_ / "f9437191");
  fs::path second = dir_ / "second-shard";
  model_signing::testing::write_file(second, bytes.substr(shard, shard));
  auto expected = testing::b3sum({second});
  ManifestItem second_item{"f9437191", shard, 2 * shard, {}};
  std::string name = second_item.resource_name();
  ASSERT_EQ(got.count(name), 1u);
  EXPECT_EQ(got[name], expected[second.string()]);
}

}  // namespace
}  // namespace model_signing::hash::blake3
