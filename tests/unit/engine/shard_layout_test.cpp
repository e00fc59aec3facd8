// The layout of files into shards and subtrees (engine/shard_layout.h),
// checked without hashing anything: every byte of every shard is in exactly
// one task, shards are numbered once each, larger files come first, and
// subtrees are cut only for tree hashes on several workers.
#include <gtest/gtest.h>

#include <limits>
#include <map>
#include <set>

#include "engine/shard_layout.h"

namespace model_signing::testing {
namespace {

using engine::HashTask;
using engine::kMinSubtree;
using engine::ShardLayout;

std::vector<walk::ModelFile> files_of(const std::vector<std::uint64_t>& sizes) {
  std::vector<walk::ModelFile> files;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    files.push_back({"f" + std::to_string(i), "/nonexistent/f" + std::to_string(i), sizes[i]});
  }
  return files;
}

std::vector<HashTask> tasks_of(const ShardLayout& layout) {
  std::vector<HashTask> out;
  for (std::uint64_t t = 0; t < layout.tasks(); ++t) out.push_back(layout.at(t));
  return out;
}

// The invariants every layout keeps: shard numbers 0..shards()-1, each
// shard's tasks tile it in order with subtrees of one size but the last,
// every file covered from 0 to its size, `last_shard` exactly at file ends.
void expect_consistent(const std::vector<walk::ModelFile>& files, const ShardLayout& layout,
                       std::uint64_t shard_size) {
  std::map<std::uint64_t, std::vector<HashTask>> by_shard;
  for (const HashTask& task : tasks_of(layout)) by_shard[task.shard].push_back(task);
  ASSERT_EQ(by_shard.size(), layout.shards());
  if (!by_shard.empty()) {
    EXPECT_EQ(by_shard.rbegin()->first, layout.shards() - 1);
  }
  std::map<const walk::ModelFile*, std::uint64_t> covered;
  for (const auto& [shard, tasks] : by_shard) {
    const HashTask& first = tasks.front();
    ASSERT_EQ(tasks.size(), first.subtrees) << "shard " << shard;
    std::uint64_t at = first.shard_start;
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      const HashTask& task = tasks[i];
      EXPECT_EQ(task.file, first.file);
      EXPECT_EQ(task.subtree, i);
      EXPECT_EQ(task.start, at);
      if (i + 1 < tasks.size()) {
        EXPECT_EQ(task.length, first.length);
      }
      at += task.length;
      EXPECT_EQ(task.last_shard, task.start + task.length == task.file->size);
    }
    EXPECT_EQ(at, first.shard_start + first.shard_length);
    if (shard_size != 0) {
      EXPECT_EQ(first.shard_start % shard_size, 0u);
      EXPECT_LE(first.shard_length, shard_size);
    }
    EXPECT_EQ(covered[first.file], first.shard_start) << "shards of a file out of order or missing";
    covered[first.file] += first.shard_length;
  }
  for (const walk::ModelFile& file : files) {
    if (shard_size != 0 && file.size == 0) {
      EXPECT_EQ(covered.count(&file), 0u) << "an empty file has no shard";
    } else {
      EXPECT_EQ(covered[&file], file.size) << file.name;
    }
  }
}

TEST(ShardLayout, FilesModeIsOneWholeShardPerFileLargestFirst) {
  auto files = files_of({10, 0, 5000, 5000, 1u << 30});
  ShardLayout layout(files, 0, 4, /*subtree_unit=*/0);
  ASSERT_EQ(layout.tasks(), 5u);
  ASSERT_EQ(layout.shards(), 5u);
  std::vector<std::string> order;
  for (const HashTask& task : tasks_of(layout)) {
    order.push_back(task.file->name);
    EXPECT_EQ(task.subtrees, 1u);
    EXPECT_EQ(task.start, 0u);
    EXPECT_EQ(task.length, task.file->size);
    EXPECT_TRUE(task.last_shard);
  }
  // Equal sizes keep their order (a stable sort).
  EXPECT_EQ(order, (std::vector<std::string>{"f4", "f2", "f3", "f0", "f1"}));
  expect_consistent(files, layout, 0);
}

TEST(ShardLayout, ShardsModeCutsEachFileAndSkipsEmptyOnes) {
  auto files = files_of({2500, 0, 1000, 999, 1});
  ShardLayout layout(files, 1000, 2, 0);
  EXPECT_EQ(layout.shards(), 3u + 0 + 1 + 1 + 1);
  EXPECT_EQ(layout.tasks(), layout.shards());
  HashTask first = layout.at(0);
  EXPECT_EQ(first.file->name, "f0");
  EXPECT_EQ(first.start, 0u);
  EXPECT_EQ(first.length, 1000u);
  EXPECT_FALSE(first.last_shard);
  HashTask tail = layout.at(2);
  EXPECT_EQ(tail.start, 2000u);
  EXPECT_EQ(tail.length, 500u);
  EXPECT_TRUE(tail.last_shard);
  expect_consistent(files, layout, 1000);
}

