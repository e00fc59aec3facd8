// The parallel hashing engine: digests checked against OpenSSL one-shot
// digests of the same bytes, results independent of the worker count, read
// buffer boundaries, progress reports, errors from one worker, files that
// change size while hashed. These also run under TSan (see scripts/test.sh).
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <map>
#include <mutex>
#include <set>

#include "engine/hashing_engine.h"
#include "hash/hasher.h"
#include "model_signing/error.h"
#include "model_signing/hashing.h"
#include "support/engine_test_data.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;

// Sizes around the engine's 256 KiB read buffer (larger pieces are mapped)
// and its 4 MiB scheduling slice and 8 MiB mapping window, and a few
// ordinary ones.
const std::vector<std::size_t>& interesting_sizes() {
  static const std::vector<std::size_t> sizes = {0,      1,      4095,          4096,
                                                 262143, 262144, 262145,        3 * 262144 + 7,
                                                 4u << 20, (4u << 20) + 1, 8u << 20,
                                                 (8u << 20) + 4097, (16u << 20) + 1};
  return sizes;
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    unsigned seed = 1;
    for (std::size_t size : interesting_sizes()) {
      std::string name = "f" + std::to_string(size);
      contents_[name] = pattern(size, seed++);
      write_file(dir_ / "model" / name, contents_[name]);
    }
    for (int i = 0; i < 40; ++i) {
      std::string name = "small/s" + std::to_string(i);
      contents_[name] = pattern(static_cast<std::size_t>(i * 37), seed++);
      write_file(dir_ / "model" / name, contents_[name]);
    }
  }

  HashingConfig config(Serialization method, HashAlgorithm hash, std::uint64_t shard, unsigned workers) const {
    HashingConfig c;
    c.serialization = method;
    c.hash = hash;
    c.shard_size = shard;
    c.max_workers = workers;
    return c;
  }

  TempDir dir_;
  std::map<std::string, std::string> contents_;
};

TEST_F(EngineTest, FileDigestsMatchOpenSslForEveryWorkerCount) {
  for (HashAlgorithm hash : {HashAlgorithm::kSha256, HashAlgorithm::kBlake2b}) {
    for (unsigned workers : {1u, 2u, 3u, 8u}) {
      SCOPED_TRACE(std::string(to_string(hash)) + " workers=" + std::to_string(workers));
      Manifest m = hash_model(dir_ / "model", config(Serialization::kFiles, hash, kDefaultShardSize, workers));
      ASSERT_EQ(m.items().size(), contents_.size());
      for (const auto& item : m.items()) {
        EXPECT_EQ(item.digest, openssl_digest(contents_.at(item.path), hash)) << item.path;
      }
    }
  }
}

TEST_F(EngineTest, ShardDigestsMatchOpenSslForEveryWorkerCountAndShardSize) {
  for (std::uint64_t shard : {std::uint64_t{1000}, std::uint64_t{262144}, std::uint64_t{300000}}) {
    for (unsigned workers : {1u, 2u, 5u}) {
      SCOPED_TRACE("shard=" + std::to_string(shard) + " workers=" + std::to_string(workers));
      Manifest m = hash_model(dir_ / "model", config(Serialization::kShards, HashAlgorithm::kSha256, shard, workers));
      std::size_t expected = 0;
      for (const auto& [name, data] : contents_) expected += (data.size() + shard - 1) / shard;
      ASSERT_EQ(m.items().size(), expected);
      for (const auto& item : m.items()) {
        const std::string& data = contents_.at(item.path);
        ASSERT_TRUE(item.is_shard());
        EXPECT_EQ(*item.start % shard, 0u);
        EXPECT_EQ(*item.end, std::min<std::uint64_t>(*item.start + shard, data.size()));
        EXPECT_EQ(item.digest, openssl_digest(data.substr(*item.start, *item.end - *item.start), HashAlgorithm::kSha256))
            << item.resource_name();
      }
    }
  }
}

