#include "terminal.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace model_signing::cli::terminal {

namespace {

std::mutex g_mutex;
// Read by the signal handler; set only under g_mutex.
volatile std::sig_atomic_t g_bar_drawn = 0;
// The handler and the writers of the bar, which the handler cannot lock
// out with g_mutex: a writer raises g_writing, then looks at g_dying; the
// handler raises g_dying, then waits for g_writing to drop (unless the
// writer is its own thread, which it interrupted). With both sequentially
// consistent, either the writer sees g_dying and draws nothing, or the
// handler sees g_writing and clears after the bar: the clear is always the
// last thing written. Lock-free atomics are safe in a handler.
std::atomic<int> g_writing{0};
std::atomic<pid_t> g_writer{0};
std::atomic<int> g_dying{0};
static_assert(std::atomic<int>::is_always_lock_free && std::atomic<pid_t>::is_always_lock_free);

constexpr char kClear[] = "\r\033[K";

void write_clear() {
  // write(2) is async-signal-safe; nothing else here may run in a handler.
  ssize_t ignored = ::write(STDERR_FILENO, kClear, sizeof(kClear) - 1);
  (void)ignored;
}

// Nanoseconds on the monotonic clock (clock_gettime is async-signal-safe).
long long now_ns() {
  timespec t{};
  ::clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}

extern "C" void on_signal(int signo) {
  g_dying = 1;
  const pid_t self = static_cast<pid_t>(::syscall(SYS_gettid));
  // At most 200 ms: a writer stuck on a terminal nobody reads must not keep
  // the process from ending.
  const long long give_up = now_ns() + 200000000LL;
  while (g_writing && g_writer != self && now_ns() < give_up) {
  }
  if (g_bar_drawn) write_clear();
  std::signal(signo, SIG_DFL);
  std::raise(signo);
}

// Marks the calling thread as writing the bar (needs g_mutex); false if a
// signal is ending the process, when nothing more may be drawn.
bool begin_writing() {
  g_writer = static_cast<pid_t>(::syscall(SYS_gettid));
  g_writing = 1;
  if (!g_dying) return true;
  g_writing = 0;
  return false;
}
void end_writing() { g_writing = 0; }

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
  if (!begin_writing()) return;
  // Drawn before it is written: a signal that comes while it is written
  // clears it.
  g_bar_drawn = 1;
  std::fprintf(stderr, "%s%s", kClear, bar.c_str());
  std::fflush(stderr);
  end_writing();
}

void clear_bar() {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (!g_bar_drawn) return;
  std::fputs(kClear, stderr);
  std::fflush(stderr);
  g_bar_drawn = 0;
}

}  // namespace model_signing::cli::terminal
