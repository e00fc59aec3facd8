// Streaming hash functions behind one interface, so the hashing engine does
// not care which algorithm it drives. Which hashes there are, and how to
// add one, is in hash/hash_registry.h.
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

  // Hashers that can hash two inputs at once on one thread, interleaving
  // their instructions, say so for each other here; update_pair() then adds
  // `size` bytes of `mine` to this hasher and `size` bytes of `theirs` to
  // `other` faster than two update() calls (which is what it does for the
  // others).
  virtual bool pairs_with(const Hasher& /*other*/) const { return false; }
  virtual void update_pair(Hasher& other, const std::uint8_t* mine, const std::uint8_t* theirs,
                           std::size_t size);
  // Input read from a file mapping is fed to update() in pieces of this
  // many bytes, the next one prefetched before each (measured best for
  // OpenSSL's SHA-256 and BLAKE2b); 0 for hashes that keep ahead of memory
  // on their own, which get whole mapped windows.
  virtual std::size_t prefetch_stride() const { return 1024; }

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

// A hasher for `algorithm` (hash_registry()'s factory). Throws Error.
std::unique_ptr<Hasher> make_hasher(HashAlgorithm algorithm);

}  // namespace model_signing::hash
