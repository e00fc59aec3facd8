// SHA-256 and BLAKE2b-512 through OpenSSL's EVP interface.
#pragma once

#include <string_view>

#include "crypto/openssl.h"
#include "hash/hasher.h"

namespace model_signing::hash {

class EvpHasher final : public Hasher {
 public:
  // `name` is an OpenSSL digest name such as "SHA256" or "BLAKE2B-512".
  explicit EvpHasher(const char* name);
  ~EvpHasher() override;
  EvpHasher(const EvpHasher&) = delete;
  EvpHasher& operator=(const EvpHasher&) = delete;

  void update(const std::uint8_t* data, std::size_t size) override;
  void finish(std::uint8_t* out) override;
  void reset() override;
  std::size_t digest_size() const override { return size_; }

 private:
  EVP_MD* md_;  // fetched once: implicit fetches per init are measurably slow
  crypto::MdCtxPtr ctx_;
  std::size_t size_;
};

}  // namespace model_signing::hash
