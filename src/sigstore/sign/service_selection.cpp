#include "sigstore/sign/service_selection.h"

#include <algorithm>
#include <string>

#include "model_signing/error.h"

namespace model_signing::sigstore {

namespace {

std::string versions_text(std::initializer_list<std::uint32_t> versions) {
  std::string text;
  for (auto v : versions) text += (text.empty() ? "" : " or ") + std::to_string(v);
  return text;
}

}  // namespace

std::vector<Service> select_services(const std::vector<Service>& services,
                                     std::initializer_list<std::uint32_t> supported_versions,
                                     const std::optional<ServiceConfiguration>& config, Time now,
                                     const char* what) {
  // One service per operator (in the order operators first appear): the
  // highest supported API version among those valid now.
  std::vector<Service> chosen;
  for (const Service& s : services) {
    bool supported = std::find(supported_versions.begin(), supported_versions.end(),
                               s.major_api_version) != supported_versions.end();
    if (!supported || !s.valid_for.contains(now)) continue;
    auto same_operator = std::find_if(chosen.begin(), chosen.end(), [&](const Service& c) {
      return c.operator_name == s.operator_name;
    });
    if (same_operator == chosen.end()) {
      chosen.push_back(s);
    } else if (s.major_api_version > same_operator->major_api_version) {
      *same_operator = s;
    }
  }
  ServiceSelector selector = config ? config->selector : ServiceSelector::kAll;
  if (selector == ServiceSelector::kAll || selector == ServiceSelector::kUndefined) return chosen;
  std::size_t count = 1;
  if (selector == ServiceSelector::kExact) count = config->count ? config->count : 1;
  if (chosen.size() < count) {
    throw Error(ErrorKind::kInvalidArgument,
                std::string("signing config: ") + what + " selector wants " +
                    std::to_string(count) + " service(s) valid now with API version " +
                    versions_text(supported_versions) + ", found " + std::to_string(chosen.size()));
  }
  chosen.resize(count);
  return chosen;
}

SelectedServices select_signing_services(const SigstoreSigningConfig& config, Time now) {
  auto cas = select_services(config.ca_urls, {1}, std::nullopt, now, "caUrls");
  if (cas.empty()) {
    throw Error(ErrorKind::kInvalidArgument,
                "signing config lists no Fulcio CA (caUrls) valid now with API version 1");
  }
  SelectedServices selected;
  selected.ca = cas.front();
  auto oidcs = select_services(config.oidc_urls, {1}, std::nullopt, now, "oidcUrls");
  if (!oidcs.empty()) selected.oidc = oidcs.front();
  selected.tlogs = select_services(config.rekor_tlog_urls, {1, 2}, config.rekor_tlog_config, now,
                                   "rekorTlogUrls");
  if (selected.tlogs.empty()) {
    throw Error(ErrorKind::kInvalidArgument,
                "signing config lists no Rekor log (rekorTlogUrls) valid now with API version 1 or 2");
  }
  selected.tsas = select_services(config.tsa_urls, {1}, config.tsa_config, now, "tsaUrls");
  bool needs_timestamp = std::any_of(selected.tlogs.begin(), selected.tlogs.end(),
                                     [](const Service& s) { return s.major_api_version == 2; });
  if (needs_timestamp && selected.tsas.empty()) {
    throw Error(ErrorKind::kInvalidArgument,
                "signing config selects a Rekor v2 log but lists no timestamp authority (tsaUrls) "
                "valid now; Rekor v2 entries need an RFC 3161 timestamp");
  }
  return selected;
}

}  // namespace model_signing::sigstore
