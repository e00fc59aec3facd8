// Flag groups shared by the commands, spelled as the Python model_signing
// tool spells them. Underscore spellings (--private_key) are accepted for
// every flag because command_line.cpp normalizes them before parsing, so
// each flag is defined once, with hyphens.
//
// Adding a flag group (say, --tuf-url and --offline for Sigstore):
//   1. a struct holding the values and an add_<group>_options(CLI::App*, T&)
//      here (or in the file of the one command that uses it), giving the
//      options a help group name: ->group("Sigstore");
//   2. call it where the commands are built (add_sign_method,
//      add_verify_method, the digest or inspect command, or one method);
//   3. read the struct in the command's callback; list the flags in the
//      README's Usage tables (a test checks that they exist).
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "model_signing/hashing.h"

namespace model_signing::cli {

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

// Warns on stderr about --ignore-paths entries that name nothing inside the
// model (they exclude nothing), naming each.
void warn_about_ignore_paths(const ModelOptions& model);

HashingConfig hashing_config(const ModelOptions& model, const HashOptions& hash,
                             ProgressReport progress);

}  // namespace model_signing::cli
