// Whole-command benchmark of `model_signing digest --hash blake3` against the
// official implementation, b3sum, timed in the same run (see
// bench/blake3_vs_b3sum.sh):
//
//   blake3_vs_b3sum <model_signing> <b3sum> <file> [repetitions]
//
// Runs are interleaved (ours, b3sum, ours, b3sum, ...) so that load from
// other processes hits both sides alike; the best wall time of each counts
// for the ratio. CPU time (user + system) is shown for context.
// Also checks that both compute the same BLAKE3 digest of the file.
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>
#include <string>

#include "command_timer.h"

using model_signing::bench::capture_output;
using model_signing::bench::time_command;
using model_signing::bench::Timing;

namespace {

// `digest` prints sha256:<root>, and the root of a one-file model is the
// SHA-256 of that file's raw BLAKE3 digest: compute the same from b3sum.
std::string expected_root_from_b3sum(const std::string& b3sum_hex) {
  unsigned char raw[32];
  if (b3sum_hex.size() < 64) throw std::runtime_error("unexpected b3sum output: " + b3sum_hex);
  for (int i = 0; i < 32; ++i)
    raw[i] = static_cast<unsigned char>(std::stoi(b3sum_hex.substr(2 * i, 2), nullptr, 16));
  unsigned char root[32];
  unsigned int len = 0;
  EVP_Digest(raw, sizeof raw, root, &len, EVP_sha256(), nullptr);
  std::string hex = "sha256:";
  char byte[3];
  for (unsigned char b : root) {
    std::snprintf(byte, sizeof byte, "%02x", b);
    hex += byte;
  }
  return hex;
}

struct Case {
  const char* name;
  std::vector<std::string> ours;
  std::vector<std::string> theirs;
  double target;  // minimum throughput ratio ours / theirs; 0: shown for context
  Timing best_ours{};
  Timing best_theirs{};
};

void keep_best(Timing& best, const Timing& t, int rep) {
  if (rep == 0 || t.best_seconds < best.best_seconds) best.best_seconds = t.best_seconds;
  if (rep == 0 || t.best_cpu_seconds < best.best_cpu_seconds) {
    best.best_cpu_seconds = t.best_cpu_seconds;
  }
  if (t.peak_rss_mib > best.peak_rss_mib) best.peak_rss_mib = t.peak_rss_mib;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s <model_signing> <b3sum> <file> [repetitions]\n", argv[0]);
    return 2;
  }
  std::string ms = argv[1], b3sum = argv[2], file = argv[3];
  int reps = argc > 4 ? std::stoi(argv[4]) : 5;
  long cores = ::sysconf(_SC_NPROCESSORS_ONLN);
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    std::fprintf(stderr, "blake3_vs_b3sum: cannot stat %s\n", file.c_str());
    return 1;
  }
  const double bytes = static_cast<double>(st.st_size);
  try {
    std::string ours_out = capture_output({ms, "digest", "--hash", "blake3", file});
    std::string want = expected_root_from_b3sum(capture_output({b3sum, file}));
    if (ours_out.substr(0, want.size()) != want) {
      throw std::runtime_error("digests differ: model_signing printed " + ours_out +
                               " but b3sum's digest gives " + want);
    }

    Case cases[] = {
        {"one thread",
         {ms, "digest", "--hash", "blake3", "--max-workers", "1", file},
         {b3sum, "--num-threads", "1", file},
         0.95},
        {"all cores", {ms, "digest", "--hash", "blake3", file}, {b3sum, file}, 1.00},
        // For context, no target: b3sum reading like we do instead of mapping.
        {"one thread, b3sum --no-mmap",
         {ms, "digest", "--hash", "blake3", "--max-workers", "1", file},
         {b3sum, "--no-mmap", "--num-threads", "1", file},
         0},
        {"all cores, b3sum --no-mmap",
         {ms, "digest", "--hash", "blake3", file},
         {b3sum, "--no-mmap", file},
         0},
    };
    for (int rep = 0; rep < reps; ++rep) {
      for (Case& c : cases) {
        keep_best(c.best_ours, time_command(c.ours, 1), rep);
        keep_best(c.best_theirs, time_command(c.theirs, 1), rep);
      }
    }

    std::printf("%.2f GiB file, %ld cores, best of %d interleaved runs; digests agree\n\n",
                bytes / (1 << 30), cores, reps);
    std::printf(
        "| %-28s | wall s: ours | b3sum | GB/s: ours | b3sum | ratio  | target  |"
        " CPU s: ours | b3sum | RSS MiB: ours | b3sum |\n",
        "case");
    std::printf(
        "|%s|--------------|-------|------------|-------|--------|---------|"
        "-------------|-------|---------------|-------|\n",
        std::string(30, '-').c_str());
    for (const Case& c : cases) {
      double ours = bytes / c.best_ours.best_seconds, theirs = bytes / c.best_theirs.best_seconds;
      std::string target = c.target > 0 ? ">= " + std::to_string(int(100 * c.target)) + "%" : "-";
      std::printf(
          "| %-28s | %12.3f | %5.3f | %10.2f | %5.2f | %5.1f%% | %-7s | %11.3f | %5.3f |"
          " %13.1f | %5.1f |\n",
          c.name, c.best_ours.best_seconds, c.best_theirs.best_seconds, ours / 1e9, theirs / 1e9,
          100.0 * ours / theirs, target.c_str(), c.best_ours.best_cpu_seconds,
          c.best_theirs.best_cpu_seconds, c.best_ours.peak_rss_mib, c.best_theirs.peak_rss_mib);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "blake3_vs_b3sum: %s\n", e.what());
    return 1;
  }
  return 0;
}
