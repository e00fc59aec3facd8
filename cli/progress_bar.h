// A progress bar on stderr for long hashing jobs: files done/total, bytes,
// speed and time left.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "model_signing/hashing.h"

namespace model_signing::cli {

// Draws only when enabled (not --quiet), stderr is a terminal and the job
// has run for more than about a second, so quick runs and logs stay clean.
// Cleared when finished, destroyed (an error unwinding) or interrupted
// (terminal.h).
class ProgressBar {
 public:
  ProgressBar(std::string label, bool enabled);
  ~ProgressBar() { finish(); }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Empty when disabled, so the engine does not report at all.
  ProgressReport callback();
  // Clears the bar's line, if anything was drawn, before normal output.
  void finish();

 private:
  void update(const HashProgress& progress);

  std::string label_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace model_signing::cli
