// `model_signing sign` (Sigstore, keyless) end to end against the local
// stack: every way of getting an identity token, Rekor v1 and v2, and each
// bundle checked by `model_signing verify sigstore` and by sigstore-js.
#include <gtest/gtest.h>

#include <fstream>

#include "net/http_client.h"
#include "support/child_process.h"
#include "support/sigstore/sigstore_stack.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;

// The CI variables ambient detection reads, unset so that the tests see
// only the environment they set up, wherever they run; then `env`.
std::vector<std::string> without_ambient_ci(const std::vector<std::string>& env) {
  std::vector<std::string> result = {
      "GITHUB_ACTIONS", "ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
      "GOOGLE_SERVICE_ACCOUNT_NAME", "GCE_METADATA_HOST", "BUILDKITE", "GITLAB_CI", "CIRCLECI",
      "SIGSTORE_ID_TOKEN"};
  result.insert(result.end(), env.begin(), env.end());
  return result;
}

class SigstoreSignE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    model_ = dir_ / "model";
    write_file(model_ / "config.json", "{\"hidden_size\": 8}\n");
    write_file(model_ / "weights" / "part-0.bin", std::string(4096, 'w'));
    write_file(model_ / "tokenizer.json", "{\"vocab\": {}}\n");
    signature_ = dir_ / "model.sig";
  }

  std::vector<std::string> sign_args(const SigstoreStack& stack) const {
    return {"sign", model_.string(), "--signature", signature_.string(), "--trust-config",
            stack.trust_config().string()};
  }

  // Signs, then checks the bundle with both verifiers.
  void expect_signs_and_verifies(const SigstoreStack& stack, std::vector<std::string> extra,
                                 const std::string& identity,
                                 const std::vector<std::string>& env = {}) {
    auto args = sign_args(stack);
    args.insert(args.end(), extra.begin(), extra.end());
    CommandResult sign = run_cli(args, without_ambient_ci(env));
    ASSERT_EQ(sign.exit_code, 0) << sign.err;
    EXPECT_NE(sign.out.find("Signing succeeded"), std::string::npos);
    expect_verifies(stack, identity);
  }

  void expect_verifies(const SigstoreStack& stack, const std::string& identity) {
    ASSERT_TRUE(fs::exists(signature_));
    CommandResult ours = run_cli({"verify", "sigstore", model_.string(), "--signature",
                                  signature_.string(), "--identity", identity,
                                  "--identity-provider", stack.issuer(), "--trust-config",
                                  stack.trust_config().string()});
    EXPECT_EQ(ours.exit_code, 0) << ours.err;
    EXPECT_NE(ours.out.find("Verification succeeded"), std::string::npos) << ours.out;
    CommandResult js = stack.verify_with_sigstore_js(signature_, identity);
    EXPECT_EQ(js.exit_code, 0) << js.out << js.err;
    // And not for someone else.
    CommandResult other = run_cli({"verify", "sigstore", model_.string(), "--signature",
                                   signature_.string(), "--identity", "mallory@example.com",
                                   "--identity-provider", stack.issuer(), "--trust-config",
                                   stack.trust_config().string()});
    EXPECT_EQ(other.exit_code, 1) << other.out;
  }

  nlohmann::json bundle() const { return nlohmann::json::parse(read_file(signature_)); }

  // A stand-in command `name` (a shell script with `body`) in this test's
  // bin directory; returns the PATH setting that puts it first.
  std::string stand_in(const std::string& name, const std::string& body) const {
    write_script(dir_ / "bin" / name, body);
    return "PATH=" + (dir_ / "bin").string() + ":" + std::getenv("PATH");
  }

  TempDir dir_;
  fs::path model_;
  fs::path signature_;
};

const char* kWorkflow = "https://github.com/acme/model/.github/workflows/release.yml@refs/tags/v1";

TEST_F(SigstoreSignE2E, FixedTokenWithRekorV1) {
  SigstoreStack stack;
  std::string token = stack.token({{"sub", kWorkflow}});
  expect_signs_and_verifies(stack, {"--identity-token", token}, kWorkflow);
  nlohmann::json b = bundle();
  EXPECT_EQ(b["mediaType"], "application/vnd.dev.sigstore.bundle.v0.3+json");
  const auto& vm = b["verificationMaterial"];
  ASSERT_TRUE(vm.contains("certificate"));
  ASSERT_EQ(vm["tlogEntries"].size(), 1u);
  EXPECT_EQ(vm["tlogEntries"][0]["kindVersion"]["kind"], "dsse");
  EXPECT_EQ(vm["tlogEntries"][0]["kindVersion"]["version"], "0.0.1");
  EXPECT_TRUE(vm["tlogEntries"][0].contains("inclusionPromise"));
  EXPECT_EQ(vm["timestampVerificationData"]["rfc3161Timestamps"].size(), 1u);
}

