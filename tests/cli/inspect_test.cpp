// `model_signing inspect SIGNATURE`: what a signature claims, unverified,
// and saying so first; hostile signatures fail as verify fails (the
// hostile input table runs its malformed bundles through inspect too).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/cli_expect.h"
#include "support/signed_statement.h"
#include "support/test_pki.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kVectors = shared_dir() / "vectors/model-transparency";

TEST(Inspect, SaysFirstThatNothingIsVerified) {
  for (const char* vector : {"v1.0.0-sigstore", "v1.0.0-certificate", "v1.0.0-elliptic-key", "v0.2.0-certificate"}) {
    SCOPED_TRACE(vector);
    CommandResult r = run_cli({"inspect", (kVectors / vector / "model.sig").string()});
    ASSERT_TRUE(succeeded(r));
    EXPECT_EQ(r.out.rfind("NOT VERIFIED: ", 0), 0u) << r.out;
    EXPECT_EQ(r.err, "");
  }
}

TEST(Inspect, ShowsTheSigstoreSignerLogEntryAndResources) {
  fs::path sig = kVectors / "v1.0.0-sigstore/model.sig";
  CommandResult r = run_cli({"inspect", sig.string()});
  ASSERT_TRUE(succeeded(r));
  json statement = statement_of(sig);
  json bundle = json::parse(read_file(sig));
  std::string index = bundle["verificationMaterial"]["tlogEntries"][0]["logIndex"];
  for (const std::string& expected :
       {std::string("Method:         sigstore"), std::string("Signer:         stefanb@us.ibm.com from "
                                                            "https://sigstore.verify.ibm.com/oauth2"),
        "Root digest:    sha256:" + statement["subject"][0]["digest"]["sha256"].get<std::string>(),
        std::string("Serialization:  files, sha256"), "Log entries:    index " + index,
        "  signme-1  sha256:" + statement["predicate"]["resources"][0]["digest"].get<std::string>()}) {
    EXPECT_NE(r.out.find(expected), std::string::npos) << expected << "\n" << r.out;
  }

  CommandResult j = run_cli({"inspect", sig.string(), "--output", "json"});
  ASSERT_TRUE(succeeded(j));
  json report = json::parse(j.out);
  EXPECT_EQ(report["schema_version"], 1);
  EXPECT_EQ(report["command"], "inspect");
  EXPECT_EQ(report["verified"], false);
  EXPECT_EQ(report["model_name"], statement["subject"][0]["name"]);
  EXPECT_EQ(report["root_digest"], "sha256:" + statement["subject"][0]["digest"]["sha256"].get<std::string>());
  ASSERT_EQ(report["resources"].size(), statement["predicate"]["resources"].size());
  for (std::size_t i = 0; i < report["resources"].size(); ++i) {
    EXPECT_EQ(report["resources"][i]["name"], statement["predicate"]["resources"][i]["name"]);
    EXPECT_EQ(report["resources"][i]["digest"], statement["predicate"]["resources"][i]["digest"]);
  }
  EXPECT_EQ(report["signer"]["method"], "sigstore");
  EXPECT_EQ(report["signer"]["identity"], "stefanb@us.ibm.com");
  EXPECT_EQ(report["signer"]["log_entries"][0]["log_index"], std::stoll(index));
  EXPECT_EQ(report["signer"]["log_entries"][0]["inclusion_proof"], true);
}

TEST(Inspect, ShowsKeyAndCertificateSignersAndIgnorePaths) {
  TempDir dir;
  write_file(dir / "model/a.bin", "alpha");
  write_file(dir / "model/skip/x", "x");
  generate_ec_key("P-384", dir / "key.pem", dir / "key.pub");
  ASSERT_TRUE(succeeded(run_cli({"sign", "key", (dir / "model").string(), "--private-key", (dir / "key.pem").string(),
                                 "--signature", (dir / "k.sig").string(), "--ignore-paths",
                                 (dir / "model/skip").string(), "--serialization", "shards", "--shard-size", "2"})));
  CommandResult r = run_cli({"inspect", (dir / "k.sig").string()});
  ASSERT_TRUE(succeeded(r));
  std::string hint = json::parse(read_file(dir / "k.sig"))["verificationMaterial"]["publicKey"]["hint"];
  // (A key bundle names no algorithm: only the key's hint.)
  EXPECT_NE(r.out.find("Signer:         public key with hint " + hint + "\n"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Serialization:  shards, sha256, shard size 2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Ignore paths:   .git, .gitattributes, .github, .gitignore, skip"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  a.bin:0:2  sha256:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Log entries:    none"), std::string::npos) << r.out;

  TestIdentity root = TestIdentity::make_root("P-256", "Inspect Root");
  CertSpec spec;
  spec.common_name = "inspect signer";
  TestIdentity leaf = root.issue(spec);
  leaf.write_cert_pem(dir / "leaf.pem");
  leaf.write_key_pem(dir / "leaf.key");
  ASSERT_TRUE(succeeded(run_cli({"sign", "certificate", (dir / "model").string(), "--private-key",
                                 (dir / "leaf.key").string(), "--signing-certificate", (dir / "leaf.pem").string(),
                                 "--signature", (dir / "c.sig").string()})));
  r = run_cli({"inspect", (dir / "c.sig").string()});
  ASSERT_TRUE(succeeded(r));
  EXPECT_NE(r.out.find("Method:         certificate"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Signer:         CN=inspect signer, issued by CN=Inspect Root, valid "), std::string::npos)
      << r.out;
}

TEST(Inspect, UnreadableSignaturesFailWithOneLine) {
  TempDir dir;
  EXPECT_TRUE(one_line_failure(run_cli({"inspect", (dir / "absent.sig").string()}), 1, "cannot read"));
  write_file(dir / "junk.sig", "not json");
  EXPECT_TRUE(one_line_failure(run_cli({"inspect", (dir / "junk.sig").string()}), 1,
                               "Inspection failed with error: invalid signature file"));
  EXPECT_TRUE(one_line_failure(run_cli({"inspect"}), 2, "SIGNATURE is required"));
}

}  // namespace
}  // namespace model_signing::testing
