// What the model walk includes and excludes (DESIGN.md "Walking the model"):
// git paths at the top level only, component-wise ignore paths kept only
// inside the model, the signature file, the symlink policy, special files,
// non-UTF-8 names and empty models.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>

#include "model_signing/error.h"
#include "model_signing/hashing.h"
#include "model_signing/signing.h"
#include "support/expect_error.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> names(const Manifest& manifest) {
  std::vector<std::string> out;
  for (const auto& item : manifest.items()) out.push_back(item.resource_name());
  return out;
}

// Hashing `model` fails with Error(kModelLayout) saying `why`.
::testing::AssertionResult layout_error(const fs::path& model, const HashingConfig& config,
                                        const std::string& why, std::string* message = nullptr) {
  return expect_error([&] { hash_model(model, config); }, ErrorKind::kModelLayout, why, message);
}

TEST(Walk, GitPathsAreExcludedOnlyAtTheTopLevel) {
  TempDir dir;
  fs::path m = dir / "model";
  for (const char* f : {".git/HEAD", ".git/objects/ab/cd", ".gitattributes", ".github/workflows/ci.yml", ".gitignore",
                        "a.bin", ".gitmodules", ".github2/x", "sub/.git/config", "sub/.gitignore",
                        "sub/.github/y", ".hidden"}) {
    write_file(m / f, f);
  }
  Manifest manifest = hash_model(m, HashingConfig());
  EXPECT_EQ(names(manifest), (std::vector<std::string>{".github2/x", ".gitmodules", ".hidden", "a.bin",
                                                       "sub/.git/config", "sub/.github/y", "sub/.gitignore"}));
  EXPECT_EQ(manifest.serialization().ignore_paths,
            (std::vector<std::string>{".git", ".gitattributes", ".github", ".gitignore"}));

  HashingConfig all;
  all.ignore_git_paths = false;
  Manifest everything = hash_model(m, all);
  EXPECT_EQ(everything.items().size(), 12u);
  EXPECT_TRUE(everything.serialization().ignore_paths.empty());
}

TEST(Walk, IgnorePathsMatchWholeComponents) {
  TempDir dir;
  fs::path m = dir / "model";
  for (const char* f : {"a/b/x", "a/b/deeper/y", "a/bc/z", "a/b.txt", "ab/c", "keep"}) write_file(m / f, f);
  HashingConfig config;
  config.ignore_git_paths = false;
  config.ignore_paths = {"a/b"};
  Manifest manifest = hash_model(m, config);
  EXPECT_EQ(names(manifest), (std::vector<std::string>{"a/b.txt", "a/bc/z", "ab/c", "keep"}));
  EXPECT_EQ(manifest.serialization().ignore_paths, std::vector<std::string>{"a/b"});
  // A file can be ignored on its own; so can an absolute path inside the model.
  config.ignore_paths = {"keep", m / "a/bc"};
  // (Upstream's order compares components: "a/b/x" sorts before "a/b.txt".)
  EXPECT_EQ(names(hash_model(m, config)), (std::vector<std::string>{"a/b/deeper/y", "a/b/x", "a/b.txt", "ab/c"}));
  // Spellings with "./" and a trailing "/" name the same path.
  config.ignore_paths = {"./a/b/"};
  EXPECT_EQ(names(hash_model(m, config)), (std::vector<std::string>{"a/b.txt", "a/bc/z", "ab/c", "keep"}));
}

TEST(Walk, IgnorePathsOutsideTheModelAreDroppedAndNotRecorded) {
  TempDir dir;
  fs::path m = dir / "model";
  write_file(m / "a", "a");
  write_file(dir / "elsewhere", "x");
  HashingConfig config;
  config.ignore_git_paths = false;
  config.ignore_paths = {dir / "elsewhere", "../elsewhere", m};
  Manifest manifest = hash_model(m, config);
  EXPECT_EQ(names(manifest), std::vector<std::string>{"a"});
  EXPECT_TRUE(manifest.serialization().ignore_paths.empty());
}

TEST(Walk, SignatureInsideTheModelIsExcludedAndRecorded) {
  TempDir dir;
  fs::path m = dir / "model";
  write_file(m / "a", "a");
  generate_ec_key("P-256", dir / "key.pem", dir / "key.pub");
  SigningConfig config;
  config.use_key_signer(dir / "key.pem");
  for (const char* sig : {"model.sig", "sigs/nested.sig"}) {
    SCOPED_TRACE(sig);
    fs::create_directories((m / sig).parent_path());
    // Signing twice: the second time the signature exists in the model.
    for (int round = 0; round < 2; ++round) {
      Manifest manifest = config.sign(m, m / sig);
      EXPECT_EQ(names(manifest), std::vector<std::string>{"a"});
      const auto& recorded = manifest.serialization().ignore_paths;
      EXPECT_NE(std::find(recorded.begin(), recorded.end(), sig), recorded.end());
    }
    fs::remove(m / sig);
  }
}

