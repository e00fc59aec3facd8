// How the CLI answers what people type: --log-level, the boolean flag
// pairs, mistakes named with the closest valid spelling (exit 2, before any
// required-option check), and help laid out as the Python tool's.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include <nlohmann/json.hpp>

#include "support/cli_expect.h"
#include "support/signed_statement.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;

class Usage : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(model() / "a.bin", "weights weights");
    write_file(model() / "sub/b.bin", "more weights");
    generate_ec_key("P-256", path("key.pem"), path("key.pub"));
  }
  fs::path path(const std::string& rel) const { return dir_ / rel; }
  fs::path model() const { return dir_ / "model"; }
  std::vector<std::string> sign_key(const std::string& signature = "m.sig") const {
    return {"sign", "key", model().string(), "--private-key", path("key.pem").string(), "--signature",
            path(signature).string()};
  }
  std::vector<std::string> verify_key(const std::string& signature = "m.sig") const {
    return {"verify", "key", model().string(), "--signature", path(signature).string(), "--public-key",
            path("key.pub").string()};
  }
  static std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }

  TempDir dir_;
};

std::size_t lines_starting_with(const std::string& text, const std::string& prefix) {
  std::size_t n = 0;
  std::size_t at = 0;
  while (at < text.size()) {
    if (text.compare(at, prefix.size(), prefix) == 0) ++n;
    at = text.find('\n', at);
    if (at == std::string::npos) break;
    ++at;
  }
  return n;
}

TEST_F(Usage, LogLevelShowsMoreAtEachLevelAnyCaseBeforeOrAfterTheCommand) {
  std::vector<std::string> digest = {"digest", model().string()};
  CommandResult quiet = run_cli(digest);
  ASSERT_TRUE(succeeded(quiet));
  EXPECT_EQ(quiet.err, "");  // the default, WARNING, has nothing to say here

  CommandResult info = run_cli(with({"--log-level", "info"}, digest));
  ASSERT_TRUE(succeeded(info, quiet.out));
  EXPECT_NE(info.err.find("INFO: hashed 2 files, 27 bytes (files, sha256, 2 resources) in "), std::string::npos)
      << info.err;
  EXPECT_NE(info.err.find("INFO: SHA-256 runs on the "), std::string::npos) << info.err;
  EXPECT_EQ(lines_starting_with(info.err, "DEBUG: "), 0u) << info.err;

  // After the command, and with the Python tool's underscore spelling.
  CommandResult debug = run_cli(with(digest, {"--log_level", "DEBUG"}));
  ASSERT_TRUE(succeeded(debug, quiet.out));
  EXPECT_NE(debug.err.find("DEBUG: hashed a.bin (15 bytes): sha256:"), std::string::npos) << debug.err;
  EXPECT_NE(debug.err.find("DEBUG: hashed sub/b.bin (12 bytes): sha256:"), std::string::npos) << debug.err;
  EXPECT_EQ(lines_starting_with(debug.err, "DEBUG: hashed "), 2u) << debug.err;
  // How the bytes were read: small files only, so no large-file reading.
  EXPECT_NE(debug.err.find("DEBUG: read 0 MB of large files with pread (0 MB of it from the read-ahead "
                           "helper's buffers), 0 MB mapped (0 MB populated); 0 MB read ahead by an idle "
                           "core; 0 read path switches\n"),
            std::string::npos)
      << debug.err;

  // Verification: the signature and hashing steps.
  ASSERT_TRUE(succeeded(run_cli(sign_key())));
  CommandResult verify = run_cli(with({"--log-level", "INFO"}, verify_key()));
  ASSERT_TRUE(succeeded(verify, "Verification succeeded\n"));
  EXPECT_NE(verify.err.find("INFO: verified the signature and its signer in "), std::string::npos) << verify.err;

  // ERROR silences warnings; an unknown level is a usage error.
  std::vector<std::string> outside = with(digest, {"--ignore-paths", path("elsewhere").string()});
  EXPECT_NE(run_cli(outside).err.find("Warning: --ignore-paths"), std::string::npos);
  CommandResult error = run_cli(with({"--log-level", "ERROR"}, outside));
  ASSERT_TRUE(succeeded(error, quiet.out));
  EXPECT_EQ(error.err, "");
  EXPECT_TRUE(one_line_failure(run_cli(with({"--log-level", "LOUD"}, digest)), 2, "--log-level"));
}

