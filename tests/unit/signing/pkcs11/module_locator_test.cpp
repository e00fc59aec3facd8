// Finding a module from module-path / module-name.
#include <gtest/gtest.h>

#include <algorithm>

#include "model_signing/error.h"
#include "signing/pkcs11/module_locator.h"
#include "support/expect_error.h"
#include "support/test_support.h"

namespace model_signing::pkcs11 {
namespace {

using testing::TempDir;
using testing::write_file;

std::filesystem::path locate(const std::string& query, const std::vector<std::filesystem::path>& dirs) {
  return locate_module(Pkcs11Uri::parse("pkcs11:object=k?" + query), dirs);
}

::testing::AssertionResult locate_fails(const std::string& query,
                                        const std::vector<std::filesystem::path>& dirs,
                                        ErrorKind kind) {
  return testing::expect_error([&] { locate(query, dirs); }, kind);
}

TEST(ModuleLocator, FindsModuleNameWithOrWithoutLibPrefixAndSuffix) {
  TempDir dir;
  write_file(dir / "a/libfoo-pkcs11.so", "");
  write_file(dir / "b/libBar.so.1", "");
  write_file(dir / "b/libfoo.so", "");
  std::vector<std::filesystem::path> dirs{dir / "a", dir / "b"};
  EXPECT_EQ(locate("module-name=foo", dirs), dir / "b/libfoo.so");
  EXPECT_EQ(locate("module-name=libfoo", dirs), dir / "b/libfoo.so");
  EXPECT_EQ(locate("module-name=libfoo.so", dirs), dir / "b/libfoo.so");
  EXPECT_EQ(locate("module-name=foo-pkcs11", dirs), dir / "a/libfoo-pkcs11.so");
  EXPECT_EQ(locate("module-name=BAR", dirs), dir / "b/libBar.so.1");
  EXPECT_TRUE(locate_fails("module-name=fo", dirs, ErrorKind::kToken));
  EXPECT_TRUE(locate_fails("module-name=foo", {dir / "nowhere"}, ErrorKind::kToken));
}

TEST(ModuleLocator, ModulePathIsAFileOrADirectoryToSearch) {
  TempDir dir;
  write_file(dir / "mods/libfoo.so", "");
  EXPECT_EQ(locate("module-path=" + (dir / "mods/libfoo.so").string(), {}), dir / "mods/libfoo.so");
  EXPECT_EQ(locate("module-path=" + (dir / "mods").string() + "&module-name=foo", {}),
            dir / "mods/libfoo.so");
  EXPECT_TRUE(locate_fails("module-path=" + (dir / "mods/missing.so").string(), {}, ErrorKind::kToken));
  EXPECT_TRUE(locate_fails("module-path=" + (dir / "mods").string(), {}, ErrorKind::kInvalidArgument));
  EXPECT_TRUE(locate_fails("module-path=relative/libfoo.so", {}, ErrorKind::kInvalidArgument));
  EXPECT_TRUE(locate_fails("pin-value=1", {dir / "mods"}, ErrorKind::kInvalidArgument));
}

TEST(ModuleLocator, DefaultsCoverDebianModuleDirectories) {
  auto dirs = default_module_directories();
  auto has = [&](const std::filesystem::path& p) {
    return std::find(dirs.begin(), dirs.end(), p) != dirs.end();
  };
  EXPECT_TRUE(has("/usr/lib/softhsm"));
  EXPECT_TRUE(has("/usr/lib/x86_64-linux-gnu/pkcs11") || has("/usr/lib/aarch64-linux-gnu/pkcs11"));
  // SoftHSM2 (a test dependency) is found by the names users type.
  for (const char* name : {"softhsm2", "libsofthsm2", "libsofthsm2.so"}) {
    EXPECT_EQ(locate(std::string("module-name=") + name, dirs).filename(), "libsofthsm2.so") << name;
  }
}

}  // namespace
}  // namespace model_signing::pkcs11
