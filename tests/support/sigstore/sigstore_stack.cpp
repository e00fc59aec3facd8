#include "support/sigstore/sigstore_stack.h"

#include <mutex>
#include <stdexcept>

#include "net/http_client.h"
#include "sigstore/oidc/loopback_listener.h"

namespace model_signing::testing {

namespace {

// npm ci from the committed lock file, once per test process (the script
// itself serializes concurrent runs and skips an up-to-date install).
void ensure_installed() {
  static std::once_flag once;
  std::call_once(once, [] {
    auto result = run_command("/bin/bash", {(sigstore_stack_dir() / "install.sh").string()}, "", {},
                              std::chrono::seconds(600));
    if (result.exit_code != 0) {
      throw std::runtime_error("installing the Sigstore test stack failed: " + result.err);
    }
  });
}

net::HttpClient control_client() {
  HttpOptions http;
  http.timeout = std::chrono::seconds(10);
  http.max_attempts = 1;
  return net::HttpClient("test stack", http);
}

}  // namespace

std::filesystem::path sigstore_stack_dir() { return source_dir() / "tests" / "sigstore_stack"; }

SigstoreStack::SigstoreStack(StackOptions options) {
  ensure_installed();
  std::vector<std::string> argv = {"node", (sigstore_stack_dir() / "server.js").string(),
                                   "--dir", dir_.path().string(), "--rekor", options.rekor,
                                   "--selector", options.selector};
  if (!options.tsa) argv.push_back("--no-tsa");
  server_ = std::make_unique<ChildProcess>(argv);
  if (!server_->wait_for_stdout("READY", std::chrono::seconds(60))) {
    server_->wait(std::chrono::milliseconds(100));
    throw std::runtime_error("the Sigstore test stack did not start: " + server_->err());
  }
  info_ = nlohmann::json::parse(read_file(dir_.path() / "stack.json"));
}

std::string SigstoreStack::url(const std::string& service) const {
  return info_["urls"][service].get<std::string>();
}

void SigstoreStack::set_faults(const nlohmann::json& faults) const {
  net::HttpRequest request;
  request.method = "POST";
  request.url = url("oidc") + "/__faults";
  request.headers = {"Content-Type: application/json"};
  request.body = faults.dump();
  control_client().send_expecting_success(request);
}

nlohmann::json SigstoreStack::requests() const {
  net::HttpRequest request;
  request.url = url("oidc") + "/__requests";
  return nlohmann::json::parse(control_client().send_expecting_success(request).body);
}

std::string SigstoreStack::token(const std::map<std::string, std::string>& query) const {
  net::HttpRequest request;
  request.url = url("oidc") + "/__token?";
  for (const auto& [name, value] : query) {
    request.url += name + "=" + sigstore::url_encode(value) + "&";
  }
  return control_client().send_expecting_success(request).body;
}

CommandResult SigstoreStack::verify_with_sigstore_js(const std::filesystem::path& bundle,
                                                     const std::string& identity,
                                                     const std::filesystem::path& artifact) const {
  std::vector<std::string> args = {"node", (sigstore_stack_dir() / "verify.js").string(),
                                   "--bundle", bundle.string(), "--trusted-root",
                                   trusted_root().string(), "--identity", identity, "--issuer",
                                   issuer()};
  if (!artifact.empty()) {
    args.push_back("--artifact");
    args.push_back(artifact.string());
  }
  return run_command("/usr/bin/env", args, "", {}, std::chrono::seconds(60));
}

}  // namespace model_signing::testing
