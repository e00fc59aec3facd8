// dev.sigstore.trustroot.v1.SigningConfig from protobuf JSON (structure only).
#include "model_signing/sigstore_trust.h"
#include "sigstore/trust/trust_json.h"
#include "util/encoding.h"

namespace model_signing::sigstore {

namespace trust_json {

namespace {

constexpr std::string_view kSigningConfigMediaType =
    "application/vnd.dev.sigstore.signingconfig.v0.2+json";

std::uint32_t get_uint32(const json& value, const std::string& ctx) {
  std::int64_t n = json_util::get_int64(value, ctx);
  if (n < 0 || n > 0xffffffffLL) json_util::fail(ctx, "out of range for uint32");
  return static_cast<std::uint32_t>(n);
}

Service service(const json& value, const std::string& ctx) {
  json_util::require_object(value, ctx);
  Service s;
  s.url = json_util::get_string(json_util::require(value, "url", ctx), ctx + ".url");
  if (s.url.empty()) json_util::fail(ctx + ".url", "is empty");
  s.major_api_version =
      get_uint32(json_util::require(value, "majorApiVersion", ctx), ctx + ".majorApiVersion");
  s.valid_for = time_range(json_util::require(value, "validFor", ctx), ctx + ".validFor");
  if (const json* op = json_util::find(value, "operator")) {
    s.operator_name = json_util::get_string(*op, ctx + ".operator");
  }
  return s;
}

std::vector<Service> services(const json& doc, const char* key, const std::string& context) {
  std::vector<Service> out;
  const json* items = json_util::find(doc, key);
  if (!items) return out;
  std::string ctx = context + "." + key;
  json_util::require_array(*items, ctx);
  for (std::size_t i = 0; i < items->size(); ++i) {
    out.push_back(service((*items)[i], ctx + "[" + std::to_string(i) + "]"));
  }
  return out;
}

ServiceConfiguration service_configuration(const json& doc, const char* key,
                                           const std::string& context) {
  ServiceConfiguration config;
  const json* value = json_util::find(doc, key);
  if (!value) return config;
  std::string ctx = context + "." + key;
  json_util::require_object(*value, ctx);
  if (const json* selector = json_util::find(*value, "selector")) {
    std::string name = json_util::get_string(*selector, ctx + ".selector");
    if (name == "ALL") {
      config.selector = ServiceSelector::kAll;
    } else if (name == "ANY") {
      config.selector = ServiceSelector::kAny;
    } else if (name == "EXACT") {
      config.selector = ServiceSelector::kExact;
    } else if (name == "SERVICE_SELECTOR_UNDEFINED") {
      config.selector = ServiceSelector::kUndefined;
    } else {
      json_util::fail(ctx + ".selector", "unknown selector '" + util::excerpt(name) + "'");
    }
  }
  if (const json* count = json_util::find(*value, "count")) {
    config.count = get_uint32(*count, ctx + ".count");
  }
  return config;
}

}  // namespace

SigstoreSigningConfig signing_config(const json& doc, const std::string& ctx) {
  json_util::require_object(doc, ctx);
  SigstoreSigningConfig config;
  config.media_type = media_type(doc, ctx, {&kSigningConfigMediaType, 1});
  config.ca_urls = services(doc, "caUrls", ctx);
  config.oidc_urls = services(doc, "oidcUrls", ctx);
  config.rekor_tlog_urls = services(doc, "rekorTlogUrls", ctx);
  config.rekor_tlog_config = service_configuration(doc, "rekorTlogConfig", ctx);
  config.tsa_urls = services(doc, "tsaUrls", ctx);
  config.tsa_config = service_configuration(doc, "tsaConfig", ctx);
  return config;
}

}  // namespace trust_json

SigstoreSigningConfig parse_signing_config(std::string_view text) {
  return trust_json::as_config_error("invalid signing config", [&] {
    return trust_json::signing_config(json_util::parse(text, "signingConfig"), "signingConfig");
  });
}

}  // namespace model_signing::sigstore
