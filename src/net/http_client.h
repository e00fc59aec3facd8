// HTTP for talking to remote services (the Sigstore services, OIDC
// providers, TUF repositories), on libcurl: timeouts, retries with exponential backoff on 5xx answers and
// connection failures, proxies from libcurl's environment variables
// (http_proxy, https_proxy, no_proxy), and one-line errors naming the
// service, the URL and the status. Secrets (identity tokens) given to the
// client are never part of an error message. libcurl is loaded by the first
// request (curl_library.h); without it, send() says so in one line.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "model_signing/http.h"

namespace model_signing::net {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
  // When non-zero, the transfer stops once the body would exceed this many
  // bytes and the answer comes back with too_large set (never retried).
  std::size_t max_response_bytes = 0;
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased
  bool too_large = false;  // the body was cut at max_response_bytes
};

class HttpClient {
 public:
  // `service` names the remote in messages ("Fulcio", "Rekor", ...).
  HttpClient(std::string service, HttpOptions options, std::vector<std::string> secrets = {});

  // Sends the request, retrying 5xx answers and transport failures up to
  // options.max_attempts times. Returns the final answer whatever its
  // status; throws Error(kNetwork) if no answer came.
  HttpResponse send(const HttpRequest& request) const;

  // send(), then throws Error(kNetwork) naming the status and the server's
  // message unless the status is 2xx.
  HttpResponse send_expecting_success(const HttpRequest& request) const;
  // The check send_expecting_success() makes, for an answer already in hand.
  void check_success(const HttpRequest& request, const HttpResponse& response) const;

  const std::string& service() const { return service_; }
  // Removes the secrets from text that is about to be shown.
  std::string redact(std::string text) const;

 private:
  std::string service_;
  HttpOptions options_;
  std::vector<std::string> secrets_;
};

// The server's message from an error body (JSON "message"/"error_description"
// or text), on one line, at most ~200 characters.
std::string summarize_error_body(const std::string& body);

}  // namespace model_signing::net
