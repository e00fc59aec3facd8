// Today's bundle layout, pinned: for the same key, certificates and model,
// the signature the current build writes is byte for byte the one the build
// of e0e9be6 wrote (tests/fixtures/bundle_layout), except for the ECDSA
// signature itself, which is randomised. Both verify.
#include <gtest/gtest.h>

#include <cctype>
#include <ostream>
#include <string>
#include <vector>

#include "support/cli_expect.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;

fs::path fixture() { return source_dir() / "tests/fixtures/bundle_layout"; }

// The bundle text with the value of its one "sig" field blanked out.
std::string without_signature(const std::string& bundle) {
  const std::string key = "\"sig\": \"";
  std::size_t start = bundle.find(key);
  EXPECT_NE(start, std::string::npos) << bundle;
  if (start == std::string::npos) return bundle;
  start += key.size();
  std::size_t end = bundle.find('"', start);
  EXPECT_NE(end, std::string::npos);
  EXPECT_EQ(bundle.find(key, end), std::string::npos) << "more than one signature";
  EXPECT_GT(end - start, 60u) << "the signature is not a DER ECDSA signature";
  return bundle.substr(0, start) + bundle.substr(end);
}

struct Case {
  const char* golden;
  std::vector<std::string> sign_args;      // after `sign`, before the model
  std::vector<std::string> verify_args;    // after `verify`, before the model
  friend void PrintTo(const Case& c, std::ostream* os) { *os << c.golden; }
};

class BundleLayout : public ::testing::TestWithParam<Case> {};

TEST_P(BundleLayout, MatchesTheBundleOfE0e9be6ExceptTheSignature) {
  const Case& c = GetParam();
  TempDir dir;
  const fs::path signature = dir / "model.sig";
  std::vector<std::string> sign = {"sign"};
  sign.insert(sign.end(), c.sign_args.begin(), c.sign_args.end());
  sign.insert(sign.end(), {"model", "--signature", signature.string()});
  // From the fixture directory, so the relative paths and the model name are
  // those the golden was made with.
  ASSERT_TRUE(succeeded(run_cli(sign, {}, fixture())));

  const std::string golden = read_file(fixture() / c.golden);
  const std::string ours = read_file(signature);
  EXPECT_EQ(without_signature(ours), without_signature(golden));

  for (const fs::path& sig : {signature, fixture() / c.golden}) {
    std::vector<std::string> verify = {"verify"};
    verify.insert(verify.end(), c.verify_args.begin(), c.verify_args.end());
    verify.insert(verify.end(), {"model", "--signature", sig.string()});
    EXPECT_TRUE(succeeded(run_cli(verify, {}, fixture()), "Verification succeeded\n")) << sig;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Methods, BundleLayout,
    ::testing::Values(
        Case{"key.sig", {"key", "--private-key", "key.pem"}, {"key", "--public-key", "key.pub"}},
        Case{"key-shards-blake2b.sig",
             {"key", "--private-key", "key.pem", "--hash", "blake2b", "--serialization", "shards",
              "--shard-size", "256"},
             {"key", "--public-key", "key.pub"}},
        Case{"certificate.sig",
             {"certificate", "--private-key", "key.pem", "--signing-certificate", "leaf.pem",
              "--certificate-chain", "ca.pem"},
             {"certificate", "--certificate-chain", "ca.pem"}}),
    [](const ::testing::TestParamInfo<Case>& info) {
      std::string name = info.param.golden;
      for (char& ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return name;
    });

}  // namespace
}  // namespace model_signing::testing
