// Upstream's golden manifests and signing payloads, reproduced from fixture
// trees rebuilt exactly as DESIGN.md ("Data in this folder") describes them.
//
// Every file under vectors/model-transparency/goldens/{file,file_shard,signing}
// is one test case; a golden whose fixture is unknown fails rather than being
// skipped.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/hash_model.h"
#include "model_signing/error.h"
#include "model_signing/hashing.h"
#include "model_signing/signing.h"
#include "support/expect_error.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path goldens_dir() { return shared_dir() / "vectors/model-transparency/goldens"; }

// Upstream's fixture name -> the model name its payload goldens record.
const std::map<std::string, std::string>& fixture_models() {
  static const std::map<std::string, std::string> models = {
      {"sample_model_folder", "sample_model"},
      {"deep_model_folder", "deep_model"},
      {"sample_model_file", "file_model"},
      {"empty_model_file", "empty_file_model"},
      {"empty_model_folder", "empty_folder_model"},
      {"model_folder_with_empty_file", "empty_file_inside_model"},
      {"symlink_model_folder", "symlink_model"},
  };
  return models;
}

// The trees the goldens were computed from, built once for the suite.
class GoldenFixtures {
 public:
  GoldenFixtures() {
    const fs::path& root = dir_.path();
    for (char i : {'0', '1'}) {
      const std::string dir = std::string("d") + i;
      for (char j : {'0', '1', '2'}) {
        const std::string name = std::string("f") + i + j;
        write_file(root / "sample_model" / dir / name, "This is file " + name + " in " + dir + ".");
      }
    }
    for (char i : {'0', '1', '2', '3'}) {
      const std::string name = std::string("f") + i;
      write_file(root / "sample_model" / name, "This is file " + name + " in root.");
      write_file(root / "deep_model/d0/d1/d2/d3/d4" / name, "This is file " + name + ".");
    }
    write_file(root / "file_model", "This is a simple model");
    write_file(root / "empty_file_model", "");
    fs::create_directories(root / "empty_folder_model");
    write_file(root / "empty_file_inside_model/empty_file", "");
    // The link points outside the model, as upstream's fixture does.
    write_file(root / "outside/simple_model", "This is a simple model");
    fs::create_directories(root / "symlink_model");
    fs::create_symlink(root / "outside/simple_model", root / "symlink_model/symlink_file");
  }

  fs::path model(const std::string& fixture) const { return dir_.path() / fixture_models().at(fixture); }

 private:
  TempDir dir_;
};

const GoldenFixtures& fixtures() {
  // Destroyed at exit, which removes the trees.
  static const GoldenFixtures instance;
  return instance;
}

struct GoldenCase {
  std::string kind;     // "file", "file_shard" or "signing"
  std::string name;     // e.g. "sample_model_folder_small_shards"
  fs::path path;
};

std::string case_name(const ::testing::TestParamInfo<GoldenCase>& info) {
  return info.param.kind + "_" + info.param.name;
}

std::vector<GoldenCase> golden_cases() {
  std::vector<GoldenCase> cases;
  const std::pair<const char*, const char*> dirs[] = {
      {"file", "file/TestSerializer"},
      {"file_shard", "file_shard/TestSerializer"},
      {"signing", "signing/TestPayload"},
  };
  for (const auto& [kind, sub] : dirs) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(goldens_dir() / sub, ec)) {
      cases.push_back({kind, entry.path().filename().string(), entry.path()});
    }
  }
  std::sort(cases.begin(), cases.end(),
            [](const GoldenCase& a, const GoldenCase& b) { return a.path < b.path; });
  return cases;
}

// Splits a golden name into its fixture and the serialization it implies.
struct GoldenConfig {
  std::string fixture;
  HashingConfig hashing;
};

bool strip_suffix(std::string& name, const std::string& suffix) {
  if (name.size() < suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return false;
  }
  name.resize(name.size() - suffix.size());
  return true;
}

GoldenConfig config_for(const GoldenCase& c) {
  GoldenConfig out;
  std::string name = c.name;
  // Upstream's goldens: symlinks allowed, no ignore paths, "." for one file.
  out.hashing.allow_symlinks = true;
  out.hashing.ignore_git_paths = false;
  out.hashing.single_file_name = SingleFileName::kDot;
  bool small = strip_suffix(name, "_small_shards");
  bool shard = !small && strip_suffix(name, "_shard");
  if (c.kind == "file_shard" || small || shard) out.hashing.serialization = Serialization::kShards;
  if (small) out.hashing.shard_size = 8;
  out.fixture = name;
  return out;
}

