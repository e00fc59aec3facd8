// Client trust configs, bare trusted roots from files, and the embedded
// public-good instances.
#include "model_signing/sigstore_trust.h"
#include "sigstore/trust/embedded_trust.h"
#include "sigstore/trust/trust_json.h"
#include "sigstore/trust/tuf_trust.h"
#include "util/file_io.h"

namespace model_signing::sigstore {

namespace {

using trust_json::json;

constexpr std::string_view kClientTrustConfigMediaType =
    "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json";

// protobuf JSON accepts a field under its lowerCamelCase or its proto name.
const json& require_field(const json& doc, const char* camel, const char* snake,
                          const std::string& ctx) {
  const json* a = json_util::find(doc, camel);
  const json* b = json_util::find(doc, snake);
  if (a && b) json_util::fail(ctx, std::string("has both '") + camel + "' and '" + snake + "'");
  if (!a && !b) json_util::fail(ctx, std::string("missing field '") + camel + "'");
  return a ? *a : *b;
}

ClientTrustConfig client_trust_config(const json& doc) {
  const std::string ctx = "clientTrustConfig";
  json_util::require_object(doc, ctx);
  ClientTrustConfig config;
  config.media_type = trust_json::media_type(doc, ctx, {&kClientTrustConfigMediaType, 1});
  config.trusted_root = trust_json::trusted_root(
      require_field(doc, "trustedRoot", "trusted_root", ctx), ctx + ".trustedRoot");
  config.signing_config = trust_json::signing_config(
      require_field(doc, "signingConfig", "signing_config", ctx), ctx + ".signingConfig");
  return config;
}

ClientTrustConfig client_trust_config_or_root(const json& doc) {
  if (!doc.is_object()) json_util::fail("trust config", "expected a JSON object");
  const json* media_type = json_util::find(doc, "mediaType");
  std::string name = media_type && media_type->is_string() ? media_type->get<std::string>() : "";
  if (name.find("trustedroot") != std::string::npos) {
    ClientTrustConfig config;
    config.trusted_root = trust_json::trusted_root(doc, "trustedRoot");
    return config;
  }
  if (name.find("clienttrustconfig") != std::string::npos) return client_trust_config(doc);
  json_util::fail("trust config", "mediaType '" + name +
                                      "' is neither a client trust config nor a trusted root");
}

}  // namespace

ClientTrustConfig parse_client_trust_config(std::string_view text) {
  return trust_json::as_config_error("invalid client trust config", [&] {
    return client_trust_config(json_util::parse(text, "clientTrustConfig"));
  });
}

ClientTrustConfig load_trust_config(const std::filesystem::path& path) {
  std::string text = util::read_file(path);
  return trust_json::as_config_error("invalid trust config " + path.string(), [&] {
    return client_trust_config_or_root(json_util::parse(text, "trust config"));
  });
}

ClientTrustConfig embedded_trust_config(Instance instance) {
  bool production = instance == Instance::kProduction;
  ClientTrustConfig config;
  config.media_type = std::string(kClientTrustConfigMediaType);
  config.trusted_root = parse_trusted_root(production ? embedded::kProductionTrustedRoot
                                                      : embedded::kStagingTrustedRoot);
  config.signing_config = parse_signing_config(production ? embedded::kProductionSigningConfig
                                                          : embedded::kStagingSigningConfig);
  return config;
}

ClientTrustConfig select_trust_config(bool use_staging, const std::filesystem::path& trust_config) {
  if (!trust_config.empty()) return load_trust_config(trust_config);
  return embedded_trust_config(use_staging ? Instance::kStaging : Instance::kProduction);
}

SelectedTrust select_trust_config(const TrustOptions& options) {
  if (options.trust_config.empty() && options.tuf.update != TrustUpdate::kEmbedded) {
    return select_tuf_trust(options);
  }
  SelectedTrust selected;
  selected.config = select_trust_config(options.use_staging, options.trust_config);
  if (!options.trust_config.empty()) {
    selected.origin = SelectedTrust::Origin::kTrustConfigFile;
    selected.info.push_back("Sigstore trust: the trust config " + options.trust_config.string());
  } else {
    selected.origin = SelectedTrust::Origin::kEmbedded;
    selected.info.push_back(std::string("Sigstore trust: the ") +
                            (options.use_staging ? "staging" : "production") +
                            " trust built into model_signing");
  }
  return selected;
}

}  // namespace model_signing::sigstore
