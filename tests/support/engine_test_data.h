// What the engine's tests hash and check against: deterministic file
// contents, and OpenSSL's one-shot digest of the same bytes as an
// independent oracle.
#pragma once

#include <cstddef>
#include <string>

#include "model_signing/hashing.h"
#include "model_signing/manifest.h"

namespace model_signing::testing {

// `size` deterministic, non-repeating-looking bytes, different per `seed`.
std::string pattern(std::size_t size, unsigned seed);

// OpenSSL's digest of `data` with `hash` (sha256 or blake2b).
Digest openssl_digest(const std::string& data, HashAlgorithm hash);

}  // namespace model_signing::testing
