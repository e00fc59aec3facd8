#include "sigstore/oidc/ambient_credentials.h"

#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include "model_signing/error.h"
#include "sigstore/sign/http_client.h"

namespace model_signing::sigstore {

namespace {

std::string trimmed(std::string text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::optional<AmbientCredential> github(const HttpOptions& http, std::string_view audience,
                                        const Getenv& getenv) {
  auto url = getenv("ACTIONS_ID_TOKEN_REQUEST_URL");
  auto request_token = getenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN");
  if (!url && !request_token) {
    if (getenv("GITHUB_ACTIONS").value_or("") == "true") {
      throw Error(ErrorKind::kInvalidArgument,
                  "GitHub Actions offers no OIDC token to this job: ACTIONS_ID_TOKEN_REQUEST_URL "
                  "is unset (give the workflow `permissions: id-token: write`)");
    }
    return std::nullopt;
  }
  if (!url || !request_token) {
    throw Error(ErrorKind::kInvalidArgument,
                "GitHub Actions OIDC: ACTIONS_ID_TOKEN_REQUEST_URL and "
                "ACTIONS_ID_TOKEN_REQUEST_TOKEN must both be set");
  }
  HttpClient client("GitHub Actions OIDC", http, {*request_token});
  HttpRequest request;
  request.url = *url + (url->find('?') == std::string::npos ? "?" : "&") +
                "audience=" + std::string(audience);
  request.headers = {"Authorization: bearer " + *request_token, "Accept: application/json"};
  HttpResponse response = client.send_expecting_success(request);
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("value") || !body["value"].is_string()) {
    throw Error(ErrorKind::kNetwork, "GitHub Actions OIDC answered without a token ('value')");
  }
  return AmbientCredential{body["value"].get<std::string>(), "GitHub Actions"};
}

bool on_google_compute_engine() {
  std::ifstream dmi("/sys/class/dmi/id/product_name");
  std::string name;
  std::getline(dmi, name);
  return name.find("Google") != std::string::npos;
}

std::optional<AmbientCredential> gcp(const HttpOptions& http, std::string_view audience,
                                     const Getenv& getenv) {
  auto host = getenv("GCE_METADATA_HOST");
  if (!host && !on_google_compute_engine()) return std::nullopt;
  HttpClient client("GCP metadata server", http);
  HttpRequest request;
  request.url = "http://" + host.value_or("metadata.google.internal") +
                "/computeMetadata/v1/instance/service-accounts/default/identity?audience=" +
                std::string(audience) + "&format=full";
  request.headers = {"Metadata-Flavor: Google"};
  std::string token = trimmed(client.send_expecting_success(request).body);
  if (token.empty()) throw Error(ErrorKind::kNetwork, "GCP metadata server answered an empty token");
  return AmbientCredential{token, "GCP metadata server"};
}

std::optional<AmbientCredential> sigstore_id_token_variable(const Getenv& getenv) {
  auto value = getenv("SIGSTORE_ID_TOKEN");
  if (!value || trimmed(*value).empty()) return std::nullopt;
  return AmbientCredential{trimmed(*value), "SIGSTORE_ID_TOKEN"};
}

}  // namespace

std::optional<std::string> process_getenv(const char* name) {
  const char* value = std::getenv(name);
  if (!value) return std::nullopt;
  return std::string(value);
}

std::optional<AmbientCredential> detect_ambient_credential(const HttpOptions& http,
                                                           std::string_view audience,
                                                           const Getenv& getenv) {
  if (auto c = github(http, audience, getenv)) return c;
  if (auto c = gcp(http, audience, getenv)) return c;
  return sigstore_id_token_variable(getenv);
}

}  // namespace model_signing::sigstore
