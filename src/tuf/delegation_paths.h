// Which target paths a delegated role is trusted for: shell-style patterns
// ("paths") matched one '/'-separated segment at a time, so a wildcard never
// crosses a directory separator, or prefixes of the SHA-256 hex digest of
// the target path ("path_hash_prefixes").
#pragma once

#include <string_view>

#include "tuf/metadata.h"

namespace model_signing::tuf {

// fnmatch-style: '*' any run of characters, '?' one character, "[abc]",
// "[a-z]" and "[!abc]" one character of (not of) a set; others literal.
// Pattern and path must have the same number of segments.
bool path_matches_pattern(std::string_view path, std::string_view pattern);

// Whether `role` is trusted for `target_path`. A role with neither paths nor
// path_hash_prefixes is trusted for nothing.
bool role_covers_path(const DelegatedRole& role, std::string_view target_path);

}  // namespace model_signing::tuf
