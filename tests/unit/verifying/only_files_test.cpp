// Partial verification (VerifyingConfig::set_only_files): the signature is
// verified in full, then only the named files are read and compared.
#include <gtest/gtest.h>

#include "model_signing/error.h"
#include "model_signing/signing.h"
#include "model_signing/verifying.h"
#include "support/expect_error.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;

class OnlyFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(model() / "shard-1.safetensors", "weights, first half");
    write_file(model() / "shard-2.safetensors", "weights, second half");
    write_file(model() / "tokenizer/vocab.json", "{\"a\": 1}");
    write_file(model() / "tokenizer/merges.txt", "a b");
    generate_ec_key("P-256", dir_ / "key.pem", dir_ / "key.pub");
  }
  fs::path model() const { return dir_ / "model"; }
  fs::path dir_path(const std::string& rel) const { return dir_ / rel; }
  fs::path sig() const { return dir_ / "model.sig"; }
  void sign(HashingConfig hashing = {}) const {
    SigningConfig().use_key_signer(dir_ / "key.pem").set_hashing_config(std::move(hashing)).sign(model(), sig());
  }
  VerifyingConfig verifier(std::vector<fs::path> only) const {
    VerifyingConfig config;
    config.use_key_verifier(dir_ / "key.pub").set_only_files(std::move(only));
    return config;
  }
  // Makes a signed file impossible to read: it becomes a directory, so any
  // attempt to hash it fails (as root too, where permissions do not).
  void make_unreadable(const std::string& rel) const {
    fs::remove(model() / rel);
    fs::create_directories(model() / rel / "not-a-file");
  }

 private:
  TempDir dir_;
};

TEST_F(OnlyFiles, ReadsOnlyTheNamedFile) {
  sign();
  make_unreadable("shard-2.safetensors");
  make_unreadable("tokenizer/vocab.json");
  make_unreadable("tokenizer/merges.txt");
  // The obstacle works: a full verification trips over it.
  EXPECT_TRUE(expect_error([&] { VerifyingConfig().use_key_verifier(dir_path("key.pub")).verify(model(), sig()); },
                           ErrorKind::kModelMismatch));
  VerificationResult result = verifier({model() / "shard-1.safetensors"}).verify(model(), sig());
  EXPECT_EQ(result.files_checked, 1u);
  EXPECT_EQ(result.files_signed, 4u);
  // Relative paths are relative to the model root.
  EXPECT_EQ(verifier({"shard-1.safetensors"}).verify(model(), sig()).files_checked, 1u);
}

TEST_F(OnlyFiles, FailsNamingTheNamedFileWhenItIsTamperedAndIgnoresOthers) {
  sign();
  write_file(model() / "shard-2.safetensors", "tampered");
  EXPECT_NO_THROW(verifier({model() / "shard-1.safetensors"}).verify(model(), sig()));
  EXPECT_TRUE(expect_error([&] { verifier({model() / "shard-2.safetensors"}).verify(model(), sig()); },
                           ErrorKind::kModelMismatch, "modified files (digest differs): shard-2.safetensors"));
  fs::remove(model() / "shard-1.safetensors");
  EXPECT_TRUE(expect_error([&] { verifier({model() / "shard-1.safetensors"}).verify(model(), sig()); },
                           ErrorKind::kModelMismatch, "missing files: shard-1.safetensors"));
}

TEST_F(OnlyFiles, ADirectorySelectsTheSignedFilesBelowIt) {
  sign();
  make_unreadable("shard-1.safetensors");
  make_unreadable("shard-2.safetensors");
  VerificationResult result = verifier({model() / "tokenizer"}).verify(model(), sig());
  EXPECT_EQ(result.files_checked, 2u);
  write_file(model() / "tokenizer/merges.txt", "x y");
  EXPECT_TRUE(expect_error([&] { verifier({model() / "tokenizer/"}).verify(model(), sig()); },
                           ErrorKind::kModelMismatch, "tokenizer/merges.txt"));
}

TEST_F(OnlyFiles, WithShardsAFilePassesWhenAllItsShardsMatch) {
  HashingConfig shards;
  shards.serialization = Serialization::kShards;
  shards.shard_size = 8;
  sign(shards);
  make_unreadable("shard-1.safetensors");
  EXPECT_EQ(verifier({model() / "shard-2.safetensors"}).verify(model(), sig()).files_checked, 1u);
  std::string contents = read_file(model() / "shard-2.safetensors");
  contents.back() ^= 1;  // the last shard only
  write_file(model() / "shard-2.safetensors", contents);
  EXPECT_TRUE(expect_error([&] { verifier({model() / "shard-2.safetensors"}).verify(model(), sig()); },
                           ErrorKind::kModelMismatch, "shard-2.safetensors:16:20"));
}

TEST_F(OnlyFiles, PathsMustBeSignedFilesInsideTheModel) {
  sign();
  write_file(model() / "unsigned.txt", "added later");
  EXPECT_TRUE(expect_error([&] { verifier({model() / "unsigned.txt"}).verify(model(), sig()); },
                           ErrorKind::kInvalidArgument, "is not covered by the signature"));
  EXPECT_TRUE(expect_error([&] { verifier({model() / "nothing/here"}).verify(model(), sig()); },
                           ErrorKind::kInvalidArgument, "is not covered by the signature"));
  EXPECT_TRUE(expect_error([&] { verifier({dir_path("elsewhere.bin")}).verify(model(), sig()); },
                           ErrorKind::kInvalidArgument, "is not inside the model"));
  EXPECT_TRUE(expect_error([&] { verifier({"../model.sig"}).verify(model(), sig()); },
                           ErrorKind::kInvalidArgument, "is not inside the model"));
  // The model itself selects every file.
  EXPECT_EQ(verifier({model()}).verify(model(), sig()).files_checked, 4u);
}

TEST_F(OnlyFiles, SignatureIsVerifiedInFullFirst) {
  sign();
  generate_ec_key("P-256", dir_path("other.pem"), dir_path("other.pub"));
  VerifyingConfig wrong_key;
  wrong_key.use_key_verifier(dir_path("other.pub")).set_only_files({model() / "shard-1.safetensors"});
  EXPECT_TRUE(expect_error([&] { wrong_key.verify(model(), sig()); }, ErrorKind::kInvalidSignature));
}

}  // namespace
}  // namespace model_signing::testing
