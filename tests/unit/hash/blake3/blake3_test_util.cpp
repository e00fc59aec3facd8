#include "unit/hash/blake3/blake3_test_util.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "support/test_support.h"
#include "util/encoding.h"

namespace model_signing::hash::blake3::testing {

std::vector<std::uint8_t> vector_input(std::size_t size) {
  std::vector<std::uint8_t> data(size);
  for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<std::uint8_t>(i % 251);
  return data;
}

std::vector<std::uint8_t> random_bytes(std::size_t size, std::mt19937_64& rng) {
  std::vector<std::uint8_t> data(size);
  for (auto& b : data) b = static_cast<std::uint8_t>(rng());
  return data;
}

std::string hash_in_pieces(Blake3 hasher, const std::vector<std::uint8_t>& data,
                           std::mt19937_64& rng, std::size_t out_len) {
  std::size_t pos = 0;
  while (pos < data.size()) {
    // Mostly short pieces around block and chunk sizes, sometimes long ones.
    std::size_t limit =
        (rng() % 4 == 0) ? data.size() - pos : std::min<std::size_t>(3000, data.size() - pos);
    std::size_t n = rng() % (limit + 1);
    hasher.update(data.data() + pos, n);
    pos += n;
  }
  std::vector<std::uint8_t> out(out_len);
  hasher.finalize(out.data(), out.size());
  return util::to_hex(out);
}

std::string hash_at_once(Blake3 hasher, const std::vector<std::uint8_t>& data,
                         std::size_t out_len) {
  hasher.update(data.data(), data.size());
  std::vector<std::uint8_t> out(out_len);
  hasher.finalize(out.data(), out.size());
  return util::to_hex(out);
}

namespace {

std::string find_b3sum() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    std::filesystem::path candidate = std::filesystem::path(dir) / "b3sum";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return {};
}

}  // namespace

std::map<std::string, std::string> b3sum(const std::vector<std::filesystem::path>& files) {
  std::string program = find_b3sum();
  if (program.empty()) {
    ADD_FAILURE()
        << "b3sum not found on PATH (Debian package b3sum, in scripts/debian-packages.txt)";
    return {};
  }
  std::vector<std::string> args;
  for (const auto& f : files) args.push_back(f.string());
  auto result = model_signing::testing::run_command(program, args);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::map<std::string, std::string> digests;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    auto gap = line.find("  ");
    if (gap != std::string::npos) digests[line.substr(gap + 2)] = line.substr(0, gap);
  }
  return digests;
}

}  // namespace model_signing::hash::blake3::testing
