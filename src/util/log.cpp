#include "util/log.h"

#include <atomic>
#include <mutex>

namespace model_signing {

namespace {

struct SinkState {
  std::mutex mutex;
  LogSink sink;
};

SinkState& state() {
  static SinkState s;
  return s;
}

// Below every level while no sink is installed.
std::atomic<int> g_min_level{1000};

}  // namespace

std::string_view to_string(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarning:
      return "WARNING";
    case LogLevel::kError:
      return "ERROR";
    case LogLevel::kCritical:
      return "CRITICAL";
  }
  return "LOG";
}

void set_log_sink(LogLevel min_level, LogSink sink) {
  std::lock_guard<std::mutex> lock(state().mutex);
  g_min_level.store(sink ? static_cast<int>(min_level) : 1000, std::memory_order_relaxed);
  state().sink = std::move(sink);
}

bool log_enabled(LogLevel level) {
  return static_cast<int>(level) >= g_min_level.load(std::memory_order_relaxed);
}

namespace util {

void log(LogLevel level, const std::string& message) {
  if (!log_enabled(level)) return;
  std::lock_guard<std::mutex> lock(state().mutex);
  if (state().sink) state().sink(level, message);
}

}  // namespace util
}  // namespace model_signing
