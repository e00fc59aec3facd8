// Sign then verify, through the library and through the CLI: key (every
// curve, encrypted PEM) and certificate methods; files and shards (tiny
// shards, a file exactly a multiple of the shard size); sha256 and blake2b;
// directory and single-file models. After each round trip, one changed byte
// must make verification fail naming the file.
#include <gtest/gtest.h>

#include <openssl/pem.h>

#include <nlohmann/json.hpp>

#include "model_signing/error.h"
#include "model_signing/signing.h"
#include "model_signing/verifying.h"
#include "support/cli_expect.h"
#include "support/expect_error.h"
#include "support/signed_statement.h"
#include "support/test_pki.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;

// A directory model with a file of exactly 16 bytes (a multiple of shard
// sizes 1, 2, 4, 8 and 16), an odd-sized one in a subdirectory and an empty one.
void write_dir_model(const fs::path& model) {
  write_file(model / "weights.bin", "0123456789abcdef");
  write_file(model / "sub/config.json", "{\"layers\": [1, 2, 3]}\n");
  write_file(model / "empty", "");
}

void write_single_model(const fs::path& file) { write_file(file, "single-file model weights"); }

std::uint64_t shard_count(std::uint64_t size, std::uint64_t shard) { return (size + shard - 1) / shard; }

void flip_byte(const fs::path& file) {
  std::string contents = read_file(file);
  contents[0] ^= 0x20;
  write_file(file, contents);
}

// ---------------------------------------------------------------------------
// Serialization x hash x model kind, key method, library and CLI.

struct HashCase {
  Serialization serialization;
  std::uint64_t shard_size;  // for shards
  HashAlgorithm hash;
  bool single_file;
};

std::string hash_case_name(const ::testing::TestParamInfo<HashCase>& info) {
  const HashCase& c = info.param;
  std::string name(to_string(c.serialization));
  if (c.serialization == Serialization::kShards) name += std::to_string(c.shard_size);
  name += "_" + std::string(to_string(c.hash));
  name += c.single_file ? "_file" : "_dir";
  return name;
}

std::vector<HashCase> hash_cases() {
  std::vector<HashCase> cases;
  for (HashAlgorithm hash : {HashAlgorithm::kSha256, HashAlgorithm::kBlake2b}) {
    for (bool single : {false, true}) {
      cases.push_back({Serialization::kFiles, 0, hash, single});
      for (std::uint64_t shard : {std::uint64_t{1}, std::uint64_t{3}, std::uint64_t{8}, kDefaultShardSize}) {
        cases.push_back({Serialization::kShards, shard, hash, single});
      }
    }
  }
  return cases;
}

class HashRoundTrip : public ::testing::TestWithParam<HashCase> {
 protected:
  void SetUp() override {
    generate_ec_key("P-256", dir_ / "key.pem", dir_ / "key.pub");
    if (GetParam().single_file) {
      write_single_model(model());
    } else {
      write_dir_model(model());
    }
  }
  fs::path model() const { return GetParam().single_file ? dir_ / "model.bin" : dir_ / "model"; }
  // The file whose byte the tamper step changes, and its name in messages.
  fs::path tampered() const { return GetParam().single_file ? model() : model() / "sub/config.json"; }
  std::string tampered_name() const { return GetParam().single_file ? "model.bin" : "sub/config.json"; }

  HashingConfig hashing() const {
    HashingConfig config;
    config.serialization = GetParam().serialization;
    config.hash = GetParam().hash;
    if (GetParam().serialization == Serialization::kShards) config.shard_size = GetParam().shard_size;
    return config;
  }

  void expect_manifest_shape(const Manifest& manifest) const {
    const HashCase& c = GetParam();
    EXPECT_EQ(manifest.serialization().method, c.serialization);
    EXPECT_EQ(manifest.serialization().hash, c.hash);
    std::uint64_t expected_items = 0;
    std::vector<std::uint64_t> sizes = c.single_file ? std::vector<std::uint64_t>{25}
                                                     : std::vector<std::uint64_t>{16, 22, 0};
    for (std::uint64_t size : sizes) {
      expected_items += c.serialization == Serialization::kFiles ? 1 : shard_count(size, c.shard_size);
    }
    EXPECT_EQ(manifest.items().size(), expected_items);
    for (const auto& item : manifest.items()) {
      EXPECT_EQ(item.digest.size(), digest_size(c.hash));
      if (c.serialization == Serialization::kShards) {
        ASSERT_TRUE(item.is_shard());
        EXPECT_LT(*item.start, *item.end) << item.resource_name();  // no empty shard
        EXPECT_LE(*item.end - *item.start, c.shard_size);
      }
    }
  }

