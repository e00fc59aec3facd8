// The one way tests check a model_signing::Error: its kind and a piece of
// its message.
//
//   EXPECT_TRUE(expect_error([&] { parse(text); }, ErrorKind::kInvalidArgument, "missing field"));
//   std::string message = error_message([&] { verify(bundle); });  // "" if nothing was thrown
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <string_view>

#include "model_signing/error.h"

namespace model_signing::testing {

// Success when `fn` throws a model_signing::Error of `kind` whose message
// contains `substring`; otherwise a failure saying what happened instead.
// `message`, when given, receives the error's message (for further checks
// without running `fn` again).
::testing::AssertionResult expect_error(const std::function<void()>& fn, ErrorKind kind,
                                        std::string_view substring = {},
                                        std::string* message = nullptr);

// The message of the model_signing::Error `fn` throws; "" if it throws none.
std::string error_message(const std::function<void()>& fn);

}  // namespace model_signing::testing
