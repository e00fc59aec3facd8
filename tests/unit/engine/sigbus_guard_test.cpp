// Mapped reads of files truncated underneath: the fault becomes an error
// naming the file (ShardReader + run_guarded, and the whole engine), other
// SIGBUS still reaches the handler that was there before; mapped and read
// views hold the same bytes.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <thread>
#include <utility>

#include "engine/hashing_engine.h"
#include "engine/shard_reader.h"
#include "engine/sigbus_guard.h"
#include "model_signing/error.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;
using engine::MappedRange;
using engine::ShardReader;
using engine::ShardView;

std::string numbered_bytes(std::size_t size) {
  std::string out(size, '\0');
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 7 + i / 4096) & 0xff);
  return out;
}

std::uint64_t sum_of(const std::uint8_t* p, std::size_t n) {
  std::uint64_t s = 0;
  for (std::size_t i = 0; i < n; ++i) s += p[i];
  return s;
}

constexpr std::size_t kBig = (3u << 20) + 12345;  // mapped (over 256 KiB)

TEST(ShardReader, MappedAndReadViewsHoldTheFileBytes) {
  TempDir dir;
  std::string data = numbered_bytes(kBig);
  write_file(dir / "f", data);
  std::string path = (dir / "f").string();
  ShardReader reader;
  // Unaligned offsets and a view ending at the end of the file, both ways.
  for (std::uint64_t offset : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{4095},
                               std::uint64_t{300000}, std::uint64_t{kBig - 1000}}) {
    std::size_t length = static_cast<std::size_t>(std::min<std::uint64_t>(kBig - offset, 1u << 20));
    bool at_end = offset + length == kBig;
    ShardView v = reader.map(path, "f", offset, length, at_end);
    EXPECT_TRUE(v.mapped);
    ASSERT_EQ(v.size, length);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(v.data), v.size), data.substr(offset, length))
        << offset;
    std::size_t small = std::min(length, ShardReader::kReadBuffer);
    ShardView r = reader.read(path, "f", offset, small, offset + small == kBig);
    EXPECT_FALSE(r.mapped);
    ASSERT_EQ(r.size, small);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(r.data), r.size), data.substr(offset, small))
        << offset;
  }
  // Whole-file length checks on both paths.
  EXPECT_THROW(reader.map(path, "f", kBig - 1000, 999, true), Error);   // file is longer
  EXPECT_THROW(reader.map(path, "f", kBig - 999, 1000, false), Error);  // past the end
  EXPECT_THROW(reader.read(path, "f", kBig - 1000, 999, true), Error);
  EXPECT_THROW(reader.read(path, "f", kBig - 999, 1000, false), Error);
  EXPECT_NO_THROW(reader.read(path, "f", kBig, 0, true));
  EXPECT_THROW(reader.read(path, "f", kBig - 1, 0, true), Error);
}

// A file that is gone or not a regular file: an error naming it, whichever
// way it is read.
TEST(ShardReader, UnreadableFilesAreErrorsNamingThem) {
  TempDir dir;
  write_file(dir / "f", "x");
  ShardReader reader;
  for (bool mapped : {false, true}) {
    for (const std::string& path : {(dir / "missing").string(), dir.path().string()}) {
      try {
        if (mapped) {
          reader.map(path, "named", 0, 1, false);
        } else {
          reader.read(path, "named", 0, 1, false);
        }
        ADD_FAILURE() << "read " << path;
      } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kIo);
        EXPECT_NE(std::string(e.what()).find("cannot read named"), std::string::npos) << e.what();
      }
    }
  }
}

