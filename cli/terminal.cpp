#include "terminal.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <mutex>

namespace model_signing::cli::terminal {

namespace {

std::mutex g_mutex;
// Read by the signal handler; set only under g_mutex.
volatile std::sig_atomic_t g_bar_drawn = 0;

constexpr char kClear[] = "\r\033[K";

void write_clear() {
  // write(2) is async-signal-safe; nothing else here may run in a handler.
  ssize_t ignored = ::write(STDERR_FILENO, kClear, sizeof(kClear) - 1);
  (void)ignored;
}

extern "C" void on_signal(int signo) {
  if (g_bar_drawn) write_clear();
  std::signal(signo, SIG_DFL);
  std::raise(signo);
}

}  // namespace

void install_signal_handlers() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
}

void print_line(const std::string& line) {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (g_bar_drawn) {
    std::fputs(kClear, stderr);
    g_bar_drawn = 0;
  }
  std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

void draw_bar(const std::string& bar) {
  std::lock_guard<std::mutex> lock(g_mutex);
  std::fprintf(stderr, "%s%s", kClear, bar.c_str());
  std::fflush(stderr);
  g_bar_drawn = 1;
}

void clear_bar() {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (!g_bar_drawn) return;
  std::fputs(kClear, stderr);
  std::fflush(stderr);
  g_bar_drawn = 0;
}

}  // namespace model_signing::cli::terminal
