// `model_signing sign pkcs11-key|pkcs11-certificate` end to end: every URI
// form signs, and `verify key` / `verify certificate` accept the result;
// every user error is one line on stderr, exit 1, no signature file.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "crypto/digest.h"
#include "support/pkcs11/token_setup.h"
#include "support/test_support.h"
#include "util/encoding.h"

namespace model_signing::testing {
namespace {

class Pkcs11Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(dir_ / "model/config.json", "{\"layers\": 2}");
    write_file(dir_ / "model/weights/w0.bin", std::string(4096, '\x2a'));
    write_file(dir_ / "pin", std::string(TokenSetup::kPin) + "\n");
  }

  CommandResult sign(const std::string& method, const std::string& uri,
                     const std::vector<std::string>& extra = {}) {
    return sign_to(signature(), method, uri, extra);
  }
  CommandResult sign_to(const std::filesystem::path& sig, const std::string& method,
                        const std::string& uri, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"sign", method, (dir_ / "model").string(), "--signature",
                                  sig.string(), "--pkcs11-uri", uri};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args, setup_.env());
  }
  CommandResult verify_key(const std::string& public_key) {
    return run_cli({"verify", "key", (dir_ / "model").string(), "--signature", signature().string(),
                    "--public-key", setup_.file(public_key).string()});
  }
  std::filesystem::path signature() const { return dir_ / "model.sig"; }

  const TokenSetup& setup_ = token_setup();
  TempDir dir_;
};

std::string slot(unsigned long id) { return "slot-id=" + std::to_string(id); }

struct KeyUriCase {
  const char* name;
  std::string uri;
  const char* public_key;
};

