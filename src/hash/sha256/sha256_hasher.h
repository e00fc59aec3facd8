// SHA-256 behind the Hasher interface, with our own compression kernels so
// that one worker can hash two inputs at once (update_pair) and the input
// can come straight from a file mapping. Where the CPU has no SHA
// extensions, make_hasher() uses OpenSSL's SHA-256 instead (EvpHasher); the
// portable kernel is there for tests and for MS_SHA256_BACKEND=portable.
//
// MS_SHA256_BACKEND=openssl|portable|shani overrides the automatic choice.
#pragma once

#include <string_view>

#include "hash/backend_dispatch.h"
#include "hash/hasher.h"
#include "hash/sha256/sha256_kernels.h"

namespace model_signing::hash {

enum class Sha256Backend { kOpenSsl, kPortable, kShaNi };

// MS_SHA256_BACKEND if set, else SHA-NI where the CPU has it, else OpenSSL;
// the portable kernel only when asked for.
const BackendDispatch<Sha256Backend, 3>& sha256_backends();
inline std::string_view to_string(Sha256Backend backend) { return sha256_backends().name(backend); }

class Sha256Hasher final : public Hasher {
 public:
  // `backend` is kPortable or kShaNi, and supported by this CPU.
  explicit Sha256Hasher(Sha256Backend backend);

  void update(const std::uint8_t* data, std::size_t size) override;
  using Hasher::finish;
  void finish(std::uint8_t* out) override;
  void reset() override;
  std::size_t digest_size() const override { return sha256::kDigestSize; }

  bool pairs_with(const Hasher& other) const override;
  void update_pair(Hasher& other, const std::uint8_t* mine, const std::uint8_t* theirs,
                   std::size_t size) override;
  // The SHA-NI kernels prefetch as they go.
  std::size_t prefetch_stride() const override { return pair_ ? 0 : 1024; }

 private:
  sha256::CompressFn compress_;
  sha256::CompressPairFn pair_;  // null where two inputs cannot be interleaved
  std::uint32_t state_[8];
  std::uint8_t buffer_[sha256::kBlockSize];
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;  // bytes hashed so far
};

}  // namespace model_signing::hash
