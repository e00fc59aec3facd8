#include <gtest/gtest.h>

#include "model_signing/error.h"
#include "model_signing/sigstore_trust.h"
#include "sigstore/trust/embedded_trust.h"
#include "support/expect_error.h"
#include "support/test_support.h"

namespace model_signing::sigstore {
namespace {

using testing::shared_dir;

using testing::expect_error;

TEST(Rfc3339, ParsesFractionsAndOffsets) {
  Time t = parse_rfc3339("2021-01-12T11:53:27Z", "t");
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count(),
            1610452407);
  EXPECT_EQ(format_time(t), "2021-01-12T11:53:27Z");
  Time ms = parse_rfc3339("2022-12-31T23:59:59.999Z", "t");
  EXPECT_EQ(format_time(ms), "2022-12-31T23:59:59.999Z");
  EXPECT_EQ(parse_rfc3339("2022-10-31T23:59:59.999000Z", "t"),
            parse_rfc3339("2022-10-31T23:59:59.999Z", "t"));
  EXPECT_EQ(parse_rfc3339("2021-01-12T13:53:27+02:00", "t"), t);
  EXPECT_EQ(format_time(parse_rfc3339("2024-02-29T00:00:00.000000001Z", "t")),
            "2024-02-29T00:00:00.000000001Z");
}

TEST(Rfc3339, RejectsMalformedTimes) {
  for (const char* bad : {"", "2021-01-12", "2021-01-12T11:53:27", "2021-13-01T00:00:00Z",
                          "2023-02-29T00:00:00Z", "2021-01-12T24:00:00Z", "2021-01-12T11:53:27.Z",
                          "2021-01-12T11:53:27Zjunk", "21-01-12T11:53:27Z", "9999-01-01T00:00:00Z"}) {
    EXPECT_TRUE(expect_error([&] { parse_rfc3339(bad, "validFor.start"); },
                             ErrorKind::kInvalidArgument, "validFor.start"))
        << bad;
  }
}

// The range is that of the instant in UTC: every accepted time is written
// back by format_time() and read again.
TEST(Rfc3339, RangeIsCheckedAfterTheOffset) {
  EXPECT_EQ(format_time(parse_rfc3339("2261-12-31T23:59:59.999999999Z", "t")), "2261-12-31T23:59:59.999999999Z");
  EXPECT_EQ(format_time(parse_rfc3339("1678-01-01T00:00:00Z", "t")), "1678-01-01T00:00:00Z");
  for (const char* bad : {"2261-12-31T23:00:00-01:00", "2261-12-31T12:00:00-23:59", "1678-01-01T00:00:00+00:01",
                          "2262-01-01T00:00:00Z", "1677-12-31T23:59:59Z"}) {
    EXPECT_TRUE(expect_error([&] { parse_rfc3339(bad, "t"); }, ErrorKind::kInvalidArgument, "year out of range"))
        << bad;
  }
  EXPECT_EQ(format_time(parse_rfc3339("2262-01-01T00:30:00+01:00", "t")), "2261-12-31T23:30:00Z");
  for (const char* good : {"2261-06-01T00:00:00-23:59", "1678-01-01T01:00:00+00:59", "2000-02-29T12:00:00.5+14:00"}) {
    Time t = parse_rfc3339(good, "t");
    EXPECT_EQ(parse_rfc3339(format_time(t), "t"), t) << good;
  }
}

TEST(Rfc3339, MalformedTimesAreQuotedEscapedAndShort) {
  std::string message;
  EXPECT_TRUE(expect_error([&] { parse_rfc3339("\x1b[2J" + std::string(10000, '9'), "genTime"); },
                           ErrorKind::kInvalidArgument, "genTime: '\\x1b[2J999", &message));
  EXPECT_LT(message.size(), 200u);
}

TEST(TimeRange, IsClosedAndNeedsAStart) {
  TimeRange range{parse_rfc3339("2023-01-01T00:00:00Z", "s"),
                  parse_rfc3339("2023-07-12T15:56:36Z", "e")};
  EXPECT_TRUE(range.contains(*range.start));
  EXPECT_TRUE(range.contains(*range.end));
  EXPECT_FALSE(range.contains(*range.start - std::chrono::nanoseconds(1)));
  EXPECT_FALSE(range.contains(*range.end + std::chrono::nanoseconds(1)));
  TimeRange open{range.start, std::nullopt};
  EXPECT_TRUE(open.contains(parse_rfc3339("2200-01-01T00:00:00Z", "t")));
  TimeRange no_start{std::nullopt, range.end};
  EXPECT_FALSE(no_start.contains(*range.start));
  EXPECT_EQ(no_start.describe(), "[no start, 2023-07-12T15:56:36Z]");
}

TEST(EmbeddedTrust, IsByteForByteTheSharedFiles) {
  const auto trust = shared_dir() / "sigstore" / "trust";
  EXPECT_EQ(embedded::kProductionTrustedRoot,
            testing::read_file(trust / "production" / "trusted_root.json"));
  EXPECT_EQ(embedded::kProductionSigningConfig,
            testing::read_file(trust / "production" / "signing_config.v0.2.json"));
  EXPECT_EQ(embedded::kStagingTrustedRoot,
            testing::read_file(trust / "staging" / "trusted_root.json"));
  EXPECT_EQ(embedded::kStagingSigningConfig,
            testing::read_file(trust / "staging" / "signing_config.v0.2.json"));
}

TEST(EmbeddedTrust, TufRootsAreByteForByteTheSharedFiles) {
  const auto tuf = shared_dir() / "sigstore" / "tuf";
  EXPECT_EQ(embedded::kProductionTufRoot, testing::read_file(tuf / "production" / "root.json"));
  EXPECT_EQ(embedded::kStagingTufRoot, testing::read_file(tuf / "staging" / "root.json"));
}

TEST(EmbeddedTrust, ProductionRootParses) {
  ClientTrustConfig config = embedded_trust_config(Instance::kProduction);
  const TrustedRoot& root = config.trusted_root;
  ASSERT_EQ(root.tlogs.size(), 2u);
  EXPECT_EQ(root.tlogs[0].base_url, "https://rekor.sigstore.dev");
  EXPECT_EQ(root.tlogs[0].public_key.key_details, "PKIX_ECDSA_P256_SHA_256");
  EXPECT_EQ(root.tlogs[0].log_id.size(), 32u);
  EXPECT_EQ(format_time(*root.tlogs[0].public_key.valid_for.start), "2021-01-12T11:53:27Z");
  EXPECT_FALSE(root.tlogs[0].public_key.valid_for.end);
  EXPECT_EQ(root.tlogs[1].public_key.key_details, "PKIX_ED25519");
  ASSERT_EQ(root.certificate_authorities.size(), 2u);
  EXPECT_EQ(root.certificate_authorities[1].cert_chain.size(), 2u);
  EXPECT_EQ(format_time(*root.certificate_authorities[0].valid_for.end),
            "2022-12-31T23:59:59.999Z");
  EXPECT_EQ(root.ctlogs.size(), 2u);
  ASSERT_EQ(root.timestamp_authorities.size(), 1u);
  EXPECT_EQ(root.timestamp_authorities[0].subject_common_name, "sigstore-tsa-selfsigned");
  ASSERT_TRUE(config.signing_config);
  EXPECT_EQ(config.signing_config->ca_urls.at(0).url, "https://fulcio.sigstore.dev");
  EXPECT_EQ(config.signing_config->rekor_tlog_config.selector, ServiceSelector::kAny);
}

TEST(EmbeddedTrust, StagingDiffersFromProduction) {
  ClientTrustConfig staging = embedded_trust_config(Instance::kStaging);
  EXPECT_EQ(staging.trusted_root.tlogs.at(0).base_url, "https://rekor.sigstage.dev");
  EXPECT_EQ(staging.trusted_root.ctlogs.at(0).public_key.key_details, "PKCS1_RSA_PKCS1V5");
  ASSERT_TRUE(staging.signing_config);
  const auto& rekors = staging.signing_config->rekor_tlog_urls;
  ASSERT_EQ(rekors.size(), 4u);
  EXPECT_EQ(rekors[0].major_api_version, 2u);
  EXPECT_EQ(rekors[0].operator_name, "sigstore.dev");
  EXPECT_EQ(rekors[1].valid_for.describe(), "[2025-08-20T07:24:08Z, 2025-09-22T11:00:00Z]");
}

TEST(LoadTrustConfig, ReadsABareTrustedRoot) {
  auto path = shared_dir() / "sigstore" / "conformance-sample" /
              "trust-root-tlog-validity-end-inclusive" / "trusted_root.json";
  ClientTrustConfig config = load_trust_config(path);
  EXPECT_FALSE(config.signing_config);
  // "end": null reads as no end.
  EXPECT_FALSE(config.trusted_root.tlogs.at(1).public_key.valid_for.end);
  EXPECT_EQ(format_time(*config.trusted_root.tlogs.at(0).public_key.valid_for.end),
            "2023-07-12T15:56:36Z");
}

TEST(LoadTrustConfig, ReadsAClientTrustConfigWithProtoFieldNames) {
  // model_signing's golden writes "signing_config", the proto field name.
  auto path = shared_dir() / "vectors" / "model-transparency" / "goldens" / "custom_trust_config.json";
  ClientTrustConfig config = load_trust_config(path);
  ASSERT_TRUE(config.signing_config);
  EXPECT_EQ(config.signing_config->ca_urls.size(), 2u);
  EXPECT_EQ(config.signing_config->ca_urls[1].url, "https://fulcio-old.example.com");
  EXPECT_EQ(config.trusted_root.tlogs.size(), 1u);
}

TEST(LoadTrustConfig, NamesTheFileAndField) {
  testing::TempDir dir;
  auto path = dir / "trust.json";
  testing::write_file(path, R"({"mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
                                "tlogs": [{"baseUrl": "x", "publicKey": {"rawBytes": "!!"}, "logId": {"keyId": "AA=="}}]})");
  EXPECT_TRUE(expect_error([&] { load_trust_config(path); }, ErrorKind::kInvalidArgument,
                           "invalid trust config " + path.string() + ": "));
  EXPECT_TRUE(expect_error([&] { load_trust_config(path); }, ErrorKind::kInvalidArgument,
                           "trustedRoot.tlogs[0].publicKey.rawBytes"));

