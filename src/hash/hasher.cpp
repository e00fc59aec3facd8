#include "hash/hasher.h"

#include "hash/blake2b/blake2b_hasher.h"
#include "hash/blake3/blake3_hasher.h"
#include "hash/evp_hasher.h"
#include "hash/sha256/sha256_hasher.h"
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
  switch (algorithm) {
    case HashAlgorithm::kSha256: {
      Sha256Backend backend = selected_sha256_backend();
      if (backend == Sha256Backend::kOpenSsl) return std::make_unique<EvpHasher>("SHA256");
      return std::make_unique<Sha256Hasher>(backend);
    }
    case HashAlgorithm::kBlake2b: {
      Blake2bBackend backend = selected_blake2b_backend();
      if (backend == Blake2bBackend::kOpenSsl) return std::make_unique<EvpHasher>("BLAKE2B-512");
      return std::make_unique<Blake2bHasher>(backend);
    }
    case HashAlgorithm::kBlake3:
      return std::make_unique<Blake3Hasher>();
  }
  throw Error(ErrorKind::kUnsupported,
              "hash algorithm " + std::string(to_string(algorithm)) + " is not available");
}

}  // namespace model_signing::hash
