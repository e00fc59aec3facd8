// The signature our tool writes has the exact JSON shape of the Python
// tool's. Signing the OMS example model with upstream's own test key and
// certificates lets us compare field by field with bundles upstream made:
// the same fields, encodings, key hint, certificate chain and statement.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>

#include <nlohmann/json.hpp>

#include "model_signing/bundle.h"
#include "support/cli_expect.h"
#include "support/signed_statement.h"
#include "support/test_support.h"
#include "util/encoding.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path upstream_dir() { return shared_dir() / "vectors/model-transparency"; }
fs::path keys_dir() { return upstream_dir() / "keys/certificate"; }
fs::path oms_dir() { return shared_dir() / "vectors/oms-spec"; }

// Field names at every level, with values replaced by their JSON type, so
// two bundles compare equal when they have the same shape.
json skeleton(const json& value) {
  if (value.is_object()) {
    json out = json::object();
    for (auto it = value.begin(); it != value.end(); ++it) out[it.key()] = skeleton(it.value());
    return out;
  }
  if (value.is_array()) {
    json out = json::array();
    for (const auto& element : value) out.push_back(skeleton(element));
    return out;
  }
  return value.type_name();
}

json decoded_statement(const json& bundle) {
  auto payload = util::base64_decode(bundle["dsseEnvelope"]["payload"].get<std::string>());
  EXPECT_TRUE(payload);
  return json::parse(payload->begin(), payload->end());
}

// Upstream records ignore_paths in no fixed order.
json with_sorted_ignore_paths(json statement) {
  json& ser = statement["predicate"]["serialization"];
  if (ser.contains("ignore_paths")) {
    std::vector<std::string> paths = ser["ignore_paths"];
    std::sort(paths.begin(), paths.end());
    ser["ignore_paths"] = paths;
  }
  return statement;
}

// Standard alphabet, padded: what Python's base64.b64encode writes.
bool is_standard_base64(const std::string& text) {
  if (text.size() % 4 != 0) return false;
  std::size_t body = text.find_last_not_of('=') + 1;  // npos + 1 == 0: all padding
  if (text.size() - body > 2) return false;
  return std::all_of(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(body), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/';
  });
}

class BundleShape : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(model());
    fs::copy_file(upstream_dir() / "v1.0.0-elliptic-key/signme-1", model() / "signme-1");
    fs::copy_file(upstream_dir() / "v1.0.0-certificate/signme-2", model() / "signme-2");
    write_file(model() / "ignore-me", "not signed");
  }
  fs::path model() const { return dir_ / "model"; }

  json sign(const std::string& method, std::vector<std::string> extra) {
    std::vector<std::string> args = {"sign", method, model().string(), "--signature", (dir_ / "ours.sig").string(),
                                     "--ignore-paths", (model() / "ignore-me").string(), "--private-key",
                                     (keys_dir() / "signing-key.pem").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    CommandResult result = run_cli(args);
    EXPECT_TRUE(succeeded(result, "Signing succeeded\n"));
    text_ = read_file(dir_ / "ours.sig");
    return json::parse(text_);
  }

  void expect_common_shape(const json& ours, const json& theirs) {
    EXPECT_EQ(skeleton(ours), skeleton(theirs)) << "ours: " << skeleton(ours).dump() << "\nupstream: "
                                                << skeleton(theirs).dump();
    EXPECT_EQ(ours["mediaType"], "application/vnd.dev.sigstore.bundle.v0.3+json");
    EXPECT_EQ(ours["mediaType"], theirs["mediaType"]);
    EXPECT_EQ(ours["verificationMaterial"]["tlogEntries"], json::array());
    EXPECT_EQ(ours["dsseEnvelope"]["payloadType"], "application/vnd.in-toto+json");
    ASSERT_EQ(ours["dsseEnvelope"]["signatures"].size(), 1u);
    const json& signature = ours["dsseEnvelope"]["signatures"][0];
    EXPECT_EQ(signature["keyid"], "");
    std::string sig = signature["sig"];
    EXPECT_TRUE(is_standard_base64(sig)) << sig;
    auto der = util::base64_decode(sig);
    ASSERT_TRUE(der && !der->empty());
    EXPECT_EQ((*der)[0], 0x30) << "ECDSA signatures are DER SEQUENCEs";
    EXPECT_TRUE(is_standard_base64(ours["dsseEnvelope"]["payload"]));
    // Same statement, field for field.
    EXPECT_EQ(with_sorted_ignore_paths(decoded_statement(ours)), with_sorted_ignore_paths(decoded_statement(theirs)));
    // Python's json.dumps layout: one line, ", " and ": " separators.
    EXPECT_EQ(text_.find('\n'), std::string::npos);
    EXPECT_EQ(text_.rfind("{\"mediaType\": \"application/vnd.dev.sigstore.bundle.v0.3+json\", "
                          "\"verificationMaterial\": {",
                          0),
              0u);
  }

  TempDir dir_;
  std::string text_;
};

