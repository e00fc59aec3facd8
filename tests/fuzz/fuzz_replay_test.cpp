// The fuzz targets (fuzz/targets/) in the normal suite: each is built and
// registered here, has seeds, and runs every seed and every saved crash
// input (tests/fuzz/regressions/<target>/, one file per input a fuzzing
// campaign found) without a crash, a non-Error exception or a broken
// invariant (any of which aborts this test binary).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "fuzz_target.h"
#include "seeds.h"
#include "support/test_support.h"

namespace model_signing::fuzz {
namespace {

namespace fs = std::filesystem;

const char* const kTargetNames[] = {MS_FUZZ_TARGET_NAMES};

const std::map<std::string, std::vector<std::string>>& seeds() {
  static const auto all = make_seeds();
  return all;
}

TargetFn find_target(const std::string& name) {
  for (const auto& t : registered_targets()) {
    if (t.name == name) return t.fn;
  }
  return nullptr;
}

TEST(FuzzTargets, EveryListedTargetIsBuiltAndHasSeeds) {
  std::set<std::string> listed(std::begin(kTargetNames), std::end(kTargetNames));
  EXPECT_GE(listed.size(), 22u);
  std::set<std::string> registered;
  for (const auto& t : registered_targets()) registered.insert(t.name);
  EXPECT_EQ(listed, registered);
  for (const auto& name : listed) {
    auto it = seeds().find(name);
    ASSERT_NE(it, seeds().end()) << name << " has no seeds";
    EXPECT_FALSE(it->second.empty()) << name;
  }
  for (const auto& [name, inputs] : seeds()) EXPECT_TRUE(listed.count(name)) << "seeds for unknown target " << name;
}

class FuzzReplay : public ::testing::TestWithParam<std::string> {};

TEST_P(FuzzReplay, SeedsAndSavedCrashesRunCleanly) {
  TargetFn fn = find_target(GetParam());
  ASSERT_NE(fn, nullptr);
  std::size_t runs = 0;
  for (const auto& input : seeds().at(GetParam())) {
    fn(input);
    ++runs;
  }
  fs::path saved = fs::path(MS_FUZZ_REGRESSIONS_DIR) / GetParam();
  if (fs::is_directory(saved)) {
    for (const auto& entry : fs::directory_iterator(saved)) {
      SCOPED_TRACE(entry.path().string());
      fn(model_signing::testing::read_file(entry.path()));
      ++runs;
    }
  }
  // Small inputs no seed has.
  const std::string small[] = {"", "{", "[]", std::string(1, '\0'), std::string(64, '\xff')};
  for (const auto& input : small) fn(input);
  EXPECT_GT(runs, 0u);
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzReplay, ::testing::ValuesIn(std::vector<std::string>(
                                                   std::begin(kTargetNames), std::end(kTargetNames))),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace model_signing::fuzz
