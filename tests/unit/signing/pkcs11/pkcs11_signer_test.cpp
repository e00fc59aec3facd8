// The library API against a real SoftHSM2 token: signatures on every curve,
// the certificate method, typed errors, and nothing left open afterwards.
#include <gtest/gtest.h>

#include <p11-kit/p11-kit.h>

#include "model_signing/error.h"
#include "model_signing/pkcs11.h"
#include "model_signing/signing.h"
#include "model_signing/verifying.h"
#include "support/expect_error.h"
#include "support/pkcs11/token_setup.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

class Pkcs11Signer : public ::testing::Test {
 protected:
  void SetUp() override { write_file(dir_ / "model/weights.bin", "token-signed weights"); }

  void sign(std::unique_ptr<Signer> signer) {
    SigningConfig().use_signer(std::move(signer)).sign(dir_ / "model", dir_ / "model.sig");
  }
  void verify_with_key(const std::filesystem::path& public_key) {
    VerifyingConfig().use_key_verifier(public_key).verify(dir_ / "model", dir_ / "model.sig");
  }

  const TokenSetup& setup_ = token_setup();
  TempDir dir_;
};

using testing::expect_error;

// Another user of SoftHSM2 in this process (p11-kit keeps it separate from
// the signer's) with a session of its own open on the token all along: the
// token's login state outlives the signer's session unless it logs out.
class Observer {
 public:
  explicit Observer(unsigned long slot) : fn_(p11_kit_module_load(SoftHsm::module_path().c_str(), 0)) {
    EXPECT_EQ(p11_kit_module_initialize(fn_), CKR_OK);
    EXPECT_EQ(fn_->C_OpenSession(slot, CKF_SERIAL_SESSION, nullptr, nullptr, &session_), CKR_OK);
  }
  ~Observer() {
    fn_->C_CloseSession(session_);
    p11_kit_module_finalize(fn_);
    p11_kit_module_release(fn_);
  }
  bool logged_in() {
    CK_SESSION_INFO info;
    EXPECT_EQ(fn_->C_GetSessionInfo(session_, &info), CKR_OK);
    return info.state == CKS_RO_USER_FUNCTIONS || info.state == CKS_RW_USER_FUNCTIONS;
  }

 private:
  CK_FUNCTION_LIST* fn_;
  CK_SESSION_HANDLE session_ = CK_INVALID_HANDLE;
};

// True if no one in this process still holds SoftHSM2 initialized.
bool module_finalized() {
  CK_FUNCTION_LIST* raw = p11_kit_module_load(SoftHsm::module_path().c_str(), P11_KIT_MODULE_UNMANAGED);
  CK_RV rv = raw->C_Initialize(nullptr);
  if (rv == CKR_OK) raw->C_Finalize(nullptr);
  p11_kit_module_release(raw);
  return rv == CKR_OK;
}

TEST_F(Pkcs11Signer, SignsWithEachCurveAndVerifiesWithTheExportedPublicKey) {
  for (const char* label : {"p256", "p384", "p521"}) {
    SCOPED_TRACE(label);
    sign(make_pkcs11_key_signer(setup_.uri(std::string("token=model-signing;object=") + label)));
    EXPECT_NO_THROW(verify_with_key(setup_.file(std::string(label) + ".pub")));
    // And not with another key.
    std::string other = std::string(label) == "p256" ? "p384.pub" : "p256.pub";
    EXPECT_THROW(verify_with_key(setup_.file(other)), Error);
  }
}

TEST_F(Pkcs11Signer, CertificateSignerVerifiesAgainstTheTestCa) {
  sign(make_pkcs11_certificate_signer(setup_.uri("token=model-signing;id=%02"), setup_.file("p384.crt"),
                                      {setup_.file("ca.pem")}));
  CertificateVerifierOptions options;
  options.trust_anchors = {setup_.file("ca.pem")};
  EXPECT_NO_THROW(VerifyingConfig().use_certificate_verifier(options).verify(dir_ / "model", dir_ / "model.sig"));
}

TEST_F(Pkcs11Signer, SigningConfigConvenienceAndCustomModuleDirectories) {
  SigningConfig()
      .use_pkcs11_key_signer("pkcs11:token=second;object=p256?module-name=softhsm2&pin-value=5678")
      .sign(dir_ / "model", dir_ / "model.sig");
  EXPECT_NO_THROW(verify_with_key(setup_.file("second-p256.pub")));
  EXPECT_THROW(verify_with_key(setup_.file("p256.pub")), Error);

  Pkcs11Options options;
  options.module_directories = std::vector<std::filesystem::path>{dir_.path()};
  EXPECT_TRUE(expect_error(
      [&] { make_pkcs11_key_signer("pkcs11:token=second;object=p256?module-name=softhsm2", options); },
      ErrorKind::kToken));
}