TEST_F(BundleShape, KeyMethodMatchesUpstreamFieldByField) {
  json ours = sign("key", {});
  json theirs = json::parse(read_file(oms_dir() / "valid/key.bundle.json"));
  expect_common_shape(ours, theirs);
  // The hint is the hex SHA-256 of the key's SubjectPublicKeyInfo PEM.
  EXPECT_EQ(ours["verificationMaterial"]["publicKey"]["hint"], theirs["verificationMaterial"]["publicKey"]["hint"]);
  EXPECT_EQ(ours["verificationMaterial"]["publicKey"].size(), 1u);
  EXPECT_NE(text_.find("{\"publicKey\": {\"hint\": \""), std::string::npos);
}

TEST_F(BundleShape, CertificateMethodMatchesUpstreamFieldByField) {
  json ours = sign("certificate", {"--signing-certificate", (keys_dir() / "signing-key-cert.pem").string(),
                                   "--certificate-chain", (keys_dir() / "int-ca-cert.pem").string()});
  json theirs = json::parse(read_file(oms_dir() / "valid/certificate.bundle.json"));
  expect_common_shape(ours, theirs);
  // Leaf first, then the chain, each as base64 DER: the very bytes upstream wrote.
  EXPECT_EQ(ours["verificationMaterial"]["x509CertificateChain"],
            theirs["verificationMaterial"]["x509CertificateChain"]);
  json v100 = json::parse(read_file(upstream_dir() / "v1.0.0-certificate/model.sig"));
  EXPECT_EQ(ours["verificationMaterial"]["x509CertificateChain"],
            v100["verificationMaterial"]["x509CertificateChain"]);

  // Byte for byte up to the payload, the text is what v1.0.0 wrote, but for
  // the "tlogEntries": [] that v1.1 added.
  std::string upstream_text = read_file(upstream_dir() / "v1.0.0-certificate/model.sig");
  std::string ours_text = text_;
  const std::string tlog = ", \"tlogEntries\": []";
  auto pos = ours_text.find(tlog);
  ASSERT_NE(pos, std::string::npos);
  ours_text.erase(pos, tlog.size());
  const std::string marker = "\"dsseEnvelope\": {\"payload\": \"";
  ASSERT_NE(ours_text.find(marker), std::string::npos);
  ASSERT_NE(upstream_text.find(marker), std::string::npos);
  EXPECT_EQ(ours_text.substr(0, ours_text.find(marker) + marker.size()),
            upstream_text.substr(0, upstream_text.find(marker) + marker.size()));
}

TEST_F(BundleShape, PayloadIsIndentedLikeUpstreams) {
  json ours = sign("key", {});
  auto payload = util::base64_decode(ours["dsseEnvelope"]["payload"].get<std::string>());
  ASSERT_TRUE(payload);
  std::string text(payload->begin(), payload->end());
  EXPECT_EQ(text.rfind("{\n  \"_type\": \"https://in-toto.io/Statement/v1\",\n  \"subject\": [", 0), 0u) << text;
}

// ---------------------------------------------------------------------------
// Statement fields for the other serializations and options.

class StatementShape : public ::testing::Test {
 protected:
  void SetUp() override {
    generate_ec_key("P-256", dir_ / "key.pem", dir_ / "key.pub");
    write_file(model() / "a.bin", std::string(20, 'a'));
    write_file(model() / "d/b.bin", "bb");
    write_file(model() / "skip/me", "x");
  }
  fs::path model() const { return dir_ / "my-model"; }

