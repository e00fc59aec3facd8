// Helpers the BLAKE3 tests share.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "hash/blake3/backend.h"
#include "hash/blake3/blake3.h"

namespace model_signing::hash::blake3::testing {

// Forces a backend for the lifetime of the guard, then restores the
// automatic choice.
class ForcedBackend {
 public:
  explicit ForcedBackend(Backend backend) { force_backend(backend); }
  ~ForcedBackend() { force_backend(std::nullopt); }
  ForcedBackend(const ForcedBackend&) = delete;
  ForcedBackend& operator=(const ForcedBackend&) = delete;
};

// The input of the official test vectors: 0, 1, ..., 250, 0, 1, ...
std::vector<std::uint8_t> vector_input(std::size_t size);
std::vector<std::uint8_t> random_bytes(std::size_t size, std::mt19937_64& rng);

// Feeds `data` to `hasher` in pieces cut at random points (including empty
// pieces), then returns `out_len` bytes of output.
std::string hash_in_pieces(Blake3 hasher, const std::vector<std::uint8_t>& data,
                           std::mt19937_64& rng, std::size_t out_len = kOutLen);
std::string hash_at_once(Blake3 hasher, const std::vector<std::uint8_t>& data,
                         std::size_t out_len = kOutLen);

// The b3sum program's digests (hex) of `files`, by path; records a test
// failure (and returns what it has) if b3sum is missing or fails.
std::map<std::string, std::string> b3sum(const std::vector<std::filesystem::path>& files);

}  // namespace model_signing::hash::blake3::testing
