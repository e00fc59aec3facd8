// BLAKE2b compression (RFC 7693, section 3.2) in the forms the streaming
// hasher drives: a portable one and, on x86-64, AVX2 and AVX-512 ones that
// compress one input or two independent inputs at once. BLAKE2b's rounds
// are one long dependency chain, so a single input leaves most of a SIMD
// core idle; two inputs interleaved (AVX-512: both in one set of ZMM rows,
// AVX2: two sets of YMM rows) hash 1.4 (AVX2) to 1.75 (AVX-512) times the
// bytes in the same time.
// The SIMD kernels also prefetch ahead of the block they hash, so input read
// straight out of a file mapping does not stall on memory.
//
// The counter is the 128-bit byte count t (low word first). The kernels
// compress whole blocks that are not the input's last: each adds 128 to the
// counter and compresses with the final flag clear. The last block, zero
// padded, goes through a compress_last kernel with the input's length as
// counter and the final flag set.
#pragma once

#include <cstddef>
#include <cstdint>

namespace model_signing::hash::blake2b {

inline constexpr std::size_t kBlockSize = 128;
inline constexpr std::size_t kDigestSize = 64;
inline constexpr int kRounds = 12;

inline constexpr std::uint64_t kIv[8] = {0x6a09e667f3bcc908, 0xbb67ae8584caa73b,
                                         0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
                                         0x510e527fade682d1, 0x9b05688c2b3e6c1f,
                                         0x1f83d9abfb41bd6b, 0x5be0cd19137e2179};

// The message word permutation of each round (rounds 10 and 11 repeat 0 and 1).
inline constexpr std::uint8_t kSigma[kRounds][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
};

// The state h of an unkeyed hash with a 64-byte digest: the IV with the
// parameter block's first word (digest length 64, key length 0, fanout 1,
// depth 1) folded in.
inline constexpr std::uint64_t kInitialState[8] = {kIv[0] ^ 0x01010040, kIv[1], kIv[2], kIv[3],
                                                   kIv[4], kIv[5], kIv[6], kIv[7]};

// Adds `bytes` to the 128-bit counter.
inline void advance(std::uint64_t counter[2], std::uint64_t bytes) {
  counter[0] += bytes;
  if (counter[0] < bytes) ++counter[1];
}

// Compresses `blocks` consecutive 128-byte blocks of `data`, none of them the
// input's last, into `state`, advancing `counter` by 128 before each.
using CompressFn = void (*)(std::uint64_t state[8], std::uint64_t counter[2],
                            const std::uint8_t* data, std::size_t blocks);
// The same for `blocks` blocks of `a` into `state_a` and as many of `b` into
// `state_b`.
using CompressPairFn = void (*)(std::uint64_t state_a[8], std::uint64_t counter_a[2],
                                const std::uint8_t* a, std::uint64_t state_b[8],
                                std::uint64_t counter_b[2], const std::uint8_t* b,
                                std::size_t blocks);

// Compresses the input's last block (zero padded to 128 bytes) with the
// final flag set; `counter` is the input's length.
using CompressLastFn = void (*)(std::uint64_t state[8], const std::uint64_t counter[2],
                                const std::uint8_t block[kBlockSize]);

void compress_portable(std::uint64_t state[8], std::uint64_t counter[2], const std::uint8_t* data,
                       std::size_t blocks);
void compress_last_portable(std::uint64_t state[8], const std::uint64_t counter[2],
                            const std::uint8_t block[kBlockSize]);

#if defined(MS_BLAKE2B_X86)
void compress_avx2(std::uint64_t state[8], std::uint64_t counter[2], const std::uint8_t* data,
                   std::size_t blocks);
void compress_last_avx2(std::uint64_t state[8], const std::uint64_t counter[2],
                        const std::uint8_t block[kBlockSize]);
void compress_avx2_pair(std::uint64_t state_a[8], std::uint64_t counter_a[2],
                        const std::uint8_t* a, std::uint64_t state_b[8],
                        std::uint64_t counter_b[2], const std::uint8_t* b, std::size_t blocks);
void compress_avx512(std::uint64_t state[8], std::uint64_t counter[2], const std::uint8_t* data,
                     std::size_t blocks);
void compress_last_avx512(std::uint64_t state[8], const std::uint64_t counter[2],
                          const std::uint8_t block[kBlockSize]);
void compress_avx512_pair(std::uint64_t state_a[8], std::uint64_t counter_a[2],
                          const std::uint8_t* a, std::uint64_t state_b[8],
                          std::uint64_t counter_b[2], const std::uint8_t* b, std::size_t blocks);
#endif

}  // namespace model_signing::hash::blake2b