  testing::write_file(path, R"({"mediaType": "application/json"})");
  EXPECT_TRUE(expect_error([&] { load_trust_config(path); }, ErrorKind::kInvalidArgument,
                           "neither a client trust config nor a trusted root"));

  EXPECT_TRUE(expect_error([&] { load_trust_config(dir / "missing.json"); }, ErrorKind::kIo));
}

TEST(ParseTrustedRoot, RejectsStructuralProblems) {
  const std::string media = R"("mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1")";
  struct Case {
    std::string json;
    std::string expected;
  } cases[] = {
      {R"({"mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=9"})", "mediaType"},
      {"{" + media + R"(, "tlogs": {}})", "trustedRoot.tlogs"},
      {"{" + media + R"(, "tlogs": [{"publicKey": {"rawBytes": "AAAA"}}]})", "logId"},
      {"{" + media + R"(, "ctlogs": [{"logId": {"keyId": "AA=="}}]})", "publicKey"},
      {"{" + media + R"(, "certificateAuthorities": [{"certChain": {"certificates": []}}]})",
       "certChain.certificates"},
      {"{" + media +
           R"(, "timestampAuthorities": [{"certChain": {"certificates": [{"rawBytes": "AAAA"}]},
             "validFor": {"start": "yesterday"}}]})",
       "timestampAuthorities[0].validFor.start"},
      {"{" + media + ", " + media + "}", "duplicate key"},
  };
  for (const auto& c : cases) {
    EXPECT_TRUE(expect_error([&] { parse_trusted_root(c.json); }, ErrorKind::kInvalidArgument,
                             c.expected))
        << c.json;
  }
}