TEST_F(Usage, BooleanFlagPairsOfThePythonTool) {
  ASSERT_TRUE(succeeded(run_cli(sign_key())));
  write_file(model() / "unsigned.bin", "x");
  // --no-ignore-unsigned-files is the default: the extra file fails.
  for (const char* spelling : {"--no-ignore-unsigned-files", "--no-ignore_unsigned_files"}) {
    SCOPED_TRACE(spelling);
    EXPECT_TRUE(one_line_failure(run_cli(with(verify_key(), {spelling})), 1, "unsigned.bin"));
  }
  EXPECT_TRUE(succeeded(run_cli(with(verify_key(), {"--ignore_unsigned_files"}))));
  // The last of a pair wins.
  EXPECT_TRUE(one_line_failure(
      run_cli(with(verify_key(), {"--ignore-unsigned-files", "--no-ignore-unsigned-files"})), 1));
  fs::remove(model() / "unsigned.bin");

  write_file(model() / ".gitignore", "*.tmp");
  ASSERT_TRUE(succeeded(run_cli(with(sign_key("g.sig"), {"--no-ignore-git-paths"}))));
  auto names = [&](const std::string& sig) {
    std::vector<std::string> out;
    nlohmann::json statement = statement_of(path(sig));
    for (const auto& r : statement["predicate"]["resources"]) out.push_back(r["name"]);
    return out;
  };
  EXPECT_EQ(names("g.sig"), (std::vector<std::string>{".gitignore", "a.bin", "sub/b.bin"}));
  ASSERT_TRUE(succeeded(run_cli(with(sign_key("h.sig"), {"--ignore-git-paths"}))));
  EXPECT_EQ(names("h.sig"), (std::vector<std::string>{"a.bin", "sub/b.bin"}));
}

struct Mistake {
  std::vector<std::string> args;  // with M for the model, K for key.pem, P for key.pub, S for m.sig
  std::string message;           // the whole stderr line after "Error: ", or a part of it
};

TEST_F(Usage, MistakesAreNamedWithTheClosestSpellingBeforeRequiredOptions) {
  ASSERT_TRUE(succeeded(run_cli(sign_key())));
  const std::vector<Mistake> mistakes = {
      {{"sign", "key", "M", "--privat-key", "K"},
       "unknown option --privat-key; did you mean --private-key? (see `model_signing sign key --help`)"},
      {{"sign", "key", "M", "--privat_key", "K"}, "unknown option --privat_key; did you mean --private-key?"},
      {{"sign", "key", "M", "--private-kye=K"}, "unknown option --private-kye; did you mean --private-key?"},
      {{"verify", "key", "M", "--signature", "S", "--pubic-key", "P"},
       "unknown option --pubic-key; did you mean --public-key?"},
      {{"digest", "M", "--shard-szie", "8"}, "unknown option --shard-szie; did you mean --shard-size?"},
      {{"digest", "M", "--frobnicate"}, "unknown option --frobnicate (see `model_signing digest --help`)"},
      {{"--log-levle", "DEBUG", "digest", "M"}, "unknown option --log-levle; did you mean --log-level?"},
      {{"bogus"}, "unknown command 'bogus'; the commands are digest, sign, verify or inspect"},
      {{"verfy", "M"}, "unknown command 'verfy'; did you mean 'verify'?"},
      {{"sign", "kye", "M", "--private-key", "K"}, "unknown PKI method 'kye' for sign; did you mean 'key'?"},
      {{"verify", "pkcs11-key", "M"}, "verify has no PKI method pkcs11-key"},
      {{"verify", "M", "--signature", "S", "--public-key", "P"},
       "--public-key is not an option of model_signing verify sigstore (the default method); did you mean "
       "`model_signing verify key M --signature S --public-key P`?"},
      {{"sign", "M", "--private-key", "K", "--signing-certificate", "c.pem"},
       "--private-key is not an option of model_signing sign sigstore (the default method); did you mean "
       "`model_signing sign certificate M --private-key K --signing-certificate c.pem`?"},
      {{"sign", "--private_key", "K", "M"},
       "--private_key is not an option of model_signing sign sigstore (the default method); did you mean "
       "`model_signing sign key --private_key K M`?"},
      {{}, "missing command: digest, sign, verify or inspect"},
      {{"sign"}, "missing MODEL_PATH"},
  };
  std::string m = model().string(), k = path("key.pem").string(), p = path("key.pub").string(),
              sig = path("m.sig").string();
  for (const auto& mistake : mistakes) {
    std::vector<std::string> args;
    std::string message = mistake.message;
    auto substitute = [&](std::string text) {
      for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{{"M", m}, {"K", k}, {"P", p}, {"S", sig}}) {
        text = std::regex_replace(text, std::regex("(^|[ =])" + from + "($|[ `])"), "$1" + to + "$2");
      }
      return text;
    };
    for (const auto& a : mistake.args) args.push_back(substitute(a));
    message = substitute(message);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    SCOPED_TRACE(joined);
    EXPECT_TRUE(one_line_failure(run_cli(args), 2, "Error: " + message));
  }
}

