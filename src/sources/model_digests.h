// The digests a signing signs for a model on disk: every file hashed, or
// (incremental re-signing) the unchanged files' digests taken from a
// verified earlier signature and only the rest hashed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model_signing/digest_sources.h"
#include "model_signing/hashing.h"
#include "model_signing/manifest.h"
#include "model_signing/signing.h"
#include "sources/stat_record.h"
#include "walk/model_walk.h"

namespace model_signing::sources {

// What an earlier signature lets a signing skip, established before
// anything is hashed.
struct ReusePlan {
  std::filesystem::path old_signature;
  Manifest old_manifest;                 // verified
  std::optional<StatRecord> record;      // which files are unchanged, or:
  std::optional<std::set<std::string>> changed;  // which changed ("" = all)
};

// Verifies the old signature (with reuse.verifier, else the signer's own),
// checks that its serialization is `hashing`'s, and reads its stat record
// unless reuse.changed names the changed files. Throws Error: nothing is
// reused from a signature that does not verify.
ReusePlan plan_reuse(const ReuseDigests& reuse, const Signer& signer,
                     const std::filesystem::path& model_path, const HashingConfig& hashing);

struct ModelDigests {
  Manifest manifest;
  DigestCounts counts;
  std::vector<walk::ModelFile> files;  // as walked, for the stat record
  std::int64_t walk_started_ns = 0;
};

// Walks the model as hash_model() does and hashes every file, or with a
// plan only the files it cannot vouch for. The manifest is the one
// hash_model() would return when the reused digests are right.
ModelDigests model_digests(const std::filesystem::path& model_path, const HashingConfig& hashing,
                           const ReusePlan* plan);

}  // namespace model_signing::sources
