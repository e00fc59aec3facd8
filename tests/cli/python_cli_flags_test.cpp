// Every option of the Python model_signing CLI, in the spellings of its
// v1.1.x releases and of its main branch, is accepted here with the same
// meaning: scripts written for it run unchanged.
//
// The list below is the Python tool's documented command line (its
// `--help` and `_cli.py`): v1.1.x spells most options with underscores
// (`--private_key`) and a few with hyphens (`--ignore-paths`,
// `--ignore-git-paths/--no-ignore-git-paths`, `--log-level`,
// `--no-ignore_unsigned_files`); main spells all with hyphens and
// normalizes underscores, and adds `digest` and `--module-paths`.
#include <gtest/gtest.h>

#include <algorithm>

#include "model_signing/signing.h"
#include "support/test_pki.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;

struct PythonOption {
  std::string command;       // "sign key", "verify certificate", "digest", "" (top level)
  std::string v1_1;          // the v1.1.x spelling ("" if not in v1.1.x)
  std::string main;          // the main branch's spelling
  bool takes_value = false;
};

// (command, v1.1.x spelling, main spelling, takes a value)
std::vector<PythonOption> python_cli_options() {
  std::vector<PythonOption> out;
  auto both = [&](const std::string& command, const std::string& v1, const std::string& main, bool value) {
    out.push_back({command, v1, main, value});
  };
  // Top level.
  both("", "--log-level", "--log-level", true);
  both("", "--version", "--version", false);
  both("", "--help", "--help", false);
  both("", "-h", "-h", false);

  // Shared by every sign and verify method (and digest, main only).
  const std::vector<std::string> methods = {"sign sigstore", "sign key", "sign certificate", "sign pkcs11-key",
                                            "sign pkcs11-certificate", "verify sigstore", "verify key",
                                            "verify certificate"};
  for (const auto& m : methods) {
    both(m, "--signature", "--signature", true);
    both(m, "--ignore-paths", "--ignore-paths", true);
    both(m, "--ignore-git-paths", "--ignore-git-paths", false);
    both(m, "--no-ignore-git-paths", "--no-ignore-git-paths", false);
    both(m, "--allow_symlinks", "--allow-symlinks", false);
    both(m, "-h", "--help", false);
  }
  both("digest", "", "--ignore-paths", true);
  both("digest", "", "--ignore-git-paths", false);
  both("digest", "", "--no-ignore-git-paths", false);
  both("digest", "", "--allow-symlinks", false);
  both("digest", "", "--help", false);

  both("sign sigstore", "--use_staging", "--use-staging", false);
  both("sign sigstore", "--trust_config", "--trust-config", true);
  both("sign sigstore", "--use_ambient_credentials", "--use-ambient-credentials", false);
  both("sign sigstore", "--identity_token", "--identity-token", true);
  both("sign sigstore", "--oauth_force_oob", "--oauth-force-oob", false);
  both("sign sigstore", "--client_id", "--client-id", true);
  both("sign sigstore", "--client_secret", "--client-secret", true);

  both("sign key", "--private_key", "--private-key", true);
  both("sign key", "--password", "--password", true);

  both("sign certificate", "--private_key", "--private-key", true);
  both("sign certificate", "--signing_certificate", "--signing-certificate", true);
  both("sign certificate", "--certificate_chain", "--certificate-chain", true);

  both("sign pkcs11-key", "--pkcs11_uri", "--pkcs11-uri", true);
  both("sign pkcs11-key", "", "--module-paths", true);
  both("sign pkcs11-certificate", "--pkcs11_uri", "--pkcs11-uri", true);
  both("sign pkcs11-certificate", "--signing_certificate", "--signing-certificate", true);
  both("sign pkcs11-certificate", "--certificate_chain", "--certificate-chain", true);
  both("sign pkcs11-certificate", "", "--module-paths", true);

  for (const std::string m : {"verify sigstore", "verify key", "verify certificate"}) {
    both(m, "--ignore_unsigned_files", "--ignore-unsigned-files", false);
    both(m, "--no-ignore_unsigned_files", "--no-ignore-unsigned-files", false);
  }
  both("verify sigstore", "--identity", "--identity", true);
  both("verify sigstore", "--identity_provider", "--identity-provider", true);
  both("verify sigstore", "--use_staging", "--use-staging", false);
  both("verify sigstore", "--trust_config", "--trust-config", true);
  both("verify key", "--public_key", "--public-key", true);
  both("verify certificate", "--certificate_chain", "--certificate-chain", true);
  both("verify certificate", "--log_fingerprints", "--log-fingerprints", false);
  return out;
}