  TempDir dir_;
};

TEST_P(HashRoundTrip, Library) {
  Manifest signed_manifest =
      SigningConfig().use_key_signer(dir_ / "key.pem").set_hashing_config(hashing()).sign(model(), dir_ / "model.sig");
  expect_manifest_shape(signed_manifest);
  // Verification reads the serialization from the signature: no hashing config.
  VerificationResult result = VerifyingConfig().use_key_verifier(dir_ / "key.pub").verify(model(), dir_ / "model.sig");
  EXPECT_EQ(result.manifest.root_digest(), signed_manifest.root_digest());
  EXPECT_EQ(result.manifest.items(), signed_manifest.items());

  flip_byte(tampered());
  try {
    VerifyingConfig().use_key_verifier(dir_ / "key.pub").verify(model(), dir_ / "model.sig");
    FAIL() << "verified a modified model";
  } catch (const ModelMismatchError& e) {
    EXPECT_TRUE(e.extra().empty());
    EXPECT_TRUE(e.missing().empty());
    ASSERT_FALSE(e.mismatched().empty());
    EXPECT_NE(e.mismatched()[0].name.find(tampered_name()), std::string::npos) << e.what();
  }
}

TEST_P(HashRoundTrip, Cli) {
  const HashCase& c = GetParam();
  std::vector<std::string> sign = {"sign", "key", model().string(), "--private-key", (dir_ / "key.pem").string(),
                                   "--signature", (dir_ / "model.sig").string(), "--hash",
                                   std::string(to_string(c.hash)), "--serialization",
                                   std::string(to_string(c.serialization))};
  if (c.serialization == Serialization::kShards) {
    sign.push_back("--shard-size");
    sign.push_back(std::to_string(c.shard_size));
  }
  ASSERT_TRUE(succeeded(run_cli(sign), "Signing succeeded\n"));
  std::vector<std::string> verify = {"verify", "key", model().string(), "--signature",
                                     (dir_ / "model.sig").string(), "--public-key", (dir_ / "key.pub").string()};
  EXPECT_TRUE(succeeded(run_cli(verify), "Verification succeeded\n"));

  // The CLI and the library agree on the manifest.
  nlohmann::json statement = statement_of(dir_ / "model.sig");
  Manifest manifest = hash_model(model(), hashing());
  EXPECT_EQ(statement["subject"][0]["digest"]["sha256"], digest_hex(manifest.root_digest()));
  EXPECT_EQ(statement["predicate"]["resources"].size(), manifest.items().size());

  flip_byte(tampered());
  EXPECT_TRUE(one_line_failure(run_cli(verify), 1, tampered_name()));
}

INSTANTIATE_TEST_SUITE_P(Serializations, HashRoundTrip, ::testing::ValuesIn(hash_cases()), hash_case_name);

TEST(ShardBoundaries, FileExactlyAMultipleOfTheShardSizeHasNoEmptyTrailingShard) {
  TempDir dir;
  write_dir_model(dir / "model");
  HashingConfig config;
  config.serialization = Serialization::kShards;
  config.shard_size = 8;
  Manifest manifest = hash_model(dir / "model", config);
  std::vector<std::string> names;
  for (const auto& item : manifest.items()) names.push_back(item.resource_name());
  // "empty" has no shard; weights.bin (16 bytes) exactly two.
  EXPECT_EQ(names, (std::vector<std::string>{"sub/config.json:0:8", "sub/config.json:8:16",
                                             "sub/config.json:16:22", "weights.bin:0:8",
                                             "weights.bin:8:16"}));
  EXPECT_EQ(manifest.serialization().resource_algorithm(), "sha256-sharded-8");
}

