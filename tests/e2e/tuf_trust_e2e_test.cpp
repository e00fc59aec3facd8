// Sigstore trust that moves: a local TUF repository (tests/tuf_repo) first
// holds today's production trusted_root.json, then rotates to one that also
// trusts the local Sigstore stack. A bundle the stack signed verifies only
// after the rotation; keyless signing takes its signing config from the
// repository too.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/cli_expect.h"
#include "support/sigstore/sigstore_stack.h"
#include "support/test_support.h"
#include "unit/tuf/tuf_repo_server.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using nlohmann::json;

const fs::path kVector = shared_dir() / "vectors" / "model-transparency" / "v1.0.0-sigstore";
const std::string kWorkflow = "https://github.com/acme/models/.github/workflows/sign.yml@refs/heads/main";

// The production trusted root with everything the stack's root trusts added.
std::string merged_trusted_root(const fs::path& stack_root) {
  json merged = json::parse(read_file(shared_dir() / "sigstore/trust/production/trusted_root.json"));
  json stack = json::parse(read_file(stack_root));
  for (const char* field : {"tlogs", "certificateAuthorities", "ctlogs", "timestampAuthorities"}) {
    for (const auto& entry : stack[field]) merged[field].push_back(entry);
  }
  return merged.dump(2);
}

class TufTrustE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(model_ / "config.json", "{\"hidden_size\": 8}\n");
    write_file(model_ / "weights.bin", std::string(4096, 'w'));
    publish("trusted_root.json",
            read_file(shared_dir() / "sigstore/trust/production/trusted_root.json"));
    write_file(dir_ / "root.json", repo_.metadata("1.root.json"));
  }

  void publish(const std::string& target, const std::string& content) {
    repo_.control({{{"op", "add_target"}, {"path", target}, {"content", content}},
                   {{"op", "publish"}, {"roles", {"targets"}}},
                   {{"op", "update_snapshot"}}});
  }

  std::vector<std::string> tuf() const {
    return {"--tuf-url", repo_.repository_url(), "--tuf-root", (dir_ / "root.json").string()};
  }
  std::vector<std::string> env() const {
    return {"XDG_CACHE_HOME=" + (dir_ / "cache").string(), "SIGSTORE_ID_TOKEN", "GITHUB_ACTIONS"};
  }

  CommandResult verify(const fs::path& model, const fs::path& signature, const std::string& identity,
                       const std::string& issuer) {
    std::vector<std::string> args = {"verify", "sigstore", model.string(), "--signature", signature.string(),
                                     "--identity", identity, "--identity-provider", issuer};
    for (const auto& a : tuf()) args.push_back(a);
    return run_cli(args, env());
  }

  TufRepoServer repo_;
  TempDir dir_;
  fs::path model_ = dir_ / "model";
};

TEST_F(TufTrustE2E, ABundleOnlyTheRotatedTrustedRootKnowsVerifiesAfterTheRotation) {
  SigstoreStack stack;
  fs::path signature = dir_ / "model.sig";
  ASSERT_TRUE(succeeded(run_cli({"sign", "sigstore", model_.string(), "--signature", signature.string(),
                                 "--trust-config", stack.trust_config().string(), "--identity-token",
                                 stack.token({{"sub", kWorkflow}})},
                                env())));
  // Today's production root: the upstream vector verifies, the stack's
  // bundle does not.
  EXPECT_TRUE(succeeded(verify(kVector, kVector / "model.sig", "stefanb@us.ibm.com",
                               "https://sigstore.verify.ibm.com/oauth2")));
  CommandResult r = verify(model_, signature, kWorkflow, stack.issuer());
  EXPECT_TRUE(one_line_failure(r, 1)) << r.err;

  // The repository rotates trusted_root.json; the next verification picks
  // it up, and the production vector still verifies.
  publish("trusted_root.json", merged_trusted_root(stack.trusted_root()));
  r = verify(model_, signature, kWorkflow, stack.issuer());
  EXPECT_TRUE(succeeded(r, "Verification succeeded\n")) << r.err;
  EXPECT_TRUE(succeeded(verify(kVector, kVector / "model.sig", "stefanb@us.ibm.com",
                               "https://sigstore.verify.ibm.com/oauth2")));
  // Cached: offline, the rotated root is what is trusted.
  std::vector<std::string> offline = {"verify", "sigstore", model_.string(), "--signature", signature.string(),
                                      "--identity", kWorkflow, "--identity-provider", stack.issuer(),
                                      "--tuf-url", repo_.repository_url(), "--offline"};
  EXPECT_TRUE(succeeded(run_cli(offline, env()), "Verification succeeded\n"));
}

TEST_F(TufTrustE2E, KeylessSigningTakesItsSigningConfigFromTheRepository) {
  SigstoreStack stack;
  publish("trusted_root.json", read_file(stack.trusted_root()));
  publish("signing_config.v0.2.json", read_file(stack.signing_config()));
  fs::path signature = dir_ / "model.sig";
  std::vector<std::string> args = {"sign", "sigstore", model_.string(), "--signature", signature.string(),
                                   "--identity-token", stack.token({{"sub", kWorkflow}})};
  for (const auto& a : tuf()) args.push_back(a);
  CommandResult r = run_cli(args, env());
  ASSERT_TRUE(succeeded(r, "Signing succeeded\n")) << r.err;
  EXPECT_TRUE(succeeded(verify(model_, signature, kWorkflow, stack.issuer()), "Verification succeeded\n"));
  EXPECT_EQ(stack.verify_with_sigstore_js(signature, kWorkflow).exit_code, 0);

  // Without a signing config in a private repository, signing says why.
  TufRepoServer bare;
  bare.control({{{"op", "add_target"}, {"path", "trusted_root.json"}, {"content", read_file(stack.trusted_root())}},
                {{"op", "publish"}, {"roles", {"targets"}}},
                {{"op", "update_snapshot"}}});
  write_file(dir_ / "bare-root.json", bare.metadata("1.root.json"));
  args = {"sign", "sigstore", model_.string(), "--signature", (dir_ / "bare.sig").string(), "--identity-token",
          stack.token({{"sub", kWorkflow}}), "--tuf-url", bare.repository_url(), "--tuf-root",
          (dir_ / "bare-root.json").string()};
  r = run_cli(args, env());
  EXPECT_TRUE(one_line_failure(r, 1, "TUF target signing_config.v0.2.json: the TUF repository " +
                                         bare.repository_url() + " does not list it"));
  EXPECT_FALSE(fs::exists(dir_ / "bare.sig"));
}

}  // namespace
}  // namespace model_signing::testing
