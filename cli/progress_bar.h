// A progress bar on stderr for long hashing jobs.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "model_signing/hashing.h"

namespace model_signing::cli {

// Draws only when stderr is a terminal and the job has run for more than
// about a second, so quick runs and logs stay clean.
class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar() { finish(); }

  ProgressCallback callback();
  // Clears the bar's line, if anything was drawn, before normal output.
  void finish();

 private:
  void update(std::uint64_t done, std::uint64_t total);

  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace model_signing::cli