TEST_F(SigstoreSignE2E, FixedTokenWithRekorV2NeedsAndGetsATimestamp) {
  SigstoreStack stack({.rekor = "v2"});
  std::string token = stack.token({{"email", "alice@example.com"}, {"sub", "alice-id"}});
  expect_signs_and_verifies(stack, {"--identity-token", token}, "alice@example.com");
  nlohmann::json b = bundle();
  const auto& vm = b["verificationMaterial"];
  ASSERT_EQ(vm["tlogEntries"].size(), 1u);
  EXPECT_EQ(vm["tlogEntries"][0]["kindVersion"]["kind"], "hashedrekord");
  EXPECT_EQ(vm["tlogEntries"][0]["kindVersion"]["version"], "0.0.2");
  EXPECT_FALSE(vm["tlogEntries"][0].contains("inclusionPromise"));
  EXPECT_EQ(vm["timestampVerificationData"]["rfc3161Timestamps"].size(), 1u);
}

TEST_F(SigstoreSignE2E, SelectorAllLogsToRekorV1AndV2) {
  SigstoreStack stack({.rekor = "both", .selector = "ALL"});
  expect_signs_and_verifies(stack, {"--identity-token", stack.token({{"sub", kWorkflow}})},
                            kWorkflow);
  EXPECT_EQ(bundle()["verificationMaterial"]["tlogEntries"].size(), 2u);
}

TEST_F(SigstoreSignE2E, AmbientGitHubActionsToken) {
  SigstoreStack stack;
  const auto& info = stack.info();
  expect_signs_and_verifies(
      stack, {"--use-ambient-credentials"}, info["githubSubject"].get<std::string>(),
      {"ACTIONS_ID_TOKEN_REQUEST_URL=" + stack.url("oidc") + "/github/token?api-version=2.0",
       "ACTIONS_ID_TOKEN_REQUEST_TOKEN=" + info["githubRequestToken"].get<std::string>()});
}

TEST_F(SigstoreSignE2E, AmbientSigstoreIdTokenVariable) {
  SigstoreStack stack({.rekor = "v2"});
  std::string token = stack.token({{"sub", kWorkflow}});
  expect_signs_and_verifies(stack, {"--use-ambient-credentials"}, kWorkflow,
                            {"SIGSTORE_ID_TOKEN=" + token});
}

TEST_F(SigstoreSignE2E, AmbientGcpMetadataServer) {
  SigstoreStack stack;
  std::string host = stack.url("oidc").substr(std::string("http://").size());
  expect_signs_and_verifies(stack, {"--use-ambient-credentials"},
                            stack.info()["gcpSubject"].get<std::string>(),
                            {"GCE_METADATA_HOST=" + host});
}

// CI agents' token commands, as stand-ins on PATH printing a stack token.
TEST_F(SigstoreSignE2E, AmbientBuildkiteAgent) {
  SigstoreStack stack;
  std::string path = stand_in("buildkite-agent",
                              "[ \"$*\" = 'oidc request-token --audience sigstore' ] || exit 9\necho '" +
                                  stack.token({{"sub", kWorkflow}}) + "'\n");
  expect_signs_and_verifies(stack, {"--use-ambient-credentials"}, kWorkflow,
                            {"BUILDKITE=true", path});
}

TEST_F(SigstoreSignE2E, AmbientCircleCi) {
  SigstoreStack stack({.rekor = "v2"});
  std::string path = stand_in(
      "circleci", "echo '" + stack.token({{"email", "ci@example.com"}, {"sub", "ci"}}) + "'\n");
  expect_signs_and_verifies(stack, {"--use-ambient-credentials"}, "ci@example.com",
                            {"CIRCLECI=true", path});
}

// The browser flow: a stand-in `xdg-open` follows the sign-in redirect back
// to the CLI's loopback listener.
TEST_F(SigstoreSignE2E, InteractiveBrowserFlow) {
  SigstoreStack stack;
  std::string path = stand_in(
      "xdg-open", "exec node '" + (sigstore_stack_dir() / "browser.js").string() + "' \"$1\"\n");
  auto args = sign_args(stack);
  CommandResult sign = run_cli(args, {path});
  ASSERT_EQ(sign.exit_code, 0) << sign.err;
  EXPECT_NE(sign.err.find(stack.url("oidc") + "/auth?"), std::string::npos) << sign.err;
  EXPECT_NE(sign.err.find("code_challenge_method=S256"), std::string::npos);
  expect_verifies(stack, stack.info()["interactiveIdentity"].get<std::string>());
}

