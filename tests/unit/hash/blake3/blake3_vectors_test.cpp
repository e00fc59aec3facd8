// The official BLAKE3 test vectors, in all three modes, on every backend this
// machine supports, fed at once and in random pieces.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/test_support.h"
#include "unit/hash/blake3/blake3_test_util.h"

namespace model_signing::hash::blake3 {
namespace {

using testing::ForcedBackend;

struct VectorFile {
  std::string key;
  std::string context;
  nlohmann::json cases;
};

const VectorFile& vectors() {
  static const VectorFile file = [] {
    std::ifstream in(model_signing::testing::shared_dir() / "vectors/blake3/test_vectors.json");
    if (!in) throw std::runtime_error("cannot open the BLAKE3 test vectors");
    nlohmann::json j = nlohmann::json::parse(in);
    return VectorFile{j.at("key").get<std::string>(), j.at("context_string").get<std::string>(),
                      j.at("cases")};
  }();
  return file;
}

class Blake3Vectors : public ::testing::TestWithParam<Backend> {
 protected:
  // Checks one mode: the full extended output and its 32-byte prefix, with
  // the input fed at once and in random pieces.
  void check_mode(const char* mode, const Blake3& fresh) {
    std::mt19937_64 rng(1234);
    ASSERT_GE(vectors().cases.size(), 35u);
    for (const auto& c : vectors().cases) {
      std::size_t len = c.at("input_len").get<std::size_t>();
      std::string expected = c.at(mode).get<std::string>();
      auto input = testing::vector_input(len);
      SCOPED_TRACE(std::string(mode) + " input_len=" + std::to_string(len));
      EXPECT_EQ(testing::hash_at_once(fresh, input, expected.size() / 2), expected);
      EXPECT_EQ(testing::hash_at_once(fresh, input), expected.substr(0, 2 * kOutLen));
      EXPECT_EQ(testing::hash_in_pieces(fresh, input, rng), expected.substr(0, 2 * kOutLen));
    }
  }
};

TEST_P(Blake3Vectors, HashMode) {
  ForcedBackend forced(GetParam());
  ASSERT_EQ(active_kernels().backend, GetParam());
  check_mode("hash", Blake3());
}

TEST_P(Blake3Vectors, KeyedHashMode) {
  ForcedBackend forced(GetParam());
  ASSERT_EQ(vectors().key.size(), kKeyLen);
  check_mode("keyed_hash",
             Blake3::keyed(reinterpret_cast<const std::uint8_t*>(vectors().key.data())));
}

TEST_P(Blake3Vectors, DeriveKeyMode) {
  ForcedBackend forced(GetParam());
  check_mode("derive_key", Blake3::derive_key(vectors().context));
}

TEST_P(Blake3Vectors, ByteAtATime) {
  ForcedBackend forced(GetParam());
  for (const auto& c : vectors().cases) {
    std::size_t len = c.at("input_len").get<std::size_t>();
    if (len > 8192) continue;
    auto input = testing::vector_input(len);
    Blake3 h;
    for (std::uint8_t byte : input) h.update(&byte, 1);
    EXPECT_EQ(testing::hash_at_once(h, {}), c.at("hash").get<std::string>().substr(0, 64))
        << "input_len=" << len;
  }
}

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return std::string(to_string(info.param));
}

INSTANTIATE_TEST_SUITE_P(AllSupportedBackends, Blake3Vectors,
                         ::testing::ValuesIn(supported_backends()), backend_name);

}  // namespace
}  // namespace model_signing::hash::blake3
