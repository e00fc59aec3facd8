#include "unit/tuf/tuf_repo_server.h"

#include <mutex>
#include <stdexcept>

#include "net/http_client.h"
#include "support/test_support.h"

namespace model_signing::testing {

namespace {

void ensure_installed() {
  static std::once_flag once;
  std::call_once(once, [] {
    auto result = run_command("/bin/bash", {(source_dir() / "tests" / "tuf_repo" / "install.sh").string()},
                              "", {}, std::chrono::seconds(600));
    if (result.exit_code != 0) {
      throw std::runtime_error("installing the TUF test repository failed: " + result.err);
    }
  });
}

net::HttpResponse call(const std::string& method, const std::string& url, const std::string& body = "") {
  HttpOptions http;
  http.timeout = std::chrono::seconds(30);
  http.max_attempts = 1;
  net::HttpRequest request;
  request.method = method;
  request.url = url;
  request.body = body;
  if (!body.empty()) request.headers = {"Content-Type: application/json"};
  return net::HttpClient("TUF test repository", http).send(request);
}

}  // namespace

TufRepoServer::TufRepoServer() {
  ensure_installed();
  server_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{"node", (source_dir() / "tests" / "tuf_repo" / "server.js").string()});
  auto line = server_->wait_for_stdout("READY ", std::chrono::seconds(60));
  if (!line) {
    server_->wait(std::chrono::milliseconds(100));
    throw std::runtime_error("the TUF test repository did not start: " + server_->err());
  }
  base_url_ = line->substr(line->find("READY ") + 6);
  while (!base_url_.empty() && (base_url_.back() == '\n' || base_url_.back() == '\r')) base_url_.pop_back();
}

TufRepoServer::~TufRepoServer() = default;

void TufRepoServer::stop() { server_.reset(); }

nlohmann::json TufRepoServer::control(const nlohmann::json& ops) const {
  auto response = call("POST", base_url_ + "/__control", nlohmann::json{{"ops", ops}}.dump());
  if (response.status != 200) throw std::runtime_error("TUF repository control failed: " + response.body);
  return nlohmann::json::parse(response.body);
}

std::string TufRepoServer::metadata(const std::string& file) const {
  auto response = call("GET", base_url_ + "/__published/" + file);
  if (response.status != 200) throw std::runtime_error("no published " + file);
  return response.body;
}

std::vector<std::string> TufRepoServer::requests() const {
  return nlohmann::json::parse(call("GET", base_url_ + "/__requests").body).get<std::vector<std::string>>();
}

void TufRepoServer::clear_requests() const { call("POST", base_url_ + "/__requests/clear", "{}"); }

}  // namespace model_signing::testing
