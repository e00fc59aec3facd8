#include "http_options.h"

#include <algorithm>
#include <cstdlib>
#include <string>

#include "model_signing/error.h"

namespace model_signing::cli {

namespace {

// A whole number from the environment, or `fallback` when unset.
long env_number(const char* name, long fallback, long min, long max) {
  const char* text = std::getenv(name);
  if (!text || !*text) return fallback;
  char* end = nullptr;
  long value = std::strtol(text, &end, 10);
  if (*end != '\0' || value < min || value > max) {
    throw Error(ErrorKind::kInvalidArgument, std::string(name) + " must be a whole number from " +
                                                 std::to_string(min) + " to " +
                                                 std::to_string(max) + ", not '" + text + "'");
  }
  return value;
}

}  // namespace

HttpOptions http_options() {
  HttpOptions http;
  http.timeout = std::chrono::seconds(env_number("MODEL_SIGNING_HTTP_TIMEOUT", 60, 1, 3600));
  http.connect_timeout = std::min<std::chrono::milliseconds>(http.connect_timeout, http.timeout);
  http.max_attempts = static_cast<int>(env_number("MODEL_SIGNING_HTTP_ATTEMPTS", 3, 1, 10));
  return http;
}

}  // namespace model_signing::cli
