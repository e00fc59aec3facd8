// Every read path the engine can take (engine/read_path.h), and a chooser
// that switches path on every step, give the digests of the whole files and
// shards: one worker or several, files or shards, two streams paired or
// not, with and without an idle core reading ahead (into its buffers for
// pread, warming pages for the mappings), for each hash. Files that change
// size or cannot be read are errors naming them on every path. The
// MS_READ_STRATEGY override through the CLI. These also run under TSan.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "engine/hashing_engine.h"
#include "engine/read_path.h"
#include "model_signing/error.h"
#include "support/engine_test_data.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;
using engine::ReadPath;
using engine::ReadStrategy;

std::optional<Digest> oracle(const std::string& data, HashAlgorithm hash) {
  if (hash == HashAlgorithm::kBlake3) return std::nullopt;  // no BLAKE3 in OpenSSL
  return openssl_digest(data, hash);
}

// How a run reads: one path, or by measurement with a chooser that
// re-checks after every step, so the path changes all the time.
struct Reading {
  std::string name;
  std::optional<ReadStrategy> strategy;
  std::optional<engine::ReadPathChooser::Tuning> tuning;
};

std::vector<Reading> every_reading() {
  engine::ReadPathChooser::Tuning switching;
  switching.samples = 1;
  switching.recheck_samples = 1;
  switching.recheck_bytes = 1;
  std::vector<Reading> out;
  for (ReadPath p : engine::kAllReadPaths) out.push_back({std::string(to_string(p)), ReadStrategy{p}, {}});
  out.push_back({"switching", ReadStrategy{}, switching});
  return out;
}

engine::EngineOptions options_for(const Reading& reading) {
  engine::EngineOptions options;
  options.read_strategy = reading.strategy;
  options.read_tuning = reading.tuning;
  return options;
}

class EngineReadPaths : public ::testing::Test {
 protected:
  void SetUp() override {
    // Over and under the 256 KiB read buffer, around the 4 MiB steps and
    // 8 MiB windows, and the 1 MiB slots of the helper's ring.
    const std::size_t sizes[] = {(9u << 20) + 4097, (5u << 20) + 1, 3u << 20, 700000, 262145, 64, 0};
    for (std::size_t i = 0; i < std::size(sizes); ++i) {
      std::string name = "f" + std::to_string(i);
      contents_[name] = pattern(sizes[i], 300 + static_cast<unsigned>(i));
      write_file(dir_ / name, contents_[name]);
      files_.push_back({name, (dir_ / name).string(), sizes[i]});
    }
  }

  // Checks `items` against the oracle (or, for BLAKE3, `reference`).
  void expect_digests(const std::vector<ManifestItem>& items, HashAlgorithm hash,
                      Serialization method, std::map<std::string, Digest>& reference) {
    std::size_t expected = 0;
    for (const auto& f : files_) {
      expected += method == Serialization::kFiles ? 1 : (f.size + kShard - 1) / kShard;
    }
    ASSERT_EQ(items.size(), expected);
    for (const ManifestItem& item : items) {
      const std::string& data = contents_.at(item.path);
      std::string bytes =
          method == Serialization::kFiles ? data : data.substr(*item.start, *item.end - *item.start);
      std::optional<Digest> want = oracle(bytes, hash);
      if (!want) {
        auto [it, fresh] = reference.try_emplace(item.resource_name(), item.digest);
        want = it->second;
      }
      EXPECT_EQ(item.digest, *want) << item.resource_name();
    }
  }

  static constexpr std::uint64_t kShard = (2u << 20) + 12345;
  TempDir dir_;
  std::map<std::string, std::string> contents_;
  std::vector<walk::ModelFile> files_;
};

TEST_F(EngineReadPaths, EveryPathAndEverySwitchGivesTheSameDigests) {
  for (HashAlgorithm hash : {HashAlgorithm::kSha256, HashAlgorithm::kBlake2b, HashAlgorithm::kBlake3}) {
    std::map<std::string, Digest> reference;  // BLAKE3: the first run's, to compare the rest with
    std::uint64_t switches = 0;  // by the switching chooser, over all its runs
    for (const Reading& reading : every_reading()) {
      for (unsigned workers : {1u, 2u, 3u}) {
        for (Serialization method : {Serialization::kFiles, Serialization::kShards}) {
          for (bool extra : {false, true}) {  // read-ahead and pairing on, or off
            SCOPED_TRACE(std::string(to_string(hash)) + " " + reading.name + " workers " +
                         std::to_string(workers) + (method == Serialization::kFiles ? " files" : " shards") +
                         (extra ? "" : " no read-ahead, no pairs"));
            engine::EngineStats stats;
            engine::EngineOptions options = options_for(reading);
            options.hash = hash;
            options.method = method;
            options.shard_size = kShard;
            options.workers = workers;
            options.read_ahead = extra;
            options.pair_streams = extra;
            options.slice_bytes = 1u << 20;
            options.stats = &stats;
            expect_digests(engine::hash_files(files_, options), hash, method, reference);
            // Where the bytes came from: only the path asked for.
            if (reading.strategy && reading.strategy->fixed) {
              ReadPath p = *reading.strategy->fixed;
              EXPECT_GT(p == ReadPath::kPread ? stats.pread_bytes : stats.mapped_bytes, 0u);
              EXPECT_EQ(p == ReadPath::kPread ? stats.mapped_bytes : stats.pread_bytes, 0u);
              EXPECT_EQ(stats.populated_bytes, p == ReadPath::kMapPopulate ? stats.mapped_bytes : 0u);
              EXPECT_EQ(stats.path_switches, 0u);
              if (p != ReadPath::kPread) {
                EXPECT_EQ(stats.buffered_bytes, 0u);
              }
            } else {
              // Switches are counted within a stream. One worker takes every
              // step the chooser hands out, so its streams switch; with
              // three workers on 2 MiB shards each stream has few steps and
              // which of them switch depends on the threads' timing: only
              // their total over the runs is asserted, below.
              if (workers == 1) {
                EXPECT_GT(stats.path_switches, 0u);
              }
              switches += stats.path_switches;
              EXPECT_GT(stats.pread_bytes, 0u);
              EXPECT_GT(stats.mapped_bytes, stats.populated_bytes);
              EXPECT_GT(stats.populated_bytes, 0u);
            }
          }
        }
      }
    }
    EXPECT_GT(switches, 0u) << to_string(hash);
  }
}

