#include "verifying/manifest_compare.h"

#include <map>

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
  std::map<std::string, const ManifestItem*> want;
  for (const auto& item : expected.items()) want.emplace(normalized(item), &item);

  std::vector<std::string> extra;
  std::vector<ModelMismatchError::DigestMismatch> modified;
  for (const auto& item : actual.items()) {
    auto it = want.find(normalized(item));
    if (it == want.end()) {
      if (!ignore_extra) extra.push_back(item.resource_name());
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
  if (!extra.empty() || !missing.empty() || !modified.empty()) {
    throw ModelMismatchError(std::move(extra), std::move(missing), std::move(modified));
  }
}

}  // namespace model_signing::verifying