TEST_F(EngineTest, ManifestOrderDoesNotDependOnWorkers) {
  Manifest one = hash_model(dir_ / "model", config(Serialization::kShards, HashAlgorithm::kSha256, 4096, 1));
  Manifest many = hash_model(dir_ / "model", config(Serialization::kShards, HashAlgorithm::kSha256, 4096, 7));
  EXPECT_EQ(one.items(), many.items());
  EXPECT_EQ(one.root_digest(), many.root_digest());
}

TEST_F(EngineTest, ProgressIsMonotonicAndEndsAtTheTotal) {
  std::uint64_t total_bytes = 0;
  for (const auto& [name, data] : contents_) total_bytes += data.size();
  for (unsigned workers : {1u, 3u}) {
    SCOPED_TRACE(workers);
    std::mutex mutex;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> reports;
    HashingConfig c = config(Serialization::kShards, HashAlgorithm::kSha256, 65536, workers);
    c.progress = [&](std::uint64_t done, std::uint64_t total) {
      std::lock_guard lock(mutex);  // must not be needed (one thread reports), but keeps the test honest
      reports.emplace_back(done, total);
    };
    hash_model(dir_ / "model", c);
    ASSERT_FALSE(reports.empty());
    for (std::size_t i = 0; i < reports.size(); ++i) {
      EXPECT_EQ(reports[i].second, total_bytes);
      EXPECT_LE(reports[i].first, total_bytes);
      if (i) {
        EXPECT_GE(reports[i].first, reports[i - 1].first);
      }
    }
    EXPECT_EQ(reports.back().first, total_bytes);
  }
}

TEST(EngineProgress, ReportsAlongTheWayOnALongerJob) {
  // ~24 MiB hashed with one worker takes well over the 100 ms report interval
  // on any machine this runs on (and far longer under sanitizers).
  TempDir dir;
  write_file(dir / "model/big", pattern(24u << 20, 7));
  std::vector<std::uint64_t> done;
  HashingConfig c;
  c.max_workers = 1;
  c.hash = HashAlgorithm::kBlake2b;
  c.progress = [&](std::uint64_t d, std::uint64_t) { done.push_back(d); };
  hash_model(dir / "model", c);
  ASSERT_FALSE(done.empty());
  EXPECT_EQ(done.back(), 24u << 20);
  EXPECT_TRUE(std::is_sorted(done.begin(), done.end()));
}

TEST(EngineShards, HugeShardSizesNeitherOverflowNorDropFiles) {
  TempDir dir;
  write_file(dir / "a", "some bytes");
  std::vector<walk::ModelFile> files = {{"a", (dir / "a").string(), 10}};
  engine::EngineOptions options;
  options.method = Serialization::kShards;
  for (std::uint64_t shard : {std::uint64_t{10}, std::uint64_t{11}, std::numeric_limits<std::uint64_t>::max() / 2,
                              std::numeric_limits<std::uint64_t>::max()}) {
    SCOPED_TRACE(shard);
    options.shard_size = shard;
    std::vector<ManifestItem> items = engine::hash_files(files, options);
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(*items[0].start, 0u);
    EXPECT_EQ(*items[0].end, 10u);
    EXPECT_EQ(items[0].digest, openssl_digest("some bytes", HashAlgorithm::kSha256));
  }
  // Sizes a signature cannot record are refused up front.
  HashingConfig config;
  config.serialization = Serialization::kShards;
  config.shard_size = (std::uint64_t{1} << 63);
  try {
    hash_model(dir / "a", config);
    FAIL() << "accepted a shard size above INT64_MAX";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidArgument);
  }
  config.shard_size = (std::uint64_t{1} << 63) - 1;
  EXPECT_EQ(hash_model(dir / "a", config).items().size(), 1u);
  config.shard_size = 0;
  EXPECT_THROW(hash_model(dir / "a", config), Error);
}

