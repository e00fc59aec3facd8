// The SSE4.1 backend: 4 inputs at once; fewer go to the portable backend.
// Compiled with -msse4.1; only called when the CPU has it.
#include <immintrin.h>

#include "hash/blake3/backend_kernels.h"
#include "hash/blake3/simd_lanes.h"

namespace model_signing::hash::blake3::sse41 {

namespace {

struct Lanes4 {
  using reg = __m128i;
  static constexpr std::size_t kLanes = 4;

  static reg add(reg a, reg b) { return _mm_add_epi32(a, b); }
  static reg xor_(reg a, reg b) { return _mm_xor_si128(a, b); }
  static reg set1(std::uint32_t x) { return _mm_set1_epi32(static_cast<int>(x)); }
  static reg rotr16(reg x) {
    return _mm_shuffle_epi8(x, _mm_setr_epi8(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13));
  }
  static reg rotr8(reg x) {
    return _mm_shuffle_epi8(x, _mm_setr_epi8(1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12));
  }
  static reg rotr12(reg x) { return _mm_or_si128(_mm_srli_epi32(x, 12), _mm_slli_epi32(x, 20)); }
  static reg rotr7(reg x) { return _mm_or_si128(_mm_srli_epi32(x, 7), _mm_slli_epi32(x, 25)); }

  // Rows r[0..3] become columns: r[j] lane i = old r[i] lane j.
  static void transpose4(reg r[4]) {
    reg t0 = _mm_unpacklo_epi32(r[0], r[1]);  // a0 b0 a1 b1
    reg t1 = _mm_unpackhi_epi32(r[0], r[1]);  // a2 b2 a3 b3
    reg t2 = _mm_unpacklo_epi32(r[2], r[3]);  // c0 d0 c1 d1
    reg t3 = _mm_unpackhi_epi32(r[2], r[3]);  // c2 d2 c3 d3
    r[0] = _mm_unpacklo_epi64(t0, t2);
    r[1] = _mm_unpackhi_epi64(t0, t2);
    r[2] = _mm_unpacklo_epi64(t1, t3);
    r[3] = _mm_unpackhi_epi64(t1, t3);
  }

  static void load_message(const std::uint8_t* const* inputs, std::size_t offset, reg m[16]) {
    for (int quarter = 0; quarter < 4; ++quarter) {
      reg* r = m + 4 * quarter;
      for (int i = 0; i < 4; ++i) {
        r[i] = _mm_loadu_si128(reinterpret_cast<const reg*>(inputs[i] + offset + 16 * quarter));
      }
      transpose4(r);
    }
    for (int i = 0; i < 4; ++i) {
      _mm_prefetch(reinterpret_cast<const char*>(inputs[i] + offset + 256), _MM_HINT_T0);
    }
  }

  static void counters(std::uint64_t counter, bool increment, reg& low, reg& high) {
    alignas(16) std::uint32_t lo[kLanes], hi[kLanes];
    lane_counters<Lanes4>(counter, increment, lo, hi);
    low = _mm_load_si128(reinterpret_cast<const reg*>(lo));
    high = _mm_load_si128(reinterpret_cast<const reg*>(hi));
  }

  static void store_cvs(const reg h[8], std::uint8_t* out) {
    reg lo[4] = {h[0], h[1], h[2], h[3]};
    reg hi[4] = {h[4], h[5], h[6], h[7]};
    transpose4(lo);
    transpose4(hi);
    for (int i = 0; i < 4; ++i) {
      _mm_storeu_si128(reinterpret_cast<reg*>(out + 32 * i), lo[i]);
      _mm_storeu_si128(reinterpret_cast<reg*>(out + 32 * i + 16), hi[i]);
    }
  }
};

}  // namespace

void hash_many(const std::uint8_t* const* inputs, std::size_t count, std::size_t blocks,
               const std::uint32_t key[8], std::uint64_t counter, bool increment_counter,
               std::uint8_t flags, std::uint8_t flags_start, std::uint8_t flags_end,
               std::uint8_t* out) {
  hash_many_lanes<Lanes4, 2, portable::hash_many>(
      inputs, count, blocks, key, counter, increment_counter, flags, flags_start, flags_end, out);
}

}  // namespace model_signing::hash::blake3::sse41
