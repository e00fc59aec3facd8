// Digest lists as sha256sum, b2sum and b3sum print them: the line format,
// escaped names, and every way a list can be wrong.
#include <gtest/gtest.h>

#include <string>

#include "model_signing/digest_sources.h"
#include "model_signing/hashing.h"
#include "support/expect_error.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

const std::string kHexA(64, 'a');
const std::string kHexB(64, 'b');

TEST(DigestList, ReadsTextAndBinaryModeLines) {
  auto entries = parse_digest_list(kHexA + "  weights.bin\n" + kHexB + " *sub/config.json\n",
                                   HashAlgorithm::kSha256);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].path, "weights.bin");
  EXPECT_EQ(entries[0].digest, Digest(32, 0xaa));
  EXPECT_EQ(entries[1].path, "sub/config.json");
  EXPECT_EQ(entries[1].digest, Digest(32, 0xbb));
}

TEST(DigestList, UnescapesNamesAsCoreutilsEscapesThem) {
  // sha256sum prints "\HEX  a\\b\nc" for the name "a\b<newline>c".
  auto entries = parse_digest_list("\\" + kHexA + "  a\\\\b\\nc\\rd\n", HashAlgorithm::kSha256);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].path, "a\\b\nc\rd");
  // Without the leading backslash the name is taken literally.
  entries = parse_digest_list(kHexA + "  a\\nb\n", HashAlgorithm::kSha256);
  EXPECT_EQ(entries[0].path, "a\\nb");
}

TEST(DigestList, AcceptsUpperCaseHexDotSlashPrefixesCommentsBlankLinesAndCrlf) {
  std::string upper(64, 'A');
  auto entries = parse_digest_list("# made by sha256sum\n\n" + upper + "  ./a.bin\r\n" + kHexB + "  b\n",
                                   HashAlgorithm::kSha256);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].path, "a.bin");
  EXPECT_EQ(entries[0].digest, Digest(32, 0xaa));
}

TEST(DigestList, DigestLengthFollowsTheHash) {
  std::string blake2b(128, 'c');
  auto entries = parse_digest_list(blake2b + "  x\n", HashAlgorithm::kBlake2b);
  EXPECT_EQ(entries[0].digest.size(), 64u);
  EXPECT_TRUE(expect_error([&] { parse_digest_list(blake2b + "  x\n", HashAlgorithm::kSha256); },
                           ErrorKind::kInvalidArgument, "line 1: digest has 128 hex digits, but a sha256 digest has 64"));
  EXPECT_TRUE(expect_error([&] { parse_digest_list(kHexA + "  x\n", HashAlgorithm::kBlake2b); },
                           ErrorKind::kInvalidArgument, "but a blake2b digest has 128"));
}

TEST(DigestList, RejectsMalformedLinesNamingTheLine) {
  struct Case {
    std::string text;
    std::string needle;
  };
  const Case cases[] = {
      {kHexA + "  a\nnot a digest line\n", "line 2: expected 'HEXDIGEST  PATH'"},
      {kHexA + " a\n", "line 1: expected 'HEXDIGEST  PATH' (two spaces"},
      {kHexA + "\n", "line 1: expected"},
      {kHexA + "  \n", "line 1: expected"},
      {kHexA + "\ta\n", "line 1: expected 'HEXDIGEST  PATH'"},
      {"SHA256 (a) = " + kHexA + "\n", "line 1: BSD-style (--tag) lines are not supported"},
      {kHexA + "  /etc/passwd\n", "line 1: path '/etc/passwd' is an absolute path"},
      {kHexA + "  ../outside\n", "line 1: path '../outside' contains a '..' component"},
      {kHexA + "  a/../../b\n", "contains a '..' component"},
      {kHexA + "  a//b\n", "is not a canonical relative path"},
      {kHexA + "  a/./b\n", "is not a canonical relative path"},
      {kHexA + "  ./\n", "is empty"},
      {kHexA + "  bad\xff.bin\n", "is not valid UTF-8"},
      {kHexA + "  a\n" + kHexB + "  a\n", "line 2: path 'a' is already listed on line 1"},
      {kHexA + "  a\n" + kHexB + "  ./a\n", "line 2: path 'a' is already listed on line 1"},
      {"\\" + kHexA + "  a\\tb\n", "line 1: unknown escape in file name"},
      {"\\" + kHexA + "  a\\\n", "line 1: unknown escape"},
      {std::string(63, 'a') + "g  a\n", "line 1: expected"},
  };
  for (const auto& c : cases) {
    EXPECT_TRUE(expect_error([&] { parse_digest_list(c.text, HashAlgorithm::kSha256); },
                             ErrorKind::kInvalidArgument, c.needle))
        << c.text;
  }
  std::string with_nul = kHexA + "  a" + std::string(1, '\0') + "b\n";
  EXPECT_TRUE(expect_error([&] { parse_digest_list(with_nul, HashAlgorithm::kSha256); },
                           ErrorKind::kInvalidArgument, "line 1: contains a NUL byte"));
}

