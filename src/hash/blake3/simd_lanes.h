// The many-inputs-at-once compression shared by the SSE4.1, AVX2 and AVX-512
// backends. Vector lane i carries input i: state word w of every input sits
// in one register, so the rounds of the spec run unchanged on whole
// registers, and the only width-specific parts are the loads (a transpose of
// the message blocks), the stores and the rotations. Each backend file
// supplies those as a traits type `V`:
//
//   using reg;  static constexpr std::size_t kLanes;
//   reg add(reg, reg), xor_(reg, reg), set1(std::uint32_t);
//   reg rotr16(reg), rotr12(reg), rotr8(reg), rotr7(reg);
//   void load_message(const std::uint8_t* const* inputs, std::size_t offset, reg m[16]);
//   void counters(std::uint64_t counter, bool increment, reg& low, reg& high);
//   void store_cvs(const reg h[8], std::uint8_t* out);   // kLanes * 32 bytes
//
// hash_batches_pipelined (one group, loads spread over the rounds) also needs
//
//   static constexpr int kParts;  // pieces of one block's load_message
//   static constexpr std::size_t kPrefetchBatches;
//   template <class Inputs>  // InputPointers or StridedInputs
//   void load_part(Inputs inputs, std::size_t offset, Prefetch prefetch, int part,
//                  reg m[16]);
//
// where parts 0..kParts-1 in order amount to load_message, and the parts
// that load rows prefetch them `prefetch.far` bytes further on into L2 and
// `prefetch.near` bytes further on into L1 (0: not).
#pragma once

#include <cstddef>
#include <cstdint>

#include "hash/blake3/blake3_constants.h"

