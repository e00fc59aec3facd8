// `--output json`: one JSON object on stdout, with the schema the README
// documents, on success, on a tampered model and on a bad signature; exit
// codes as in text mode; messages stay on stderr.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/signed_statement.h"
#include "support/test_pki.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class JsonOutput : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(model() / "a.bin", "alpha");
    write_file(model() / "sub/b.bin", "bravo!");
    generate_ec_key("P-256", path("key.pem"), path("key.pub"));
  }
  fs::path path(const std::string& rel) const { return dir_ / rel; }
  fs::path model() const { return dir_ / "model"; }

  // Runs the CLI; the whole of stdout must be one JSON object.
  json run_json(std::vector<std::string> args, int expected_exit, std::string* err = nullptr) {
    args.push_back("--output");
    args.push_back("json");
    CommandResult r = run_cli(args);
    EXPECT_EQ(r.exit_code, expected_exit) << r.out << r.err;
    if (err) *err = r.err;
    json parsed;
    try {
      parsed = json::parse(r.out);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "stdout is not one JSON object: " << e.what() << "\n" << r.out;
      return json::object();
    }
    EXPECT_TRUE(parsed.is_object());
    EXPECT_EQ(parsed["schema_version"], 1);
    return parsed;
  }

  std::vector<std::string> sign_key(const std::string& sig = "m.sig") const {
    return {"sign", "key", model().string(), "--private-key", path("key.pem").string(), "--signature",
            path(sig).string()};
  }
  std::vector<std::string> verify_key(const std::string& sig = "m.sig") const {
    return {"verify", "key", model().string(), "--signature", path(sig).string(), "--public-key",
            path("key.pub").string()};
  }

  TempDir dir_;
};

void expect_serialization(const json& s, const std::string& method, const std::string& hash) {
  EXPECT_EQ(s["method"], method);
  EXPECT_EQ(s["hash"], hash);
  EXPECT_TRUE(s.contains("shard_size"));
  EXPECT_TRUE(s["allow_symlinks"].is_boolean());
  EXPECT_TRUE(s["ignore_paths"].is_array());
}

TEST_F(JsonOutput, DigestReportsTheRootDigestAndWhatWasHashed) {
  std::string text = run_cli({"digest", model().string()}).out;
  json r = run_json({"digest", model().string(), "--serialization", "shards", "--shard-size", "4"}, 0);
  EXPECT_EQ(r["command"], "digest");
  EXPECT_EQ(r["status"], "ok");
  EXPECT_EQ(r["model"], model().string());
  EXPECT_EQ(r["files"], 2);
  EXPECT_EQ(r["bytes"], 11);
  expect_serialization(r["serialization"], "shards", "sha256");
  EXPECT_EQ(r["serialization"]["shard_size"], 4);
  EXPECT_EQ(r["warnings"], json::array());
  r = run_json({"digest", model().string()}, 0);
  EXPECT_EQ(r["root_digest"].get<std::string>() + "\n", text);
  EXPECT_EQ(r["serialization"]["shard_size"], nullptr);
  EXPECT_EQ(r["serialization"]["ignore_paths"],
            json::array({".git", ".gitattributes", ".github", ".gitignore"}));
}

TEST_F(JsonOutput, SignAndVerifyWithAKey) {
  json s = run_json(sign_key(), 0);
  EXPECT_EQ(s["command"], "sign");
  EXPECT_EQ(s["status"], "ok");
  EXPECT_EQ(s["signature"], path("m.sig").string());
  std::string root = statement_of(path("m.sig"))["subject"][0]["digest"]["sha256"];
  EXPECT_EQ(s["root_digest"], "sha256:" + root);
  EXPECT_EQ(s["files"], 2);
  EXPECT_EQ(s["bytes"], 11);
  const json& signer = s["signer"];
  EXPECT_EQ(signer["method"], "key");
  std::string hint = json::parse(read_file(path("m.sig")))["verificationMaterial"]["publicKey"]["hint"];
  EXPECT_EQ(signer["public_key_hint"], hint);
  EXPECT_EQ(signer["certificate"], nullptr);
  EXPECT_EQ(signer["identity"], nullptr);
  EXPECT_EQ(signer["log_entries"], json::array());
  EXPECT_EQ(signer["timestamps"], json::array());
  EXPECT_EQ(s["warnings"], json::array());

  std::string err;
  json v = run_json(verify_key(), 0, &err);
  EXPECT_EQ(err, "");
  EXPECT_EQ(v["command"], "verify");
  EXPECT_EQ(v["status"], "ok");
  EXPECT_EQ(v["root_digest"], s["root_digest"]);
  EXPECT_EQ(v["files"], 2);
  EXPECT_EQ(v["bytes"], 11);
  expect_serialization(v["serialization"], "files", "sha256");
  EXPECT_EQ(v["signer"]["public_key_hint"], hint);
  EXPECT_EQ(v["signer"]["verified_times"], json::array());
  EXPECT_EQ(v["warnings"], json::array());
}

