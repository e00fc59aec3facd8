// The constants of the BLAKE3 specification: sizes, domain flags, the IV and
// the message schedule derived from the message permutation.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace model_signing::hash::blake3 {

inline constexpr std::size_t kBlockLen = 64;
inline constexpr std::size_t kChunkLen = 1024;
inline constexpr std::size_t kBlocksPerChunk = kChunkLen / kBlockLen;
inline constexpr std::size_t kKeyLen = 32;
inline constexpr std::size_t kOutLen = 32;
// A chunk counter is 64 bits, so a tree is at most 54 levels above the chunks.
inline constexpr std::size_t kMaxTreeDepth = 54;

// Domain separation flags (spec table 3).
enum Flag : std::uint8_t {
  kChunkStart = 1 << 0,
  kChunkEnd = 1 << 1,
  kParent = 1 << 2,
  kRoot = 1 << 3,
  kKeyedHash = 1 << 4,
  kDeriveKeyContext = 1 << 5,
  kDeriveKeyMaterial = 1 << 6,
};

inline constexpr std::uint32_t kIv[8] = {0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A,
                                         0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19};

inline constexpr std::size_t kRounds = 7;

// Round r reads message word kSchedule[r][i] where round 0 reads word i:
// between rounds the spec permutes the message words by kPermutation.
inline constexpr std::array<std::uint8_t, 16> kPermutation = {2, 6,  3,  10, 7, 0,  4,  13,
                                                              1, 11, 12, 5,  9, 14, 15, 8};

inline constexpr auto kSchedule = [] {
  std::array<std::array<std::uint8_t, 16>, kRounds> schedule{};
  for (std::uint8_t i = 0; i < 16; ++i) schedule[0][i] = i;
  for (std::size_t r = 1; r < kRounds; ++r) {
    for (std::size_t i = 0; i < 16; ++i) schedule[r][i] = schedule[r - 1][kPermutation[i]];
  }
  return schedule;
}();

// Helpers with internal linkage: the SIMD backend files include this header
// while compiled for their own instruction sets, and must not share
// (ODR-merge) any function with the portable code.
namespace {

inline constexpr std::uint32_t counter_low(std::uint64_t counter) {
  return static_cast<std::uint32_t>(counter);
}
inline constexpr std::uint32_t counter_high(std::uint64_t counter) {
  return static_cast<std::uint32_t>(counter >> 32);
}

inline std::uint32_t load_le32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

inline void store_le32(std::uint8_t* p, std::uint32_t w) {
  p[0] = static_cast<std::uint8_t>(w);
  p[1] = static_cast<std::uint8_t>(w >> 8);
  p[2] = static_cast<std::uint8_t>(w >> 16);
  p[3] = static_cast<std::uint8_t>(w >> 24);
}

inline void load_key_words(const std::uint8_t key[kKeyLen], std::uint32_t words[8]) {
  for (int i = 0; i < 8; ++i) words[i] = load_le32(key + 4 * i);
}

inline void store_cv_words(const std::uint32_t words[8], std::uint8_t out[kOutLen]) {
  for (int i = 0; i < 8; ++i) store_le32(out + 4 * i, words[i]);
}

}  // namespace
}  // namespace model_signing::hash::blake3
