#include "support/expect_error.h"

namespace model_signing::testing {

::testing::AssertionResult expect_error(const std::function<void()>& fn, ErrorKind kind,
                                        std::string_view substring, std::string* message_out) {
  if (message_out) message_out->clear();
  try {
    fn();
  } catch (const Error& e) {
    std::string message = e.what();
    if (message_out) *message_out = message;
    if (e.kind() != kind) {
      return ::testing::AssertionFailure() << "expected a " << to_string(kind) << " error, got a "
                                           << to_string(e.kind()) << " error: " << message;
    }
    if (message.find(substring) == std::string::npos) {
      return ::testing::AssertionFailure() << "the error lacks '" << substring << "': " << message;
    }
    return ::testing::AssertionSuccess() << message;
  }
  return ::testing::AssertionFailure() << "no error was thrown (expected a " << to_string(kind)
                                       << " error)";
}

std::string error_message(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace model_signing::testing
