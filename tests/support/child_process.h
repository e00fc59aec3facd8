// A child process the test talks to while it runs: its stdin stays open
// (for servers that exit when it closes, and for typing answers) and its
// output is read line by line with timeouts. run_command() in test_support
// covers the run-to-completion case.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace model_signing::testing {

class ChildProcess {
 public:
  // Runs `argv[0]` (looked up on PATH) with extra environment entries.
  ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env = {},
               const std::filesystem::path& cwd = {});
  ~ChildProcess();  // closes stdin, waits a little, then kills
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The next line of stdout (or stderr) containing `needle`; nullopt on
  // timeout or end of output. Everything read is kept in out()/err().
  std::optional<std::string> wait_for_stdout(const std::string& needle, std::chrono::milliseconds timeout);
  std::optional<std::string> wait_for_stderr(const std::string& needle, std::chrono::milliseconds timeout);

  void write_stdin(const std::string& text);
  void close_stdin();

  // Waits for the exit (reading the rest of the output); returns the exit
  // status, or -1 if it had to be killed after `timeout`.
  int wait(std::chrono::milliseconds timeout);

  const std::string& out() const { return out_; }
  const std::string& err() const { return err_; }

 private:
  std::optional<std::string> wait_for(int which, const std::string& needle,
                                      std::chrono::milliseconds timeout);
  bool pump(std::chrono::milliseconds timeout);  // false when nothing more can come

  pid_t pid_ = -1;
  int in_ = -1, out_fd_ = -1, err_fd_ = -1;
  std::string out_, err_;
  std::size_t out_seen_ = 0, err_seen_ = 0;
  std::optional<int> status_;
};

}  // namespace model_signing::testing