// A complete, offline invocation of each command; the option under test
// replaces its own entry, or is added.
class PythonCliOptions : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    write_file(model() / "a.bin", "alpha");
    write_file(model() / "b.bin", "bravo");
    generate_ec_key("P-256", path("key.pem"), path("key.pub"));
    TestIdentity root = TestIdentity::make_root();
    TestIdentity leaf = root.issue(CertSpec{});
    root.write_cert_pem(path("root.pem"));
    leaf.write_cert_pem(path("leaf.pem"));
    leaf.write_key_pem(path("leaf.key"));
    SigningConfig().use_key_signer(path("key.pem")).sign(model(), path("key.sig"));
    SigningConfig().use_certificate_signer(path("leaf.key"), path("leaf.pem"), {}).sign(model(), path("cert.sig"));
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static TempDir* dir_;
  static fs::path path(const std::string& rel) { return dir_->path() / rel; }
  static fs::path model() { return path("model"); }

  // Command words, positional arguments, then option -> value ("" for flags).
  struct Invocation {
    std::vector<std::string> words;
    std::vector<std::pair<std::string, std::string>> options;
  };

  static Invocation base(const std::string& command) {
    fs::path vector = shared_dir() / "vectors/model-transparency/v1.0.0-sigstore";
    std::string m = model().string();
    std::string trust = (shared_dir() / "vectors/model-transparency/goldens/custom_trust_config.json").string();
    if (command.empty() || command == "digest") return {{"digest", m}, {}};
    if (command == "sign sigstore") {
      return {{"sign", "sigstore", m}, {{"--signature", path("out.sig").string()}, {"--identity-token", "not-a-jwt"}}};
    }
    if (command == "sign key") {
      return {{"sign", "key", m}, {{"--signature", path("out.sig").string()}, {"--private-key", path("key.pem").string()}}};
    }
    if (command == "sign certificate") {
      return {{"sign", "certificate", m},
              {{"--signature", path("out.sig").string()},
               {"--private-key", path("leaf.key").string()},
               {"--signing-certificate", path("leaf.pem").string()}}};
    }
    std::string uri = "pkcs11:token=absent;object=k?module-path=" + path("no-such-module.so").string();
    if (command == "sign pkcs11-key") {
      return {{"sign", "pkcs11-key", m}, {{"--signature", path("out.sig").string()}, {"--pkcs11-uri", uri}}};
    }
    if (command == "sign pkcs11-certificate") {
      return {{"sign", "pkcs11-certificate", m},
              {{"--signature", path("out.sig").string()},
               {"--pkcs11-uri", uri},
               {"--signing-certificate", path("leaf.pem").string()}}};
    }
    if (command == "verify sigstore") {
      return {{"verify", "sigstore", vector.string()},
              {{"--signature", (vector / "model.sig").string()},
               {"--identity", "stefanb@us.ibm.com"},
               {"--identity-provider", "https://sigstore.verify.ibm.com/oauth2"}}};
    }
    if (command == "verify key") {
      return {{"verify", "key", m}, {{"--signature", path("key.sig").string()}, {"--public-key", path("key.pub").string()}}};
    }
    if (command == "verify certificate") {
      return {{"verify", "certificate", m},
              {{"--signature", path("cert.sig").string()}, {"--certificate-chain", path("root.pem").string()}}};
    }
    ADD_FAILURE() << "no invocation for " << command;
    return {};
  }

  // A value that keeps the run meaningful for `option` (hyphenated).
  static std::string value_for(const std::string& command, const std::string& option) {
    if (option == "--log-level") return "DEBUG";
    if (option == "--ignore-paths") return (model() / "not-there").string();
    if (option == "--trust-config") {
      return (shared_dir() / "vectors/model-transparency/goldens/custom_trust_config.json").string();
    }
    if (option == "--module-paths") return path("").string();
    if (option == "--password") return "unused";
    if (option == "--certificate-chain") return path("root.pem").string();
    for (const auto& [name, value] : base(command).options) {
      if (name == option) return value;
    }
    return "value";
  }
};

TempDir* PythonCliOptions::dir_ = nullptr;

std::string hyphenated(std::string option) {
  if (option.rfind("--", 0) == 0) std::replace(option.begin() + 2, option.end(), '_', '-');
  return option;
}

TEST_F(PythonCliOptions, EverySpellingOfEveryOptionIsAccepted) {
  std::size_t checked = 0;
  for (const PythonOption& option : python_cli_options()) {
    // v1.1.x's spelling, main's, and main's underscore normalization of it.
    std::vector<std::string> spellings = {option.main};
    if (!option.v1_1.empty()) spellings.push_back(option.v1_1);
    if (option.main.rfind("--", 0) == 0) {
      std::string underscored = option.main;
      std::replace(underscored.begin() + 2, underscored.end(), '-', '_');
      spellings.push_back(underscored);
    }
    for (const std::string& spelling : spellings) {
      std::string canonical = hyphenated(spelling);
      Invocation run = base(option.command);
      std::vector<std::string> args;
      if (option.command.empty()) args.push_back(spelling);
      if (option.command.empty() && option.takes_value) args.push_back(value_for("", canonical));
      args.insert(args.end(), run.words.begin(), run.words.end());
      for (const auto& [name, value] : run.options) {
        if (name == canonical) continue;  // the option under test takes its place
        args.push_back(name);
        args.push_back(value);
      }
      if (!option.command.empty()) {
        args.push_back(spelling);
        if (option.takes_value) args.push_back(value_for(option.command, canonical));
      }
      std::string joined;
      for (const auto& a : args) joined += a + " ";
      SCOPED_TRACE(joined);
      CommandResult r = run_command(cli_path().string(), args, "",
                                    {"GITHUB_ACTIONS", "ACTIONS_ID_TOKEN_REQUEST_URL", "GOOGLE_SERVICE_ACCOUNT_NAME",
                                     "GCE_METADATA_HOST", "BUILDKITE", "GITLAB_CI", "CIRCLECI", "SIGSTORE_ID_TOKEN"},
                                    std::chrono::seconds(60));
      EXPECT_FALSE(r.timed_out);
      EXPECT_NE(r.exit_code, 2) << r.err;
      EXPECT_EQ(r.err.find("Error: "), std::string::npos) << r.err;
      // Commands that can succeed offline do, whatever the option.
      bool offline = option.command.rfind("verify", 0) == 0 || option.command == "sign key" ||
                     option.command == "sign certificate" || option.command == "digest" || option.command.empty();
      bool changes_outcome = canonical == "--use-staging" || canonical == "--password";
      if (offline && !changes_outcome) {
        EXPECT_EQ(r.exit_code, 0) << r.err;
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 150u);
}

}  // namespace
}  // namespace model_signing::testing