// Tasks that do not divide evenly among the workers: workers set tasks
// aside mid-way and others carry them on, and every digest is still the
// digest of the whole file or shard.
TEST(EngineScheduling, TasksSetAsideAndCarriedOnGiveTheSameDigests) {
  TempDir dir;
  std::vector<walk::ModelFile> files;
  std::map<std::string, std::string> contents;
  // Three equal files on two workers, and an odd one.
  for (unsigned i = 0; i < 4; ++i) {
    std::string name = "f" + std::to_string(i);
    contents[name] = pattern(i < 3 ? (6u << 20) : (1u << 20) + 12345, 40 + i);
    write_file(dir / name, contents[name]);
    files.push_back({name, (dir / name).string(), contents[name].size()});
  }
  // Whether a worker has to set a task aside depends on how the threads
  // happen to run, so each case runs until one did (almost always at once).
  for (HashAlgorithm hash : {HashAlgorithm::kSha256, HashAlgorithm::kBlake2b}) {
    for (Serialization method : {Serialization::kFiles, Serialization::kShards}) {
      std::uint64_t switches = 0;
      for (int run = 0; run < 20 && switches == 0; ++run) {
        SCOPED_TRACE(std::to_string(static_cast<int>(hash)) + "/" +
                     std::to_string(static_cast<int>(method)) + "/" + std::to_string(run));
        engine::EngineStats stats;
        engine::EngineOptions options;
        options.hash = hash;
        options.method = method;
        options.shard_size = (5u << 20) + 3;  // one full shard and a small tail per big file
        options.workers = 2;
        options.slice_bytes = run % 2 ? 100000 : 4096;
        options.stats = &stats;
        std::vector<ManifestItem> items = engine::hash_files(files, options);
        ASSERT_EQ(items.size(), method == Serialization::kFiles ? 4u : 7u);
        for (const ManifestItem& item : items) {
          const std::string& data = contents.at(item.path);
          std::string bytes = method == Serialization::kFiles
                                  ? data
                                  : data.substr(*item.start, *item.end - *item.start);
          EXPECT_EQ(item.digest, openssl_digest(bytes, hash)) << item.path;
        }
        switches += stats.switches;
      }
      EXPECT_GT(switches, 0u) << "no task was ever set aside";
    }
  }
}

TEST(EngineScheduling, NoSwitchingWithOneWorkerOrWhenTurnedOff) {
  TempDir dir;
  std::vector<walk::ModelFile> files;
  for (unsigned i = 0; i < 3; ++i) {
    std::string name = "f" + std::to_string(i);
    write_file(dir / name, pattern(2u << 20, i));
    files.push_back({name, (dir / name).string(), 2u << 20});
  }
  for (unsigned workers : {1u, 2u}) {
    engine::EngineStats stats;
    engine::EngineOptions options;
    options.workers = workers;
    options.slice_bytes = workers == 1 ? 4096 : 0;
    options.stats = &stats;
    EXPECT_EQ(engine::hash_files(files, options).size(), 3u);
    EXPECT_EQ(stats.switches, 0u) << workers;
  }
}