// Out of band: the user opens the printed URL and pastes the code.
TEST_F(SigstoreSignE2E, OutOfBandFlowReadsTheCodeFromStdin) {
  SigstoreStack stack({.rekor = "v2"});
  auto args = sign_args(stack);
  args.insert(args.begin(), cli_path().string());
  args.push_back("--oauth-force-oob");
  ChildProcess cli(args);
  auto line = cli.wait_for_stderr("/auth?", std::chrono::seconds(60));
  ASSERT_TRUE(line) << cli.err();
  std::string url = line->substr(line->find("http"));
  EXPECT_NE(url.find("redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob"), std::string::npos);
  net::HttpClient browser("browser", HttpOptions{});
  net::HttpRequest request;
  request.url = url;
  std::string page = browser.send_expecting_success(request).body;
  const std::string open_tag = "<code id=\"code\">";
  std::size_t start = page.find(open_tag);
  ASSERT_NE(start, std::string::npos) << page;
  start += open_tag.size();
  std::size_t end = page.find("</code>", start);
  ASSERT_NE(end, std::string::npos) << page;
  std::string code = page.substr(start, end - start);
  ASSERT_FALSE(code.empty());
  ASSERT_EQ(code.find_first_not_of("0123456789abcdef"), std::string::npos) << code;
  cli.write_stdin(code + "\n");
  ASSERT_EQ(cli.wait(std::chrono::seconds(60)), 0) << cli.err();
  expect_verifies(stack, stack.info()["interactiveIdentity"].get<std::string>());
}

TEST_F(SigstoreSignE2E, HonoursProxyEnvironment) {
  SigstoreStack stack;
  std::string proxy = stack.url("oidc");
  expect_signs_and_verifies(stack, {"--identity-token", stack.token({{"sub", kWorkflow}})},
                            kWorkflow, {"http_proxy=" + proxy, "no_proxy=", "NO_PROXY="});
  int proxied = 0;
  for (const auto& r : stack.requests()) {
    if (r["service"] == "fulcio" && r["path"] == "/api/v2/signingCert") {
      EXPECT_TRUE(r["proxied"].get<bool>());
      ++proxied;
    }
  }
  EXPECT_EQ(proxied, 1);
}

TEST_F(SigstoreSignE2E, RetriesAServerErrorAndSucceeds) {
  SigstoreStack stack;
  stack.set_faults({{"fulcio", {{"status", 503}, {"count", 1}}}});
  expect_signs_and_verifies(stack, {"--identity-token", stack.token({{"sub", kWorkflow}})},
                            kWorkflow, {"MODEL_SIGNING_HTTP_ATTEMPTS=3"});
  int calls = 0;
  for (const auto& r : stack.requests()) calls += r["path"] == "/api/v2/signingCert";
  EXPECT_EQ(calls, 2);
}

// Rekor v1 answers 409 with the Location of an equivalent entry (as after a
// retried POST whose first answer was lost): that entry is fetched and used.
TEST_F(SigstoreSignE2E, RekorConflictFetchesTheExistingEntry) {
  SigstoreStack stack;
  stack.set_faults({{"rekor", {{"conflict", "once"}}}});
  expect_signs_and_verifies(stack, {"--identity-token", stack.token({{"sub", kWorkflow}})},
                            kWorkflow);
  int posts = 0, fetches = 0;
  for (const auto& r : stack.requests()) {
    if (r["service"] != "rekor1") continue;
    std::string path = r["path"].get<std::string>();
    posts += r["method"] == "POST" && path == "/api/v1/log/entries";
    fetches += r["method"] == "GET" && path.rfind("/api/v1/log/entries/", 0) == 0;
  }
  EXPECT_EQ(posts, 1);
  EXPECT_EQ(fetches, 1);
  EXPECT_EQ(bundle()["verificationMaterial"]["tlogEntries"].size(), 1u);
}

