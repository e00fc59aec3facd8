#include "progress_bar.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "terminal.h"

namespace model_signing::cli {

namespace {

constexpr auto kQuietPeriod = std::chrono::milliseconds(1000);

std::string human_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 5) {
    bytes /= 1024;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f %s", bytes, units[unit]);
  return buf;
}

// "0:07", "12:34", "1:02:03".
std::string clock_time(double seconds) {
  auto s = static_cast<long long>(seconds + 0.5);
  char buf[48];
  if (s >= 3600) {
    std::snprintf(buf, sizeof(buf), "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof(buf), "%lld:%02lld", s / 60, s % 60);
  }
  return buf;
}

int terminal_columns() {
  struct winsize ws {};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

// The line drawn for `p` after `seconds` in a terminal `columns` wide:
// "Hashing [####......]  40%  3/12 files  1.2 GiB / 3.0 GiB  610.2 MiB/s  ETA 0:03".
std::string render(const std::string& label, const HashProgress& p, double seconds, int columns) {
  double fraction =
      p.bytes_total ? static_cast<double>(p.bytes_done) / static_cast<double>(p.bytes_total) : 1;
  fraction = std::clamp(fraction, 0.0, 1.0);
  double speed = seconds > 0 ? static_cast<double>(p.bytes_done) / seconds : 0;
  std::string eta = "--:--";
  if (p.bytes_done >= p.bytes_total) {
    eta = "0:00";
  } else if (speed > 0) {
    eta = clock_time(static_cast<double>(p.bytes_total - p.bytes_done) / speed);
  }
  char percent[8];
  std::snprintf(percent, sizeof(percent), "%3d%%", static_cast<int>(fraction * 100));
  std::string right = std::string(percent) + "  " + std::to_string(p.files_done) + "/" +
                      std::to_string(p.files_total) + " files  " +
                      human_bytes(static_cast<double>(p.bytes_done)) + " / " +
                      human_bytes(static_cast<double>(p.bytes_total)) + "  " + human_bytes(speed) +
                      "/s  ETA " + eta;
  // The bar takes what is left of the line, up to 30 cells; the last column
  // stays free so the cursor never wraps.
  int width = std::min(30, columns - 1 - static_cast<int>(label.size() + right.size()) - 4);
  if (width < 5) return label + " " + right;
  int filled = static_cast<int>(fraction * width);
  return label + " [" + std::string(static_cast<std::size_t>(filled), '#') +
         std::string(static_cast<std::size_t>(width - filled), '.') + "] " + right;
}

}  // namespace

ProgressBar::ProgressBar(std::string label, bool enabled)
    : label_(std::move(label)), enabled_(enabled && ::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()) {}

void ProgressBar::finish() {
  if (enabled_) terminal::clear_bar();
}

ProgressReport ProgressBar::callback() {
  if (!enabled_) return {};
  return [this](const HashProgress& progress) { update(progress); };
}

void ProgressBar::update(const HashProgress& progress) {
  auto elapsed = std::chrono::steady_clock::now() - start_;
  if (elapsed < kQuietPeriod || progress.bytes_total == 0) return;
  terminal::draw_bar(render(label_, progress, std::chrono::duration<double>(elapsed).count(),
                            terminal_columns()));
}

}  // namespace model_signing::cli
