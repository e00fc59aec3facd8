#include "tuf/delegation_paths.h"

#include <vector>

#include "crypto/digest.h"
#include "util/encoding.h"

namespace model_signing::tuf {

namespace {

std::vector<std::string_view> segments(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    std::size_t slash = text.find('/', start);
    if (slash == std::string_view::npos) {
      out.push_back(text.substr(start));
      return out;
    }
    out.push_back(text.substr(start, slash - start));
    start = slash + 1;
  }
}

// Matches a "[...]" set at pattern[p] (just past '['); sets `p` past ']'.
// Returns -1 when the set is not closed (then '[' is a literal), else 1 for
// a match and 0 for none.
int match_set(std::string_view pattern, std::size_t& p, char c) {
  std::size_t i = p;
  bool negate = i < pattern.size() && pattern[i] == '!';
  if (negate) ++i;
  bool matched = false;
  bool first = true;
  while (i < pattern.size() && (first || pattern[i] != ']')) {
    first = false;
    char lo = pattern[i];
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      char hi = pattern[i + 2];
      if (lo <= c && c <= hi) matched = true;
      i += 3;
    } else {
      if (lo == c) matched = true;
      ++i;
    }
  }
  if (i >= pattern.size()) return -1;
  p = i + 1;
  return matched != negate ? 1 : 0;
}

// Iterative wildcard matching with backtracking to the last '*'; linear in
// practice and never recursive, whatever the pattern.
bool segment_matches(std::string_view text, std::string_view pattern) {
  std::size_t t = 0, p = 0;
  std::size_t star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size()) {
      char pc = pattern[p];
      if (pc == '*') {
        star_p = ++p;
        star_t = t;
        continue;
      }
      if (pc == '?') {
        ++p;
        ++t;
        continue;
      }
      if (pc == '[') {
        std::size_t q = p + 1;
        int set = match_set(pattern, q, text[t]);
        if (set == 1) {
          p = q;
          ++t;
          continue;
        }
        if (set == -1 && text[t] == '[') {
          ++p;
          ++t;
          continue;
        }
      } else if (pc == text[t]) {
        ++p;
        ++t;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

bool path_matches_pattern(std::string_view path, std::string_view pattern) {
  auto path_parts = segments(path);
  auto pattern_parts = segments(pattern);
  if (path_parts.size() != pattern_parts.size()) return false;
  for (std::size_t i = 0; i < path_parts.size(); ++i) {
    if (!segment_matches(path_parts[i], pattern_parts[i])) return false;
  }
  return true;
}

bool role_covers_path(const DelegatedRole& role, std::string_view target_path) {
  if (role.paths) {
    for (const auto& pattern : *role.paths) {
      if (path_matches_pattern(target_path, pattern)) return true;
    }
    return false;
  }
  if (role.path_hash_prefixes) {
    std::string digest = util::to_hex(crypto::sha256(target_path));
    for (const auto& prefix : *role.path_hash_prefixes) {
      if (digest.compare(0, prefix.size(), prefix) == 0) return true;
    }
  }
  return false;
}

}  // namespace model_signing::tuf
