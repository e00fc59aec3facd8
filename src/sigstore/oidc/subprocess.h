// Running a helper program (a CI agent's token command) without a shell,
// with its output captured, bounded and timed out.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace model_signing::sigstore {

struct ProgramOutput {
  int exit_code = -1;  // -1 if killed by a signal or the timeout
  bool timed_out = false;
  std::string out;
  std::string err;
};

// The first file called `name` in the colon-separated directory list
// `search_path` that this process may execute; nullopt if there is none.
std::optional<std::string> find_executable(std::string_view name, std::string_view search_path);

// Runs `argv` (argv[0] a path to the program) with this process's
// environment and stdin on /dev/null, and waits for it, killing it once
// `timeout` has passed. Throws Error(kIo) if it cannot be started.
ProgramOutput run_program(const std::vector<std::string>& argv, std::chrono::milliseconds timeout);

// Reads a started child's stdout and stderr pipes until both close, then
// reaps it; kills it if `deadline` passes first. Keeps at most `max_output`
// bytes of each stream. Closes both descriptors.
ProgramOutput collect_program_output(pid_t pid, int out_fd, int err_fd,
                                     std::chrono::steady_clock::time_point deadline,
                                     std::size_t max_output = std::size_t{1} << 20);

}  // namespace model_signing::sigstore
