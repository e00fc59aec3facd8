#include "support/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "support/test_support.h"


namespace model_signing::testing {

ChildProcess::ChildProcess(const std::vector<std::string>& argv,
                           const std::vector<std::string>& extra_env,
                           const std::filesystem::path& cwd) {
  SpawnedProcess child = spawn_process(argv, extra_env, cwd);
  pid_ = child.pid;
  in_ = child.stdin_fd;
  out_fd_ = child.stdout_fd;
  err_fd_ = child.stderr_fd;
}

ChildProcess::~ChildProcess() {
  close_stdin();
  if (!status_ && wait(std::chrono::milliseconds(3000)) == -1 && !status_) {
    // wait() already killed and reaped it.
  }
  if (out_fd_ >= 0) ::close(out_fd_);
  if (err_fd_ >= 0) ::close(err_fd_);
}

void ChildProcess::write_stdin(const std::string& text) {
  std::size_t done = 0;
  while (in_ >= 0 && done < text.size()) {
    ssize_t n = ::write(in_, text.data() + done, text.size() - done);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
}

void ChildProcess::close_stdin() {
  if (in_ >= 0) ::close(in_);
  in_ = -1;
}

bool ChildProcess::pump(std::chrono::milliseconds timeout) {
  pollfd fds[2];
  int count = 0;
  if (out_fd_ >= 0) fds[count++] = {out_fd_, POLLIN, 0};
  if (err_fd_ >= 0) fds[count++] = {err_fd_, POLLIN, 0};
  if (count == 0) return false;
  int n = ::poll(fds, count, static_cast<int>(timeout.count()));
  if (n < 0 && errno == EINTR) return true;
  if (n <= 0) return true;
  for (int i = 0; i < count; ++i) {
    if (!fds[i].revents) continue;
    char buf[4096];
    ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
    bool is_out = fds[i].fd == out_fd_;
    if (got <= 0) {
      ::close(fds[i].fd);
      (is_out ? out_fd_ : err_fd_) = -1;
    } else {
      (is_out ? out_ : err_).append(buf, static_cast<std::size_t>(got));
    }
  }
  return true;
}

std::optional<std::string> ChildProcess::wait_for(int which, const std::string& needle,
                                                  std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::string& text = which == 1 ? out_ : err_;
    std::size_t& seen = which == 1 ? out_seen_ : err_seen_;
    for (auto nl = text.find('\n', seen); nl != std::string::npos; nl = text.find('\n', seen)) {
      std::string line = text.substr(seen, nl - seen);
      seen = nl + 1;
      if (line.find(needle) != std::string::npos) return line;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    int fd = which == 1 ? out_fd_ : err_fd_;
    if (fd < 0) return std::nullopt;
    pump(left);
  }
}

std::optional<std::string> ChildProcess::wait_for_stdout(const std::string& needle,
                                                         std::chrono::milliseconds timeout) {
  return wait_for(1, needle, timeout);
}

std::optional<std::string> ChildProcess::wait_for_stderr(const std::string& needle,
                                                         std::chrono::milliseconds timeout) {
  return wait_for(2, needle, timeout);
}

int ChildProcess::wait(std::chrono::milliseconds timeout) {
  if (status_) return *status_;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (out_fd_ >= 0 || err_fd_ >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pump(left);
  }
  int status = 0;
  for (;;) {
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      status_ = -1;
      return -1;
    }
    ::usleep(10000);
  }
  status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return *status_;
}

}  // namespace model_signing::testing