  json sign(std::vector<std::string> extra, const fs::path& signature = {}) {
    fs::path sig = signature.empty() ? dir_ / "model.sig" : signature;
    std::vector<std::string> args = {"sign", "key", model().string(), "--private-key", (dir_ / "key.pem").string(),
                                     "--signature", sig.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    EXPECT_TRUE(succeeded(run_cli(args)));
    return statement_of(sig);
  }

  TempDir dir_;
};

TEST_F(StatementShape, ShardsRecordAnIntegerShardSizeAndShardedAlgorithmNames) {
  json statement = sign({"--serialization", "shards", "--shard-size", "8"});
  const json& ser = statement["predicate"]["serialization"];
  EXPECT_EQ(ser["method"], "shards");
  EXPECT_EQ(ser["hash_type"], "sha256");
  EXPECT_EQ(ser["allow_symlinks"], false);
  ASSERT_TRUE(ser["shard_size"].is_number_integer()) << ser.dump();
  EXPECT_EQ(ser["shard_size"].get<std::uint64_t>(), 8u);
  std::vector<std::string> names;
  for (const auto& r : statement["predicate"]["resources"]) {
    EXPECT_EQ(r["algorithm"], "sha256-sharded-8");
    EXPECT_EQ(r["digest"].get<std::string>().size(), 64u);
    EXPECT_EQ(r.size(), 3u) << r.dump();
    names.push_back(r["name"]);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"a.bin:0:8", "a.bin:8:16", "a.bin:16:20", "d/b.bin:0:2", "skip/me:0:1"}));
}

TEST_F(StatementShape, FilesRecordNoShardSizeAndBlake2bDigestsAre64Bytes) {
  json statement = sign({"--hash", "blake2b"});
  const json& ser = statement["predicate"]["serialization"];
  EXPECT_EQ(ser["method"], "files");
  EXPECT_EQ(ser["hash_type"], "blake2b");
  EXPECT_FALSE(ser.contains("shard_size"));
  for (const auto& r : statement["predicate"]["resources"]) {
    EXPECT_EQ(r["algorithm"], "blake2b");
    EXPECT_EQ(r["digest"].get<std::string>().size(), 128u);
  }
  // The root digest is SHA-256 whatever the file hash.
  EXPECT_EQ(statement["subject"][0]["digest"].size(), 1u);
  EXPECT_EQ(statement["subject"][0]["digest"]["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(statement["_type"], "https://in-toto.io/Statement/v1");
  EXPECT_EQ(statement["predicateType"], "https://model_signing/signature/v1.0");
}

TEST_F(StatementShape, IgnorePathsAreRecordedRelativeToTheModel) {
  // Signature inside the model, a user ignore path, default git paths.
  json statement = sign({"--ignore-paths", (model() / "skip").string()}, model() / "model.sig");
  std::vector<std::string> recorded = statement["predicate"]["serialization"]["ignore_paths"];
  std::sort(recorded.begin(), recorded.end());
  EXPECT_EQ(recorded, (std::vector<std::string>{".git", ".gitattributes", ".github", ".gitignore",
                                                "model.sig", "skip"}));
  std::vector<std::string> names;
  for (const auto& r : statement["predicate"]["resources"]) names.push_back(r["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"a.bin", "d/b.bin"}));

  // Without git paths and with the signature outside: nothing to record.
  json bare = sign({"--no-ignore-git-paths"});
  EXPECT_FALSE(bare["predicate"]["serialization"].contains("ignore_paths"));
}

TEST_F(StatementShape, SubjectNameIsTheModelBasename) {
  EXPECT_EQ(sign({})["subject"][0]["name"], "my-model");
  // "." names the directory it resolves to.
  CommandResult result = run_cli({"sign", "key", ".", "--private-key", (dir_ / "key.pem").string(), "--signature",
                                  (dir_ / "dot.sig").string()},
                                 {}, model());
  ASSERT_TRUE(succeeded(result));
  EXPECT_EQ(statement_of(dir_ / "dot.sig")["subject"][0]["name"], "my-model");
  // A single file is named after itself, and so is its one resource (OMS).
  CommandResult single = run_cli({"sign", "key", (model() / "a.bin").string(), "--private-key",
                                  (dir_ / "key.pem").string(), "--signature", (dir_ / "file.sig").string()});
  ASSERT_TRUE(succeeded(single));
  json statement = statement_of(dir_ / "file.sig");
  EXPECT_EQ(statement["subject"][0]["name"], "a.bin");
  ASSERT_EQ(statement["predicate"]["resources"].size(), 1u);
  EXPECT_EQ(statement["predicate"]["resources"][0]["name"], "a.bin");
}

}  // namespace
}  // namespace model_signing::testing