TEST(ShardBoundaries, ShardDigestsAreDigestsOfTheByteRanges) {
  TempDir dir;
  write_file(dir / "model/w", "abcdefghij");
  HashingConfig config;
  config.serialization = Serialization::kShards;
  config.shard_size = 4;
  Manifest shards = hash_model(dir / "model", config);
  ASSERT_EQ(shards.items().size(), 3u);
  // Each shard's digest equals the digest of a file holding just that range.
  const char* pieces[] = {"abcd", "efgh", "ij"};
  for (int i = 0; i < 3; ++i) {
    TempDir piece;
    write_file(piece / "p", pieces[i]);
    Manifest whole = hash_model(piece / "p", HashingConfig());
    EXPECT_EQ(shards.items()[i].digest, whole.items()[0].digest) << pieces[i];
  }
}

// ---------------------------------------------------------------------------
// Key method, every curve; certificate method with a chain, every curve.

class CurveRoundTrip : public ::testing::TestWithParam<std::string> {};

TEST_P(CurveRoundTrip, KeyMethodViaCliAndLibrary) {
  TempDir dir;
  write_dir_model(dir / "model");
  generate_ec_key(GetParam(), dir / "key.pem", dir / "key.pub");
  ASSERT_TRUE(succeeded(run_cli({"sign", "key", (dir / "model").string(), "--private-key",
                                 (dir / "key.pem").string(), "--signature", (dir / "cli.sig").string()})));
  EXPECT_TRUE(succeeded(run_cli({"verify", "key", (dir / "model").string(), "--signature",
                                 (dir / "cli.sig").string(), "--public-key", (dir / "key.pub").string()})));
  // Each tool verifies what the other signed.
  SigningConfig().use_key_signer(dir / "key.pem").sign(dir / "model", dir / "lib.sig");
  EXPECT_TRUE(succeeded(run_cli({"verify", "key", (dir / "model").string(), "--signature",
                                 (dir / "lib.sig").string(), "--public-key", (dir / "key.pub").string()})));
  EXPECT_NO_THROW(VerifyingConfig().use_key_verifier(dir / "key.pub").verify(dir / "model", dir / "cli.sig"));
}

TEST_P(CurveRoundTrip, CertificateMethodWithIntermediateViaCliAndLibrary) {
  TempDir dir;
  write_dir_model(dir / "model");
  TestIdentity root = TestIdentity::make_root(GetParam());
  CertSpec ca;
  ca.common_name = "Test Intermediate";
  ca.is_ca = true;
  ca.digital_signature = false;
  ca.code_signing = false;
  TestIdentity intermediate = root.issue(ca, GetParam());
  CertSpec spec;
  spec.common_name = "model signer";
  TestIdentity leaf = intermediate.issue(spec, GetParam());
  root.write_cert_pem(dir / "root.pem");
  intermediate.write_cert_pem(dir / "intermediate.pem");
  leaf.write_cert_pem(dir / "leaf.pem");
  leaf.write_key_pem(dir / "leaf.key");

  ASSERT_TRUE(succeeded(run_cli({"sign", "certificate", (dir / "model").string(), "--private-key",
                                 (dir / "leaf.key").string(), "--signing-certificate", (dir / "leaf.pem").string(),
                                 "--certificate-chain", (dir / "intermediate.pem").string(), "--signature",
                                 (dir / "cli.sig").string()})));
  EXPECT_TRUE(succeeded(run_cli({"verify", "certificate", (dir / "model").string(), "--signature",
                                 (dir / "cli.sig").string(), "--certificate-chain", (dir / "root.pem").string()}),
                        "Verification succeeded\n"));
  // The bundle carries leaf then intermediate; the root stays out.
  Bundle bundle = read_bundle_file((dir / "cli.sig").string());
  ASSERT_EQ(bundle.verification_material.certificates.size(), 2u);

  SigningConfig()
      .use_certificate_signer(dir / "leaf.key", dir / "leaf.pem", {dir / "intermediate.pem"})
      .sign(dir / "model", dir / "lib.sig");
  CertificateVerifierOptions options;
  options.trust_anchors = {dir / "root.pem"};
  EXPECT_NO_THROW(VerifyingConfig().use_certificate_verifier(options).verify(dir / "model", dir / "lib.sig"));
  EXPECT_TRUE(succeeded(run_cli({"verify", "certificate", (dir / "model").string(), "--signature",
                                 (dir / "lib.sig").string(), "--certificate-chain", (dir / "root.pem").string()})));
  // An intermediate given as the anchor is trusted on its own.
  EXPECT_TRUE(succeeded(run_cli({"verify", "certificate", (dir / "model").string(), "--signature",
                                 (dir / "lib.sig").string(), "--certificate-chain",
                                 (dir / "intermediate.pem").string()})));

  flip_byte(dir / "model/weights.bin");
  EXPECT_TRUE(one_line_failure(run_cli({"verify", "certificate", (dir / "model").string(), "--signature",
                                        (dir / "cli.sig").string(), "--certificate-chain",
                                        (dir / "root.pem").string()}),
                               1, "weights.bin"));
}

