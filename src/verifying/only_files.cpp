#include "verifying/only_files.h"

#include <algorithm>
#include <set>
#include <unordered_set>

#include "model_signing/error.h"
#include "util/encoding.h"
#include "walk/ignore_rules.h"

namespace model_signing::verifying {

std::vector<std::string> select_signed_files(const std::filesystem::path& model_path,
                                             const Manifest& signed_manifest,
                                             const std::vector<std::filesystem::path>& paths) {
  std::set<std::string> signed_names;
  for (const auto& item : signed_manifest.items()) signed_names.insert(item.path);
  std::set<std::string> selected;
  for (const auto& path : paths) {
    std::string name = walk::name_in_model(model_path, path, "path to check");
    bool any = false;
    for (const auto& signed_name : signed_names) {
      bool below = name.empty() || signed_name == name ||
                   (signed_name.size() > name.size() && signed_name.compare(0, name.size(), name) == 0 &&
                    signed_name[name.size()] == '/');
      if (!below) continue;
      selected.insert(signed_name);
      any = true;
    }
    if (!any) {
      throw Error(ErrorKind::kInvalidArgument,
                  "'" + util::printable(path.string()) + "' is not covered by the signature (it lists no file " +
                      util::printable(name.empty() ? "at all" : name) + ")");
    }
  }
  return {selected.begin(), selected.end()};
}

Manifest restrict_to(const Manifest& manifest, const std::vector<std::string>& names) {
  std::vector<ManifestItem> items;
  for (const auto& item : manifest.items()) {
    if (std::binary_search(names.begin(), names.end(), item.path)) items.push_back(item);
  }
  return Manifest(manifest.model_name(), manifest.serialization(), std::move(items));
}

std::size_t file_count(const Manifest& manifest) {
  std::unordered_set<std::string_view> names;
  names.reserve(manifest.items().size());
  for (const auto& item : manifest.items()) names.insert(item.path);
  return names.size();
}

}  // namespace model_signing::verifying
