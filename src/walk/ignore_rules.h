// Which paths of a model are excluded: user ignore paths (component-wise
// prefixes, relative to the model root) and the top-level git paths.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace model_signing::walk {

class IgnoreRules {
 public:
  // `relative` is a '/'-separated path relative to the model root.
  void add(std::string_view relative);
  void set_ignore_git_paths(bool ignore) { ignore_git_ = ignore; }
  bool ignore_git_paths() const { return ignore_git_; }

  // True if `relative` or any of its ancestors is ignored. Git paths only
  // match at the top level.
  bool is_ignored(std::string_view relative) const;

  // The recorded form: user paths plus git paths when enabled, sorted.
  std::vector<std::string> recorded_paths() const;

 private:
  std::unordered_set<std::string> paths_;
  bool ignore_git_ = true;
};

// Normalizes `path` (absolute, or relative to the model root) to a
// '/'-separated path relative to the model root. nullopt if it lies outside
// the model or is the root itself.
std::optional<std::string> relative_to_model(const std::filesystem::path& model_root,
                                             const std::filesystem::path& path);

// A path a user names in a model (absolute, or relative to the model root),
// as a '/'-separated name relative to the root; "" is the root itself.
// Throws Error(kInvalidArgument) "<what> '<path>' is not inside the model
// <root>" for a path outside it.
std::string name_in_model(const std::filesystem::path& model_root, const std::filesystem::path& path,
                          const char* what);

}  // namespace model_signing::walk
