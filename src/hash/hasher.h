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

  // Tree hashes (BLAKE3) can hash one input as separate subtrees, on several
  // threads, and combine the results. subtree_unit() is 0 for other hashes;
  // for tree hashes, a subtree is a power-of-two multiple of the unit bytes
  // of the input starting at a multiple of its own size (the input's last
  // subtree may be shorter).
  virtual std::uint64_t subtree_unit() const { return 0; }
  // Starts hashing the subtree at byte `offset` of the input; update() then
  // takes its bytes.
  virtual void reset_subtree(std::uint64_t offset);
  // Writes the subtree's chaining value (digest_size() bytes).
  virtual void finish_subtree(std::uint8_t* out);
  // Writes the input's digest from the chaining values of its `count` >= 2
  // consecutive subtrees, all of one size but the last.
  virtual void finish_from_subtrees(const std::uint8_t* values, std::size_t count,
                                    std::uint8_t* out);
};

std::unique_ptr<Hasher> make_hasher(HashAlgorithm algorithm);

}  // namespace model_signing::hash
