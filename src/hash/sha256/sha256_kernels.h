// SHA-256 compression (FIPS 180-4, section 6.2) in the forms the streaming
// hasher drives: a portable one and, on x86-64 CPUs with the SHA extensions,
// one that compresses one input or two independent inputs at once. Two
// inputs interleaved keep the SHA unit busy where a single input waits on
// the latency of each SHA256RNDS2 (about 1.2x the bytes per second here).
// The SHA-NI kernels also prefetch ahead of the block they hash, so input
// read straight out of a file mapping does not stall on memory.
#pragma once

#include <cstddef>
#include <cstdint>

namespace model_signing::hash::sha256 {

inline constexpr std::size_t kBlockSize = 64;
inline constexpr std::size_t kDigestSize = 32;

inline constexpr std::uint32_t kInitialState[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                                   0xa54ff53a, 0x510e527f, 0x9b05688c,
                                                   0x1f83d9ab, 0x5be0cd19};

// The 64 round constants K0..K63.
extern const std::uint32_t kRoundConstants[64];

// Compresses `blocks` consecutive 64-byte blocks of `data` into `state`.
using CompressFn = void (*)(std::uint32_t state[8], const std::uint8_t* data, std::size_t blocks);
// Compresses `blocks` blocks of `a` into `state_a` and as many of `b` into
// `state_b`.
using CompressPairFn = void (*)(std::uint32_t state_a[8], const std::uint8_t* a,
                                std::uint32_t state_b[8], const std::uint8_t* b,
                                std::size_t blocks);

void compress_portable(std::uint32_t state[8], const std::uint8_t* data, std::size_t blocks);

#if defined(MS_SHA256_X86)
void compress_shani(std::uint32_t state[8], const std::uint8_t* data, std::size_t blocks);
void compress_shani_pair(std::uint32_t state_a[8], const std::uint8_t* a,
                         std::uint32_t state_b[8], const std::uint8_t* b, std::size_t blocks);
#endif

}  // namespace model_signing::hash::sha256
