// The command line before CLI11 parses it. Python's CLI (click) normalizes
// option names (`--private_key` is `--private-key`), lets `sign`/`verify`
// default to the sigstore method, and names an unknown option before
// anything else. This does the same, so that CLI11 sees hyphenated names
// and only has required options and values left to check:
//
//   - `--name_with_underscores[=value]` becomes `--name-with-underscores`
//     (values are never touched);
//   - `sign|verify WORD` where WORD is not a method inserts `sigstore`;
//   - an unknown option, command or method is a UsageError naming the
//     closest valid spelling; an option that belongs to another method of
//     `sign`/`verify` when none was named suggests the command with it.
#pragma once

#include <CLI/CLI.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace model_signing::cli {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PreparedCommandLine {
  std::vector<std::string> args;  // for CLI11, in order
  const CLI::App* command = nullptr;  // the deepest command named
};

// Throws UsageError (its message one line, without "Error: ").
PreparedCommandLine prepare_command_line(const CLI::App& app, const std::vector<std::string>& args);

}  // namespace model_signing::cli
