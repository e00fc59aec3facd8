// Help text, as the Python tool lays it out: `Usage:` first, the command's
// summary and paragraph, its subcommands, then its options one line each
// (a boolean flag's negative form on the same line), grouped under
// headings, global options last.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

namespace model_signing::cli {

// Set on the top-level app before any subcommand is added (subcommands
// inherit it).
std::shared_ptr<CLI::FormatterBase> make_help_formatter();

// The paragraph under a command's summary line in its --help. Paragraphs
// are separated by blank lines ("\n\n").
void set_help_paragraph(const CLI::App* app, std::string paragraph);

// "model_signing sign key": the command's name as typed.
std::string command_path(const CLI::App* app);

}  // namespace model_signing::cli