TEST_F(Pkcs11Cli, EveryUriFormSignsAndVerifiesWithKey) {
  const std::string softhsm = "module-path=" + SoftHsm::module_path().string();
  const std::string pin_file = "pin-source=" + (dir_ / "pin").string();
  const std::vector<KeyUriCase> cases = {
      {"module-path, token label, object, pin-value",
       "pkcs11:token=model-signing;object=p256?" + softhsm + "&pin-value=1234", "p256.pub"},
      {"module-name, slot-id, id, pin-source",
       "pkcs11:" + slot(setup_.slot) + ";id=%02?module-name=softhsm2&" + pin_file, "p384.pub"},
      {"module-name with lib prefix, slot-id and token, object and id, pin-source file: URI",
       "pkcs11:" + slot(setup_.slot) + ";token=model-signing;object=p521;id=%03;type=private"
       "?module-name=libsofthsm2&pin-source=file:" + (dir_ / "pin").string(),
       "p521.pub"},
      {"token label picks the second token",
       "pkcs11:token=second;object=p256?" + softhsm + "&pin-value=5678", "second-p256.pub"},
      {"slot-id picks the second token", "pkcs11:" + slot(setup_.second_slot) + ";id=%01?" + softhsm +
       "&pin-value=5678", "second-p256.pub"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::filesystem::remove(signature());
    CommandResult signed_ = sign("pkcs11-key", c.uri);
    ASSERT_EQ(signed_.exit_code, 0) << signed_.err;
    EXPECT_EQ(signed_.out, "Signing succeeded\n");
    CommandResult verified = verify_key(c.public_key);
    EXPECT_EQ(verified.exit_code, 0) << verified.err;
    EXPECT_EQ(verified.out, "Verification succeeded\n");
  }
  // The last signature came from the second token: the first token's key
  // with the same label must not verify it.
  EXPECT_EQ(verify_key("p256.pub").exit_code, 1);
}

TEST_F(Pkcs11Cli, KeyBundleCarriesTheKeyMethodsMaterial) {
  ASSERT_EQ(sign("pkcs11-key", setup_.uri("token=model-signing;object=p256")).exit_code, 0);
  auto bundle = nlohmann::json::parse(read_file(signature()));
  EXPECT_EQ(bundle["mediaType"], "application/vnd.dev.sigstore.bundle.v0.3+json");
  const auto& material = bundle["verificationMaterial"];
  EXPECT_EQ(material["publicKey"]["hint"],
            util::to_hex(crypto::sha256(read_file(setup_.file("p256.pub")))));
  EXPECT_EQ(material["tlogEntries"], nlohmann::json::array());
  EXPECT_EQ(bundle["dsseEnvelope"]["payloadType"], "application/vnd.in-toto+json");
  EXPECT_EQ(bundle["dsseEnvelope"]["signatures"].size(), 1u);
}

TEST_F(Pkcs11Cli, CertificateMethodVerifiesAgainstTheCa) {
  for (const auto& [uri, cert] : {std::pair{setup_.uri("token=model-signing;object=p256"), "p256.crt"},
                                  {setup_.uri(slot(setup_.slot) + ";id=%02"), "p384.crt"}}) {
    SCOPED_TRACE(cert);
    std::filesystem::remove(signature());
    CommandResult signed_ =
        sign("pkcs11-certificate", uri,
             {"--signing-certificate", setup_.file(cert).string(), "--certificate_chain",
              setup_.file("ca.pem").string()});
    ASSERT_EQ(signed_.exit_code, 0) << signed_.err;
    CommandResult verified = run_cli({"verify", "certificate", (dir_ / "model").string(), "--signature",
                                      signature().string(), "--certificate-chain",
                                      setup_.file("ca.pem").string()});
    EXPECT_EQ(verified.exit_code, 0) << verified.err;
    auto bundle = nlohmann::json::parse(read_file(signature()));
    EXPECT_EQ(bundle["verificationMaterial"]["x509CertificateChain"]["certificates"].size(), 2u);
  }
}

// Without --signing-certificate the certificate object stored on the token
// with the key is used.
TEST_F(Pkcs11Cli, CertificateMethodTakesTheCertificateFromTheToken) {
  for (const std::string& uri : {setup_.uri("token=model-signing;object=p384"),
                                 setup_.uri("token=model-signing;id=%02")}) {
    SCOPED_TRACE(uri);
    std::filesystem::remove(signature());
    CommandResult signed_ = sign("pkcs11-certificate", uri,
                                 {"--certificate-chain", setup_.file("ca.pem").string()});
    ASSERT_EQ(signed_.exit_code, 0) << signed_.err;
    CommandResult verified = run_cli({"verify", "certificate", (dir_ / "model").string(), "--signature",
                                      signature().string(), "--certificate-chain",
                                      setup_.file("ca.pem").string()});
    EXPECT_EQ(verified.exit_code, 0) << verified.err;
    // The leaf in the bundle is the certificate stored on the token.
    CommandResult from_file = sign_to(dir_ / "from-file.sig", "pkcs11-certificate", uri,
                                      {"--signing-certificate", setup_.file("p384.crt").string()});
    ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
    auto leaf = [](const std::filesystem::path& sig) {
      return nlohmann::json::parse(read_file(sig))["verificationMaterial"]["x509CertificateChain"]
          ["certificates"][0]["rawBytes"];
    };
    EXPECT_EQ(leaf(signature()), leaf(dir_ / "from-file.sig"));
  }
}

// A reader with a PIN pad (protected authentication path): no PIN in the
// URI, and the login is left to the pad.
TEST_F(Pkcs11Cli, PinPadReaderLogsInWithoutAPin) {
  const std::filesystem::path log = dir_ / "pad.log";
  const std::string uri =
      std::string("pkcs11:token=model-signing;object=p256?module-path=") + MS_PIN_PAD_MODULE;
  auto run_with_pad = [&](const std::string& typed) {
    std::vector<std::string> env = setup_.env();
    env.push_back("PIN_PAD_MODULE_TARGET=" + SoftHsm::module_path().string());
    env.push_back("PIN_PAD_MODULE_PIN=" + typed);
    env.push_back("PIN_PAD_MODULE_LOG=" + log.string());
    return run_cli({"sign", "pkcs11-key", (dir_ / "model").string(), "--signature",
                    signature().string(), "--pkcs11-uri", uri},
                   env);
  };
  CommandResult signed_ = run_with_pad("1234");
  ASSERT_EQ(signed_.exit_code, 0) << signed_.err;
  EXPECT_EQ(read_file(log), "pad login\n");
  EXPECT_EQ(verify_key("p256.pub").exit_code, 0);

  std::filesystem::remove(signature());
  CommandResult wrong = run_with_pad("9999");
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("wrong PIN for PKCS#11 token 'model-signing'"), std::string::npos)
      << wrong.err;
  EXPECT_FALSE(std::filesystem::exists(signature()));
}

