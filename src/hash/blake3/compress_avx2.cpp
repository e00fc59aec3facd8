// The AVX2 backend: 8 inputs at once; fewer go to SSE4.1. Compiled with
// -mavx2; only called when the CPU and OS support it.
//
// Two many-inputs kernels (backend.cpp picks hash_many; the tests and
// blake3_bench run both):
//
//   hash_many       one register group of 8 inputs at a time, the next
//                   block's loads and transposition spread over the rounds of
//                   the current one, the next batches prefetched
//                   (hash_batches_pipelined in simd_lanes.h). The 16 state
//                   words fill AVX2's 16 registers; the message words are
//                   read from memory.
//   hash_many_wide  two groups interleaved (hash_lanes<Lanes8, 2>): 64 values
//                   for 16 registers, so it spills. It beat one group that
//                   loaded each block in one piece on a 2-core Intel VM
//                   (2.9 -> 3.4 GB/s), but on a 2-core AMD EPYC (Zen 3) VM
//                   it made 1.0-1.1 GB/s where the pipelined kernel made
//                   2.1-2.3 GB/s (in cache and from memory, same process).
#include <immintrin.h>

#include "hash/blake3/backend_kernels.h"
#include "hash/blake3/simd_lanes.h"

namespace model_signing::hash::blake3::avx2 {

namespace {

struct Lanes8 {
  using reg = __m256i;
  static constexpr std::size_t kLanes = 8;

  static reg add(reg a, reg b) { return _mm256_add_epi32(a, b); }
  static reg xor_(reg a, reg b) { return _mm256_xor_si256(a, b); }
  static reg set1(std::uint32_t x) { return _mm256_set1_epi32(static_cast<int>(x)); }
  static reg rotr16(reg x) {
    return _mm256_shuffle_epi8(
        x, _mm256_setr_epi8(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 2, 3, 0, 1, 6, 7,
                            4, 5, 10, 11, 8, 9, 14, 15, 12, 13));
  }
  static reg rotr8(reg x) {
    return _mm256_shuffle_epi8(
        x, _mm256_setr_epi8(1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12, 1, 2, 3, 0, 5, 6,
                            7, 4, 9, 10, 11, 8, 13, 14, 15, 12));
  }
  static reg rotr12(reg x) {
    return _mm256_or_si256(_mm256_srli_epi32(x, 12), _mm256_slli_epi32(x, 20));
  }
  static reg rotr7(reg x) {
    return _mm256_or_si256(_mm256_srli_epi32(x, 7), _mm256_slli_epi32(x, 25));
  }

  // Rows r[0..7] become columns: r[j] lane i = old r[i] lane j.
  static void transpose8(reg r[8]) {
    reg t[8], u[8];
    for (int k = 0; k < 4; ++k) {
      t[2 * k] = _mm256_unpacklo_epi32(r[2 * k], r[2 * k + 1]);      // a0 b0 a1 b1 | a4 b4 a5 b5
      t[2 * k + 1] = _mm256_unpackhi_epi32(r[2 * k], r[2 * k + 1]);  // a2 b2 a3 b3 | a6 b6 a7 b7
    }
    for (int k = 0; k < 2; ++k) {
      // Words 0|4, 1|5, 2|6, 3|7 of inputs 4k..4k+3.
      u[4 * k + 0] = _mm256_unpacklo_epi64(t[4 * k], t[4 * k + 2]);
      u[4 * k + 1] = _mm256_unpackhi_epi64(t[4 * k], t[4 * k + 2]);
      u[4 * k + 2] = _mm256_unpacklo_epi64(t[4 * k + 1], t[4 * k + 3]);
      u[4 * k + 3] = _mm256_unpackhi_epi64(t[4 * k + 1], t[4 * k + 3]);
    }
    for (int w = 0; w < 4; ++w) {
      r[w] = _mm256_permute2x128_si256(u[w], u[4 + w], 0x20);
      r[w + 4] = _mm256_permute2x128_si256(u[w], u[4 + w], 0x31);
    }
  }

  static void load_message(const std::uint8_t* const* inputs, std::size_t offset, reg m[16]) {
    for (int half = 0; half < 2; ++half) {
      reg* r = m + 8 * half;
      for (int i = 0; i < 8; ++i) {
        r[i] = _mm256_loadu_si256(reinterpret_cast<const reg*>(inputs[i] + offset + 32 * half));
      }
      transpose8(r);
    }
    for (int i = 0; i < 8; ++i) {
      _mm_prefetch(reinterpret_cast<const char*>(inputs[i] + offset + 256), _MM_HINT_T0);
    }
  }

