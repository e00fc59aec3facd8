// Runs whole commands for benchmarks: best wall time over repetitions and
// the largest peak RSS (from wait4's rusage), output discarded.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace model_signing::bench {

struct Timing {
  double best_seconds = 0;
  double peak_rss_mib = 0;
  double best_cpu_seconds = 0;  // user + system, all threads, least over the runs
};

// Throws std::runtime_error if the command fails. `before` runs before each
// repetition, untimed (e.g. dropping the page cache).
Timing time_command(const std::vector<std::string>& argv, int repetitions,
                    const std::function<void()>& before = {});

// Output of a command (stdout), for baselines such as `openssl speed`.
std::string capture_output(const std::vector<std::string>& argv);

}  // namespace model_signing::bench
