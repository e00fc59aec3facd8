#include "hash/hasher.h"

#include "hash/hash_registry.h"
#include "model_signing/error.h"

namespace model_signing::hash {

namespace {

[[noreturn]] void no_subtrees() {
  throw Error(ErrorKind::kUnsupported, "this hash cannot hash an input in subtrees");
}

}  // namespace

void Hasher::update_pair(Hasher& other, const std::uint8_t* mine, const std::uint8_t* theirs,
                         std::size_t size) {
  update(mine, size);
  other.update(theirs, size);
}

void Hasher::reset_subtree(std::uint64_t) { no_subtrees(); }
void Hasher::finish_subtree(std::uint8_t*) { no_subtrees(); }
void Hasher::finish_from_subtrees(const std::uint8_t*, std::size_t, std::uint8_t*) {
  no_subtrees();
}

std::unique_ptr<Hasher> make_hasher(HashAlgorithm algorithm) {
  const HashInfo* info = find_hash(algorithm);
  if (!info) throw Error(ErrorKind::kUnsupported, "this hash algorithm is not available");
  return info->make();
}

}  // namespace model_signing::hash
