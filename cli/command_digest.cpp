#include <cstdio>
#include <memory>

#include "cli_options.h"
#include "commands.h"
#include "digest_sources.h"
#include "model_signing/hashing.h"
#include "progress_bar.h"

namespace model_signing::cli {

void add_digest_command(CLI::App& app, int& exit_code) {
  struct Options {
    ModelOptions model;
    HashOptions hash;
    DigestSourceOptions sources;
  };
  auto options = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("digest", "Print the root digest of a model (sha256:<hex>).");
  add_model_options(cmd, options->model, SignatureFlag::kNone);
  add_hash_options(cmd, options->hash);
  add_digest_source_options(cmd, options->sources);
  cmd->callback([options, &exit_code] {
    try {
      ProgressBar progress("Hashing");
      HashingConfig config = hashing_config(options->model, options->hash, progress.callback());
      Manifest manifest = digest_from_sources(options->sources, options->model, config);
      progress.finish();
      std::printf("sha256:%s\n", digest_hex(manifest.root_digest()).c_str());
      exit_code = 0;
    } catch (const std::exception& e) {
      exit_code = report_failure("Hashing", e);
    }
  });
}

}  // namespace model_signing::cli
