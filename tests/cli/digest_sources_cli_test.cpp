// Issue 17 through the CLI: incremental re-signing (--reuse-digests),
// partial verification (--only), signing precomputed digests
// (--from-digests, fed by the real sha256sum, b2sum and b3sum) and OCI
// image manifests in the shape `oras push` writes.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>

#include <nlohmann/json.hpp>

#include "model_signing/bundle.h"
#include "support/cli_expect.h"
#include "support/oras_manifest.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class DigestSourcesCli : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(model() / "weights-1.bin", std::string(4096, 'w'));
    write_file(model() / "weights-2.bin", std::string(3000, 'v'));
    write_file(model() / "config.json", "{\"layers\": 2}\n");
    write_file(model() / "tokenizer/vocab.txt", "a\nb\nc\n");
    for (const auto& entry : fs::recursive_directory_iterator(model())) {
      if (entry.is_regular_file()) {
        fs::last_write_time(entry.path(), fs::file_time_type::clock::now() - std::chrono::hours(1));
      }
    }
    generate_ec_key("P-256", path("key.pem"), path("key.pub"));
  }
  fs::path path(const std::string& rel) const { return dir_ / rel; }
  fs::path model() const { return dir_ / "model"; }
  std::string s(const std::string& rel) const { return path(rel).string(); }

  std::vector<std::string> sign_key(const std::string& signature, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"sign", "key", model().string(), "--private-key", s("key.pem"),
                                     "--signature", s(signature)};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  std::vector<std::string> verify_key(const std::string& signature, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"verify", "key", model().string(), "--signature", s(signature),
                                     "--public-key", s("key.pub")};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  std::string payload(const std::string& signature) const {
    return read_bundle_file(s(signature)).dsse_envelope->payload;
  }
  std::string digest_of_model(const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args = {"digest", model().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    CommandResult r = run_cli(args);
    EXPECT_TRUE(succeeded(r));
    return r.out;
  }
  // `tool` over every file of the model, run inside it ("./name" paths).
  std::string checksums(const std::string& tool) const {
    CommandResult r = run_command("/bin/sh", {"-c", "find . -type f -print0 | sort -z | xargs -0 " + tool}, "", {},
                                  std::chrono::seconds(60), model());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }

  TempDir dir_;
};

TEST_F(DigestSourcesCli, ReSigningHashesOnlyTheChangedFileAndSaysWhatItReused) {
  ASSERT_TRUE(succeeded(run_cli(sign_key("old.sig", {"--write-stat-record"})), "Signing succeeded\n"));
  ASSERT_TRUE(fs::exists(path("old.sig.stat.json")));
  write_file(model() / "config.json", "{\"layers\": 3}\n");
  CommandResult r = run_cli(sign_key("new.sig", {"--reuse-digests", s("old.sig")}));
  EXPECT_TRUE(succeeded(r, "Reused the digests of 3 files (7102 bytes) from " + s("old.sig") +
                               "; hashed 1 file (14 bytes)\nSigning succeeded\n"));
  EXPECT_TRUE(succeeded(run_cli(verify_key("new.sig")), "Verification succeeded\n"));
  ASSERT_TRUE(succeeded(run_cli(sign_key("full.sig"))));
  EXPECT_EQ(payload("new.sig"), payload("full.sig"));
}