TEST_F(Pkcs11Signer, TypedErrors) {
  std::string message;
  EXPECT_TRUE(expect_error([&] { make_pkcs11_key_signer("pkcs11:token=model-signing"); },
                           ErrorKind::kInvalidArgument));
  EXPECT_TRUE(expect_error(
      [&] { make_pkcs11_key_signer(setup_.uri("token=model-signing;object=p256", "pin-value=0000")); },
      ErrorKind::kToken, "", &message));
  EXPECT_EQ(message, "wrong PIN for PKCS#11 token 'model-signing'");
  EXPECT_TRUE(expect_error([&] { make_pkcs11_key_signer(setup_.uri("token=nope;object=p256")); },
                           ErrorKind::kToken, "tokens present: ", &message));
  EXPECT_NE(message.find("'model-signing' (slot-id " + std::to_string(setup_.slot) + ")"), std::string::npos)
      << message;
  EXPECT_TRUE(expect_error(
      [&] { make_pkcs11_key_signer(setup_.uri("token=model-signing;object=p999")); }, ErrorKind::kKey));
  EXPECT_TRUE(expect_error(
      [&] { make_pkcs11_key_signer(setup_.uri("token=model-signing;object=rsa")); },
      ErrorKind::kUnsupported, "is RSA"));
  EXPECT_TRUE(expect_error(
      [&] {
        make_pkcs11_certificate_signer(setup_.uri("token=model-signing;object=p256"),
                                       setup_.file("stranger.crt"), {});
      },
      ErrorKind::kKey));
}

TEST_F(Pkcs11Signer, NoPinMeansNoPrivateKeyAndSaysSo) {
  EXPECT_TRUE(expect_error(
      [&] { make_pkcs11_key_signer(setup_.uri("token=model-signing;object=p256", "")); },
      ErrorKind::kKey, "no PIN given"));
}

TEST_F(Pkcs11Signer, LogsOutAndClosesOnSuccessAndOnEveryFailure) {
  {
    Observer observer(setup_.slot);
    EXPECT_FALSE(observer.logged_in());
    {
      auto signer = make_pkcs11_key_signer(setup_.uri("token=model-signing;object=p256"));
      EXPECT_TRUE(observer.logged_in());
      signer->sign("{}");
    }
    EXPECT_FALSE(observer.logged_in());

    // Failures after the login: key missing, wrong key type, certificate mismatch.
    EXPECT_THROW(make_pkcs11_key_signer(setup_.uri("token=model-signing;object=p999")), Error);
    EXPECT_FALSE(observer.logged_in());
    EXPECT_THROW(make_pkcs11_key_signer(setup_.uri("token=model-signing;object=rsa")), Error);
    EXPECT_FALSE(observer.logged_in());
    EXPECT_THROW(make_pkcs11_certificate_signer(setup_.uri("token=model-signing;object=p256"),
                                                setup_.file("stranger.crt"), {}),
                 Error);
    EXPECT_FALSE(observer.logged_in());
    EXPECT_THROW(make_pkcs11_key_signer(setup_.uri("token=model-signing;object=p256", "pin-value=0")), Error);
    EXPECT_FALSE(observer.logged_in());
  }
  // Every module instance the signers loaded was finalized.
  EXPECT_TRUE(module_finalized());
  EXPECT_THROW(make_pkcs11_key_signer(setup_.uri("token=nope;object=p256")), Error);
  EXPECT_TRUE(module_finalized());
}

TEST_F(Pkcs11Signer, TwoSignersOnOneTokenDoNotDisturbEachOther) {
  Observer observer(setup_.slot);
  auto first = make_pkcs11_key_signer(setup_.uri("token=model-signing;object=p256"));
  auto second = make_pkcs11_key_signer(setup_.uri("token=model-signing;object=p384"));
  // The login belongs to the token, not the session: the first signer's
  // teardown must not log the second one out.
  first.reset();
  EXPECT_TRUE(observer.logged_in());
  sign(std::move(second));
  EXPECT_NO_THROW(verify_with_key(setup_.file("p384.pub")));
  EXPECT_FALSE(observer.logged_in());
}

}  // namespace
}  // namespace model_signing::testing
