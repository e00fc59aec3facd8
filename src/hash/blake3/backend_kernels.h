// The kernels each backend file defines (signatures as in backend.h). Only
// the dispatcher and backends that hand leftovers to a narrower backend use
// these directly.
#pragma once

#include <cstddef>
#include <cstdint>

namespace model_signing::hash::blake3 {

#define MS_BLAKE3_DECLARE_COMPRESS                                                           \
  void compress_in_place(std::uint32_t cv[8], const std::uint8_t block[64],                  \
                         std::uint8_t block_len, std::uint64_t counter, std::uint8_t flags); \
  void compress_xof(const std::uint32_t cv[8], const std::uint8_t block[64],                 \
                    std::uint8_t block_len, std::uint64_t counter, std::uint8_t flags,       \
                    std::uint8_t out[64]);
#define MS_BLAKE3_DECLARE_HASH_MANY                                                         \
  void hash_many(const std::uint8_t* const* inputs, std::size_t count, std::size_t blocks,  \
                 const std::uint32_t key[8], std::uint64_t counter, bool increment_counter, \
                 std::uint8_t flags, std::uint8_t flags_start, std::uint8_t flags_end,      \
                 std::uint8_t* out);

namespace portable {
MS_BLAKE3_DECLARE_COMPRESS
MS_BLAKE3_DECLARE_HASH_MANY
}  // namespace portable

#if defined(MS_BLAKE3_X86)
// The SIMD backends only widen hash_many: a single block is one dependency
// chain through seven rounds, so vector registers do not speed it up (on the
// AMD Zen 5 we measured, a 128-bit-row version was twice as slow as the
// portable code); they all use the portable single-block compression.
namespace sse41 {
MS_BLAKE3_DECLARE_HASH_MANY
}  // namespace sse41

namespace avx2 {
MS_BLAKE3_DECLARE_HASH_MANY
// Two register groups interleaved; hash_many does one, pipelined (see
// compress_avx2.cpp).
void hash_many_wide(const std::uint8_t* const* inputs, std::size_t count, std::size_t blocks,
                    const std::uint32_t key[8], std::uint64_t counter, bool increment_counter,
                    std::uint8_t flags, std::uint8_t flags_start, std::uint8_t flags_end,
                    std::uint8_t* out);
}  // namespace avx2

namespace avx512 {
MS_BLAKE3_DECLARE_HASH_MANY
// Two register groups interleaved; hash_many does one, pipelined (see
// compress_avx512.cpp for which CPUs get which).
void hash_many_wide(const std::uint8_t* const* inputs, std::size_t count, std::size_t blocks,
                    const std::uint32_t key[8], std::uint64_t counter, bool increment_counter,
                    std::uint8_t flags, std::uint8_t flags_start, std::uint8_t flags_end,
                    std::uint8_t* out);
}  // namespace avx512
#endif

#undef MS_BLAKE3_DECLARE_COMPRESS
#undef MS_BLAKE3_DECLARE_HASH_MANY

}  // namespace model_signing::hash::blake3
