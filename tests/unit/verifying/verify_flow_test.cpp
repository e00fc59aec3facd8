// The verification flow (DESIGN.md "Verification rules by method"): the
// serialization, hash and ignore paths come from the signature; mismatches
// are reported by name; --ignore-unsigned-files hashes only the listed files
// and refuses names that leave the model; certificate options.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <openssl/x509.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "model_signing/error.h"
#include "model_signing/signing.h"
#include "model_signing/verifying.h"
#include "support/cli_expect.h"
#include "support/expect_error.h"
#include "support/signed_statement.h"
#include "support/test_pki.h"
#include "support/test_support.h"
#include "util/encoding.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class VerifyFlow : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(model() / "a.bin", "0123456789");
    write_file(model() / "sub/b.bin", "bravo");
    write_file(model() / "notes/readme", "not signed");
    generate_ec_key("P-256", key(), pub());
  }
  fs::path model() const { return dir_ / "model"; }
  fs::path key() const { return dir_ / "key.pem"; }
  fs::path pub() const { return dir_ / "key.pub"; }
  fs::path sig() const { return dir_ / "model.sig"; }

  Manifest sign(HashingConfig hashing = {}) const {
    return SigningConfig().use_key_signer(key()).set_hashing_config(std::move(hashing)).sign(model(), sig());
  }
  VerifyingConfig verifier() const {
    VerifyingConfig config;
    config.use_key_verifier(pub());
    return config;
  }
  // The mismatch error of verifying with `config`; fails the test if it passes.
  ModelMismatchError mismatch(const VerifyingConfig& config) const {
    try {
      config.verify(model(), sig());
    } catch (const ModelMismatchError& e) {
      return e;
    }
    ADD_FAILURE() << "verification passed";
    return ModelMismatchError({}, {}, {});
  }
  // The message of the Error verifying `signature` with `config` throws.
  std::string error_of(const VerifyingConfig& config, const fs::path& signature) const {
    return error_message([&] { config.verify(model(), signature); });
  }
  fs::path write_signed(const json& statement) const {
    write_file(dir_ / "crafted.sig", key_signed_bundle(key(), statement.dump(2)));
    return dir_ / "crafted.sig";
  }

  TempDir dir_;
};

TEST_F(VerifyFlow, SerializationHashAndIgnorePathsComeFromTheSignature) {
  HashingConfig hashing;
  hashing.serialization = Serialization::kShards;
  hashing.shard_size = 3;
  hashing.hash = HashAlgorithm::kBlake2b;
  hashing.ignore_paths = {"notes"};
  sign(hashing);
  VerificationResult result = verifier().verify(model(), sig());
  EXPECT_EQ(result.manifest.serialization().method, Serialization::kShards);
  EXPECT_EQ(result.manifest.serialization().shard_size, 3u);
  EXPECT_EQ(result.manifest.serialization().hash, HashAlgorithm::kBlake2b);
  // The CLI needs no flags either.
  EXPECT_TRUE(succeeded(run_cli({"verify", "key", model().string(), "--signature", sig().string(), "--public-key",
                                 pub().string()})));
  // The recorded ignore path stays ignored.
  write_file(model() / "notes/readme", "changed");
  write_file(model() / "notes/new", "added");
  EXPECT_NO_THROW(verifier().verify(model(), sig()));
  // Anything else is checked with the recorded shards.
  write_file(model() / "a.bin", "0123456789X");
  ModelMismatchError e = mismatch(verifier());
  EXPECT_EQ(e.extra(), std::vector<std::string>{"a.bin:9:11"});
  EXPECT_EQ(e.missing(), std::vector<std::string>{"a.bin:9:10"});
}

TEST_F(VerifyFlow, AnExplicitHashingConfigOverridesTheSignature) {
  HashingConfig hashing;
  hashing.serialization = Serialization::kShards;
  hashing.shard_size = 4;
  sign(hashing);
  VerifyingConfig config = verifier();
  config.set_hashing_config(HashingConfig());  // files / sha256
  ModelMismatchError e = mismatch(config);
  EXPECT_FALSE(e.extra().empty());
  EXPECT_FALSE(e.missing().empty());
  config.set_hashing_config(hashing);
  // notes/ was signed (no ignore path) and is checked.
  EXPECT_NO_THROW(config.verify(model(), sig()));
}

