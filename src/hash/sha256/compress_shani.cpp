// SHA-256 compression with the x86 SHA extensions (SHA256RNDS2, SHA256MSG1,
// SHA256MSG2), for one input or two interleaved. Compiled with -msha
// -msse4.1; only called after the dispatcher has seen the CPU support them.
//
// SHA256RNDS2 keeps the eight working variables in two registers, {A,B,E,F}
// and {C,D,G,H} (highest lane first), and does two rounds with the two
// message-plus-constant words in the low half of its third operand; the
// {A,B,E,F} it returns is the new first register and the old one becomes
// {C,D,G,H}. The message schedule W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) +
// W[t-16] is computed four words at a time with SHA256MSG1 (the s0 part),
// an add of W[t-7..t-4] and SHA256MSG2 (the s1 part).
#include <immintrin.h>

#include "hash/sha256/sha256_kernels.h"

namespace model_signing::hash::sha256 {

namespace {

// Bytes ahead of the block being hashed that are prefetched: about two
// microseconds of hashing, enough to cover a miss to memory.
constexpr std::size_t kPrefetchDistance = 4096;

struct Lane {
  __m128i abef;
  __m128i cdgh;
};

inline Lane load_state(const std::uint32_t state[8]) {
  // Memory holds a b c d | e f g h, lowest lane first.
  __m128i badc = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state)), 0xB1);
  __m128i hgfe =
      _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4)), 0x1B);
  return {_mm_alignr_epi8(badc, hgfe, 8), _mm_blend_epi16(hgfe, badc, 0xF0)};
}

inline void store_state(const Lane& lane, std::uint32_t state[8]) {
  __m128i feba = _mm_shuffle_epi32(lane.abef, 0x1B);
  __m128i dchg = _mm_shuffle_epi32(lane.cdgh, 0xB1);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_blend_epi16(feba, dchg, 0xF0));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), _mm_alignr_epi8(dchg, feba, 8));
}

// Compresses `blocks` blocks of each of the N inputs into its lane; the
// lanes' instructions interleave, so one lane's rounds fill the other's
// latency.
template <int N>
inline void compress_lanes(Lane (&lanes)[N], const std::uint8_t* const (&inputs)[N],
                           std::size_t blocks) {
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  for (std::size_t b = 0; b < blocks; ++b) {
    Lane saved[N];
    __m128i w[N][4];  // the last sixteen schedule words, four per register
    for (int l = 0; l < N; ++l) {
      saved[l] = lanes[l];
      const std::uint8_t* block = inputs[l] + b * kBlockSize;
      _mm_prefetch(reinterpret_cast<const char*>(block + kPrefetchDistance), _MM_HINT_T0);
      for (int j = 0; j < 4; ++j) {
        w[l][j] = _mm_shuffle_epi8(
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * j)), byte_swap);
      }
    }
#pragma GCC unroll 16
    for (int i = 0; i < 16; ++i) {
      const __m128i k = _mm_load_si128(reinterpret_cast<const __m128i*>(kRoundConstants + 4 * i));
#pragma GCC unroll 2
      for (int l = 0; l < N; ++l) {
        if (i >= 4) {
          // W[4i..4i+3] from W[4i-16..4i-1], which sit in w[l][i%4] (oldest)
          // through w[l][(i+3)%4] (newest).
          __m128i x = _mm_sha256msg1_epu32(w[l][i % 4], w[l][(i + 1) % 4]);
          x = _mm_add_epi32(x, _mm_alignr_epi8(w[l][(i + 3) % 4], w[l][(i + 2) % 4], 4));
          w[l][i % 4] = _mm_sha256msg2_epu32(x, w[l][(i + 3) % 4]);
        }
        const __m128i wk = _mm_add_epi32(w[l][i % 4], k);
        lanes[l].cdgh = _mm_sha256rnds2_epu32(lanes[l].cdgh, lanes[l].abef, wk);
        lanes[l].abef =
            _mm_sha256rnds2_epu32(lanes[l].abef, lanes[l].cdgh, _mm_shuffle_epi32(wk, 0x0E));
      }
    }
    for (int l = 0; l < N; ++l) {
      lanes[l].abef = _mm_add_epi32(lanes[l].abef, saved[l].abef);
      lanes[l].cdgh = _mm_add_epi32(lanes[l].cdgh, saved[l].cdgh);
    }
  }
}

}  // namespace

void compress_shani(std::uint32_t state[8], const std::uint8_t* data, std::size_t blocks) {
  Lane lanes[1] = {load_state(state)};
  const std::uint8_t* const inputs[1] = {data};
  compress_lanes(lanes, inputs, blocks);
  store_state(lanes[0], state);
}

void compress_shani_pair(std::uint32_t state_a[8], const std::uint8_t* a,
                         std::uint32_t state_b[8], const std::uint8_t* b, std::size_t blocks) {
  Lane lanes[2] = {load_state(state_a), load_state(state_b)};
  const std::uint8_t* const inputs[2] = {a, b};
  compress_lanes(lanes, inputs, blocks);
  store_state(lanes[0], state_a);
  store_state(lanes[1], state_b);
}

}  // namespace model_signing::hash::sha256
