// The command line as users of the Python tool know it: hyphen and
// underscore spellings, the default (sigstore) method, exit codes (0 ok,
// 1 failure, 2 usage), `digest` output, ignore paths resolved against the
// current directory, atomic signature writes.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "model_signing/signing.h"
#include "support/cli_expect.h"
#include "support/signed_statement.h"
#include "support/test_pki.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(model() / "a.bin", "weights weights");
    write_file(model() / "skip/notes", "notes");
    write_file(model() / ".gitignore", "*.tmp");
    generate_ec_key("P-256", path("key.pem"), path("key.pub"));
  }
  fs::path path(const std::string& rel) const { return dir_ / rel; }
  fs::path model() const { return dir_ / "model"; }
  std::vector<std::string> resource_names(const fs::path& signature) const {
    json statement = statement_of(signature);
    std::vector<std::string> names;
    for (const auto& r : statement["predicate"]["resources"]) names.push_back(r["name"]);
    return names;
  }

  TempDir dir_;
};

TEST_F(Cli, UnderscoreSpellingsOfEveryFlag) {
  fs::create_symlink(model() / "a.bin", model() / "alias");
  ASSERT_TRUE(succeeded(run_cli({"sign", "key", model().string(), "--private_key", path("key.pem").string(),
                                 "--signature", path("k.sig").string(), "--ignore_paths",
                                 (model() / "skip").string(), "--no_ignore_git_paths", "--allow_symlinks",
                                 "--max_workers", "2", "--serialization", "shards", "--shard_size", "4"})));
  json statement = statement_of(path("k.sig"));
  EXPECT_EQ(statement["predicate"]["serialization"]["shard_size"], 4);
  EXPECT_EQ(statement["predicate"]["serialization"]["allow_symlinks"], true);
  EXPECT_EQ(statement["predicate"]["serialization"]["ignore_paths"], json::array({"skip"}));
  std::vector<std::string> names = resource_names(path("k.sig"));
  EXPECT_NE(std::find(names.begin(), names.end(), ".gitignore:0:4"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "alias:0:4"), names.end());

  write_file(model() / "unsigned", "x");
  EXPECT_TRUE(succeeded(run_cli({"verify", "key", model().string(), "--signature", path("k.sig").string(),
                                 "--public_key", path("key.pub").string(), "--ignore_unsigned_files",
                                 "--max_workers", "1"})));
  EXPECT_TRUE(succeeded(run_cli({"verify", "key", model().string(), "--signature", path("k.sig").string(),
                                 "--public_key", path("key.pub").string(), "--ignore_paths",
                                 (model() / "unsigned").string()})));
  fs::remove(model() / "unsigned");

  // --ignore_git_paths is the default spelled out.
  ASSERT_TRUE(succeeded(run_cli({"sign", "key", model().string(), "--private_key", path("key.pem").string(),
                                 "--signature", path("g.sig").string(), "--ignore_git_paths", "--allow_symlinks"})));
  names = resource_names(path("g.sig"));
  EXPECT_EQ(std::find(names.begin(), names.end(), ".gitignore"), names.end());

  TestIdentity root = TestIdentity::make_root();
  CertSpec expired;
  expired.not_before = std::time(nullptr) - 7200;
  expired.not_after = std::time(nullptr) - 3600;
  TestIdentity leaf = root.issue(expired);
  root.write_cert_pem(path("root.pem"));
  leaf.write_cert_pem(path("leaf.pem"));
  leaf.write_key_pem(path("leaf.key"));
  // The CLI refuses to sign with an expired certificate (see the hostile
  // input table), so the library signs; the CLI verifies.
  HashingConfig symlinks;
  symlinks.allow_symlinks = true;
  SigningConfig()
      .set_hashing_config(symlinks)
      .use_certificate_signer(path("leaf.key"), path("leaf.pem"), {path("root.pem")})
      .sign(model(), path("c.sig"));
  CommandResult r = run_cli({"verify", "certificate", model().string(), "--signature", path("c.sig").string(),
                             "--certificate_chain", path("root.pem").string(), "--allow_expired_certificate",
                             "--log_fingerprints"});
  EXPECT_TRUE(succeeded(r, "Verification succeeded\n"));
  EXPECT_NE(r.err.find("SHA-256 fingerprint"), std::string::npos) << r.err;
}

