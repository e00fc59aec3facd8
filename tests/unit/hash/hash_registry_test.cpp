// The hash registry (hash/hash_registry.h) is the one list of hashes: every
// HashAlgorithm has an entry whose name, aliases and digest size are what
// the manifest, the statement reader and the CLI use, and whose factory
// makes a hasher of that size.
#include <gtest/gtest.h>

#include <algorithm>

#include "hash/hash_registry.h"
#include "model_signing/error.h"
#include "model_signing/manifest.h"

namespace model_signing::testing {
namespace {

TEST(HashRegistry, EveryAlgorithmHasOneEntryWithAWorkingFactory) {
  std::size_t count = 0;
  for (HashAlgorithm a : {HashAlgorithm::kSha256, HashAlgorithm::kBlake2b, HashAlgorithm::kBlake3}) {
    const hash::HashInfo* info = hash::find_hash(a);
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->algorithm, a);
    auto hasher = info->make();
    EXPECT_EQ(hasher->digest_size(), info->digest_size) << info->name;
    EXPECT_EQ(hash::make_hasher(a)->digest_size(), info->digest_size);
    EXPECT_EQ(digest_size(a), info->digest_size);
    ++count;
  }
  EXPECT_EQ(hash::hash_registry().size(), count);
}

TEST(HashRegistry, NamesAndAliasesParseToTheirAlgorithm) {
  for (const hash::HashInfo& info : hash::hash_registry()) {
    EXPECT_EQ(to_string(info.algorithm), info.name);
    EXPECT_EQ(parse_hash_algorithm(info.name), info.algorithm);
    EXPECT_EQ(hash::find_hash(info.name), &info);
    for (std::string_view alias : info.aliases) {
      EXPECT_EQ(parse_hash_algorithm(alias), info.algorithm) << alias;
      EXPECT_EQ(hash::find_hash(alias), &info);
    }
  }
  EXPECT_EQ(parse_hash_algorithm("blake2"), HashAlgorithm::kBlake2b);
  EXPECT_EQ(hash::find_hash("md5"), nullptr);
  EXPECT_EQ(hash::find_hash("SHA256"), nullptr);
  EXPECT_EQ(hash::find_hash(static_cast<HashAlgorithm>(99)), nullptr);
  EXPECT_EQ(to_string(static_cast<HashAlgorithm>(99)), "unknown");
}

TEST(HashRegistry, UnknownNamesAreRefusedListingTheKnownOnes) {
  try {
    parse_hash_algorithm("md5");
    FAIL() << "md5 accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidArgument);
    EXPECT_EQ(std::string(e.what()), "unknown hash algorithm 'md5' (expected sha256, blake2b or blake3)");
  }
}

// The CLI offers exactly these names.
TEST(HashRegistry, AcceptedNamesAreTheCanonicalOnesThenTheAliases) {
  std::vector<std::string_view> names = hash_algorithm_names();
  EXPECT_EQ(names, (std::vector<std::string_view>{"sha256", "blake2b", "blake3", "blake2"}));
  for (std::string_view name : names) EXPECT_NO_THROW(parse_hash_algorithm(name)) << name;
}

}  // namespace
}  // namespace model_signing::testing
