#include "support/cli_expect.h"

#include <algorithm>

namespace model_signing::testing {

namespace {

std::string describe(const CommandResult& r) {
  return "exit " + std::to_string(r.exit_code) + (r.timed_out ? " (timed out)" : "") +
         "\n--- stdout ---\n" + r.out + "--- stderr ---\n" + r.err;
}

}  // namespace

::testing::AssertionResult one_line_failure(const CommandResult& result, int code,
                                            const std::string& needle) {
  if (result.timed_out) return ::testing::AssertionFailure() << "timed out: " << describe(result);
  if (result.exit_code != code) {
    return ::testing::AssertionFailure() << "expected exit " << code << ", got " << describe(result);
  }
  if (!result.out.empty()) return ::testing::AssertionFailure() << "stdout not empty: " << describe(result);
  if (result.err.empty() || result.err.back() != '\n' ||
      std::count(result.err.begin(), result.err.end(), '\n') != 1) {
    return ::testing::AssertionFailure() << "stderr is not exactly one line: " << describe(result);
  }
  if (!needle.empty() && result.err.find(needle) == std::string::npos) {
    return ::testing::AssertionFailure() << "stderr lacks '" << needle << "': " << describe(result);
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult succeeded(const CommandResult& result, const std::string& expected_stdout) {
  if (result.timed_out || result.exit_code != 0) {
    return ::testing::AssertionFailure() << "expected success, got " << describe(result);
  }
  if (!expected_stdout.empty() && result.out != expected_stdout) {
    return ::testing::AssertionFailure() << "unexpected stdout: " << describe(result);
  }
  return ::testing::AssertionSuccess();
}

}  // namespace model_signing::testing
