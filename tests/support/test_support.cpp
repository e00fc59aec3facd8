#include "support/test_support.h"

#include <fcntl.h>
#include <unistd.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "sigstore/oidc/subprocess.h"

extern char** environ;

namespace model_signing::testing {

std::filesystem::path shared_dir() { return MS_SHARED_DIR; }
std::filesystem::path source_dir() { return MS_SOURCE_DIR; }
std::filesystem::path cli_path() { return MS_CLI_PATH; }

TempDir::TempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::filesystem::path base = tmp && *tmp ? tmp : "/tmp";
  std::string pattern = (base / "ms-test-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  // Restore permissions tests may have removed, then delete.
  for (auto it = std::filesystem::recursive_directory_iterator(
           path_, std::filesystem::directory_options::skip_permission_denied, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) {
      std::filesystem::permissions(it->path(), std::filesystem::perms::owner_all,
                                   std::filesystem::perm_options::add, ec);
    }
  }
  std::filesystem::remove_all(path_, ec);
}

void write_file(const std::filesystem::path& path, const std::string& contents) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

void write_script(const std::filesystem::path& path, const std::string& body) {
  write_file(path, "#!/bin/sh\n" + body);
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void copy_tree(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::filesystem::copy(from, to,
                        std::filesystem::copy_options::recursive |
                            std::filesystem::copy_options::copy_symlinks);
  std::error_code ec;
  std::filesystem::permissions(to, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::add, ec);
  if (std::filesystem::is_directory(to)) {
    for (auto& entry : std::filesystem::recursive_directory_iterator(to)) {
      if (!entry.is_symlink()) {
        std::filesystem::permissions(entry.path(), std::filesystem::perms::owner_read |
                                                       std::filesystem::perms::owner_write,
                                     std::filesystem::perm_options::add, ec);
      }
    }
  }
}

std::vector<std::string> merged_environment(const std::vector<std::string>& extra_env) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string entry = *e;
    std::string name = entry.substr(0, entry.find('='));
    bool replaced = std::any_of(extra_env.begin(), extra_env.end(), [&](const std::string& x) {
      return x.compare(0, name.size(), name) == 0 &&
             (x.size() == name.size() || x[name.size()] == '=');
    });
    if (!replaced) env.push_back(std::move(entry));
  }
  for (const std::string& x : extra_env) {
    if (x.find('=') != std::string::npos) env.push_back(x);
  }
  return env;
}

SpawnedProcess spawn_process(const std::vector<std::string>& argv,
                             const std::vector<std::string>& extra_env,
                             const std::filesystem::path& cwd) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) || ::pipe2(out_pipe, O_CLOEXEC) || ::pipe2(err_pipe, O_CLOEXEC)) {
    throw std::runtime_error("pipe failed");
  }
  std::vector<std::string> env_strings = merged_environment(extra_env);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_strings = argv;
  std::vector<char*> argp;
  for (auto& a : argv_strings) argp.push_back(a.data());
  argp.push_back(nullptr);

  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(in_pipe[0], 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(126);
    ::execvpe(argp[0], argp.data(), envp.data());
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  return SpawnedProcess{pid, in_pipe[1], out_pipe[0], err_pipe[0]};
}

CommandResult run_command(const std::string& program, const std::vector<std::string>& args,
                          const std::string& stdin_text, const std::vector<std::string>& extra_env,
                          std::chrono::seconds timeout, const std::filesystem::path& cwd) {
  std::vector<std::string> argv{program};
  argv.insert(argv.end(), args.begin(), args.end());
  SpawnedProcess child = spawn_process(argv, extra_env, cwd);
  // Small inputs fit in the pipe buffer; larger ones are not needed here.
  if (!stdin_text.empty()) {
    ssize_t ignored = ::write(child.stdin_fd, stdin_text.data(), stdin_text.size());
    (void)ignored;
  }
  ::close(child.stdin_fd);

  sigstore::ProgramOutput output =
      sigstore::collect_program_output(child.pid, child.stdout_fd, child.stderr_fd,
                                   std::chrono::steady_clock::now() + timeout, SIZE_MAX);
  return CommandResult{output.exit_code, output.timed_out, std::move(output.out),
                       std::move(output.err)};
}

CommandResult run_cli(const std::vector<std::string>& args, const std::vector<std::string>& extra_env,
                      const std::filesystem::path& cwd) {
  return run_command(cli_path().string(), args, "", extra_env, std::chrono::seconds(300), cwd);
}

void write_pem_key(EVP_PKEY* key, const std::filesystem::path& private_pem,
                   const std::filesystem::path& public_pem) {
  BIO* priv = BIO_new(BIO_s_mem());
  BIO* pub = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(priv, key, nullptr, nullptr, 0, nullptr, nullptr);
  PEM_write_bio_PUBKEY(pub, key);
  auto bio_string = [](BIO* bio) {
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(len));
  };
  write_file(private_pem, bio_string(priv));
  if (!public_pem.empty()) write_file(public_pem, bio_string(pub));
  BIO_free(priv);
  BIO_free(pub);
}

void generate_ec_key(const std::string& curve, const std::filesystem::path& private_pem,
                     const std::filesystem::path& public_pem) {
  EVP_PKEY* key = EVP_EC_gen(curve.c_str());
  if (!key) throw std::runtime_error("EVP_EC_gen failed for " + curve);
  write_pem_key(key, private_pem, public_pem);
  EVP_PKEY_free(key);
}

}  // namespace model_signing::testing
