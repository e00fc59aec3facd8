// model_signing_conformance: the Sigstore client conformance CLI protocol
// (specs/sigstore/conformance-cli-protocol.md). Exit 0 on success, 1 when
// signing or verification fails, 2 on a usage error.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"Sigstore conformance entrypoint for model_signing."};
  app.name("model_signing_conformance");
  app.require_subcommand(1);
  int exit_code = 1;
  model_signing::conformance::add_sign_bundle_command(app, exit_code);
  model_signing::conformance::add_verify_bundle_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "Error: %s (see --help)\n", e.what());
    return 2;
  }
  return exit_code;
}