TEST_F(VerifyFlow, MismatchListsExtraMissingAndModifiedFilesByName) {
  sign();
  write_file(model() / "extra.bin", "new");
  fs::remove(model() / "sub/b.bin");
  write_file(model() / "a.bin", "changed");
  ModelMismatchError e = mismatch(verifier());
  EXPECT_EQ(e.extra(), std::vector<std::string>{"extra.bin"});
  EXPECT_EQ(e.missing(), std::vector<std::string>{"sub/b.bin"});
  ASSERT_EQ(e.mismatched().size(), 1u);
  EXPECT_EQ(e.mismatched()[0].name, "a.bin");
  EXPECT_EQ(e.mismatched()[0].actual_hex.size(), 64u);
  EXPECT_NE(e.mismatched()[0].expected_hex, e.mismatched()[0].actual_hex);
  EXPECT_EQ(e.kind(), ErrorKind::kModelMismatch);
  std::string what = e.what();
  for (const char* name : {"extra.bin", "sub/b.bin", "a.bin"}) EXPECT_NE(what.find(name), std::string::npos) << what;

  CommandResult r = run_cli({"verify", "key", model().string(), "--signature", sig().string(), "--public-key",
                             pub().string()});
  EXPECT_TRUE(one_line_failure(r, 1, "extra files (not in the signature): extra.bin"));
  EXPECT_NE(r.err.find("missing files: sub/b.bin"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("modified files (digest differs): a.bin"), std::string::npos) << r.err;
}

TEST_F(VerifyFlow, ExtraIgnorePathsAtVerificationAreAddedToTheRecordedOnes) {
  sign();
  write_file(model() / "scratch/tmp", "local");
  EXPECT_THROW(verifier().verify(model(), sig()), ModelMismatchError);
  VerifyingConfig config = verifier();
  config.add_ignore_paths({model() / "scratch"});
  EXPECT_NO_THROW(config.verify(model(), sig()));
  // On the CLI the path is resolved against the current directory.
  EXPECT_TRUE(succeeded(run_cli({"verify", "key", "model", "--signature", "model.sig", "--public-key", "key.pub",
                                 "--ignore-paths", "model/scratch"},
                                {}, dir_.path())));
  // "scratch" is not inside the model from there: a warning says so, and
  // the file is still unsigned.
  CommandResult outside = run_cli(
      {"verify", "key", "model", "--signature", "model.sig", "--public-key", "key.pub", "--ignore-paths", "scratch"},
      {}, dir_.path());
  EXPECT_EQ(outside.exit_code, 1);
  EXPECT_THAT(outside.err, ::testing::HasSubstr("Warning: --ignore-paths scratch"));
  EXPECT_THAT(outside.err, ::testing::HasSubstr("extra files (not in the signature): scratch/tmp"));
}

TEST_F(VerifyFlow, GitPathsFollowTheSignature) {
  // Signed with git paths ignored: a later .git change is irrelevant.
  sign();
  write_file(model() / ".git/HEAD", "ref: refs/heads/main");
  EXPECT_NO_THROW(verifier().verify(model(), sig()));
  // Signed with them: they are checked, without any flag at verification.
  HashingConfig hashing;
  hashing.ignore_git_paths = false;
  hashing.ignore_paths = {"notes"};
  Manifest signed_manifest = sign(hashing);
  ASSERT_EQ(signed_manifest.items().size(), 3u);
  EXPECT_NO_THROW(verifier().verify(model(), sig()));
  write_file(model() / ".git/HEAD", "ref: refs/heads/other");
  ModelMismatchError e = mismatch(verifier());
  ASSERT_EQ(e.mismatched().size(), 1u);
  EXPECT_EQ(e.mismatched()[0].name, ".git/HEAD");
}

TEST_F(VerifyFlow, SignatureInsideTheModelIsExcludedAtVerification) {
  fs::path inside = model() / "model.sig";
  SigningConfig().use_key_signer(key()).sign(model(), inside);
  EXPECT_NO_THROW(verifier().verify(model(), inside));
  EXPECT_TRUE(succeeded(run_cli({"verify", "key", model().string(), "--signature", inside.string(),
                                 "--public-key", pub().string()})));
}

// --- --ignore-unsigned-files -------------------------------------------------

TEST_F(VerifyFlow, IgnoreUnsignedFilesHashesOnlyListedFiles) {
  HashingConfig hashing;
  hashing.ignore_paths = {"notes"};
  sign(hashing);
  write_file(model() / "unsigned.bin", "extra");
  EXPECT_THROW(verifier().verify(model(), sig()), ModelMismatchError);
  VerifyingConfig config = verifier();
  config.set_ignore_unsigned_files(true);
  EXPECT_NO_THROW(config.verify(model(), sig()));
  EXPECT_TRUE(succeeded(run_cli({"verify", "key", model().string(), "--signature", sig().string(), "--public-key",
                                 pub().string(), "--ignore-unsigned-files"})));
  // Listed files are still checked.
  write_file(model() / "a.bin", "changed");
  ModelMismatchError modified = mismatch(config);
  ASSERT_EQ(modified.mismatched().size(), 1u);
  EXPECT_EQ(modified.mismatched()[0].name, "a.bin");
  fs::remove(model() / "sub/b.bin");
  ModelMismatchError missing = mismatch(config);
  EXPECT_EQ(missing.missing(), std::vector<std::string>{"sub/b.bin"});
}

TEST_F(VerifyFlow, IgnoreUnsignedFilesRejectsUnsafeNamesBeforeHashing) {
  for (const char* name : {"/etc/hostname", "../outside", "a/../../x", "a//b", "./a.bin", "", "a/."}) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(expect_error([&] { hash_model_files(model(), HashingConfig(), {name}); },
                             ErrorKind::kMalformedBundle, "unsafe file name"));
  }
}

