// RFC 3161 timestamps on key, certificate and PKCS#11 signatures, end to
// end through the CLI against two independent local timestamp authorities:
// `openssl ts -reply` behind a tiny HTTP front, and the Sigstore stack's
// TSA. Every failure is one line; a timestamped bundle differs from an
// untimestamped one only by timestampVerificationData.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

#include "support/cli_expect.h"
#include "support/sigstore/sigstore_stack.h"
#include "support/test_pki.h"
#include "support/test_support.h"
#include "support/tsa/openssl_tsa.h"
#ifdef MS_WITH_PKCS11
#include "support/pkcs11/token_setup.h"
#endif

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

// PEM certificates from a trusted root's base64 DER certChain.
std::string pem_chain(const nlohmann::json& certificates) {
  std::string out;
  for (const auto& c : certificates) {
    std::string b64 = c["rawBytes"].get<std::string>();
    out += "-----BEGIN CERTIFICATE-----\n";
    for (std::size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
    out += "-----END CERTIFICATE-----\n";
  }
  return out;
}

class TimestampCli : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(dir_ / "model/config.json", "{\"layers\": 2}");
    write_file(dir_ / "model/weights.bin", std::string(4096, 'w'));
    generate_ec_key("P-256", dir_ / "key.pem", dir_ / "key.pub");
    ca_.write_cert_pem(dir_ / "ca.pem");
    issue_leaf(std::time(nullptr) + 365 * 24 * 3600);
    TestIdentity::make_root("P-256", "Unrelated Root").write_cert_pem(dir_ / "unrelated-root.pem");
  }

  void issue_leaf(std::time_t not_after) {
    CertSpec spec;
    spec.common_name = "Model Signer";
    spec.not_after = not_after;
    TestIdentity leaf = ca_.issue(spec);
    leaf.write_key_pem(dir_ / "leaf.key");
    leaf.write_cert_pem(dir_ / "leaf.pem");
  }

  fs::path model() const { return dir_ / "model"; }
  fs::path sig(const std::string& name = "model.sig") const { return dir_ / name; }

  CommandResult sign_key(const fs::path& signature, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"sign", "key", model().string(), "--private-key", (dir_ / "key.pem").string(),
                                     "--signature", signature.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }
  CommandResult sign_certificate(const fs::path& signature, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"sign", "certificate", model().string(), "--private-key",
                                     (dir_ / "leaf.key").string(), "--signing-certificate",
                                     (dir_ / "leaf.pem").string(), "--signature", signature.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }
  CommandResult verify_key(const fs::path& signature, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"verify", "key", model().string(), "--public-key", (dir_ / "key.pub").string(),
                                     "--signature", signature.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }
  CommandResult verify_certificate(const fs::path& signature, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"verify", "certificate", model().string(), "--certificate-chain",
                                     (dir_ / "ca.pem").string(), "--signature", signature.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }

  ordered_json bundle(const fs::path& signature) const { return ordered_json::parse(read_file(signature)); }

  std::vector<std::string> tsa_anchor(const fs::path& pem) const {
    return {"--tsa-certificate-chain", pem.string()};
  }

  TempDir dir_;
  TestIdentity ca_ = TestIdentity::make_root("P-256", "Model CA");
  OpensslTsa tsa_;
};

