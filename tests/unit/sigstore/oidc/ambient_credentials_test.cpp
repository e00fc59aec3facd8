// Ambient credential detection with a fake environment: the CI agents'
// token commands are stand-in scripts on a PATH of the test's own, and the
// GCP impersonation runs against the local stack's metadata server and
// IAM Credentials stand-in.
#include "sigstore/oidc/ambient_credentials.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>

#include "model_signing/error.h"
#include "sigstore/oidc/identity_token.h"
#include "support/expect_error.h"
#include "support/sigstore/sigstore_stack.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;
using sigstore::AmbientCredential;
using sigstore::AmbientEnvironment;
using sigstore::detect_ambient_credential;

class AmbientCredentials : public ::testing::Test {
 protected:
  // Only these variables exist; PATH is the test's bin directory.
  AmbientEnvironment environment(std::map<std::string, std::string> vars) {
    vars.emplace("PATH", bin_.string());
    vars_ = std::move(vars);
    AmbientEnvironment env;
    env.product_name_file = (dir_ / "product_name").string();  // not a Google Cloud VM
    env.getenv = [this](const char* name) -> std::optional<std::string> {
      auto it = vars_.find(name);
      if (it == vars_.end()) return std::nullopt;
      return it->second;
    };
    return env;
  }

  // A stand-in command that records its arguments and runs `body`.
  void fake_command(const std::string& name, const std::string& body) {
    write_script(bin_ / name,
                 "printf '%s\\n' \"$@\" > '" + (dir_ / name).string() + ".args'\n" + body + "\n");
  }
  std::string recorded_args(const std::string& name) { return read_file(dir_ / (name + ".args")); }

  std::optional<AmbientCredential> detect(const AmbientEnvironment& env) {
    return detect_ambient_credential(HttpOptions{}, "sigstore", env);
  }

  // The message of the Error detection throws, checking its kind.
  std::string failure(const AmbientEnvironment& env, ErrorKind kind) {
    std::string message;
    EXPECT_TRUE(expect_error([&] { detect(env); }, kind, "", &message));
    return message;
  }

  TempDir dir_;
  fs::path bin_ = dir_ / "bin";
  std::map<std::string, std::string> vars_;
};

TEST_F(AmbientCredentials, NothingInAPlainEnvironment) {
  fs::create_directories(bin_);
  EXPECT_FALSE(detect(environment({})).has_value());
}

TEST_F(AmbientCredentials, GoogleCloudVmIsRecognizedByItsProductName) {
  SigstoreStack stack;
  AmbientEnvironment env = environment({});
  env.metadata_host = stack.url("oidc").substr(std::string("http://").size());
  write_file(env.product_name_file, "Standard PC (Q35 + ICH9, 2009)\n");
  EXPECT_FALSE(detect(env).has_value());
  write_file(env.product_name_file, "Google Compute Engine\n");
  auto found = detect(env);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->source, "GCP metadata server");
  EXPECT_EQ(sigstore::parse_identity_token(found->token).identity(),
            stack.info()["gcpSubject"].get<std::string>());
}

TEST_F(AmbientCredentials, GitLabVariableNames) {
  EXPECT_EQ(sigstore::gitlab_token_variable("sigstore"), "SIGSTORE_ID_TOKEN");
  EXPECT_EQ(sigstore::gitlab_token_variable("http://test.audience"),
            "HTTP___TEST_AUDIENCE_ID_TOKEN");
  EXPECT_EQ(sigstore::gitlab_token_variable("1st_aud9"), "_ST_AUD9_ID_TOKEN");
}

TEST_F(AmbientCredentials, GitLabTokenVariable) {
  auto found = detect(environment({{"GITLAB_CI", "true"}, {"SIGSTORE_ID_TOKEN", " tok.en.x \n"}}));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->token, "tok.en.x");
  EXPECT_EQ(found->source, "GitLab CI (SIGSTORE_ID_TOKEN)");
}

TEST_F(AmbientCredentials, GitLabJobWithoutTheTokenSaysWhatToDeclare) {
  std::string message = failure(environment({{"GITLAB_CI", "true"}}), ErrorKind::kInvalidArgument);
  EXPECT_NE(message.find("SIGSTORE_ID_TOKEN is unset"), std::string::npos) << message;
  EXPECT_NE(message.find("id_tokens:"), std::string::npos) << message;
}

TEST_F(AmbientCredentials, BuildkiteAgentToken) {
  fake_command("buildkite-agent", "echo ' bk.token.sig '");
  auto found = detect(environment({{"BUILDKITE", "true"}}));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->token, "bk.token.sig");
  EXPECT_EQ(found->source, "Buildkite");
  EXPECT_EQ(recorded_args("buildkite-agent"), "oidc\nrequest-token\n--audience\nsigstore\n");
}

TEST_F(AmbientCredentials, CircleCiToken) {
  fake_command("circleci", "echo cc.token.sig");
  auto found = detect(environment({{"CIRCLECI", "true"}}));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->token, "cc.token.sig");
  EXPECT_EQ(found->source, "CircleCI");
  EXPECT_EQ(recorded_args("circleci"), "run\noidc\nget\n--claims\n{\"aud\":\"sigstore\"}\n");
}

