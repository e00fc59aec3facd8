#include "net/http_client.h"

#include <gtest/gtest.h>

#include "model_signing/error.h"
#include "support/expect_error.h"
#include "support/sigstore/sigstore_stack.h"

namespace model_signing::net {
namespace {

TEST(HttpClient, SummarizesServerMessagesOnOneLine) {
  EXPECT_EQ(summarize_error_body(R"({"code": 16, "message": "bad\ntoken"})"), "bad token");
  EXPECT_EQ(summarize_error_body(R"({"error": "invalid_grant", "error_description": "expired"})"),
            "expired");
  EXPECT_EQ(summarize_error_body("  plain text\n"), "plain text");
  EXPECT_EQ(summarize_error_body(std::string(500, 'x')).size(), 203u);
  EXPECT_EQ(summarize_error_body(""), "");
}

TEST(HttpClient, NeverShowsItsSecrets) {
  HttpClient client("Fulcio", HttpOptions{}, {"s3cr3t-token"});
  EXPECT_EQ(client.redact("echo s3cr3t-token and s3cr3t-token"), "echo [REDACTED] and [REDACTED]");
}

TEST(HttpClient, ServerErrorsAreRetriedWithBackoffThenReported) {
  testing::SigstoreStack stack;
  stack.set_faults({{"tsa", {{"status", 502}}}});
  HttpOptions options;
  options.max_attempts = 3;
  options.initial_backoff = std::chrono::milliseconds(20);
  HttpClient client("timestamp authority", options, {"SECRET-BODY"});
  HttpRequest request;
  request.method = "POST";
  request.url = stack.url("tsa") + "/api/v1/timestamp?x=SECRET-BODY";
  request.body = "x";
  std::string message;
  EXPECT_TRUE(testing::expect_error([&] { client.send_expecting_success(request); },
                                    ErrorKind::kNetwork,
                                    "timestamp authority at " + stack.url("tsa") +
                                        "/api/v1/timestamp answered HTTP 502: injected tsa failure",
                                    &message));
  EXPECT_EQ(message.find("SECRET-BODY"), std::string::npos) << message;
  int calls = 0;
  for (const auto& r : stack.requests()) calls += r["path"] == "/api/v1/timestamp";
  EXPECT_EQ(calls, 3);
}

TEST(HttpClient, ClientErrorsAreReturnedNotRetried) {
  testing::SigstoreStack stack;
  stack.set_faults({{"tsa", {{"status", 404}}}});
  HttpClient client("timestamp authority", HttpOptions{});
  HttpRequest request;
  request.method = "POST";
  request.url = stack.url("tsa") + "/api/v1/timestamp";
  HttpResponse response = client.send(request);
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.headers["content-type"], "application/json");
  int calls = 0;
  for (const auto& r : stack.requests()) calls += r["path"] == "/api/v1/timestamp";
  EXPECT_EQ(calls, 1);
}

TEST(HttpClient, TimeoutsNameTheServiceAndTheLimit) {
  testing::SigstoreStack stack;
  stack.set_faults({{"rekor1", {{"delayMs", 2000}}}});
  HttpOptions options;
  options.timeout = std::chrono::milliseconds(300);
  options.max_attempts = 2;
  options.initial_backoff = std::chrono::milliseconds(10);
  HttpClient client("Rekor", options);
  HttpRequest request;
  request.method = "POST";
  request.url = stack.url("rekor1") + "/api/v1/log/entries";
  EXPECT_TRUE(testing::expect_error(
      [&] { client.send(request); }, ErrorKind::kNetwork,
      "Rekor at " + request.url + " did not answer within 300 ms (after 2 attempts)"));
}

}  // namespace
}  // namespace model_signing::net