  // The pipelined kernel loads the next block in kParts pieces: part 2h
  // loads rows 0-3 of the block's half h (32 bytes each) and does their
  // 32- and 64-bit unpacks, part 2h + 1 the same for rows 4-7, and part
  // 4 + h swaps the 128-bit lanes of half h: together, load_message. Parts
  // 0-3 also prefetch their rows (see hash_batches_pipelined).
  static constexpr int kParts = 6;
  // Two batches of 8 chunks (16 KiB) ahead, into L2, as for AVX-512.
  static constexpr std::size_t kPrefetchBatches = 2;

  template <class Inputs>
  static MS_BLAKE3_INLINE void load_part(Inputs inputs, std::size_t offset, Prefetch prefetch,
                                         int part, reg m[16]) {
    if (part < 4) {
      const int half = part / 2, quad = part % 2;
      const Inputs rows = inputs + 4 * quad;
      const std::size_t at = offset + 32 * half;
      reg r[4];
      for (int i = 0; i < 4; ++i) {
        r[i] = _mm256_loadu_si256(reinterpret_cast<const reg*>(rows[i] + at));
      }
      // A row's block is one cache line: prefetched with the first half.
      if (half == 0) prefetch_rows4(rows, offset, prefetch);
      reg t0 = _mm256_unpacklo_epi32(r[0], r[1]);
      reg t1 = _mm256_unpackhi_epi32(r[0], r[1]);
      reg t2 = _mm256_unpacklo_epi32(r[2], r[3]);
      reg t3 = _mm256_unpackhi_epi32(r[2], r[3]);
      reg* u = m + 8 * half + 4 * quad;
      u[0] = _mm256_unpacklo_epi64(t0, t2);
      u[1] = _mm256_unpackhi_epi64(t0, t2);
      u[2] = _mm256_unpacklo_epi64(t1, t3);
      u[3] = _mm256_unpackhi_epi64(t1, t3);
    } else {
      reg* u = m + 8 * (part - 4);
      reg out[8];
      for (int w = 0; w < 4; ++w) {
        out[w] = _mm256_permute2x128_si256(u[w], u[4 + w], 0x20);
        out[w + 4] = _mm256_permute2x128_si256(u[w], u[4 + w], 0x31);
      }
      for (int i = 0; i < 8; ++i) u[i] = out[i];
    }
  }

  static void counters(std::uint64_t counter, bool increment, reg& low, reg& high) {
    alignas(32) std::uint32_t lo[kLanes], hi[kLanes];
    lane_counters<Lanes8>(counter, increment, lo, hi);
    low = _mm256_load_si256(reinterpret_cast<const reg*>(lo));
    high = _mm256_load_si256(reinterpret_cast<const reg*>(hi));
  }

  static void store_cvs(const reg h[8], std::uint8_t* out) {
    reg r[8];
    for (int i = 0; i < 8; ++i) r[i] = h[i];
    transpose8(r);
    for (int i = 0; i < 8; ++i) _mm256_storeu_si256(reinterpret_cast<reg*>(out + 32 * i), r[i]);
  }
};

}  // namespace

void hash_many(const std::uint8_t* const* inputs, std::size_t count, std::size_t blocks,
               const std::uint32_t key[8], std::uint64_t counter, bool increment_counter,
               std::uint8_t flags, std::uint8_t flags_start, std::uint8_t flags_end,
               std::uint8_t* out) {
  hash_many_pipelined<Lanes8, sse41::hash_many>(
      inputs, count, blocks, key, counter, increment_counter, flags, flags_start, flags_end, out);
}

void hash_many_wide(const std::uint8_t* const* inputs, std::size_t count, std::size_t blocks,
                    const std::uint32_t key[8], std::uint64_t counter, bool increment_counter,
                    std::uint8_t flags, std::uint8_t flags_start, std::uint8_t flags_end,
                    std::uint8_t* out) {
  hash_many_lanes<Lanes8, 2, sse41::hash_many>(
      inputs, count, blocks, key, counter, increment_counter, flags, flags_start, flags_end, out);
}

}  // namespace model_signing::hash::blake3::avx2