TEST(ShardReader, TruncatedUnderAMappingIsReportedNotFatal) {
  TempDir dir;
  write_file(dir / "f", numbered_bytes(kBig));
  write_file(dir / "g", numbered_bytes(kBig));
  ShardReader a, b;
  ShardView va = a.map((dir / "f").string(), "f", 0, 2u << 20, false);
  ShardView vb = b.map((dir / "g").string(), "g", 0, 2u << 20, false);
  ASSERT_TRUE(va.mapped && vb.mapped);
  fs::resize_file(dir / "g", 4096);  // g's mapped pages past the first vanish
  MappedRange ranges[2] = {{va.data, va.data + va.size}, {vb.data, vb.data + vb.size}};
  std::uint64_t total = 0;
  auto touch_both = [&] { total = sum_of(va.data, va.size) + sum_of(vb.data, vb.size); };
  EXPECT_EQ(engine::run_guarded(ranges, 2, touch_both), 1);  // the fault was in g's range
  auto touch_first = [&] { total = sum_of(va.data, va.size); };
  EXPECT_EQ(engine::run_guarded(ranges, 2, touch_first), -1);
  EXPECT_EQ(total, sum_of(reinterpret_cast<const std::uint8_t*>(numbered_bytes(2u << 20).data()), 2u << 20));
  // Exceptions pass through, and the guard is off afterwards.
  auto thrower = [] { throw std::runtime_error("from inside"); };
  EXPECT_THROW(engine::run_guarded(ranges, 2, thrower), std::runtime_error);
  // The next view sees the shorter file before touching anything.
  try {
    b.map((dir / "g").string(), "g", 1u << 20, 1u << 20, false);
    FAIL() << "viewed bytes past the end of a truncated file";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("shrank"), std::string::npos) << e.what();
  }
}

// A SIGBUS outside the guarded ranges goes to the handler installed before
// the guard's. Runs in a fresh process (death test, re-executed), so the
// guard is installed there after the test's own handler.
// The child process never runs its TempDir's destructor: the handler
// removes the file and directory itself (both calls are async-signal-safe).
char g_child_file[4096];
char g_child_dir[4096];

void exit_42(int) {
  ::unlink(g_child_file);
  ::rmdir(g_child_dir);
  _exit(42);
}

[[noreturn]] void fault_outside_guard(const fs::path& file) {
  std::snprintf(g_child_file, sizeof g_child_file, "%s", file.c_str());
  std::snprintf(g_child_dir, sizeof g_child_dir, "%s", file.parent_path().c_str());
  struct sigaction action {};
  action.sa_handler = exit_42;
  sigemptyset(&action.sa_mask);
  sigaction(SIGBUS, &action, nullptr);
  write_file(file, numbered_bytes(3 * 4096));
  ShardReader reader;
  ShardView v = reader.map(file.string(), "f", 0, 3 * 4096, false);
  if (!v.mapped) _exit(3);
  MappedRange nothing = {v.data, v.data};  // installs the guard, guards no byte
  auto noop = [] {};
  engine::run_guarded(&nothing, 1, noop);
  fs::resize_file(file, 0);
  volatile std::uint8_t sink = v.data[2 * 4096];
  (void)sink;
  _exit(0);
}

TEST(SigbusGuardDeathTest, FaultsElsewhereReachThePreviousHandler) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  TempDir dir;
  EXPECT_EXIT(fault_outside_guard(dir / "f"), ::testing::ExitedWithCode(42), "");
}

// A file truncated while the workers hash it: an error naming it, whichever
// way it is caught (a view that finds the file short, or a fault in a
// mapping; in files mode on two workers, also with a helper reading ahead
// in its own mapping). Sparse, so it takes no disk space.
TEST(EngineErrors, FileTruncatedWhileHashedIsAnErrorNamingIt) {
  TempDir dir;
  fs::path file = dir / "weights.bin";
  constexpr std::uint64_t kSize = std::uint64_t{2} << 30;
  write_file(file, "");
  fs::resize_file(file, kSize);
  for (auto [workers, method] : {std::pair{1u, Serialization::kShards},
                                 std::pair{2u, Serialization::kShards},
                                 std::pair{2u, Serialization::kFiles}}) {
    SCOPED_TRACE(std::to_string(workers) + (method == Serialization::kFiles ? " files" : " shards"));
    fs::resize_file(file, kSize);
    engine::EngineOptions options;
    options.method = method;
    options.shard_size = 64u << 20;
    options.workers = workers;
    std::atomic<bool> truncated{false};
    options.progress = [&](std::uint64_t done, std::uint64_t total) {
      if (done < total && !truncated.exchange(true)) fs::resize_file(file, 1u << 20);
    };
    try {
      engine::hash_files({{"weights.bin", file.string(), kSize}}, options);
      ADD_FAILURE() << "hashed a file truncated under it";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kIo);
      std::string what = e.what();
      EXPECT_NE(what.find("weights.bin"), std::string::npos) << what;
      EXPECT_NE(what.find("shrank"), std::string::npos) << what;
    }
    EXPECT_TRUE(truncated.load()) << "the job ended before the first progress report";
  }
}

}  // namespace
}  // namespace model_signing::testing