TEST(Walk, SymlinksAreRejectedByDefault) {
  TempDir dir;
  fs::path m = dir / "model";
  write_file(m / "a", "a");
  write_file(dir / "target", "target contents");
  fs::create_symlink(dir / "target", m / "link");
  std::string message;
  EXPECT_TRUE(layout_error(m, HashingConfig(), "", &message));
  EXPECT_NE(message.find("symbolic link"), std::string::npos);
  EXPECT_NE(message.find("link"), std::string::npos);
}

TEST(Walk, AllowedFileLinkIsHashedAsItsTargetUnderTheLinkName) {
  TempDir dir;
  fs::path m = dir / "model";
  write_file(m / "a", "a");
  write_file(dir / "target", "target contents");
  fs::create_symlink(dir / "target", m / "link");
  fs::create_directories(dir / "outside-dir");
  write_file(dir / "outside-dir/inner", "never hashed");
  fs::create_directory_symlink(dir / "outside-dir", m / "linked-dir");
  HashingConfig config;
  config.allow_symlinks = true;
  Manifest manifest = hash_model(m, config);
  // The linked directory is not descended.
  ASSERT_EQ(names(manifest), (std::vector<std::string>{"a", "link"}));
  EXPECT_TRUE(manifest.serialization().allow_symlinks);
  Manifest target = hash_model(dir / "target", HashingConfig());
  EXPECT_EQ(manifest.items()[1].digest, target.items()[0].digest);
}

TEST(Walk, BrokenLinkIsAnErrorEvenWhenLinksAreAllowed) {
  TempDir dir;
  fs::path m = dir / "model";
  write_file(m / "a", "a");
  fs::create_symlink(dir / "missing", m / "dangling");
  HashingConfig config;
  config.allow_symlinks = true;
  EXPECT_TRUE(layout_error(m, config, "broken symbolic link"));
  // A link loop is broken too.
  fs::remove(m / "dangling");
  fs::create_symlink(m / "loop", m / "loop");
  EXPECT_TRUE(layout_error(m, config, "loop"));
}

TEST(Walk, SpecialFilesAreRejectedWithoutBlocking) {
  TempDir dir;
  fs::path m = dir / "model";
  write_file(m / "a", "a");
  ASSERT_EQ(::mkfifo((m / "sub-fifo").c_str(), 0644), 0);
  EXPECT_TRUE(layout_error(m, HashingConfig(), "FIFO"));
  // Ignored, it is harmless.
  HashingConfig config;
  config.ignore_paths = {"sub-fifo"};
  EXPECT_EQ(names(hash_model(m, config)), std::vector<std::string>{"a"});
}

TEST(Walk, NonUtf8NamesAreRejected) {
  TempDir dir;
  fs::path m = dir / "model";
  write_file(m / "a", "a");
  write_file(m / "sub\xc3\x28/b", "b");  // invalid two-byte sequence in a directory name
  std::string message;
  EXPECT_TRUE(layout_error(m, HashingConfig(), "", &message));
  EXPECT_NE(message.find("not valid UTF-8"), std::string::npos);
  EXPECT_NE(message.find("sub\\xc3("), std::string::npos) << message;
  // Valid non-ASCII names are fine.
  fs::remove_all(m / "sub\xc3\x28");
  write_file(m / "caf\xc3\xa9/\xe2\x82\xac", "euro");
  EXPECT_EQ(hash_model(m, HashingConfig()).items().size(), 2u);
}

TEST(Walk, EmptyModelsAreRejected) {
  TempDir dir;
  fs::create_directories(dir / "empty");
  write_file(dir / "only-git/.git/HEAD", "ref");
  write_file(dir / "only-git/.gitignore", "*.o");
  fs::create_directories(dir / "only-dirs/a/b/c");
  write_file(dir / "only-ignored/notes.txt", "n");
  HashingConfig config;
  config.ignore_paths = {"notes.txt"};
  for (const char* model : {"empty", "only-git", "only-dirs", "only-ignored"}) {
    SCOPED_TRACE(model);
    EXPECT_TRUE(layout_error(dir / model, config, "model is empty"));
  }
}

TEST(Walk, ModelMayBeGivenAsDotOrWithATrailingSlash) {
  TempDir dir;
  write_file(dir / "model/a", "a");
  Manifest plain = hash_model(dir / "model", HashingConfig());
  Manifest slash = hash_model((dir / "model").string() + "/", HashingConfig());
  EXPECT_EQ(plain.root_digest(), slash.root_digest());
  EXPECT_EQ(slash.model_name(), "model");
  Manifest dotted = hash_model(dir / "model/.", HashingConfig());
  EXPECT_EQ(dotted.model_name(), "model");
  EXPECT_EQ(plain.root_digest(), dotted.root_digest());
}

}  // namespace
}  // namespace model_signing::testing
