// Incremental re-signing through the library: which files are reused and
// which hashed, that the result is exactly a full re-sign's statement, and
// that nothing is reused from a signature that does not verify or does not
// match.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>

#include <nlohmann/json.hpp>

#include "model_signing/digest_sources.h"
#include "model_signing/error.h"
#include "model_signing/signing.h"
#include "model_signing/verifying.h"
#include "support/expect_error.h"
#include "support/test_pki.h"
#include "support/test_support.h"
#include "util/encoding.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;

// The DSSE payload (the signed statement) of a signature file, as bytes.
std::string payload_of(const fs::path& signature) {
  return read_bundle_file(signature.string()).dsse_envelope->payload;
}

// An hour ago: outside the stat record's racy window.
void age(const fs::path& path) {
  fs::last_write_time(path, fs::file_time_type::clock::now() - std::chrono::hours(1));
}

class ReuseDigests : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(model() / "a.bin", "alpha");
    write_file(model() / "sub/b.bin", "bravo-bravo");
    write_file(model() / "c.txt", "charlie");
    age_all();
    generate_ec_key("P-256", dir_ / "key.pem", dir_ / "key.pub");
  }

  fs::path model() const { return dir_ / "model"; }
  fs::path path(const std::string& rel) const { return dir_ / rel; }
  void age_all() {
    for (const auto& entry : fs::recursive_directory_iterator(model())) {
      if (entry.is_regular_file()) age(entry.path());
    }
  }

  SigningConfig config(HashingConfig hashing = {}) const {
    SigningConfig c;
    c.use_key_signer(dir_ / "key.pem").set_hashing_config(std::move(hashing));
    return c;
  }
  SigningResult sign_full(const fs::path& signature, bool record = true, HashingConfig hashing = {}) const {
    SigningConfig c = config(std::move(hashing));
    c.set_write_stat_record(record);
    return c.sign_with_details(model(), signature);
  }
  SigningResult resign(const fs::path& old_signature, const fs::path& signature,
                       std::optional<std::vector<fs::path>> changed = std::nullopt,
                       HashingConfig hashing = {}) const {
    SigningConfig c = config(std::move(hashing));
    c.reuse_digests({old_signature, nullptr, std::move(changed)});
    return c.sign_with_details(model(), signature);
  }
  VerificationResult verify(const fs::path& signature) const {
    return VerifyingConfig().use_key_verifier(dir_ / "key.pub").verify(model(), signature);
  }

 private:
  TempDir dir_;
};

TEST_F(ReuseDigests, StatRecordReusesUnchangedFilesAndHashesTheChangedOne) {
  SigningResult first = sign_full(path("old.sig"));
  EXPECT_EQ(first.counts.files_hashed, 3u);
  ASSERT_TRUE(fs::exists(stat_record_path(path("old.sig"))));

  write_file(model() / "c.txt", "charlie, edited");
  SigningResult result = resign(path("old.sig"), path("new.sig"));
  EXPECT_EQ(result.counts.files_reused, 2u);
  EXPECT_EQ(result.counts.bytes_reused, 5u + 11u);
  EXPECT_EQ(result.counts.files_hashed, 1u);
  EXPECT_EQ(result.counts.bytes_hashed, 15u);
  EXPECT_TRUE(result.warnings.empty());

  sign_full(path("full.sig"), false);
  EXPECT_EQ(payload_of(path("new.sig")), payload_of(path("full.sig")));
  EXPECT_EQ(verify(path("new.sig")).files_checked, 3u);
  // The new signature has its own record, so the chain continues.
  EXPECT_TRUE(fs::exists(stat_record_path(path("new.sig"))));
}

TEST_F(ReuseDigests, ChangedPathsHashOnlyThoseAndNewFilesAndRemovedFilesDropOut) {
  sign_full(path("old.sig"), false);
  write_file(model() / "a.bin", "ALPHA");
  write_file(model() / "d/new.bin", "delta");
  fs::remove(model() / "sub/b.bin");
  SigningResult result = resign(path("old.sig"), path("new.sig"), std::vector<fs::path>{"a.bin", "sub/b.bin"});
  EXPECT_EQ(result.counts.files_reused, 1u);  // c.txt
  EXPECT_EQ(result.counts.files_hashed, 2u);  // a.bin, d/new.bin
  sign_full(path("full.sig"), false);
  EXPECT_EQ(payload_of(path("new.sig")), payload_of(path("full.sig")));
  EXPECT_NO_THROW(verify(path("new.sig")));
}

