#include "sigstore/oidc/oauth_flow.h"

#include <openssl/rand.h>

#include <memory>

#include <nlohmann/json.hpp>

#include "crypto/digest.h"
#include "model_signing/error.h"
#include "net/http_client.h"
#include "sigstore/oidc/identity_token.h"
#include "sigstore/oidc/loopback_listener.h"
#include "util/encoding.h"

namespace model_signing::sigstore {

namespace {

constexpr const char* kOobRedirect = "urn:ietf:wg:oauth:2.0:oob";

std::string base64url(const std::vector<std::uint8_t>& bytes) {
  return util::base64url_encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string random_token(std::size_t bytes) {
  std::vector<std::uint8_t> buf(bytes);
  if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1) {
    throw Error(ErrorKind::kKey, "no randomness available for the sign-in flow");
  }
  return base64url(buf);
}

struct Endpoints {
  std::string authorization;
  std::string token;
};

Endpoints discover(const OAuthFlowConfig& config) {
  std::string issuer = config.issuer;
  while (!issuer.empty() && issuer.back() == '/') issuer.pop_back();
  net::HttpClient client("OIDC issuer " + issuer, config.http);
  net::HttpRequest request;
  request.url = issuer + "/.well-known/openid-configuration";
  request.headers = {"Accept: application/json"};
  auto doc = nlohmann::json::parse(client.send_expecting_success(request).body, nullptr, false);
  Endpoints endpoints;
  if (doc.is_object()) {
    if (doc.value("authorization_endpoint", nlohmann::json()).is_string()) {
      endpoints.authorization = doc["authorization_endpoint"].get<std::string>();
    }
    if (doc.value("token_endpoint", nlohmann::json()).is_string()) {
      endpoints.token = doc["token_endpoint"].get<std::string>();
    }
  }
  if (endpoints.authorization.empty() || endpoints.token.empty()) {
    throw Error(ErrorKind::kNetwork, "OIDC discovery at " + request.url +
                                         " did not name an authorization and a token endpoint");
  }
  return endpoints;
}

std::string trimmed(std::string text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

std::string interactive_identity_token(const OAuthFlowConfig& config) {
  Endpoints endpoints = discover(config);
  std::string verifier = random_token(32);
  std::string challenge = base64url(crypto::sha256(verifier));
  std::string state = random_token(16);
  std::string nonce = random_token(16);

  std::unique_ptr<LoopbackListener> listener;
  if (!config.force_oob) listener = std::make_unique<LoopbackListener>();
  std::string redirect_uri = listener ? listener->redirect_uri() : kOobRedirect;

  std::string url = endpoints.authorization +
                    (endpoints.authorization.find('?') == std::string::npos ? "?" : "&") +
                    "response_type=code&client_id=" + url_encode(config.client_id) +
                    "&redirect_uri=" + url_encode(redirect_uri) + "&scope=openid+email" +
                    "&code_challenge=" + challenge + "&code_challenge_method=S256" +
                    "&state=" + state + "&nonce=" + nonce;
  if (config.show_url) config.show_url(url);

  std::string code;
  if (listener) {
    auto params = listener->wait_for_callback(config.timeout);
    if (params.count("error")) {
      std::string why = params["error"];
      if (params.count("error_description")) why += ": " + params["error_description"];
      throw Error(ErrorKind::kInvalidArgument, "sign-in failed at " + config.issuer + ": " + why);
    }
    if (params["state"] != state) {
      throw Error(ErrorKind::kInvalidArgument,
                  "sign-in redirect carried the wrong state (not the request this tool made)");
    }
    code = params["code"];
  } else {
    std::optional<std::string> pasted = config.read_code ? config.read_code() : std::nullopt;
    code = trimmed(pasted.value_or(""));
  }
  if (code.empty()) {
    throw Error(ErrorKind::kInvalidArgument, "sign-in returned no authorization code");
  }

  net::HttpClient client("OIDC token endpoint", config.http, {code, verifier, config.client_secret});
  net::HttpRequest request;
  request.method = "POST";
  request.url = endpoints.token;
  std::string basic = url_encode(config.client_id) + ":" + url_encode(config.client_secret);
  request.headers = {"Content-Type: application/x-www-form-urlencoded",
                     "Accept: application/json",
                     "Authorization: Basic " + util::base64_encode(basic)};
  request.body = "grant_type=authorization_code&code=" + url_encode(code) +
                 "&redirect_uri=" + url_encode(redirect_uri) +
                 "&code_verifier=" + verifier + "&client_id=" + url_encode(config.client_id);
  auto doc = nlohmann::json::parse(client.send_expecting_success(request).body, nullptr, false);
  if (!doc.is_object() || !doc.value("id_token", nlohmann::json()).is_string()) {
    throw Error(ErrorKind::kNetwork, "OIDC token endpoint " + endpoints.token +
                                         " answered without an id_token");
  }
  std::string id_token = doc["id_token"].get<std::string>();
  IdentityToken parsed = parse_identity_token(id_token);
  if (parsed.nonce && *parsed.nonce != nonce) {
    throw Error(ErrorKind::kInvalidArgument,
                "the ID token's nonce does not match this sign-in (replayed token?)");
  }
  return id_token;
}

}  // namespace model_signing::sigstore
