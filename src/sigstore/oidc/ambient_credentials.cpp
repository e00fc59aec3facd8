#include "sigstore/oidc/ambient_credentials.h"

#include <cctype>
#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include "model_signing/error.h"
#include "net/http_client.h"
#include "sigstore/oidc/subprocess.h"

namespace model_signing::sigstore {

namespace {

std::string trimmed(std::string text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

bool is_set(const Getenv& getenv, const char* name) { return !getenv(name).value_or("").empty(); }

// A string member of a JSON answer, or a kNetwork error naming the source.
std::string json_string_member(const std::string& body, const char* member,
                               const std::string& source) {
  auto value = nlohmann::json::parse(body, nullptr, false);
  if (!value.is_object() || !value.contains(member) || !value[member].is_string() ||
      value[member].get<std::string>().empty()) {
    throw Error(ErrorKind::kNetwork,
                source + " answered without a token ('" + std::string(member) + "')");
  }
  return value[member].get<std::string>();
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
  net::HttpClient client("GitHub Actions OIDC", http, {*request_token});
  net::HttpRequest request;
  request.url = *url + (url->find('?') == std::string::npos ? "?" : "&") +
                "audience=" + std::string(audience);
  request.headers = {"Authorization: bearer " + *request_token, "Accept: application/json"};
  net::HttpResponse response = client.send_expecting_success(request);
  return AmbientCredential{json_string_member(response.body, "value", "GitHub Actions OIDC"),
                           "GitHub Actions"};
}

bool on_google_cloud_vm(const std::string& product_name_file) {
  std::ifstream dmi(product_name_file);
  std::string name;
  std::getline(dmi, name);
  name = trimmed(name);
  return name == "Google" || name == "Google Compute Engine";
}

std::string metadata_url(const AmbientEnvironment& env, const std::string& path) {
  return "http://" + env.getenv("GCE_METADATA_HOST").value_or(env.metadata_host) +
         "/computeMetadata/v1/instance/service-accounts/default/" + path;
}

// The service account's token from the IAM Credentials API, authorized by
// the metadata server's access token for the machine's own account.
AmbientCredential gcp_impersonated(const HttpOptions& http, std::string_view audience,
                                   const std::string& account, const AmbientEnvironment& env) {
  for (char c : account) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '@' && c != '.' && c != '-' &&
        c != '_') {
      throw Error(ErrorKind::kInvalidArgument,
                  "GOOGLE_SERVICE_ACCOUNT_NAME is not a service account email: '" + account + "'");
    }
  }
  net::HttpClient metadata("GCP metadata server", http);
  net::HttpRequest token_request;
  token_request.url = metadata_url(
      env, "token?scopes=https://www.googleapis.com/auth/cloud-platform");
  token_request.headers = {"Metadata-Flavor: Google"};
  std::string access_token = json_string_member(
      metadata.send_expecting_success(token_request).body, "access_token", "GCP metadata server");