TEST_F(DigestSourcesCli, ChangedFromReadsGitDiffStyleListsFromStdin) {
  ASSERT_TRUE(succeeded(run_cli(sign_key("old.sig"))));
  write_file(model() / "tokenizer/vocab.txt", "a\nb\nc\nd\n");
  // Paths resolve against the current directory, as --ignore-paths does.
  CommandResult r = run_command(cli_path().string(),
                                {"sign", "key", ".", "--private-key", s("key.pem"), "--signature", s("new.sig"),
                                 "--reuse-digests", s("old.sig"), "--changed-from", "-"},
                                "tokenizer/vocab.txt\nremoved-since.bin\n", {}, std::chrono::seconds(60), model());
  EXPECT_TRUE(succeeded(r)) << r.err;
  EXPECT_NE(r.out.find("hashed 1 file (8 bytes)"), std::string::npos) << r.out;
  EXPECT_TRUE(succeeded(run_cli(verify_key("new.sig"))));
  // --changed, repeatable, with the same meaning.
  r = run_cli(sign_key("new2.sig", {"--reuse-digests", s("new.sig"), "--changed", (model() / "config.json").string(),
                                    "--changed", (model() / "tokenizer").string()}));
  EXPECT_NE(r.out.find("Reused the digests of 2 files"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("hashed 2 files"), std::string::npos) << r.out;
}

TEST_F(DigestSourcesCli, ReuseFlagsReadWellInHelp) {
  CommandResult key = run_cli({"sign", "key", "--help"});
  EXPECT_NE(key.out.find("Incremental re-signing"), std::string::npos) << key.out;
  EXPECT_NE(key.out.find("--reuse-digests OLD_SIGNATURE"), std::string::npos) << key.out;
  EXPECT_NE(key.out.find("--reuse-public-key"), std::string::npos);
  EXPECT_NE(key.out.find("--from-digests FILE"), std::string::npos);
  EXPECT_EQ(key.out.find("--reuse-identity"), std::string::npos);
  CommandResult certificate = run_cli({"sign", "certificate", "--help"});
  EXPECT_NE(certificate.out.find("--reuse-certificate-chain"), std::string::npos);
  CommandResult sigstore = run_cli({"sign", "sigstore", "--help"});
  EXPECT_NE(sigstore.out.find("--reuse-identity IDENTITY"), std::string::npos);
  EXPECT_NE(sigstore.out.find("--reuse-identity-provider"), std::string::npos);
  CommandResult verify = run_cli({"verify", "key", "--help"});
  EXPECT_NE(verify.out.find("--only PATH"), std::string::npos);
  EXPECT_NE(verify.out.find("--oci-manifest MANIFEST"), std::string::npos);
}

// ---- verify --only ----------------------------------------------------------

TEST_F(DigestSourcesCli, VerifyOnlyReadsOnlyTheNamedFile) {
  ASSERT_TRUE(succeeded(run_cli(sign_key("model.sig"))));
  // Every other signed file becomes something that cannot be read: a
  // directory, or a FIFO (which would block a reader until the timeout).
  fs::remove(model() / "weights-2.bin");
  fs::create_directory(model() / "weights-2.bin");
  fs::remove(model() / "config.json");
  ASSERT_EQ(::mkfifo((model() / "config.json").c_str(), 0600), 0);
  fs::remove_all(model() / "tokenizer");
  fs::create_directories(model() / "tokenizer/vocab.txt/x");
  EXPECT_TRUE(one_line_failure(run_cli(verify_key("model.sig")), 1));

  CommandResult r = run_cli(verify_key("model.sig", {"--only", (model() / "weights-1.bin").string()}));
  EXPECT_TRUE(succeeded(r, "Verification succeeded: only 1 of 4 files signed were checked (--only); the other 3 "
                           "were not read\n"));
  // Relative to the current directory, as --ignore-paths.
  r = run_command(cli_path().string(),
                  {"verify", "key", "model", "--signature", s("model.sig"), "--public-key", s("key.pub"),
                   "--only", "model/weights-1.bin"},
                  "", {}, std::chrono::seconds(60), dir_.path());
  EXPECT_TRUE(succeeded(r)) << r.err;

  write_file(model() / "weights-1.bin", std::string(4096, 'X'));
  EXPECT_TRUE(one_line_failure(run_cli(verify_key("model.sig", {"--only", (model() / "weights-1.bin").string()})), 1,
                               "modified files (digest differs): weights-1.bin"));
}

TEST_F(DigestSourcesCli, VerifyOnlyPassesWhenAnotherFileIsTampered) {
  ASSERT_TRUE(succeeded(run_cli(sign_key("model.sig"))));
  write_file(model() / "weights-2.bin", "tampered");
  EXPECT_TRUE(succeeded(run_cli(verify_key("model.sig", {"--only", (model() / "weights-1.bin").string(), "--only",
                                                         (model() / "tokenizer").string()})),
                        "Verification succeeded: only 2 of 4 files signed were checked (--only); the other 2 were "
                        "not read\n"));
  EXPECT_TRUE(one_line_failure(run_cli(verify_key("model.sig")), 1, "weights-2.bin"));
}

// ---- --from-digests -----------------------------------------------------

TEST_F(DigestSourcesCli, Sha256sumOutputGivesTheModelsRootDigestAndASignatureThatVerifies) {
  // Names sha256sum escapes: a backslash and a newline.
  write_file(model() / "odd\\name.bin", "backslash");
  write_file(model() / "line\nbreak.txt", "newline");
  std::string list = checksums("sha256sum");
  ASSERT_NE(list.find("\\"), std::string::npos);
  write_file(path("SHA256SUMS"), list);

  std::string expected = digest_of_model();
  EXPECT_TRUE(succeeded(run_cli({"digest", model().string(), "--from-digests", s("SHA256SUMS")}), expected));
  // From stdin, and with a model path that does not exist (it only names).
  CommandResult r = run_command(cli_path().string(), {"digest", model().string(), "--from-digests", "-"}, list);
  EXPECT_TRUE(succeeded(r, expected));

  r = run_cli(sign_key("listed.sig", {"--from-digests", s("SHA256SUMS")}));
  EXPECT_TRUE(succeeded(r, "Signing succeeded\n"));
  EXPECT_NE(r.err.find("Warning: signed the 6 digests the list gave as they are: the bytes of the files were not "
                       "read"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(succeeded(run_cli(verify_key("listed.sig")), "Verification succeeded\n"));
  ASSERT_TRUE(succeeded(run_cli(sign_key("hashed.sig"))));
  EXPECT_EQ(payload("listed.sig"), payload("hashed.sig"));
}

TEST_F(DigestSourcesCli, B2sumAndB3sumOutputsMatchTheirHashes) {
  for (auto [tool, hash] : {std::pair{"b2sum", "blake2b"}, std::pair{"b3sum", "blake3"}}) {
    if (!fs::exists(std::string("/usr/bin/") + tool)) {
      ADD_FAILURE() << tool << " is not installed (coreutils / b3sum)";
      continue;
    }
    write_file(path("SUMS"), checksums(tool));
    EXPECT_TRUE(succeeded(run_cli({"digest", model().string(), "--hash", hash, "--from-digests", s("SUMS")}),
                          digest_of_model({"--hash", hash})))
        << tool;
  }
}

// ---- OCI image manifests ------------------------------------------------

TEST_F(DigestSourcesCli, OrasManifestSignatureVerifiesAgainstTheFilesAndTheManifest) {
  std::vector<OrasLayer> layers = oras_layers_of(model());
  write_file(path("manifest.json"), oras_manifest(layers));
  CommandResult r = run_cli(sign_key("oci.sig", {"--oci-manifest", s("manifest.json")}));
  EXPECT_TRUE(succeeded(r, "Signing succeeded\n"));
  EXPECT_NE(r.err.find("digests of the OCI manifest's layers as they are"), std::string::npos) << r.err;
  EXPECT_EQ(digest_of_model(), run_cli({"digest", model().string(), "--oci-manifest", s("manifest.json")}).out);

  // Against the extracted files.
  EXPECT_TRUE(succeeded(run_cli(verify_key("oci.sig")), "Verification succeeded\n"));
  // Against the manifest alone: no model path.
  std::vector<std::string> against_manifest = {"verify", "key", "--oci-manifest", s("manifest.json"), "--signature",
                                               s("oci.sig"), "--public-key", s("key.pub")};
  EXPECT_TRUE(succeeded(run_cli(against_manifest), "Verification succeeded: the 4 files signed are the layers of " +
                                                       s("manifest.json") + " (no file was read)\n"));
  // A layer whose digest changed fails, naming its file.
  layers[1].digest = "sha256:" + std::string(64, '0');
  write_file(path("manifest.json"), oras_manifest(layers));
  EXPECT_TRUE(one_line_failure(run_cli(against_manifest), 1,
                               "modified files (digest differs): " + layers[1].title));
  // So does a changed file against the signature.
  write_file(model() / "config.json", "{\"layers\": 9}\n");
  EXPECT_TRUE(one_line_failure(run_cli(verify_key("oci.sig")), 1, "config.json"));
}

TEST_F(DigestSourcesCli, ManifestVerificationNeedsAFilesSha256Signature) {
  ASSERT_TRUE(succeeded(run_cli(sign_key("shards.sig", {"--serialization", "shards"}))));
  write_file(path("manifest.json"), oras_manifest(oras_layers_of(model())));
  EXPECT_TRUE(one_line_failure(run_cli({"verify", "key", "--oci-manifest", s("manifest.json"), "--signature",
                                        s("shards.sig"), "--public-key", s("key.pub")}),
                               1, "the signature lists shards of sha256, the manifest to compare it with files of sha256"));
}

}  // namespace
}  // namespace model_signing::testing
