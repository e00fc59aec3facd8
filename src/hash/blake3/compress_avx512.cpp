// The AVX-512 backend: 16 inputs at once; fewer go to AVX2. Compiled with
// -mavx512f -mavx512vl; only called when the CPU and OS support both.
//
// Two many-inputs kernels, picked per CPU by the dispatcher (backend.cpp):
//
//   hash_many       one register group of 16 inputs at a time, the next
//                   block's loads and transposition spread over the rounds of
//                   the current one, the next batches prefetched
//                   (hash_batches_pipelined in simd_lanes.h). For Intel
//                   cores: two 512-bit ALU ports, which four G chains keep
//                   busy, and two groups need 64 registers and spill.
//   hash_many_wide  two groups interleaved (hash_lanes<Lanes16, 2>): twice
//                   the independent chains, for cores with more 512-bit pipes
//                   (AMD Zen 5, where it was measured best).
//
// On a 2-core Xeon VM (AVX-512, 3.3 GHz), same session, wide -> pipelined:
// blake3_bench Hash/avx512/262144 5.7 -> 5.95 GB/s, 16 MiB 4.65 -> 5.55 GB/s;
// a warm 2 GiB file through 4 MiB mapped windows 3.4 -> 4.8 GB/s (most of it
// the prefetching: the wide kernel's 4 blocks ahead left each batch waiting
// on memory).
#include <immintrin.h>

#include "hash/blake3/backend_kernels.h"
#include "hash/blake3/simd_lanes.h"

namespace model_signing::hash::blake3::avx512 {

namespace {

struct Lanes16 {
  using reg = __m512i;
  static constexpr std::size_t kLanes = 16;

  static reg add(reg a, reg b) { return _mm512_add_epi32(a, b); }
  static reg xor_(reg a, reg b) { return _mm512_xor_si512(a, b); }
  static reg set1(std::uint32_t x) { return _mm512_set1_epi32(static_cast<int>(x)); }
  static reg rotr16(reg x) { return _mm512_ror_epi32(x, 16); }
  static reg rotr12(reg x) { return _mm512_ror_epi32(x, 12); }
  static reg rotr8(reg x) { return _mm512_ror_epi32(x, 8); }
  static reg rotr7(reg x) { return _mm512_ror_epi32(x, 7); }

  // Rows r[0..15] become columns: r[j] lane i = old r[i] lane j. In two
  // steps: transpose_rows4 on each four rows, then transpose_lanes128 for
  // each word w.
  static void transpose16(reg r[16]) {
    for (int j = 0; j < 4; ++j) transpose_rows4(r + 4 * j, r + 4 * j);
    for (int w = 0; w < 4; ++w) transpose_lanes128(r, w);
  }

  // Rows r[0..3] (4j..4j+3 of the block), transposed within each 128-bit
  // lane L: u[w] lane L = word 4L + w of the four rows. `u` may be `r`.
  static MS_BLAKE3_INLINE void transpose_rows4(const reg r[4], reg u[4]) {
    // t0/t2: words 4L, 4L+1 of rows 0,1 / 2,3 interleaved; t1/t3: 4L+2, 4L+3.
    reg t0 = _mm512_unpacklo_epi32(r[0], r[1]);
    reg t1 = _mm512_unpackhi_epi32(r[0], r[1]);
    reg t2 = _mm512_unpacklo_epi32(r[2], r[3]);
    reg t3 = _mm512_unpackhi_epi32(r[2], r[3]);
    u[0] = _mm512_unpacklo_epi64(t0, t2);
    u[1] = _mm512_unpackhi_epi64(t0, t2);
    u[2] = _mm512_unpacklo_epi64(t1, t3);
    u[3] = _mm512_unpackhi_epi64(t1, t3);
  }

