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

// Bytes with a position in them, so a view shows where it came from.
std::string numbered(std::size_t size) {
  std::string out(size, '\0');
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 131 + i / 4093) & 0xff);
  return out;
}

// Takes [from, to) from the ring in pieces of `piece` bytes; returns them,
// or stops at the first empty view.
std::string take_all(ReadAheadBeacon& beacon, std::uint64_t from, std::uint64_t to, std::size_t piece) {
  std::string got;
  for (std::uint64_t at = from; at < to;) {
    engine::ShardView v = beacon.take(at, static_cast<std::size_t>(std::min<std::uint64_t>(piece, to - at)));
    if (!v.data) break;
    got.append(reinterpret_cast<const char*>(v.data), v.size);
    at += v.size;
  }
  return got;
}

// kBuffer: the helper pread()s the range ahead into its ring and the hasher
// takes the bytes from there, in pieces that need not match the slots.
TEST(ReadAheadBuffer, HandsTheHasherTheFileBytesInOrder) {
  TempDir dir;
  const std::size_t size = 5 * ReadAheadBeacon::kSlot + 12345;
  std::string data = numbered(size);
  write_file(dir / "f", data);
  const std::string path = (dir / "f").string();
  ReadAheadBeacon beacon;
  ASSERT_TRUE(beacon.claim());
  auto helper = std::async(std::launch::async, [&] { return beacon.follow(); });
  beacon.update(path, 0, size, ReadAheadBeacon::Mode::kBuffer, true);
  EXPECT_TRUE(beacon.followed());
  EXPECT_EQ(take_all(beacon, 0, size, 300000), data);
  // Another range (a shard starting mid-file), then a jump ahead within it.
  const std::uint64_t start = ReadAheadBeacon::kSlot + 7;
  beacon.update(path, start, 3 * ReadAheadBeacon::kSlot, ReadAheadBeacon::Mode::kBuffer, false);
  EXPECT_EQ(take_all(beacon, start, start + 1000, 1000), data.substr(start, 1000));
  const std::uint64_t jump = 2 * ReadAheadBeacon::kSlot + 99;
  EXPECT_EQ(take_all(beacon, jump, 3 * ReadAheadBeacon::kSlot, 77777),
            data.substr(jump, 3 * ReadAheadBeacon::kSlot - jump));
  beacon.close();
  EXPECT_FALSE(beacon.followed());
  EXPECT_GE(helper.get(), size);
}

// What the helper cannot read it leaves to the hasher (empty views), which
// then reads and reports it: a file that is gone, one shorter than the
// range, one longer than a range that should end the file. Never a hang.
TEST(ReadAheadBuffer, WhatTheHelperCannotReadIsLeftToTheHasher) {
  TempDir dir;
  const std::size_t size = 3 * ReadAheadBeacon::kSlot;
  write_file(dir / "f", numbered(size));
  const std::string path = (dir / "f").string();
  const std::string missing = (dir / "missing").string();
  ReadAheadBeacon beacon;
  ASSERT_TRUE(beacon.claim());
  auto helper = std::async(std::launch::async, [&] { return beacon.follow(); });
  beacon.update(missing, 0, size, ReadAheadBeacon::Mode::kBuffer, true);
  EXPECT_EQ(beacon.take(0, 100).data, nullptr);
  // Shorter than the range: the slots it has are handed out, then none.
  beacon.update(path, 0, size + 10, ReadAheadBeacon::Mode::kBuffer, true);
  EXPECT_EQ(take_all(beacon, 0, size + 10, ReadAheadBeacon::kSlot).size(), size);
  // Longer than a range that should end the file.
  beacon.update(path, ReadAheadBeacon::kSlot, size - 1, ReadAheadBeacon::Mode::kBuffer, true);
  EXPECT_EQ(take_all(beacon, ReadAheadBeacon::kSlot, size - 1, ReadAheadBeacon::kSlot).size(),
            ReadAheadBeacon::kSlot);
  // A good range after all that.
  beacon.update(path, 0, size, ReadAheadBeacon::Mode::kBuffer, true);
  EXPECT_EQ(take_all(beacon, 0, size, 4096).size(), size);
  beacon.close();
  helper.get();
}

// No helper, or one that has left: the hasher is told at once to read
// itself; and kWarm ranges hand out nothing.
TEST(ReadAheadBuffer, WithoutAHelperTakeReturnsNothing) {
  TempDir dir;
  write_file(dir / "f", numbered(1000));
  const std::string path = (dir / "f").string();
  ReadAheadBeacon alone;
  alone.update(path, 0, 1000, ReadAheadBeacon::Mode::kBuffer, true);
  EXPECT_FALSE(alone.followed());
  EXPECT_EQ(alone.take(0, 1000).data, nullptr);
  ReadAheadBeacon warm;
  ASSERT_TRUE(warm.claim());
  auto helper = std::async(std::launch::async, [&] { return warm.follow(); });
  warm.update(path, 0, 1000, ReadAheadBeacon::Mode::kWarm, true);
  EXPECT_EQ(warm.take(0, 1000).data, nullptr);
  warm.close();
  helper.get();
  warm.update(path, 0, 1000, ReadAheadBeacon::Mode::kBuffer, true);
  EXPECT_EQ(warm.take(0, 1000).data, nullptr);
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
          // Read ahead once, but again where the hasher changed path (the
          // ring or the warming starts over): a ring or two windows each.
          EXPECT_GT(stats.read_ahead_bytes, 0u);
          EXPECT_LE(stats.read_ahead_bytes, big + (stats.path_switches + 1) * kAhead);
        } else {
          EXPECT_EQ(stats.read_ahead_bytes, 0u);
        }
      }
    }
  }
}

}  // namespace
}  // namespace model_signing::testing
