// Streaming hash functions behind one interface, so the hashing engine does
// not care which algorithm it drives. Adding an algorithm means one new
// Hasher implementation and one case in make_hasher().
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "model_signing/manifest.h"

namespace model_signing::hash {

class Hasher {
 public:
  virtual ~Hasher() = default;
  virtual void update(const std::uint8_t* data, std::size_t size) = 0;
  // Writes digest_size() bytes to `out`; the hasher must be reset() before reuse.
  virtual void finish(std::uint8_t* out) = 0;
  virtual void reset() = 0;
  virtual std::size_t digest_size() const = 0;

  Digest finish() {
    Digest d(digest_size());
    finish(d.data());
    return d;
  }
};

std::unique_ptr<Hasher> make_hasher(HashAlgorithm algorithm);

}  // namespace model_signing::hash
