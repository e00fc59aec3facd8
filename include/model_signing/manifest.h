// The manifest: every file (or shard of a file) in a model paired with its
// digest, plus the serialization parameters needed to recompute it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#pragma GCC visibility push(default)  // the public API (src/CMakeLists.txt)
namespace model_signing {

enum class HashAlgorithm { kSha256, kBlake2b, kBlake3 };
enum class Serialization { kFiles, kShards };

// Canonical names: "sha256", "blake2b", "blake3"; "files", "shards".
std::string_view to_string(HashAlgorithm algorithm);
std::string_view to_string(Serialization serialization);
// Accepts the canonical names and the alias "blake2". Throws kInvalidArgument.
HashAlgorithm parse_hash_algorithm(std::string_view name);
// Every name parse_hash_algorithm() accepts, the canonical ones first.
std::vector<std::string_view> hash_algorithm_names();
Serialization parse_serialization(std::string_view name);
// Digest length in bytes.
std::size_t digest_size(HashAlgorithm algorithm);

using Digest = std::vector<std::uint8_t>;

// Lower-case hex of a digest.
std::string digest_hex(const Digest& digest);

// One entry of the manifest: a whole file, or the byte range [start, end) of it.
struct ManifestItem {
  std::string path;  // relative to the model root, '/'-separated
  std::optional<std::uint64_t> start;
  std::optional<std::uint64_t> end;
  Digest digest;

  bool is_shard() const { return start.has_value(); }
  // "path" for files, "path:start:end" for shards.
  std::string resource_name() const;

  bool operator==(const ManifestItem&) const = default;
};

struct SerializationSpec {
  Serialization method = Serialization::kFiles;
  HashAlgorithm hash = HashAlgorithm::kSha256;
  std::uint64_t shard_size = 0;  // only for kShards
  bool allow_symlinks = false;
  // Relative paths recorded in the signature as excluded from it.
  std::vector<std::string> ignore_paths;

  // The "algorithm" string of each resource: the hash name for files,
  // upstream's "<hash>-sharded-<size>" for shards.
  std::string resource_algorithm() const;
};

class Manifest {
 public:
  Manifest() = default;
  Manifest(std::string model_name, SerializationSpec spec, std::vector<ManifestItem> items);

  const std::string& model_name() const { return model_name_; }
  const SerializationSpec& serialization() const { return spec_; }
  const std::vector<ManifestItem>& items() const { return items_; }

  // SHA-256 over the concatenated item digests, in item order.
  Digest root_digest() const;

 private:
  std::string model_name_;
  SerializationSpec spec_;
  std::vector<ManifestItem> items_;
};

// Sorts items the way upstream model_signing does: by path component-wise,
// then by numeric start and end offsets.
void sort_upstream(std::vector<ManifestItem>& items);

// Parses a resource name; for shards the range comes from the last two
// colons ("a:b:0:8" is path "a:b", range 0..8). Throws kMalformedBundle.
ManifestItem parse_resource_name(std::string_view name, bool shard);

// The manifest as the in-toto statement a signature's DSSE envelope carries
// (predicate https://model_signing/signature/v1.0), and back.
std::string statement_json(const Manifest& manifest);
// Parses a verified DSSE payload into the signed manifest, checking _type,
// predicateType and root-digest consistency. Accepts the v1.0 predicate and
// the legacy Digests/v0.1 one. Throws Error(kMalformedBundle).
Manifest manifest_from_statement(const std::string& payload_type, const std::string& payload);

}  // namespace model_signing
#pragma GCC visibility pop