TEST_F(AmbientCredentials, OrderIsGcpBuildkiteGitLabCircleCiThenTheVariable) {
  fake_command("buildkite-agent", "echo from.buildkite.agent");
  fake_command("circleci", "echo from.circleci.cli");
  std::map<std::string, std::string> all = {{"BUILDKITE", "true"},
                                            {"GITLAB_CI", "true"},
                                            {"CIRCLECI", "true"},
                                            {"SIGSTORE_ID_TOKEN", "from.the.variable"}};
  EXPECT_EQ(detect(environment(all))->source, "Buildkite");
  all.erase("BUILDKITE");
  EXPECT_EQ(detect(environment(all))->source, "GitLab CI (SIGSTORE_ID_TOKEN)");
  all.erase("GITLAB_CI");
  EXPECT_EQ(detect(environment(all))->source, "CircleCI");
  all.erase("CIRCLECI");
  EXPECT_EQ(detect(environment(all))->source, "SIGSTORE_ID_TOKEN");
}

TEST_F(AmbientCredentials, AgentNotOnPath) {
  fs::create_directories(bin_);
  std::string message = failure(environment({{"BUILDKITE", "true"}}), ErrorKind::kInvalidArgument);
  EXPECT_NE(message.find("`buildkite-agent` is not on PATH"), std::string::npos) << message;
  message = failure(environment({{"CIRCLECI", "true"}}), ErrorKind::kInvalidArgument);
  EXPECT_NE(message.find("`circleci` is not on PATH"), std::string::npos) << message;
}

TEST_F(AmbientCredentials, AgentFailureIsReportedWithItsMessage) {
  fake_command("buildkite-agent", "echo 'fatal: OIDC is disabled for this pipeline' >&2\nexit 3");
  std::string message = failure(environment({{"BUILDKITE", "1"}}), ErrorKind::kNetwork);
  EXPECT_NE(message.find("Buildkite: `buildkite-agent oidc request-token` failed (exit 3): fatal: "
                         "OIDC is disabled for this pipeline"),
            std::string::npos)
      << message;
}

TEST_F(AmbientCredentials, AgentPrintingNoTokenIsAnError) {
  fake_command("circleci", "echo");
  std::string message = failure(environment({{"CIRCLECI", "true"}}), ErrorKind::kNetwork);
  EXPECT_NE(message.find("printed no token"), std::string::npos) << message;
  fake_command("circleci", "echo 'two words'");
  message = failure(environment({{"CIRCLECI", "true"}}), ErrorKind::kNetwork);
  EXPECT_NE(message.find("printed no token"), std::string::npos) << message;
}

TEST_F(AmbientCredentials, HungAgentIsKilledAtTheTimeout) {
  fake_command("buildkite-agent", "exec sleep 30");
  AmbientEnvironment env = environment({{"BUILDKITE", "true"}});
  env.command_timeout = std::chrono::milliseconds(300);
  auto start = std::chrono::steady_clock::now();
  std::string message = failure(env, ErrorKind::kNetwork);
  EXPECT_NE(message.find("did not finish within 300 ms"), std::string::npos) << message;
  // Killed, not waited for: well short of the 30 s the stand-in sleeps.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
}

TEST_F(AmbientCredentials, AgentThatLeavesAChildHoldingItsOutputIsNotWaitedFor) {
  // The agent prints its token and exits, but a child it leaves behind keeps
  // stdout open for 30 s.
  fake_command("circleci", "echo cc.token.sig\nsleep 30 &\nexit 0");
  auto start = std::chrono::steady_clock::now();
  auto found = detect(environment({{"CIRCLECI", "true"}}));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->token, "cc.token.sig");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
}

TEST_F(AmbientCredentials, GcpServiceAccountImpersonation) {
  SigstoreStack stack;
  std::string account = stack.info()["gcpImpersonated"].get<std::string>();
  AmbientEnvironment env =
      environment({{"GOOGLE_SERVICE_ACCOUNT_NAME", account},
                   {"GCE_METADATA_HOST", stack.url("oidc").substr(std::string("http://").size())}});
  env.iam_credentials_url = stack.url("oidc");
  auto found = detect(env);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->source, "GCP service account " + account);
  // The stack's IAM stand-in mints a token for the impersonated account.
  sigstore::IdentityToken token = sigstore::parse_identity_token(found->token);
  EXPECT_EQ(token.identity(), account);
  EXPECT_EQ(token.audiences, std::vector<std::string>{"sigstore"});
  bool asked_iam = false, asked_metadata = false;
  for (const auto& r : stack.requests()) {
    std::string path = r["path"].get<std::string>();
    if (path.find(":generateIdToken") != std::string::npos) asked_iam = r["method"] == "POST";
    if (path.find("/service-accounts/default/token") != std::string::npos) asked_metadata = true;
  }
  EXPECT_TRUE(asked_metadata);
  EXPECT_TRUE(asked_iam);
}

TEST_F(AmbientCredentials, GcpImpersonationOfAnUnknownAccountFails) {
  SigstoreStack stack;
  AmbientEnvironment env =
      environment({{"GOOGLE_SERVICE_ACCOUNT_NAME", "nobody@acme-project.iam.gserviceaccount.com"},
                   {"GCE_METADATA_HOST", stack.url("oidc").substr(std::string("http://").size())}});
  env.iam_credentials_url = stack.url("oidc");
  std::string message = failure(env, ErrorKind::kNetwork);
  EXPECT_NE(message.find("GCP IAM Credentials"), std::string::npos) << message;
  EXPECT_NE(message.find("404"), std::string::npos) << message;
}

TEST_F(AmbientCredentials, GcpImpersonationNeedsAnAccountEmail) {
  fs::create_directories(bin_);
  std::string message = failure(environment({{"GOOGLE_SERVICE_ACCOUNT_NAME", "a/../b"}}),
                                ErrorKind::kInvalidArgument);
  EXPECT_NE(message.find("not a service account email"), std::string::npos) << message;
}

}  // namespace
}  // namespace model_signing::testing
