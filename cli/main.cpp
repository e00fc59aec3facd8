// model_signing: sign and verify machine learning models.
//
// A thin shell over the library: parse flags, build a config, call the
// library, print. Exit codes: 0 success, 1 signing/verification failure,
// 2 usage error (as the Python tool's click-based CLI).
#include <CLI/CLI.hpp>
#include <openssl/crypto.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "command_line.h"
#include "commands.h"
#include "help.h"
#include "log_output.h"
#include "model_signing/version.h"
#include "terminal.h"

int main(int argc, char** argv) {
  using namespace model_signing::cli;
  // OpenSSL frees its tables at exit unless told not to; the kernel frees a
  // process's memory anyway, and the CLI starts and exits on every model
  // load. This only registers that choice: OpenSSL itself initializes (and
  // reads its configuration) on first use, as before.
  OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr);
  CLI::App app{"ML model signing and verification."};
  app.name("model_signing");
  app.formatter(make_help_formatter());
  app.fallthrough();  // --log-level may follow the command
  app.set_version_flag("--version", model_signing::kVersion)->group("Global options");
  set_help_paragraph(
      &app,
      "Signs models (a directory or a single file, in any format) with Sigstore, a key, a "
      "certificate or a key in a PKCS #11 token, and verifies them: that the signature is "
      "valid, made by the expected signer, and that no file was added, removed or changed "
      "since. Signatures are those of the Python model_signing tool and of the OpenSSF "
      "Model Signing (OMS) specification.\n\n"
      "Exit codes: 0 success, 1 failure (one line on stderr), 2 usage error. Use each "
      "command's --help for details.");
  app.footer("Check https://sigstore.github.io/model-transparency for the signature format.");
  std::string log_level = "WARNING";
  add_log_level_option(app, log_level);

  Action action;
  add_digest_command(app, action);
  add_sign_command(app, action);
  add_verify_command(app, action);
  add_inspect_command(app, action);

  std::vector<std::string> args(argv + 1, argv + argc);
  const CLI::App* command = &app;
  try {
    PreparedCommandLine prepared = prepare_command_line(app, args);
    command = prepared.command;
    args = std::move(prepared.args);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "Error: %s\n", e.what());
    return 2;
  }
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
    std::fprintf(stderr, "Error: %s (see `%s --help`)\n", e.what(), command_path(command).c_str());
    return 2;
  }
  if (!action) {
    std::fprintf(stderr, "Error: no command to run (see `model_signing --help`)\n");
    return 2;
  }
  start_logging(log_level);
  terminal::install_signal_handlers();
  return action();
}
