// libcurl and p11-kit are loaded when first used (util/shared_library.h),
// not linked. Without them, Sigstore signing and PKCS#11 signing fail with
// one line naming the library and its Debian package, and write nothing;
// commands that do not need them work as before. MS_TEST_LIBRARY_DIR points
// the loader at a directory that lacks both.
#include <gtest/gtest.h>

#include "support/cli_expect.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

class MissingLibrary : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(dir_ / "model/config.json", "{\"layers\": 2}");
    write_file(dir_ / "model/w.bin", std::string(4096, 'w'));
    std::filesystem::create_directories(dir_ / "no-libraries");
    generate_ec_key("P-256", dir_ / "key.pem", dir_ / "key.pub");
  }
  std::vector<std::string> without_libraries() const {
    return {"MS_TEST_LIBRARY_DIR=" + (dir_ / "no-libraries").string()};
  }
  std::string model() const { return (dir_ / "model").string(); }
  std::filesystem::path signature() const { return dir_ / "model.sig"; }

  TempDir dir_;
};

#ifdef MS_WITH_SIGSTORE_SIGNING
TEST_F(MissingLibrary, SigstoreSigningNamesLibcurlAndItsPackage) {
  // (The TUF refresh before it goes offline quietly: it cannot fetch
  // without libcurl either.)
  CommandResult result = run_cli({"sign", "sigstore", model(), "--signature", signature().string(),
                                  "--identity-token", "not-used"},
                                 without_libraries());
  EXPECT_TRUE(one_line_failure(result, 1,
                               "Sigstore signing needs libcurl (libcurl.so.4), which is not "
                               "installed: apt install libcurl4"));
  EXPECT_FALSE(std::filesystem::exists(signature()));
}
#endif

#ifdef MS_WITH_PKCS11
TEST_F(MissingLibrary, Pkcs11SigningNamesP11KitAndItsPackage) {
  for (const char* method : {"pkcs11-key", "pkcs11-certificate"}) {
    CommandResult result =
        run_cli({"sign", method, model(), "--signature", signature().string(), "--pkcs11-uri",
                 "pkcs11:object=key?module-name=softhsm2&pin-value=1234"},
                without_libraries());
    EXPECT_TRUE(one_line_failure(result, 1,
                                 "PKCS#11 signing needs p11-kit (libp11-kit.so.0), which is not "
                                 "installed: apt install libp11-kit0"))
        << method;
    EXPECT_FALSE(std::filesystem::exists(signature())) << method;
  }
}
#endif

TEST_F(MissingLibrary, KeySigningAndVerifyingNeedNeither) {
  EXPECT_TRUE(succeeded(run_cli({"sign", "key", model(), "--signature", signature().string(),
                                 "--private-key", (dir_ / "key.pem").string()},
                                without_libraries())));
  EXPECT_TRUE(succeeded(run_cli({"verify", "key", model(), "--signature", signature().string(),
                                 "--public-key", (dir_ / "key.pub").string()},
                                without_libraries())));
  EXPECT_TRUE(succeeded(run_cli({"digest", model()}, without_libraries())));
}

}  // namespace
}  // namespace model_signing::testing
