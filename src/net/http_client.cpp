#include "net/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <memory>
#include <thread>

#include <nlohmann/json.hpp>

#include "model_signing/error.h"
#include "net/curl_library.h"
#include "util/log.h"

namespace model_signing::net {

namespace {

struct CurlDeleter {
  const CurlLibrary* curl;
  void operator()(CURL* c) const { curl->easy_cleanup(c); }
};
struct SlistDeleter {
  const CurlLibrary* curl;
  void operator()(curl_slist* l) const { curl->slist_free_all(l); }
};

struct BodySink {
  HttpResponse* response;
  std::size_t max_bytes;  // 0: no limit
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  std::string& body = sink->response->body;
  if (sink->max_bytes != 0 && size * count > sink->max_bytes - body.size()) {
    sink->response->too_large = true;
    return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
  }
  body.append(data, size * count);
  return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  std::string line(data, size * count);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value = line.substr(colon + 1);
    auto first = value.find_first_not_of(" \t");
    auto last = value.find_last_not_of(" \t\r\n");
    (*headers)[name] = first == std::string::npos ? "" : value.substr(first, last - first + 1);
  } else if (line.rfind("HTTP/", 0) == 0) {
    headers->clear();  // a new response (after a 100 Continue or redirect)
  }
  return size * count;
}

struct Attempt {
  CURLcode code = CURLE_OK;
  std::string curl_error;
  HttpResponse response;
};

Attempt perform(const CurlLibrary& lib, const HttpRequest& request, const HttpOptions& options) {
  std::unique_ptr<CURL, CurlDeleter> curl(lib.easy_init(), CurlDeleter{&lib});
  if (!curl) throw Error(ErrorKind::kNetwork, "could not initialise libcurl");
  Attempt attempt;
  char error[CURL_ERROR_SIZE] = {0};
  std::unique_ptr<curl_slist, SlistDeleter> headers(nullptr, SlistDeleter{&lib});
  for (const auto& h : request.headers) {
    curl_slist* extended = lib.slist_append(headers.get(), h.c_str());
    if (!extended) throw Error(ErrorKind::kNetwork, "out of memory building an HTTP request");
    headers.release();
    headers.reset(extended);
  }
  CURL* c = curl.get();
  lib.easy_setopt(c, CURLOPT_URL, request.url.c_str());
  lib.easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  lib.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  lib.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  lib.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  lib.easy_setopt(c, CURLOPT_USERAGENT, "model-signing-cpp");
  lib.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
  lib.easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
  BodySink sink{&attempt.response, request.max_response_bytes};
  lib.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  lib.easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  if (request.max_response_bytes != 0) {
    // Refuses up front an answer whose Content-Length is already too large.
    lib.easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(request.max_response_bytes));
  }
  lib.easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  lib.easy_setopt(c, CURLOPT_HEADERDATA, &attempt.response.headers);
  if (headers) lib.easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  if (request.method == "POST") {
    lib.easy_setopt(c, CURLOPT_POST, 1L);
    lib.easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
    lib.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else if (request.method != "GET") {
    lib.easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  attempt.code = lib.easy_perform(c);
  if (attempt.code == CURLE_FILESIZE_EXCEEDED) attempt.response.too_large = true;
  if (attempt.response.too_large) {
    attempt.code = CURLE_OK;
    lib.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &attempt.response.status);
  } else if (attempt.code != CURLE_OK) {
    attempt.curl_error = error[0] ? error : lib.easy_strerror(attempt.code);
  } else {
    lib.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &attempt.response.status);
  }
  return attempt;
}

// Transport failures worth another try: the service may be restarting or
// the network briefly down. TLS and URL errors are not.
bool retryable(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return true;
    default:
      return false;
  }
}

// URL without its query (which may carry secrets, e.g. GitHub's request URL).
std::string display_url(const std::string& url) { return url.substr(0, url.find('?')); }

