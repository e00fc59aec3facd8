// Certificate identity, SCT parsing and precertificate reconstruction on
// real Fulcio certificates.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "crypto/x509.h"
#include "model_signing/error.h"
#include "sigstore/certificate/certificate_identity.h"
#include "sigstore/certificate/certificate_transparency.h"
#include "sigstore/certificate/fulcio_certificate.h"
#include "support/expect_error.h"
#include "support/sigstore/sigstore_test_support.h"
#include "support/test_pki.h"
#include "support/test_support.h"
#include "util/encoding.h"

namespace model_signing::sigstore::testing {
namespace {

using ::testing::HasSubstr;
using model_signing::testing::error_message;

crypto::X509Ptr leaf_of(const json& bundle) {
  const json& vm = bundle["verificationMaterial"];
  std::string b64 = vm.contains("certificate") ? vm["certificate"]["rawBytes"]
                                               : vm["x509CertificateChain"]["certificates"][0]["rawBytes"];
  return crypto::parse_certificate_der(*util::base64_decode(b64));
}

crypto::X509Ptr model_leaf() {
  return leaf_of(read_json(model_signing::testing::shared_dir() / "vectors" / "model-transparency" /
                           "v1.0.0-sigstore" / "model.sig"));
}

TEST(CertificateIdentity, ReadsEmailSanAndIssuerV2) {
  crypto::X509Ptr leaf = model_leaf();
  EXPECT_EQ(certificate_identities(leaf.get()), std::vector<std::string>{"stefanb@us.ibm.com"});
  EXPECT_EQ(certificate_oidc_issuer(leaf.get()), "https://sigstore.verify.ibm.com/oauth2");
}

TEST(CertificateIdentity, ReadsUriSan) {
  crypto::X509Ptr leaf = leaf_of(read_json(conformance_case("happy-path-v0.3") / "bundle.sigstore.json"));
  std::vector<std::string> ids = certificate_identities(leaf.get());
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_THAT(ids[0], HasSubstr("https://github.com/sigstore-conformance/"));
  EXPECT_EQ(certificate_oidc_issuer(leaf.get()), "https://token.actions.githubusercontent.com");
}

TEST(CertificateIdentity, CertificatesWithoutFulcioExtensions) {
  auto root = model_signing::testing::TestIdentity::make_root();
  auto leaf = root.issue(model_signing::testing::CertSpec{});
  EXPECT_TRUE(certificate_identities(leaf.cert()).empty());
  EXPECT_FALSE(certificate_oidc_issuer(leaf.cert()));
  EXPECT_THAT(error_message([&] {
                check_certificate_identity(leaf.cert(), {"a@example.com", "https://issuer"});
              }),
              HasSubstr("the certificate is for none"));
}

TEST(CertificateTransparency, ParsesTheEmbeddedSct) {
  crypto::X509Ptr leaf = model_leaf();
  std::vector<SignedCertificateTimestamp> scts = embedded_scts(leaf.get());
  ASSERT_EQ(scts.size(), 1u);
  EXPECT_EQ(util::base64_encode(scts[0].log_id), "3T0wasbHETJjGR4cmWc3AqJKXrjePK3/h4pygC8p7o4=");
  EXPECT_EQ(scts[0].hash_algorithm, 4);
  EXPECT_EQ(scts[0].signature_algorithm, 3);
  EXPECT_EQ(format_time(Time(std::chrono::milliseconds(scts[0].timestamp_ms))),
            "2025-05-03T01:34:46.539Z");
}

TEST(CertificateTransparency, VerifiesOnlyWithTheRightIssuer) {
  crypto::X509Ptr leaf = model_leaf();
  TrustMaterial trust(to_root(production_root_json()));
  const TrustedAuthority& fulcio = trust.fulcio_cas().at(1);
  EXPECT_NO_THROW(verify_embedded_scts(leaf.get(), fulcio.chain()[0].get(), trust));
  // The issuer key hash is part of the signed data.
  EXPECT_THAT(
      error_message([&] { verify_embedded_scts(leaf.get(), fulcio.chain()[1].get(), trust); }),
      HasSubstr("does not verify with the log's key"));
}

TEST(CertificateTransparency, CertificateWithoutScts) {
  auto root = model_signing::testing::TestIdentity::make_root();
  auto leaf = root.issue(model_signing::testing::CertSpec{});
  TrustMaterial trust(to_root(production_root_json()));
  EXPECT_THAT(error_message([&] { verify_embedded_scts(leaf.cert(), root.cert(), trust); }),
              HasSubstr("no embedded signed certificate timestamp"));
}

TEST(FulcioCertificate, ProfileNeedsDigitalSignatureAndCodeSigning) {
  auto root = model_signing::testing::TestIdentity::make_root();
  model_signing::testing::CertSpec no_eku;
  no_eku.code_signing = false;
  model_signing::testing::CertSpec no_ds;
  no_ds.digital_signature = false;
  model_signing::testing::CertSpec ca;
  ca.is_ca = true;
  struct {
    model_signing::testing::CertSpec spec;
    std::string expected;
  } cases[] = {{no_eku, "codeSigning"}, {no_ds, "digitalSignature"}, {ca, "is a CA certificate"}};
  for (const auto& c : cases) {
    auto leaf = root.issue(c.spec);
    EXPECT_THAT(error_message([&] { check_fulcio_profile(leaf.cert()); }), HasSubstr(c.expected));
  }
  EXPECT_NO_THROW(check_fulcio_profile(model_leaf().get()));
}

TEST(FulcioCertificate, ChainsOnlyAtTimesWithinTheLeafValidity) {
  crypto::X509Ptr leaf = model_leaf();  // valid 2025-05-03T01:34:46Z .. 01:44:46Z
  TrustMaterial trust(to_root(production_root_json()));
  auto at = [&](const std::string& t) { return TimeToCheck{parse_rfc3339(t, "t"), "the test time"}; };
  // Closed at both ends (OpenSSL alone would reject notAfter itself).
  EXPECT_NO_THROW(verify_fulcio_chain(leaf.get(), trust, {at("2025-05-03T01:34:46Z")}));
  EXPECT_NO_THROW(verify_fulcio_chain(leaf.get(), trust, {at("2025-05-03T01:44:46Z")}));
  EXPECT_NO_THROW(verify_fulcio_chain(
      leaf.get(), trust, {at("2025-05-03T01:34:46Z"), at("2025-05-03T01:40:00.5Z")}));
  for (const char* outside : {"2025-05-03T01:34:45.999Z", "2025-05-03T01:44:46.5Z"}) {
    // Every time must be within the window, not just one.
    const std::string message = error_message([&] {
      verify_fulcio_chain(leaf.get(), trust, {at("2025-05-03T01:40:00Z"), at(outside)});
    });
    EXPECT_THAT(message, HasSubstr("does not chain to a trusted Fulcio CA"));
    EXPECT_THAT(message, HasSubstr("is not valid at " + format_time(at(outside).time) +
    " (valid [2025-05-03 01:34:46Z, 2025-05-03 01:44:46Z]) (the test time)"));
  }
}

}  // namespace
}  // namespace model_signing::sigstore::testing