TEST_F(ReuseDigests, ChangedDirectoryOrModelRootMeansEverythingBelowIt) {
  sign_full(path("old.sig"), false);
  SigningResult result = resign(path("old.sig"), path("new.sig"), std::vector<fs::path>{model() / "sub"});
  EXPECT_EQ(result.counts.files_hashed, 1u);
  EXPECT_EQ(result.counts.files_reused, 2u);
  result = resign(path("old.sig"), path("new.sig"), std::vector<fs::path>{model()});
  EXPECT_EQ(result.counts.files_hashed, 3u);
  EXPECT_TRUE(expect_error(
      [&] { resign(path("old.sig"), path("new.sig"), std::vector<fs::path>{path("elsewhere/x")}); },
      ErrorKind::kInvalidArgument, "changed path"));
}

// The trust model: the record says which files to trust, and a file edited
// without its size or mtime changing is trusted. It keeps its old signed
// digest, so the new signature claims the old content, and a full verify
// catches the edit.
TEST_F(ReuseDigests, FileChangedUnderSameSizeAndMtimeIsNotRehashedAndFullVerifyCatchesIt) {
  sign_full(path("old.sig"));
  auto mtime = fs::last_write_time(model() / "a.bin");
  write_file(model() / "a.bin", "ALPHA");  // same size
  fs::last_write_time(model() / "a.bin", mtime);

  SigningResult result = resign(path("old.sig"), path("new.sig"));
  EXPECT_EQ(result.counts.files_hashed, 0u);
  EXPECT_EQ(result.counts.files_reused, 3u);
  EXPECT_EQ(payload_of(path("new.sig")), payload_of(path("old.sig")));
  EXPECT_TRUE(expect_error([&] { verify(path("new.sig")); }, ErrorKind::kModelMismatch,
                           "modified files (digest differs): a.bin"));
}

TEST_F(ReuseDigests, ReSigningInPlaceKeepsTheChainGoing) {
  sign_full(path("model.sig"));
  write_file(model() / "c.txt", "charlie 2");
  age(model() / "c.txt");
  EXPECT_EQ(resign(path("model.sig"), path("model.sig")).counts.files_hashed, 1u);
  // The record now belongs to the new signature, with c.txt's new state.
  SigningResult again = resign(path("model.sig"), path("model.sig"));
  EXPECT_EQ(again.counts.files_hashed, 0u);
  EXPECT_EQ(again.counts.files_reused, 3u);
  EXPECT_NO_THROW(verify(path("model.sig")));
}

TEST_F(ReuseDigests, RecentlyModifiedFilesAreNotRecordedAndAreHashedAgain) {
  write_file(model() / "c.txt", "charlie, just now");
  sign_full(path("old.sig"));
  SigningResult result = resign(path("old.sig"), path("new.sig"));
  EXPECT_EQ(result.counts.files_hashed, 1u);
  EXPECT_EQ(result.counts.files_reused, 2u);
}

TEST_F(ReuseDigests, ShardsReuseEveryShardOfAnUnchangedFile) {
  HashingConfig shards;
  shards.serialization = Serialization::kShards;
  shards.shard_size = 4;
  sign_full(path("old.sig"), true, shards);
  write_file(model() / "sub/b.bin", "bravo-BRAVO");  // same size, new mtime
  SigningResult result = resign(path("old.sig"), path("new.sig"), std::nullopt, shards);
  EXPECT_EQ(result.counts.files_reused, 2u);
  EXPECT_EQ(result.counts.files_hashed, 1u);
  sign_full(path("full.sig"), false, shards);
  EXPECT_EQ(payload_of(path("new.sig")), payload_of(path("full.sig")));
  EXPECT_NO_THROW(verify(path("new.sig")));
  // A file whose size changed while --changed left it out is hashed anyway:
  // the old shards do not cover it.
  write_file(model() / "a.bin", "alpha, longer");
  result = resign(path("new.sig"), path("newer.sig"), std::vector<fs::path>{}, shards);
  EXPECT_EQ(result.counts.files_hashed, 1u);
  EXPECT_EQ(result.counts.files_reused, 2u);
  sign_full(path("full.sig"), false, shards);
  EXPECT_EQ(payload_of(path("newer.sig")), payload_of(path("full.sig")));
}

