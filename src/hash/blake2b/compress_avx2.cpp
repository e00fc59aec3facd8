// BLAKE2b compression with AVX2, for one input or two interleaved: the
// fallback SIMD kernels for CPUs without AVX-512. Compiled with -mavx2; only
// called after the dispatcher has seen the CPU (and OS) support it.
//
// Same row layout as compress_avx512.cpp (rows a, b, c, d of four 64-bit
// lanes, diagonalizing by rotating a, c and d), one set of YMM rows per
// input; two inputs are two independent dependency chains whose
// instructions interleave. AVX2 has no 64-bit rotate: 32 is a dword
// shuffle, 24 and 16 byte shuffles, 63 a shift, an add and an or. Each
// step's four message words are broadcast straight from the block (loads,
// no shuffle port) and blended together.
#include <immintrin.h>

#include <cstring>

#include "hash/blake2b/blake2b_kernels.h"

namespace model_signing::hash::blake2b {

namespace {

// Bytes ahead of the block being hashed that are prefetched (see
// compress_avx512.cpp).
constexpr std::size_t kPrefetchDistance = 4096;

struct Rows {
  __m256i a, b, c, d;
};

inline __m256i ror32(__m256i x) { return _mm256_shuffle_epi32(x, _MM_SHUFFLE(2, 3, 0, 1)); }
inline __m256i ror24(__m256i x) {
  const __m256i m = _mm256_setr_epi8(3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10, 3, 4, 5,
                                     6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10);
  return _mm256_shuffle_epi8(x, m);
}
inline __m256i ror16(__m256i x) {
  const __m256i m = _mm256_setr_epi8(2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9, 2, 3, 4,
                                     5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9);
  return _mm256_shuffle_epi8(x, m);
}
inline __m256i ror63(__m256i x) {
  return _mm256_or_si256(_mm256_srli_epi64(x, 63), _mm256_add_epi64(x, x));
}

// a + m, then + b, as in compress_avx512.cpp (the asm keeps the compiler
// from reassociating it so that two adds wait for b).
inline __m256i add_message(__m256i a, __m256i m, __m256i b) {
  a = _mm256_add_epi64(a, m);
  __asm__("" : "+x"(a));
  return _mm256_add_epi64(a, b);
}

inline void g(Rows& v, __m256i x, __m256i y) {
  v.a = add_message(v.a, x, v.b);
  v.d = ror32(_mm256_xor_si256(v.d, v.a));
  v.c = _mm256_add_epi64(v.c, v.d);
  v.b = ror24(_mm256_xor_si256(v.b, v.c));
  v.a = add_message(v.a, y, v.b);
  v.d = ror16(_mm256_xor_si256(v.d, v.a));
  v.c = _mm256_add_epi64(v.c, v.d);
  v.b = ror63(_mm256_xor_si256(v.b, v.c));
}

// Lane j takes lane j-1, j+1, j+2 (mod 4).
constexpr int kFromPrevious = _MM_SHUFFLE(2, 1, 0, 3);
constexpr int kFromNext = _MM_SHUFFLE(0, 3, 2, 1);
constexpr int kFromOpposite = _MM_SHUFFLE(1, 0, 3, 2);

inline void diagonalize(Rows& v) {
  v.a = _mm256_permute4x64_epi64(v.a, kFromPrevious);
  v.c = _mm256_permute4x64_epi64(v.c, kFromNext);
  v.d = _mm256_permute4x64_epi64(v.d, kFromOpposite);
}
inline void undiagonalize(Rows& v) {
  v.a = _mm256_permute4x64_epi64(v.a, kFromNext);
  v.c = _mm256_permute4x64_epi64(v.c, kFromPrevious);
  v.d = _mm256_permute4x64_epi64(v.d, kFromOpposite);
}

inline __m256i word(const std::uint8_t* block, int i) {
  long long w;
  std::memcpy(&w, block + 8 * i, sizeof w);
  return _mm256_set1_epi64x(w);
}

// Message words w0..w3 of `block` in lanes 0..3.
inline __m256i words(const std::uint8_t* block, int w0, int w1, int w2, int w3) {
  __m256i low = _mm256_blend_epi32(word(block, w0), word(block, w1), 0x0C);
  __m256i high = _mm256_blend_epi32(word(block, w2), word(block, w3), 0xC0);
  return _mm256_blend_epi32(low, high, 0xF0);
}

// Compresses `blocks` blocks of each of the N inputs into its state; with
// `Last`, one block per input, its last, the counter already its length.
template <int N, bool Last = false>
inline void compress_lanes(std::uint64_t* const (&states)[N], std::uint64_t* const (&counters)[N],
                           const std::uint8_t* const (&inputs)[N], std::size_t blocks) {
  const __m256i iv0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kIv));
  const __m256i iv1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kIv + 4));
  __m256i h0[N], h1[N];
  std::uint64_t t[N][2];
  for (int l = 0; l < N; ++l) {
    h0[l] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(states[l]));
    h1[l] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(states[l] + 4));
    t[l][0] = counters[l][0];
    t[l][1] = counters[l][1];
  }
  for (std::size_t n = 0; n < blocks; ++n) {
    Rows v[N];
    const std::uint8_t* block[N];
    for (int l = 0; l < N; ++l) {
      block[l] = inputs[l] + n * kBlockSize;
      _mm_prefetch(reinterpret_cast<const char*>(block[l] + kPrefetchDistance), _MM_HINT_T0);
      _mm_prefetch(reinterpret_cast<const char*>(block[l] + kPrefetchDistance + 64), _MM_HINT_T0);
      if (!Last) advance(t[l], kBlockSize);
      v[l].a = h0[l];
      v[l].b = h1[l];
      v[l].c = iv0;
      v[l].d = _mm256_xor_si256(iv1, _mm256_set_epi64x(0, Last ? -1 : 0,
                                                        static_cast<long long>(t[l][1]),
                                                        static_cast<long long>(t[l][0])));
    }
#pragma GCC unroll 12
    for (int r = 0; r < kRounds; ++r) {
      const std::uint8_t* s = kSigma[r];
#pragma GCC unroll 2
      for (int l = 0; l < N; ++l) {
        g(v[l], words(block[l], s[0], s[2], s[4], s[6]), words(block[l], s[1], s[3], s[5], s[7]));
        diagonalize(v[l]);
      }
      // Lanes 0..3 of the diagonal step are G7, G4, G5, G6.
#pragma GCC unroll 2
      for (int l = 0; l < N; ++l) {
        g(v[l], words(block[l], s[14], s[8], s[10], s[12]),
          words(block[l], s[15], s[9], s[11], s[13]));
        undiagonalize(v[l]);
      }
    }
    for (int l = 0; l < N; ++l) {
      h0[l] = _mm256_xor_si256(h0[l], _mm256_xor_si256(v[l].a, v[l].c));
      h1[l] = _mm256_xor_si256(h1[l], _mm256_xor_si256(v[l].b, v[l].d));
    }
  }
  for (int l = 0; l < N; ++l) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(states[l]), h0[l]);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(states[l] + 4), h1[l]);
    counters[l][0] = t[l][0];
    counters[l][1] = t[l][1];
  }
}

}  // namespace

