#include "sigstore/oidc/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "model_signing/error.h"

extern char** environ;

namespace model_signing::sigstore {

namespace {

using Clock = std::chrono::steady_clock;

int milliseconds_until(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(std::min<long long>(left.count(), 1 << 30));
}

// False once the pipe is closed (or broken).
bool read_some(int fd, std::string& into, std::size_t max_output) {
  char buf[65536];
  ssize_t n = ::read(fd, buf, sizeof(buf));
  if (n < 0) return errno == EINTR || errno == EAGAIN;
  if (n == 0) return false;
  std::size_t keep = std::min(static_cast<std::size_t>(n), max_output - std::min(max_output, into.size()));
  into.append(buf, keep);
  return true;
}

}  // namespace

std::optional<std::string> find_executable(std::string_view name, std::string_view search_path) {
  if (name.empty() || name.find('/') != std::string_view::npos) return std::nullopt;
  std::size_t start = 0;
  while (start <= search_path.size()) {
    std::size_t end = search_path.find(':', start);
    if (end == std::string_view::npos) end = search_path.size();
    // An empty entry means the current directory, as for execvp.
    std::string dir(search_path.substr(start, end - start));
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + std::string(name);
    struct stat st;
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    start = end + 1;
  }
  return std::nullopt;
}

ProgramOutput collect_program_output(pid_t pid, int out_fd, int err_fd, Clock::time_point deadline,
                                     std::size_t max_output) {
  ProgramOutput result;
  bool open[2] = {true, true};
  int fds[2] = {out_fd, err_fd};
  std::string* into[2] = {&result.out, &result.err};
  int status = 0;
  bool exited = false, have_status = false;
  // False while the program runs.
  auto reap = [&](int options) {
    pid_t done;
    while ((done = ::waitpid(pid, &status, options)) < 0 && errno == EINTR) {
    }
    if (done == 0) return false;
    exited = true;
    have_status = done == pid;
    return true;
  };
  while (open[0] || open[1]) {
    pollfd polled[2];
    nfds_t count = 0;
    int which[2];
    for (int i = 0; i < 2; ++i) {
      if (open[i]) {
        polled[count] = {fds[i], POLLIN, 0};
        which[count++] = i;
      }
    }
    // Once the program has exited, take what is left in the pipes and stop:
    // a child it left behind may hold them open for much longer.
    int left = milliseconds_until(deadline);
    int ready = ::poll(polled, count, exited ? 0 : std::min(left, 50));
    if (ready < 0 && errno != EINTR) break;
    for (nfds_t k = 0; ready > 0 && k < count; ++k) {
      if (polled[k].revents) open[which[k]] = read_some(fds[which[k]], *into[which[k]], max_output);
    }
    if (ready > 0) continue;
    if (exited) break;
    if (ready == 0 && reap(WNOHANG)) continue;
    if (left == 0) {
      result.timed_out = true;
      break;
    }
  }
  ::close(out_fd);
  ::close(err_fd);
  // Both pipes closed, but the program may still be running: wait for it
  // until the deadline, then kill it.
  while (!exited && !result.timed_out) {
    if (reap(WNOHANG)) break;
    if (Clock::now() >= deadline) {
      result.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (result.timed_out && !exited) {
    ::kill(pid, SIGKILL);
    reap(0);
    return result;
  }
  if (have_status && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

ProgramOutput run_program(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  if (argv.empty()) throw Error(ErrorKind::kInvalidArgument, "no program to run");
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    throw Error(ErrorKind::kIo, "cannot run " + argv[0] + ": " + std::strerror(errno));
  }
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    int saved = errno;
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    throw Error(ErrorKind::kIo, "cannot run " + argv[0] + ": " + std::strerror(saved));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (rc != 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    throw Error(ErrorKind::kIo, "cannot run " + argv[0] + ": " + std::strerror(rc));
  }
  return collect_program_output(pid, out_pipe[0], err_pipe[0], Clock::now() + timeout);
}

}  // namespace model_signing::sigstore
