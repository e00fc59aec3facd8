// The conformance entrypoint's sign-bundle against the local stack: message
// signatures and in-toto statements, on Rekor v1 and v2, each verified by
// the entrypoint's verify-bundle and by sigstore-js.
#include <gtest/gtest.h>

#include "support/sigstore/sigstore_stack.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;

const char* kIdentity = "https://github.com/acme/tool/.github/workflows/release.yml@refs/heads/main";

CommandResult conformance(const std::vector<std::string>& args) {
  return run_command(MS_CONFORMANCE_PATH, args, "", {}, std::chrono::seconds(120));
}

struct Case {
  std::string rekor;
  bool in_toto;
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << "Rekor " << c.rekor << (c.in_toto ? ", in-toto" : ", artifact");
}

class ConformanceSignBundle : public ::testing::TestWithParam<Case> {};

TEST_P(ConformanceSignBundle, SignsAndBothVerifiersAccept) {
  const Case& c = GetParam();
  SigstoreStack stack({.rekor = c.rekor});
  TempDir dir;
  fs::path artifact = dir / "a.txt";
  fs::path subject = dir / "subject.bin";
  write_file(subject, "the subject of the statement\n");
  if (c.in_toto) {
    // sha256 of "the subject of the statement\n"
    CommandResult digest = run_command("/usr/bin/sha256sum", {subject.string()});
    std::string hex = digest.out.substr(0, 64);
    write_file(artifact, "{\"_type\": \"https://in-toto.io/Statement/v1\", \"subject\": [{\"name\": "
                         "\"subject.bin\", \"digest\": {\"sha256\": \"" + hex +
                         "\"}}], \"predicateType\": \"https://example.com/test/v1\", "
                         "\"predicate\": {}}");
  } else {
    write_file(artifact, "an artifact to sign\n");
  }
  fs::path bundle = dir / "a.txt.sigstore.json";
  std::vector<std::string> args = {"sign-bundle"};
  if (c.in_toto) args.push_back("--in-toto");
  std::vector<std::string> rest = {"--identity-token", stack.token({{"sub", kIdentity}}),
                                   "--bundle", bundle.string(),
                                   "--trusted-root", stack.trusted_root().string(),
                                   "--signing-config", stack.signing_config().string(),
                                   artifact.string()};
  args.insert(args.end(), rest.begin(), rest.end());
  CommandResult sign = conformance(args);
  ASSERT_EQ(sign.exit_code, 0) << sign.err;

  auto doc = nlohmann::json::parse(read_file(bundle));
  EXPECT_EQ(doc.contains("dsseEnvelope"), c.in_toto);
  EXPECT_EQ(doc.contains("messageSignature"), !c.in_toto);
  std::string verified_artifact = (c.in_toto ? subject : artifact).string();
  CommandResult verify = conformance({"verify-bundle", "--bundle", bundle.string(),
                                      "--certificate-identity", kIdentity,
                                      "--certificate-oidc-issuer", stack.issuer(),
                                      "--trusted-root", stack.trusted_root().string(),
                                      verified_artifact});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  CommandResult js = stack.verify_with_sigstore_js(bundle, kIdentity,
                                                   c.in_toto ? fs::path() : artifact);
  EXPECT_EQ(js.exit_code, 0) << js.out << js.err;

  // A different artifact must not verify.
  write_file(dir / "other.txt", "another artifact\n");
  CommandResult other = conformance({"verify-bundle", "--bundle", bundle.string(),
                                     "--certificate-identity", kIdentity,
                                     "--certificate-oidc-issuer", stack.issuer(),
                                     "--trusted-root", stack.trusted_root().string(),
                                     (dir / "other.txt").string()});
  EXPECT_EQ(other.exit_code, 1) << other.out;
}

INSTANTIATE_TEST_SUITE_P(Logs, ConformanceSignBundle,
                         ::testing::Values(Case{"v1", false}, Case{"v1", true}, Case{"v2", false},
                                           Case{"v2", true}),
                         [](const auto& info) {
                           return "Rekor" + info.param.rekor +
                                  (info.param.in_toto ? "InToto" : "Artifact");
                         });

TEST(ConformanceSignBundleFailure, ExpiredTokenWritesNoBundle) {
  SigstoreStack stack;
  TempDir dir;
  write_file(dir / "a.txt", "x");
  CommandResult sign = conformance(
      {"sign-bundle", "--identity-token",
       stack.token({{"sub", kIdentity}, {"exp_offset", "-600"}}), "--bundle",
       (dir / "b.json").string(), "--trusted-root", stack.trusted_root().string(),
       "--signing-config", stack.signing_config().string(), (dir / "a.txt").string()});
  EXPECT_EQ(sign.exit_code, 1);
  EXPECT_NE(sign.err.find("expired"), std::string::npos) << sign.err;
  EXPECT_FALSE(fs::exists(dir / "b.json"));
}

}  // namespace
}  // namespace model_signing::testing
