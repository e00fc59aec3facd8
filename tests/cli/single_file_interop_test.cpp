// Single-file models and the Python tool: `--single-file-name dot` makes
// the statement the Python tool writes (its v1.0.0-elliptic-key vector,
// re-made here with the same key and file, byte for byte), which its
// verifier expects; `basename` (the default) is OMS's naming. Verification
// accepts both, and the vector itself.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/cli_expect.h"
#include "support/signed_statement.h"
#include "support/test_support.h"
#include "util/encoding.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kVector = shared_dir() / "vectors/model-transparency/v1.0.0-elliptic-key";
const fs::path kKeys = shared_dir() / "vectors/model-transparency/keys/certificate";

std::string payload_of(const fs::path& signature) {
  json bundle = json::parse(read_file(signature));
  auto bytes = util::base64_decode(bundle["dsseEnvelope"]["payload"].get<std::string>());
  return bytes ? std::string(bytes->begin(), bytes->end()) : "";
}

class SingleFileInterop : public ::testing::Test {
 protected:
  void SetUp() override { copy_tree(kVector / "signme-1", model()); }
  fs::path model() const { return dir_ / "signme-1"; }
  CommandResult sign(const fs::path& signature, std::vector<std::string> extra) const {
    std::vector<std::string> args = {"sign", "key", model().string(), "--private-key",
                                     (kKeys / "signing-key.pem").string(), "--signature", signature.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }
  CommandResult verify(const fs::path& signature) const {
    return run_cli({"verify", "key", model().string(), "--signature", signature.string(), "--public-key",
                    (kKeys / "signing-key-pub.pem").string()});
  }
  TempDir dir_;
};

TEST_F(SingleFileInterop, DotMakesExactlyThePythonToolsStatement) {
  fs::path ours = dir_ / "dot.sig";
  ASSERT_TRUE(succeeded(sign(ours, {"--single-file-name", "dot"})));
  json statement = statement_of(ours);
  json upstream = statement_of(kVector / "model.sig");
  EXPECT_EQ(statement["predicate"]["resources"], upstream["predicate"]["resources"]);
  EXPECT_EQ(statement["predicate"]["resources"][0]["name"], ".");
  EXPECT_EQ(statement["subject"], upstream["subject"]);
  EXPECT_EQ(statement, upstream);
  // (Byte for byte the payloads differ in key order only: the Python tool
  // parses the statement, and the parsed statements are equal above.)
  EXPECT_TRUE(succeeded(verify(ours), "Verification succeeded\n"));
  // The same with the Python tool's underscore spelling.
  fs::path underscored = dir_ / "dot2.sig";
  ASSERT_TRUE(succeeded(sign(underscored, {"--single_file_name", "dot"})));
  EXPECT_EQ(payload_of(underscored), payload_of(ours));
}

TEST_F(SingleFileInterop, BasenameIsTheDefaultAndBothVerify) {
  fs::path ours = dir_ / "basename.sig";
  ASSERT_TRUE(succeeded(sign(ours, {})));
  json statement = statement_of(ours);
  EXPECT_EQ(statement["predicate"]["resources"][0]["name"], "signme-1");
  EXPECT_EQ(statement["subject"], statement_of(kVector / "model.sig")["subject"]);
  EXPECT_TRUE(succeeded(verify(ours), "Verification succeeded\n"));
  fs::path explicit_basename = dir_ / "explicit.sig";
  ASSERT_TRUE(succeeded(sign(explicit_basename, {"--single-file-name", "basename"})));
  EXPECT_EQ(payload_of(explicit_basename), payload_of(ours));
  // The Python tool's own signature of this file.
  EXPECT_TRUE(succeeded(verify(kVector / "model.sig"), "Verification succeeded\n"));
  // And a changed byte fails each.
  write_file(model(), read_file(model()) + "!");
  EXPECT_TRUE(one_line_failure(verify(ours), 1, "signme-1"));
  EXPECT_TRUE(one_line_failure(verify(kVector / "model.sig"), 1, "modified"));
}

TEST_F(SingleFileInterop, OtherNamesAreUsageErrors) {
  EXPECT_TRUE(one_line_failure(sign(dir_ / "x.sig", {"--single-file-name", "stem"}), 2, "--single-file-name"));
  EXPECT_FALSE(fs::exists(dir_ / "x.sig"));
}

}  // namespace
}  // namespace model_signing::testing
