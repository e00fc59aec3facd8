#include <cstdio>
#include <memory>

#include "cli_options.h"
#include "commands.h"
#include "digest_sources.h"
#include "help.h"
#include "log_output.h"
#include "model_signing/hashing.h"
#include "output.h"
#include "progress_bar.h"

namespace model_signing::cli {

namespace {

struct DigestOptions {
  ModelOptions model;
  HashOptions hash;
  OutputOptions output;
  DigestSourceOptions sources;
};

int run_digest(const DigestOptions& options) {
  Json report = new_report("digest");
  report["model"] = options.model.model_path;
  try {
    warn_about_ignore_paths(options.model);
    ProgressBar progress("Hashing", !options.output.quiet);
    HashingConfig config = hashing_config(options.model, options.hash, progress.callback());
    HashingStats stats;
    config.stats = &stats;
    std::vector<std::string> warnings;
    config.warning = [&warnings](const std::string& line) {
      warnings.push_back(line);
      warn(line);
    };
    Manifest manifest = digest_from_sources(options.sources, options.model, config);
    progress.finish();
    if (options.output.json()) {
      add_hashing(report, manifest, stats);
      report["warnings"] = warnings;
      print_report(report);
    } else {
      std::printf("sha256:%s\n", digest_hex(manifest.root_digest()).c_str());
    }
    return 0;
  } catch (const std::exception& e) {
    return report_failure("Hashing", e, options.output, std::move(report));
  }
}

}  // namespace

void add_digest_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<DigestOptions>();
  CLI::App* cmd = app.add_subcommand("digest", "Print the root digest of a model.");
  set_help_paragraph(
      cmd,
      "Hashes the model at MODEL_PATH (a directory or a single file) and prints its root "
      "digest as sha256:<hex>: SHA-256 over the digests of its files (or shards) in the "
      "order a signature lists them. This is the digest the in-toto statement of a "
      "signature names as its subject, so it identifies the model a signature commits to "
      "without signing anything.\n\n"
      "Files in IGNORE_PATHS, and git files unless --no-ignore-git-paths, are left out, as "
      "when signing. --hash, --serialization and --shard-size change the file digests (the "
      "root digest is SHA-256 whatever they are); give the values a signature was made with "
      "to reproduce its subject digest.");
  add_model_options(cmd, options->model, SignatureFlag::kNone);
  add_hash_options(cmd, options->hash);
  add_digest_source_options(cmd, options->sources);
  add_output_options(cmd, options->output);
  cmd->callback([options, &action] { action = [options] { return run_digest(*options); }; });
}

}  // namespace model_signing::cli