TEST_F(VerifyFlow, IgnoreUnsignedFilesRefusesNamesThatLeaveTheModelThroughLinks) {
  // A signed, well-formed statement naming "link/secret", where link is a
  // symlink to a directory outside the model: reading it would hash (and
  // vouch for) a file the model does not contain.
  write_file(dir_ / "outside/secret", "outside the model");
  fs::create_directory_symlink(dir_ / "outside", model() / "link");
  fs::create_symlink(dir_ / "outside/secret", model() / "leak");
  Manifest outside = hash_model(dir_ / "outside/secret", HashingConfig());
  json statement = json::parse(statement_json(Manifest(
      "model", SerializationSpec{},
      {ManifestItem{"link/secret", std::nullopt, std::nullopt, outside.items()[0].digest}})));
  fs::path through_dir = write_signed(statement);
  for (bool allow : {false, true}) {
    SCOPED_TRACE(allow);
    VerifyingConfig config = verifier();
    config.set_ignore_unsigned_files(true).set_allow_symlinks(allow);
    std::string message = error_of(config, through_dir);
    EXPECT_NE(message.find("unsafe file name in signature 'link/secret'"), std::string::npos) << message;
    EXPECT_NE(message.find("symbolic link"), std::string::npos) << message;
  }
  // A final-component link that resolves outside: refused even when links are allowed.
  statement = json::parse(statement_json(Manifest(
      "model", SerializationSpec{}, {ManifestItem{"leak", std::nullopt, std::nullopt, outside.items()[0].digest}})));
  fs::path final_link = write_signed(statement);
  VerifyingConfig config = verifier();
  config.set_ignore_unsigned_files(true).set_allow_symlinks(true);
  std::string message = error_of(config, final_link);
  EXPECT_NE(message.find("resolves outside the model"), std::string::npos) << message;
  CommandResult r = run_cli({"verify", "key", model().string(), "--signature", final_link.string(), "--public-key",
                             pub().string(), "--ignore-unsigned-files", "--allow-symlinks"});
  EXPECT_TRUE(one_line_failure(r, 1, "resolves outside the model"));
}

TEST_F(VerifyFlow, IgnoreUnsignedFilesFollowsAllowedLinksInsideTheModel) {
  fs::create_symlink(model() / "a.bin", model() / "alias");
  HashingConfig hashing;
  hashing.allow_symlinks = true;
  Manifest signed_manifest = sign(hashing);
  std::vector<std::string> signed_names;
  for (const auto& item : signed_manifest.items()) signed_names.push_back(item.path);
  ASSERT_NE(std::find(signed_names.begin(), signed_names.end(), "alias"), signed_names.end());
  write_file(model() / "unsigned", "x");
  // Without --ignore-unsigned-files the new file fails it...
  EXPECT_EQ(mismatch(verifier()).extra(), std::vector<std::string>{"unsigned"});
  // ...with it, the listed files verify. allow_symlinks is read from the
  // signature: the link is followed, not refused.
  VerifyingConfig config = verifier();
  config.set_ignore_unsigned_files(true);
  VerificationResult result = config.verify(model(), sig());
  EXPECT_EQ(result.manifest.items().size(), signed_manifest.items().size());
  // What the link points to is what is hashed: changing the target is
  // reported for both names.
  write_file(model() / "a.bin", "changed");
  ModelMismatchError changed = mismatch(config);
  std::vector<std::string> modified;
  for (const auto& m : changed.mismatched()) modified.push_back(m.name);
  std::sort(modified.begin(), modified.end());
  EXPECT_EQ(modified, (std::vector<std::string>{"a.bin", "alias"}));
  EXPECT_TRUE(changed.extra().empty());
}

