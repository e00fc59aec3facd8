// stderr, shared by the progress bar, log messages and warnings: a line
// printed while the bar is drawn clears the bar first (it is redrawn on its
// next update), and Ctrl-C (SIGINT) or SIGTERM clears a drawn bar before
// the process ends, so the shell prompt starts on a clean line.
#pragma once

#include <string>

namespace model_signing::cli::terminal {

// Installs the SIGINT/SIGTERM handlers; call once at start-up.
void install_signal_handlers();

// Prints `line` and a newline on stderr.
void print_line(const std::string& line);

// The progress bar's side: draws `bar` over the current line (no newline),
// and clears it. Thread-safe with print_line().
void draw_bar(const std::string& bar);
void clear_bar();

}  // namespace model_signing::cli::terminal