TEST_F(ReuseDigests, SingleFileModel) {
  write_file(path("single.bin"), "one file");
  age(path("single.bin"));
  SigningConfig c = config();
  c.set_write_stat_record(true).sign(path("single.bin"), path("old.sig"));
  SigningConfig again = config();
  again.reuse_digests({path("old.sig"), nullptr, std::nullopt});
  SigningResult result = again.sign_with_details(path("single.bin"), path("new.sig"));
  EXPECT_EQ(result.counts.files_reused, 1u);
  EXPECT_EQ(payload_of(path("new.sig")), payload_of(path("old.sig")));
}

// ---- Refusals: each before anything is written -------------------------

TEST_F(ReuseDigests, TamperedOldSignatureIsRefused) {
  sign_full(path("old.sig"));
  nlohmann::json bundle = nlohmann::json::parse(read_file(path("old.sig")));
  auto sig = *util::base64_decode(bundle["dsseEnvelope"]["signatures"][0]["sig"].get<std::string>());
  sig[sig.size() / 2] ^= 1;
  bundle["dsseEnvelope"]["signatures"][0]["sig"] = util::base64_encode(sig);
  write_file(path("old.sig"), bundle.dump());
  EXPECT_TRUE(expect_error([&] { resign(path("old.sig"), path("new.sig")); }, ErrorKind::kInvalidSignature,
                           "old signature " + path("old.sig").string() + " does not verify"));
  EXPECT_FALSE(fs::exists(path("new.sig")));
  EXPECT_FALSE(fs::exists(stat_record_path(path("new.sig"))));
}

TEST_F(ReuseDigests, OldSignatureOfAnotherKeyIsRefused) {
  generate_ec_key("P-256", path("other.pem"), path("other.pub"));
  SigningConfig other;
  other.use_key_signer(path("other.pem")).set_write_stat_record(true).sign(model(), path("old.sig"));
  EXPECT_TRUE(expect_error([&] { resign(path("old.sig"), path("new.sig")); }, ErrorKind::kInvalidSignature,
                           "does not match the key that signed"));
  EXPECT_FALSE(fs::exists(path("new.sig")));
  // Naming the old key explicitly (a key rotation) is allowed.
  SigningConfig rotate = config();
  rotate.reuse_digests({path("old.sig"), make_key_verifier(path("other.pub")), std::nullopt});
  EXPECT_EQ(rotate.sign_with_details(model(), path("new.sig")).counts.files_reused, 3u);
  EXPECT_NO_THROW(verify(path("new.sig")));
}

TEST_F(ReuseDigests, OldSignatureWithAnotherSerializationIsRefused) {
  HashingConfig shards;
  shards.serialization = Serialization::kShards;
  sign_full(path("old.sig"), true, shards);
  EXPECT_TRUE(expect_error([&] { resign(path("old.sig"), path("new.sig")); }, ErrorKind::kInvalidArgument,
                           "it signs shards of sha256 with shard size 1000000000, this signing files of "
                           "sha256 (they must match)"));
  HashingConfig blake;
  blake.hash = HashAlgorithm::kBlake2b;
  EXPECT_TRUE(expect_error([&] { resign(path("old.sig"), path("new.sig"), std::nullopt, blake); },
                           ErrorKind::kInvalidArgument, "this signing files of blake2b"));
  HashingConfig other_size = shards;
  other_size.shard_size = 1000;
  EXPECT_TRUE(expect_error([&] { resign(path("old.sig"), path("new.sig"), std::nullopt, other_size); },
                           ErrorKind::kInvalidArgument, "with shard size 1000 (they must match)"));
  EXPECT_FALSE(fs::exists(path("new.sig")));
}

