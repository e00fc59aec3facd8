// BLAKE2b-512 (RFC 7693, unkeyed) behind the Hasher interface, with our own
// compression kernels so that one worker can hash two inputs at once
// (update_pair) and the input can come straight from a file mapping. Where
// the CPU has no kernel that pairs faster than OpenSSL hashes one input,
// make_hasher() uses OpenSSL's BLAKE2b instead (EvpHasher); the portable
// kernel is there for tests and for MS_BLAKE2B_BACKEND=portable.
//
// MS_BLAKE2B_BACKEND=openssl|portable|avx2|avx512 overrides the automatic
// choice.
#pragma once

#include <string_view>

#include "hash/backend_dispatch.h"
#include "hash/blake2b/blake2b_kernels.h"
#include "hash/hasher.h"

namespace model_signing::hash {

enum class Blake2bBackend { kOpenSsl, kPortable, kAvx2, kAvx512 };

// MS_BLAKE2B_BACKEND if set, else the best SIMD kernels the CPU has (they
// pair faster than OpenSSL hashes one input), else OpenSSL; the portable
// kernel only when asked for.
const BackendDispatch<Blake2bBackend, 4>& blake2b_backends();
inline std::string_view to_string(Blake2bBackend backend) { return blake2b_backends().name(backend); }

class Blake2bHasher final : public Hasher {
 public:
  // `backend` is kPortable, kAvx2 or kAvx512, and supported by this CPU.
  explicit Blake2bHasher(Blake2bBackend backend);

  void update(const std::uint8_t* data, std::size_t size) override;
  void finish(std::uint8_t* out) override;
  using Hasher::finish;
  void reset() override;
  std::size_t digest_size() const override { return blake2b::kDigestSize; }

  bool pairs_with(const Hasher& other) const override;
  void update_pair(Hasher& other, const std::uint8_t* mine, const std::uint8_t* theirs,
                   std::size_t size) override;
  // The SIMD kernels prefetch as they go.
  std::size_t prefetch_stride() const override { return pair_ ? 0 : 1024; }

 private:
  // Takes bytes into a partly filled buffer until it is empty (its block
  // compressed, which needs a byte after it) or the input is used up;
  // returns how many it took.
  std::size_t drain_buffer(const std::uint8_t* data, std::size_t size);

  blake2b::CompressFn compress_;
  blake2b::CompressLastFn compress_last_;
  blake2b::CompressPairFn pair_;  // null where two inputs cannot be interleaved
  std::uint64_t state_[8];
  std::uint64_t counter_[2];  // bytes compressed so far (128-bit)
  // The last bytes seen, up to a whole block: a block is compressed only
  // once more input shows it is not the last.
  std::uint8_t buffer_[blake2b::kBlockSize];
  std::size_t buffered_ = 0;
};

}  // namespace model_signing::hash