namespace model_signing::hash::blake3 {
// Internal linkage on purpose, see blake3_constants.h.
namespace {

#define MS_BLAKE3_INLINE inline __attribute__((always_inline))

// Prefetch distances in bytes for load_part (see hash_batches_pipelined).
struct Prefetch {
  std::size_t far = 0;
  std::size_t near = 0;
};

// For load_part: prefetches four rows at `offset` plus `prefetch.far` into
// L2 and plus `prefetch.near` into L1 (0: not). Locality 2 and 3 are
// prefetcht1 and prefetcht0 on x86.
template <class Inputs>
MS_BLAKE3_INLINE void prefetch_rows4(Inputs rows, std::size_t offset, Prefetch prefetch) {
  if (prefetch.far != 0) {
    for (int i = 0; i < 4; ++i) __builtin_prefetch(rows[i] + offset + prefetch.far, 0, 2);
  }
  if (prefetch.near != 0) {
    for (int i = 0; i < 4; ++i) __builtin_prefetch(rows[i] + offset + prefetch.near, 0, 3);
  }
}

// Where load_part finds the inputs: a pointer each, or one after another
// `Stride` bytes apart (the tree code's chunks), which takes no register per
// input: with pointers, GCC keeps them in vector registers and pays a move to
// a general register for every load.
struct InputPointers {
  const std::uint8_t* const* p;
  const std::uint8_t* operator[](std::size_t i) const { return p[i]; }
  InputPointers operator+(std::size_t n) const { return {p + n}; }
};

template <std::size_t Stride>
struct StridedInputs {
  const std::uint8_t* base;
  const std::uint8_t* operator[](std::size_t i) const { return base + i * Stride; }
  StridedInputs operator+(std::size_t n) const { return {base + n * Stride}; }
};

// One half of a round for `Groups` groups of V::kLanes inputs: the four G
// functions over columns (when `idx` lists the columns) or diagonals of each
// group, interleaved step by step so that 4 * Groups independent dependency
// chains are in flight. Vector instructions have a longer latency than
// scalar ones, and four chains alone leave execution units idle.
template <class V, int Groups>
MS_BLAKE3_INLINE void mix(typename V::reg v[16 * Groups], const typename V::reg m[16 * Groups],
                          const std::uint8_t* s, const int (&idx)[4][4]) {
#define MS_EACH                                            \
  _Pragma("GCC unroll 2") for (int g = 0; g < Groups; ++g) \
      _Pragma("GCC unroll 4") for (int j = 0; j < 4; ++j)
#define MS_A v[16 * g + idx[j][0]]
#define MS_B v[16 * g + idx[j][1]]
#define MS_C v[16 * g + idx[j][2]]
#define MS_D v[16 * g + idx[j][3]]
  MS_EACH MS_A = V::add(MS_A, m[16 * g + s[2 * j]]);
  MS_EACH MS_A = V::add(MS_A, MS_B);
  MS_EACH MS_D = V::rotr16(V::xor_(MS_D, MS_A));
  MS_EACH MS_C = V::add(MS_C, MS_D);
  MS_EACH MS_B = V::rotr12(V::xor_(MS_B, MS_C));
  MS_EACH MS_A = V::add(MS_A, m[16 * g + s[2 * j + 1]]);
  MS_EACH MS_A = V::add(MS_A, MS_B);
  MS_EACH MS_D = V::rotr8(V::xor_(MS_D, MS_A));
  MS_EACH MS_C = V::add(MS_C, MS_D);
  MS_EACH MS_B = V::rotr7(V::xor_(MS_B, MS_C));
#undef MS_EACH
#undef MS_A
#undef MS_B
#undef MS_C
#undef MS_D
}

inline constexpr int kColumns[4][4] = {
    {0, 4, 8, 12}, {1, 5, 9, 13}, {2, 6, 10, 14}, {3, 7, 11, 15}};
inline constexpr int kDiagonals[4][4] = {
    {0, 5, 10, 15}, {1, 6, 11, 12}, {2, 7, 8, 13}, {3, 4, 9, 14}};

// Hashes exactly Groups * V::kLanes inputs of `blocks` blocks each.
template <class V, int Groups>
MS_BLAKE3_INLINE void hash_lanes(const std::uint8_t* const* inputs, std::size_t blocks,
                                 const std::uint32_t key[8], std::uint64_t counter,
                                 bool increment_counter, std::uint8_t flags,
                                 std::uint8_t flags_start, std::uint8_t flags_end,
                                 std::uint8_t* out) {
  using reg = typename V::reg;
  reg h[8 * Groups];
  reg counter_lo[Groups], counter_hi[Groups];
  for (int g = 0; g < Groups; ++g) {
    for (int i = 0; i < 8; ++i) h[8 * g + i] = V::set1(key[i]);
    V::counters(counter + (increment_counter ? g * V::kLanes : 0), increment_counter, counter_lo[g],
                counter_hi[g]);
  }
  std::uint8_t block_flags = flags | flags_start;
  for (std::size_t b = 0; b < blocks; ++b) {
    if (b + 1 == blocks) block_flags |= flags_end;
    reg m[16 * Groups];
    reg v[16 * Groups];
    for (int g = 0; g < Groups; ++g) {
      V::load_message(inputs + g * V::kLanes, b * kBlockLen, m + 16 * g);
      for (int i = 0; i < 8; ++i) v[16 * g + i] = h[8 * g + i];
      for (int i = 0; i < 4; ++i) v[16 * g + 8 + i] = V::set1(kIv[i]);
      v[16 * g + 12] = counter_lo[g];
      v[16 * g + 13] = counter_hi[g];
      v[16 * g + 14] = V::set1(static_cast<std::uint32_t>(kBlockLen));
      v[16 * g + 15] = V::set1(block_flags);
    }
#pragma GCC unroll 7
    for (std::size_t r = 0; r < kRounds; ++r) {
      mix<V, Groups>(v, m, kSchedule[r].data(), kColumns);
      mix<V, Groups>(v, m, kSchedule[r].data() + 8, kDiagonals);
    }
    for (int g = 0; g < Groups; ++g) {
      for (int i = 0; i < 8; ++i) h[8 * g + i] = V::xor_(v[16 * g + i], v[16 * g + i + 8]);
    }
    block_flags = flags;
  }
  for (int g = 0; g < Groups; ++g) V::store_cvs(h + 8 * g, out + g * V::kLanes * kOutLen);
}

// hash_many for a backend: groups of Groups * V::kLanes inputs, then one
// group of V::kLanes, here; the rest handed to `Narrower` (a backend with
// fewer lanes).
template <class V, int Groups,
          void (*Narrower)(const std::uint8_t* const*, std::size_t, std::size_t,
                           const std::uint32_t*, std::uint64_t, bool, std::uint8_t, std::uint8_t,
                           std::uint8_t, std::uint8_t*)>
void hash_many_lanes(const std::uint8_t* const* inputs, std::size_t count, std::size_t blocks,
                     const std::uint32_t key[8], std::uint64_t counter, bool increment_counter,
                     std::uint8_t flags, std::uint8_t flags_start, std::uint8_t flags_end,
                     std::uint8_t* out) {
  auto advance = [&](std::size_t n) {
    if (increment_counter) counter += n;
    inputs += n;
    count -= n;
    out += n * kOutLen;
  };
  while (count >= Groups * V::kLanes) {
    hash_lanes<V, Groups>(inputs, blocks, key, counter, increment_counter, flags, flags_start,
                          flags_end, out);
    advance(Groups * V::kLanes);
  }
  if (Groups > 1 && count >= V::kLanes) {
    hash_lanes<V, 1>(inputs, blocks, key, counter, increment_counter, flags, flags_start, flags_end,
                     out);
    advance(V::kLanes);
  }
  if (count > 0) {
    Narrower(inputs, count, blocks, key, counter, increment_counter, flags, flags_start, flags_end,
             out);
  }
}

// Hashes `batches` consecutive groups of V::kLanes inputs of `blocks` blocks
// each, one register group at a time, loading and transposing the next block
// (after a batch's last block, the next batch's first) in V::kParts pieces
// between the half rounds of the current one. With two groups interleaved
// (hash_lanes<V, 2>) the state alone fills 32 registers and spills; one group
// has the registers, but a block's loads and transposition in one piece stall
// its rounds (a Xeon VM, two 512-bit ports, 256 KiB in cache: 5.7 GB/s
// loaded at once, 6.3 GB/s spread out, 7.0 GB/s with no transposition).
//
// Prefetching, for chunks (inputs of more than one block), assumes that the
// inputs are consecutive chunks, as the tree code passes them, followed by
// more: each row V::kPrefetchBatches batches ahead into L2, and in a batch's
// last two blocks the next batch's first two blocks into L1, since a call's
// first block is loaded with nothing to hide behind.
template <class V, class Inputs>
MS_BLAKE3_INLINE void hash_batches_pipelined(Inputs inputs, std::size_t batches,
                                             std::size_t blocks,
                                             const std::uint32_t key[8], std::uint64_t counter,
                                             bool increment_counter, std::uint8_t flags,
                                             std::uint8_t flags_start, std::uint8_t flags_end,
                                             std::uint8_t* out) {
  using reg = typename V::reg;
  static_assert(V::kParts <= 2 * kRounds, "every part needs a half round to hide in");
  const std::size_t batch_bytes = V::kLanes * blocks * kBlockLen;
  // Parents (one block) come from a small array of chaining values.
  const std::size_t far = blocks > 1 ? V::kPrefetchBatches * batch_bytes : 0;
  // From either of a batch's last two blocks to the next batch's first two.
  const std::size_t near = blocks > 1 ? batch_bytes - (blocks - 2) * kBlockLen : 0;
  reg messages[2][16];
  for (int p = 0; p < V::kParts; ++p) V::load_part(inputs, 0, {far, 0}, p, messages[0]);
  int slot = 0;
  for (std::size_t batch = 0; batch < batches; ++batch) {
    reg h[8];
    for (int i = 0; i < 8; ++i) h[i] = V::set1(key[i]);
    reg counter_lo, counter_hi;
    V::counters(counter + (increment_counter ? batch * V::kLanes : 0), increment_counter,
                counter_lo, counter_hi);
    std::uint8_t block_flags = flags | flags_start;
    for (std::size_t b = 0; b < blocks; ++b) {
      const bool last = b + 1 == blocks;
      if (last) block_flags |= flags_end;
      const reg* m = messages[slot];
      reg* next = messages[slot ^ 1];
      // What to load meanwhile: this batch's next block or the next batch's first.
      const Inputs next_inputs = last ? inputs + V::kLanes : inputs;
      const std::size_t next_offset = last ? 0 : (b + 1) * kBlockLen;
      const bool more = !last || batch + 1 < batches;
      const Prefetch p{far, !last && b + 3 >= blocks ? near : 0};
      reg v[16];
      for (int i = 0; i < 8; ++i) v[i] = h[i];
      for (int i = 0; i < 4; ++i) v[8 + i] = V::set1(kIv[i]);
      v[12] = counter_lo;
      v[13] = counter_hi;
      v[14] = V::set1(static_cast<std::uint32_t>(kBlockLen));
      v[15] = V::set1(block_flags);
#pragma GCC unroll 7
      for (std::size_t r = 0; r < kRounds; ++r) {
        mix<V, 1>(v, m, kSchedule[r].data(), kColumns);
        if (more && 2 * r < V::kParts) V::load_part(next_inputs, next_offset, p, 2 * r, next);
        mix<V, 1>(v, m, kSchedule[r].data() + 8, kDiagonals);
        if (more && 2 * r + 1 < V::kParts) {
          V::load_part(next_inputs, next_offset, p, 2 * r + 1, next);
        }
      }
      for (int i = 0; i < 8; ++i) h[i] = V::xor_(v[i], v[i + 8]);
      block_flags = flags;
      slot ^= 1;
    }
    V::store_cvs(h, out);
    inputs = inputs + V::kLanes;
    out += V::kLanes * kOutLen;
  }
}

// hash_many for a backend with hash_batches_pipelined: whole groups of
// V::kLanes inputs here, the rest handed to `Narrower`.
template <class V,
          void (*Narrower)(const std::uint8_t* const*, std::size_t, std::size_t,
                           const std::uint32_t*, std::uint64_t, bool, std::uint8_t, std::uint8_t,
                           std::uint8_t, std::uint8_t*)>
void hash_many_pipelined(const std::uint8_t* const* inputs, std::size_t count, std::size_t blocks,
                         const std::uint32_t key[8], std::uint64_t counter,
                         bool increment_counter, std::uint8_t flags, std::uint8_t flags_start,
                         std::uint8_t flags_end, std::uint8_t* out) {
  std::size_t batches = count / V::kLanes;
  if (batches > 0) {
    bool chunks = blocks == kBlocksPerChunk;
    const auto first = reinterpret_cast<std::uintptr_t>(inputs[0]);
    for (std::size_t i = 1; chunks && i < batches * V::kLanes; ++i) {
      chunks = reinterpret_cast<std::uintptr_t>(inputs[i]) - first == i * kChunkLen;
    }
    if (chunks) {
      hash_batches_pipelined<V>(StridedInputs<kChunkLen>{inputs[0]}, batches, blocks, key, counter,
                                increment_counter, flags, flags_start, flags_end, out);
    } else {
      hash_batches_pipelined<V>(InputPointers{inputs}, batches, blocks, key, counter,
                                increment_counter, flags, flags_start, flags_end, out);
    }
  }
  std::size_t done = batches * V::kLanes;
  if (count > done) {
    Narrower(inputs + done, count - done, blocks, key, counter + (increment_counter ? done : 0),
             increment_counter, flags, flags_start, flags_end, out + done * kOutLen);
  }
}

// Lane counters: counter + i for input i when `increment`, else counter.
template <class V>
MS_BLAKE3_INLINE void lane_counters(std::uint64_t counter, bool increment,
                                    std::uint32_t (&low)[V::kLanes],
                                    std::uint32_t (&high)[V::kLanes]) {
  for (std::size_t i = 0; i < V::kLanes; ++i) {
    std::uint64_t c = counter + (increment ? i : 0);
    low[i] = counter_low(c);
    high[i] = counter_high(c);
  }
}

}  // namespace
}  // namespace model_signing::hash::blake3
