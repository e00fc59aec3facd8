// Diagnostic messages from the library, for the caller to show or drop.
//
// The library prints nothing itself: it hands each message to the sink the
// program installed (the CLI prints them on stderr for --log-level). With no
// sink, messages are dropped and cost only a level check.
//
//   model_signing::set_log_sink(model_signing::LogLevel::kInfo,
//       [](model_signing::LogLevel, std::string_view message) {
//         std::clog << message << '\n';
//       });
//
// What each level carries:
//   kDebug    each file hashed (name, size, digest), each HTTP retry
//   kInfo     a summary of each step: files and bytes hashed, throughput,
//             the hash backend chosen, each service contacted and its timing,
//             the signature and signer checked
//   kWarning  something accepted that deserves attention (legacy formats)
//   kError, kCritical  reserved for the caller's own failures
#pragma once

#include <functional>
#include <string_view>

#pragma GCC visibility push(default)  // the public API (src/CMakeLists.txt)
namespace model_signing {

enum class LogLevel { kDebug = 10, kInfo = 20, kWarning = 30, kError = 40, kCritical = 50 };

// "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL".
std::string_view to_string(LogLevel level);

// Called with messages at `min_level` and above, from whichever thread
// produced them, one call at a time (calls are serialized). The message is
// one line without a trailing newline. Pass an empty sink to stop logging.
using LogSink = std::function<void(LogLevel level, std::string_view message)>;
void set_log_sink(LogLevel min_level, LogSink sink);

// True if a message at `level` would reach the sink.
bool log_enabled(LogLevel level);

}  // namespace model_signing
#pragma GCC visibility pop