  net::HttpClient iam("GCP IAM Credentials", http, {access_token});
  net::HttpRequest id_request;
  id_request.method = "POST";
  id_request.url = env.iam_credentials_url + "/v1/projects/-/serviceAccounts/" + account +
                   ":generateIdToken";
  id_request.headers = {"Authorization: Bearer " + access_token,
                        "Content-Type: application/json", "Accept: application/json"};
  id_request.body =
      nlohmann::json{{"audience", std::string(audience)}, {"includeEmail", true}}.dump();
  return AmbientCredential{
      json_string_member(iam.send_expecting_success(id_request).body, "token",
                         "GCP IAM Credentials"),
      "GCP service account " + account};
}

std::optional<AmbientCredential> gcp(const HttpOptions& http, std::string_view audience,
                                     const AmbientEnvironment& env) {
  if (auto account = env.getenv("GOOGLE_SERVICE_ACCOUNT_NAME"); account && !account->empty()) {
    return gcp_impersonated(http, audience, *account, env);
  }
  if (!env.getenv("GCE_METADATA_HOST") && !on_google_cloud_vm(env.product_name_file)) {
    return std::nullopt;
  }
  net::HttpClient client("GCP metadata server", http);
  net::HttpRequest request;
  request.url = metadata_url(env, "identity?audience=" + std::string(audience) +
                                             "&format=full");
  request.headers = {"Metadata-Flavor: Google"};
  std::string token = trimmed(client.send_expecting_success(request).body);
  if (token.empty()) throw Error(ErrorKind::kNetwork, "GCP metadata server answered an empty token");
  return AmbientCredential{token, "GCP metadata server"};
}

// A CI agent's token command: `argv[0]` is looked up on the job's PATH; it
// prints the token on stdout.
AmbientCredential token_from_command(const std::string& ci, std::vector<std::string> argv,
                                     const AmbientEnvironment& env) {
  std::string shown = "`" + argv[0] + " " + argv[1] + " " + argv[2] + "`";
  auto program = find_executable(argv[0], env.getenv("PATH").value_or(""));
  if (!program) {
    throw Error(ErrorKind::kInvalidArgument,
                ci + " offers no OIDC token to this job: `" + argv[0] + "` is not on PATH");
  }
  argv[0] = *program;
  ProgramOutput output = run_program(argv, env.command_timeout);
  if (output.timed_out) {
    long long ms = env.command_timeout.count();
    throw Error(ErrorKind::kNetwork, ci + ": " + shown + " did not finish within " +
                                         (ms % 1000 == 0 ? std::to_string(ms / 1000) + " s"
                                                         : std::to_string(ms) + " ms"));
  }
  if (output.exit_code != 0) {
    std::string why = trimmed(output.err.empty() ? output.out : output.err);
    why = why.substr(0, why.find('\n')).substr(0, 200);
    throw Error(ErrorKind::kNetwork,
                ci + ": " + shown + " failed" +
                    (output.exit_code < 0 ? " (killed)"
                                          : " (exit " + std::to_string(output.exit_code) + ")") +
                    (why.empty() ? "" : ": " + why));
  }
  std::string token = trimmed(output.out);
  if (token.empty() || token.find_first_of(" \t\r\n") != std::string::npos) {
    throw Error(ErrorKind::kNetwork, ci + ": " + shown + " printed no token");
  }
  return AmbientCredential{token, ci};
}

std::optional<AmbientCredential> buildkite(std::string_view audience,
                                           const AmbientEnvironment& env) {
  if (!is_set(env.getenv, "BUILDKITE")) return std::nullopt;
  return token_from_command(
      "Buildkite",
      {"buildkite-agent", "oidc", "request-token", "--audience", std::string(audience)}, env);
}

std::optional<AmbientCredential> gitlab(std::string_view audience, const Getenv& getenv) {
  if (!is_set(getenv, "GITLAB_CI")) return std::nullopt;
  std::string variable = gitlab_token_variable(audience);
  std::string token = trimmed(getenv(variable.c_str()).value_or(""));
  if (token.empty()) {
    throw Error(ErrorKind::kInvalidArgument,
                "GitLab CI offers no OIDC token to this job: " + variable +
                    " is unset (declare it under the job's `id_tokens:` with `aud: " +
                    std::string(audience) + "`)");
  }
  return AmbientCredential{token, "GitLab CI (" + variable + ")"};
}

std::optional<AmbientCredential> circleci(std::string_view audience,
                                          const AmbientEnvironment& env) {
  if (!is_set(env.getenv, "CIRCLECI")) return std::nullopt;
  return token_from_command(
      "CircleCI",
      {"circleci", "run", "oidc", "get", "--claims",
       nlohmann::json{{"aud", std::string(audience)}}.dump()},
      env);
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

std::string gitlab_token_variable(std::string_view audience) {
  std::string name;
  for (char c : audience) {
    char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    bool keep = (upper >= 'A' && upper <= 'Z') || upper == '_' ||
                (!name.empty() && upper >= '0' && upper <= '9');
    name.push_back(keep ? upper : '_');
  }
  return name + "_ID_TOKEN";
}

std::optional<AmbientCredential> detect_ambient_credential(const HttpOptions& http,
                                                           std::string_view audience,
                                                           const AmbientEnvironment& environment) {
  if (auto c = github(http, audience, environment.getenv)) return c;
  if (auto c = gcp(http, audience, environment)) return c;
  if (auto c = buildkite(audience, environment)) return c;
  if (auto c = gitlab(audience, environment.getenv)) return c;
  if (auto c = circleci(audience, environment)) return c;
  return sigstore_id_token_variable(environment.getenv);
}

}  // namespace model_signing::sigstore
