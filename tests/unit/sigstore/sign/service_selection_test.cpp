#include "sigstore/sign/service_selection.h"

#include <gtest/gtest.h>

#include "model_signing/error.h"
#include "support/expect_error.h"
#include "support/test_support.h"

namespace model_signing::sigstore {
namespace {

SigstoreSigningConfig shared_config(const char* instance) {
  return parse_signing_config(testing::read_file(testing::shared_dir() / "sigstore" / "trust" /
                                                 instance / "signing_config.v0.2.json"));
}

Time at(const char* rfc3339) { return parse_rfc3339(rfc3339, "test time"); }

Service service(std::string url, std::uint32_t version, std::string op,
                const char* start = "2020-01-01T00:00:00Z", const char* end = nullptr) {
  Service s;
  s.url = std::move(url);
  s.major_api_version = version;
  s.operator_name = std::move(op);
  s.valid_for.start = at(start);
  if (end) s.valid_for.end = at(end);
  return s;
}

TEST(ServiceSelection, ProductionUsesRekorV1AndTheTimestampAuthority) {
  auto selected = select_signing_services(shared_config("production"), at("2026-01-01T00:00:00Z"));
  EXPECT_EQ(selected.ca.url, "https://fulcio.sigstore.dev");
  ASSERT_TRUE(selected.oidc);
  EXPECT_EQ(selected.oidc->url, "https://oauth2.sigstore.dev/auth");
  ASSERT_EQ(selected.tlogs.size(), 1u);
  EXPECT_EQ(selected.tlogs[0].url, "https://rekor.sigstore.dev");
  ASSERT_EQ(selected.tsas.size(), 1u);
  EXPECT_EQ(selected.tsas[0].url, "https://timestamp.sigstore.dev/api/v1/timestamp");
}

// Selector ANY asks for one TSA; before the production TSA's validity began
// there is none, and the config cannot be satisfied (as in sigstore-python).
TEST(ServiceSelection, ASelectorThatCannotBeSatisfiedIsAnError) {
  EXPECT_TRUE(testing::expect_error(
      [&] { select_signing_services(shared_config("production"), at("2025-01-01T00:00:00Z")); },
      ErrorKind::kInvalidArgument, "tsaUrls selector wants 1"));
}

TEST(ServiceSelection, StagingPrefersTheRekorV2ShardValidAtTheTime) {
  auto config = shared_config("staging");
  auto now = select_signing_services(config, at("2026-01-01T00:00:00Z"));
  ASSERT_EQ(now.tlogs.size(), 1u);
  EXPECT_EQ(now.tlogs[0].url, "https://log2025-alpha3.rekor.sigstage.dev");
  EXPECT_EQ(now.tlogs[0].major_api_version, 2u);
  EXPECT_EQ(now.tsas.size(), 1u);
  auto june = select_signing_services(config, at("2025-06-01T00:00:00Z"));
  EXPECT_EQ(june.tlogs.at(0).url, "https://log2025-alpha1.rekor.sigstage.dev");
}

TEST(ServiceSelection, OnePerOperatorThenTheSelector) {
  std::vector<Service> logs = {service("https://a1", 1, "a"), service("https://a2", 2, "a"),
                               service("https://b1", 1, "b"), service("https://c9", 9, "c"),
                               service("https://d1", 1, "d", "2020-01-01T00:00:00Z",
                                       "2021-01-01T00:00:00Z")};
  Time now = at("2024-01-01T00:00:00Z");
  auto all = select_services(logs, {1, 2}, ServiceConfiguration{ServiceSelector::kAll, 0}, now, "x");
  ASSERT_EQ(all.size(), 2u);  // c speaks no supported version, d has expired
  EXPECT_EQ(all[0].url, "https://a2");
  EXPECT_EQ(all[1].url, "https://b1");
  auto any = select_services(logs, {1, 2}, ServiceConfiguration{ServiceSelector::kAny, 0}, now, "x");
  ASSERT_EQ(any.size(), 1u);
  EXPECT_EQ(any[0].url, "https://a2");
  auto exact = select_services(logs, {1, 2}, ServiceConfiguration{ServiceSelector::kExact, 2}, now, "x");
  EXPECT_EQ(exact.size(), 2u);
  EXPECT_THROW(
      select_services(logs, {1, 2}, ServiceConfiguration{ServiceSelector::kExact, 3}, now, "x"),
      Error);
  EXPECT_EQ(select_services(logs, {1, 2}, std::nullopt, now, "x").size(), 2u);
}

TEST(ServiceSelection, RekorV2WithoutATimestampAuthorityIsAnError) {
  SigstoreSigningConfig config;
  config.ca_urls = {service("https://ca", 1, "o")};
  config.rekor_tlog_urls = {service("https://log", 2, "o")};
  EXPECT_TRUE(testing::expect_error([&] { select_signing_services(config, at("2024-01-01T00:00:00Z")); },
                                    ErrorKind::kInvalidArgument, "timestamp authority"));
}

TEST(ServiceSelection, NoCaOrNoLogIsAnError) {
  SigstoreSigningConfig config;
  config.rekor_tlog_urls = {service("https://log", 1, "o")};
  EXPECT_THROW(select_signing_services(config, at("2024-01-01T00:00:00Z")), Error);
  config.ca_urls = {service("https://ca", 1, "o")};
  config.rekor_tlog_urls.clear();
  EXPECT_THROW(select_signing_services(config, at("2024-01-01T00:00:00Z")), Error);
}

}  // namespace
}  // namespace model_signing::sigstore
