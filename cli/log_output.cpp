#include "log_output.h"

#include <array>
#include <cstdio>

#include "model_signing/log.h"
#include "terminal.h"

namespace model_signing::cli {

namespace {

constexpr std::array<std::pair<const char*, LogLevel>, 5> kLevels = {{
    {"DEBUG", LogLevel::kDebug},
    {"INFO", LogLevel::kInfo},
    {"WARNING", LogLevel::kWarning},
    {"ERROR", LogLevel::kError},
    {"CRITICAL", LogLevel::kCritical},
}};

LogLevel g_level = LogLevel::kWarning;

// Length of the UTF-8 sequence starting at text[i], or 0 if invalid.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  }
  return n;
}

}  // namespace

void add_log_level_option(CLI::App& app, std::string& level) {
  std::vector<std::string> names;
  for (const auto& [name, value] : kLevels) names.emplace_back(name);
  app.add_option("--log-level", level,
                 "What to show on stderr besides the result: DEBUG adds each file hashed; INFO "
                 "adds files and bytes hashed, the hash backend, each service contacted and how "
                 "long each step took; WARNING (the default) shows warnings; ERROR and CRITICAL "
                 "only the failure line. Case-insensitive.")
      ->check(CLI::IsMember(names, CLI::ignore_case))
      ->type_name("LEVEL")
      ->group("Global options");
}

void start_logging(const std::string& level) {
  for (const auto& [name, value] : kLevels) {
    if (CLI::detail::to_lower(level) == CLI::detail::to_lower(name)) g_level = value;
  }
  set_log_sink(g_level, [](LogLevel severity, std::string_view message) {
    std::string prefix = severity == LogLevel::kWarning ? "Warning" : std::string(to_string(severity));
    terminal::print_line(prefix + ": " + printable(message));
  });
}

void warn(const std::string& message) {
  if (g_level <= LogLevel::kWarning) terminal::print_line("Warning: " + message);
}

void info(const std::string& message) {
  if (g_level <= LogLevel::kInfo) terminal::print_line("INFO: " + message);
}

std::string printable(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = utf8_length(text, i);
    auto c = static_cast<unsigned char>(text[i]);
    if (n == 0 || (n == 1 && (c < 0x20 || c == 0x7f))) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace model_signing::cli