// `sign MODEL` means `sign sigstore MODEL`, as in the Python tool. A
// malformed identity token makes Sigstore signing fail before it would
// touch the network, identically however the method was chosen.
TEST_F(Cli, SignWithoutAMethodWordIsSigstore) {
  std::vector<std::string> tail = {model().string(), "--signature", path("s.sig").string(), "--identity-token",
                                   "not-a-jwt", "--offline"};
  std::vector<std::string> implicit = {"sign"};
  implicit.insert(implicit.end(), tail.begin(), tail.end());
  std::vector<std::string> explicit_method = {"sign", "sigstore"};
  explicit_method.insert(explicit_method.end(), tail.begin(), tail.end());
  CommandResult a = run_cli(implicit);
  CommandResult b = run_cli(explicit_method);
  EXPECT_TRUE(one_line_failure(a, 1, "identity token"));
  EXPECT_EQ(a.exit_code, b.exit_code);
  EXPECT_EQ(a.err, b.err);
  EXPECT_FALSE(fs::exists(path("s.sig")));
  // A model path that happens to look like a method word is still a model
  // path only when it is not one: `sign key` without flags is a usage error.
  EXPECT_TRUE(one_line_failure(run_cli({"sign", "key"}), 2));
}

TEST_F(Cli, VerifyWithoutAMethodWordIsSigstore) {
  ASSERT_TRUE(succeeded(run_cli({"sign", "key", model().string(), "--private-key", path("key.pem").string(),
                                 "--signature", path("k.sig").string()})));
  std::vector<std::string> tail = {model().string(), "--signature", path("k.sig").string(), "--identity",
                                   "someone@example.com", "--identity-provider", "https://issuer.example.com",
                                   "--offline"};
  std::vector<std::string> implicit = {"verify"};
  implicit.insert(implicit.end(), tail.begin(), tail.end());
  std::vector<std::string> explicit_method = {"verify", "sigstore"};
  explicit_method.insert(explicit_method.end(), tail.begin(), tail.end());
  CommandResult a = run_cli(implicit);
  CommandResult b = run_cli(explicit_method);
  EXPECT_TRUE(one_line_failure(a, 1));  // a key bundle is not a Sigstore bundle
  EXPECT_EQ(a.exit_code, b.exit_code);
  EXPECT_EQ(a.err, b.err);
}

