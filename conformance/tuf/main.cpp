// tuf_conformance_client: the TUF conformance suite's client-under-test CLI.
//
//   tuf_conformance_client --metadata-dir DIR init ROOT_JSON
//   tuf_conformance_client --metadata-dir DIR --metadata-url URL refresh
//   tuf_conformance_client --metadata-dir DIR --metadata-url URL
//       --target-name PATH [--target-name PATH]... --target-base-url URL
//       --target-dir DIR download
//
// Exit 0 on complete success, 1 on any failure (with one line on stderr).
// Metadata is kept in DIR under unversioned names; a target is stored in
// the target directory under its percent-encoded path, and is not
// downloaded again while the stored copy matches the metadata.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "model_signing/tuf.h"
#include "sigstore/oidc/loopback_listener.h"  // url_encode
#include "util/file_io.h"

namespace {

namespace tuf = model_signing::tuf;

struct Arguments {
  std::string metadata_dir;
  std::string metadata_url;
  std::vector<std::string> target_names;
  std::string target_base_url;
  std::string target_dir;
  std::string trusted_root;
};

tuf::UpdaterOptions updater_options(const Arguments& args) {
  tuf::UpdaterOptions options;
  options.metadata_dir = args.metadata_dir;
  options.metadata_url = args.metadata_url;
  options.target_base_url = args.target_base_url;
  // The suite's server answers one request at a time: fail fast rather
  // than retry against it.
  options.http.timeout = std::chrono::seconds(30);
  options.http.max_attempts = 1;
  return options;
}

int init(const Arguments& args) {
  tuf::initialize_metadata_dir(args.metadata_dir, model_signing::util::read_file(args.trusted_root));
  return 0;
}

int refresh(const Arguments& args) {
  tuf::Updater updater(updater_options(args));
  updater.refresh();
  return 0;
}

int download(const Arguments& args) {
  tuf::Updater updater(updater_options(args));
  updater.refresh();
  for (const auto& name : args.target_names) {
    auto info = updater.get_target_info(name);
    if (!info) {
      std::fprintf(stderr, "Error: TUF target %s: no trusted targets role lists it\n", name.c_str());
      return 1;
    }
    std::filesystem::path file =
        std::filesystem::path(args.target_dir) / model_signing::sigstore::url_encode(name);
    if (updater.is_cached(*info, file)) continue;
    updater.download_target(*info, file);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Arguments args;
  CLI::App app{"TUF conformance client for model_signing's TUF updater."};
  app.name("tuf_conformance_client");
  app.add_option("--metadata-dir", args.metadata_dir, "Trusted local metadata directory")->required();
  app.add_option("--metadata-url", args.metadata_url, "Base URL of the repository's metadata");
  app.add_option("--target-name", args.target_names, "Target path to download (repeatable)");
  app.add_option("--target-base-url", args.target_base_url, "Base URL of the repository's targets");
  app.add_option("--target-dir", args.target_dir, "Directory for downloaded targets");
  app.require_subcommand(1);
  auto* init_cmd = app.add_subcommand("init", "Trust ROOT_JSON as the initial root (no network)");
  init_cmd->add_option("root", args.trusted_root, "Initial trusted root.json")->required();
  auto* refresh_cmd = app.add_subcommand("refresh", "Update the metadata from the repository");
  auto* download_cmd = app.add_subcommand("download", "Refresh, then download and verify targets");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "Error: %s (see --help)\n", e.what());
    return 1;
  }
  try {
    if (init_cmd->parsed()) return init(args);
    if (args.metadata_url.empty()) throw CLI::RequiredError("--metadata-url");
    if (refresh_cmd->parsed()) return refresh(args);
    if (download_cmd->parsed()) {
      if (args.target_names.empty() || args.target_base_url.empty() || args.target_dir.empty()) {
        throw CLI::RequiredError("--target-name, --target-base-url and --target-dir");
      }
      return download(args);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "Error: %s\n", e.what());
  }
  return 1;
}
