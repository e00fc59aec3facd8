// BLAKE3 through the whole pipeline and the CLI: a model signed with
// --hash blake3 (files and shards) records b3sum's digests, verifies, and
// fails after a one-byte change; MS_BLAKE3_BACKEND picks or rejects backends.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/test_support.h"
#include "unit/hash/blake3/blake3_test_util.h"
#include "util/encoding.h"

namespace model_signing::hash::blake3 {
namespace {

namespace fs = std::filesystem;
using model_signing::testing::read_file;
using model_signing::testing::run_cli;
using model_signing::testing::TempDir;
using model_signing::testing::write_file;

// The in-toto statement inside a signature file.
nlohmann::json signed_statement(const fs::path& signature) {
  auto bundle = nlohmann::json::parse(read_file(signature));
  auto payload = util::base64_decode(bundle.at("dsseEnvelope").at("payload").get<std::string>());
  if (!payload) throw std::runtime_error("payload is not base64");
  return nlohmann::json::parse(payload->begin(), payload->end());
}

class Blake3Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    model_signing::testing::generate_ec_key("P-256", dir_ / "key.pem", dir_ / "key.pub");
    std::mt19937_64 rng(3);
    // Big enough for many chunks and several subtrees, with a ragged end.
    auto weights = testing::random_bytes((std::size_t{3} << 20) + 4097, rng);
    write_file(model() / "weights.bin", std::string(weights.begin(), weights.end()));
    write_file(model() / "sub/config.json", "{\"layers\": 3}\n");
    write_file(model() / "empty", "");
  }

  fs::path model() const { return dir_ / "model"; }
  fs::path signature() const { return dir_ / "model.sig"; }

  void sign(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"sign",
                                     "key",
                                     model().string(),
                                     "--signature",
                                     signature().string(),
                                     "--private-key",
                                     (dir_ / "key.pem").string(),
                                     "--hash",
                                     "blake3",
                                     // More workers than cores: large pieces are cut
                                     // into subtrees whatever the machine.
                                     "--max-workers",
                                     "4"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = run_cli(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("Signing succeeded"), std::string::npos);
  }

  model_signing::testing::CommandResult verify() {
    return run_cli({"verify", "key", model().string(), "--signature", signature().string(),
                    "--public-key", (dir_ / "key.pub").string()});
  }

  void expect_tamper_detected() {
    auto ok = verify();
    ASSERT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_NE(ok.out.find("Verification succeeded"), std::string::npos);

    std::string weights = read_file(model() / "weights.bin");
    weights[weights.size() / 2] ^= 0x01;
    write_file(model() / "weights.bin", weights);
    auto bad = verify();
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_NE(bad.err.find("weights.bin"), std::string::npos) << bad.err;
    EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;
  }

  TempDir dir_;
};

TEST_F(Blake3Cli, FilesSignatureRecordsB3sumDigestsAndDetectsTampering) {
  sign({});
  auto statement = signed_statement(signature());
  const auto& predicate = statement.at("predicate");
  EXPECT_EQ(predicate.at("serialization").at("hash_type"), "blake3");
  EXPECT_EQ(predicate.at("serialization").at("method"), "files");

  auto expected =
      testing::b3sum({model() / "weights.bin", model() / "sub/config.json", model() / "empty"});
  ASSERT_EQ(predicate.at("resources").size(), 3u);
  for (const auto& resource : predicate.at("resources")) {
    std::string name = resource.at("name");
    EXPECT_EQ(resource.at("algorithm"), "blake3") << name;
    EXPECT_EQ(resource.at("digest"), expected[(model() / name).string()]) << name;
  }
  expect_tamper_detected();
}

TEST_F(Blake3Cli, ShardsSignatureRecordsB3sumDigestsAndDetectsTampering) {
  const std::size_t shard = (2 << 20) + 1024;  // cut into subtrees from the shard's start
  sign({"--serialization", "shards", "--shard-size", std::to_string(shard)});
  auto statement = signed_statement(signature());
  const auto& predicate = statement.at("predicate");
  EXPECT_EQ(predicate.at("serialization").at("hash_type"), "blake3");
  EXPECT_EQ(predicate.at("serialization").at("method"), "shards");

  // Each shard is hashed as an input of its own.
  std::string weights = read_file(model() / "weights.bin");
  std::vector<fs::path> shard_files;
  for (std::size_t start = 0; start < weights.size(); start += shard) {
    shard_files.push_back(dir_ / ("shard-" + std::to_string(start)));
    write_file(shard_files.back(), weights.substr(start, shard));
  }
  auto expected = testing::b3sum(shard_files);
  std::size_t checked = 0;
  for (const auto& resource : predicate.at("resources")) {
    std::string name = resource.at("name");
    if (name.rfind("weights.bin:", 0) != 0) continue;
    std::size_t start = std::stoull(name.substr(name.find(':') + 1));
    EXPECT_EQ(resource.at("digest"), expected[(dir_ / ("shard-" + std::to_string(start))).string()])
        << name;
    ++checked;
  }
  EXPECT_EQ(checked, shard_files.size());
  expect_tamper_detected();
}

TEST_F(Blake3Cli, EveryForcedBackendGivesTheSameDigest) {
  auto reference = run_cli({"digest", model().string(), "--hash", "blake3"});
  ASSERT_EQ(reference.exit_code, 0) << reference.err;
  ASSERT_EQ(reference.out.rfind("sha256:", 0), 0u);
  for (Backend backend : supported_backends()) {
    auto r = run_cli({"digest", model().string(), "--hash", "blake3", "--max-workers", "1"},
                     {"MS_BLAKE3_BACKEND=" + std::string(to_string(backend))});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, reference.out) << to_string(backend);
  }
  // A different hash gives a different root.
  auto sha = run_cli({"digest", model().string()});
  EXPECT_NE(sha.out, reference.out);
}

TEST_F(Blake3Cli, UnknownBackendIsOneLineError) {
  auto r = run_cli({"digest", model().string(), "--hash", "blake3"}, {"MS_BLAKE3_BACKEND=avx1024"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("MS_BLAKE3_BACKEND=avx1024"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_TRUE(r.out.empty());
}

}  // namespace
}  // namespace model_signing::hash::blake3