TEST_F(JsonOutput, TamperedModelListsExtraMissingAndModifiedFiles) {
  ASSERT_EQ(run_cli(sign_key()).exit_code, 0);
  write_file(model() / "a.bin", "ALPHA");
  fs::remove(model() / "sub/b.bin");
  write_file(model() / "new.bin", "new");
  std::string err;
  json v = run_json(verify_key(), 1, &err);
  EXPECT_EQ(v["command"], "verify");
  EXPECT_EQ(v["status"], "failed");
  EXPECT_EQ(v["error_kind"], "model_mismatch");
  EXPECT_EQ(v["extra"], json::array({"new.bin"}));
  EXPECT_EQ(v["missing"], json::array({"sub/b.bin"}));
  ASSERT_EQ(v["modified"].size(), 1u);
  EXPECT_EQ(v["modified"][0]["name"], "a.bin");
  EXPECT_EQ(v["modified"][0]["expected"].get<std::string>().size(), 64u);
  EXPECT_NE(v["modified"][0]["expected"], v["modified"][0]["actual"]);
  // The same one line on stderr as in text mode.
  EXPECT_EQ(err, "Verification failed with error: " + v["error"].get<std::string>() + "\n");
  EXPECT_EQ(err, run_cli(verify_key()).err);
}

TEST_F(JsonOutput, BadSignatureFailsWithTheErrorAndNoFileLists) {
  ASSERT_EQ(run_cli(sign_key()).exit_code, 0);
  generate_ec_key("P-256", path("other.pem"), path("other.pub"));
  std::vector<std::string> args = verify_key();
  args.back() = path("other.pub").string();
  json v = run_json(args, 1);
  EXPECT_EQ(v["status"], "failed");
  EXPECT_EQ(v["error_kind"], "invalid_signature");
  EXPECT_NE(v["error"].get<std::string>().find("does not match the key that signed"), std::string::npos);
  EXPECT_FALSE(v.contains("extra"));
  EXPECT_FALSE(v.contains("signer"));

  // A signature that is not a bundle, and a failed sign.
  write_file(path("junk.sig"), "{");
  v = run_json(verify_key("junk.sig"), 1);
  EXPECT_EQ(v["error_kind"], "malformed_signature");
  std::vector<std::string> sign = sign_key("new.sig");
  sign[4] = path("missing.pem").string();
  v = run_json(sign, 1);
  EXPECT_EQ(v["command"], "sign");
  EXPECT_EQ(v["status"], "failed");
  EXPECT_EQ(v["error_kind"], "io");
  EXPECT_FALSE(fs::exists(path("new.sig")));
}

TEST_F(JsonOutput, CertificateSignerIsNamed) {
  TestIdentity root = TestIdentity::make_root("P-256", "JSON Root");
  CertSpec spec;
  spec.common_name = "json signer";
  TestIdentity leaf = root.issue(spec);
  root.write_cert_pem(path("root.pem"));
  leaf.write_cert_pem(path("leaf.pem"));
  leaf.write_key_pem(path("leaf.key"));
  json s = run_json({"sign", "certificate", model().string(), "--private-key", path("leaf.key").string(),
                     "--signing-certificate", path("leaf.pem").string(), "--certificate-chain",
                     path("root.pem").string(), "--signature", path("c.sig").string()},
                    0);
  const json& cert = s["signer"]["certificate"];
  EXPECT_EQ(s["signer"]["method"], "certificate");
  EXPECT_EQ(cert["subject"], "CN=json signer");
  EXPECT_EQ(cert["issuer"], "CN=JSON Root");
  EXPECT_EQ(cert["sha256_fingerprint"].get<std::string>().size(), 64u);
  EXPECT_EQ(cert["not_after"].get<std::string>().back(), 'Z');
  ASSERT_EQ(s["signer"]["chain"].size(), 1u);
  EXPECT_EQ(s["signer"]["chain"][0]["subject"], "CN=JSON Root");
  EXPECT_EQ(s["signer"]["public_key_hint"], nullptr);

  json v = run_json({"verify", "certificate", model().string(), "--signature", path("c.sig").string(),
                     "--certificate-chain", path("root.pem").string()},
                    0);
  EXPECT_EQ(v["signer"]["certificate"], cert);
}

TEST_F(JsonOutput, SigstoreSignerIdentityLogEntryAndTimes) {
  fs::path vector = shared_dir() / "vectors/model-transparency/v1.0.0-sigstore";
  json v = run_json({"verify", "sigstore", vector.string(), "--signature", (vector / "model.sig").string(),
                     "--identity", "stefanb@us.ibm.com", "--identity-provider",
                     "https://sigstore.verify.ibm.com/oauth2"},
                    0);
  const json& signer = v["signer"];
  EXPECT_EQ(signer["method"], "sigstore");
  EXPECT_EQ(signer["identity"], "stefanb@us.ibm.com");
  EXPECT_EQ(signer["identity_provider"], "https://sigstore.verify.ibm.com/oauth2");
  ASSERT_EQ(signer["log_entries"].size(), 1u);
  const json& entry = signer["log_entries"][0];
  json bundle = json::parse(read_file(vector / "model.sig"));
  const json& tlog = bundle["verificationMaterial"]["tlogEntries"][0];
  EXPECT_EQ(entry["log_index"], std::stoll(tlog["logIndex"].get<std::string>()));
  EXPECT_EQ(entry["kind"], tlog["kindVersion"]["kind"]);
  EXPECT_EQ(entry["integrated_time"].get<std::string>().back(), 'Z');
  ASSERT_GE(signer["verified_times"].size(), 1u);
  EXPECT_EQ(signer["verified_times"][0]["source"], "transparency_log");
  EXPECT_EQ(signer["verified_times"][0]["time"], entry["integrated_time"]);
  EXPECT_EQ(v["files"], 2);
}

// Usage errors print no JSON (nothing ran): exit 2 and one line on stderr.
TEST_F(JsonOutput, UsageErrorsPrintNoJson) {
  CommandResult r = run_cli({"verify", "key", model().string(), "--output", "json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  r = run_cli({"digest", model().string(), "--output", "yaml"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace model_signing::testing