void compress_avx2(std::uint64_t state[8], std::uint64_t counter[2], const std::uint8_t* data,
                   std::size_t blocks) {
  std::uint64_t* const states[1] = {state};
  std::uint64_t* const counters[1] = {counter};
  const std::uint8_t* const inputs[1] = {data};
  compress_lanes(states, counters, inputs, blocks);
}

void compress_last_avx2(std::uint64_t state[8], const std::uint64_t counter[2],
                        const std::uint8_t block[kBlockSize]) {
  std::uint64_t t[2] = {counter[0], counter[1]};
  std::uint64_t* const states[1] = {state};
  std::uint64_t* const counters[1] = {t};
  const std::uint8_t* const inputs[1] = {block};
  compress_lanes<1, true>(states, counters, inputs, 1);
}

void compress_avx2_pair(std::uint64_t state_a[8], std::uint64_t counter_a[2],
                        const std::uint8_t* a, std::uint64_t state_b[8],
                        std::uint64_t counter_b[2], const std::uint8_t* b, std::size_t blocks) {
  std::uint64_t* const states[2] = {state_a, state_b};
  std::uint64_t* const counters[2] = {counter_a, counter_b};
  const std::uint8_t* const inputs[2] = {a, b};
  compress_lanes(states, counters, inputs, blocks);
}

}  // namespace model_signing::hash::blake2b
