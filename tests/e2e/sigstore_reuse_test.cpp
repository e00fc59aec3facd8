// Incremental re-signing with Sigstore against the local stack: the old
// signature is verified for the identity --reuse-identity names, on the
// instance the command signs with, before its digests are reused.
#include <gtest/gtest.h>

#include <chrono>

#include "model_signing/bundle.h"
#include "support/cli_expect.h"
#include "support/sigstore/sigstore_stack.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;

const char* kAlice = "alice@example.com";

TEST(SigstoreReuseE2E, ReusesDigestsOfAnOldSignatureOfTheNamedIdentity) {
  TempDir dir;
  write_file(dir / "model/weights.bin", std::string(8192, 'w'));
  write_file(dir / "model/config.json", "{\"hidden_size\": 8}\n");
  for (const char* rel : {"weights.bin", "config.json"}) {
    fs::last_write_time(dir / "model" / rel, fs::file_time_type::clock::now() - std::chrono::hours(1));
  }
  SigstoreStack stack;
  auto sign = [&](const std::string& signature, std::vector<std::string> extra) {
    std::vector<std::string> args = {"sign", "sigstore", (dir / "model").string(), "--signature",
                                     (dir / signature).string(), "--trust-config", stack.trust_config().string(),
                                     "--identity-token", stack.token({{"sub", kAlice}})};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  };
  CommandResult first = sign("old.sig", {"--write-stat-record"});
  ASSERT_EQ(first.exit_code, 0) << first.err;

  write_file(dir / "model/config.json", "{\"hidden_size\": 16}\n");
  CommandResult again = sign("new.sig", {"--reuse-digests", (dir / "old.sig").string(), "--reuse-identity", kAlice,
                                         "--reuse-identity-provider", stack.issuer()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("Reused the digests of 1 file (8192 bytes)"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("hashed 1 file (20 bytes)"), std::string::npos) << again.out;
  EXPECT_TRUE(succeeded(run_cli({"verify", "sigstore", (dir / "model").string(), "--signature",
                                 (dir / "new.sig").string(), "--identity", kAlice, "--identity-provider",
                                 stack.issuer(), "--trust-config", stack.trust_config().string()})));

  // Another identity than the old signature's: refused, nothing written.
  CommandResult wrong = sign("wrong.sig", {"--reuse-digests", (dir / "old.sig").string(), "--reuse-identity",
                                           "mallory@example.com", "--reuse-identity-provider", stack.issuer()});
  EXPECT_TRUE(one_line_failure(wrong, 1, "old signature " + (dir / "old.sig").string() + " does not verify"));
  EXPECT_FALSE(fs::exists(dir / "wrong.sig"));
}

}  // namespace
}  // namespace model_signing::testing