TEST(ParseSigningConfig, RejectsStructuralProblems) {
  const std::string media = R"("mediaType": "application/vnd.dev.sigstore.signingconfig.v0.2+json")";
  struct Case {
    std::string json;
    std::string expected;
  } cases[] = {
      {R"({"mediaType": "application/vnd.dev.sigstore.signingconfig.v0.1+json"})", "mediaType"},
      {"{" + media + R"(, "caUrls": [{"majorApiVersion": 1, "validFor": {"start": "2022-01-01T00:00:00Z"}}]})",
       "caUrls[0]: missing field 'url'"},
      {"{" + media + R"(, "tsaUrls": [{"url": "https://t", "majorApiVersion": -1, "validFor": {}}]})",
       "tsaUrls[0].majorApiVersion"},
      {"{" + media + R"(, "rekorTlogUrls": [{"url": "https://r", "majorApiVersion": 1}]})", "validFor"},
      {"{" + media + R"(, "tsaConfig": {"selector": "SOME"}})", "tsaConfig.selector"},
  };
  for (const auto& c : cases) {
    EXPECT_TRUE(expect_error([&] { parse_signing_config(c.json); }, ErrorKind::kInvalidArgument,
                             c.expected))
        << c.json;
  }
  SigstoreSigningConfig exact = parse_signing_config("{" + media + R"(, "tsaConfig": {"selector": "EXACT", "count": 2}})");
  EXPECT_EQ(exact.tsa_config.selector, ServiceSelector::kExact);
  EXPECT_EQ(exact.tsa_config.count, 2u);
}

TEST(ParseClientTrustConfig, RequiresBothParts) {
  EXPECT_TRUE(expect_error(
      [&] {
        parse_client_trust_config(
            R"({"mediaType": "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json",
                "trustedRoot": {"mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1"}})");
      },
      ErrorKind::kInvalidArgument, "missing field 'signingConfig'"));
}

