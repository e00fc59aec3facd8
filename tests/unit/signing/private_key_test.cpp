// The public key seam (private_key.h): a PrivateKey written outside the
// library signs with the key and certificate methods, its bundles are those
// of a PEM key, and the library holds it to the contract. Also the use_*
// helpers, one per method.
#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <atomic>
#include <memory>

#include "model_signing/signing.h"
#include "model_signing/sigstore.h"
#include "model_signing/sigstore_sign.h"
#include "model_signing/verifying.h"
#include "support/expect_error.h"
#include "support/test_pki.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::uint8_t> spki_der(EVP_PKEY* key) {
  int length = i2d_PUBKEY(key, nullptr);
  std::vector<std::uint8_t> der(static_cast<std::size_t>(length));
  unsigned char* out = der.data();
  i2d_PUBKEY(key, &out);
  return der;
}

// A key backend as a user would write it: OpenSSL, the curve's hash.
class TestKey : public PrivateKey {
 public:
  explicit TestKey(EVP_PKEY* key, const EVP_MD* md = EVP_sha256()) : key_(key), md_(md) {}
  ~TestKey() override { EVP_PKEY_free(key_); }

  std::vector<std::uint8_t> public_key_der() const override { return spki_der(key_); }

  std::vector<std::uint8_t> sign(std::string_view message) override {
    ++calls;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::size_t length = 0;
    const auto* data = reinterpret_cast<const unsigned char*>(message.data());
    EVP_DigestSignInit(ctx, nullptr, md_, nullptr, key_);
    EVP_DigestSign(ctx, nullptr, &length, data, message.size());
    std::vector<std::uint8_t> signature(length);
    EVP_DigestSign(ctx, signature.data(), &length, data, message.size());
    EVP_MD_CTX_free(ctx);
    signature.resize(length);
    return signature;
  }

  std::string description() const override { return "test key"; }

  static inline std::atomic<int> calls{0};

 private:
  EVP_PKEY* key_;
  const EVP_MD* md_;
};

class PrivateKeySeam : public ::testing::Test {
 protected:
  void SetUp() override { write_file(dir_ / "model/a.bin", "weights"); }
  fs::path model() const { return dir_ / "model"; }
  fs::path sig() const { return dir_ / "model.sig"; }

  TempDir dir_;
};

TEST_F(PrivateKeySeam, KeyMethodBundleIsThatOfTheSamePemKey) {
  EVP_PKEY* key = generate_key("P-384");
  write_pem_key(key, dir_ / "key.pem", dir_ / "key.pub");
  int before = TestKey::calls;
  SigningConfig().use_key_signer(std::make_unique<TestKey>(key, EVP_sha384())).sign(model(), sig());
  EXPECT_EQ(TestKey::calls, before + 1);
  EXPECT_NO_THROW(VerifyingConfig().use_key_verifier(dir_ / "key.pub").verify(model(), sig()));

  // Same material as with the PEM file: only the signature differs.
  Bundle ours = read_bundle_file(sig().string());
  SigningConfig().use_key_signer(dir_ / "key.pem").sign(model(), dir_ / "pem.sig");
  Bundle pem = read_bundle_file((dir_ / "pem.sig").string());
  EXPECT_EQ(ours.verification_material.public_key_hint, pem.verification_material.public_key_hint);
  EXPECT_EQ(ours.dsse_envelope->payload, pem.dsse_envelope->payload);
}

TEST_F(PrivateKeySeam, CertificateMethodWithACustomKey) {
  TestIdentity root = TestIdentity::make_root();
  TestIdentity leaf = root.issue(CertSpec{}, "P-256");
  leaf.write_cert_pem(dir_ / "leaf.pem");
  root.write_cert_pem(dir_ / "root.pem");
  EVP_PKEY_up_ref(leaf.key());  // the TestKey frees its reference
  SigningConfig()
      .use_certificate_signer(std::make_unique<TestKey>(leaf.key()), dir_ / "leaf.pem", {})
      .sign(model(), sig());
  CertificateVerifierOptions options;
  options.trust_anchors = {dir_ / "root.pem"};
  EXPECT_NO_THROW(VerifyingConfig().use_certificate_verifier(options).verify(model(), sig()));

  // A key that is not the certificate's.
  EXPECT_TRUE(expect_error(
      [&] {
        make_certificate_signer(std::make_unique<TestKey>(generate_key("P-256")), dir_ / "leaf.pem", {});
      },
      ErrorKind::kKey, "does not match the signing certificate"));
}

