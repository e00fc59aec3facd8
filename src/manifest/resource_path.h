// The rule every file name in a manifest follows, wherever the name comes
// from (a signed statement, a digest list, an OCI layer title).
#pragma once

#include <optional>
#include <string_view>

namespace model_signing {

// Why `path` is not a canonical relative path inside the model ("is empty",
// "is an absolute path", "contains a '..' component", ...), or nullopt when
// it is one: '/'-separated, no empty, "." or ".." components, no NUL, valid
// UTF-8.
std::optional<std::string_view> resource_path_problem(std::string_view path);

}  // namespace model_signing