std::string seconds_text(std::chrono::milliseconds ms) {
  if (ms.count() % 1000 == 0) return std::to_string(ms.count() / 1000) + " s";
  return std::to_string(ms.count()) + " ms";
}

}  // namespace

HttpClient::HttpClient(std::string service, HttpOptions options, std::vector<std::string> secrets)
    : service_(std::move(service)), options_(options), secrets_(std::move(secrets)) {
  if (options_.max_attempts < 1) options_.max_attempts = 1;
  secrets_.erase(std::remove(secrets_.begin(), secrets_.end(), std::string()), secrets_.end());
}

std::string HttpClient::redact(std::string text) const {
  for (const auto& secret : secrets_) {
    for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos)) {
      text.replace(pos, secret.size(), "[REDACTED]");
    }
  }
  return text;
}

HttpResponse HttpClient::send(const HttpRequest& request) const {
  const CurlLibrary& lib = curl_library("talking to " + service_);
  std::chrono::milliseconds backoff = options_.initial_backoff;
  for (int attempt = 1;; ++attempt) {
    auto started = std::chrono::steady_clock::now();
    Attempt result = perform(lib, request, options_);
    if (log_enabled(LogLevel::kInfo)) {
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - started)
                    .count();
      std::string outcome = result.code == CURLE_OK ? "HTTP " + std::to_string(result.response.status)
                                                    : result.curl_error;
      util::log(LogLevel::kInfo, redact(service_ + ": " + request.method + " " +
                                        display_url(request.url) + " -> " + outcome + " in " +
                                        std::to_string(ms) + " ms" +
                                        (attempt > 1 ? " (attempt " + std::to_string(attempt) + ")" : "")));
    }
    bool server_error = result.code == CURLE_OK && result.response.status >= 500 &&
                        !result.response.too_large;
    bool transport_error = result.code != CURLE_OK;
    bool again = attempt < options_.max_attempts &&
                 (server_error || (transport_error && retryable(result.code)));
    if (!again) {
      if (!transport_error) return std::move(result.response);
      std::string tries = attempt > 1 ? " (after " + std::to_string(attempt) + " attempts)" : "";
      if (result.code == CURLE_OPERATION_TIMEDOUT) {
        throw Error(ErrorKind::kNetwork,
                    redact(service_ + " at " + display_url(request.url) + " did not answer within " +
                           seconds_text(options_.timeout) + tries));
      }
      throw Error(ErrorKind::kNetwork, redact("could not reach " + service_ + " at " +
                                              display_url(request.url) + ": " + result.curl_error +
                                              tries));
    }
    util::log(LogLevel::kDebug, service_ + ": retrying in " + std::to_string(backoff.count()) + " ms");
    std::this_thread::sleep_for(backoff);
    backoff *= 2;
  }
}

HttpResponse HttpClient::send_expecting_success(const HttpRequest& request) const {
  HttpResponse response = send(request);
  check_success(request, response);
  return response;
}

void HttpClient::check_success(const HttpRequest& request, const HttpResponse& response) const {
  if (response.status < 200 || response.status > 299) {
    std::string message = service_ + " at " + display_url(request.url) + " answered HTTP " +
                          std::to_string(response.status);
    std::string detail = summarize_error_body(response.body);
    if (!detail.empty()) message += ": " + detail;
    throw Error(ErrorKind::kNetwork, redact(message));
  }
}

std::string summarize_error_body(const std::string& body) {
  std::string text = body;
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_object()) {
    for (const char* key : {"message", "error_description", "error", "detail"}) {
      auto it = parsed.find(key);
      if (it != parsed.end() && it->is_string()) {
        text = it->get<std::string>();
        break;
      }
    }
  }
  for (char& ch : text) {
    if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  }
  auto first = text.find_first_not_of(' ');
  if (first == std::string::npos) return "";
  text = text.substr(first, text.find_last_not_of(' ') - first + 1);
  if (text.size() > 200) text = text.substr(0, 200) + "...";
  return text;
}

}  // namespace model_signing::net
