#include "progress_bar.h"

#include <unistd.h>

#include <cstdio>

namespace model_signing::cli {

namespace {

constexpr auto kQuietPeriod = std::chrono::milliseconds(1000);
constexpr int kBarWidth = 30;

std::string human_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 4) {
    bytes /= 1024;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f %s", bytes, units[unit]);
  return buf;
}

}  // namespace

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)), enabled_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()) {}

void ProgressBar::finish() {
  if (drawn_) std::fprintf(stderr, "\r\033[K");
  drawn_ = false;
}

ProgressCallback ProgressBar::callback() {
  if (!enabled_) return {};
  return [this](std::uint64_t done, std::uint64_t total) { update(done, total); };
}

void ProgressBar::update(std::uint64_t done, std::uint64_t total) {
  auto elapsed = std::chrono::steady_clock::now() - start_;
  if (elapsed < kQuietPeriod || total == 0) return;
  double fraction = static_cast<double>(done) / static_cast<double>(total);
  if (fraction > 1) fraction = 1;
  int filled = static_cast<int>(fraction * kBarWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(kBarWidth - filled), '.');
  double seconds = std::chrono::duration<double>(elapsed).count();
  std::fprintf(stderr, "\r\033[K%s [%s] %3d%%  %s / %s  %s/s", label_.c_str(), bar.c_str(),
               static_cast<int>(fraction * 100), human_bytes(static_cast<double>(done)).c_str(),
               human_bytes(static_cast<double>(total)).c_str(),
               human_bytes(static_cast<double>(done) / seconds).c_str());
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace model_signing::cli
