// Signatures made by released versions of the Python model_signing tool
// verify with our CLI, invoked the way upstream's test scripts invoke theirs,
// and stop verifying once a signed byte changes.
//
// v1.0.0-sigstore is issue 4's (Sigstore verification) and is not listed here.
#include <gtest/gtest.h>

#include <algorithm>

#include "support/cli_expect.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;

fs::path vectors_dir() { return shared_dir() / "vectors/model-transparency"; }

struct Vector {
  std::string name;  // directory under vectors/model-transparency
};

std::vector<Vector> vectors() {
  std::vector<Vector> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(vectors_dir(), ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("v", 0) != 0 || !entry.is_directory()) continue;
    if (name.find("sigstore") != std::string::npos) continue;
    out.push_back({name});
  }
  std::sort(out.begin(), out.end(), [](const Vector& a, const Vector& b) { return a.name < b.name; });
  return out;
}

std::string vector_name(const ::testing::TestParamInfo<Vector>& info) {
  std::string name = info.param.name;
  std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return name;
}

// The command line of upstream's test scripts for the vector in `dir`
// (relative to the working directory `cwd`), or empty if the vector's method
// is unknown.
std::vector<std::string> verify_args(const std::string& name, const fs::path& dir, const fs::path& keys) {
  std::vector<std::string> args;
  if (name.find("certificate") != std::string::npos) {
    args = {"verify", "certificate", dir.string(), "--signature", (dir / "model.sig").string(),
            "--certificate-chain", (keys / "ca-cert.pem").string()};
  } else if (name.find("elliptic-key") != std::string::npos) {
    // This vector signs the single file signme-1.
    args = {"verify", "key", (dir / "signme-1").string(), "--signature", (dir / "model.sig").string(),
            "--public-key", (keys / "signing-key-pub.pem").string()};
  } else {
    return {};
  }
  if (fs::exists(dir / "ignore-me")) {
    args.push_back("--ignore-paths");
    args.push_back((dir / "ignore-me").string());
  }
  return args;
}

// Files the signature covers: everything but the signature and ignore-me.
std::vector<std::string> signed_files(const fs::path& dir) {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (name != "model.sig" && name != "ignore-me" && entry.is_regular_file()) files.push_back(name);
  }
  std::sort(files.begin(), files.end());
  return files;
}

class UpstreamVector : public ::testing::TestWithParam<Vector> {};

TEST_P(UpstreamVector, VerifiesAsUpstreamScriptsInvokeIt) {
  const std::string& name = GetParam().name;
  std::vector<std::string> args = verify_args(name, name, "keys/certificate");
  ASSERT_FALSE(args.empty()) << "unknown vector " << name;
  EXPECT_TRUE(succeeded(run_cli(args, {}, vectors_dir()), "Verification succeeded\n"));
}

TEST_P(UpstreamVector, FailsNamingTheFileAfterOneByteChanges) {
  const std::string& name = GetParam().name;
  fs::path keys = vectors_dir() / "keys/certificate";
  std::vector<std::string> files = signed_files(vectors_dir() / name);
  ASSERT_FALSE(files.empty());
  if (name.find("elliptic-key") != std::string::npos) {
    EXPECT_EQ(files, std::vector<std::string>{"signme-1"});
  }
  for (const std::string& file : files) {
    SCOPED_TRACE(file);
    TempDir tmp;
    fs::path copy = tmp / name;
    copy_tree(vectors_dir() / name, copy);
    std::string contents = read_file(copy / file);
    ASSERT_FALSE(contents.empty());
    contents[contents.size() / 2] ^= 0x01;
    write_file(copy / file, contents);
    CommandResult result = run_cli(verify_args(name, copy, keys));
    EXPECT_TRUE(one_line_failure(result, 1, file));
    EXPECT_NE(result.err.find("modified"), std::string::npos) << result.err;
  }
}

INSTANTIATE_TEST_SUITE_P(ModelTransparency, UpstreamVector, ::testing::ValuesIn(vectors()), vector_name);

TEST(UpstreamVectors, AllNonSigstoreVectorsAreCovered) {
  std::vector<std::string> names;
  for (const auto& v : vectors()) names.push_back(v.name);
  EXPECT_EQ(names, (std::vector<std::string>{"v0.2.0-certificate", "v1.0.0-certificate",
                                             "v1.0.0-elliptic-key"}));
}

// Upstream's scripts pass --ignore-paths <dir>/ignore-me: an unsigned file
// there is ignored, and reported by name without the flag.
TEST(UpstreamVectors, AnUnsignedFileFailsUnlessIgnored) {
  fs::path keys = vectors_dir() / "keys/certificate";
  for (const std::string name : {"v0.2.0-certificate", "v1.0.0-certificate"}) {
    SCOPED_TRACE(name);
    TempDir tmp;
    fs::path copy = tmp / name;
    copy_tree(vectors_dir() / name, copy);
    write_file(copy / "ignore-me", "not signed");
    std::vector<std::string> args = verify_args(name, copy, keys);
    ASSERT_EQ(args[args.size() - 2], "--ignore-paths");
    EXPECT_TRUE(succeeded(run_cli(args)));
    args.resize(args.size() - 2);
    EXPECT_TRUE(one_line_failure(run_cli(args), 1, "ignore-me"));
  }
}

}  // namespace
}  // namespace model_signing::testing
