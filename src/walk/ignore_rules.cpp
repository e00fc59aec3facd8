#include "walk/ignore_rules.h"

#include <algorithm>
#include <system_error>

#include "model_signing/error.h"
#include "model_signing/hashing.h"
#include "util/encoding.h"

namespace model_signing::walk {

void IgnoreRules::add(std::string_view relative) { paths_.emplace(relative); }

bool IgnoreRules::is_ignored(std::string_view relative) const {
  if (ignore_git_) {
    std::string_view top = relative.substr(0, relative.find('/'));
    for (std::string_view git : kGitPaths) {
      if (top == git) return true;
    }
  }
  if (paths_.empty()) return false;
  std::size_t pos = 0;
  while (true) {
    pos = relative.find('/', pos);
    std::string_view prefix = relative.substr(0, pos);
    if (paths_.count(std::string(prefix))) return true;
    if (pos == std::string_view::npos) return false;
    ++pos;
  }
}

std::vector<std::string> IgnoreRules::recorded_paths() const {
  std::vector<std::string> out(paths_.begin(), paths_.end());
  if (ignore_git_) {
    for (std::string_view git : kGitPaths) {
      if (!paths_.count(std::string(git))) out.emplace_back(git);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

std::optional<std::string> lexical_relative(const std::filesystem::path& root,
                                            const std::filesystem::path& path) {
  std::filesystem::path rel = path.lexically_relative(root);
  if (rel.empty() || rel == ".") return std::nullopt;
  std::string out;
  for (const auto& part : rel) {
    std::string s = part.string();
    if (s == "..") return std::nullopt;
    if (s.empty() || s == ".") continue;
    if (!out.empty()) out += '/';
    out += s;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::filesystem::path without_trailing_separator(std::filesystem::path p) {
  if (!p.has_filename() && p.has_relative_path()) p = p.parent_path();
  return p;
}

}  // namespace

std::optional<std::string> relative_to_model(const std::filesystem::path& model_root,
                                             const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::path root =
      without_trailing_separator(std::filesystem::absolute(model_root, ec).lexically_normal());
  if (ec) return std::nullopt;
  std::filesystem::path full = path.is_absolute() ? path : root / path;
  full = without_trailing_separator(full.lexically_normal());
  if (auto rel = lexical_relative(root, full)) return rel;
  // The root or the path may be spelled through symlinks (/tmp vs /private/tmp).
  std::filesystem::path canon_root =
      without_trailing_separator(std::filesystem::weakly_canonical(root, ec));
  if (ec) return std::nullopt;
  std::filesystem::path canon_full =
      without_trailing_separator(std::filesystem::weakly_canonical(full, ec));
  if (ec) return std::nullopt;
  return lexical_relative(canon_root, canon_full);
}

std::string name_in_model(const std::filesystem::path& model_root, const std::filesystem::path& path,
                          const char* what) {
  if (auto rel = relative_to_model(model_root, path)) return *rel;
  std::error_code ec;
  std::filesystem::path absolute_root = std::filesystem::absolute(model_root, ec);
  std::filesystem::path root =
      without_trailing_separator(std::filesystem::weakly_canonical(absolute_root, ec));
  std::filesystem::path full = path.is_absolute() ? path : absolute_root / path;
  std::filesystem::path canonical =
      without_trailing_separator(std::filesystem::weakly_canonical(full, ec));
  if (!ec && !root.empty() && canonical == root) return "";
  throw Error(ErrorKind::kInvalidArgument, std::string(what) + " '" + util::printable(path.string()) +
                                               "' is not inside the model " +
                                               util::printable(model_root.string()));
}

}  // namespace model_signing::walk