  // After transpose_rows4 on all four row groups: for word w, a 4x4
  // transpose of 128-bit lanes, in place (128-bit lane j of m[4L + w] = lane
  // L of old m[4j + w]), in two rounds of shuffles picking the even and the
  // odd lanes.
  static MS_BLAKE3_INLINE void transpose_lanes128(reg m[16], int w) {
    reg even01 = _mm512_shuffle_i32x4(m[w], m[4 + w], _MM_SHUFFLE(2, 0, 2, 0));
    reg odd01 = _mm512_shuffle_i32x4(m[w], m[4 + w], _MM_SHUFFLE(3, 1, 3, 1));
    reg even23 = _mm512_shuffle_i32x4(m[8 + w], m[12 + w], _MM_SHUFFLE(2, 0, 2, 0));
    reg odd23 = _mm512_shuffle_i32x4(m[8 + w], m[12 + w], _MM_SHUFFLE(3, 1, 3, 1));
    m[w] = _mm512_shuffle_i32x4(even01, even23, _MM_SHUFFLE(2, 0, 2, 0));
    m[8 + w] = _mm512_shuffle_i32x4(even01, even23, _MM_SHUFFLE(3, 1, 3, 1));
    m[4 + w] = _mm512_shuffle_i32x4(odd01, odd23, _MM_SHUFFLE(2, 0, 2, 0));
    m[12 + w] = _mm512_shuffle_i32x4(odd01, odd23, _MM_SHUFFLE(3, 1, 3, 1));
  }

  static void load_message(const std::uint8_t* const* inputs, std::size_t offset, reg m[16]) {
    for (int i = 0; i < 16; ++i) m[i] = _mm512_loadu_si512(inputs[i] + offset);
    for (int i = 0; i < 16; ++i) {
      _mm_prefetch(reinterpret_cast<const char*>(inputs[i] + offset + 256), _MM_HINT_T0);
    }
    transpose16(m);
  }

  // The pipelined kernel loads the next block in kParts pieces: part p < 4
  // loads rows 4p..4p+3 and transposes them within 128-bit lanes
  // (transpose_rows4), part 4 + w does the 128-bit lane shuffles of word w
  // (transpose_lanes128): together, transpose16 of the loaded block.
  // Parts 0-3 also prefetch their rows (see hash_batches_pipelined).
  static constexpr int kParts = 8;
  // Two batches of 16 chunks (32 KiB) ahead, into L2: one batch takes about
  // as long as a miss to memory, the lines come in the order the lanes read
  // them, and L2 has room for them (in L1 they evicted one another: each
  // block's 16 rows share 4 sets).
  static constexpr std::size_t kPrefetchBatches = 2;

  template <class Inputs>
  static MS_BLAKE3_INLINE void load_part(Inputs inputs, std::size_t offset, Prefetch prefetch,
                                         int part, reg m[16]) {
    if (part < 4) {
      const Inputs rows = inputs + 4 * part;
      reg r[4];
      for (int i = 0; i < 4; ++i) r[i] = _mm512_loadu_si512(rows[i] + offset);
      prefetch_rows4(rows, offset, prefetch);
      transpose_rows4(r, m + 4 * part);
    } else {
      transpose_lanes128(m, part - 4);
    }
  }

  static void counters(std::uint64_t counter, bool increment, reg& low, reg& high) {
    alignas(64) std::uint32_t lo[kLanes], hi[kLanes];
    lane_counters<Lanes16>(counter, increment, lo, hi);
    low = _mm512_load_si512(lo);
    high = _mm512_load_si512(hi);
  }

  static void store_cvs(const reg h[8], std::uint8_t* out) {
    // Transposed, row i holds the 8 words of input i in its low half.
    reg r[16];
    for (int i = 0; i < 8; ++i) r[i] = h[i];
    for (int i = 8; i < 16; ++i) r[i] = _mm512_setzero_si512();
    transpose16(r);
    for (int i = 0; i < 16; ++i) {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 32 * i), _mm512_castsi512_si256(r[i]));
    }
  }
};

}  // namespace

void hash_many(const std::uint8_t* const* inputs, std::size_t count, std::size_t blocks,
               const std::uint32_t key[8], std::uint64_t counter, bool increment_counter,
               std::uint8_t flags, std::uint8_t flags_start, std::uint8_t flags_end,
               std::uint8_t* out) {
  hash_many_pipelined<Lanes16, avx2::hash_many>(
      inputs, count, blocks, key, counter, increment_counter, flags, flags_start, flags_end, out);
}

void hash_many_wide(const std::uint8_t* const* inputs, std::size_t count, std::size_t blocks,
                    const std::uint32_t key[8], std::uint64_t counter, bool increment_counter,
                    std::uint8_t flags, std::uint8_t flags_start, std::uint8_t flags_end,
                    std::uint8_t* out) {
  hash_many_lanes<Lanes16, 2, avx2::hash_many>(
      inputs, count, blocks, key, counter, increment_counter, flags, flags_start, flags_end, out);
}

}  // namespace model_signing::hash::blake3::avx512
