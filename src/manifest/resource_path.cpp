#include "manifest/resource_path.h"

#include "util/encoding.h"

namespace model_signing {

std::optional<std::string_view> resource_path_problem(std::string_view path) {
  if (path.empty()) return "is empty";
  if (path.front() == '/') return "is an absolute path";
  if (path.find('\0') != std::string_view::npos) return "contains a NUL byte";
  if (!util::is_valid_utf8(path)) return "is not valid UTF-8";
  std::size_t pos = 0;
  while (true) {
    std::size_t slash = path.find('/', pos);
    std::string_view component =
        path.substr(pos, (slash == std::string_view::npos ? path.size() : slash) - pos);
    if (component == "..") return "contains a '..' component";
    if (component.empty() || component == ".") return "is not a canonical relative path";
    if (slash == std::string_view::npos) return std::nullopt;
    pos = slash + 1;
  }
}

}  // namespace model_signing
