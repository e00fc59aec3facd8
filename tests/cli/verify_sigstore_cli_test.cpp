// `model_signing verify sigstore` end to end, offline: with --offline and an
// empty cache, the trust built into model_signing (verify_sigstore_tuf_test
// covers trust from TUF).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/test_support.h"

namespace model_signing::testing {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path kVector =
    shared_dir() / "vectors" / "model-transparency" / "v1.0.0-sigstore";
const std::string kIdentity = "stefanb@us.ibm.com";
const std::string kIssuer = "https://sigstore.verify.ibm.com/oauth2";

CommandResult verify(const std::filesystem::path& model, const std::filesystem::path& signature,
                     std::vector<std::string> extra = {}, const std::string& identity = kIdentity,
                     const std::string& issuer = kIssuer) {
  std::vector<std::string> args = {"verify", "sigstore", model.string(), "--signature",
                                   signature.string(), "--identity", identity,
                                   "--identity-provider", issuer, "--offline"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_cli(args);
}

TEST(VerifySigstoreCli, VerifiesTheUpstreamVectorOffline) {
  CommandResult r = verify(kVector, kVector / "model.sig");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Verification succeeded"));
  // `verify` without a method word means sigstore; underscore spellings work.
  r = run_cli({"verify", kVector.string(), "--signature", (kVector / "model.sig").string(),
               "--identity", kIdentity, "--identity_provider", kIssuer, "--offline"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(VerifySigstoreCli, FailsForAnotherIdentityOrIssuer) {
  CommandResult r = verify(kVector, kVector / "model.sig", {}, "stefan@us.ibm.com");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("identity mismatch: expected 'stefan@us.ibm.com'"));
  r = verify(kVector, kVector / "model.sig", {}, kIdentity, "https://accounts.google.com");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("OIDC issuer mismatch"));
}

TEST(VerifySigstoreCli, FailsWithTheStagingRoot) {
  CommandResult r = verify(kVector, kVector / "model.sig", {"--use-staging"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("is not a transparency log of the trusted root"));
}

TEST(VerifySigstoreCli, FailsForOneChangedModelByte) {
  TempDir dir;
  copy_tree(kVector, dir.path() / "model");
  std::string content = read_file(dir.path() / "model" / "signme-2");
  content[0] ^= 1;
  write_file(dir.path() / "model" / "signme-2", content);
  CommandResult r = verify(dir.path() / "model", dir.path() / "model" / "model.sig");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("signme-2"));
}

TEST(VerifySigstoreCli, TakesAClientTrustConfigOrATrustedRoot) {
  auto golden = shared_dir() / "vectors" / "model-transparency" / "goldens" / "custom_trust_config.json";
  CommandResult r = verify(kVector, kVector / "model.sig", {"--trust-config", golden.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto root = shared_dir() / "sigstore" / "trust" / "production" / "trusted_root.json";
  r = verify(kVector, kVector / "model.sig", {"--trust-config", root.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto staging = shared_dir() / "sigstore" / "trust" / "staging" / "trusted_root.json";
  r = verify(kVector, kVector / "model.sig", {"--trust-config", staging.string()});
  EXPECT_EQ(r.exit_code, 1);
  r = verify(kVector, kVector / "model.sig", {"--trust-config", (kVector / "signme-1").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("invalid trust config"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

#ifdef MS_WITH_SIGSTORE_SIGNING
TEST(VerifySigstoreCli, SigningWithABareTrustedRootNamesIt) {
  TempDir dir;
  write_file(dir / "model/a.bin", "x");
  auto root = shared_dir() / "sigstore" / "trust" / "production" / "trusted_root.json";
  CommandResult r = run_cli({"sign", "sigstore", (dir / "model").string(), "--signature",
                             (dir / "model.sig").string(), "--trust-config", root.string(), "--offline"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("trust config " + root.string() + " is a bare trusted root"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "model.sig"));
}
#endif

TEST(VerifySigstoreCli, OmsSigstoreBundleVerifiesAgainstTheSameFiles) {
  // The OMS example signs the same two files as the upstream vector.
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "model");
  for (const char* f : {"signme-1", "signme-2"}) copy_tree(kVector / f, dir.path() / "model" / f);
  auto bundle = shared_dir() / "vectors" / "oms-spec" / "valid" / "sigstore.bundle.json";
  CommandResult r = verify(dir.path() / "model", bundle);
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(VerifySigstoreCli, OmsBundleWithoutTlogEntriesIsRejected) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "model");
  for (const char* f : {"signme-1", "signme-2"}) copy_tree(kVector / f, dir.path() / "model" / f);
  auto bundle = shared_dir() / "vectors" / "oms-spec" / "invalid" / "missing-tlog-entries.bundle.json";
  CommandResult r = verify(dir.path() / "model", bundle);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("no transparency log entries (verificationMaterial.tlogEntries)"));
}

TEST(VerifySigstoreCli, KeySignedBundleIsNotASigstoreSignature) {
  auto bundle = shared_dir() / "vectors" / "oms-spec" / "valid" / "key.bundle.json";
  CommandResult r = verify(kVector, bundle);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("use verify key"));
}

}  // namespace
}  // namespace model_signing::testing
