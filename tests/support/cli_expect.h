// Assertions about how the CLI ends: the project's rule is that every
// user-caused failure is one line on stderr and a non-zero exit, never a
// crash or a hang.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "support/test_support.h"

namespace model_signing::testing {

// Exit code `code`, nothing on stdout, exactly one line on stderr (which
// contains `needle` when given), no timeout.
::testing::AssertionResult one_line_failure(const CommandResult& result, int code = 1,
                                            const std::string& needle = "");

// Exit 0, `expected_stdout` on stdout (when given).
::testing::AssertionResult succeeded(const CommandResult& result,
                                     const std::string& expected_stdout = "");

}  // namespace model_signing::testing
