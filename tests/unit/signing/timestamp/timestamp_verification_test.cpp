// RFC 3161 timestamps in key and certificate bundles, verified against the
// TSA trust anchors given: what must verify (imprint over the signature,
// chain to an anchor, timeStamping usage, validity at genTime), the
// certificate chain checked at the timestamp's time, and what happens
// without anchors or without a timestamp. The timestamps come from a test
// TSA that stamps any time, so expired certificates need no waiting.
#include <gtest/gtest.h>

#include <ctime>

#include "model_signing/signing.h"
#include "model_signing/verifying.h"
#include "support/expect_error.h"
#include "support/sigstore/sigstore_test_support.h"
#include "support/test_pki.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;
using sigstore::testing::TestTimestampAuthority;

constexpr std::time_t kDay = 24 * 3600;
const std::string kStatement = "{\"_type\": \"https://in-toto.io/Statement/v1\"}";

bool has_line(const std::vector<std::string>& lines, const std::string& needle) {
  for (const auto& line : lines) {
    if (line.find(needle) != std::string::npos) return true;
  }
  return false;
}

class Timestamps : public ::testing::Test {
 protected:
  void SetUp() override {
    tsa_.root().write_cert_pem(dir_ / "tsa-root.pem");
    other_tsa_.root().write_cert_pem(dir_ / "other-tsa-root.pem");
    ca_.write_cert_pem(dir_ / "ca.pem");
  }

  // A key bundle, signed now.
  Bundle key_bundle() {
    generate_ec_key("P-256", dir_ / "key.pem", dir_ / "key.pub");
    return make_key_signer(dir_ / "key.pem")->sign(kStatement);
  }

  // A certificate bundle whose leaf is valid over [not_before, not_after].
  Bundle certificate_bundle(std::time_t not_before, std::time_t not_after) {
    CertSpec spec;
    spec.common_name = "Model Signer";
    spec.not_before = not_before;
    spec.not_after = not_after;
    TestIdentity leaf = ca_.issue(spec);
    leaf.write_key_pem(dir_ / "leaf.key");
    leaf.write_cert_pem(dir_ / "leaf.pem");
    return make_certificate_signer(dir_ / "leaf.key", dir_ / "leaf.pem", {})->sign(kStatement);
  }

  static const Bytes& signature(const Bundle& b) { return b.dsse_envelope->signatures.at(0).sig; }

  void stamp(Bundle& b, std::time_t when, const TestTimestampAuthority& tsa) {
    b.verification_material.rfc3161_timestamps.push_back(tsa.timestamp(signature(b), when));
  }

  TimestampVerificationOptions anchors(const std::string& file = "tsa-root.pem", bool require = false) {
    TimestampVerificationOptions o;
    o.tsa_trust_anchors = {dir_ / file};
    o.require_timestamp = require;
    return o;
  }

  VerifiedPayload verify_key(const Bundle& b, const TimestampVerificationOptions& o) {
    return make_key_verifier(dir_ / "key.pub", o)->verify(b);
  }
  VerifiedPayload verify_certificate(const Bundle& b, const TimestampVerificationOptions& o) {
    CertificateVerifierOptions options;
    options.trust_anchors = {dir_ / "ca.pem"};
    options.timestamps = o;
    return make_certificate_verifier(options)->verify(b);
  }

  TempDir dir_;
  TestTimestampAuthority tsa_;
  TestTimestampAuthority other_tsa_;
  TestIdentity ca_ = TestIdentity::make_root("P-256", "Model CA", std::time(nullptr) - 30 * kDay);
  std::time_t now_ = std::time(nullptr);
};

TEST_F(Timestamps, AKeySignatureWithAVerifiedTimestamp) {
  Bundle b = key_bundle();
  stamp(b, now_, tsa_);
  VerifiedPayload result = verify_key(b, anchors("tsa-root.pem", true));
  EXPECT_EQ(result.payload, kStatement);
  EXPECT_TRUE(has_line(result.details, "signature timestamped at ")) << ::testing::PrintToString(result.details);
  EXPECT_TRUE(has_line(result.details, "(RFC 3161, certificate 'CN=Test TSA')"))
      << ::testing::PrintToString(result.details);
  EXPECT_TRUE(result.warnings.empty());
}

TEST_F(Timestamps, ATimestampOverAnotherSignatureFails) {
  Bundle b = key_bundle();
  b.verification_material.rfc3161_timestamps.push_back(tsa_.timestamp(Bytes{1, 2, 3}, now_));
  std::string message;
  EXPECT_TRUE(expect_error([&] { verify_key(b, anchors()); }, ErrorKind::kUntrustedSigner,
                           "timestampVerificationData.rfc3161Timestamps[0]: RFC 3161 timestamp of ", &message));
  EXPECT_NE(message.find("does not verify against the TSA trust anchors"), std::string::npos) << message;
  EXPECT_NE(message.find("imprint"), std::string::npos) << message;
}

TEST_F(Timestamps, ATsaChainToAnotherAnchorFails) {
  Bundle b = key_bundle();
  stamp(b, now_, tsa_);
  EXPECT_TRUE(expect_error([&] { verify_key(b, anchors("other-tsa-root.pem")); }, ErrorKind::kUntrustedSigner,
                           "does not verify against the TSA trust anchors"));
  // Every timestamp must verify, not just one.
  stamp(b, now_, other_tsa_);
  EXPECT_TRUE(expect_error([&] { verify_key(b, anchors()); }, ErrorKind::kUntrustedSigner,
                           "timestampVerificationData.rfc3161Timestamps[1]"));
}

