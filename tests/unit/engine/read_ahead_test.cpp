// Reading ahead of a hasher from an idle core (ReadAheadBeacon): how far
// ahead the helper goes, following the hasher from range to range and file
// to file, files it cannot read, and the engine starting helpers where a
// core would otherwise idle. Digests never depend on it. These also run
// under TSan (see scripts/test.sh).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <thread>

#include "engine/hashing_engine.h"
#include "engine/shard_reader.h"
#include "engine/read_ahead.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;
using engine::ReadAheadBeacon;

constexpr std::uint64_t kWindow = engine::ShardReader::kMapWindow;
constexpr std::uint64_t kAhead = ReadAheadBeacon::kDepth * kWindow;

fs::path sparse_file(const fs::path& path, std::uint64_t size) {
  write_file(path, "");
  fs::resize_file(path, size);
  return path;
}

// Waits (up to a minute, for loaded machines) until the helper has warmed
// `bytes`; returns what it has warmed by then.
std::uint64_t wait_for(ReadAheadBeacon& beacon, std::uint64_t bytes) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (beacon.warmed() < bytes && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return beacon.warmed();
}

TEST(ReadAhead, WarmsTheWindowsAheadOfTheHasherAndNoFurther) {
  TempDir dir;
  const std::string path = sparse_file(dir / "weights.bin", 8 * kWindow).string();
  ReadAheadBeacon beacon;
  auto helper = std::async(std::launch::async, [&] { return beacon.follow(); });
  beacon.update(path, 0, 8 * kWindow);
  EXPECT_EQ(wait_for(beacon, kAhead), kAhead);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(beacon.warmed(), kAhead) << "went further than the hasher allows";
  beacon.update(path, kWindow + 100, 8 * kWindow);
  EXPECT_EQ(wait_for(beacon, kWindow + 100 + kAhead), kWindow + 100 + kAhead);
  // A hasher that went past what was warmed: from where it is, to the end
  // of the range only.
  const std::uint64_t before = beacon.warmed();
  beacon.update(path, 7 * kWindow, 8 * kWindow);
  EXPECT_EQ(wait_for(beacon, before + kWindow), before + kWindow);
  beacon.close();
  EXPECT_EQ(helper.get(), before + kWindow);
}

TEST(ReadAhead, FollowsTheHasherToAnotherRangeAndFile) {
  TempDir dir;
  const std::string a = sparse_file(dir / "a", 4 * kWindow).string();
  const std::string b = sparse_file(dir / "b", kWindow / 2).string();
  ReadAheadBeacon beacon;
  auto helper = std::async(std::launch::async, [&] { return beacon.follow(); });
  // A shard of `a` that starts mid-file, then one that starts before it.
  beacon.update(a, 3 * kWindow, 4 * kWindow);
  EXPECT_EQ(wait_for(beacon, kWindow), kWindow);
  beacon.update(a, 0, kWindow / 4);
  EXPECT_EQ(wait_for(beacon, kWindow + kWindow / 4), kWindow + kWindow / 4);
  beacon.update(b, 0, kWindow / 2);
  EXPECT_EQ(wait_for(beacon, kWindow + 3 * kWindow / 4), kWindow + 3 * kWindow / 4);
  beacon.close();
  EXPECT_EQ(helper.get(), kWindow + 3 * kWindow / 4);
}

// Best effort: a file that is gone, is not a regular file, or was truncated
// (a fault in the helper's own mapping) is skipped, and the next range is
// warmed as usual.
TEST(ReadAhead, SkipsFilesItCannotReadAndCarriesOn) {
  TempDir dir;
  const std::string missing = (dir / "missing").string();
  const std::string directory = dir.path().string();
  const std::string truncated = sparse_file(dir / "truncated", 2 * kWindow).string();
  const std::string good = sparse_file(dir / "good", kWindow).string();
  ReadAheadBeacon beacon;
  auto helper = std::async(std::launch::async, [&] { return beacon.follow(); });
  beacon.update(missing, 0, kWindow);
  beacon.update(directory, 0, kWindow);
  fs::resize_file(truncated, 0);
  beacon.update(truncated, 0, 2 * kWindow);
  beacon.update(good, 0, kWindow);
  EXPECT_EQ(wait_for(beacon, kWindow), kWindow);
  beacon.close();
  EXPECT_EQ(helper.get(), kWindow);
}

TEST(ReadAhead, CloseEndsAHelperThatNeverHadAnythingToDo) {
  ReadAheadBeacon beacon;
  auto helper = std::async(std::launch::async, [&] { return beacon.follow(); });
  beacon.close();
  EXPECT_EQ(helper.get(), 0u);
}

// One helper per beacon, and none once the hasher is done with it.
TEST(ReadAhead, OnlyTheFirstClaimOfAnOpenBeaconSucceeds) {
  ReadAheadBeacon taken;
  EXPECT_TRUE(taken.claim());
  EXPECT_FALSE(taken.claim());
  ReadAheadBeacon closed;
  closed.close();
  EXPECT_FALSE(closed.claim());
}

// The engine starts a helper where a core has nothing to hash: one big file
// on two workers from the start, and a worker done with a small file
// helping with the big one. Never with one worker or when turned off.
TEST(EngineReadAhead, IdleCoresReadAheadAndDigestsAreUnchanged) {
  TempDir dir;
  const std::uint64_t big = 64 * kWindow;
  sparse_file(dir / "big", big);
  write_file(dir / "small", std::string(1000, 's'));
  std::vector<walk::ModelFile> lone = {{"big", (dir / "big").string(), big}};
  std::vector<walk::ModelFile> two = {lone[0], {"small", (dir / "small").string(), 1000}};
  std::vector<ManifestItem> reference;
  for (const auto* files : {&lone, &two}) {
    for (unsigned workers : {1u, 2u}) {
      for (bool read_ahead : {true, false}) {
        SCOPED_TRACE(std::to_string(files->size()) + " files, workers " + std::to_string(workers) +
                     (read_ahead ? "" : ", no read-ahead"));
        engine::EngineStats stats;
        engine::EngineOptions options;
        options.workers = workers;
        options.read_ahead = read_ahead;
        options.pair_streams = false;
        options.stats = &stats;
        std::vector<ManifestItem> items = engine::hash_files(*files, options);
        std::sort(items.begin(), items.end(),
                  [](const ManifestItem& x, const ManifestItem& y) { return x.path < y.path; });
        if (reference.empty()) reference = {items[0]};
        EXPECT_EQ(items[0], reference[0]);
        if (workers == 2 && read_ahead) {
          EXPECT_GT(stats.read_ahead_bytes, 0u);
          EXPECT_LE(stats.read_ahead_bytes, big);
        } else {
          EXPECT_EQ(stats.read_ahead_bytes, 0u);
        }
      }
    }
  }
}

}  // namespace
}  // namespace model_signing::testing
