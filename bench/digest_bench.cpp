// Whole-command benchmark of `model_signing digest` / `verify` against
// baselines measured in the same run (see bench/bench_digest.sh).
//
//   digest_bench <model_signing> <data-dir> [repetitions]
//
// The data directory must hold the synthetic model bench_digest.sh builds.
// Prints a Markdown table of ratios and peak RSS.
#include <unistd.h>

#include <cstdio>
#include <sstream>
#include <string>

#include "command_timer.h"

using model_signing::bench::capture_output;
using model_signing::bench::time_command;
using model_signing::bench::Timing;

namespace {

// One-core bytes/s from `openssl speed -evp <alg> -bytes 1048576`.
double openssl_speed(const std::string& alg) {
  std::string out = capture_output({"openssl", "speed", "-evp", alg, "-bytes", "1048576", "-seconds", "3"});
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string name, value;
    if (words >> name >> value && name == alg && !value.empty() && value.back() == 'k') {
      return std::stod(value.substr(0, value.size() - 1)) * 1000.0;
    }
  }
  throw std::runtime_error("cannot parse openssl speed output for " + alg);
}

void throughput_row(const char* name, double bytes, double baseline, double target, const Timing& t) {
  double rate = bytes / t.best_seconds;
  std::printf("| %-42s | %6.3f | %5.2f | %5.2f | %5.1f%% | >= %2.0f%% | %5.1f |\n", name, t.best_seconds,
              rate / 1e9, baseline / 1e9, 100.0 * rate / baseline, 100.0 * target, t.peak_rss_mib);
}

void budget_row(const char* name, double budget, const Timing& t) {
  std::printf("| %-42s | %7.4f | < %5.3f | %5.1f |\n", name, t.best_seconds, budget, t.peak_rss_mib);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <model_signing> <data-dir> [repetitions]\n", argv[0]);
    return 2;
  }
  std::string ms = argv[1];
  std::string data = argv[2];
  int reps = argc > 3 ? std::stoi(argv[3]) : 3;
  long cores = ::sysconf(_SC_NPROCESSORS_ONLN);
  try {
    double sha_one = openssl_speed("sha256");
    double b2_one = openssl_speed("blake2b512");
    std::printf("%ld cores; OpenSSL one-core baseline: sha256 %.3f GB/s, blake2b512 %.3f GB/s; best of %d runs\n\n",
                cores, sha_one / 1e9, b2_one / 1e9, reps);
    std::printf("| %-42s | wall s | GB/s  | base  | ratio  | target | RSS MiB |\n", "case");
    std::printf("|%s|--------|-------|-------|--------|--------|---------|\n", std::string(44, '-').c_str());
    const double sixteen = 16.0 * 268435456.0;
    const double big = 4294967296.0;
    throughput_row("16 x 256 MiB, files, sha256 (all cores)", sixteen, sha_one * cores, 0.90,
                   time_command({ms, "digest", data + "/sixteen"}, reps));
    throughput_row("4 GiB file, shards, sha256 (all cores)", big, sha_one * cores, 0.90,
                   time_command({ms, "digest", data + "/big", "--serialization", "shards"}, reps));
    // Not a target of the issue: three equal files on two cores, which only
    // finish together if the engine hands the third one around.
    throughput_row("3 x 1 GiB files, sha256 (all cores)", 3.0 * 1073741824.0, sha_one * cores, 0.90,
                   time_command({ms, "digest", data + "/three"}, reps));
    throughput_row("4 GiB file, files, sha256 (one-core base)", big, sha_one, 0.90,
                   time_command({ms, "digest", data + "/big"}, reps));
    throughput_row("16 x 256 MiB, files, blake2b (all cores)", sixteen, b2_one * cores, 0.90,
                   time_command({ms, "digest", data + "/sixteen", "--hash", "blake2b"}, reps));
    std::printf("\n| %-42s | wall s  | budget  | RSS MiB |\n", "case");
    std::printf("|%s|---------|---------|---------|\n", std::string(44, '-').c_str());
    budget_row("20,000 x 4 KiB files, digest", 0.300, time_command({ms, "digest", data + "/small"}, reps));
    budget_row("verify key, two-file model", 0.015,
               time_command({ms, "verify", "key", data + "/two", "--signature", data + "/two.sig",
                             "--public-key", data + "/key.pub"},
                            reps * 10));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "digest_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
