#include "cli_options.h"

#include "log_output.h"
#include "model_signing/manifest.h"

namespace model_signing::cli {

CLI::Option* repeatable(CLI::Option* option) {
  return option->expected(1)->allow_extra_args(false)->multi_option_policy(
      CLI::MultiOptionPolicy::TakeAll);
}

const CLI::Validator kPositive(
    [](std::string& value) -> std::string {
      bool digits = !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
      if (!digits || value.find_first_not_of('0') == std::string::npos) {
        return "must be a positive whole number, got '" + value + "'";
      }
      return "";
    },
    "POSITIVE");

void add_model_options(CLI::App* app, ModelOptions& options, SignatureFlag signature) {
  app->add_option("MODEL_PATH", options.model_path, "Path to the model (a directory or a file)")
      ->required();
  if (signature == SignatureFlag::kWrite) {
    options.signature = "model.sig";
    app->add_option("--signature", options.signature,
                    "Location of the signature file to generate. Defaults to `model.sig`. An "
                    "existing file inside the model is only replaced if it is a signature.")
        ->type_name("SIGNATURE_PATH");
  } else if (signature == SignatureFlag::kRead) {
    app->add_option("--signature", options.signature, "Location of the signature file to verify.")
        ->type_name("SIGNATURE_PATH")
        ->required();
  }
  const char* group = "Model";
  repeatable(app->add_option("--ignore-paths", options.ignore_paths,
                             "File paths to ignore when signing or verifying (repeatable; "
                             "relative to the current directory; only paths inside the model "
                             "count)."))
      ->type_name("IGNORE_PATHS")
      ->group(group);
  app->add_flag("--ignore-git-paths,!--no-ignore-git-paths", options.ignore_git_paths,
                "Ignore git-related files (.git, .gitattributes, .github, .gitignore) when "
                "signing or verifying. Default: on.")
      ->group(group);
  app->add_flag("--allow-symlinks", options.allow_symlinks,
                "Follow symbolic links to files (hashing the target under the link's name); "
                "otherwise a symbolic link is an error.")
      ->group(group);
  app->add_option("--max-workers", options.max_workers,
                  "Worker threads for hashing (default: one per CPU).")
      ->check(kPositive)
      ->type_name("N")
      ->group(group);
}

void add_hash_options(CLI::App* app, HashOptions& options) {
  std::vector<std::string> hashes;
  for (std::string_view name : hash_algorithm_names()) hashes.emplace_back(name);
  const char* group = "Hashing";
  app->add_option("--hash", options.hash,
                  "Digest of each file or shard: " + CLI::detail::join(hashes, ", ") +
                      " (default: sha256). The Python tool's CLI verifies sha256 only.")
      ->check(CLI::IsMember(hashes))
      ->type_name("ALGORITHM")
      ->group(group);
  app->add_option("--serialization", options.serialization,
                  "files (one digest per file, the default) or shards (one per --shard-size "
                  "bytes of each file). The Python tool's CLI verifies files only.")
      ->check(CLI::IsMember({"files", "shards"}))
      ->type_name("METHOD")
      ->group(group);
  app->add_option("--shard-size", options.shard_size,
                  "Shard size in bytes for --serialization shards (default: 1000000000).")
      ->check(kPositive)
      ->type_name("BYTES")
      ->group(group);
}

std::vector<std::filesystem::path> absolute_paths(const std::vector<std::string>& paths) {
  std::vector<std::filesystem::path> out;
  for (const auto& p : paths) {
    std::error_code ec;
    auto abs = std::filesystem::absolute(p, ec);
    out.push_back(ec ? std::filesystem::path(p) : abs);
  }
  return out;
}

void warn_about_ignore_paths(const ModelOptions& model) {
  std::error_code ec;
  for (const auto& entry : model.ignore_paths) {
    std::filesystem::path absolute = std::filesystem::absolute(entry, ec);
    if (ec) absolute = entry;
    if (path_in_model(model.model_path, absolute)) continue;
    std::string where = absolute.lexically_normal().string();
    bool is_root = std::filesystem::equivalent(model.model_path, absolute, ec);
    warn("--ignore-paths " + printable(entry) +
         (where == entry ? "" : " (" + printable(where) + ")") +
         (is_root ? " is the model itself" : " is not inside the model " + printable(model.model_path)) +
         ": it ignores nothing");
  }
}

HashingConfig hashing_config(const ModelOptions& model, const HashOptions& hash,
                             ProgressReport progress) {
  HashingConfig config;
  config.serialization = parse_serialization(hash.serialization);
  config.hash = parse_hash_algorithm(hash.hash);
  config.shard_size = hash.shard_size;
  config.ignore_paths = absolute_paths(model.ignore_paths);
  config.ignore_git_paths = model.ignore_git_paths;
  config.allow_symlinks = model.allow_symlinks;
  config.max_workers = model.max_workers;
  config.progress_report = std::move(progress);
  return config;
}

}  // namespace model_signing::cli