// Failures: one clear line, exit 1, and no signature file.
class SigstoreSignFailure : public SigstoreSignE2E {
 protected:
  void expect_failure(const SigstoreStack& stack, const std::vector<std::string>& extra,
                      const std::vector<std::string>& needles,
                      const std::vector<std::string>& env = {}) {
    auto args = sign_args(stack);
    args.insert(args.end(), extra.begin(), extra.end());
    CommandResult sign = run_cli(args, without_ambient_ci(env));
    EXPECT_EQ(sign.exit_code, 1) << sign.out << sign.err;
    EXPECT_FALSE(fs::exists(signature_));
    std::string last_line = sign.err.substr(sign.err.rfind("Signing failed"));
    EXPECT_EQ(last_line.find('\n'), last_line.size() - 1) << "not one line: " << sign.err;
    for (const auto& needle : needles) {
      EXPECT_NE(sign.err.find(needle), std::string::npos) << "missing '" << needle << "' in "
                                                          << sign.err;
    }
    for (const auto& part : extra) {
      if (part.size() > 40) {
        EXPECT_EQ(sign.err.find(part), std::string::npos) << "a token was printed";
      }
    }
  }

  std::vector<std::string> token_args(const SigstoreStack& stack) const {
    return {"--identity-token", stack.token({{"sub", kWorkflow}})};
  }
};

TEST_F(SigstoreSignFailure, FulcioClientError) {
  SigstoreStack stack;
  stack.set_faults({{"fulcio", {{"status", 400}}}});
  expect_failure(stack, token_args(stack), {"Fulcio", "HTTP 400", "injected fulcio failure"});
  int calls = 0;
  for (const auto& r : stack.requests()) calls += r["path"] == "/api/v2/signingCert";
  EXPECT_EQ(calls, 1) << "a 4xx answer is not retried";
}

TEST_F(SigstoreSignFailure, FulcioServerErrorAfterRetries) {
  SigstoreStack stack;
  stack.set_faults({{"fulcio", {{"status", 500}}}});
  expect_failure(stack, token_args(stack), {"Fulcio", "HTTP 500"},
                 {"MODEL_SIGNING_HTTP_ATTEMPTS=2"});
  int calls = 0;
  for (const auto& r : stack.requests()) calls += r["path"] == "/api/v2/signingCert";
  EXPECT_EQ(calls, 2);
}

TEST_F(SigstoreSignFailure, FulcioTimeout) {
  SigstoreStack stack;
  stack.set_faults({{"fulcio", {{"delayMs", 3000}}}});
  expect_failure(stack, token_args(stack), {"Fulcio", "did not answer within 1 s"},
                 {"MODEL_SIGNING_HTTP_TIMEOUT=1", "MODEL_SIGNING_HTTP_ATTEMPTS=1"});
}

TEST_F(SigstoreSignFailure, ServiceUnreachable) {
  SigstoreStack stack;
  auto config = nlohmann::json::parse(read_file(stack.trust_config()));
  config["signingConfig"]["caUrls"][0]["url"] = "http://127.0.0.1:1";
  fs::path custom = dir_ / "unreachable.json";
  write_file(custom, config.dump());
  auto args = token_args(stack);
  CommandResult sign = run_cli({"sign", model_.string(), "--signature", signature_.string(),
                                "--trust-config", custom.string(), args[0], args[1]},
                               {"MODEL_SIGNING_HTTP_ATTEMPTS=2"});
  EXPECT_EQ(sign.exit_code, 1);
  EXPECT_NE(sign.err.find("could not reach Fulcio at http://127.0.0.1:1"), std::string::npos)
      << sign.err;
  EXPECT_NE(sign.err.find("after 2 attempts"), std::string::npos) << sign.err;
  EXPECT_FALSE(fs::exists(signature_));
}

TEST_F(SigstoreSignFailure, ChainNotFromTheTrustedRoot) {
  SigstoreStack stack;
  stack.set_faults({{"fulcio", {{"chain", "untrusted"}}}});
  expect_failure(stack, token_args(stack),
                 {"Fulcio", "not trusted", "does not chain to a trusted Fulcio CA"});
}

TEST_F(SigstoreSignFailure, MissingSct) {
  SigstoreStack stack;
  stack.set_faults({{"fulcio", {{"sct", "missing"}}}});
  expect_failure(stack, token_args(stack), {"Fulcio", "no embedded signed certificate timestamp"});
}

TEST_F(SigstoreSignFailure, InvalidSct) {
  SigstoreStack stack;
  stack.set_faults({{"fulcio", {{"sct", "invalid"}}}});
  expect_failure(stack, token_args(stack), {"Fulcio", "SCT", "does not verify"});
}

TEST_F(SigstoreSignFailure, RekorV1EntryForAnotherBody) {
  SigstoreStack stack;
  stack.set_faults({{"rekor", {{"body", "other"}}}});
  expect_failure(stack, token_args(stack), {"Rekor at", "entry body does not match"});
}

TEST_F(SigstoreSignFailure, RekorV2EntryForAnotherBody) {
  SigstoreStack stack({.rekor = "v2"});
  stack.set_faults({{"rekor", {{"body", "other"}}}});
  expect_failure(stack, token_args(stack), {"Rekor v2 at", "entry body does not match"});
}

