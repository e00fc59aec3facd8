#include "cli_options.h"

#include <cstdio>
#include <iostream>

#include "model_signing/manifest.h"

namespace model_signing::cli {

std::string names(std::string_view hyphenated) {
  std::string result(hyphenated);
  std::string underscored(hyphenated);
  for (std::size_t i = 2; i < underscored.size(); ++i) {
    if (underscored[i] == '-') underscored[i] = '_';
  }
  if (underscored != result) result += "," + underscored;
  return result;
}

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
                    "Location of the signature file to generate. Defaults to `model.sig`.")
        ->type_name("SIGNATURE_PATH")
        ->capture_default_str();
  } else if (signature == SignatureFlag::kRead) {
    app->add_option("--signature", options.signature, "Location of the signature file to verify.")
        ->type_name("SIGNATURE_PATH")
        ->required();
  }
  repeatable(app->add_option(names("--ignore-paths"), options.ignore_paths,
                             "File paths to ignore when signing or verifying (repeatable)."))
      ->type_name("IGNORE_PATHS");
  app->add_flag("--ignore-git-paths,--ignore_git_paths,!--no-ignore-git-paths,!--no_ignore_git_paths",
                options.ignore_git_paths,
                "Ignore git-related files when signing or verifying (default: on).");
  app->add_flag(names("--allow-symlinks"), options.allow_symlinks,
                "Follow symbolic links to files (hashing the target under the link's name).");
  app->add_option(names("--max-workers"), options.max_workers,
                  "Worker threads for hashing (default: one per CPU).")
      ->check(kPositive);
}

void add_hash_options(CLI::App* app, HashOptions& options) {
  std::vector<std::string> hashes;
  for (std::string_view name : hash_algorithm_names()) hashes.emplace_back(name);
  app->add_option("--hash", options.hash, "Hash algorithm: " + CLI::detail::join(hashes, ", "))
      ->check(CLI::IsMember(hashes))
      ->capture_default_str();
  app->add_option("--serialization", options.serialization,
                  "Serialization: files (one digest per file) or shards")
      ->check(CLI::IsMember({"files", "shards"}))
      ->capture_default_str();
  app->add_option(names("--shard-size"), options.shard_size,
                  "Shard size in bytes for --serialization shards")
      ->check(kPositive)
      ->capture_default_str();
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

HashingConfig hashing_config(const ModelOptions& model, const HashOptions& hash,
                             ProgressCallback progress) {
  HashingConfig config;
  config.serialization = parse_serialization(hash.serialization);
  config.hash = parse_hash_algorithm(hash.hash);
  config.shard_size = hash.shard_size;
  config.ignore_paths = absolute_paths(model.ignore_paths);
  config.ignore_git_paths = model.ignore_git_paths;
  config.allow_symlinks = model.allow_symlinks;
  config.max_workers = model.max_workers;
  config.progress = std::move(progress);
  config.warning = [](const std::string& warning) { std::fprintf(stderr, "Warning: %s\n", warning.c_str()); };
  return config;
}

int report_failure(const char* action, const std::exception& error) {
  std::string message = error.what();
  // One line, whatever the library or OpenSSL put in the message.
  for (char& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  std::fprintf(stderr, "%s failed with error: %s\n", action, message.c_str());
  return 1;
}

}  // namespace model_signing::cli