TEST_F(PrivateKeySeam, TheLibraryHoldsKeysToTheContract) {
  // Signatures are checked before they are used: wrong hash for the curve.
  EVP_PKEY* p384 = generate_key("P-384");
  auto signer = make_key_signer(std::make_unique<TestKey>(p384, EVP_sha256()));
  EXPECT_TRUE(expect_error([&] { signer->sign("{}"); }, ErrorKind::kKey,
                           "the signature of test key does not verify with its public key"));
  EXPECT_FALSE(fs::exists(sig()));
  EXPECT_TRUE(expect_error(
      [&] {
        SigningConfig()
            .use_key_signer(std::make_unique<TestKey>(generate_key("P-384"), EVP_sha256()))
            .sign(model(), sig());
      },
      ErrorKind::kKey, "does not verify with its public key"));
  EXPECT_FALSE(fs::exists(sig())) << "a signature that does not verify was written";

  // Only EC keys on the three curves.
  for (const char* curve : {"RSA", "ED25519", "P-192"}) {
    SCOPED_TRACE(curve);
    EXPECT_TRUE(expect_error(
        [&] { make_key_signer(std::make_unique<TestKey>(generate_key(curve))); },
        ErrorKind::kUnsupported, "test key is"));
  }

  // A public key that is not DER SPKI, and no key at all.
  struct Garbage : TestKey {
    using TestKey::TestKey;
    std::vector<std::uint8_t> public_key_der() const override { return {1, 2, 3}; }
  };
  EXPECT_TRUE(expect_error(
      [&] { make_key_signer(std::make_unique<Garbage>(generate_key("P-256"))); }, ErrorKind::kKey,
      "not a DER SubjectPublicKeyInfo"));
  EXPECT_TRUE(expect_error([&] { make_key_signer(std::unique_ptr<PrivateKey>()); },
                           ErrorKind::kInvalidArgument, "no private key"));
}

// Every method has its use_* helper on both sides (sigstore included).
TEST(UseHelpers, SigstoreHasThemOnBothSides) {
  EXPECT_TRUE(
      expect_error([] { VerifyingConfig().use_sigstore_verifier(SigstoreVerifierOptions{}); },
                   ErrorKind::kInvalidArgument, "needs the expected identity"));
  SigstoreVerifierOptions options;
  options.identity = "someone@example.com";
  options.identity_provider = "https://accounts.example.com";
  VerifyingConfig config;
  config.use_sigstore_verifier(options);
  TempDir dir;
  write_file(dir / "model/a.bin", "x");
  generate_ec_key("P-256", dir / "key.pem", dir / "key.pub");
  SigningConfig().use_key_signer(dir / "key.pem").sign(dir / "model", dir / "model.sig");
  EXPECT_TRUE(expect_error([&] { config.verify(dir / "model", dir / "model.sig"); },
                           ErrorKind::kMalformedBundle, "bundle was not signed with Sigstore"));

  SigstoreSigningOptions signing;
  signing.trust_config = shared_dir() / "sigstore" / "conformance-sample" /
                         "trust-root-tlog-validity-end-inclusive" / "trusted_root.json";
#ifdef MS_WITH_SIGSTORE_SIGNING
  EXPECT_TRUE(expect_error([&] { SigningConfig().use_sigstore_signer(signing); },
                           ErrorKind::kInvalidArgument, "is a bare trusted root"));
#else
  EXPECT_TRUE(expect_error([&] { SigningConfig().use_sigstore_signer(signing); },
                           ErrorKind::kUnsupported, "not built into this model_signing"));
#endif
}

}  // namespace
}  // namespace model_signing::testing
