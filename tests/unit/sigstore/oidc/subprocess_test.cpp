#include "sigstore/oidc/subprocess.h"

#include <gtest/gtest.h>

#include "model_signing/error.h"
#include "support/expect_error.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;

TEST(Subprocess, FindsOnlyExecutableFilesInPathOrder) {
  TempDir dir;
  write_file(dir / "a/tool", "#!/bin/sh\n");  // not executable
  fs::create_directories(dir / "b/tool");      // a directory
  write_script(dir / "c/tool", "");
  write_script(dir / "d/tool", "");
  std::string path = (dir / "a").string() + ":" + (dir / "b").string() + ":" +
                     (dir / "c").string() + ":" + (dir / "d").string();
  EXPECT_EQ(sigstore::find_executable("tool", path), (dir / "c/tool").string());
  EXPECT_FALSE(sigstore::find_executable("tool", (dir / "a").string()).has_value());
  EXPECT_FALSE(sigstore::find_executable("missing", path).has_value());
  EXPECT_FALSE(sigstore::find_executable("c/tool", dir.path().string()).has_value());
  EXPECT_FALSE(sigstore::find_executable("", path).has_value());
}

TEST(Subprocess, CapturesBothStreamsAndTheExitCode) {
  auto result = sigstore::run_program({"/bin/sh", "-c", "printf out; printf err >&2; exit 7"},
                                  std::chrono::seconds(30));
  EXPECT_EQ(result.out, "out");
  EXPECT_EQ(result.err, "err");
  EXPECT_EQ(result.exit_code, 7);
  EXPECT_FALSE(result.timed_out);
}

TEST(Subprocess, StdinIsEmptyNotTheCallers) {
  auto result = sigstore::run_program({"/bin/sh", "-c", "cat; echo done"}, std::chrono::seconds(30));
  EXPECT_EQ(result.out, "done\n");
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Subprocess, OutputIsBounded) {
  auto result = sigstore::run_program({"/bin/sh", "-c", "head -c 5000000 /dev/zero"},
                                  std::chrono::seconds(30));
  EXPECT_EQ(result.out.size(), std::size_t{1} << 20);
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Subprocess, KilledProgramHasNoExitCode) {
  auto result = sigstore::run_program({"/bin/sh", "-c", "kill -9 $$"}, std::chrono::seconds(30));
  EXPECT_EQ(result.exit_code, -1);
  EXPECT_FALSE(result.timed_out);
}

TEST(Subprocess, ProgramThatCannotStartIsAnIoError) {
  EXPECT_TRUE(expect_error(
      [] { sigstore::run_program({"/nonexistent/tool"}, std::chrono::seconds(5)); }, ErrorKind::kIo,
      "/nonexistent/tool"));
}

}  // namespace
}  // namespace model_signing::testing
