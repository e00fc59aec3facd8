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
#pragma once

#include <cstddef>
#include <cstdint>

#include "hash/blake3/blake3_constants.h"

namespace model_signing::hash::blake3 {
// Internal linkage on purpose, see blake3_constants.h.
namespace {

#define MS_BLAKE3_INLINE inline __attribute__((always_inline))

// One half of a round: the four G functions over columns (when `idx` lists
// the columns) or diagonals, interleaved step by step so that four
// independent dependency chains are in flight.
template <class V>
MS_BLAKE3_INLINE void mix4(typename V::reg v[16], const typename V::reg m[16],
                           const std::uint8_t* s, const int (&idx)[4][4]) {
#define MS_EACH _Pragma("GCC unroll 4") for (int j = 0; j < 4; ++j)
  MS_EACH v[idx[j][0]] = V::add(v[idx[j][0]], m[s[2 * j]]);
  MS_EACH v[idx[j][0]] = V::add(v[idx[j][0]], v[idx[j][1]]);
  MS_EACH v[idx[j][3]] = V::rotr16(V::xor_(v[idx[j][3]], v[idx[j][0]]));
  MS_EACH v[idx[j][2]] = V::add(v[idx[j][2]], v[idx[j][3]]);
  MS_EACH v[idx[j][1]] = V::rotr12(V::xor_(v[idx[j][1]], v[idx[j][2]]));
  MS_EACH v[idx[j][0]] = V::add(v[idx[j][0]], m[s[2 * j + 1]]);
  MS_EACH v[idx[j][0]] = V::add(v[idx[j][0]], v[idx[j][1]]);
  MS_EACH v[idx[j][3]] = V::rotr8(V::xor_(v[idx[j][3]], v[idx[j][0]]));
  MS_EACH v[idx[j][2]] = V::add(v[idx[j][2]], v[idx[j][3]]);
  MS_EACH v[idx[j][1]] = V::rotr7(V::xor_(v[idx[j][1]], v[idx[j][2]]));
#undef MS_EACH
}

inline constexpr int kColumns[4][4] = {
    {0, 4, 8, 12}, {1, 5, 9, 13}, {2, 6, 10, 14}, {3, 7, 11, 15}};
inline constexpr int kDiagonals[4][4] = {
    {0, 5, 10, 15}, {1, 6, 11, 12}, {2, 7, 8, 13}, {3, 4, 9, 14}};

// Hashes exactly V::kLanes inputs of `blocks` blocks each.
template <class V>
MS_BLAKE3_INLINE void hash_lanes(const std::uint8_t* const* inputs, std::size_t blocks,
                                 const std::uint32_t key[8], std::uint64_t counter,
                                 bool increment_counter, std::uint8_t flags,
                                 std::uint8_t flags_start, std::uint8_t flags_end,
                                 std::uint8_t* out) {
  using reg = typename V::reg;
  reg h[8];
  for (int i = 0; i < 8; ++i) h[i] = V::set1(key[i]);
  reg counter_lo, counter_hi;
  V::counters(counter, increment_counter, counter_lo, counter_hi);
  std::uint8_t block_flags = flags | flags_start;
  for (std::size_t b = 0; b < blocks; ++b) {
    if (b + 1 == blocks) block_flags |= flags_end;
    reg m[16];
    V::load_message(inputs, b * kBlockLen, m);
    reg v[16] = {h[0],
                 h[1],
                 h[2],
                 h[3],
                 h[4],
                 h[5],
                 h[6],
                 h[7],
                 V::set1(kIv[0]),
                 V::set1(kIv[1]),
                 V::set1(kIv[2]),
                 V::set1(kIv[3]),
                 counter_lo,
                 counter_hi,
                 V::set1(static_cast<std::uint32_t>(kBlockLen)),
                 V::set1(block_flags)};
#pragma GCC unroll 7
    for (std::size_t r = 0; r < kRounds; ++r) {
      mix4<V>(v, m, kSchedule[r].data(), kColumns);
      mix4<V>(v, m, kSchedule[r].data() + 8, kDiagonals);
    }
    for (int i = 0; i < 8; ++i) h[i] = V::xor_(v[i], v[i + 8]);
    block_flags = flags;
  }
  V::store_cvs(h, out);
}

// hash_many for a backend: whole groups of V::kLanes inputs here, the rest
// handed to `Narrower` (a backend with fewer lanes).
template <class V, void (*Narrower)(const std::uint8_t* const*, std::size_t, std::size_t,
                                    const std::uint32_t*, std::uint64_t, bool, std::uint8_t,
                                    std::uint8_t, std::uint8_t, std::uint8_t*)>
void hash_many_lanes(const std::uint8_t* const* inputs, std::size_t count, std::size_t blocks,
                     const std::uint32_t key[8], std::uint64_t counter, bool increment_counter,
                     std::uint8_t flags, std::uint8_t flags_start, std::uint8_t flags_end,
                     std::uint8_t* out) {
  while (count >= V::kLanes) {
    hash_lanes<V>(inputs, blocks, key, counter, increment_counter, flags, flags_start, flags_end,
                  out);
    if (increment_counter) counter += V::kLanes;
    inputs += V::kLanes;
    count -= V::kLanes;
    out += V::kLanes * kOutLen;
  }
  if (count > 0) {
    Narrower(inputs, count, blocks, key, counter, increment_counter, flags, flags_start, flags_end,
             out);
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