// The one rule signing and verifying share: a trust config file overrides
// the staging flag; without one, the embedded instance.
TEST(SelectTrustConfig, AFileOverridesStagingElseTheEmbeddedInstance) {
  auto path = shared_dir() / "vectors" / "model-transparency" / "goldens" / "custom_trust_config.json";
  ClientTrustConfig from_file = select_trust_config(true, path);
  ASSERT_TRUE(from_file.signing_config);
  EXPECT_EQ(from_file.signing_config->ca_urls[1].url, "https://fulcio-old.example.com");
  EXPECT_EQ(select_trust_config(false, path).trusted_root.tlogs.size(),
            from_file.trusted_root.tlogs.size());

  ClientTrustConfig staging = select_trust_config(true, {});
  ClientTrustConfig production = select_trust_config(false, {});
  EXPECT_EQ(staging.signing_config->ca_urls[0].url,
            embedded_trust_config(Instance::kStaging).signing_config->ca_urls[0].url);
  EXPECT_EQ(production.signing_config->ca_urls[0].url,
            embedded_trust_config(Instance::kProduction).signing_config->ca_urls[0].url);
  EXPECT_NE(staging.signing_config->ca_urls[0].url, production.signing_config->ca_urls[0].url);

  EXPECT_TRUE(expect_error([&] { select_trust_config(true, path.parent_path() / "missing.json"); },
                           ErrorKind::kIo));
}

}  // namespace
}  // namespace model_signing::sigstore
