#include "hash/hash_registry.h"

#include <algorithm>

#include "hash/blake2b/blake2b_hasher.h"
#include "hash/blake3/blake3_hasher.h"
#include "hash/evp_hasher.h"
#include "hash/sha256/sha256_hasher.h"

namespace model_signing::hash {

namespace {

// Our kernels where the CPU makes them worth it, else OpenSSL's.
std::unique_ptr<Hasher> make_sha256() {
  Sha256Backend backend = sha256_backends().selected();
  if (backend == Sha256Backend::kOpenSsl) return std::make_unique<EvpHasher>("SHA256");
  return std::make_unique<Sha256Hasher>(backend);
}

std::unique_ptr<Hasher> make_blake2b() {
  Blake2bBackend backend = blake2b_backends().selected();
  if (backend == Blake2bBackend::kOpenSsl) return std::make_unique<EvpHasher>("BLAKE2B-512");
  return std::make_unique<Blake2bHasher>(backend);
}

std::unique_ptr<Hasher> make_blake3() { return std::make_unique<Blake3Hasher>(); }

constexpr std::string_view kBlake2bAliases[] = {"blake2"};  // an input alias (DESIGN.md)

constexpr HashInfo kRegistry[] = {
    {HashAlgorithm::kSha256, "sha256", {}, 32, make_sha256},
    {HashAlgorithm::kBlake2b, "blake2b", kBlake2bAliases, 64, make_blake2b},
    {HashAlgorithm::kBlake3, "blake3", {}, 32, make_blake3},
};

}  // namespace

std::span<const HashInfo> hash_registry() { return kRegistry; }

const HashInfo* find_hash(HashAlgorithm algorithm) {
  for (const HashInfo& info : kRegistry) {
    if (info.algorithm == algorithm) return &info;
  }
  return nullptr;
}

const HashInfo* find_hash(std::string_view name) {
  for (const HashInfo& info : kRegistry) {
    if (info.name == name ||
        std::find(info.aliases.begin(), info.aliases.end(), name) != info.aliases.end()) {
      return &info;
    }
  }
  return nullptr;
}

}  // namespace model_signing::hash