TEST(ShardLayout, HugeShardSizesNeitherOverflowNorDropBytes) {
  auto files = files_of({10, std::numeric_limits<std::uint64_t>::max() / 3});
  for (std::uint64_t shard : {std::uint64_t{10}, std::uint64_t{11},
                              std::numeric_limits<std::uint64_t>::max() / 2,
                              std::numeric_limits<std::uint64_t>::max()}) {
    SCOPED_TRACE(shard);
    ShardLayout layout(files, shard, 1, 0);
    if (shard >= files[1].size) {
      EXPECT_EQ(layout.shards(), 2u);
    }
    HashTask last = layout.at(layout.tasks() - 1);
    EXPECT_EQ(last.file->name, "f0");
    EXPECT_EQ(last.start, 0u);
    EXPECT_EQ(last.length, 10u);
  }
}

// Tree hashes on several workers: a large shard becomes about eight
// subtrees per worker, each a power of two of at least 1 MiB.
TEST(ShardLayout, TreeHashesCutLargeShardsIntoSubtrees) {
  auto files = files_of({64u << 20, kMinSubtree, kMinSubtree + 1, 100});
  ShardLayout layout(files, 0, 2, /*subtree_unit=*/1024);
  EXPECT_EQ(layout.shards(), 4u);
  std::map<std::string, HashTask> first;
  for (const HashTask& task : tasks_of(layout)) first.try_emplace(task.file->name, task);
  // 64 MiB over 2 workers x 8 subtrees: 16 of 4 MiB.
  EXPECT_EQ(first.at("f0").length, 4u << 20);
  EXPECT_EQ(first.at("f0").subtrees, 16u);
  // A shard of at most 1 MiB is hashed whole; just over it, in two.
  EXPECT_EQ(first.at("f1").subtrees, 1u);
  EXPECT_EQ(first.at("f2").subtrees, 2u);
  EXPECT_EQ(first.at("f2").length, kMinSubtree);
  EXPECT_EQ(first.at("f3").subtrees, 1u);
  expect_consistent(files, layout, 0);
  // With shards too.
  ShardLayout sharded(files, 10u << 20, 2, 1024);
  expect_consistent(files, sharded, 10u << 20);
  EXPECT_EQ(sharded.at(0).subtrees, 10u);  // 10 MiB shards: 1 MiB subtrees
}

TEST(ShardLayout, NoSubtreesOnOneWorkerOrForOtherHashes) {
  auto files = files_of({64u << 20});
  for (auto [workers, unit] : {std::pair{1u, std::uint64_t{1024}}, std::pair{4u, std::uint64_t{0}},
                               std::pair{4u, std::uint64_t{1000}},  // not a power of two
                               std::pair{4u, kMinSubtree * 2}}) {
    SCOPED_TRACE(std::to_string(workers) + " workers, unit " + std::to_string(unit));
    ShardLayout layout(files, 0, workers, unit);
    EXPECT_EQ(layout.tasks(), 1u);
    EXPECT_EQ(layout.at(0).subtrees, 1u);
  }
}

// Many mixed layouts keep the invariants.
TEST(ShardLayout, EveryByteIsInExactlyOneTask) {
  std::vector<std::uint64_t> sizes;
  std::uint64_t x = 12345;
  for (int i = 0; i < 60; ++i) {
    x = x * 6364136223846793005u + 1442695040888963407u;
    sizes.push_back((x >> 33) % (i % 5 == 0 ? (40u << 20) : 70000u));
  }
  sizes.push_back(0);
  auto files = files_of(sizes);
  for (std::uint64_t shard : {std::uint64_t{0}, std::uint64_t{4096}, std::uint64_t{3u << 20}}) {
    for (unsigned workers : {1u, 3u}) {
      for (std::uint64_t unit : {std::uint64_t{0}, std::uint64_t{1024}}) {
        SCOPED_TRACE(std::to_string(shard) + "/" + std::to_string(workers) + "/" + std::to_string(unit));
        expect_consistent(files, ShardLayout(files, shard, workers, unit), shard);
      }
    }
  }
}

TEST(ShardLayout, NoFilesNoTasks) {
  std::vector<walk::ModelFile> none;
  ShardLayout layout(none, 0, 2, 0);
  EXPECT_EQ(layout.tasks(), 0u);
  EXPECT_EQ(layout.shards(), 0u);
}

}  // namespace
}  // namespace model_signing::testing