// "name:digest" per line (the name may itself contain ':').
std::vector<std::pair<std::string, std::string>> read_manifest_golden(const fs::path& path) {
  std::vector<std::pair<std::string, std::string>> items;
  std::istringstream in(read_file(path));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto colon = line.rfind(':');
    items.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  return items;
}

// Key order and float-vs-integer shard_size are not significant.
json normalized_statement(json statement) {
  json& ser = statement["predicate"]["serialization"];
  if (ser.contains("shard_size")) {
    double size = ser["shard_size"].get<double>();
    ser["shard_size"] = static_cast<std::uint64_t>(size);
  }
  return statement;
}

class Golden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(Golden, IsReproduced) {
  const GoldenCase& c = GetParam();
  GoldenConfig config = config_for(c);
  ASSERT_TRUE(fixture_models().count(config.fixture)) << "no fixture for golden " << c.path;
  fs::path model = fixtures().model(config.fixture);
  Manifest manifest = engine::hash_model_allow_empty(model, config.hashing);

  if (c.kind == "signing") {
    json expected = normalized_statement(json::parse(read_file(c.path)));
    json actual = normalized_statement(json::parse(statement_json(manifest)));
    EXPECT_EQ(actual, expected) << "ours:\n" << actual.dump(2) << "\nupstream:\n" << expected.dump(2);
    // The root digest on its own, for a readable failure.
    EXPECT_EQ(actual["subject"][0]["digest"]["sha256"], expected["subject"][0]["digest"]["sha256"]);
    // Byte for byte, the payload is what upstream writes (json.dumps with
    // indent=2), except that shard_size is an integer (OMS) where upstream
    // writes a float.
    std::string golden_text = read_file(c.path);
    if (manifest.serialization().method == Serialization::kShards) {
      std::string size = std::to_string(manifest.serialization().shard_size);
      std::string from = "\"shard_size\": " + size + ".0";
      auto pos = golden_text.find(from);
      ASSERT_NE(pos, std::string::npos);
      golden_text.replace(pos, from.size(), "\"shard_size\": " + size);
    }
    EXPECT_EQ(statement_json(manifest) + "\n", golden_text);
    return;
  }
  std::vector<std::pair<std::string, std::string>> actual;
  for (const auto& item : manifest.items()) {
    actual.emplace_back(item.resource_name(), digest_hex(item.digest));
  }
  EXPECT_EQ(actual, read_manifest_golden(c.path));
}

INSTANTIATE_TEST_SUITE_P(Upstream, Golden, ::testing::ValuesIn(golden_cases()), case_name);

TEST(GoldenSet, CoversEveryGoldenFile) {
  // 7 file + 14 file_shard + 21 signing goldens in upstream's test data.
  std::vector<GoldenCase> cases = golden_cases();
  EXPECT_EQ(cases.size(), 42u);
  for (const auto& c : cases) {
    EXPECT_TRUE(fixture_models().count(config_for(c).fixture)) << c.path;
  }
}

TEST(GoldenSet, PublicHashModelRejectsTheEmptyFolderButMatchesTheRest) {
  HashingConfig config;
  config.allow_symlinks = true;
  config.ignore_git_paths = false;
  config.single_file_name = SingleFileName::kDot;
  EXPECT_TRUE(expect_error([&] { hash_model(fixtures().model("empty_model_folder"), config); },
                           ErrorKind::kModelLayout, "model is empty"));
  for (const char* fixture : {"sample_model_folder", "sample_model_file", "symlink_model_folder",
                              "model_folder_with_empty_file"}) {
    fs::path model = fixtures().model(fixture);
    EXPECT_EQ(hash_model(model, config).root_digest(),
              engine::hash_model_allow_empty(model, config).root_digest())
        << fixture;
  }
}

TEST(GoldenSet, OmsNamesSingleFileAfterItsBasenameWithTheSameDigest) {
  HashingConfig config;
  Manifest manifest = hash_model(fixtures().model("sample_model_file"), config);
  ASSERT_EQ(manifest.items().size(), 1u);
  EXPECT_EQ(manifest.items()[0].path, "file_model");
  EXPECT_EQ(digest_hex(manifest.items()[0].digest),
            "3aab065c7181a173b5dd9e9d32a9f79923440b413be1e1ffcdba26a7365f719b");
}

}  // namespace
}  // namespace model_signing::testing