// --- Single-file models --------------------------------------------------------

TEST_F(VerifyFlow, SingleFileResourceMayBeNamedDotOrAfterTheFile) {
  fs::path file = model() / "a.bin";
  for (SingleFileName naming : {SingleFileName::kBasename, SingleFileName::kDot}) {
    HashingConfig hashing;
    hashing.single_file_name = naming;
    Manifest m = SigningConfig().use_key_signer(key()).set_hashing_config(hashing).sign(file, sig());
    EXPECT_EQ(m.items()[0].path, naming == SingleFileName::kDot ? "." : "a.bin");
    EXPECT_NO_THROW(verifier().verify(file, sig()));
  }
  // A signature for another file name does not verify this one.
  json statement = json::parse(statement_json(hash_model(file, HashingConfig())));
  statement["predicate"]["resources"][0]["name"] = "other.bin";
  EXPECT_THROW(verifier().verify(file, write_signed(statement)), ModelMismatchError);
}

// --- Certificate options ----------------------------------------------------------

TEST_F(VerifyFlow, ExpiredCertificateIsAcceptedOnlyWhenAllowed) {
  TestIdentity root = TestIdentity::make_root();
  CertSpec spec;
  spec.not_before = std::time(nullptr) - 7200;
  spec.not_after = std::time(nullptr) - 3600;
  TestIdentity leaf = root.issue(spec);
  root.write_cert_pem(dir_ / "root.pem");
  leaf.write_cert_pem(dir_ / "leaf.pem");
  leaf.write_key_pem(dir_ / "leaf.key");
  SigningConfig().use_certificate_signer(dir_ / "leaf.key", dir_ / "leaf.pem", {}).sign(model(), sig());

  CertificateVerifierOptions options;
  options.trust_anchors = {dir_ / "root.pem"};
  EXPECT_THROW(VerifyingConfig().use_certificate_verifier(options).verify(model(), sig()), Error);
  options.allow_expired_certificate = true;
  EXPECT_NO_THROW(VerifyingConfig().use_certificate_verifier(options).verify(model(), sig()));

  std::vector<std::string> args = {"verify", "certificate", model().string(), "--signature", sig().string(),
                                   "--certificate-chain", (dir_ / "root.pem").string()};
  EXPECT_TRUE(one_line_failure(run_cli(args), 1, "certificate has expired"));
  args.push_back("--allow-expired-certificate");
  EXPECT_TRUE(succeeded(run_cli(args), "Verification succeeded\n"));
}

TEST_F(VerifyFlow, LogFingerprintsPrintsTheSha256OfEachCertificate) {
  TestIdentity root = TestIdentity::make_root();
  TestIdentity leaf = root.issue(CertSpec{});
  root.write_cert_pem(dir_ / "root.pem");
  leaf.write_cert_pem(dir_ / "leaf.pem");
  leaf.write_key_pem(dir_ / "leaf.key");
  SigningConfig().use_certificate_signer(dir_ / "leaf.key", dir_ / "leaf.pem", {}).sign(model(), sig());
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  ASSERT_EQ(X509_digest(leaf.cert(), EVP_sha256(), md, &len), 1);
  std::string fingerprint = util::to_hex(md, len);

  CommandResult r = run_cli({"verify", "certificate", model().string(), "--signature", sig().string(),
                             "--certificate-chain", (dir_ / "root.pem").string(), "--log-fingerprints"});
  EXPECT_TRUE(succeeded(r, "Verification succeeded\n"));
  EXPECT_NE(r.err.find(fingerprint), std::string::npos) << r.err;
  CommandResult quiet = run_cli({"verify", "certificate", model().string(), "--signature", sig().string(),
                                 "--certificate-chain", (dir_ / "root.pem").string()});
  EXPECT_EQ(quiet.err.find(fingerprint), std::string::npos);
}

