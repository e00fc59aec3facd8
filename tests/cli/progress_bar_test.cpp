// The progress bar as a terminal shows it (stderr on a pseudo-terminal):
// files done/total, bytes, speed and time left; cleared when Ctrl-C
// (SIGINT) interrupts hashing and when an error ends it; silenced by
// --quiet. The model is one large sparse file hashed on one worker, so the
// bar (which waits a second before drawing) has time to appear.
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>

#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kModelBytes = std::uint64_t{32} << 30;  // sparse: no disk used

class OnATerminal {
 public:
  explicit OnATerminal(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {cli_path().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    struct winsize size {};
    size.ws_col = 120;
    size.ws_row = 40;
    pid_ = ::forkpty(&master_, nullptr, nullptr, &size);
    if (pid_ == 0) {
      std::vector<char*> cargv;
      for (auto& a : argv) cargv.push_back(a.data());
      cargv.push_back(nullptr);
      ::execv(cargv[0], cargv.data());
      _exit(127);
    }
  }
  ~OnATerminal() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (master_ >= 0) ::close(master_);
  }

  bool started() const { return pid_ > 0; }

  // Reads until `done(output)` or `timeout`; false on timeout or EOF first.
  bool read_until(const std::function<bool(const std::string&)>& done, std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (!done(output_)) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return false;
      struct pollfd p {master_, POLLIN, 0};
      int ready = ::poll(&p, 1, static_cast<int>(left));
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) continue;
      char buf[4096];
      ssize_t n = ::read(master_, buf, sizeof(buf));
      if (n <= 0) return done(output_);  // EIO once the child has gone
      output_.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }
  void read_to_end() { read_until([](const std::string&) { return false; }, std::chrono::seconds(60)); }

  // Waits for the child; its wait status.
  int wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    return status;
  }
  void signal(int signo) const { ::kill(pid_, signo); }
  const std::string& output() const { return output_; }

 private:
  pid_t pid_ = -1;
  int master_ = -1;
  bool reaped_ = false;
  std::string output_;
};

class ProgressBarOnATerminal : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(model() / "big.bin", "");
    fs::resize_file(model() / "big.bin", kModelBytes);
    write_file(model() / "small.bin", "small");
  }
  fs::path model() const { return dir_ / "model"; }
  std::vector<std::string> digest(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"digest", model().string(), "--max-workers", "1"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  static bool drew_bar(const std::string& out) { return out.find("ETA ") != std::string::npos; }

  TempDir dir_;
};

TEST_F(ProgressBarOnATerminal, ShowsFilesBytesSpeedAndEtaAndIsClearedOnCtrlC) {
  OnATerminal run(digest());
  ASSERT_TRUE(run.started());
  ASSERT_TRUE(run.read_until(drew_bar, std::chrono::seconds(60))) << run.output();
  run.signal(SIGINT);
  run.read_to_end();
  int status = run.wait();
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) << status;
  const std::string& out = run.output();
  std::size_t bar = out.rfind("Hashing [");
  ASSERT_NE(bar, std::string::npos) << out;
  std::string line = out.substr(bar, out.find('\r', bar) - bar);
  EXPECT_NE(line.find("/2 files"), std::string::npos) << line;
  EXPECT_NE(line.find(" / 32.0 GiB"), std::string::npos) << line;
  EXPECT_NE(line.find("/s  ETA "), std::string::npos) << line;
  EXPECT_LE(line.size(), 119u) << line;
  // The last thing written clears the bar's line.
  ASSERT_GE(out.size(), 4u);
  EXPECT_EQ(out.substr(out.size() - 4), "\r\033[K") << out.substr(out.size() - 40);
}

TEST_F(ProgressBarOnATerminal, IsClearedBeforeTheErrorLine) {
  OnATerminal run(digest());
  ASSERT_TRUE(run.started());
  ASSERT_TRUE(run.read_until(drew_bar, std::chrono::seconds(60))) << run.output();
  fs::resize_file(model() / "big.bin", 0);  // the file shrinks under the hasher
  run.read_to_end();
  int status = run.wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << status;
  EXPECT_NE(run.output().find("\r\033[KHashing failed with error: "), std::string::npos) << run.output();
  EXPECT_NE(run.output().find("shrank"), std::string::npos) << run.output();
}

TEST_F(ProgressBarOnATerminal, QuietDrawsNothing) {
  OnATerminal run(digest({"--quiet"}));
  ASSERT_TRUE(run.started());
  // Well past the second the bar waits before drawing.
  EXPECT_FALSE(run.read_until(drew_bar, std::chrono::milliseconds(3000))) << run.output();
  run.signal(SIGINT);
  run.read_to_end();
  run.wait();
  EXPECT_EQ(run.output(), "");
}

}  // namespace
}  // namespace model_signing::testing
