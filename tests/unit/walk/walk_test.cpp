// What the model walk includes and excludes (DESIGN.md "Walking the model"):
// git paths at the top level only, component-wise ignore paths kept only
// inside the model, the signature file, the symlink policy, special files,
// non-UTF-8 names and empty models.
#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "model_signing/error.h"
#include "model_signing/hashing.h"
#include "model_signing/signing.h"
#include "model_signing/verifying.h"
#include "support/expect_error.h"
#include "support/test_support.h"
#include "walk/model_walk.h"

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

// Large directories are stat'ed by several threads; what the walk finds,
// in what order, and the first error it reports are as with one thread.
TEST(Walk, ThreadsStatingALargeDirectoryChangeNothing) {
  TempDir dir;
  fs::path m = dir / "model";
  for (int i = 0; i < 700; ++i) write_file(m / ("f" + std::to_string(i)), std::string(i % 13, 'x'));
  for (int i = 0; i < 300; ++i) write_file(m / "sub" / ("g" + std::to_string(i)), "g");
  for (int i = 0; i < 5; ++i) write_file(m / ("small/h" + std::to_string(i)), "h");
  fs::create_symlink("f1", m / "link");
  auto walk = [&](unsigned threads) {
    walk::WalkOptions options;
    options.allow_symlinks = true;
    options.threads = threads;
    return walk::walk_model(m, options);
  };
  walk::ModelTree one = walk(1);
  ASSERT_EQ(one.files.size(), 1006u);
  for (unsigned threads : {2u, 4u}) {
    walk::ModelTree many = walk(threads);
    ASSERT_EQ(many.files.size(), one.files.size());
    for (std::size_t i = 0; i < one.files.size(); ++i) {
      EXPECT_EQ(many.files[i].name, one.files[i].name) << i;
      EXPECT_EQ(many.files[i].size, one.files[i].size) << i;
    }
  }
  // Several FIFOs: the one reported is the first in directory order, as
  // the one-thread walk finds it.
  for (int i = 0; i < 4; ++i) ASSERT_EQ(::mkfifo((m / ("p" + std::to_string(i))).c_str(), 0644), 0);
  std::string first, parallel;
  walk::WalkOptions options;
  options.threads = 1;
  options.allow_symlinks = true;
  EXPECT_TRUE(expect_error([&] { walk::walk_model(m, options); }, ErrorKind::kModelLayout, "FIFO", &first));
  options.threads = 4;
  EXPECT_TRUE(expect_error([&] { walk::walk_model(m, options); }, ErrorKind::kModelLayout, "FIFO", &parallel));
  EXPECT_EQ(parallel, first);
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

// OMS 6.1.1: links out of the model and cycles are reported, one warning
// per link, naming it; links to other files inside the model are not.
TEST(Walk, AllowedLinksOutOfTheModelAndCyclesWarnOncePerLink) {
  TempDir dir;
  fs::path m = dir / "model";
  write_file(m / "a", "a");
  write_file(m / "sub/b", "b");
  write_file(dir / "outside", "outside");
  fs::create_directories(dir / "outside-dir");
  fs::create_symlink(dir / "outside", m / "out-link");
  fs::create_symlink(".", m / "cycle-link");
  fs::create_symlink("../..", m / "sub/above-link");  // leads above the model, which holds it
  fs::create_symlink("b", m / "sub/inner-link");      // a file inside: no warning
  fs::create_symlink("sub", m / "sub-link");          // a directory inside: not descended
  fs::create_symlink(dir / "outside-dir", m / "out-dir-link");
  HashingConfig config;
  config.allow_symlinks = true;
  std::vector<std::string> warnings;
  config.warning = [&](const std::string& w) { warnings.push_back(w); };
  Manifest manifest = hash_model(m, config);
  EXPECT_EQ(names(manifest), (std::vector<std::string>{"a", "out-link", "sub/b", "sub/inner-link"}));
  std::sort(warnings.begin(), warnings.end());
  ASSERT_EQ(warnings.size(), 5u) << ::testing::PrintToString(warnings);
  auto has = [&](const std::string& link, const std::string& what) {
    for (const auto& w : warnings) {
      if (w.rfind("symbolic link " + link + " ", 0) == 0 && w.find(what) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("cycle-link", "a directory that contains it (a cycle)"));
  EXPECT_TRUE(has("sub/above-link", "(a cycle)"));
  EXPECT_TRUE(has("out-link", "points outside the model, to " + fs::canonical(dir / "outside").string()));
  EXPECT_TRUE(has("out-dir-link", "points outside the model"));
  EXPECT_TRUE(has("sub-link", "points to a directory"));
}

// Removes a tree of any depth (fs::remove_all stops at PATH_MAX).
void remove_tree_at(int parent, const std::string& name) {
  int fd = ::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  if (fd >= 0) {
    DIR* d = ::fdopendir(fd);
    std::vector<std::pair<std::string, bool>> entries;
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") entries.emplace_back(n, e->d_type == DT_DIR);
    }
    for (const auto& [n, is_dir] : entries) {
      if (is_dir) {
        remove_tree_at(::dirfd(d), n);
      } else {
        ::unlinkat(::dirfd(d), n.c_str(), 0);
      }
    }
    ::closedir(d);
  }
  ::unlinkat(parent, name.c_str(), AT_REMOVEDIR);
}

// Paths beyond PATH_MAX (4096) are walked and hashed through openat().
TEST(Walk, PathsLongerThanPathMax) {
  TempDir dir;
  fs::path m = dir / "model";
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += std::string(200, static_cast<char>('a' + i % 26)) + "/";
  ASSERT_GT((m / deep).string().size(), 8000u);
  // Created piece by piece, as the walk reads it.
  fs::create_directories(m);
  int fd = ::open(m.c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(fd, 0);
  for (int i = 0; i < 40; ++i) {
    std::string name(200, static_cast<char>('a' + i % 26));
    ASSERT_EQ(::mkdirat(fd, name.c_str(), 0755), 0);
    int next = ::openat(fd, name.c_str(), O_RDONLY | O_DIRECTORY);
    ::close(fd);
    ASSERT_GE(next, 0);
    fd = next;
  }
  int file = ::openat(fd, "weights.bin", O_WRONLY | O_CREAT, 0644);
  ASSERT_GE(file, 0);
  ASSERT_EQ(::write(file, "deep", 4), 4);
  ::close(file);
  ::close(fd);
  write_file(m / "top.bin", "top");
  write_file(dir / "same.bin", "deep");
  Manifest manifest = hash_model(m, HashingConfig());
  ASSERT_EQ(manifest.items().size(), 2u);
  EXPECT_EQ(manifest.items()[0].path, deep + "weights.bin");
  EXPECT_EQ(manifest.items()[0].digest, hash_model(dir / "same.bin", HashingConfig()).items()[0].digest);
  // And signed and verified as any other model.
  generate_ec_key("P-256", dir / "key.pem", dir / "key.pub");
  SigningConfig().use_key_signer(dir / "key.pem").sign(m, dir / "model.sig");
  EXPECT_NO_THROW(VerifyingConfig().use_key_verifier(dir / "key.pub").verify(m, dir / "model.sig"));
  remove_tree_at(AT_FDCWD, m.string());
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
