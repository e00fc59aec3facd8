// dev.sigstore.trustroot.v1.TrustedRoot from protobuf JSON.
#include <algorithm>

#include "model_signing/sigstore_trust.h"
#include "sigstore/trust/trust_json.h"
#include "util/encoding.h"

namespace model_signing::sigstore {

namespace trust_json {

namespace {

constexpr std::string_view kTrustedRootMediaTypes[] = {
    "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
    "application/vnd.dev.sigstore.trustedroot.v0.1+json",
    "application/vnd.dev.sigstore.trustedroot.v0.2+json",
};

std::string optional_string(const json& object, const char* key, const std::string& context) {
  const json* value = json_util::find(object, key);
  return value ? json_util::get_string(*value, context + "." + key) : std::string();
}

Bytes key_id(const json& object, const char* key, const std::string& context) {
  const json* value = json_util::find(object, key);
  if (!value) return {};
  std::string ctx = context + "." + key;
  json_util::require_object(*value, ctx);
  return json_util::get_bytes(json_util::require(*value, "keyId", ctx), ctx + ".keyId");
}

TransparencyLogInstance log_instance(const json& value, const std::string& ctx) {
  json_util::require_object(value, ctx);
  TransparencyLogInstance log;
  log.base_url = optional_string(value, "baseUrl", ctx);
  log.hash_algorithm = optional_string(value, "hashAlgorithm", ctx);
  const std::string kctx = ctx + ".publicKey";
  const json& key = json_util::require_object(json_util::require(value, "publicKey", ctx), kctx);
  log.public_key.raw_bytes =
      json_util::get_bytes(json_util::require(key, "rawBytes", kctx), kctx + ".rawBytes");
  if (log.public_key.raw_bytes.empty()) json_util::fail(kctx + ".rawBytes", "is empty");
  log.public_key.key_details = optional_string(key, "keyDetails", kctx);
  if (const json* valid = json_util::find(key, "validFor")) {
    log.public_key.valid_for = time_range(*valid, kctx + ".validFor");
  }
  log.log_id = key_id(value, "logId", ctx);
  if (log.log_id.empty()) json_util::fail(ctx, "missing field 'logId'");
  log.checkpoint_key_id = key_id(value, "checkpointKeyId", ctx);
  log.operator_name = optional_string(value, "operator", ctx);
  return log;
}

CertificateAuthority authority(const json& value, const std::string& ctx) {
  json_util::require_object(value, ctx);
  CertificateAuthority ca;
  if (const json* subject = json_util::find(value, "subject")) {
    json_util::require_object(*subject, ctx + ".subject");
    ca.subject_organization = optional_string(*subject, "organization", ctx + ".subject");
    ca.subject_common_name = optional_string(*subject, "commonName", ctx + ".subject");
  }
  ca.uri = optional_string(value, "uri", ctx);
  const std::string cctx = ctx + ".certChain";
  const json& chain = json_util::require_object(json_util::require(value, "certChain", ctx), cctx);
  const json& certs = json_util::require_array(json_util::require(chain, "certificates", cctx),
                                               cctx + ".certificates");
  if (certs.empty()) json_util::fail(cctx + ".certificates", "is empty");
  for (std::size_t i = 0; i < certs.size(); ++i) {
    std::string ictx = cctx + ".certificates[" + std::to_string(i) + "]";
    json_util::require_object(certs[i], ictx);
    ca.cert_chain.push_back(
        json_util::get_bytes(json_util::require(certs[i], "rawBytes", ictx), ictx + ".rawBytes"));
    if (ca.cert_chain.back().empty()) json_util::fail(ictx + ".rawBytes", "is empty");
  }
  if (const json* valid = json_util::find(value, "validFor")) {
    ca.valid_for = time_range(*valid, ctx + ".validFor");
  }
  ca.operator_name = optional_string(value, "operator", ctx);
  return ca;
}

template <typename T, typename Parse>
std::vector<T> list(const json& doc, const char* key, const std::string& context, Parse parse) {
  std::vector<T> out;
  const json* items = json_util::find(doc, key);
  if (!items) return out;
  std::string ctx = context + "." + key;
  json_util::require_array(*items, ctx);
  for (std::size_t i = 0; i < items->size(); ++i) {
    out.push_back(parse((*items)[i], ctx + "[" + std::to_string(i) + "]"));
  }
  return out;
}

}  // namespace

TimeRange time_range(const json& value, const std::string& context) {
  json_util::require_object(value, context);
  TimeRange range;
  if (const json* start = json_util::find(value, "start")) {
    range.start = parse_rfc3339(json_util::get_string(*start, context + ".start"), context + ".start");
  }
  if (const json* end = json_util::find(value, "end")) {
    range.end = parse_rfc3339(json_util::get_string(*end, context + ".end"), context + ".end");
  }
  return range;
}

std::string media_type(const json& doc, const std::string& ctx, std::span<const std::string_view> accepted) {
  std::string value = json_util::get_string(json_util::require(doc, "mediaType", ctx), ctx + ".mediaType");
  if (std::find(accepted.begin(), accepted.end(), value) == accepted.end()) {
    json_util::fail(ctx + ".mediaType", "unsupported media type '" + util::excerpt(value) + "'");
  }
  return value;
}

TrustedRoot trusted_root(const json& doc, const std::string& ctx) {
  json_util::require_object(doc, ctx);
  TrustedRoot root;
  root.media_type = media_type(doc, ctx, kTrustedRootMediaTypes);
  root.tlogs = list<TransparencyLogInstance>(doc, "tlogs", ctx, log_instance);
  root.certificate_authorities =
      list<CertificateAuthority>(doc, "certificateAuthorities", ctx, authority);
  root.ctlogs = list<TransparencyLogInstance>(doc, "ctlogs", ctx, log_instance);
  root.timestamp_authorities = list<CertificateAuthority>(doc, "timestampAuthorities", ctx, authority);
  return root;
}

}  // namespace trust_json

TrustedRoot parse_trusted_root(std::string_view text) {
  return trust_json::as_config_error("invalid trusted root", [&] {
    return trust_json::trusted_root(json_util::parse(text, "trustedRoot"), "trustedRoot");
  });
}

}  // namespace model_signing::sigstore
