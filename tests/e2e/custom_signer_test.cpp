// examples/custom_signer: a key backend written outside the library (a
// PrivateKey holding an OpenSSL EC key) signs a model; `model_signing verify
// key` verifies it, and catches a tampered model.
#include <gtest/gtest.h>

#include "support/cli_expect.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;

CommandResult custom_signer(const std::vector<std::string>& args) {
  return run_command(MS_CUSTOM_SIGNER_PATH, args);
}

TEST(CustomSigner, ItsSignatureVerifiesWithVerifyKey) {
  for (const char* curve : {"P-256", "P-384", "P-521"}) {
    SCOPED_TRACE(curve);
    TempDir dir;
    write_file(dir / "model/weights.bin", std::string(100000, 'w'));
    write_file(dir / "model/config.json", "{}");
    generate_ec_key(curve, dir / "key.pem", dir / "key.pub");
    const fs::path sig = dir / "model.sig";
    ASSERT_TRUE(succeeded(custom_signer({(dir / "model").string(), sig.string(),
                                         (dir / "key.pem").string()}),
                          "Signing succeeded\n"));
    std::vector<std::string> verify = {"verify", "key", (dir / "model").string(), "--signature",
                                       sig.string(), "--public-key", (dir / "key.pub").string()};
    EXPECT_TRUE(succeeded(run_cli(verify), "Verification succeeded\n"));

    write_file(dir / "model/weights.bin", std::string(100000, 'x'));
    EXPECT_TRUE(one_line_failure(run_cli(verify), 1, "weights.bin"));
  }
}

TEST(CustomSigner, AnotherKeyDoesNotVerifyIt) {
  TempDir dir;
  write_file(dir / "model/a.bin", "a");
  generate_ec_key("P-256", dir / "key.pem", dir / "key.pub");
  generate_ec_key("P-256", dir / "other.pem", dir / "other.pub");
  ASSERT_TRUE(succeeded(custom_signer({(dir / "model").string(), (dir / "model.sig").string(),
                                       (dir / "key.pem").string()})));
  EXPECT_TRUE(one_line_failure(run_cli({"verify", "key", (dir / "model").string(), "--signature",
                                        (dir / "model.sig").string(), "--public-key",
                                        (dir / "other.pub").string()}),
                               1, "public key does not match"));
}

TEST(CustomSigner, UsageAndFailuresAreOneLine) {
  CommandResult usage = custom_signer({"only-one"});
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_EQ(usage.err, "usage: custom_signer MODEL_PATH SIGNATURE_PATH PRIVATE_KEY_PEM\n");
  TempDir dir;
  write_file(dir / "model/a.bin", "a");
  EXPECT_TRUE(one_line_failure(custom_signer({(dir / "model").string(), (dir / "model.sig").string(),
                                              (dir / "missing.pem").string()}),
                               1, "cannot open private key"));
  EXPECT_FALSE(fs::exists(dir / "model.sig"));
}

}  // namespace
}  // namespace model_signing::testing