TEST(VerifyLegacy, PreHintKeyBundleVerifiesWithAWarning) {
  fs::path dir = shared_dir() / "vectors/model-transparency";
  VerificationResult result = VerifyingConfig()
                                  .use_key_verifier(dir / "keys/certificate/signing-key-pub.pem")
                                  .verify(dir / "v1.0.0-elliptic-key/signme-1", dir / "v1.0.0-elliptic-key/model.sig");
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_NE(result.warnings[0].find("no public key hint"), std::string::npos);
  // v0.2.0 signed a buggy PAE: accepted with a warning.
  CertificateVerifierOptions options;
  options.trust_anchors = {dir / "keys/certificate/ca-cert.pem"};
  VerificationResult legacy = VerifyingConfig().use_certificate_verifier(options).verify(
      dir / "v0.2.0-certificate", dir / "v0.2.0-certificate/model.sig");
  ASSERT_EQ(legacy.warnings.size(), 1u);
  EXPECT_NE(legacy.warnings[0].find("v0.2.0"), std::string::npos);
}

// --- Manifests that would cost more to check than they list -----------------

// With --ignore-unsigned-files, files the signature does not name are
// ignored, but a shard of a named file that it does not list is not: a
// file grown past its signed end is a changed file.
TEST_F(VerifyFlow, IgnoreUnsignedFilesStillChecksEveryShardOfListedFiles) {
  HashingConfig hashing;
  hashing.serialization = Serialization::kShards;
  hashing.shard_size = 4;
  hashing.ignore_paths = {"notes"};
  sign(hashing);
  write_file(model() / "a.bin", "0123456789appended");  // a.bin:0:4, 4:8 unchanged; 8:12 differs, 12:16, 16:18 new
  VerifyingConfig config = verifier();
  config.set_ignore_unsigned_files(true);
  ModelMismatchError e = mismatch(config);
  EXPECT_FALSE(e.extra().empty() && e.mismatched().empty()) << e.what();
}

// A signed shard_size far below the model's size: the shard counts alone
// show the model cannot match, so nothing is hashed (the progress callback
// never sees a byte).
TEST_F(VerifyFlow, TinyShardSizeIsRefusedBeforeHashing) {
  write_file(model() / "a.bin", std::string(1 << 20, 'x'));
  HashingConfig hashing;
  hashing.serialization = Serialization::kShards;
  hashing.shard_size = 1 << 20;
  hashing.ignore_paths = {"notes"};
  Manifest signed_manifest = sign(hashing);
  json statement = statement_of(sig());
  statement["predicate"]["serialization"]["shard_size"] = 1;
  for (auto& r : statement["predicate"]["resources"]) {
    std::string name = r["name"];
    r["name"] = name.substr(0, name.find(':')) + ":0:1";
    r["algorithm"] = "sha256-sharded-1";
  }
  fs::path crafted = write_signed(statement);
  for (bool ignore_unsigned : {false, true}) {
    SCOPED_TRACE(ignore_unsigned);
    std::uint64_t hashed = 0;
    VerifyingConfig config = verifier();
    config.set_ignore_unsigned_files(ignore_unsigned).add_ignore_paths({model() / "notes"});
    config.set_progress([&](std::uint64_t done, std::uint64_t) { hashed = std::max(hashed, done); });
    try {
      config.verify(model(), crafted);
      ADD_FAILURE() << "verified";
    } catch (const ModelMismatchError& e) {
      ASSERT_EQ(e.mismatched().size(), 2u) << e.what();
      EXPECT_EQ(e.mismatched()[0].name, "a.bin");
      EXPECT_EQ(e.mismatched()[0].expected_hex, "1 shards");
      EXPECT_EQ(e.mismatched()[0].actual_hex, "1048576 shards");
    }
    EXPECT_EQ(hashed, 0u);
  }
}

// A single-file model is hashed once, whatever names the signature lists
// for it; names that are not the model are missing files.
TEST_F(VerifyFlow, IgnoreUnsignedFilesHashesASingleFileModelOnce) {
  fs::path file = model() / "a.bin";
  SigningConfig().use_key_signer(key()).sign(file, sig());
  json statement = statement_of(sig());
  json resource = statement["predicate"]["resources"][0];
  for (int i = 0; i < 100; ++i) {
    resource["name"] = "other-" + std::to_string(i);
    statement["predicate"]["resources"].push_back(resource);
  }
  recompute_root_digest(statement);
  fs::path crafted = write_signed(statement);
  std::uint64_t total = 0;
  VerifyingConfig config = verifier();
  config.set_ignore_unsigned_files(true);
  config.set_progress([&](std::uint64_t, std::uint64_t all) { total = std::max(total, all); });
  try {
    config.verify(file, crafted);
    ADD_FAILURE() << "verified";
  } catch (const ModelMismatchError& e) {
    EXPECT_EQ(e.missing().size(), 100u);
  }
  EXPECT_LE(total, 10u);  // a.bin's 10 bytes, at most once
}

}  // namespace
}  // namespace model_signing::testing
