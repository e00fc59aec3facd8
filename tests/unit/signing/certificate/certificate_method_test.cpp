// Sign and verify through the certificate method with a CA made by the test
// PKI helper (also a smoke test of the helper itself).
#include <gtest/gtest.h>

#include "model_signing/error.h"
#include "model_signing/signing.h"
#include "model_signing/verifying.h"
#include "support/test_pki.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

TEST(CertificateRoundTrip, SignsAndVerifiesWithTestCa) {
  TempDir dir;
  write_file(dir / "model/a.bin", "weights");
  TestIdentity root = TestIdentity::make_root();
  CertSpec spec;
  spec.common_name = "signer";
  TestIdentity leaf = root.issue(spec, "P-384");
  leaf.write_key_pem(dir / "leaf.key");
  leaf.write_cert_pem(dir / "leaf.pem");
  root.write_cert_pem(dir / "root.pem");

  SigningConfig().use_certificate_signer(dir / "leaf.key", dir / "leaf.pem", {}).sign(dir / "model", dir / "model.sig");
  CertificateVerifierOptions options;
  options.trust_anchors = {dir / "root.pem"};
  EXPECT_NO_THROW(VerifyingConfig().use_certificate_verifier(options).verify(dir / "model", dir / "model.sig"));

  TestIdentity other_root = TestIdentity::make_root("P-256", "Other CA");
  other_root.write_cert_pem(dir / "other.pem");
  options.trust_anchors = {dir / "other.pem"};
  EXPECT_THROW(VerifyingConfig().use_certificate_verifier(options).verify(dir / "model", dir / "model.sig"),
               Error);
}

}  // namespace
}  // namespace model_signing::testing
