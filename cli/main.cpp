// model_signing: sign and verify machine learning models.
//
// A thin shell over the library: parse flags, build a config, call the
// library, print. Exit codes: 0 success, 1 signing/verification failure,
// 2 usage error (as the Python tool's click-based CLI).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "commands.h"
#include "model_signing/version.h"

namespace {

// `sign MODEL ...` means `sign sigstore MODEL ...`, as in the Python tool:
// a first word that is not one of the command's methods selects sigstore.
std::vector<std::string> with_default_method(const CLI::App& app, int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() >= 2 && (args[0] == "sign" || args[0] == "verify")) {
    const std::string& word = args[1];
    bool is_method = false;
    for (const CLI::App* method : app.get_subcommand(args[0])->get_subcommands({})) {
      if (method->get_name() == word) is_method = true;
    }
    bool is_help = word == "-h" || word == "--help";
    if (!is_method && !is_help) args.insert(args.begin() + 1, "sigstore");
  }
  return args;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ML model signing and verification."};
  app.name("model_signing");
  app.set_version_flag("--version", model_signing::kVersion);
  app.require_subcommand(1);
  app.footer("Use each subcommand's --help option for details on each mode.");

  int exit_code = 1;
  model_signing::cli::add_digest_command(app, exit_code);
  model_signing::cli::add_sign_command(app, exit_code);
  model_signing::cli::add_verify_command(app, exit_code);

  std::vector<std::string> args = with_default_method(app, argc, argv);
  std::reverse(args.begin(), args.end());  // CLI11 takes them in reverse order
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "Error: %s (see --help)\n", e.what());
    return 2;
  }
  return exit_code;
}
