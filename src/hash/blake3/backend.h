// BLAKE3 compression backends. Every backend provides the same three kernels;
// the dispatcher picks the best one the CPU supports once, and tests and
// benchmarks can force another.
//
//   portable  plain C++, one block at a time
//   sse41     4 inputs per 128-bit register
//   avx2      8 inputs per 256-bit register
//   avx512    16 inputs per 512-bit register (AVX-512F + AVX-512VL)
//
// The SIMD backends hash two register groups of inputs at once, interleaved
// (see simd_lanes.h), so their hash_many takes 8, 16 and 32 inputs per call.
// AVX-512 has a second kernel, one group at a time with the loads of the next
// block spread over the rounds, which the dispatcher picks on Intel CPUs
// (compress_avx512.cpp says why); it is fed 32 inputs per call all the same.
//
// The environment variable MS_BLAKE3_BACKEND=portable|sse41|avx2|avx512
// overrides the automatic choice for the whole process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "hash/backend_dispatch.h"

namespace model_signing::hash::blake3 {

// Compresses one block into the chaining value `cv` (8 words).
using CompressInPlaceFn = void (*)(std::uint32_t cv[8], const std::uint8_t block[64],
                                   std::uint8_t block_len, std::uint64_t counter,
                                   std::uint8_t flags);

// Compresses one block and writes the full 64-byte output (root output
// blocks, the extendable output).
using CompressXofFn = void (*)(const std::uint32_t cv[8], const std::uint8_t block[64],
                               std::uint8_t block_len, std::uint64_t counter, std::uint8_t flags,
                               std::uint8_t out[64]);

// Hashes `count` inputs of `blocks` whole 64-byte blocks each, starting from
// `key`, and writes one 32-byte chaining value per input to `out`. Input i
// uses counter + i if `increment_counter` (chunks) and `counter` otherwise
// (parents). `flags_start` is added on the first block of every input and
// `flags_end` on the last.
using HashManyFn = void (*)(const std::uint8_t* const* inputs, std::size_t count,
                            std::size_t blocks, const std::uint32_t key[8], std::uint64_t counter,
                            bool increment_counter, std::uint8_t flags, std::uint8_t flags_start,
                            std::uint8_t flags_end, std::uint8_t* out);

enum class Backend { kPortable, kSse41, kAvx2, kAvx512 };

struct Kernels {
  Backend backend;
  std::size_t degree;  // inputs hash_many processes at once (a power of two)
  CompressInPlaceFn compress_in_place;
  CompressXofFn compress_xof;
  HashManyFn hash_many;
  std::string_view variant;  // which hash_many, for backends with several ("" if one)
};

// Upper bound of Kernels::degree over all backends.
inline constexpr std::size_t kMaxDegree = 32;

// MS_BLAKE3_BACKEND if set, else the widest SIMD backend the CPU (and the
// OS, for the register state) can run.
const BackendDispatch<Backend, 4>& backends();
inline std::string_view to_string(Backend backend) { return backends().name(backend); }

// Every backend this machine can run, portable first.
std::vector<Backend> supported_backends();

// The kernels in use: the override if one is set, otherwise the best the CPU
// supports. Throws Error(kInvalidArgument) if MS_BLAKE3_BACKEND names an
// unknown backend or one this CPU cannot run.
const Kernels& active_kernels();
// The kernels of one backend, whether or not it is active. Throws
// Error(kUnsupported) if the CPU cannot run it.
const Kernels& kernels_for(Backend backend);

// Every variant of a backend's kernels (tests, benchmarks): kernels_for()
// picks one of them for this CPU. Throws Error(kUnsupported) like it.
std::vector<const Kernels*> kernel_variants(Backend backend);

// Forces a backend for hashers created from now on (tests, benchmarks);
// std::nullopt restores the automatic choice. Throws Error(kUnsupported) if
// the CPU cannot run it.
void force_backend(std::optional<Backend> backend);

}  // namespace model_signing::hash::blake3