// Workers hash two streams at once where the hash can interleave them
// (SHA-256 on CPUs with the SHA extensions): digests are those of each file
// and shard whatever streams were paired, at whatever offsets.
TEST(EngineScheduling, PairedStreamsGiveTheSameDigests) {
  TempDir dir;
  std::vector<walk::ModelFile> files;
  std::map<std::string, std::string> contents;
  // Uneven sizes, so pairs break up and re-form mid-file and mid-shard.
  const std::size_t sizes[] = {(5u << 20) + 1, 3u << 20, (2u << 20) + 333, 700000, 64, 0, 9u << 20};
  for (std::size_t i = 0; i < std::size(sizes); ++i) {
    std::string name = "f" + std::to_string(i);
    contents[name] = pattern(sizes[i], 90 + static_cast<unsigned>(i));
    write_file(dir / name, contents[name]);
    files.push_back({name, (dir / name).string(), sizes[i]});
  }
  bool can_pair = hash::make_hasher(HashAlgorithm::kSha256)
                      ->pairs_with(*hash::make_hasher(HashAlgorithm::kSha256));
  for (bool pair : {true, false}) {
    for (unsigned workers : {1u, 2u, 3u}) {
      for (Serialization method : {Serialization::kFiles, Serialization::kShards}) {
        SCOPED_TRACE(std::string(pair ? "paired" : "unpaired") + " workers " +
                     std::to_string(workers) + (method == Serialization::kFiles ? " files" : " shards"));
        engine::EngineStats stats;
        engine::EngineOptions options;
        options.method = method;
        options.shard_size = (1u << 20) + 4097;
        options.workers = workers;
        options.pair_streams = pair;
        options.slice_bytes = 1u << 20;
        options.stats = &stats;
        std::vector<ManifestItem> items = engine::hash_files(files, options);
        // One item per file, or per shard (none for the empty file), each
        // shard once.
        std::set<std::string> names;
        std::size_t expected = 0;
        for (std::size_t size : sizes) {
          expected += method == Serialization::kFiles
                          ? 1
                          : (size + options.shard_size - 1) / options.shard_size;
        }
        ASSERT_EQ(items.size(), expected);
        for (const ManifestItem& item : items) {
          EXPECT_TRUE(names.insert(item.resource_name()).second) << item.resource_name();
          const std::string& data = contents.at(item.path);
          std::string bytes = method == Serialization::kFiles
                                  ? data
                                  : data.substr(*item.start, *item.end - *item.start);
          EXPECT_EQ(item.digest, openssl_digest(bytes, HashAlgorithm::kSha256)) << item.resource_name();
        }
        if (!pair || !can_pair) {
          EXPECT_EQ(stats.paired_bytes, 0u);
        } else if (workers == 1) {
          // One worker always has a second stream while two are left.
          EXPECT_GT(stats.paired_bytes, 0u);
        }
      }
    }
  }
}

// The walk records sizes; a file that differs when read is an error, not a
// silently different digest.
TEST(EngineErrors, FileThatGrewOrShrankSinceTheWalk) {
  TempDir dir;
  write_file(dir / "a", std::string(1000, 'x'));
  // (A file recorded as empty has no shard, so only files mode sees it grow.)
  for (std::uint64_t recorded : {std::uint64_t{999}, std::uint64_t{1001}, std::uint64_t{0}}) {
    for (Serialization method : {Serialization::kFiles, Serialization::kShards}) {
      if (recorded == 0 && method == Serialization::kShards) continue;
      SCOPED_TRACE(recorded);
      engine::EngineOptions options;
      options.method = method;
      options.shard_size = 300;
      try {
        engine::hash_files({{"a", (dir / "a").string(), recorded}}, options);
        ADD_FAILURE() << "hashed a file whose size changed";
      } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kIo);
        std::string what = e.what();
        EXPECT_TRUE(what.find(recorded < 1000 ? "grew" : "shrank") != std::string::npos) << what;
      }
    }
  }
}

TEST(EngineErrors, OneFailingFileStopsAllWorkersWithItsName) {
  TempDir dir;
  std::vector<walk::ModelFile> files;
  for (int i = 0; i < 200; ++i) {
    std::string name = std::string("f").append(std::to_string(i));
    write_file(dir / name, pattern(5000, static_cast<unsigned>(i)));
    files.push_back({name, (dir / name).string(), 5000});
  }
  files[137].open_path = (dir / "vanished").string();
  engine::EngineOptions options;
  options.workers = 4;
  try {
    engine::hash_files(files, options);
    FAIL() << "hashed a file that does not exist";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
    EXPECT_NE(std::string(e.what()).find("vanished"), std::string::npos) << e.what();
  }
}

TEST(EngineErrors, NoFilesIsAnEmptyResult) {
  EXPECT_TRUE(engine::hash_files({}, engine::EngineOptions()).empty());
}

}  // namespace
}  // namespace model_signing::testing
