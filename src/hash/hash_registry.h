// The hash algorithms a manifest can name, one entry each: the name written
// in statements, the other names accepted when reading one or on the
// command line, the digest size, and how to make a hasher. The manifest's
// names and sizes, the statement reader, the CLI's --hash choices and the
// engine all read this table.
//
// Adding a hash: a HashAlgorithm value (include/model_signing/manifest.h),
// a Hasher for it (its own folder under src/hash/, choosing its backend
// through hash/backend_dispatch.h if it has several), and one entry in
// hash_registry.cpp.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string_view>

#include "hash/hasher.h"
#include "model_signing/manifest.h"

namespace model_signing::hash {

struct HashInfo {
  HashAlgorithm algorithm;
  std::string_view name;                      // canonical, as statements write it
  std::span<const std::string_view> aliases;  // also accepted when reading
  std::size_t digest_size;                    // bytes
  // A hasher on the backend chosen for this process (MS_*_BACKEND); throws
  // Error if that choice is bad.
  std::unique_ptr<Hasher> (*make)();
};

// Every hash, in the order help texts list them.
std::span<const HashInfo> hash_registry();

// The entry of `algorithm`; null for a value without one.
const HashInfo* find_hash(HashAlgorithm algorithm);
// The entry whose name or alias is `name`; null if none.
const HashInfo* find_hash(std::string_view name);

}  // namespace model_signing::hash