// A lone stream with an idle core: with pread, the bytes come from the
// helper's buffers; with the mappings, the helper warms pages. Same digest.
TEST(EngineReadAheadPaths, ALoneStreamIsReadByTheIdleCore) {
  TempDir dir;
  std::string data = pattern((24u << 20) + 333, 7);
  write_file(dir / "big", data);
  std::vector<walk::ModelFile> files = {{"big", (dir / "big").string(), data.size()}};
  for (ReadPath p : engine::kAllReadPaths) {
    SCOPED_TRACE(std::string(to_string(p)));
    engine::EngineStats stats;
    engine::EngineOptions options;
    options.workers = 2;
    options.read_strategy = ReadStrategy{p};
    options.stats = &stats;
    std::vector<ManifestItem> items = engine::hash_files(files, options);
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0].digest, *oracle(data, HashAlgorithm::kSha256));
    EXPECT_GT(stats.read_ahead_bytes, 0u);
    if (p == ReadPath::kPread) {
      EXPECT_GT(stats.buffered_bytes, 0u);
    } else {
      EXPECT_EQ(stats.buffered_bytes, 0u);
    }
  }
}

// The walk records sizes; a large file that differs when read is an error
// on every path, also where the helper reads it (files mode, two workers).
TEST(EngineReadPathErrors, LargeFileThatGrewOrShrankSinceTheWalk) {
  TempDir dir;
  const std::uint64_t size = (3u << 20) + 5;
  write_file(dir / "a", pattern(size, 9));
  for (const Reading& reading : every_reading()) {
    for (std::uint64_t recorded : {size - 1, size + 1, size - (1u << 20), size + (1u << 20)}) {
      for (unsigned workers : {1u, 2u}) {
        for (Serialization method : {Serialization::kFiles, Serialization::kShards}) {
          SCOPED_TRACE(reading.name + " recorded " + std::to_string(recorded) + " workers " +
                       std::to_string(workers) + (method == Serialization::kFiles ? " files" : " shards"));
          engine::EngineOptions options = options_for(reading);
          options.method = method;
          options.shard_size = 1u << 20;
          options.workers = workers;
          try {
            engine::hash_files({{"a", (dir / "a").string(), recorded}}, options);
            ADD_FAILURE() << "hashed a file whose size changed";
          } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::kIo);
            std::string what = e.what();
            EXPECT_NE(what.find(recorded < size ? "grew" : "shrank"), std::string::npos) << what;
            EXPECT_NE(what.find("cannot read"), std::string::npos) << what;
          }
        }
      }
    }
  }
}

// A large file that is gone, or no longer a regular file, when it is read.
TEST(EngineReadPathErrors, UnreadableLargeFileIsAnErrorNamingIt) {
  TempDir dir;
  fs::create_directories(dir / "now-a-directory");
  for (const Reading& reading : every_reading()) {
    for (const char* name : {"vanished", "now-a-directory"}) {
      for (unsigned workers : {1u, 2u}) {
        SCOPED_TRACE(reading.name + " " + name + " workers " + std::to_string(workers));
        engine::EngineOptions options = options_for(reading);
        options.workers = workers;
        try {
          engine::hash_files({{name, (dir / name).string(), 5u << 20}}, options);
          ADD_FAILURE() << "hashed an unreadable file";
        } catch (const Error& e) {
          EXPECT_EQ(e.kind(), ErrorKind::kIo);
          EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
        }
      }
    }
  }
}

TEST(EngineReadStrategyCli, EveryStrategyGivesTheSameDigestAndBadNamesFail) {
  TempDir dir;
  write_file(dir / "model/a.bin", pattern((6u << 20) + 17, 3));
  write_file(dir / "model/b.bin", pattern(5000, 4));
  for (const char* hash : {"sha256", "blake3"}) {
    for (const char* method : {"files", "shards"}) {
      std::vector<std::string> args = {"digest", (dir / "model").string(), "--hash", hash,
                                       "--serialization", method, "--shard-size", "3000000"};
      CommandResult reference = run_cli(args, {"MS_READ_STRATEGY=pread"});
      ASSERT_EQ(reference.exit_code, 0) << reference.err;
      for (const char* strategy : {"auto", "mmap", "mmap-populate", ""}) {
        CommandResult r = run_cli(args, {std::string("MS_READ_STRATEGY=") + strategy});
        ASSERT_EQ(r.exit_code, 0) << strategy << ": " << r.err;
        EXPECT_EQ(r.out, reference.out) << strategy << " " << hash << " " << method;
      }
    }
  }
  CommandResult bad = run_cli({"digest", (dir / "model").string()}, {"MS_READ_STRATEGY=mapped"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("MS_READ_STRATEGY=mapped"), std::string::npos) << bad.err;
  EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;
  EXPECT_TRUE(bad.out.empty());
}

}  // namespace
}  // namespace model_signing::testing
