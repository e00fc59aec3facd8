#include "verifying/manifest_compare.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "model_signing/error.h"
#include "util/encoding.h"

namespace model_signing::verifying {

namespace {

// The name a resource is matched by; a single-file model's file is "." in
// whatever way the signature named it.
std::string key_for(const ManifestItem& item, bool is_model_file) {
  if (!is_model_file) return item.resource_name();
  return ManifestItem{".", item.start, item.end, {}}.resource_name();
}

}  // namespace

void compare_manifests(const Manifest& expected, const Manifest& actual, bool single_file,
                       bool ignore_extra) {
  // For a single file, "." and the file's own name both denote the model;
  // any other name is a different file.
  std::string local_name = single_file && !actual.items().empty() ? actual.items()[0].path : "";
  auto normalized = [&](const ManifestItem& item) {
    bool is_model = single_file && (item.path == "." || item.path == local_name);
    return key_for(item, is_model);
  };
  auto path_key = [&](const std::string& path) {
    return single_file && (path == "." || path == local_name) ? std::string(".") : path;
  };
  std::unordered_map<std::string, const ManifestItem*> want;
  std::unordered_set<std::string> signed_paths;  // files the manifest names
  want.reserve(expected.items().size());
  for (const auto& item : expected.items()) {
    want.emplace(normalized(item), &item);
    if (ignore_extra) signed_paths.insert(path_key(item.path));
  }

  std::vector<std::string> extra;
  std::vector<ModelMismatchError::DigestMismatch> modified;
  for (const auto& item : actual.items()) {
    auto it = want.find(normalized(item));
    if (it == want.end()) {
      bool unsigned_file = ignore_extra && !signed_paths.count(path_key(item.path));
      if (!unsigned_file) extra.push_back(item.resource_name());
      continue;
    }
    if (it->second->digest != item.digest) {
      modified.push_back({item.resource_name(), util::to_hex(it->second->digest),
                          util::to_hex(item.digest)});
    }
    want.erase(it);
  }
  std::vector<std::string> missing;
  for (const auto& [name, item] : want) missing.push_back(item->resource_name());
  std::sort(missing.begin(), missing.end());
  if (!extra.empty() || !missing.empty() || !modified.empty()) {
    throw ModelMismatchError(std::move(extra), std::move(missing), std::move(modified));
  }
}

void check_before_hashing(const Manifest& expected, const walk::ModelTree& tree, std::uint64_t shard_size,
                          bool ignore_extra) {
  if (expected.serialization().method != Serialization::kShards || shard_size == 0) return;
  auto shards_of = [&](std::uint64_t size) { return size / shard_size + (size % shard_size != 0); };
  std::uint64_t total = 0;
  for (const auto& file : tree.files) total += shards_of(file.size);
  if (total <= expected.items().size()) return;  // no more work than the manifest lists

  // It cannot match. Name what differs from the shard counts alone.
  auto path_of = [&](const std::string& path) {
    return tree.single_file && (path == "." || path == tree.files.front().name) ? std::string(".") : path;
  };
  std::map<std::string, std::uint64_t> listed;  // path -> shards the manifest lists
  for (const auto& item : expected.items()) ++listed[path_of(item.path)];
  std::vector<std::string> extra;
  std::vector<ModelMismatchError::DigestMismatch> modified;
  for (const auto& file : tree.files) {
    auto it = listed.find(path_of(file.name));
    std::uint64_t have = shards_of(file.size);
    if (it == listed.end()) {
      if (!ignore_extra && have > 0) extra.push_back(file.name);
      continue;
    }
    if (it->second != have) {
      modified.push_back({file.name, std::to_string(it->second) + " shards", std::to_string(have) + " shards"});
    }
    listed.erase(it);
  }
  std::vector<std::string> missing;
  for (const auto& [path, count] : listed) missing.push_back(path);
  std::sort(extra.begin(), extra.end());
  std::sort(modified.begin(), modified.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  throw ModelMismatchError(std::move(extra), std::move(missing), std::move(modified));
}

}  // namespace model_signing::verifying