TEST_F(Timestamps, TheTsaCertificateMustBeValidAtTheTimestampsTime) {
  // The test TSA's certificate is valid from 2020 to 2040.
  Bundle b = key_bundle();
  stamp(b, sigstore::testing::unix_seconds("2041-06-01T00:00:00Z"), tsa_);
  EXPECT_TRUE(expect_error([&] { verify_key(b, anchors()); }, ErrorKind::kUntrustedSigner,
                           "its certificate chain is not valid at genTime"));
}

TEST_F(Timestamps, AMalformedTimestampFails) {
  Bundle b = key_bundle();
  b.verification_material.rfc3161_timestamps.push_back(Bytes{0x30, 0x03, 0x02, 0x01, 0x00});
  EXPECT_TRUE(expect_error([&] { verify_key(b, anchors()); }, ErrorKind::kUntrustedSigner,
                           "RFC 3161 timestamp is not a DER TimeStampResp"));
}

TEST_F(Timestamps, AMissingTimestampFailsOnlyWhenRequired) {
  Bundle b = key_bundle();
  EXPECT_NO_THROW(verify_key(b, anchors()));
  EXPECT_TRUE(expect_error([&] { verify_key(b, anchors("tsa-root.pem", true)); }, ErrorKind::kUntrustedSigner,
                           "bundle has no RFC 3161 timestamp (verificationMaterial.timestampVerificationData), "
                           "and one is required"));
  // Requiring a timestamp without anchors to verify it with is a usage error.
  TimestampVerificationOptions no_anchors;
  no_anchors.require_timestamp = true;
  EXPECT_TRUE(expect_error([&] { make_key_verifier(dir_ / "key.pub", no_anchors); }, ErrorKind::kInvalidArgument,
                           "requiring a timestamp needs the TSA trust anchors"));
}

TEST_F(Timestamps, WithoutAnchorsATimestampIsNotUsedAndSaysSo) {
  Bundle b = key_bundle();
  b.verification_material.rfc3161_timestamps.push_back(tsa_.timestamp(Bytes{1, 2, 3}, now_));
  VerifiedPayload result = verify_key(b, {});
  EXPECT_TRUE(has_line(result.warnings, "the bundle's RFC 3161 timestamp was not checked and not used: no TSA "
                                        "trust anchors were given"))
      << ::testing::PrintToString(result.warnings);
}

TEST_F(Timestamps, AnExpiredCertificateVerifiesAtTheTimestampsTime) {
  // Valid from ten days ago until yesterday; timestamped five days ago.
  Bundle b = certificate_bundle(now_ - 10 * kDay, now_ - kDay);
  EXPECT_TRUE(expect_error([&] { verify_certificate(b, anchors()); }, ErrorKind::kUntrustedSigner,
                           "certificate has expired"));
  stamp(b, now_ - 5 * kDay, tsa_);
  VerifiedPayload result = verify_certificate(b, anchors("tsa-root.pem", true));
  EXPECT_TRUE(has_line(result.details, ", the time of the RFC 3161 timestamp (the signing certificate has expired "
                                       "since, at "))
      << ::testing::PrintToString(result.details);
  // Without the anchors the timestamp counts for nothing.
  std::string message;
  EXPECT_TRUE(expect_error([&] { verify_certificate(b, {}); }, ErrorKind::kUntrustedSigner,
                           "certificate has expired", &message));
}

TEST_F(Timestamps, ACertificateMustHaveBeenValidAtTheTimestampsTime) {
  Bundle b = certificate_bundle(now_ - 10 * kDay, now_ - kDay);
  stamp(b, now_ - 12 * kDay, tsa_);  // before the certificate existed
  EXPECT_TRUE(expect_error([&] { verify_certificate(b, anchors()); }, ErrorKind::kUntrustedSigner,
                           "certificate is not yet valid (checked at "));
  // A valid certificate timestamped after its expiry fails too.
  Bundle late = certificate_bundle(now_ - 10 * kDay, now_ - kDay);
  stamp(late, now_, tsa_);
  EXPECT_TRUE(expect_error([&] { verify_certificate(late, anchors()); }, ErrorKind::kUntrustedSigner,
                           "certificate has expired (checked at "));
}

TEST_F(Timestamps, AValidCertificateWithATimestampSaysWhereItWasChecked) {
  Bundle b = certificate_bundle(now_ - kDay, now_ + 365 * kDay);
  stamp(b, now_, tsa_);
  VerifiedPayload result = verify_certificate(b, anchors());
  EXPECT_TRUE(has_line(result.details, ", the time of the RFC 3161 timestamp"))
      << ::testing::PrintToString(result.details);
  EXPECT_FALSE(has_line(result.details, "expired since"));
}

TEST(TimestampingSigner, NeedsATsaUrl) {
  TempDir dir;
  generate_ec_key("P-256", dir / "key.pem", dir / "key.pub");
#ifdef MS_WITH_SIGSTORE_SIGNING
  EXPECT_TRUE(expect_error([&] { make_timestamping_signer(make_key_signer(dir / "key.pem"), {}); },
                           ErrorKind::kInvalidArgument, "no timestamp authority URL given"));
#else
  EXPECT_TRUE(expect_error([&] { make_timestamping_signer(make_key_signer(dir / "key.pem"), {}); },
                           ErrorKind::kUnsupported, "is not built into this model_signing"));
#endif
}

}  // namespace
}  // namespace model_signing::testing