INSTANTIATE_TEST_SUITE_P(Curves, CurveRoundTrip, ::testing::Values("P-256", "P-384", "P-521"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param.substr(0, 1) + info.param.substr(2);
                         });

// ---------------------------------------------------------------------------
// Encrypted private keys.

void write_encrypted_key(EVP_PKEY* key, const fs::path& path, const std::string& password) {
  BIO* bio = BIO_new(BIO_s_mem());
  ASSERT_EQ(PEM_write_bio_PKCS8PrivateKey(bio, key, EVP_aes_256_cbc(), password.data(),
                                          static_cast<int>(password.size()), nullptr, nullptr),
            1);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  write_file(path, std::string(data, static_cast<std::size_t>(len)));
  BIO_free(bio);
}

TEST(EncryptedKey, SignsWithPasswordAndFailsClearlyWithout) {
  TempDir dir;
  write_dir_model(dir / "model");
  TestIdentity root = TestIdentity::make_root();
  TestIdentity leaf = root.issue(CertSpec{}, "P-384");
  write_encrypted_key(leaf.key(), dir / "enc.pem", "s3cret");
  leaf.write_public_pem(dir / "key.pub");
  leaf.write_cert_pem(dir / "leaf.pem");
  root.write_cert_pem(dir / "root.pem");
  ASSERT_NE(read_file(dir / "enc.pem").find("ENCRYPTED"), std::string::npos);

  std::vector<std::string> sign = {"sign", "key", (dir / "model").string(), "--private-key",
                                   (dir / "enc.pem").string(), "--signature", (dir / "model.sig").string()};
  EXPECT_TRUE(one_line_failure(run_cli(sign), 1, "a password is required"));
  EXPECT_FALSE(fs::exists(dir / "model.sig"));
  std::vector<std::string> wrong = sign;
  wrong.insert(wrong.end(), {"--password", "nope"});
  EXPECT_TRUE(one_line_failure(run_cli(wrong), 1, "wrong password"));
  EXPECT_FALSE(fs::exists(dir / "model.sig"));
  sign.insert(sign.end(), {"--password", "s3cret"});
  ASSERT_TRUE(succeeded(run_cli(sign), "Signing succeeded\n"));
  EXPECT_TRUE(succeeded(run_cli({"verify", "key", (dir / "model").string(), "--signature",
                                 (dir / "model.sig").string(), "--public-key", (dir / "key.pub").string()})));

  // Certificate method with the same encrypted key.
  EXPECT_TRUE(succeeded(run_cli({"sign", "certificate", (dir / "model").string(), "--private-key",
                                 (dir / "enc.pem").string(), "--password", "s3cret", "--signing-certificate",
                                 (dir / "leaf.pem").string(), "--signature", (dir / "cert.sig").string()})));
  EXPECT_TRUE(succeeded(run_cli({"verify", "certificate", (dir / "model").string(), "--signature",
                                 (dir / "cert.sig").string(), "--certificate-chain", (dir / "root.pem").string()})));

  // Library.
  EXPECT_NO_THROW(SigningConfig().use_key_signer(dir / "enc.pem", "s3cret").sign(dir / "model", dir / "lib.sig"));
  EXPECT_NO_THROW(VerifyingConfig().use_key_verifier(dir / "key.pub").verify(dir / "model", dir / "lib.sig"));
  EXPECT_TRUE(expect_error([&] { SigningConfig().use_key_signer(dir / "enc.pem"); }, ErrorKind::kKey,
                           "a password is required"));
}

}  // namespace
}  // namespace model_signing::testing
