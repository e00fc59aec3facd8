// The README's Usage block matches the real CLI: every `model_signing ...`
// line names a command that exists, and every flag it shows is in that
// command's --help.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "support/test_support.h"

namespace model_signing::testing {
namespace {

// The lines of the first ```sh block after "## Usage", continuations joined.
std::vector<std::string> usage_commands() {
  std::string readme = read_file(source_dir() / "README.md");
  auto section = readme.find("\n## Usage");
  if (section == std::string::npos) return {};
  auto start = readme.find("```sh\n", section);
  auto end = readme.find("\n```", start + 6);
  if (start == std::string::npos || end == std::string::npos) return {};
  std::istringstream block(readme.substr(start + 6, end - start - 6));
  std::vector<std::string> commands;
  std::string line, joined;
  while (std::getline(block, line)) {
    if (!joined.empty()) {
      joined += " " + line;
    } else if (line.rfind("model_signing ", 0) == 0) {
      joined = line;
    } else {
      continue;
    }
    if (!joined.empty() && joined.back() == '\\') {
      joined.pop_back();
      continue;
    }
    commands.push_back(joined);
    joined.clear();
  }
  return commands;
}

TEST(ReadmeUsage, EveryCommandAndFlagExists) {
  std::vector<std::string> commands = usage_commands();
  ASSERT_GE(commands.size(), 8u) << "README Usage block not found or shorter than expected";
  const std::regex flag(R"(--[a-z][a-z0-9-]*)");
  for (const auto& command : commands) {
    // The command words: what follows model_signing up to MODEL or a path.
    std::istringstream words(command.substr(std::string("model_signing ").size()));
    std::vector<std::string> args;
    std::string word;
    while (words >> word) {
      if (word == "MODEL" || word.find('.') != std::string::npos || word[0] == '-' || word[0] == '[') break;
      args.push_back(word);
    }
    ASSERT_FALSE(args.empty()) << command;
    if (args.size() == 1 && (args[0] == "sign" || args[0] == "verify")) args.push_back("sigstore");
    args.push_back("--help");
    CommandResult help = run_cli(args);
    ASSERT_EQ(help.exit_code, 0) << command << "\n" << help.err;
    for (std::sregex_iterator it(command.begin(), command.end(), flag), e; it != e; ++it) {
      EXPECT_NE(help.out.find(it->str()), std::string::npos)
          << it->str() << " from README line `" << command << "` is not in its --help";
    }
  }
}

}  // namespace
}  // namespace model_signing::testing