TEST_F(Usage, AModelPathThatLooksLikeAMisspeltMethodIsAModelPath) {
  write_file(path("kye/weights.bin"), "w");  // a model directory named "kye"
  CommandResult r = run_cli({"sign", "kye", "--identity-token", "not-a-jwt", "--offline"}, {}, dir_.path());
  EXPECT_TRUE(one_line_failure(r, 1, "identity token"));
}

TEST_F(Usage, HelpStartsWithUsageAndListsEachFlagOnce) {
  const std::vector<std::vector<std::string>> commands = {
      {},
      {"digest"},
      {"inspect"},
      {"sign"},
      {"sign", "sigstore"},
      {"sign", "key"},
      {"sign", "certificate"},
      {"sign", "pkcs11-key"},
      {"sign", "pkcs11-certificate"},
      {"verify"},
      {"verify", "sigstore"},
      {"verify", "key"},
      {"verify", "certificate"},
  };
  for (const auto& command : commands) {
    std::string name = "model_signing";
    for (const auto& word : command) name += " " + word;
    SCOPED_TRACE(name);
    CommandResult r = run_cli(with(command, {"--help"}));
    ASSERT_TRUE(succeeded(r));
    EXPECT_EQ(r.out.rfind("Usage: " + name + " [OPTIONS]", 0), 0u) << r.out;
    EXPECT_FALSE(std::regex_search(r.out, std::regex("--[a-z0-9-]*_"))) << "an underscore alias is shown:\n"
                                                                        << r.out;
    EXPECT_EQ(r.out.find("{false}"), std::string::npos) << r.out;
    // Every line fits a terminal.
    std::size_t start = 0;
    while (start < r.out.size()) {
      std::size_t end = r.out.find('\n', start);
      EXPECT_LE(end - start, 80u) << r.out.substr(start, end - start);
      start = end + 1;
    }
    // Each flag is on one line, once.
    // (In the option lists, not the paragraphs, where a wrapped line may
    // start with a flag's name.)
    std::regex flag("^  (--[a-z0-9-]+)", std::regex::multiline);
    std::vector<std::string> flags;
    std::size_t lists = r.out.find("\nOptions:");
    std::string options = lists == std::string::npos ? r.out : r.out.substr(lists);
    for (auto it = std::sregex_iterator(options.begin(), options.end(), flag); it != std::sregex_iterator(); ++it) {
      flags.push_back((*it)[1]);
    }
    auto sorted = flags;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end()) << r.out;
    // A paragraph: the summary line and at least one more.
    EXPECT_GE(std::count(r.out.begin(), r.out.end(), '\n'), 12) << r.out;
  }
  CommandResult sign_key = run_cli({"sign", "key", "--help"});
  EXPECT_NE(sign_key.out.find("\n  --ignore-git-paths / --no-ignore-git-paths"), std::string::npos) << sign_key.out;
  EXPECT_NE(sign_key.out.find("\n  --private-key PRIVATE_KEY"), std::string::npos) << sign_key.out;
  EXPECT_NE(sign_key.out.find("[required]"), std::string::npos) << sign_key.out;
  EXPECT_NE(sign_key.out.find("\n  --log-level LEVEL"), std::string::npos) << sign_key.out;
  // (Wrapped text: compare with the line breaks and indentation folded.)
  std::string folded = std::regex_replace(sign_key.out, std::regex("\\s+"), " ");
  EXPECT_NE(folded.find("The Python tool's CLI verifies sha256 only"), std::string::npos) << sign_key.out;
  EXPECT_NE(folded.find("The Python tool's CLI verifies files only"), std::string::npos) << sign_key.out;
  CommandResult verify = run_cli({"verify", "key", "--help"});
  EXPECT_NE(verify.out.find("\n  --ignore-unsigned-files / --no-ignore-unsigned-files"), std::string::npos)
      << verify.out;
}

}  // namespace
}  // namespace model_signing::testing
