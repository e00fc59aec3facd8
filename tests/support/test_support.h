// Helpers every test area shares: temporary directories, writing files,
// running the model_signing CLI, locating ../shared.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <openssl/types.h>
#include <sys/types.h>

namespace model_signing::testing {

// The shared vectors and specs (../shared from the repository root).
std::filesystem::path shared_dir();
std::filesystem::path source_dir();
std::filesystem::path cli_path();

// A fresh directory under $TMPDIR, removed (recursively) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& rel) const { return path_ / rel; }

 private:
  std::filesystem::path path_;
};

// Creates parent directories as needed.
void write_file(const std::filesystem::path& path, const std::string& contents);
std::string read_file(const std::filesystem::path& path);
// Writes a shell script ("#!/bin/sh" then `body`) its owner may run.
void write_script(const std::filesystem::path& path, const std::string& body);
// Copies a directory tree (or file) and makes the copy writable.
void copy_tree(const std::filesystem::path& from, const std::filesystem::path& to);

struct CommandResult {
  int exit_code = -1;  // -1 if killed by a signal or the timeout
  bool timed_out = false;
  std::string out;
  std::string err;
};

// This process's environment with `extra_env` ("NAME=value") added; an
// entry there replaces a variable of the same name, and a bare "NAME"
// removes it.
std::vector<std::string> merged_environment(const std::vector<std::string>& extra_env);

// A started child whose stdin, stdout and stderr are pipes held by the parent.
struct SpawnedProcess {
  pid_t pid = -1;
  int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1;
};

// Starts argv[0] (looked up on PATH when it has no '/') with argv, the merged
// environment and, if given, working directory `cwd`.
SpawnedProcess spawn_process(const std::vector<std::string>& argv,
                             const std::vector<std::string>& extra_env,
                             const std::filesystem::path& cwd);

// Runs `program` with `args` (no shell), optional stdin text and extra
// environment ("NAME=value", see merged_environment), killing it after
// `timeout`.
CommandResult run_command(const std::string& program, const std::vector<std::string>& args,
                          const std::string& stdin_text = "",
                          const std::vector<std::string>& extra_env = {},
                          std::chrono::seconds timeout = std::chrono::seconds(120),
                          const std::filesystem::path& cwd = {});

// Runs the model_signing CLI.
CommandResult run_cli(const std::vector<std::string>& args,
                      const std::vector<std::string>& extra_env = {},
                      const std::filesystem::path& cwd = {});

// Generates an EC private key PEM for a curve ("P-256", "P-384", "P-521")
// and writes it (and the public key PEM) to the given paths.
void generate_ec_key(const std::string& curve, const std::filesystem::path& private_pem,
                     const std::filesystem::path& public_pem);

// Writes `key` as an unencrypted private key PEM and, unless `public_pem` is
// empty, its public key PEM.
void write_pem_key(EVP_PKEY* key, const std::filesystem::path& private_pem,
                   const std::filesystem::path& public_pem);

}  // namespace model_signing::testing