TEST_F(SigstoreSignFailure, RekorV1InclusionProofDoesNotVerify) {
  SigstoreStack stack;
  stack.set_faults({{"rekor", {{"proof", "bad"}}}});
  expect_failure(stack, token_args(stack), {"Rekor at", "inclusion proof does not verify"});
}

TEST_F(SigstoreSignFailure, RekorV2InclusionProofDoesNotVerify) {
  SigstoreStack stack({.rekor = "v2"});
  stack.set_faults({{"rekor", {{"proof", "bad"}}}});
  expect_failure(stack, token_args(stack), {"Rekor v2 at", "inclusion proof does not verify"});
}

TEST_F(SigstoreSignFailure, UntrustedTimestampAuthority) {
  SigstoreStack stack({.rekor = "v2"});
  stack.set_faults({{"tsa", {{"untrusted", true}}}});
  expect_failure(stack, token_args(stack),
                 {"timestamp authority at", "timestamp that does not verify"});
}

TEST_F(SigstoreSignFailure, ExpiredToken) {
  SigstoreStack stack;
  expect_failure(stack, {"--identity-token", stack.token({{"sub", kWorkflow}, {"exp_offset", "-3600"}})},
                 {"identity token", "expired"});
  for (const auto& r : stack.requests()) EXPECT_NE(r["service"], "fulcio");
}

TEST_F(SigstoreSignFailure, TokenForAnotherAudience) {
  SigstoreStack stack;
  expect_failure(stack, {"--identity-token", stack.token({{"sub", kWorkflow}, {"aud", "not-sigstore"}})},
                 {"audience", "'not-sigstore'", "'sigstore'"});
}

TEST_F(SigstoreSignFailure, MalformedToken) {
  SigstoreStack stack;
  expect_failure(stack, {"--identity-token", "not-a-jwt"}, {"identity token is malformed"});
}

TEST_F(SigstoreSignFailure, OutOfBandWithoutACode) {
  SigstoreStack stack;
  expect_failure(stack, {"--oauth-force-oob"}, {"no authorization code"});
}

TEST_F(SigstoreSignFailure, GitHubJobWithoutIdTokenPermission) {
  SigstoreStack stack;
  expect_failure(stack, {"--use-ambient-credentials"}, {"id-token: write"},
                 {"GITHUB_ACTIONS=true"});
}

TEST_F(SigstoreSignFailure, RekorConflictWithoutALocation) {
  SigstoreStack stack;
  stack.set_faults({{"rekor", {{"conflict", "no-location"}}}});
  expect_failure(stack, token_args(stack), {"409", "without a usable Location"});
}

TEST_F(SigstoreSignFailure, GitLabJobWithoutIdToken) {
  SigstoreStack stack;
  expect_failure(stack, {"--use-ambient-credentials"}, {"SIGSTORE_ID_TOKEN is unset", "id_tokens:"},
                 {"GITLAB_CI=true"});
}

TEST_F(SigstoreSignFailure, BuildkiteAgentRefuses) {
  SigstoreStack stack;
  std::string path =
      stand_in("buildkite-agent", "echo 'fatal: OIDC tokens are disabled' >&2\nexit 1\n");
  expect_failure(stack, {"--use-ambient-credentials"},
                 {"Buildkite: `buildkite-agent oidc request-token` failed (exit 1)",
                  "OIDC tokens are disabled"},
                 {"BUILDKITE=true", path});
}

TEST_F(SigstoreSignFailure, BareTrustedRootCannotSign) {
  SigstoreStack stack;
  auto args = token_args(stack);
  CommandResult sign = run_cli({"sign", model_.string(), "--signature", signature_.string(),
                                "--trust-config", stack.trusted_root().string(), args[0], args[1]});
  EXPECT_EQ(sign.exit_code, 1);
  EXPECT_NE(sign.err.find("signingConfig"), std::string::npos) << sign.err;
  EXPECT_FALSE(fs::exists(signature_));
}

TEST_F(SigstoreSignFailure, ExistingSignatureIsLeftUntouched) {
  SigstoreStack stack;
  write_file(signature_, "previous signature");
  stack.set_faults({{"fulcio", {{"status", 403}}}});
  auto args = sign_args(stack);
  auto token = token_args(stack);
  args.insert(args.end(), token.begin(), token.end());
  CommandResult sign = run_cli(args);
  EXPECT_EQ(sign.exit_code, 1);
  EXPECT_EQ(read_file(signature_), "previous signature");
}

}  // namespace
}  // namespace model_signing::testing