TEST_F(ReuseDigests, StatRecordMustBelongToTheOldSignatureAndModel) {
  sign_full(path("old.sig"), false);
  EXPECT_TRUE(expect_error([&] { resign(path("old.sig"), path("new.sig")); }, ErrorKind::kInvalidArgument,
                           "has no stat record"));
  sign_full(path("other.sig"));
  fs::copy_file(stat_record_path(path("other.sig")), stat_record_path(path("old.sig")));
  EXPECT_TRUE(expect_error([&] { resign(path("old.sig"), path("new.sig")); }, ErrorKind::kInvalidArgument,
                           "belongs to another signature than"));
  // The same signature and record, for a copy of the model elsewhere.
  copy_tree(model(), path("copy"));
  SigningConfig c = config();
  c.reuse_digests({path("other.sig"), nullptr, std::nullopt});
  EXPECT_TRUE(expect_error([&] { c.sign(path("copy"), path("new.sig")); }, ErrorKind::kInvalidArgument,
                           "was written for the model"));
  write_file(stat_record_path(path("other.sig")), "{\"mediaType\": 3}");
  EXPECT_TRUE(expect_error([&] { resign(path("other.sig"), path("new.sig")); }, ErrorKind::kInvalidArgument,
                           "stat record"));
  EXPECT_FALSE(fs::exists(path("new.sig")));
}

TEST_F(ReuseDigests, CertificateMethodNeedsTheOldSignaturesVerifierNamed) {
  TestIdentity root = TestIdentity::make_root();
  TestIdentity leaf = root.issue(CertSpec{});
  root.write_cert_pem(path("root.pem"));
  leaf.write_cert_pem(path("leaf.pem"));
  leaf.write_key_pem(path("leaf.key"));
  SigningConfig first;
  first.use_certificate_signer(path("leaf.key"), path("leaf.pem"), {}).set_write_stat_record(true);
  first.sign(model(), path("old.sig"));

  SigningConfig unnamed;
  unnamed.use_certificate_signer(path("leaf.key"), path("leaf.pem"), {});
  unnamed.reuse_digests({path("old.sig"), nullptr, std::nullopt});
  EXPECT_TRUE(expect_error([&] { unnamed.sign(model(), path("new.sig")); }, ErrorKind::kInvalidArgument,
                           "has no verifier of its own"));

  CertificateVerifierOptions trust;
  trust.trust_anchors = {path("root.pem")};
  SigningConfig named;
  named.use_certificate_signer(path("leaf.key"), path("leaf.pem"), {});
  named.reuse_digests({path("old.sig"), make_certificate_verifier(trust), std::nullopt});
  EXPECT_EQ(named.sign_with_details(model(), path("new.sig")).counts.files_reused, 3u);

  // Trust anchors the old signature does not chain to: refused.
  TestIdentity other_root = TestIdentity::make_root();
  other_root.write_cert_pem(path("other-root.pem"));
  trust.trust_anchors = {path("other-root.pem")};
  SigningConfig wrong;
  wrong.use_certificate_signer(path("leaf.key"), path("leaf.pem"), {});
  wrong.reuse_digests({path("old.sig"), make_certificate_verifier(trust), std::nullopt});
  EXPECT_TRUE(expect_error([&] { wrong.sign(model(), path("new2.sig")); }, ErrorKind::kUntrustedSigner,
                           "does not verify"));
  EXPECT_FALSE(fs::exists(path("new2.sig")));
}

TEST_F(ReuseDigests, NoStatRecordInsideTheModel) {
  EXPECT_TRUE(expect_error([&] { sign_full(model() / "model.sig"); }, ErrorKind::kInvalidArgument,
                           "it lies inside the model and would become part of it"));
  EXPECT_FALSE(fs::exists(model() / "model.sig"));
  sign_full(path("old.sig"));
  SigningResult result = resign(path("old.sig"), model() / "model.sig");
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_NE(result.warnings[0].find("no stat record written"), std::string::npos);
  EXPECT_FALSE(fs::exists(stat_record_path(model() / "model.sig")));
  EXPECT_NO_THROW(verify(model() / "model.sig"));
}

}  // namespace
}  // namespace model_signing::testing