TEST_F(Cli, UsageErrorsExitWithTwo) {
  std::string m = model().string();
  std::string k = path("key.pem").string();
  const std::vector<std::vector<std::string>> cases = {
      {},
      {"frobnicate"},
      {"digest"},
      {"digest", m, "--hash", "md5"},
      {"digest", m, "--serialization", "tensors"},
      {"digest", m, "--shard-size", "0"},
      {"digest", m, "--shard-size", "-5"},
      {"digest", m, "--max-workers", "0"},
      {"digest", m, "--no-such-flag"},
      {"sign", "key", m},
      {"sign", "key", m, "--private-key", k, "--bogus"},
      {"sign", "certificate", m, "--private-key", k},
      {"verify", "key", m, "--public-key", path("key.pub").string()},
      {"verify", "certificate", m},
      {"verify", "key", m, "--signature", "s.sig"},
  };
  for (const auto& args : cases) {
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    SCOPED_TRACE(joined);
    EXPECT_TRUE(one_line_failure(run_cli(args), 2));
  }
  // Help is not an error.
  CommandResult help = run_cli({"sign", "key", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--private-key"), std::string::npos);
}

TEST_F(Cli, DigestPrintsTheRootDigestTheSignatureRecords) {
  const std::vector<std::vector<std::string>> variants = {
      {},
      {"--serialization", "shards", "--shard-size", "8"},
      {"--hash", "blake2b"},
      {"--ignore-paths", (model() / "skip").string()},
      {"--no-ignore-git-paths"},
  };
  for (const auto& extra : variants) {
    std::vector<std::string> digest = {"digest", model().string()};
    digest.insert(digest.end(), extra.begin(), extra.end());
    std::vector<std::string> sign = {"sign", "key", model().string(), "--private-key", path("key.pem").string(),
                                     "--signature", path("d.sig").string()};
    sign.insert(sign.end(), extra.begin(), extra.end());
    SCOPED_TRACE(extra.empty() ? "defaults" : extra[0]);
    CommandResult d = run_cli(digest);
    ASSERT_TRUE(succeeded(d));
    ASSERT_TRUE(succeeded(run_cli(sign)));
    std::string root = statement_of(path("d.sig"))["subject"][0]["digest"]["sha256"];
    EXPECT_EQ(d.out, "sha256:" + root + "\n");
    // No progress bar when stderr is not a terminal.
    EXPECT_EQ(d.err, "");
  }
  // A single file too.
  CommandResult single = run_cli({"digest", (model() / "a.bin").string()});
  ASSERT_TRUE(succeeded(single));
  EXPECT_EQ(single.out.size(), std::string("sha256:").size() + 64 + 1);
}

TEST_F(Cli, IgnorePathsAreResolvedAgainstTheCurrentDirectory) {
  // From the parent directory, model/skip is inside the model.
  ASSERT_TRUE(succeeded(run_cli({"sign", "key", "model", "--private-key", "key.pem", "--signature", "1.sig",
                                 "--ignore-paths", "model/skip"},
                                {}, dir_.path())));
  EXPECT_EQ(resource_names(path("1.sig")), std::vector<std::string>{"a.bin"});
  // "skip" from the parent directory is dir/skip: outside the model, dropped,
  // with a warning naming it.
  CommandResult outside = run_cli({"sign", "key", "model", "--private-key", "key.pem", "--signature", "2.sig",
                                   "--ignore-paths", "skip"},
                                  {}, dir_.path());
  ASSERT_TRUE(succeeded(outside, "Signing succeeded\n"));
  EXPECT_EQ(outside.err, "Warning: --ignore-paths skip (" + path("skip").string() +
                             ") is not inside the model model: it ignores nothing\n");
  EXPECT_EQ(resource_names(path("2.sig")), (std::vector<std::string>{"a.bin", "skip/notes"}));
  // From inside the model, "skip" is model/skip.
  ASSERT_TRUE(succeeded(run_cli({"sign", "key", ".", "--private-key", path("key.pem").string(), "--signature",
                                 path("3.sig").string(), "--ignore-paths", "skip"},
                                {}, model())));
  EXPECT_EQ(resource_names(path("3.sig")), std::vector<std::string>{"a.bin"});
}

TEST_F(Cli, SigningReplacesAnExistingSignatureAndLeavesNoTemporaryFile) {
  write_file(path("model.sig"), "old signature");
  ASSERT_TRUE(succeeded(run_cli({"sign", "key", model().string(), "--private-key", path("key.pem").string(),
                                 "--signature", path("model.sig").string()}),
                        "Signing succeeded\n"));
  EXPECT_NE(read_file(path("model.sig")), "old signature");
  EXPECT_TRUE(succeeded(run_cli({"verify", "key", model().string(), "--signature", path("model.sig").string(),
                                 "--public-key", path("key.pub").string()})));
  for (const auto& entry : fs::directory_iterator(dir_.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
  }
  // The default signature path is model.sig in the current directory.
  ASSERT_TRUE(succeeded(run_cli({"sign", "key", "model", "--private-key", "key.pem"}, {}, dir_.path())));
  EXPECT_TRUE(succeeded(run_cli({"verify", "key", "model", "--signature", "model.sig", "--public-key", "key.pub"},
                                {}, dir_.path())));
}

// A write that fails half way (here: the file size limit, with SIGXFSZ
// ignored so write() reports EFBIG) leaves the old signature as it was and
// no temporary file.
TEST_F(Cli, FailedSignatureWriteLeavesTheOldSignatureAndNoTemporaryFile) {
  write_file(path("model.sig"), "ORIGINAL");
  std::string command = "ulimit -f 1; trap '' XFSZ; exec \"$0\" \"$@\"";
  CommandResult r = run_command("/bin/sh", {"-c", command, cli_path().string(), "sign", "key", model().string(),
                                            "--private-key", path("key.pem").string(), "--signature",
                                            path("model.sig").string()});
  EXPECT_TRUE(one_line_failure(r, 1, "File too large"));
  EXPECT_EQ(read_file(path("model.sig")), "ORIGINAL");
  for (const auto& entry : fs::directory_iterator(dir_.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
  }
}

}  // namespace
}  // namespace model_signing::testing
