// --log-level and everything the CLI prints on stderr besides the failure
// line: library log messages and warnings, all through terminal.h so they
// never garble the progress bar.
//
// What each level shows (the library's log.h):
//   DEBUG    + each file hashed (name, size, digest), HTTP retries
//   INFO     + files and bytes hashed and the throughput, the hash backend,
//              each service contacted (method, URL, status, time), the
//              signing and verification steps and their timings
//   WARNING  warnings (legacy signature formats, ignore paths that ignore
//            nothing, ...): the default
//   ERROR, CRITICAL  only the result: the failure line, or the output
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <string_view>

namespace model_signing::cli {

// Adds --log-level to the top-level command (it may be given before or
// after the subcommand).
void add_log_level_option(CLI::App& app, std::string& level);

// Routes the library's messages at `level` ("DEBUG" ... "CRITICAL", any
// case) and above to stderr, and sets what warn() prints.
void start_logging(const std::string& level);

// "Warning: <message>" on stderr, unless --log-level is above WARNING.
void warn(const std::string& message);
// "INFO: <message>" at --log-level INFO or DEBUG.
void info(const std::string& message);

// `text` with control characters and invalid UTF-8 escaped (\x0a), for
// user-supplied names in messages.
std::string printable(std::string_view text);

}  // namespace model_signing::cli
