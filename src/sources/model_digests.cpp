#include "sources/model_digests.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string_view>

#include "crypto/digest.h"
#include "engine/hash_model.h"
#include "engine/hashing_engine.h"
#include "model_signing/error.h"
#include "util/encoding.h"
#include "util/error_context.h"
#include "util/file_io.h"
#include "walk/ignore_rules.h"

namespace model_signing::sources {

namespace {

std::string describe(Serialization method, HashAlgorithm hash, std::uint64_t shard_size) {
  std::string text = std::string(to_string(method)) + " of " + std::string(to_string(hash));
  if (method == Serialization::kShards) text += " with shard size " + std::to_string(shard_size);
  return text;
}

void require_same_serialization(const SerializationSpec& old, const HashingConfig& hashing,
                                const std::string& old_name) {
  const bool shards = hashing.serialization == Serialization::kShards;
  bool same = old.method == hashing.serialization && old.hash == hashing.hash &&
              (!shards || old.shard_size == hashing.shard_size);
  if (same) return;
  throw Error(ErrorKind::kInvalidArgument,
              "cannot reuse the digests of " + old_name + ": it signs " +
                  describe(old.method, old.hash, old.shard_size) + ", this signing " +
                  describe(hashing.serialization, hashing.hash, hashing.shard_size) +
                  " (they must match)");
}

StatRecord read_matching_record(const std::filesystem::path& old_signature,
                                const std::string& signature_bytes,
                                const std::filesystem::path& model_path) {
  const std::string old_name = util::printable(old_signature.string());
  const std::filesystem::path path = stat_record_path(old_signature);
  const std::string record_name = util::printable(path.string());
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw Error(ErrorKind::kInvalidArgument,
                "old signature " + old_name + " has no stat record (" + record_name +
                    "), so which files changed is unknown: name the changed files, or sign once "
                    "with a stat record");
  }
  StatRecord record = read_stat_record(path);
  if (record.signature_sha256 != util::to_hex(crypto::sha256(signature_bytes))) {
    throw Error(ErrorKind::kInvalidArgument,
                "stat record " + record_name + " belongs to another signature than " + old_name +
                    " (the signature was replaced after the record was written): name the changed "
                    "files instead");
  }
  std::string model = canonical_model_path(model_path);
  if (record.model != model) {
    throw Error(ErrorKind::kInvalidArgument,
                "stat record " + record_name + " was written for the model " +
                    util::printable(record.model) + ", not " + util::printable(model) +
                    ": name the changed files instead");
  }
  return record;
}

// True if `name` or one of its parent directories is in `changed`.
bool named_as_changed(const std::set<std::string>& changed, const std::string& name) {
  if (changed.count("")) return true;
  for (std::size_t slash = name.find('/'); slash != std::string::npos; slash = name.find('/', slash + 1)) {
    if (changed.count(name.substr(0, slash))) return true;
  }
  return changed.count(name) > 0;
}

bool is_unchanged(const ReusePlan& plan, const walk::ModelFile& file) {
  if (plan.changed) return !named_as_changed(*plan.changed, file.name);
  auto it = plan.record->files.find(file.name);
  return it != plan.record->files.end() && it->second == FileStat{file.size, file.mtime_ns};
}

using OldItems = std::map<std::string_view, std::vector<const ManifestItem*>>;

// The old signature's items for `file` when they fit its current size: one
// whole-file digest, or shards covering exactly [0, size).
std::optional<std::vector<const ManifestItem*>> old_items_for(const OldItems& old, const walk::ModelFile& file,
                                                              bool single_file, const HashingConfig& hashing) {
  auto it = old.find(file.name);
  if (it == old.end() && single_file) it = old.find(".");  // upstream's name for a single file
  if (it == old.end()) return std::nullopt;
  std::vector<const ManifestItem*> items = it->second;
  if (hashing.serialization == Serialization::kFiles) {
    if (items.size() != 1 || items[0]->is_shard()) return std::nullopt;
    return items;
  }
  std::sort(items.begin(), items.end(),
            [](const ManifestItem* a, const ManifestItem* b) { return a->start < b->start; });
  std::uint64_t position = 0;
  for (const ManifestItem* item : items) {
    if (!item->is_shard() || *item->start != position) return std::nullopt;
    position = *item->end;
  }
  if (position != file.size) return std::nullopt;
  return items;
}

}  // namespace

ReusePlan plan_reuse(const ReuseDigests& reuse, const Signer& signer,
                     const std::filesystem::path& model_path, const HashingConfig& hashing) {
  const std::string old_name = util::printable(reuse.old_signature.string());
  std::unique_ptr<Verifier> own;
  Verifier* verifier = reuse.verifier.get();
  if (!verifier) {
    own = signer.own_verifier();
    verifier = own.get();
  }
  if (!verifier) {
    throw Error(ErrorKind::kInvalidArgument,
                "cannot check the old signature " + old_name +
                    ": this signing method has no verifier of its own; name who signed it");
  }
  ReusePlan plan;
  plan.old_signature = reuse.old_signature;
  std::string bytes = util::read_file(reuse.old_signature);
  Bundle bundle = util::with_error_prefix("invalid signature file " + old_name, [&] { return parse_bundle(bytes); });
  VerifiedPayload verified = util::with_error_prefix("old signature " + old_name + " does not verify",
                                                     [&] { return verifier->verify(bundle); });
  plan.old_manifest = util::with_error_prefix("old signature " + old_name, [&] {
    return manifest_from_statement(verified.payload_type, verified.payload);
  });
  require_same_serialization(plan.old_manifest.serialization(), hashing, old_name);
  if (reuse.changed) {
    plan.changed.emplace();
    for (const auto& path : *reuse.changed) plan.changed->insert(walk::name_in_model(model_path, path, "changed path"));
  } else {
    plan.record = read_matching_record(reuse.old_signature, bytes, model_path);
  }
  return plan;
}

ModelDigests model_digests(const std::filesystem::path& model_path, const HashingConfig& hashing,
                           const ReusePlan* plan) {
  ModelDigests out;
  walk::WalkOptions options = engine::walk_options_for(model_path, hashing);
  out.walk_started_ns = realtime_now_ns();
  walk::ModelTree tree = engine::walk_for_signing(model_path, hashing, options);

  std::vector<ManifestItem> items;
  std::vector<walk::ModelFile> to_hash;
  OldItems old;
  if (plan) {
    for (const auto& item : plan->old_manifest.items()) old[item.path].push_back(&item);
  }
  for (const auto& file : tree.files) {
    std::optional<std::vector<const ManifestItem*>> reused;
    if (plan && is_unchanged(*plan, file)) reused = old_items_for(old, file, tree.single_file, hashing);
    if (!reused) {
      to_hash.push_back(file);
      continue;
    }
    for (const ManifestItem* item : *reused) items.push_back({file.name, item->start, item->end, item->digest});
    out.counts.files_reused += 1;
    out.counts.bytes_reused += file.size;
  }
  for (const auto& file : to_hash) {
    out.counts.files_hashed += 1;
    out.counts.bytes_hashed += file.size;
  }
  std::vector<ManifestItem> hashed;
  if (!to_hash.empty()) hashed = engine::hash_files(to_hash, engine::engine_options_for(hashing));
  items.insert(items.end(), std::make_move_iterator(hashed.begin()), std::make_move_iterator(hashed.end()));
  out.manifest = engine::assemble_manifest(model_path, hashing, tree, options.ignore, std::move(items));
  out.files = std::move(tree.files);
  return out;
}

}  // namespace model_signing::sources
