// Adding context to errors on their way out: "transparency log entry 0: ...",
// "invalid trust config F: ...". The one helper for "rethrow with a prefix".
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "model_signing/error.h"

namespace model_signing::util {

struct ErrorContext {
  std::string prefix;                // put in front of the message, with ": "
  std::optional<ErrorKind> as;       // rethrow as this kind (default: the error's own)
  std::optional<ErrorKind> keep;     // errors of this kind pass through untouched
};

// Runs `fn`; a model_signing::Error it throws comes out with the context.
template <typename Fn>
auto with_error_context(const ErrorContext& context, Fn&& fn) -> decltype(fn()) {
  try {
    return std::forward<Fn>(fn)();
  } catch (const Error& e) {
    if (context.keep && e.kind() == *context.keep) throw;
    throw Error(context.as.value_or(e.kind()), context.prefix + ": " + e.what(), e.remedy());
  }
}

// The common case: same kind, a prefix.
template <typename Fn>
auto with_error_prefix(const std::string& prefix, Fn&& fn) -> decltype(fn()) {
  return with_error_context({prefix, std::nullopt, std::nullopt}, std::forward<Fn>(fn));
}

}  // namespace model_signing::util
