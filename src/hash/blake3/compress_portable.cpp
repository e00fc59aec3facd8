// The portable backend: the compression function of the spec on 32-bit words.
#include "hash/blake3/backend_kernels.h"
#include "hash/blake3/blake3_constants.h"

namespace model_signing::hash::blake3::portable {

namespace {

inline std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

// The quarter-round G of the spec on state words a, b, c, d with message words x, y.
inline void g(std::uint32_t v[16], int a, int b, int c, int d, std::uint32_t x, std::uint32_t y) {
  v[a] = v[a] + v[b] + x;
  v[d] = rotr(v[d] ^ v[a], 16);
  v[c] = v[c] + v[d];
  v[b] = rotr(v[b] ^ v[c], 12);
  v[a] = v[a] + v[b] + y;
  v[d] = rotr(v[d] ^ v[a], 8);
  v[c] = v[c] + v[d];
  v[b] = rotr(v[b] ^ v[c], 7);
}

inline void round(std::uint32_t v[16], const std::uint32_t m[16], const std::uint8_t* s) {
  // Columns, then diagonals.
  g(v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
  g(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
  g(v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
  g(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
  g(v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
  g(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
  g(v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
  g(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
}

// Runs the seven rounds; the caller derives its output from the final state.
inline void permute_state(const std::uint32_t cv[8], const std::uint8_t block[64],
                          std::uint8_t block_len, std::uint64_t counter, std::uint8_t flags,
                          std::uint32_t v[16]) {
  std::uint32_t m[16];
  for (int i = 0; i < 16; ++i) m[i] = load_le32(block + 4 * i);
  for (int i = 0; i < 8; ++i) v[i] = cv[i];
  for (int i = 0; i < 4; ++i) v[8 + i] = kIv[i];
  v[12] = counter_low(counter);
  v[13] = counter_high(counter);
  v[14] = block_len;
  v[15] = flags;
#pragma GCC unroll 7
  for (std::size_t r = 0; r < kRounds; ++r) round(v, m, kSchedule[r].data());
}

}  // namespace

void compress_in_place(std::uint32_t cv[8], const std::uint8_t block[64], std::uint8_t block_len,
                       std::uint64_t counter, std::uint8_t flags) {
  std::uint32_t v[16];
  permute_state(cv, block, block_len, counter, flags, v);
  for (int i = 0; i < 8; ++i) cv[i] = v[i] ^ v[i + 8];
}

void compress_xof(const std::uint32_t cv[8], const std::uint8_t block[64], std::uint8_t block_len,
                  std::uint64_t counter, std::uint8_t flags, std::uint8_t out[64]) {
  std::uint32_t v[16];
  permute_state(cv, block, block_len, counter, flags, v);
  for (int i = 0; i < 8; ++i) {
    store_le32(out + 4 * i, v[i] ^ v[i + 8]);
    store_le32(out + 32 + 4 * i, v[i + 8] ^ cv[i]);
  }
}

void hash_many(const std::uint8_t* const* inputs, std::size_t count, std::size_t blocks,
               const std::uint32_t key[8], std::uint64_t counter, bool increment_counter,
               std::uint8_t flags, std::uint8_t flags_start, std::uint8_t flags_end,
               std::uint8_t* out) {
  for (std::size_t i = 0; i < count; ++i) {
    std::uint32_t cv[8];
    for (int w = 0; w < 8; ++w) cv[w] = key[w];
    for (std::size_t b = 0; b < blocks; ++b) {
      std::uint8_t block_flags = flags;
      if (b == 0) block_flags |= flags_start;
      if (b + 1 == blocks) block_flags |= flags_end;
      compress_in_place(cv, inputs[i] + b * kBlockLen, kBlockLen, counter, block_flags);
    }
    store_cv_words(cv, out + i * kOutLen);
    if (increment_counter) ++counter;
  }
}

}  // namespace model_signing::hash::blake3::portable