TEST_F(TimestampCli, KeyAndCertificateSignaturesWithTheOpensslTsaVerify) {
  ASSERT_TRUE(succeeded(sign_key(sig("key.sig"), {"--tsa-url", tsa_.url()}), "Signing succeeded\n"));
  ordered_json b = bundle(sig("key.sig"));
  ASSERT_EQ(b["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"].size(), 1u);
  CommandResult r = verify_key(sig("key.sig"), {"--tsa-certificate-chain", tsa_.root_pem().string(),
                                                "--require-timestamp"});
  EXPECT_TRUE(succeeded(r, "Verification succeeded\n")) << r.err;
  EXPECT_NE(r.err.find("signature timestamped at "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("certificate 'CN=OpenSSL Test TSA'"), std::string::npos) << r.err;

  // Without anchors the timestamp is not used, and the output says so.
  r = verify_key(sig("key.sig"));
  EXPECT_TRUE(succeeded(r, "Verification succeeded\n"));
  EXPECT_NE(r.err.find("Warning: the bundle's RFC 3161 timestamp was not checked and not used"), std::string::npos)
      << r.err;

  // The certificate method, checked against the anchor at signing too.
  ASSERT_TRUE(succeeded(sign_certificate(sig("cert.sig"), {"--tsa-url", tsa_.url(), "--tsa-certificate-chain",
                                                           tsa_.root_pem().string()})));
  r = verify_certificate(sig("cert.sig"), tsa_anchor(tsa_.root_pem()));
  EXPECT_TRUE(succeeded(r, "Verification succeeded\n")) << r.err;
  EXPECT_NE(r.err.find(", the time of the RFC 3161 timestamp"), std::string::npos) << r.err;
}

TEST_F(TimestampCli, SignaturesWithTheSigstoreStacksTsaVerify) {
  SigstoreStack stack;
  nlohmann::json root = nlohmann::json::parse(read_file(stack.trusted_root()));
  write_file(dir_ / "stack-tsa.pem", pem_chain(root["timestampAuthorities"][0]["certChain"]["certificates"]));
  std::string url = root["timestampAuthorities"][0]["uri"].get<std::string>();
  // Two TSAs: both timestamps go into the bundle, and both must verify.
  ASSERT_TRUE(succeeded(sign_certificate(sig(), {"--tsa-url", url, "--tsa-url", tsa_.url()})));
  EXPECT_EQ(bundle(sig())["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"].size(), 2u);
  CommandResult r = verify_certificate(sig(), {"--tsa-certificate-chain", (dir_ / "stack-tsa.pem").string(),
                                               "--tsa-certificate-chain", tsa_.root_pem().string()});
  EXPECT_TRUE(succeeded(r, "Verification succeeded\n")) << r.err;
  EXPECT_TRUE(one_line_failure(verify_certificate(sig(), tsa_anchor(dir_ / "stack-tsa.pem")), 1,
                               "timestampVerificationData.rfc3161Timestamps[1]"));

  ASSERT_TRUE(succeeded(sign_key(sig("key.sig"), {"--tsa-url", url})));
  r = verify_key(sig("key.sig"), {"--tsa-certificate-chain", (dir_ / "stack-tsa.pem").string(), "--require-timestamp"});
  EXPECT_TRUE(succeeded(r, "Verification succeeded\n")) << r.err;
}

TEST_F(TimestampCli, AnExpiredCertificateVerifiesBecauseOfItsTimestamp) {
  // A leaf that expires two seconds from now.
  std::time_t not_after = std::time(nullptr) + 2;
  issue_leaf(not_after);
  ASSERT_TRUE(succeeded(sign_certificate(sig("stamped.sig"), {"--tsa-url", tsa_.url()})));
  ASSERT_TRUE(succeeded(sign_certificate(sig("plain.sig"))));
  while (std::time(nullptr) <= not_after + 1) std::this_thread::sleep_for(std::chrono::milliseconds(200));

  CommandResult r = verify_certificate(sig("stamped.sig"), tsa_anchor(tsa_.root_pem()));
  EXPECT_TRUE(succeeded(r, "Verification succeeded\n")) << r.err;
  EXPECT_NE(r.err.find("the time of the RFC 3161 timestamp (the signing certificate has expired since, at "),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(one_line_failure(verify_certificate(sig("plain.sig"), tsa_anchor(tsa_.root_pem())), 1,
                               "certificate has expired"));
  // The same bundle with its timestamp removed.
  ordered_json stripped = bundle(sig("stamped.sig"));
  stripped["verificationMaterial"].erase("timestampVerificationData");
  write_file(sig("stripped.sig"), stripped.dump(2));
  EXPECT_TRUE(one_line_failure(verify_certificate(sig("stripped.sig"), tsa_anchor(tsa_.root_pem())), 1,
                               "certificate has expired"));
}

TEST_F(TimestampCli, EachFailureIsOneLine) {
  ASSERT_TRUE(succeeded(sign_key(sig("a.sig"), {"--tsa-url", tsa_.url()})));
  write_file(model() / "config.json", "{\"layers\": 3}");
  ASSERT_TRUE(succeeded(sign_key(sig("b.sig"), {"--tsa-url", tsa_.url()})));

  // b's bundle with a's timestamp: a timestamp over another signature.
  ordered_json b = bundle(sig("b.sig"));
  b["verificationMaterial"]["timestampVerificationData"] = bundle(sig("a.sig"))["verificationMaterial"]["timestampVerificationData"];
  write_file(sig("swapped.sig"), b.dump(2));
  ASSERT_TRUE(succeeded(verify_key(sig("b.sig"), tsa_anchor(tsa_.root_pem()))));
  CommandResult r = verify_key(sig("swapped.sig"), tsa_anchor(tsa_.root_pem()));
  EXPECT_TRUE(one_line_failure(r, 1, "timestampVerificationData.rfc3161Timestamps[0]: RFC 3161 timestamp of"));
  EXPECT_NE(r.err.find("imprint"), std::string::npos) << r.err;

  // A TSA chain to the wrong anchor.
  EXPECT_TRUE(one_line_failure(verify_key(sig("b.sig"), tsa_anchor(dir_ / "unrelated-root.pem")), 1,
                               "does not verify against the TSA trust anchors"));

  // No timestamp, but one is required.
  ASSERT_TRUE(succeeded(sign_key(sig("plain.sig"))));
  EXPECT_TRUE(one_line_failure(verify_key(sig("plain.sig"), {"--tsa-certificate-chain", tsa_.root_pem().string(),
                                                             "--require-timestamp"}),
                               1, "bundle has no RFC 3161 timestamp"));
  // --require-timestamp without anchors to check one with is a usage error.
  EXPECT_TRUE(one_line_failure(verify_key(sig("b.sig"), {"--require-timestamp"}), 2));
  // --tsa-certificate-chain on sign needs --tsa-url.
  EXPECT_TRUE(one_line_failure(sign_key(sig("c.sig"), tsa_anchor(tsa_.root_pem())), 2));

  // Signing fails, and writes nothing, when the TSA cannot be reached or
  // its answer does not chain to the anchors given.
  EXPECT_TRUE(one_line_failure(sign_key(sig("d.sig"), {"--tsa-url", "http://127.0.0.1:1/"}), 1,
                               "timestamp authority"));
  EXPECT_TRUE(one_line_failure(sign_key(sig("e.sig"), {"--tsa-url", tsa_.url(), "--tsa-certificate-chain",
                                                       (dir_ / "unrelated-root.pem").string()}),
                               1, "the timestamp from " + tsa_.url()));
  EXPECT_FALSE(fs::exists(sig("d.sig")));
  EXPECT_FALSE(fs::exists(sig("e.sig")));
}

// Blanks the DSSE signature and removes timestampVerificationData.
ordered_json comparable(ordered_json b) {
  b["dsseEnvelope"]["signatures"][0]["sig"] = "";
  b["verificationMaterial"].erase("timestampVerificationData");
  return b;
}

TEST_F(TimestampCli, ATimestampedBundleDiffersOnlyByTimestampVerificationData) {
  for (const std::string method : {"key", "certificate"}) {
    SCOPED_TRACE(method);
    auto sign = [&](const fs::path& s, std::vector<std::string> extra) {
      return method == "key" ? sign_key(s, extra) : sign_certificate(s, extra);
    };
    ASSERT_TRUE(succeeded(sign(sig("plain.sig"), {})));
    ASSERT_TRUE(succeeded(sign(sig("stamped.sig"), {"--tsa-url", tsa_.url()})));
    ordered_json plain = bundle(sig("plain.sig"));
    ordered_json stamped = bundle(sig("stamped.sig"));
    EXPECT_FALSE(plain["verificationMaterial"].contains("timestampVerificationData"));
    // dev.sigstore.bundle.v1.VerificationMaterial: content, tlog_entries,
    // timestamp_verification_data (rfc3161_timestamps: RFC3161SignedTimestamp
    // {signed_timestamp}), in protobuf-JSON names, after tlogEntries.
    const ordered_json& vm = stamped["verificationMaterial"];
    std::vector<std::string> keys;
    for (auto it = vm.begin(); it != vm.end(); ++it) keys.push_back(it.key());
    EXPECT_EQ(keys, (std::vector<std::string>{method == "key" ? "publicKey" : "x509CertificateChain", "tlogEntries",
                                              "timestampVerificationData"}));
    const ordered_json& tvd = vm["timestampVerificationData"];
    ASSERT_EQ(tvd.size(), 1u);
    ASSERT_EQ(tvd["rfc3161Timestamps"].size(), 1u);
    ASSERT_EQ(tvd["rfc3161Timestamps"][0].size(), 1u);
    EXPECT_TRUE(tvd["rfc3161Timestamps"][0]["signedTimestamp"].is_string());
    // Everything else, in the same order, byte for byte.
    EXPECT_EQ(comparable(stamped).dump(2), comparable(plain).dump(2));
    fs::remove(sig("plain.sig"));
    fs::remove(sig("stamped.sig"));
  }
}

#ifdef MS_WITH_PKCS11
TEST_F(TimestampCli, Pkcs11SignaturesWithTsaUrlVerify) {
  const TokenSetup& token = token_setup();
  std::vector<std::string> common = {model().string(), "--signature", sig().string(), "--pkcs11-uri",
                                     token.uri("token=model-signing;object=p256"), "--tsa-url", tsa_.url()};
  std::vector<std::string> args = {"sign", "pkcs11-key"};
  args.insert(args.end(), common.begin(), common.end());
  ASSERT_TRUE(succeeded(run_cli(args, token.env())));
  CommandResult r = run_cli({"verify", "key", model().string(), "--signature", sig().string(), "--public-key",
                             token.file("p256.pub").string(), "--tsa-certificate-chain", tsa_.root_pem().string(),
                             "--require-timestamp"});
  EXPECT_TRUE(succeeded(r, "Verification succeeded\n")) << r.err;
  EXPECT_NE(r.err.find("signature timestamped at "), std::string::npos) << r.err;

  fs::remove(sig());
  args = {"sign", "pkcs11-certificate"};
  args.insert(args.end(), common.begin(), common.end());
  args.insert(args.end(), {"--signing-certificate", token.file("p256.crt").string()});
  ASSERT_TRUE(succeeded(run_cli(args, token.env())));
  r = run_cli({"verify", "certificate", model().string(), "--signature", sig().string(), "--certificate-chain",
               token.file("ca.pem").string(), "--tsa-certificate-chain", tsa_.root_pem().string(),
               "--require-timestamp"});
  EXPECT_TRUE(succeeded(r, "Verification succeeded\n")) << r.err;
  EXPECT_NE(r.err.find(", the time of the RFC 3161 timestamp"), std::string::npos) << r.err;
}
#endif

}  // namespace
}  // namespace model_signing::testing