TEST(DigestList, ManifestIsTheFilesManifestHashModelGives) {
  TempDir dir;
  write_file(dir / "model/b.bin", "bravo");
  write_file(dir / "model/a/z.bin", "zulu");
  write_file(dir / "model/a.txt", "alpha");
  Manifest hashed = hash_model(dir / "model", HashingConfig{});
  std::string list;
  // In an order unlike the manifest's: the manifest sorts as upstream does.
  for (auto it = hashed.items().rbegin(); it != hashed.items().rend(); ++it) {
    list += digest_hex(it->digest) + "  " + it->path + "\n";
  }
  Manifest listed = manifest_from_digest_list(dir / "model", list);
  EXPECT_EQ(listed.items(), hashed.items());
  EXPECT_EQ(listed.model_name(), "model");
  EXPECT_EQ(statement_json(listed), statement_json(hashed));
}

TEST(DigestList, ManifestFromDigestsChecksWhatItIsGiven) {
  EXPECT_TRUE(expect_error([] { manifest_from_digests("m", {}); }, ErrorKind::kInvalidArgument, "names no files"));
  EXPECT_TRUE(expect_error([] { manifest_from_digest_list("m", "# nothing\n\n"); }, ErrorKind::kInvalidArgument,
                           "names no files"));
  EXPECT_TRUE(expect_error([] { manifest_from_digests("m", {{"a", Digest(32)}, {"a", Digest(32)}}); },
                           ErrorKind::kInvalidArgument, "path 'a' is listed twice"));
  EXPECT_TRUE(expect_error([] { manifest_from_digests("m", {{"a", Digest(31)}}); }, ErrorKind::kInvalidArgument,
                           "digest of 'a' has 31 bytes"));
  EXPECT_TRUE(expect_error([] { manifest_from_digests("m", {{"/a", Digest(32)}}); }, ErrorKind::kInvalidArgument,
                           "path '/a' is an absolute path"));
  HashingConfig shards;
  shards.serialization = Serialization::kShards;
  EXPECT_TRUE(expect_error([&] { manifest_from_digests("m", {{"a", Digest(32)}}, shards); },
                           ErrorKind::kInvalidArgument, "the serialization must be files"));
}

TEST(DigestList, IgnoreRulesApplyAsWhenHashing) {
  TempDir dir;
  write_file(dir / "model/a.bin", "alpha");
  write_file(dir / "model/.gitattributes", "*.bin lfs");
  write_file(dir / "model/skip/me", "skipped");
  HashingConfig config;
  config.ignore_paths = {"skip"};
  Manifest hashed = hash_model(dir / "model", config);
  std::string list;
  for (const char* name : {"a.bin", ".gitattributes", "skip/me"}) {
    list += digest_hex(Digest(32, 1)) + "  " + name + "\n";
  }
  Manifest listed = manifest_from_digest_list(dir / "model", list, config);
  ASSERT_EQ(listed.items().size(), 1u);
  EXPECT_EQ(listed.items()[0].path, "a.bin");
  EXPECT_EQ(listed.serialization().ignore_paths, hashed.serialization().ignore_paths);
}

}  // namespace
}  // namespace model_signing::testing