struct FailureCase {
  const char* name;
  std::string method;
  std::string uri;
  std::vector<std::string> extra;
  const char* expected;  // in the one-line message
};

TEST_F(Pkcs11Cli, UserErrorsAreOneLineExitOneAndNoSignature) {
  const std::string token = "token=model-signing;";
  const std::vector<FailureCase> cases = {
      {"malformed URI", "pkcs11-key", "pkcs11:token=model-signing;object", {}, "malformed PKCS#11 URI"},
      {"not a pkcs11 URI", "pkcs11-key", "file:///key.pem", {}, "malformed PKCS#11 URI"},
      {"module path not found", "pkcs11-key", "pkcs11:" + token + "object=p256?module-path=/nonexistent/libnone.so",
       {}, "PKCS#11 module not found: /nonexistent/libnone.so"},
      {"module is not a PKCS#11 module", "pkcs11-key",
       "pkcs11:" + token + "object=p256?module-path=" + (dir_ / "pin").string(), {},
       "cannot load PKCS#11 module: "},
      {"module name not found", "pkcs11-key", "pkcs11:" + token + "object=p256?module-name=libnone", {},
       "PKCS#11 module 'libnone' not found in "},
      {"no matching token", "pkcs11-key", setup_.uri("token=missing;object=p256"), {},
       "no PKCS#11 token matches token 'missing'"},
      {"no token in slot", "pkcs11-key", setup_.uri("slot-id=4242;object=p256"), {},
       "no PKCS#11 token matches slot-id 4242"},
      {"wrong PIN", "pkcs11-key", setup_.uri(token + "object=p256", "pin-value=9999"), {},
       "wrong PIN for PKCS#11 token 'model-signing'"},
      {"missing PIN file", "pkcs11-key",
       setup_.uri(token + "object=p256", "pin-source=" + (dir_ / "nopin").string()), {}, "nopin"},
      {"key not found", "pkcs11-key", setup_.uri(token + "object=p999"), {},
       "no private key with label 'p999' on PKCS#11 token 'model-signing'"},
      {"key id not found", "pkcs11-key", setup_.uri(token + "object=p256;id=%02"), {},
       "no private key with label 'p256' and id 02"},
      {"RSA key", "pkcs11-key", setup_.uri(token + "object=rsa"), {}, "is RSA: only EC keys"},
      {"certificate of another key", "pkcs11-certificate", setup_.uri(token + "object=p256"),
       {"--signing-certificate", setup_.file("stranger.crt").string()},
       "does not match the signing certificate"},
      {"certificate of another token key", "pkcs11-certificate", setup_.uri(token + "object=p521"),
       {"--signing-certificate", setup_.file("p256.crt").string()},
       "does not match the signing certificate"},
      {"no certificate given or on the token", "pkcs11-certificate",
       setup_.uri(token + "object=p256"), {},
       "no --signing-certificate given and no certificate object with label 'p256' on PKCS#11 "
       "token 'model-signing'"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    CommandResult result = sign(c.method, c.uri, c.extra);
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
    EXPECT_EQ(result.err.rfind("Signing failed with error: ", 0), 0u) << result.err;
    EXPECT_NE(result.err.find(c.expected), std::string::npos) << result.err;
    EXPECT_EQ(result.err.find("9999"), std::string::npos) << "PIN leaked: " << result.err;
    EXPECT_FALSE(std::filesystem::exists(signature()));
  }
}

TEST_F(Pkcs11Cli, UriIsRequiredAndUnderscoreSpellingWorks) {
  CommandResult missing = run_cli({"sign", "pkcs11-key", (dir_ / "model").string()}, setup_.env());
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("--pkcs11-uri"), std::string::npos) << missing.err;
  CommandResult underscore = run_cli({"sign", "pkcs11-key", (dir_ / "model").string(), "--signature",
                                      signature().string(), "--pkcs11_uri",
                                      setup_.uri("token=model-signing;object=p384")},
                                     setup_.env());
  EXPECT_EQ(underscore.exit_code, 0) << underscore.err;
  EXPECT_EQ(verify_key("p384.pub").exit_code, 0);
}

}  // namespace
}  // namespace model_signing::testing
