// Plain C++ BLAKE2b compression, straight from RFC 7693: the reference the
// SIMD kernels are tested against, and the fallback where they cannot run.
#include <bit>

#include "hash/blake2b/blake2b_kernels.h"

namespace model_signing::hash::blake2b {

namespace {

std::uint64_t load_le64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// The mixing function G on v[a], v[b], v[c], v[d] with message words x, y.
inline void g(std::uint64_t v[16], int a, int b, int c, int d, std::uint64_t x, std::uint64_t y) {
  v[a] = v[a] + v[b] + x;
  v[d] = std::rotr(v[d] ^ v[a], 32);
  v[c] = v[c] + v[d];
  v[b] = std::rotr(v[b] ^ v[c], 24);
  v[a] = v[a] + v[b] + y;
  v[d] = std::rotr(v[d] ^ v[a], 16);
  v[c] = v[c] + v[d];
  v[b] = std::rotr(v[b] ^ v[c], 63);
}

// F: one block into h, with t = counter and the final flag if `last`.
inline void compress_block(std::uint64_t h[8], const std::uint8_t* block, std::uint64_t t0,
                           std::uint64_t t1, bool last) {
  std::uint64_t m[16];
  for (int i = 0; i < 16; ++i) m[i] = load_le64(block + 8 * i);
  std::uint64_t v[16];
  for (int i = 0; i < 8; ++i) {
    v[i] = h[i];
    v[i + 8] = kIv[i];
  }
  v[12] ^= t0;
  v[13] ^= t1;
  if (last) v[14] = ~v[14];
#pragma GCC unroll 12
  for (int r = 0; r < kRounds; ++r) {
    const std::uint8_t* s = kSigma[r];
    g(v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
    g(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
    g(v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
    g(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
    g(v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
    g(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
    g(v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
    g(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
  }
  for (int i = 0; i < 8; ++i) h[i] ^= v[i] ^ v[i + 8];
}

}  // namespace

void compress_portable(std::uint64_t state[8], std::uint64_t counter[2], const std::uint8_t* data,
                       std::size_t blocks) {
  for (std::size_t b = 0; b < blocks; ++b, data += kBlockSize) {
    advance(counter, kBlockSize);
    compress_block(state, data, counter[0], counter[1], false);
  }
}

void compress_last_portable(std::uint64_t state[8], const std::uint64_t counter[2],
                            const std::uint8_t block[kBlockSize]) {
  compress_block(state, block, counter[0], counter[1], true);
}

}  // namespace model_signing::hash::blake2b
