// The default Fetcher: the project's HTTP client (timeouts, retries on 5xx
// and connection failures, proxies from the environment) with a hard cap
// on every body, so an endless or oversized answer stops at the cap.
#include "model_signing/tuf.h"
#include "net/curl_library.h"
#include "net/http_client.h"

namespace model_signing::tuf {

namespace {

class HttpFetcher : public Fetcher {
 public:
  explicit HttpFetcher(const HttpOptions& options) : client_("the TUF repository", options) {}

  Result fetch(const std::string& url, std::size_t max_bytes) override {
    net::HttpRequest request;
    request.url = url;
    // One byte more than allowed, so that "exactly max_bytes" is told apart
    // from "more".
    request.max_response_bytes = max_bytes + 1;
    net::HttpResponse response = client_.send(request);
    Result result;
    if (response.status == 403 || response.status == 404) {
      result.status = Result::Status::kNotFound;
      return result;
    }
    client_.check_success(request, response);
    if (response.too_large || response.body.size() > max_bytes) {
      result.status = Result::Status::kTooLarge;
      return result;
    }
    result.body = std::move(response.body);
    return result;
  }

 private:
  net::HttpClient client_;
};

}  // namespace

std::shared_ptr<Fetcher> make_http_fetcher(const HttpOptions& options) {
  // libcurl is loaded on first use: without it there is no fetcher at all
  // (Error(kUnsupported) naming the library), rather than one whose every
  // fetch fails like an unreachable network.
  net::curl_library("talking to the TUF repository");
  return std::make_shared<HttpFetcher>(options);
}

}  // namespace model_signing::tuf
