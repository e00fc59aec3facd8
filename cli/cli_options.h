// Options shared by the digest, sign and verify commands, spelled as the
// Python model_signing tool spells them (hyphens, with underscore aliases).
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <exception>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "model_signing/hashing.h"

namespace model_signing::cli {

// "--private-key" -> "--private-key,--private_key".
std::string names(std::string_view hyphenated);

// One value per occurrence, repeatable (`--ignore-paths a --ignore-paths b`),
// as click's multiple=True: a following positional is never swallowed.
CLI::Option* repeatable(CLI::Option* option);

// Rejects 0 and non-numbers with a readable message.
extern const CLI::Validator kPositive;

struct ModelOptions {
  std::string model_path;
  std::string signature;
  std::vector<std::string> ignore_paths;
  bool ignore_git_paths = true;
  bool allow_symlinks = false;
  unsigned max_workers = 0;
};

// Our additions to the Python tool's flags, on sign and digest.
struct HashOptions {
  std::string hash = "sha256";
  std::string serialization = "files";
  std::uint64_t shard_size = kDefaultShardSize;
};

enum class SignatureFlag { kNone, kWrite, kRead };

void add_model_options(CLI::App* app, ModelOptions& options, SignatureFlag signature);
void add_hash_options(CLI::App* app, HashOptions& options);

// Ignore paths are resolved against the current directory, as upstream does.
std::vector<std::filesystem::path> absolute_paths(const std::vector<std::string>& paths);

HashingConfig hashing_config(const ModelOptions& model, const HashOptions& hash,
                             ProgressCallback progress);

// Prints "<Action> failed with error: <message>" on stderr; returns 1.
int report_failure(const char* action, const std::exception& error);

}  // namespace model_signing::cli
